import { GraphQLError } from "graphql";
import { DataSource, EntityManager, In, SelectQueryBuilder } from "typeorm";
import { Channel, FeedbackSource, TicketType, VerificationStatus } from "../../common/enums";
import { KeywordSegment } from "../../common/feedback-enums";
import { badInput } from "../../common/errors";
import { TransitionErrorCode } from "../../common/error-results";
import { requireText } from "../../common/validation";
import { inTransaction } from "../../db/transaction";
import { Department, Feedback, FeedbackKeyword, KeywordTag } from "../../entity";
import { dateParam, insertSkippingDuplicates, tableOf } from "../../import/sql";
import { findOrFail, reload } from "../common";
import { DEFAULT_KEYWORD_TAGS } from "./default-taxonomy";
import { compileTaxonomy, CompiledTaxonomy, normalizeText, TagMatch, tagText } from "./tagger";

/** Limits of the taxonomy, so a tag stays readable and matching stays cheap. */
export const KEYWORD_LIMITS = { label: 100, synonyms: 100, synonym: 50 } as const;

/** Tag codes: lower-case identifiers, e.g. slow_response. */
export const TAG_CODE = /^[a-z][a-z0-9_]{1,63}$/;

/** Category codes are dimension codes (responsiveness, attitude …). */
export const CATEGORY_CODE = /^[a-z][a-zA-Z0-9_]{0,63}$/;

// ---------------------------------------------------------------------------------------------
// Tagging, used by the intake hooks inside the transaction that records the feedback.
// ---------------------------------------------------------------------------------------------

/**
 * The taxonomy, seeding the default tags (DEFAULT_KEYWORD_TAGS) when it is empty. Seeding is
 * idempotent (INSERT IGNORE on the unique code) and happens once: tags are never deleted, only
 * disabled, so the table is never empty again and the team's edits are never overwritten.
 */
export async function loadTaxonomy(tx: EntityManager): Promise<KeywordTag[]> {
  const repo = tx.getRepository(KeywordTag);
  let tags = await repo.find({ order: { id: "ASC" } });
  if (tags.length === 0) {
    await seedDefaultKeywordTags(tx);
    tags = await repo.find({ order: { id: "ASC" } });
  }
  return tags;
}

/** Inserts the default tags that are missing (by code); existing tags are left as they are. */
export async function seedDefaultKeywordTags(tx: EntityManager): Promise<void> {
  await tx
    .createQueryBuilder()
    .insert()
    .into(KeywordTag)
    .values(DEFAULT_KEYWORD_TAGS.map((tag) => ({ ...tag, synonyms: [...tag.synonyms], enabled: true })))
    .orIgnore()
    .execute();
}

/** The enabled tags, compiled for tagging. */
export function compileEnabled(tags: readonly KeywordTag[]): CompiledTaxonomy {
  return compileTaxonomy(tags.filter((tag) => tag.enabled));
}

export interface FeedbackTags {
  feedbackId: number;
  receivedAt: Date;
  matches: TagMatch[];
}

/** Tags comments with a compiled taxonomy (pure; the caller stores the result). */
export function tagComments(
  rows: readonly { id: number; comment: string | null; receivedAt: Date }[],
  taxonomy: CompiledTaxonomy,
): FeedbackTags[] {
  return rows.map((row) => ({
    feedbackId: row.id,
    receivedAt: row.receivedAt,
    matches: tagText(row.comment, taxonomy),
  }));
}

/**
 * Stores keyword tags with multi-row INSERTs; tags stored already are kept (a retry is harmless).
 * Plain SQL rather than the query builder: the import hook stores a whole batch's tags at once,
 * and the query builder's per-value parameter handling cost more CPU than the database's work.
 */
export async function storeKeywordTags(tx: EntityManager, tagged: readonly FeedbackTags[]): Promise<void> {
  const receivedAt = dateParam(tx, FeedbackKeyword, "receivedAt");
  await insertSkippingDuplicates(
    tx,
    tableOf(tx, FeedbackKeyword),
    ["feedbackId", "tagCode", "synonym", "receivedAt"],
    tagged.flatMap((row) =>
      row.matches.map((match) => [
        row.feedbackId,
        match.code,
        [...match.synonym].slice(0, 100).join(""),
        receivedAt(row.receivedAt),
      ]),
    ),
    "feedbackId",
  );
}

