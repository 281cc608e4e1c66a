import { monthsEnding, previousPeriod, resolvePeriod, yearAgoPeriod } from "../../src/service/analytics/period";

/** Periods are pure calendar arithmetic in UTC days; the edges are worked out by hand. */
describe("analytics periods", () => {
  it.each([
    // 2026-W01 starts Mon 29 Dec 2025 (1 Jan 2026 is a Thursday); the week before is 2025-W52.
    [{ week: "2026-W01" }, "2025-12-29", "2026-01-04", "2025-W52", "2025-12-22", "2025-W01"],
    // 2026 has 53 weeks (28 Dec 2026 is in W53, Mon 28 Dec – Sun 3 Jan); 2025 has 52, so YoY is 2025-W52.
    [{ week: "2026-W53" }, "2026-12-28", "2027-01-03", "2026-W52", "2026-12-21", "2025-W52"],
    [{ month: "2026-01" }, "2026-01-01", "2026-01-31", "2025-12", "2025-12-01", "2025-01"],
    [{ month: "2028-02" }, "2028-02-01", "2028-02-29", "2028-01", "2028-01-01", "2027-02"],
    [{ quarter: "2026-Q1" }, "2026-01-01", "2026-03-31", "2025-Q4", "2025-10-01", "2025-Q1"],
    // Custom: the 3 days before; a year before, 29 February becomes the 28th.
    [
      { from: "2028-02-28", to: "2028-03-01" },
      "2028-02-28",
      "2028-03-01",
      "2028-02-25..2028-02-27",
      "2028-02-25",
      "2027-02-28..2027-03-01",
    ],
  ])("%j runs %s..%s, previous %s from %s, a year before %s", (query, from, to, previous, previousFrom, yearAgo) => {
    const period = resolvePeriod(query, "input.period");
    expect([period.from, period.to]).toEqual([from, to]);
    expect([previousPeriod(period).label, previousPeriod(period).from]).toEqual([previous, previousFrom]);
    expect(yearAgoPeriod(period).label).toBe(yearAgo);
  });

  it("lists the months of a trend across a year boundary", () => {
    expect(monthsEnding("2026-02", 4)).toEqual(["2025-11", "2025-12", "2026-01", "2026-02"]);
  });
});
