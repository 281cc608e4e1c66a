import DataLoader from "dataloader";
import { DataSource, In } from "typeorm";
import { ComplaintSla } from "../../entity/sla/complaint-sla.entity";
import { SlaEscalation } from "../../entity/sla/sla-escalation.entity";
import { childrenLoader } from "./entity-loaders";

/** Complaint SLA clocks by issue id (null for issues without one) and their escalations. */
export function slaLoaders(dataSource: DataSource) {
  return {
    complaintSlaByIssue: new DataLoader<number, ComplaintSla | null>(async (issueIds) => {
      const rows = await dataSource.getRepository(ComplaintSla).findBy({ issueId: In([...issueIds]) });
      const byIssue = new Map(rows.map((row) => [row.issueId, row]));
      return issueIds.map((id) => byIssue.get(id) ?? null);
    }),
    slaEscalationsByIssue: childrenLoader(dataSource, SlaEscalation, "issueId"),
  };
}