/** Re-tags one feedback whose comment changed (supplemented after a call-back). */
export async function retagFeedback(
  tx: EntityManager,
  feedback: Pick<Feedback, "id" | "comment" | "receivedAt">,
  tags: readonly KeywordTag[],
): Promise<TagMatch[]> {
  await tx.getRepository(FeedbackKeyword).delete({ feedbackId: feedback.id });
  const [tagged] = tagComments([feedback], compileEnabled(tags));
  await storeKeywordTags(tx, [tagged]);
  return tagged.matches;
}

// ---------------------------------------------------------------------------------------------
// Taxonomy administration and counts.
// ---------------------------------------------------------------------------------------------

export interface NewKeywordTag {
  code: string;
  labelZh: string;
  labelEn: string;
  synonyms: string[];
  category?: string | null;
  complaint?: boolean | null;
  enabled?: boolean | null;
}

/** Changes to a tag: undefined keeps a field; a null category clears it, other nulls keep the field. */
export interface KeywordTagChanges {
  labelZh?: string | null;
  labelEn?: string | null;
  synonyms?: string[] | null;
  category?: string | null;
  complaint?: boolean | null;
  enabled?: boolean | null;
}

export interface KeywordCountQuery {
  from: Date;
  to: Date;
  segment: KeywordSegment;
  /** Only these tags (any tag when null or empty). */
  tagCodes?: string[] | null;
}

export interface KeywordTagCount {
  tagCode: string;
  count: number;
  /** count / feedbackCount of the segment, 0 when the segment has no feedback. */
  share: number;
}

export interface KeywordSegmentCounts {
  /** The segment value (region, ticket type, department id, channel, source, NEW/RETURNING); null: unknown. */
  key: string | null;
  label: string;
  /** Valid (not INVALID) feedback received in the period in this segment, tagged or not. */
  feedbackCount: number;
  tags: KeywordTagCount[];
}

export interface KeywordCountReport {
  from: Date;
  to: Date;
  segment: KeywordSegment;
  segments: KeywordSegmentCounts[];
}

const SEGMENT_LABELS: Partial<Record<KeywordSegment, Record<string, string>>> = {
  [KeywordSegment.TICKET_TYPE]: {
    [TicketType.REPAIR]: "维修",
    [TicketType.INSTALLATION]: "安装",
    [TicketType.CONSULTATION]: "咨询",
    [TicketType.COMPLAINT]: "投诉处理",
    [TicketType.REVISIT]: "回访",
  },
  [KeywordSegment.CHANNEL]: {
    [Channel.SMS]: "短信",
    [Channel.EMAIL]: "邮件",
    [Channel.PHONE]: "电话",
    [Channel.VISIT]: "上门",
    [Channel.APP]: "APP",
    [Channel.WEB]: "网页",
  },
  [KeywordSegment.SOURCE]: {
    [FeedbackSource.SURVEY]: "问卷",
    [FeedbackSource.CALLBACK]: "回访",
    [FeedbackSource.COMPLAINT]: "投诉",
    [FeedbackSource.IMPORT]: "导入",
  },
  [KeywordSegment.CUSTOMER_TYPE]: { NEW: "新客户", RETURNING: "老客户" },
};

