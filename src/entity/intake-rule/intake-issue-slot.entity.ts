import { Column, Entity, PrimaryColumn } from "typeorm";
import { DateTimeColumn } from "../columns";

/**
 * The open issue intake rules attach feedback to, per slot: `SYSTEMIC:<category>` or
 * `COMPLAINT:<category>:<customerId>`. The row doubles as the lock that serialises intake for its
 * slot: a transaction upserts it (taking the row's exclusive lock) before looking for the open
 * issue, so two matching feedbacks committed at once cannot both open one.
 */
@Entity("intake_issue_slot")
export class IntakeIssueSlot {
  @PrimaryColumn({ type: "varchar", length: 191 })
  slotKey: string;

  @Column({ type: "int", nullable: true })
  issueId: number | null;

  @DateTimeColumn()
  touchedAt: Date;
}
