import type { MigrationInterface } from "typeorm";
import { Initial1795459062234 } from "./1795459062234-Initial";
import { Intake1795461110217 } from "./1795461110217-Intake";
import { Reports1795980853346 } from "./1795980853346-Reports";
import { BackfillRollups1795980853347 } from "./1795980853347-BackfillRollups";

/** Every migration, in order. Listed explicitly so the same array works from ts (tests) and js (dist). */
export const MIGRATIONS: (new () => MigrationInterface)[] = [
  Initial1795459062234,
  Intake1795461110217,
  Reports1795980853346,
  BackfillRollups1795980853347,
];
