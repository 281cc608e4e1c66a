import { Column, ColumnOptions, CreateDateColumn, UpdateDateColumn, ValueTransformer } from "typeorm";

/**
 * Column shapes shared by every entity. They are chosen to mean the same thing on MySQL and
 * SQLite, so one migration and one set of entities serve both databases.
 */

/** Microsecond timestamps, stored in UTC (the MySQL connection uses timezone "Z"). */
export const DateTimeColumn = (options: ColumnOptions = {}) =>
  Column({ type: "datetime", precision: 6, ...options });

export const CreatedAtColumn = () => CreateDateColumn({ type: "datetime", precision: 6 });
export const UpdatedAtColumn = () => UpdateDateColumn({ type: "datetime", precision: 6 });

/** A calendar day as "YYYY-MM-DD"; both drivers hand it back as a string. */
export const DateColumn = (options: ColumnOptions = {}) => Column({ type: "date", ...options });

/** mysql2 returns DECIMAL as a string to keep precision; the domain wants numbers. */
const decimalToNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null || value === undefined ? null : Number(value)),
};

export const DecimalColumn = (options: ColumnOptions = {}) =>
  Column({ type: "decimal", precision: 14, scale: 4, transformer: decimalToNumber, ...options });

/**
 * Enums are readable strings, not database ENUMs, so adding a value needs no table rebuild;
 * the transformer refuses a value outside the enum as a last line of defence behind validation.
 */
export const EnumColumn = (values: object, options: ColumnOptions = {}) =>
  Column({ type: "varchar", length: 32, ...options, transformer: enumGuard(values, options.nullable) });

function enumGuard(values: object, nullable?: boolean): ValueTransformer {
  const allowed = new Set(Object.values(values));
  return {
    to: (value: unknown) => {
      if (value === undefined || (value === null && nullable)) return value;
      if (!allowed.has(value as string)) throw new Error(`value ${String(value)} is not a member of its enum`);
      return value;
    },
    from: (value: unknown) => value,
  };
}

/** Optimistic-concurrency counter, bumped by conditional updates (never by save()). */
export const VersionCounterColumn = () => Column({ type: "int", default: 1 });

/** Workflow state as a readable string, written only by a service after its machine agreed. */
export const StateColumn = () => Column({ type: "varchar", length: 32 });
