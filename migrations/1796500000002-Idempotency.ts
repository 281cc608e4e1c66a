import { MigrationInterface, QueryRunner } from "typeorm";
import { runForDialect } from "./dialect";

/** Idempotency keys of mutation requests (src/service/idempotency.service.ts). */
export class Idempotency1796500000002 implements MigrationInterface {
  name = "Idempotency1796500000002";

  async up(queryRunner: QueryRunner): Promise<void> {
    await runForDialect(queryRunner, UP);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await runForDialect(queryRunner, DOWN);
  }
}

const UP = {
  mysql: [
    "CREATE TABLE `idempotency_key` (`id` int NOT NULL AUTO_INCREMENT, `userId` int NOT NULL, `idempotencyKey` varchar(255) NOT NULL, `requestHash` varchar(64) NOT NULL, `responseStatus` int NOT NULL, `responseBody` text NOT NULL, `createdAt` datetime(6) NOT NULL, `expiresAt` datetime(6) NOT NULL, INDEX `IDX_b518f26ab85e77017f0ff4054b` (`expiresAt`), UNIQUE INDEX `IDX_25289244569e505292cde510d7` (`userId`, `idempotencyKey`), PRIMARY KEY (`id`)) ENGINE=InnoDB",
  ],
  sqlite: [
    "CREATE TABLE \"idempotency_key\" (\"id\" integer PRIMARY KEY AUTOINCREMENT NOT NULL, \"userId\" integer NOT NULL, \"idempotencyKey\" varchar(255) NOT NULL, \"requestHash\" varchar(64) NOT NULL, \"responseStatus\" integer NOT NULL, \"responseBody\" text NOT NULL, \"createdAt\" datetime(6) NOT NULL, \"expiresAt\" datetime(6) NOT NULL)",
    "CREATE INDEX \"IDX_b518f26ab85e77017f0ff4054b\" ON \"idempotency_key\" (\"expiresAt\") ",
    "CREATE UNIQUE INDEX \"IDX_25289244569e505292cde510d7\" ON \"idempotency_key\" (\"userId\", \"idempotencyKey\") ",
  ],
};

const DOWN = {
  mysql: ["DROP TABLE `idempotency_key`"],
  sqlite: ["DROP TABLE \"idempotency_key\""],
};
