import { CauseCategory, MetricDirection, Quadrant } from "../../src/common/enums";
import {
  beforeAfterChart,
  distributionChart,
  fishboneChart,
  lineTrendChart,
  paretoChart,
  paretoRows,
  progressBarsChart,
  quadrantMatrixChart,
} from "../../src/report/charts";
import { fitText, niceCeil, textWidth } from "../../src/report/charts/svg";
import { messagesFor } from "../../src/report/i18n";
import { parseMarkup, select, textOf, texts, within } from "./markup";

const zh = messagesFor("zh-CN");
const HOSTILE = `<script>alert("x")</script> & 'q'`;

/** The y coordinate a value gets on a linear axis from `bottom` (at min) to `top` (at max). */
function yOf(value: number, min: number, max: number, bottom: number, top: number): number {
  return bottom - ((value - min) / (max - min)) * (bottom - top);
}

describe("chart helpers", () => {
  it("rounds axis maxima up to 1, 2, 2.5 or 5 times a power of ten", () => {
    expect([0, 0.7, 1, 3, 4, 5.1, 23, 240, 1001].map(niceCeil)).toEqual([1, 1, 1, 5, 5, 10, 25, 250, 2000]);
  });

  it("counts Chinese characters as wide when fitting labels", () => {
    expect(textWidth("响应慢", 10)).toBe(30);
    expect(textWidth("abc", 10)).toBeCloseTo(17.4);
    expect(fitText("核心客户报修响应超过四小时", 10, 50)).toBe("核心客户…");
    expect(fitText("short", 10, 100)).toBe("short");
  });
});

describe("line trend chart", () => {
  const months = ["2025-11", "2025-12", "2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"];
  const dimensions = ["响应及时性", "解决能力", "服务态度", "流程合规", "总体满意度"];
  // Dimension d in month m scores 3 + d × 0.25 + m × 0.05, except 服务态度 in 2026-03 (no answers).
  const series = dimensions.map((name, d) => ({
    name,
    values: months.map((_, m) => (d === 2 && m === 4 ? null : 3 + d * 0.25 + m * 0.05)),
  }));
  const svg = lineTrendChart({ title: "趋势", periods: months, series, yMin: 1, yMax: 5, emptyMessage: zh.noData });
  const elements = parseMarkup(svg);

  it("draws one point per month and dimension with data, at its value", () => {
    const points = select(elements, "circle", { class: "point" });
    expect(points).toHaveLength(12 * 5 - 1);
    // Plot from y 256 (value 1) up to y 36 (value 5): 3.75 + 0.25 (d=3, m=5) = 4.0 → 256 − 3/4 × 220 = 91.
    const point = select(elements, "circle", { "data-series": "流程合规", "data-period": "2026-04" })[0];
    expect(point.attributes["data-value"]).toBe("4.00");
    expect(Number(point.attributes.cy)).toBeCloseTo(yOf(4, 1, 5, 256, 36), 1);
    // Months are evenly spaced from x 48 to x 590 (11 gaps of 49.27).
    expect(Number(point.attributes.cx)).toBeCloseTo(48 + 5 * (542 / 11), 1);
  });

  it("breaks a line where a month has no data", () => {
    const attitude = select(elements, "g", { class: "series", "data-series": "服务态度" })[0];
    expect(select(within(elements, attitude), "polyline")).toHaveLength(2);
    const responsiveness = select(elements, "g", { class: "series", "data-series": "响应及时性" })[0];
    const lines = select(within(elements, responsiveness), "polyline");
    expect(lines).toHaveLength(1);
    expect(lines[0].attributes.points.split(" ")).toHaveLength(12);
  });

  it("labels all twelve months and every dimension in the legend", () => {
    expect(select(elements, "text", { class: "x-label" }).map(textOf)).toEqual(months);
    expect(select(elements, "text", { class: "legend" }).map(textOf)).toEqual(dimensions);
  });

  it("escapes series names and titles", () => {
    const hostile = lineTrendChart({
      title: HOSTILE,
      periods: ["2026-10"],
      series: [{ name: HOSTILE, values: [4] }],
      yMin: 1,
      yMax: 5,
      emptyMessage: "",
    });
    expect(hostile).not.toContain("<script>");
    const parsed = parseMarkup(hostile);
    expect(select(parsed, "text", { class: "legend" }).map(textOf)).toEqual([HOSTILE]);
    expect(select(parsed, "svg")[0].attributes["aria-label"]).toBe(
      "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;",
    );
  });

  it("says so instead of drawing when no month has data", () => {
    const empty = parseMarkup(
      lineTrendChart({ title: "趋势", periods: months, series: [{ name: "a", values: months.map(() => null) }], yMin: 1, yMax: 5, emptyMessage: zh.noData }),
    );
    expect(select(empty, "circle")).toHaveLength(0);
    expect(select(empty, "text", { class: "empty" }).map(textOf)).toEqual(["本期无数据"]);
  });
});

