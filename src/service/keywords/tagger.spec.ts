import { DEFAULT_KEYWORD_TAGS } from "./default-taxonomy";
import { compileTaxonomy, normalizeText, segmentWords, tagText } from "./tagger";

const taxonomy = compileTaxonomy(DEFAULT_KEYWORD_TAGS);
const codesOf = (text: string | null) => tagText(text, taxonomy).map((match) => match.code);

describe("keyword tagger", () => {
  describe("normalisation and segmentation", () => {
    it("folds full width, case and typographic apostrophes", () => {
      expect(normalizeText("  ＬＡＴＥ　ａｇａｉｎ，wasn’t  OK ")).toBe("late again,wasn't ok");
    });

    it("segments Chinese and English in one pass", () => {
      expect(segmentWords("师傅没有迟到")).toEqual(["师傅", "没有", "迟到"]);
      expect(segmentWords("The engineer was late")).toEqual(["the", "engineer", "was", "late"]);
    });

    it("splits an adverb glued to a negation so the negation stands alone", () => {
      expect(segmentWords("修了三次都没修好")).toContain("没");
      expect(segmentWords("一点也不慢")).toEqual(["一点", "也", "不", "慢"]);
    });
  });

  describe("realistic Chinese comments", () => {
    it.each([
      ["客服回复太慢了，等了很久才有人联系我", ["slow_response"]],
      ["工程师迟到1小时未提前告知", ["late_arrival", "no_advance_notice"]],
      ["态度很差，很不耐烦", ["bad_attitude"]],
      ["问题还是没解决，还是坏的", ["unresolved"]],
      ["报修流程太复杂了，手续繁琐", ["complicated_process"]],
      ["配件价格不透明，有乱收费现象", ["opaque_pricing"]],
      ["上门维修响应超时", ["slow_response"]],
      ["电话一直打不通，没人接", ["unreachable"]],
      ["维修后又坏了，修了三次都没修好", ["unresolved"]],
      ["师傅不专业，技术不行", ["unprofessional"]],
      ["说好上午来，结果下午才到，而且收费太贵", ["late_arrival", "opaque_pricing"]],
      ["響應慢，態度差", ["slow_response", "bad_attitude"]],
      ["师傅迟到了两个小时，态度也不好", ["late_arrival", "bad_attitude"]],
      ["客服态度不太好", ["bad_attitude"]],
    ])("%s → %j", (comment, expected) => {
      expect(codesOf(comment).sort()).toEqual([...expected].sort());
    });

    it("tags nothing in praise", () => {
      expect(codesOf("服务很好，响应很快，师傅也很专业，下次还找你们")).toEqual([]);
      expect(codesOf("安装师傅很准时")).toEqual([]);
    });

    it("tags a comment with several problems once per tag", () => {
      expect(codesOf("响应慢，回复慢，等了很久，太慢了")).toEqual(["slow_response"]);
    });
  });

  describe("word boundaries", () => {
    it("does not find a synonym inside a longer word", () => {
      expect(codesOf("The template was updated")).toEqual([]);
      expect(codesOf("chocolate")).toEqual([]);
      expect(codesOf("服务态度差不多，还行")).toEqual([]);
    });

    it("finds an English synonym as a whole word in any case and width", () => {
      expect(codesOf("The engineer was LATE and rude.")).toEqual(["late_arrival", "bad_attitude"]);
      expect(codesOf("ｌａｔｅ again")).toEqual(["late_arrival"]);
      expect(codesOf("They charged a hidden fee")).toEqual(["opaque_pricing"]);
    });

    it("matches multi-word synonyms across spaces and degree adverbs", () => {
      expect(codesOf("Not fixed after two visits")).toEqual(["unresolved"]);
      expect(codesOf("流程非常复杂")).toEqual(["complicated_process"]);
      expect(codesOf("收费太贵")).toEqual(["opaque_pricing"]);
    });

    it("does not treat a polite 麻烦 as a complaint", () => {
      expect(codesOf("麻烦您了，谢谢")).toEqual([]);
      expect(codesOf("真麻烦，跑了好几趟")).toEqual(["complicated_process"]);
    });
  });

  describe("negation", () => {
    it.each([
      "师傅没有迟到，很准时",
      "师傅并没有迟到",
      "从来没有迟到过",
      "师傅不迟到",
      "一点也不慢",
      "响应不太慢",
      "服务很好没有乱收费",
      "Great service, not slow at all",
      "The engineer wasn't late",
      "The engineer wasn’t rude",
      "He was never late",
    ])("does not tag a negated problem: %s", (comment) => {
      expect(codesOf(comment)).toEqual([]);
    });

    it("keeps synonyms that carry their own negation", () => {
      expect(codesOf("未解决")).toEqual(["unresolved"]);
      expect(codesOf("没解决")).toEqual(["unresolved"]);
      expect(codesOf("客服很不耐烦")).toEqual(["bad_attitude"]);
      expect(codesOf("师傅没按时到")).toEqual(["late_arrival"]);
      expect(codesOf("He didn't fix it")).toEqual(["unresolved"]);
    });

    it("does not carry a negation across punctuation", () => {
      expect(codesOf("没有，迟到了一个小时")).toEqual(["late_arrival"]);
    });

    it("still tags a problem named after an unrelated negation", () => {
      expect(codesOf("没想到师傅迟到了")).toEqual(["late_arrival"]);
    });
  });

  describe("taxonomy", () => {
    it("reports the synonym that matched", () => {
      expect(tagText("等了很久", taxonomy)).toEqual([{ code: "slow_response", synonym: "等了很久" }]);
    });

    it("tags with a custom taxonomy, ignoring blank synonyms", () => {
      const custom = compileTaxonomy([
        { code: "noise", synonyms: ["噪音大", " ", "Noisy"] },
        { code: "dirty", synonyms: ["没清理", "弄脏"] },
      ]);
      expect(tagText("安装后噪音很大，地板也弄脏了", custom).map((m) => m.code)).toEqual(["noise", "dirty"]);
      expect(tagText("It is NOISY", custom).map((m) => m.code)).toEqual(["noise"]);
    });

    it("tags nothing for a missing or blank comment", () => {
      expect(codesOf(null)).toEqual([]);
      expect(codesOf("   ")).toEqual([]);
    });
  });
});
