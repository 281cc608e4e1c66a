import { MigrationInterface, QueryRunner } from "typeorm";
import { runForDialect } from "./dialect";

/**
 * Contact consent recorded at intake (issue 5): an append-only table of each customer's decisions.
 * Generated from the entities by TypeORM's schema builder, for MySQL and SQLite.
 */
export class Consent1796500000004 implements MigrationInterface {
  name = "Consent1796500000004";

  async up(queryRunner: QueryRunner): Promise<void> {
    await runForDialect(queryRunner, UP);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await runForDialect(queryRunner, DOWN);
  }
}

const UP = {
  mysql: [
    "CREATE TABLE `contact_consent` (`id` int NOT NULL AUTO_INCREMENT, `customerId` int NOT NULL, `decision` varchar(32) NOT NULL, `channel` varchar(32) NOT NULL, `givenAt` datetime(6) NOT NULL, `recordedById` int NULL, `feedbackId` int NULL, `createdAt` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX `IDX_231a4f3acdd19a8046dec92604` (`customerId`, `id`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
  ],
  sqlite: [
    "CREATE TABLE \"contact_consent\" (\"id\" integer PRIMARY KEY AUTOINCREMENT NOT NULL, \"customerId\" integer NOT NULL, \"decision\" varchar(32) NOT NULL, \"channel\" varchar(32) NOT NULL, \"givenAt\" datetime(6) NOT NULL, \"recordedById\" integer, \"feedbackId\" integer, \"createdAt\" datetime(6) NOT NULL DEFAULT (datetime('now')))",
    "CREATE INDEX \"IDX_231a4f3acdd19a8046dec92604\" ON \"contact_consent\" (\"customerId\", \"id\") ",
  ],
};

const DOWN = {
  mysql: ["DROP INDEX `IDX_231a4f3acdd19a8046dec92604` ON `contact_consent`", "DROP TABLE `contact_consent`"],
  sqlite: ["DROP INDEX \"IDX_231a4f3acdd19a8046dec92604\"", "DROP TABLE \"contact_consent\""],
};
