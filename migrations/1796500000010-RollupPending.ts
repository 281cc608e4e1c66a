import { MigrationInterface, QueryRunner } from "typeorm";
import { runForDialect } from "./dialect";

/** Bulk-imported feedback whose rollup contribution is pending (RollupPendingFeedback). */
export class RollupPending1796500000010 implements MigrationInterface {
  name = "RollupPending1796500000010";

  async up(queryRunner: QueryRunner): Promise<void> {
    await runForDialect(queryRunner, {
      mysql: [
        "CREATE TABLE `rollup_pending_feedback` (`feedbackId` int NOT NULL, `createdAt` datetime(6) NOT NULL, PRIMARY KEY (`feedbackId`)) ENGINE=InnoDB",
      ],
      sqlite: [
        'CREATE TABLE "rollup_pending_feedback" ("feedbackId" integer PRIMARY KEY NOT NULL, "createdAt" datetime(6) NOT NULL)',
      ],
    });
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await runForDialect(queryRunner, {
      mysql: ["DROP TABLE `rollup_pending_feedback`"],
      sqlite: ['DROP TABLE "rollup_pending_feedback"'],
    });
  }
}
