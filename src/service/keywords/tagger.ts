/**
 * Keyword tagging of free-text comments (DESIGN.md step 3: 响应慢, 态度差, 未解决 …). Pure: no I/O,
 * so it can be tested exhaustively and run over an import batch without touching the database.
 *
 * How a comment is matched against a taxonomy of synonyms:
 *
 * 1. **Normalisation** (both comment and synonyms): Unicode NFKC (full-width Ｌａｔｅ → late, full-width
 *    punctuation → ASCII), lower case, typographic apostrophes → ', runs of whitespace collapsed.
 * 2. **Segmentation** with `Intl.Segmenter` (word granularity; ICU's dictionary covers Chinese and
 *    the Latin scripts in one pass). A few ICU tokens that glue an adverb to a negation (都没, 也不,
 *    并没有, 从来没有 …) are split in two so that the negation stands on its own.
 * 3. **Matching on token boundaries**: a synonym matches when the comment's word tokens, read from a
 *    token start, spell the synonym exactly and end on a token end. This is what matching "the
 *    segmented synonym as a contiguous token sequence" means, made independent of how ICU happens
 *    to cut the synonym on its own (it may cut 太慢 differently alone than in 回复太慢了). It keeps
 *    `late` out of `template` and 态度差 out of 态度差不多 (态度|差不多). Degree adverbs (很, 太, 非常,
 *    也, very …) may sit between the tokens of a multi-token synonym: 态度很差 matches 态度差, 流程太复杂
 *    matches 流程复杂, and 噪音很大 (噪音|很大) matches 噪音大.
 * 4. **Negation**: a match directly preceded by a negation (不, 没, 没有, 未, 无, 并没有…, not, no,
 *    never, n't) — possibly with up to two bridging words in between (一点也不慢, not at all slow) —
 *    does not count: 没有迟到 is not 迟到. Synonyms that themselves start with a negation (没解决,
 *    不耐烦, 不透明) are not subject to this rule. Punctuation ends the look-back, so in
 *    "没有，迟到了" the negation belongs to another clause.
 *
 * A tag is reported once per comment, with the first synonym that matched it.
 */

export interface TaxonomyEntry {
  /** Tag code, e.g. slow_response. */
  code: string;
  /** Words and phrases that mean the tag, in any language and width; normalised here. */
  synonyms: readonly string[];
}

export interface TagMatch {
  code: string;
  /** The synonym that matched, normalised. */
  synonym: string;
}

interface Token {
  text: string;
  /** Word-like (letters, digits, ideographs), as opposed to spaces and punctuation. */
  word: boolean;
}

interface CompiledSynonym {
  code: string;
  /** Normalised, with the spaces removed (tokens are concatenated when matching). */
  letters: string;
  display: string;
  startsNegated: boolean;
}

/** A taxonomy prepared for repeated tagging: synonyms indexed by their first character. */
export interface CompiledTaxonomy {
  byFirstChar: Map<string, CompiledSynonym[]>;
}

const segmenter = new Intl.Segmenter("zh", { granularity: "word" });

/**
 * Degree and linking adverbs that may stand between the tokens of a synonym (态度很差 → 态度差,
 * 态度也不好 → 态度不好).
 */
const INTENSIFIERS = new Set([
  "很", "太", "非常", "特别", "十分", "极", "极其", "比较", "有点", "有些", "挺", "好", "真", "真的", "超",
  "超级", "相当", "实在", "过于", "太过", "蛮", "更", "最", "越来越", "也", "都", "还", "又", "就", "真是", "实在是",
  "特別", "極", "極其", "比較", "有點", "實在", "過於", "還",
  "very", "really", "too", "so", "extremely", "quite", "pretty", "super", "terribly", "way",
]);

/** One-character adverbs ICU may glue to the adjective that follows (很大, 太长, 好久). */
const GLUED_INTENSIFIERS = new Set([..."很太好超真挺蛮更最极極"]);

/** Negations that cancel the match that follows them. */
const NEGATIONS = new Set([
  "不", "没", "没有", "未", "无", "别", "非", "毫无", "不是", "不算", "并非", "并未", "并不", "并没有", "从未", "从不",
  "沒", "沒有", "無", "別", "不會", "没什么", "沒什麼", "不会", "不太", "不怎么", "不怎麼",
  "not", "no", "never", "without", "none", "nothing", "hardly", "barely", "cannot",
]);

/** A synonym starting with one of these (没解决, 不耐烦, 未按时) carries its own negation. */
const NEGATION_LEAD_CHARS = new Set([..."不没沒未无無别別"]);

/** Words allowed between a negation and what it negates: 一点也不慢, not at all slow. */
const NEGATION_BRIDGES = new Set([
  "一点", "一点儿", "一點", "也", "都", "并", "並", "太", "很", "那么", "那麼", "怎么", "怎麼", "算", "再", "曾",
  "at", "all", "that", "too", "very", "so", "really", "even", "ever", "once", "been", "be", "as",
]);

/** ICU glues some adverbs to a following negation; split them so the negation is a token. */
const GLUED_NEGATION_SUFFIXES = ["没有", "沒有", "没", "沒", "不", "未"];
const GLUED_NEGATION_PREFIXES = new Set([
  "也", "都", "并", "並", "从", "從", "从来", "從來", "还", "還", "就", "根本", "完全", "一直", "绝", "絕", "再", "又",
]);

