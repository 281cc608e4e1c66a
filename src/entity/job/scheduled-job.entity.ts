import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { JobKind, JobStatus } from "../../jobs/job-kind";
import { CreatedAtColumn, DateTimeColumn, EnumColumn } from "../columns";

/**
 * A durable deadline: something to do at `dueAt` (send, remind, expire, escalate). Rows are
 * claimed by the sweeper with `FOR UPDATE SKIP LOCKED` and handled in the transaction that
 * claimed them, so a process that dies mid-batch leaves them PENDING for the next sweeper.
 */
@Entity("scheduled_job")
@Index(["status", "dueAt"])
@Index(["subjectId", "kind"])
export class ScheduledJob {
  @PrimaryGeneratedColumn()
  id: number;

  @EnumColumn(JobKind, { length: 48 })
  kind: JobKind;

  /** The row the job is about (invitation, feedback, issue, action item), by kind. */
  @Column({ type: "int" })
  subjectId: number;

  @DateTimeColumn()
  dueAt: Date;

  /** One job per purpose: scheduling the same key twice is a no-op, so retries are harmless. */
  @Column({ type: "varchar", length: 191, unique: true })
  dedupeKey: string;

  @Column({ type: "simple-json", nullable: true })
  payload: Record<string, unknown> | null;

  @EnumColumn(JobStatus)
  status: JobStatus;

  @Column({ type: "int", default: 0 })
  attempts: number;

  @Column({ type: "text", nullable: true })
  lastError: string | null;

  @CreatedAtColumn()
  createdAt: Date;

  @DateTimeColumn({ nullable: true })
  completedAt: Date | null;
}
