import { MigrationInterface, QueryRunner } from "typeorm";
import { rebuildRollups } from "../src/service/analytics/rollups";

/**
 * Written by hand: a data migration. Feedback recorded before the analytics rollups existed has
 * no segment snapshot and counts nowhere until the rollups are rebuilt from it once, here, so an
 * upgraded database reports its history without a manual `qloop rollup rebuild`. On a new
 * database it finds nothing to do.
 */
export class BackfillRollups1795980853347 implements MigrationInterface {
  name = "BackfillRollups1795980853347";

  async up(queryRunner: QueryRunner): Promise<void> {
    // The pending-import journal (a later migration) does not exist yet at this point.
    await rebuildRollups(queryRunner.manager, { clearPending: false });
  }

  async down(): Promise<void> {
    // The rollups are dropped with their tables by the Reports migration's down.
  }
}