/** The configurable keyword taxonomy and the keyword statistics of comments. */
export class KeywordService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Seeds the default taxonomy into an empty one; run at server start so the reference data exists
   * before the first request. Recording and importing feedback seed lazily too (loadTaxonomy), so
   * a CLI import against a fresh database works without a server having run.
   */
  async ensureTaxonomy(): Promise<void> {
    await inTransaction(this.dataSource, (tx) => loadTaxonomy(tx));
  }

  /** The taxonomy (seeded with the defaults on first use), enabled tags first, then by id. */
  async listTags(includeDisabled: boolean): Promise<KeywordTag[]> {
    const tags = await inTransaction(this.dataSource, (tx) => loadTaxonomy(tx));
    return tags
      .filter((tag) => includeDisabled || tag.enabled)
      .sort((a, b) => Number(b.enabled) - Number(a.enabled) || a.id - b.id);
  }

  /**
   * Adds a tag. New tags apply to feedback recorded from now on; past comments keep the tags they
   * were given, so the counts of a closed period do not move.
   */
  async createTag(input: NewKeywordTag): Promise<KeywordTag> {
    const code = input.code.trim();
    if (!TAG_CODE.test(code)) throw badInput("input.code", "must be a lower-case code like slow_response");
    const values = validateTagFields({ ...input, category: input.category ?? null }, "input.");
    return inTransaction(this.dataSource, async (tx) => {
      await loadTaxonomy(tx);
      if (await tx.getRepository(KeywordTag).existsBy({ code })) {
        throw badInput("input.code", `a keyword tag ${code} exists already`);
      }
      const saved = await tx.getRepository(KeywordTag).save(
        tx.getRepository(KeywordTag).create({
          code,
          ...values,
          category: values.category ?? null,
          complaint: input.complaint ?? false,
          enabled: input.enabled ?? true,
        }),
      );
      return reload(tx, KeywordTag, saved.id);
    });
  }

  /** Changes labels, synonyms, category, complaint flag or enabled; the code is fixed. */
  async updateTag(id: number, changes: KeywordTagChanges, expectedVersion: number | null): Promise<KeywordTag> {
    const values = validateTagFields(changes, "input.");
    return inTransaction(this.dataSource, async (tx) => {
      const row = await findOrFail(tx, KeywordTag, id, "KeywordTag");
      if (expectedVersion != null && expectedVersion !== row.version) {
        const detail = `expected version ${expectedVersion}, but it is at version ${row.version}`;
        throw versionConflict("KeywordTag", id, detail);
      }
      const set: Record<string, unknown> = { ...values };
      if (changes.complaint != null) set.complaint = changes.complaint;
      if (changes.enabled != null) set.enabled = changes.enabled;
      const result = await tx
        .createQueryBuilder()
        .update(KeywordTag)
        .set({ ...set, version: () => "version + 1" })
        .where("id = :id AND version = :version", { id, version: row.version })
        .execute();
      if (result.affected !== 1) throw versionConflict("KeywordTag", id, "another change committed first");
      return reload(tx, KeywordTag, id);
    });
  }

  /**
   * How often each keyword tag was found in the comments of feedback received in [from, to),
   * per segment, leaving out feedback marked INVALID. Each segment also carries the number of
   * valid feedback in it, so shares compare segments of different sizes.
   */
  async counts(query: KeywordCountQuery): Promise<KeywordCountReport> {
    if (query.to.getTime() <= query.from.getTime()) throw badInput("to", "must be after from");
    const tagCodes = query.tagCodes?.length ? [...new Set(query.tagCodes)] : null;
    const manager = this.dataSource.manager;

    const tagged = manager
      .getRepository(FeedbackKeyword)
      .createQueryBuilder("k")
      .innerJoin(Feedback, "f", "f.id = k.feedbackId")
      .select("k.tagCode", "tagCode")
      .addSelect("COUNT(*)", "count")
      .where("k.receivedAt >= :from AND k.receivedAt < :to", { from: query.from, to: query.to })
      .andWhere("f.verificationStatus <> :invalid", { invalid: VerificationStatus.INVALID })
      .groupBy("k.tagCode");
    if (tagCodes) tagged.andWhere("k.tagCode IN (:...tagCodes)", { tagCodes });
    addSegment(tagged, query.segment);

    const totals = manager
      .getRepository(Feedback)
      .createQueryBuilder("f")
      .select("COUNT(*)", "count")
      .where("f.receivedAt >= :from AND f.receivedAt < :to", { from: query.from, to: query.to })
      .andWhere("f.verificationStatus <> :invalid", { invalid: VerificationStatus.INVALID });
    addSegment(totals, query.segment);

    const tagRows = await tagged.getRawMany<{ tagCode: string; segmentKey: unknown; count: unknown }>();
    const totalRows = await totals.getRawMany<{ segmentKey: unknown; count: unknown }>();

    const segments = new Map<string | null, KeywordSegmentCounts>();
    const segmentOf = (raw: unknown) => {
      const key = raw === null || raw === undefined ? null : String(raw);
      let segment = segments.get(key);
      if (!segment) {
        segment = { key, label: "", feedbackCount: 0, tags: [] };
        segments.set(key, segment);
      }
      return segment;
    };
    for (const row of totalRows) segmentOf(row.segmentKey).feedbackCount = Number(row.count);
    for (const row of tagRows) {
      segmentOf(row.segmentKey).tags.push({ tagCode: row.tagCode, count: Number(row.count), share: 0 });
    }
    await this.labelSegments(query.segment, [...segments.values()]);
    for (const segment of segments.values()) {
      for (const tag of segment.tags) {
        const share = segment.feedbackCount > 0 ? tag.count / segment.feedbackCount : 0;
        tag.share = Math.round(share * 10_000) / 10_000;
      }
      segment.tags.sort((a, b) => b.count - a.count || a.tagCode.localeCompare(b.tagCode));
    }
    const ordered = [...segments.values()].sort(
      (a, b) => b.feedbackCount - a.feedbackCount || (a.key ?? "\uffff").localeCompare(b.key ?? "\uffff"),
    );
    return { from: query.from, to: query.to, segment: query.segment, segments: ordered };
  }

  private async labelSegments(segment: KeywordSegment, segments: KeywordSegmentCounts[]): Promise<void> {
    const names = new Map<string, string>();
    if (segment === KeywordSegment.DEPARTMENT) {
      const ids = segments.map((s) => Number(s.key)).filter((id) => Number.isInteger(id) && id > 0);
      if (ids.length > 0) {
        const departments = await this.dataSource.getRepository(Department).findBy({ id: In(ids) });
        for (const department of departments) names.set(String(department.id), department.name);
      }
    }
    const labels = SEGMENT_LABELS[segment] ?? {};
    for (const s of segments) {
      if (segment === KeywordSegment.NONE) s.label = "全部";
      else if (s.key === null) s.label = "未知";
      else s.label = names.get(s.key) ?? labels[s.key] ?? s.key;
    }
  }
}

