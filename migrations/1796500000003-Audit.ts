import { MigrationInterface, QueryRunner } from "typeorm";
import { runForDialect } from "./dialect";

/**
 * The request id on audit rows, and the database itself refusing to change them: the transition
 * log, the feedback verification history and the feedback scores are append-only, whatever code
 * runs against them (an UPDATE or DELETE fails with "… is append-only").
 */
export class Audit1796500000003 implements MigrationInterface {
  name = "Audit1796500000003";

  async up(queryRunner: QueryRunner): Promise<void> {
    await runForDialect(queryRunner, UP);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await runForDialect(queryRunner, DOWN);
  }
}

/** Tables no statement may update or delete from. */
export const APPEND_ONLY_TABLES = ["transition_log", "feedback_verification", "feedback_score"] as const;

const triggers = (quote: (name: string) => string, body: (table: string) => string) =>
  APPEND_ONLY_TABLES.flatMap((table) =>
    (["UPDATE", "DELETE"] as const).map(
      (operation) =>
        `CREATE TRIGGER ${quote(`${table}_no_${operation.toLowerCase()}`)} BEFORE ${operation} ON ${quote(table)} ${body(table)}`,
    ),
  );

const dropTriggers = (quote: (name: string) => string) =>
  APPEND_ONLY_TABLES.flatMap((table) =>
    ["update", "delete"].map((operation) => `DROP TRIGGER IF EXISTS ${quote(`${table}_no_${operation}`)}`),
  );

const backtick = (name: string) => `\`${name}\``;
const doubleQuote = (name: string) => `"${name}"`;

const UP = {
  mysql: [
    "ALTER TABLE `transition_log` ADD `requestId` varchar(64) NULL",
    "ALTER TABLE `feedback_verification` ADD `requestId` varchar(64) NULL",
    ...triggers(backtick, (table) => `FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '${table} is append-only'`),
  ],
  sqlite: [
    "ALTER TABLE \"transition_log\" ADD COLUMN \"requestId\" varchar(64)",
    "ALTER TABLE \"feedback_verification\" ADD COLUMN \"requestId\" varchar(64)",
    ...triggers(doubleQuote, (table) => `BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END`),
  ],
};

const DOWN = {
  mysql: [
    ...dropTriggers(backtick),
    "ALTER TABLE `feedback_verification` DROP COLUMN `requestId`",
    "ALTER TABLE `transition_log` DROP COLUMN `requestId`",
  ],
  sqlite: [
    ...dropTriggers(doubleQuote),
    "ALTER TABLE \"feedback_verification\" DROP COLUMN \"requestId\"",
    "ALTER TABLE \"transition_log\" DROP COLUMN \"requestId\"",
  ],
};
