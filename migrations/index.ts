import type { MigrationInterface } from "typeorm";
import { Initial1795459062234 } from "./1795459062234-Initial";
import { Intake1795461110217 } from "./1795461110217-Intake";
import { Reports1795980853346 } from "./1795980853346-Reports";
import { BackfillRollups1795980853347 } from "./1795980853347-BackfillRollups";
import { RollupPending1796500000010 } from "./1796500000010-RollupPending";
import { Idempotency1796500000002 } from "./1796500000002-Idempotency";
import { Audit1796500000003 } from "./1796500000003-Audit";
import { Consent1796500000004 } from "./1796500000004-Consent";

/** Every migration, in order. Listed explicitly so the same array works from ts (tests) and js (dist). */
export const MIGRATIONS: (new () => MigrationInterface)[] = [
  Initial1795459062234,
  Intake1795461110217,
  Reports1795980853346,
  BackfillRollups1795980853347,
  Idempotency1796500000002,
  Audit1796500000003,
  Consent1796500000004,
  RollupPending1796500000010,
];