describe("distribution chart", () => {
  // Counts of scores 1..5: 1, 0, 2, 3, 4 → total 10, shares 10 %, 0 %, 20 %, 30 %, 40 %.
  const svg = distributionChart({
    title: "评分分布",
    categories: ["1分", "2分", "3分", "4分", "5分"],
    series: [{ name: "总体满意度", counts: [1, 0, 2, 3, 4] }],
    emptyMessage: zh.noData,
  });
  const elements = parseMarkup(svg);

  it("places each count with its share", () => {
    const bars = select(elements, "g", { class: "bar" });
    expect(bars.map((bar) => [bar.attributes["data-category"], bar.attributes["data-count"], bar.attributes["data-share"]])).toEqual([
      ["1分", "1", "10.0"],
      ["2分", "0", "0.0"],
      ["3分", "2", "20.0"],
      ["4分", "3", "30.0"],
      ["5分", "4", "40.0"],
    ]);
    expect(texts(within(elements, bars[4]))).toEqual(["4 (40.0%)"]);
  });

  it("scales bar heights to a nice axis maximum", () => {
    // Max count 4 → axis 0..5; plot from y 240 down to y 50 (190 px): 4 → 152 px, 2 → 76 px.
    const heights = select(elements, "rect").map((rect) => Number(rect.attributes.height));
    expect(heights).toEqual([38, 0, 76, 114, 152]);
  });

  it("groups several series side by side with a legend", () => {
    const grouped = parseMarkup(
      distributionChart({
        title: "t",
        categories: ["1", "2"],
        series: [
          { name: "A<", counts: [1, 2] },
          { name: "B", counts: [3, 0] },
        ],
        emptyMessage: "",
      }),
    );
    expect(select(grouped, "g", { class: "bar" })).toHaveLength(4);
    expect(select(grouped, "text", { class: "legend" }).map(textOf)).toEqual(["A<", "B"]);
  });
});

