import DataLoader from "dataloader";
import { DataSource } from "typeorm";
import { SurveyInvitation } from "../../entity";

/** Invitations of one campaign by state, and the response rate the quality team reports. */
export interface InvitationStats {
  invited: number;
  scheduled: number;
  /** Sent (or reminded) and still answerable. */
  open: number;
  reminded: number;
  responded: number;
  expired: number;
  undeliverable: number;
  cancelled: number;
  /** responded / (responded + open + expired): of those who got the survey; null before any did. */
  responseRate: number | null;
}

/** Counts per campaign in one grouped query per request tick. */
export function invitationStatsLoader(dataSource: DataSource) {
  return new DataLoader<number, InvitationStats>(async (campaignIds) => {
    const rows = await dataSource
      .getRepository(SurveyInvitation)
      .createQueryBuilder("i")
      .select("i.campaignId", "campaignId")
      .addSelect("i.state", "state")
      .addSelect("COUNT(*)", "count")
      .where("i.campaignId IN (:...campaignIds)", { campaignIds })
      .groupBy("i.campaignId")
      .addGroupBy("i.state")
      .getRawMany<{ campaignId: number | string; state: string; count: number | string }>();
    const byCampaign = new Map<number, Record<string, number>>();
    for (const row of rows) {
      const counts = byCampaign.get(Number(row.campaignId)) ?? {};
      counts[row.state] = Number(row.count);
      byCampaign.set(Number(row.campaignId), counts);
    }
    return campaignIds.map((id) => statsOf(byCampaign.get(id) ?? {}));
  });
}

function statsOf(counts: Record<string, number>): InvitationStats {
  const of = (state: string) => counts[state] ?? 0;
  const open = of("sent") + of("reminded");
  const reached = open + of("responded") + of("expired");
  return {
    invited: Object.values(counts).reduce((sum, count) => sum + count, 0),
    scheduled: of("scheduled"),
    open,
    reminded: of("reminded"),
    responded: of("responded"),
    expired: of("expired"),
    undeliverable: of("undeliverable"),
    cancelled: of("cancelled"),
    responseRate: reached === 0 ? null : of("responded") / reached,
  };
}
