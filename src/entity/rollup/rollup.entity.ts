import { Column, Entity, Index, PrimaryColumn } from "typeorm";
import { DateTimeColumn } from "../columns";

/**
 * Counts of scores 1–5 per day × segment × dimension over valid (not INVALID) feedback, kept in
 * the transaction that records, imports, invalidates or restores the feedback, so analytics read
 * a few hundred rows instead of scanning every feedback (src/service/analytics/rollups.ts).
 * Counts are only ever changed by adding or subtracting a feedback's contribution.
 */
@Entity("rollup_score")
@Index(["segmentKind", "day"])
export class RollupScore {
  /** SegmentKind: ALL, DEPARTMENT, REGION, SERVICE_TYPE, CUSTOMER_TYPE, ENGINEER. */
  @PrimaryColumn({ type: "varchar", length: 16 })
  segmentKind: string;

  /** The segment value (department id, region …); "" for ALL and for none (e.g. no ticket). */
  @PrimaryColumn({ type: "varchar", length: 100 })
  segmentValue: string;

  /** UTC calendar day the feedback was received. */
  @PrimaryColumn({ type: "date" })
  day: string;

  @PrimaryColumn({ type: "varchar", length: 64 })
  dimension: string;

  @Column({ type: "int", default: 0 })
  count1: number;

  @Column({ type: "int", default: 0 })
  count2: number;

  @Column({ type: "int", default: 0 })
  count3: number;

  @Column({ type: "int", default: 0 })
  count4: number;

  @Column({ type: "int", default: 0 })
  count5: number;
}

/** Number of valid feedback (responses) per day × segment, scored or not. */
@Entity("rollup_response")
@Index(["segmentKind", "day"])
export class RollupResponse {
  @PrimaryColumn({ type: "varchar", length: 16 })
  segmentKind: string;

  @PrimaryColumn({ type: "varchar", length: 100 })
  segmentValue: string;

  @PrimaryColumn({ type: "date" })
  day: string;

  @Column({ type: "int", default: 0 })
  responses: number;
}

/** Number of valid feedback whose comment carries a keyword tag, per day × segment × tag. */
@Entity("rollup_keyword")
@Index(["segmentKind", "day"])
export class RollupKeyword {
  @PrimaryColumn({ type: "varchar", length: 16 })
  segmentKind: string;

  @PrimaryColumn({ type: "varchar", length: 100 })
  segmentValue: string;

  @PrimaryColumn({ type: "date" })
  day: string;

  @PrimaryColumn({ type: "varchar", length: 64 })
  tagCode: string;

  @Column({ type: "int", default: 0 })
  count: number;
}


/**
 * Bulk-imported feedback whose contribution is not in the rollups yet. Bulk import groups the
 * contributions of many batches in memory and adds them with one write per rollup row (a batch
 * of 1,000 feedback touches ~16,000 rollup rows, most of which the next batches touch again).
 * This row, written in the batch's own transaction and deleted in the transaction that adds the
 * feedback's contribution, makes sure nothing is lost or counted twice in between: a crash leaves
 * it for `applyPendingRollups`, and a verification change settles it first (rollups.ts).
 */
@Entity("rollup_pending_feedback")
export class RollupPendingFeedback {
  @PrimaryColumn({ type: "int" })
  feedbackId: number;

  @DateTimeColumn()
  createdAt: Date;
}