describe("pareto chart", () => {
  it("sorts by count, drops zeros and accumulates shares", () => {
    // 5 + 3 + 2 = 10: shares 50 %, 30 %, 20 %; cumulative 50 %, 80 %, 100 %. b and c tie-break by label.
    const rows = paretoRows([
      { label: "c", count: 2 },
      { label: "a", count: 5 },
      { label: "z", count: 0 },
      { label: "b", count: 3 },
    ]);
    expect(rows.map((row) => [row.label, row.count, row.share, row.cumulativeShare])).toEqual([
      ["a", 5, 50, 50],
      ["b", 3, 30, 80],
      ["c", 2, 20, 100],
    ]);
    expect(paretoRows([{ label: "y", count: 1 }, { label: "x", count: 1 }]).map((row) => row.label)).toEqual(["x", "y"]);
  });

  it("sums the tail beyond the bar limit into one 'other' bar", () => {
    const rows = paretoRows(
      [4, 3, 2, 1, 1].map((count, i) => ({ label: `k${i}`, count })),
      3,
      "其他",
    );
    expect(rows.map((row) => [row.label, row.count])).toEqual([
      ["k0", 4],
      ["k1", 3],
      ["其他", 4],
    ]);
    expect(rows[2].cumulativeShare).toBe(100);
  });

  it("draws bars and the cumulative line on a 0–100 % axis", () => {
    const elements = parseMarkup(
      paretoChart({
        title: "关键词",
        items: [
          { label: "响应慢", count: 6 },
          { label: "态度差", count: 3 },
          { label: "未解决", count: 1 },
        ],
        cumulativeLabel: zh.cumulativeShare,
        emptyMessage: zh.noData,
      }),
    );
    // Cumulative 6/10, 9/10, 10/10.
    const points = select(elements, "circle", { class: "cumulative-point" });
    expect(points.map((point) => point.attributes["data-cumulative"])).toEqual(["60.0", "90.0", "100.0"]);
    // Share axis from y 256 (0 %) up to y 40 (100 %): 60 % → 256 − 0.6 × 216 = 126.4.
    expect(Number(points[0].attributes.cy)).toBeCloseTo(126.4, 1);
    expect(Number(select(elements, "line", { class: "reference-80" })[0].attributes.y1)).toBeCloseTo(256 - 0.8 * 216, 1);
    const bars = select(elements, "g", { class: "bar" });
    expect(bars.map((bar) => [bar.attributes["data-label"], bar.attributes["data-count"]])).toEqual([
      ["响应慢", "6"],
      ["态度差", "3"],
      ["未解决", "1"],
    ]);
    expect(select(elements, "polyline", { class: "cumulative-line" })[0].attributes.points.split(" ")).toHaveLength(3);
  });

  it("shows an empty chart when nothing was counted", () => {
    const elements = parseMarkup(paretoChart({ title: "t", items: [{ label: "a", count: 0 }], cumulativeLabel: "", emptyMessage: "空" }));
    expect(select(elements, "g", { class: "bar" })).toHaveLength(0);
    expect(select(elements, "text", { class: "empty" }).map(textOf)).toEqual(["空"]);
  });
});

describe("four-quadrant matrix", () => {
  const base = {
    title: zh.quadrantMatrix,
    quadrantLabels: zh.quadrants,
    urgentLabel: zh.urgent,
    notUrgentLabel: zh.notUrgent,
    importantLabel: zh.important,
    notImportantLabel: zh.notImportant,
    noneLabel: zh.none,
    moreLabel: zh.more,
  };

  it("lists each issue in its cell with the cell's count", () => {
    const elements = parseMarkup(
      quadrantMatrixChart({
        ...base,
        items: [
          { label: "#1 响应超时", quadrant: Quadrant.URGENT_IMPORTANT },
          { label: "#2 态度差", quadrant: Quadrant.URGENT_IMPORTANT },
          { label: `#3 ${HOSTILE}`, quadrant: Quadrant.NEITHER },
        ],
      }),
    );
    const cell = (quadrant: Quadrant) => select(elements, "g", { class: "quadrant", "data-quadrant": quadrant })[0];
    expect(cell(Quadrant.URGENT_IMPORTANT).attributes["data-count"]).toBe("2");
    expect(select(within(elements, cell(Quadrant.URGENT_IMPORTANT)), "g", { class: "quadrant-item" }).map(textOf)).toEqual([
      "• #1 响应超时",
      "• #2 态度差",
    ]);
    expect(texts(within(elements, cell(Quadrant.URGENT_IMPORTANT)))[0]).toBe("重要且紧急 (2)");
    expect(select(within(elements, cell(Quadrant.IMPORTANT_NOT_URGENT)), "text", { class: "none" }).map(textOf)).toEqual(["无"]);
    expect(select(within(elements, cell(Quadrant.NEITHER)), "g", { class: "quadrant-item" })).toHaveLength(1);
  });

  it("puts urgent and important in the top-left cell", () => {
    const elements = parseMarkup(quadrantMatrixChart({ ...base, items: [] }));
    const rectOf = (quadrant: Quadrant) =>
      select(within(elements, select(elements, "g", { "data-quadrant": quadrant })[0]), "rect")[0].attributes;
    expect(Number(rectOf(Quadrant.URGENT_IMPORTANT).x)).toBeLessThan(Number(rectOf(Quadrant.IMPORTANT_NOT_URGENT).x));
    expect(Number(rectOf(Quadrant.URGENT_IMPORTANT).y)).toBeLessThan(Number(rectOf(Quadrant.URGENT_NOT_IMPORTANT).y));
    expect(rectOf(Quadrant.NEITHER).x).toBe(rectOf(Quadrant.IMPORTANT_NOT_URGENT).x);
  });

  it("summarises a crowded cell", () => {
    const items = Array.from({ length: 5 }, (_, i) => ({ label: `#${i}`, quadrant: Quadrant.IMPORTANT_NOT_URGENT }));
    const elements = parseMarkup(quadrantMatrixChart({ ...base, items, maxPerCell: 3 }));
    expect(select(elements, "g", { class: "quadrant-item" })).toHaveLength(3);
    expect(select(elements, "text", { class: "more" }).map(textOf)).toEqual(["另有 2 项"]);
  });
});

