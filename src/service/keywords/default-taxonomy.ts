/**
 * The problem keywords a quality team starts with (DESIGN.md step 3 and the seeds: 响应慢, 态度差,
 * 未解决, 流程复杂, 迟到, 价格不透明, "工程师迟到1小时未提前告知", "未一次性告知配件价格"). Seeded
 * once into an empty taxonomy; afterwards the team edits them through the API.
 *
 * Synonyms are matched on word boundaries with degree adverbs allowed in between and a preceding
 * negation cancelling the match (see tagger.ts), so 态度差 also finds 态度很差 but not 态度差不多,
 * and 迟到 does not fire on 没有迟到. Bare words that are mostly polite or neutral (麻烦您了, 我不懂)
 * are deliberately not synonyms. A few Traditional-Chinese forms are listed for customers who
 * write them.
 */
export interface DefaultKeywordTag {
  code: string;
  labelZh: string;
  labelEn: string;
  /** The survey dimension the keyword speaks about. */
  category: string;
  /** Whether the keyword signals a complaint (intake rules may open one on it). */
  complaint: boolean;
  synonyms: string[];
}

export const DEFAULT_KEYWORD_TAGS: readonly DefaultKeywordTag[] = [
  {
    code: "slow_response",
    labelZh: "响应慢",
    labelEn: "Slow response",
    category: "responsiveness",
    complaint: false,
    synonyms: [
      "响应慢", "回复慢", "反应慢", "处理慢", "等了很久", "等很久", "等了好久", "等好久", "等太久", "等了半天",
      "等了几天", "太慢", "很慢", "响应超时", "超时", "响应不及时", "回复不及时", "不及时", "没人回复", "拖了很久",
      "拖拖拉拉", "效率低", "等待时间太长", "響應慢", "回覆慢",
      "slow response", "slow to respond", "slow", "slowly", "took forever", "took too long", "waited too long",
      "waited for hours", "waited for days", "long wait", "no response", "no reply", "delayed response", "late reply",
    ],
  },
  {
    code: "late_arrival",
    labelZh: "迟到",
    labelEn: "Late arrival",
    category: "responsiveness",
    complaint: false,
    synonyms: [
      "迟到", "没按时", "没有按时", "未按时", "不准时", "晚到", "来晚了", "才到", "爽约", "放鸽子", "遲到",
      "late", "arrived late", "came late", "no-show", "didn't show up", "missed the appointment",
    ],
  },
  {
    code: "bad_attitude",
    labelZh: "态度差",
    labelEn: "Bad attitude",
    category: "attitude",
    complaint: true,
    synonyms: [
      "态度差", "态度不好", "态度不太好", "态度不是很好", "态度恶劣", "不耐烦", "爱答不理", "爱理不理", "不礼貌", "没礼貌", "冷漠", "敷衍",
      "敷衍了事", "推诿", "踢皮球", "骂人", "甩脸色", "態度差", "態度不好", "態度惡劣",
      "rude", "impolite", "bad attitude", "unfriendly", "impatient", "dismissive",
    ],
  },
  {
    code: "unresolved",
    labelZh: "未解决",
    labelEn: "Not resolved",
    category: "resolution",
    complaint: true,
    synonyms: [
      "未解决", "没解决", "没有解决", "没能解决", "解决不了", "还是坏", "还是不行", "又坏了", "没修好", "修不好",
      "问题依旧", "反复维修", "返修", "修了好几次", "未解決", "沒解決",
      "not fixed", "not resolved", "unresolved", "still broken", "still not working", "broke again", "didn't fix",
    ],
  },
  {
    code: "complicated_process",
    labelZh: "流程复杂",
    labelEn: "Complicated process",
    category: "compliance",
    complaint: false,
    synonyms: [
      "流程复杂", "流程繁琐", "手续繁琐", "手续复杂", "繁琐", "太麻烦", "很麻烦", "真麻烦", "好麻烦", "非常麻烦",
      "麻烦死了", "跑了好几趟", "来回跑", "审批慢", "流程複雜", "手續繁瑣",
      "complicated process", "too complicated", "bureaucratic", "too much paperwork", "red tape", "cumbersome",
    ],
  },
  {
    code: "opaque_pricing",
    labelZh: "价格不透明",
    labelEn: "Opaque pricing",
    category: "compliance",
    complaint: true,
    synonyms: [
      "价格不透明", "收费不透明", "乱收费", "多收费", "收费不合理", "收费贵", "太贵", "额外收费", "临时加价",
      "未告知价格", "没有告知价格", "未一次性告知", "没有收据", "價格不透明", "亂收費",
      "hidden fee", "hidden fees", "hidden charge", "hidden charges", "overcharged", "overcharge", "too expensive",
      "unexpected charge", "extra charge",
    ],
  },
  {
    code: "unprofessional",
    labelZh: "不专业",
    labelEn: "Unprofessional",
    category: "resolution",
    complaint: false,
    synonyms: [
      "不专业", "不够专业", "技术不行", "技术差", "水平差", "一问三不知", "不熟练", "操作不规范", "没穿工服",
      "不專業", "unprofessional", "incompetent", "inexperienced",
    ],
  },
  {
    code: "unreachable",
    labelZh: "联系不上",
    labelEn: "Hard to reach",
    category: "responsiveness",
    complaint: false,
    synonyms: [
      "联系不上", "打不通", "没人接", "无人接听", "找不到人", "没人管", "转来转去", "聯繫不上",
      "couldn't reach", "could not reach", "can't reach", "nobody answered", "no one answered", "nobody picked up",
    ],
  },
  {
    code: "no_advance_notice",
    labelZh: "未提前告知",
    labelEn: "No advance notice",
    category: "compliance",
    complaint: false,
    synonyms: [
      "未提前告知", "没有提前告知", "没提前告知", "没提前通知", "没有提前通知", "未提前通知", "没打招呼", "没通知",
      "临时改时间", "without notice", "no notice", "didn't inform", "not informed",
    ],
  },
];
