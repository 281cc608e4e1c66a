import { Column, Entity, Index, PrimaryColumn } from "typeorm";
import { CreatedAtColumn } from "../columns";

/** Feedback linked to an issue as evidence. Links are only ever added. */
@Entity("issue_evidence")
@Index(["feedbackId"])
export class IssueEvidence {
  @PrimaryColumn({ type: "int" })
  issueId: number;

  @PrimaryColumn({ type: "int" })
  feedbackId: number;

  @Column({ type: "int" })
  linkedById: number;

  @CreatedAtColumn()
  linkedAt: Date;
}