describe("fishbone diagram", () => {
  const svg = fishboneChart({
    title: "鱼骨图",
    effect: "核心客户报修响应超过 4 小时",
    bones: [
      {
        category: CauseCategory.METHOD,
        causes: [
          {
            text: "夜间派单需等次日早会",
            state: "confirmed",
            children: [{ text: "派单规则未覆盖夜间", state: "confirmed", children: [{ text: "规则五年未修订", state: "hypothesis", children: [] }] }],
          },
          { text: "派单系统无优先级", state: "refuted", children: [] },
        ],
      },
      { category: CauseCategory.MAN, causes: [{ text: HOSTILE, state: "hypothesis", children: [] }] },
    ],
    categoryLabels: zh.causeCategories,
    stateLabels: zh.causeStates,
    noneLabel: zh.none,
  });
  const elements = parseMarkup(svg);

  it("draws the six bones 人机料法环测", () => {
    expect(select(elements, "text", { class: "bone-label" }).map(textOf)).toEqual(["人", "机", "料", "法", "环", "测"]);
    expect(select(elements, "g", { class: "bone" }).map((bone) => [bone.attributes["data-category"], bone.attributes["data-count"]])).toEqual([
      ["MAN", "1"],
      ["MACHINE", "0"],
      ["MATERIAL", "0"],
      ["METHOD", "4"],
      ["ENVIRONMENT", "0"],
      ["MEASUREMENT", "0"],
    ]);
  });

  it("hangs sub-causes under their cause, indented by depth, with their state", () => {
    const method = select(elements, "g", { class: "cause", "data-category": "METHOD" });
    expect(method.map((cause) => [cause.attributes["data-depth"], cause.attributes["data-state"], textOf(cause)])).toEqual([
      ["0", "confirmed", "夜间派单需等次日早会"],
      ["1", "confirmed", "└ 派单规则未覆盖夜间"],
      ["2", "hypothesis", "└ 规则五年未修订"],
      ["0", "refuted", "派单系统无优先级"],
    ]);
    const xOf = (cause: (typeof method)[number]) => Number(select(within(elements, cause), "text")[0].attributes.x);
    expect(xOf(method[1]) - xOf(method[0])).toBeGreaterThan(10);
    expect(xOf(method[2]) - xOf(method[1])).toBeGreaterThan(10);
    expect(select(within(elements, method[3]), "text")[0].attributes["text-decoration"]).toBe("line-through");
    expect(select(within(elements, method[0]), "text")[0].attributes["font-weight"]).toBe("bold");
  });

  it("writes the problem at the head and escapes cause text", () => {
    expect(textOf(select(elements, "g", { class: "effect" })[0])).toBe("核心客户报修响应超过 4 小时");
    expect(svg).not.toContain("<script>");
    expect(textOf(select(elements, "g", { class: "cause", "data-category": "MAN" })[0])).toContain("<script>alert");
  });

  it("marks the empty bones", () => {
    expect(select(elements, "text", { class: "none" })).toHaveLength(4);
  });
});

