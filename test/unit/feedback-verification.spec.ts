import { FeedbackSource } from "../../src/common/enums";
import { FeedbackFlagReason, RuleConditionMatch } from "../../src/common/feedback-enums";
import {
  FlagFacts,
  flagsFor,
  overallRating,
  sampleDraw,
  sampledForCallBack,
} from "../../src/service/feedback-verification";
import { ruleMatches } from "../../src/service/intake-rule.service";
import { DEFAULT_SETTINGS } from "../../src/service/settings";

const HOUR = 3_600_000;
const opened = new Date("2026-10-01T02:00:00.000Z");
const settings = { ...DEFAULT_SETTINGS.verification, extremeSampleRate: 0 };

function facts(overrides: Partial<FlagFacts> = {}): FlagFacts {
  return {
    feedbackId: 1,
    source: FeedbackSource.SURVEY,
    comment: "还行",
    scores: [{ dimension: "overall", score: 3 }],
    tagCodes: [],
    slowResponseTags: new Map([
      ["slow_response", "响应慢"],
      ["late_arrival", "迟到"],
    ]),
    ticket: null,
    ...overrides,
  };
}

const reasons = (f: FlagFacts, s = settings) => flagsFor(f, s).map((flag) => flag.reason);
const ticketAnsweredAfter = (hours: number) => ({
  code: "WX-1",
  openedAt: opened,
  firstResponseAt: new Date(opened.getTime() + hours * HOUR),
});

describe("overall rating and call-back sampling", () => {
  it("takes the overall score when given, else the mean", () => {
    expect(overallRating([{ dimension: "overall", score: 5 }, { dimension: "attitude", score: 1 }])).toBe(5);
    expect(overallRating([{ dimension: "attitude", score: 5 }, { dimension: "resolution", score: 4 }])).toBe(4.5);
    expect(overallRating([])).toBeNull();
  });

  it("draws the same sample for the same feedback every time", () => {
    expect(sampleDraw(42)).toBe(sampleDraw(42));
    expect(sampleDraw(42)).not.toBe(sampleDraw(43));
  });

  it("samples nothing at rate 0, everything at rate 1 and about the rate in between", () => {
    const ids = Array.from({ length: 5000 }, (_, i) => i + 1);
    expect(ids.filter((id) => sampledForCallBack(id, 0))).toEqual([]);
    expect(ids.filter((id) => sampledForCallBack(id, 1))).toHaveLength(ids.length);
    const share = ids.filter((id) => sampledForCallBack(id, 0.2)).length / ids.length;
    expect(share).toBeGreaterThan(0.17);
    expect(share).toBeLessThan(0.23);
  });
});

