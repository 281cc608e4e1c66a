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
  review: {
    /**
     * An open action is at risk when its progress (percent) trails the elapsed share of its
     * planned days (percent) by more than this many points (weekly review).
     */
    atRiskTolerancePercent: 10,
    /** Relative weights of the department scorecard components (monthly review); any scale. */
    scorecardWeights: { satisfaction: 0.5, planCompletion: 0.3, overdue: 0.2 },
    /** Points the overdue component (100 at zero) loses per overdue action. */
    overduePenaltyPerAction: 20,
  },
  analytics: {
    /** Satisfaction index (0–100) at or above which the grade is A, B, C; below C it is D. */
    gradeA: 90,
    gradeB: 75,
    gradeC: 60,
    /** Scores at or below this count as low in the analytics' low-score share (≤ 3). */
    lowScoreAtMost: 3,
    /** How many of the lowest dimensions become priority problems (2–3). */
    lowestDimensions: 3,
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
