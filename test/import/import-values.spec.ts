import { DEFAULT_MAPPING, ImportError, parseMapping } from "../../src/import";
import { normaliseHeader, resolveColumns } from "../../src/import/mapping";
import { compileDateFormat, parseDateCell, parseScore, parseTimeZone } from "../../src/import/values";

const formats = DEFAULT_MAPPING.dateFormats.map(compileDateFormat);
const CHINA = 8 * 60;
const at = (text: string) => parseDateCell(text, formats, CHINA)?.toISOString() ?? null;

describe("reading export cells", () => {
  it.each([
    ["2026-03-05 14:23:11", "2026-03-05T06:23:11.000Z"],
    ["2026-03-05 14:23", "2026-03-05T06:23:00.000Z"],
    ["2026-03-05", "2026-03-04T16:00:00.000Z"],
    ["2026/3/5 9:05", "2026-03-05T01:05:00.000Z"],
    ["2026年3月5日 09:05", "2026-03-05T01:05:00.000Z"],
    ["2026-03-05T14:23:11+08:00", "2026-03-05T06:23:11.000Z"],
    ["2026-03-05T06:23:11.250Z", "2026-03-05T06:23:11.250Z"],
    [" 2026-03-05 14:23:11 ", "2026-03-05T06:23:11.000Z"],
  ])("reads %s in China time as %s", (text, iso) => {
    expect(at(text)).toBe(iso);
  });

  it.each(["2026-02-30 10:00", "2026-13-01", "2026-03-05 24:10", "05/03/2026", "昨天", ""])("refuses %p as a date", (text) => {
    expect(at(text)).toBeNull();
  });

  it("reads an Excel date cell (wall-clock time in UTC fields) in the mapping's zone", () => {
    expect(parseDateCell(new Date("2026-03-05T14:23:00Z"), formats, CHINA)?.toISOString()).toBe("2026-03-05T06:23:00.000Z");
    // 46086 is 2026-03-05 as an Excel serial day whose cell lost its date format.
    expect(parseDateCell(46086.5, formats, CHINA)?.toISOString()).toBe("2026-03-05T04:00:00.000Z");
  });

  it("reads scores as digits, digits with 分, or the worded answers", () => {
    const words = DEFAULT_MAPPING.values.score;
    expect([parseScore("5", words), parseScore("3分", words), parseScore("非常满意", words), parseScore("不满意", words)]).toEqual([
      5, 3, 5, 2,
    ]);
    for (const bad of ["7", "0", "4.5", "好", "-1"]) expect(typeof parseScore(bad, words)).toBe("string");
  });

  it("reads UTC offsets and refuses anything else", () => {
    expect([parseTimeZone("+08:00"), parseTimeZone("-0530"), parseTimeZone("Z"), parseTimeZone("Asia/Shanghai")]).toEqual([
      480,
      -330,
      0,
      null,
    ]);
  });
});

describe("mapping files", () => {
  const fails = (json: unknown) => {
    try {
      parseMapping(json, "m.json");
    } catch (error) {
      expect(error).toBeInstanceOf(ImportError);
      return (error as Error).message;
    }
    throw new Error("expected the mapping to be refused");
  };

  it("refuses unknown keys, fields, dimension codes, enum values and date formats, naming the key", () => {
    expect(fails({ colums: {} })).toMatch(/colums/);
    expect(fails({ columns: { 客户: "customerKode" } })).toMatch(/columns\.客户.*customerKode/);
    expect(fails({ scores: { 满意: "Overall Score" } })).toMatch(/scores\.满意/);
    expect(fails({ values: { channel: { 传真: "FAX" } } })).toMatch(/values\.channel\.传真/);
    expect(fails({ values: { score: { 好: 6 } } })).toMatch(/values\.score\.好/);
    expect(fails({ dateFormats: ["DD.MM"] })).toMatch(/dateFormats\.0/);
    expect(fails({ timeZone: "Asia/Shanghai" })).toMatch(/timeZone/);
    expect(fails([])).toMatch(/object/);
  });

  it("replaces columns but adds enum words to the default ones", () => {
    const mapping = parseMapping({ columns: { "Customer No": "customerCode" }, values: { channel: { 传真: "PHONE" } } });
    expect(mapping.columns).toEqual({ "Customer No": "customerCode" });
    expect(mapping.values.channel).toMatchObject({ 短信: "SMS", 传真: "PHONE" });
    expect(mapping.scores).toEqual(DEFAULT_MAPPING.scores);
  });

  it("matches headers that carry a question number, and refuses a file without a required column", () => {
    expect(normaliseHeader("3、服务态度")).toBe("服务态度");
    expect(normaliseHeader("Q12. 总体满意度 ")).toBe("总体满意度");
    const layout = resolveColumns(["客户编号", "提交时间", "渠道", "3、服务态度", "备注"], DEFAULT_MAPPING, "feedback");
    expect(layout.scores).toEqual([{ index: 3, header: "3、服务态度", dimension: "attitude" }]);
    expect(layout.ignored).toEqual(["备注"]);
    expect(() => resolveColumns(["客户编号", "渠道", "服务态度"], DEFAULT_MAPPING, "feedback")).toThrow(/receivedAt \(提交时间/);
    expect(() => resolveColumns(["客户编号", "客户代码", "提交时间", "渠道", "服务态度"], DEFAULT_MAPPING, "feedback")).toThrow(
      /both map to customerCode/,
    );
  });

  it("lets a default stand in for a missing column", () => {
    const mapping = parseMapping({ defaults: { channel: "SMS" } });
    expect(() => resolveColumns(["客户编号", "提交时间", "服务态度"], mapping, "feedback")).not.toThrow();
  });
});