/**
 * Adds the segment key (selected as segmentKey and grouped by) to a query over feedback `f`.
 * Region, ticket type, department and new/returning come from the segment snapshot the feedback
 * took when it was recorded (see snapshotSegments in analytics/rollups.ts), so these counts
 * segment feedback exactly as the satisfaction analytics do.
 */
function addSegment<T extends object>(query: SelectQueryBuilder<T>, segment: KeywordSegment): void {
  const expression = SEGMENT_EXPRESSIONS[segment];
  query.addSelect(expression, "segmentKey");
  if (segment !== KeywordSegment.NONE) query.addGroupBy("segmentKey");
}

const SEGMENT_EXPRESSIONS: Record<KeywordSegment, string> = {
  [KeywordSegment.NONE]: "NULL",
  [KeywordSegment.REGION]: "f.segmentRegion",
  [KeywordSegment.TICKET_TYPE]: "f.segmentServiceType",
  [KeywordSegment.DEPARTMENT]: "f.segmentDepartmentId",
  [KeywordSegment.CHANNEL]: "f.channel",
  [KeywordSegment.SOURCE]: "f.source",
  [KeywordSegment.CUSTOMER_TYPE]: "f.segmentCustomerType",
};

/** Checks the editable fields of a tag; returns them normalised (only those given). */
function validateTagFields(
  input: KeywordTagChanges,
  prefix: string,
): { labelZh?: string; labelEn?: string; synonyms?: string[]; category?: string | null } {
  const values: { labelZh?: string; labelEn?: string; synonyms?: string[]; category?: string | null } = {};
  const { label } = KEYWORD_LIMITS;
  if (input.labelZh != null) values.labelZh = requireText(input.labelZh, `${prefix}labelZh`, label);
  if (input.labelEn != null) values.labelEn = requireText(input.labelEn, `${prefix}labelEn`, label);
  if (input.synonyms != null) {
    if (input.synonyms.length === 0) throw badInput(`${prefix}synonyms`, "must list at least one synonym");
    if (input.synonyms.length > KEYWORD_LIMITS.synonyms) {
      throw badInput(`${prefix}synonyms`, `at most ${KEYWORD_LIMITS.synonyms} synonyms`);
    }
    const seen = new Map<string, number>();
    values.synonyms = input.synonyms.map((synonym, i) => {
      const text = requireText(synonym, `${prefix}synonyms.${i}`, KEYWORD_LIMITS.synonym);
      const normal = normalizeText(text).replace(/ /gu, "");
      if (seen.has(normal)) {
        throw badInput(`${prefix}synonyms.${i}`, `repeats synonym ${seen.get(normal)} (after normalisation)`);
      }
      seen.set(normal, i);
      return text;
    });
  }
  if (input.category !== undefined) {
    const category = input.category === null ? null : input.category.trim() || null;
    if (category !== null && !CATEGORY_CODE.test(category)) {
      throw badInput(`${prefix}category`, "must be a dimension code like responsiveness");
    }
    values.category = category;
  }
  return values;
}

function versionConflict(entity: string, id: number, detail: string): GraphQLError {
  return new GraphQLError(`${entity} ${id}: ${detail}; reload and retry`, {
    extensions: { code: TransitionErrorCode.VERSION_CONFLICT, entity, id: String(id) },
  });
}
