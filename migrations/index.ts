import type { MigrationInterface } from "typeorm";
import { Initial1795459062234 } from "./1795459062234-Initial";
import { Intake1795461110217 } from "./1795461110217-Intake";

/** Every migration, in order. Listed explicitly so the same array works from ts (tests) and js (dist). */
export const MIGRATIONS: (new () => MigrationInterface)[] = [Initial1795459062234, Intake1795461110217];
