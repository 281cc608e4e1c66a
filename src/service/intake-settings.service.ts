import { DataSource, EntityManager } from "typeorm";
import type { Actor } from "../../workflows/actor";
import { badInput } from "../common/errors";
import { inTransaction } from "../db/transaction";
import { Setting } from "../entity";
import { loadSettings, Settings } from "./settings";

/** An SLA tier as the API shows it. */
export interface SlaTierView {
  respondMinutes: number;
  planHours: number;
  closeHours: number;
}

/** The intake settings as the API shows them (tiers named tier1/tier2). */
export interface IntakeSettingsView {
  survey: Settings["survey"];
  verification: Settings["verification"];
  sla: { tier1: SlaTierView; tier2: SlaTierView; escalateToManagerAfterMinutes: number };
}

/** A partial update: only the keys given change; the others keep their current values. */
export interface IntakeSettingsChanges {
  survey?: Changes<Settings["survey"]> | null;
  verification?: Changes<Settings["verification"]> | null;
  sla?: {
    tier1?: Changes<SlaTierView> | null;
    tier2?: Changes<SlaTierView> | null;
    escalateToManagerAfterMinutes?: number | null;
  } | null;
}

/** Every key optional; null and undefined both mean "keep". */
type Changes<T> = { [K in keyof T]?: T[K] | null };

interface Range {
  min: number;
  max: number;
  integer: boolean;
  /** The lower bound itself is not allowed (a rate of hours > 0). */
  exclusiveMin?: boolean;
}

/** Allowed ranges: wide enough for any real team, narrow enough to catch typos (720 h = 30 days). */
const RANGES = {
  survey: {
    postServiceDelayHours: { min: 0, max: 168, integer: true },
    reminderAfterDays: { min: 1, max: 30, integer: true },
    expiryDays: { min: 1, max: 90, integer: true },
  },
  verification: {
    extremeSampleRate: { min: 0, max: 1, integer: false },
    verifyWithinHours: { min: 1, max: 720, integer: true },
    lowScoreAtMost: { min: 1, max: 4, integer: true },
    onTimeResponseHours: { min: 0, max: 720, integer: false, exclusiveMin: true },
  },
  tier: {
    respondMinutes: { min: 1, max: 10_080, integer: true },
    planHours: { min: 1, max: 720, integer: true },
    closeHours: { min: 1, max: 2160, integer: true },
  },
  escalateToManagerAfterMinutes: { min: 1, max: 10_080, integer: true },
} satisfies Record<string, Range | Record<string, Range>>;

/**
 * The intake settings (survey timing, verification, complaint SLA) behind a validated API. Each
 * section is stored whole as one Setting row and overrides the defaults of settings.ts; services
 * read them with loadSettings in their own transaction.
 */
export class IntakeSettingsService {
  constructor(private readonly dataSource: DataSource) {}

  /** The settings in force (stored values over the defaults). */
  async get(): Promise<IntakeSettingsView> {
    return view(await loadSettings(this.dataSource.manager));
  }

  /**
   * Changes the given keys, each checked against its range and the sections' consistency (the
   * reminder before the survey window closes; respond ≤ plan ≤ close). Field names in errors are
   * `input.<section>.<key>` (`input.sla.tier1.planHours`). Nothing is written unless all is valid.
   */
  async update(actor: Actor, changes: IntakeSettingsChanges): Promise<IntakeSettingsView> {
    return inTransaction(this.dataSource, async (tx) => {
      const current = await loadSettings(tx);
      const next = structuredClone(current);
      const touched = new Set<keyof Settings>();

      if (changes.survey) {
        Object.assign(next.survey, checked(changes.survey, RANGES.survey, "input.survey"));
        if (next.survey.reminderAfterDays >= next.survey.expiryDays) {
          const field = changes.survey.reminderAfterDays != null ? "reminderAfterDays" : "expiryDays";
          throw badInput(`input.survey.${field}`, "the reminder must come before the survey window closes");
        }
        touched.add("survey");
      }
      if (changes.verification) {
        Object.assign(next.verification, checked(changes.verification, RANGES.verification, "input.verification"));
        touched.add("verification");
      }
      if (changes.sla) {
        for (const [tier, key] of [["tier1", "TIER_1"], ["tier2", "TIER_2"]] as const) {
          const given = changes.sla[tier];
          if (!given) continue;
          const merged = { ...next.sla[key], ...checked(given, RANGES.tier, `input.sla.${tier}`) };
          // Name the field the caller changed, so the form highlights what they typed.
          if (merged.respondMinutes > merged.planHours * 60) {
            const field = given.respondMinutes != null ? "respondMinutes" : "planHours";
            throw badInput(`input.sla.${tier}.${field}`, "the response deadline must not come after the plan deadline");
          }
          if (merged.planHours > merged.closeHours) {
            const field = given.planHours != null ? "planHours" : "closeHours";
            throw badInput(`input.sla.${tier}.${field}`, "the plan deadline must not come after the closing deadline");
          }
          next.sla[key] = merged;
        }
        const escalate = changes.sla.escalateToManagerAfterMinutes;
        if (escalate != null) {
          checkNumber(escalate, RANGES.escalateToManagerAfterMinutes, "input.sla.escalateToManagerAfterMinutes");
          next.sla.escalateToManagerAfterMinutes = escalate;
        }
        touched.add("sla");
      }
      for (const section of touched) await store(tx, section, next[section], actor);
      return view(next);
    });
  }
}

async function store(tx: EntityManager, section: keyof Settings, value: unknown, actor: Actor): Promise<void> {
  await tx.getRepository(Setting).save({ key: section, value, updatedById: actor.id });
}

/** The given (non-null) keys of a section, each within its range. */
function checked<T extends Record<string, number | null | undefined>>(
  values: T,
  ranges: Record<string, Range>,
  prefix: string,
): Record<string, number> {
  const result: Record<string, number> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === null || value === undefined || !(key in ranges)) continue;
    checkNumber(value, ranges[key], `${prefix}.${key}`);
    result[key] = value;
  }
  return result;
}

function checkNumber(value: number, range: Range, field: string): void {
  if (!Number.isFinite(value)) throw badInput(field, "must be a number");
  if (range.integer && !Number.isInteger(value)) throw badInput(field, "must be a whole number");
  const tooLow = range.exclusiveMin ? value <= range.min : value < range.min;
  if (tooLow || value > range.max) {
    const lower = range.exclusiveMin ? "above" : "at least";
    throw badInput(field, `must be ${lower} ${range.min} and at most ${range.max}`);
  }
}

function view(settings: Settings): IntakeSettingsView {
  return {
    survey: settings.survey,
    verification: settings.verification,
    sla: {
      tier1: settings.sla.TIER_1,
      tier2: settings.sla.TIER_2,
      escalateToManagerAfterMinutes: settings.sla.escalateToManagerAfterMinutes,
    },
  };
}
