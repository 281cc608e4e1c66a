import { EntityManager } from "typeorm";
import { Setting } from "../entity/setting/setting.entity";

/**
 * Intake settings with their defaults (DESIGN.md steps 1–2, the seeds). A stored section replaces
 * the defaults key by key, so adding a setting never needs a data migration.
 */
export const DEFAULT_SETTINGS = {
  survey: {
    /** Post-service surveys go out this long after the ticket completes (24–48 h). */
    postServiceDelayHours: 24,
    /** The one reminder to non-responders. */
    reminderAfterDays: 3,
    /** The survey window; the token stops working after it. */
    expiryDays: 7,
  },
  verification: {
    /** Share of extreme ratings (1 or 5) sampled for a call-back, 0–1. */
    extremeSampleRate: 0.2,
    /** A low score without a comment must be verified within this many hours (待核实). */
    verifyWithinHours: 24,
    /** Scores at or below this are "low". */
    lowScoreAtMost: 2,
    /** A ticket answered within this many hours counts as on time when checking feedback. */
    onTimeResponseHours: 4,
  },
  sla: {
    TIER_1: { respondMinutes: 60, planHours: 24, closeHours: 72 },
    TIER_2: { respondMinutes: 60, planHours: 24, closeHours: 72 },
    /** A breach still open this long after the department head was told goes to the operations manager. */
    escalateToManagerAfterMinutes: 60,
  },
};

export type Settings = typeof DEFAULT_SETTINGS;
export type SettingsSection = keyof Settings;

export async function loadSettings(manager: EntityManager): Promise<Settings> {
  const rows = await manager.getRepository(Setting).find();
  const settings = structuredClone(DEFAULT_SETTINGS) as Record<string, Record<string, unknown>>;
  for (const row of rows) {
    if (row.key in settings && row.value && typeof row.value === "object") {
      Object.assign(settings[row.key], row.value);
    }
  }
  return settings as Settings;
}