describe("before/after bars", () => {
  const elements = parseMarkup(
    beforeAfterChart({
      title: "验证",
      items: [
        { label: "#1 响应及时性", before: 3.2, after: 4.1, target: 4, direction: MetricDirection.HIGHER_IS_BETTER },
        { label: "#2 迟到投诉占比", before: 15, after: 5, unit: "%", direction: MetricDirection.LOWER_IS_BETTER },
        { label: "#3 解决能力", before: 3.6, after: 3.4, direction: MetricDirection.HIGHER_IS_BETTER },
      ],
      beforeLabel: zh.before,
      afterLabel: zh.after,
      targetLabel: zh.target,
      emptyMessage: zh.noData,
      digits: 1,
    }),
  );
  const rows = select(elements, "g", { class: "before-after" });

  it("writes before → after with the change and judges it by direction", () => {
    expect(rows.map((row) => [row.attributes["data-before"], row.attributes["data-after"], row.attributes["data-delta"], row.attributes["data-improved"]])).toEqual([
      ["3.2", "4.1", "0.9", "true"],
      ["15.0", "5.0", "-10.0", "true"],
      ["3.6", "3.4", "-0.2", "false"],
    ]);
    expect(select(within(elements, rows[0]), "text", { class: "values" }).map(textOf)).toEqual(["3.2 → 4.1"]);
    expect(select(within(elements, rows[1]), "text", { class: "delta" }).map(textOf)).toEqual(["(−10.0%)"]);
    expect(select(within(elements, rows[0]), "text", { class: "delta" }).map(textOf)).toEqual(["(+0.9)"]);
  });

  it("scales each row to its own maximum", () => {
    // Row 1: axis 0..5 over 200..610 (410 px): 3.2 → 262.4 px, 4.1 → 336.2 px; target 4 at x 528.
    const widthOf = (row: number, cls: string) => Number(select(within(elements, rows[row]), "rect", { class: cls })[0].attributes.width);
    expect(widthOf(0, "bar-before")).toBeCloseTo(262.4, 1);
    expect(widthOf(0, "bar-after")).toBeCloseTo(336.2, 1);
    expect(Number(select(within(elements, rows[0]), "line", { class: "target" })[0].attributes.x1)).toBeCloseTo(528, 1);
    // Row 2: axis 0..20 (max 15 → 20): 15 → 307.5 px, 5 → 102.5 px.
    expect(widthOf(1, "bar-before")).toBeCloseTo(307.5, 1);
    expect(widthOf(1, "bar-after")).toBeCloseTo(102.5, 1);
  });
});

describe("progress bars", () => {
  const elements = parseMarkup(
    progressBarsChart({
      title: "进度",
      items: [
        { label: "夜间值班派单", detail: "售后服务部 · 张三", progress: 50, expected: 40, status: "onTrack" },
        { label: "更新派单规则", progress: 20, expected: 70, status: "atRisk" },
        { label: "培训", progress: 100, expected: null, status: "done" },
      ],
      statusLabels: zh.progressStatuses,
      expectedLabel: zh.expectedProgress,
      emptyMessage: zh.noData,
    }),
  );
  const rows = select(elements, "g", { class: "progress-row" });

  it("fills each bar to its progress and marks the expected progress", () => {
    // Bars run from x 260 to x 650 (390 px): 50 % → 195 px, marker at 40 % → x 416.
    expect(Number(select(within(elements, rows[0]), "rect", { class: "bar-progress" })[0].attributes.width)).toBeCloseTo(195, 1);
    expect(Number(select(within(elements, rows[0]), "line", { class: "expected" })[0].attributes.x1)).toBeCloseTo(416, 1);
    expect(Number(select(within(elements, rows[2]), "rect", { class: "bar-progress" })[0].attributes.width)).toBeCloseTo(390, 1);
    expect(select(within(elements, rows[2]), "line", { class: "expected" })).toHaveLength(0);
  });

  it("labels the status in the report's language", () => {
    expect(rows.map((row) => [row.attributes["data-progress"], row.attributes["data-status"]])).toEqual([
      ["50", "onTrack"],
      ["20", "atRisk"],
      ["100", "done"],
    ]);
    expect(select(elements, "text", { class: "status" }).map(textOf)).toEqual(["正常", "滞后", "已完成"]);
  });
});