/** NFKC, lower case, collapsed whitespace: the form comments and synonyms are compared in. */
export function normalizeText(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\u2018\u2019]/gu, "'")
    .replace(/\s+/gu, " ")
    .trim();
}

/** The word segmentation the tagger matches on (normalised text, glued negations split). */
export function segmentWords(text: string): string[] {
  return tokenize(normalizeText(text))
    .filter((token) => token.word)
    .map((token) => token.text);
}

function tokenize(normalized: string): Token[] {
  const tokens: Token[] = [];
  for (const segment of segmenter.segment(normalized)) {
    const word = segment.isWordLike ?? /[\p{L}\p{N}]/u.test(segment.segment);
    if (word) {
      for (const part of splitGluedNegation(segment.segment)) tokens.push({ text: part, word: true });
    } else {
      tokens.push({ text: segment.segment, word: false });
    }
  }
  return tokens;
}

function splitGluedNegation(text: string): string[] {
  for (const suffix of GLUED_NEGATION_SUFFIXES) {
    if (text.length > suffix.length && text.endsWith(suffix)) {
      const prefix = text.slice(0, -suffix.length);
      if (GLUED_NEGATION_PREFIXES.has(prefix)) return [prefix, suffix];
    }
  }
  return [text];
}

function isNegation(token: string): boolean {
  return NEGATIONS.has(token) || /^[a-z]+n't$/u.test(token);
}

/**
 * Prepares a taxonomy for tagging. Blank synonyms are ignored; a synonym listed under two codes
 * tags both.
 */
export function compileTaxonomy(entries: readonly TaxonomyEntry[]): CompiledTaxonomy {
  const byFirstChar = new Map<string, CompiledSynonym[]>();
  for (const entry of entries) {
    for (const synonym of entry.synonyms) {
      const display = normalizeText(synonym);
      const letters = display.replace(/ /gu, "");
      if (letters.length === 0) continue;
      const compiled: CompiledSynonym = {
        code: entry.code,
        letters,
        display,
        startsNegated: NEGATION_LEAD_CHARS.has([...letters][0]) || isNegation(display.split(" ")[0]),
      };
      const first = [...letters][0];
      const list = byFirstChar.get(first) ?? [];
      list.push(compiled);
      byFirstChar.set(first, list);
    }
  }
  // Longer synonyms first, so the reported synonym is the most specific one.
  for (const list of byFirstChar.values()) list.sort((a, b) => b.letters.length - a.letters.length);
  return { byFirstChar };
}

/**
 * The tags of one comment, in order of first appearance; each code at most once. Null, empty
 * and whitespace-only comments have no tags.
 */
export function tagText(text: string | null | undefined, taxonomy: CompiledTaxonomy): TagMatch[] {
  if (!text || text.trim() === "") return [];
  const tokens = tokenize(normalizeText(text));
  const found = new Map<string, TagMatch>();
  for (let i = 0; i < tokens.length; i++) {
    if (!tokens[i].word) continue;
    const candidates = taxonomy.byFirstChar.get([...tokens[i].text][0]);
    if (!candidates) continue;
    for (const synonym of candidates) {
      if (found.has(synonym.code)) continue;
      if (!matchesAt(tokens, i, synonym.letters)) continue;
      if (!synonym.startsNegated && isNegated(tokens, i)) continue;
      found.set(synonym.code, { code: synonym.code, synonym: synonym.display });
    }
  }
  return [...found.values()];
}

/**
 * Whether the word tokens from `start` spell `letters` exactly, ending on a token end. Spaces
 * between Latin words are skipped; degree adverbs may be skipped between consumed tokens (never
 * before the first one, and never when the adverb itself continues the synonym).
 */
function matchesAt(tokens: Token[], start: number, letters: string): boolean {
  let rest = letters;
  for (let j = start; j < tokens.length && rest.length > 0; j++) {
    const token = tokens[j];
    if (!token.word) {
      if (token.text === " ") continue;
      return false;
    }
    if (rest.startsWith(token.text)) {
      rest = rest.slice(token.text.length);
      continue;
    }
    if (j > start && INTENSIFIERS.has(token.text)) continue;
    // ICU glues some adverbs to the adjective (很大, 太长): skip the adverb, match the rest.
    const glued = j > start && token.text.length > 1 && GLUED_INTENSIFIERS.has(token.text[0]);
    if (glued && rest.startsWith(token.text.slice(1))) {
      rest = rest.slice(token.text.length - 1);
      continue;
    }
    return false;
  }
  return rest.length === 0;
}

/** Whether a negation precedes token `start` within its clause (up to two bridge words between). */
function isNegated(tokens: Token[], start: number): boolean {
  let bridges = 0;
  for (let j = start - 1; j >= 0; j--) {
    const token = tokens[j];
    if (!token.word) {
      if (token.text === " ") continue;
      return false;
    }
    if (isNegation(token.text)) return true;
    if (NEGATION_BRIDGES.has(token.text) && bridges < 2) {
      bridges++;
      continue;
    }
    return false;
  }
  return false;
}