describe("verification flags", () => {
  it("flags uniformly extreme ratings only when sampled", () => {
    const extreme = facts({ scores: [{ dimension: "attitude", score: 5 }, { dimension: "resolution", score: 5 }] });
    expect(reasons(extreme, { ...settings, extremeSampleRate: 1 })).toEqual([FeedbackFlagReason.EXTREME_SAMPLED]);
    expect(reasons(extreme, { ...settings, extremeSampleRate: 0 })).toEqual([]);
    const mixed = facts({ scores: [{ dimension: "attitude", score: 5 }, { dimension: "resolution", score: 4 }] });
    expect(reasons(mixed, { ...settings, extremeSampleRate: 1 })).toEqual([]);
  });

  it("flags a low score without a comment, not with one, and never a complaint", () => {
    const low = { scores: [{ dimension: "resolution", score: 2 }, { dimension: "overall", score: 3 }] };
    expect(reasons(facts({ ...low, comment: null }))).toEqual([FeedbackFlagReason.LOW_SCORE_NO_COMMENT]);
    expect(reasons(facts({ ...low, comment: "  " }))).toEqual([FeedbackFlagReason.LOW_SCORE_NO_COMMENT]);
    expect(reasons(facts({ ...low, comment: "没修好" }))).toEqual([]);
    expect(reasons(facts({ ...low, comment: null, source: FeedbackSource.COMPLAINT }))).toEqual([]);
    expect(reasons(facts({ scores: [{ dimension: "resolution", score: 3 }], comment: null }))).toEqual([]);
  });

  it("flags a customer who says the response was slow when the ticket was answered in time", () => {
    const onTime = ticketAnsweredAfter(0.5);
    expect(reasons(facts({ scores: [{ dimension: "responsiveness", score: 1 }], ticket: onTime }))).toEqual([
      FeedbackFlagReason.TICKET_MISMATCH,
    ]);
    const byKeyword = flagsFor(
      facts({ scores: [{ dimension: "responsiveness", score: 4 }], tagCodes: ["slow_response"], ticket: onTime }),
      settings,
    );
    expect(byKeyword.map((flag) => flag.reason)).toEqual([FeedbackFlagReason.TICKET_MISMATCH]);
    expect(byKeyword[0].detail).toContain("响应慢");
    expect(byKeyword[0].detail).toContain("0.5 小时");
  });

  it("flags a customer who rates responsiveness high when the ticket was answered late", () => {
    const late = ticketAnsweredAfter(9);
    expect(reasons(facts({ scores: [{ dimension: "responsiveness", score: 4 }], ticket: late }))).toEqual([
      FeedbackFlagReason.TICKET_MISMATCH,
    ]);
  });

  it("does not flag accounts that agree with the ticket or cannot be checked", () => {
    const late = ticketAnsweredAfter(9);
    const onTime = ticketAnsweredAfter(4);
    expect(reasons(facts({ scores: [{ dimension: "responsiveness", score: 1 }], ticket: late }))).toEqual([]);
    expect(reasons(facts({ scores: [{ dimension: "responsiveness", score: 5 }], ticket: onTime }))).toEqual([]);
    expect(reasons(facts({ scores: [{ dimension: "responsiveness", score: 3 }], ticket: late }))).toEqual([]);
    const unanswered = { code: "WX-2", openedAt: opened, firstResponseAt: null };
    expect(reasons(facts({ scores: [{ dimension: "responsiveness", score: 1 }], ticket: unanswered }))).toEqual([]);
  });
});

describe("intake rule conditions", () => {
  const rule = {
    conditionMatch: RuleConditionMatch.ALL,
    overallAtMost: null as number | null,
    anyDimensionAtMost: null as number | null,
    keywordTags: [] as string[],
    complaintKeyword: false,
  };
  const feedback = (scores: { dimension: string; score: number }[], tags: string[] = [], complaintTagged = false) => ({
    scores,
    tagCodes: new Set(tags),
    complaintTagged,
  });

  it("matches overall ≤ N on the overall score, else the mean", () => {
    const r = { ...rule, overallAtMost: 2 };
    expect(ruleMatches(r, feedback([{ dimension: "overall", score: 2 }, { dimension: "attitude", score: 5 }]))).toBe(true);
    expect(ruleMatches(r, feedback([{ dimension: "attitude", score: 1 }, { dimension: "resolution", score: 4 }]))).toBe(false);
  });

  it("matches any dimension ≤ N", () => {
    const r = { ...rule, anyDimensionAtMost: 1 };
    expect(ruleMatches(r, feedback([{ dimension: "attitude", score: 1 }, { dimension: "overall", score: 4 }]))).toBe(true);
    expect(ruleMatches(r, feedback([{ dimension: "attitude", score: 2 }]))).toBe(false);
  });

  it("combines set conditions with ALL or ANY and ignores unset ones", () => {
    const both = { ...rule, anyDimensionAtMost: 2, keywordTags: ["bad_attitude"] };
    const lowOnly = feedback([{ dimension: "attitude", score: 2 }]);
    const lowAndTagged = feedback([{ dimension: "attitude", score: 2 }], ["bad_attitude"]);
    expect(ruleMatches(both, lowOnly)).toBe(false);
    expect(ruleMatches(both, lowAndTagged)).toBe(true);
    expect(ruleMatches({ ...both, conditionMatch: RuleConditionMatch.ANY }, lowOnly)).toBe(true);
    expect(ruleMatches({ ...rule, complaintKeyword: true }, feedback([{ dimension: "overall", score: 5 }], ["x"], true))).toBe(true);
  });

  it("never matches a rule without conditions", () => {
    expect(ruleMatches(rule, feedback([{ dimension: "overall", score: 1 }]))).toBe(false);
  });
});
