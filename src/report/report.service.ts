import { DataSource } from "typeorm";
import { badInput } from "../common/errors";
import type { MonthlyReviewService } from "../service/review/monthly-review.service";
import { parseIsoWeek, parseMonth } from "../service/review/review-period";
import type { WeeklyReviewService } from "../service/review/weekly-review.service";
import { loadSettings } from "../service/settings";
import type { ReportDocument } from "./document";
import { renderHtml } from "./html";
import { DEFAULT_LANG, isLang, type Lang, LANGUAGES } from "./i18n";
import { renderMarkdown } from "./markdown";
import { monthlyReportDocument } from "./monthly-report";
import { weeklyReportDocument } from "./weekly-report";

export const REPORT_KINDS = ["weekly", "monthly"] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];
export const REPORT_FORMATS = ["html", "md"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface ReportRequest {
  kind: ReportKind;
  /** "2026-W47" for weekly, "2026-10" for monthly. */
  period: string;
  format: ReportFormat;
  lang: Lang;
}

/** Raw parameters as the CLI or a query string give them. */
export interface ReportParameters {
  kind?: unknown;
  period?: unknown;
  format?: unknown;
  lang?: unknown;
}

export interface RenderedReport {
  body: string;
  contentType: string;
  /** A suggested file name, e.g. monthly-2026-10.html. */
  fileName: string;
}

const CONTENT_TYPES: Record<ReportFormat, string> = {
  html: "text/html; charset=utf-8",
  md: "text/markdown; charset=utf-8",
};

/**
 * Checks report parameters before anything is read: kind weekly|monthly, a period of the kind's
 * shape (ISO week or month), format html|md (default html), lang zh-CN|en (default zh-CN).
 *
 * @throws BAD_USER_INPUT naming `kind`, `period`, `format` or `lang`.
 */
export function parseReportRequest(parameters: ReportParameters): ReportRequest {
  const kind = parameters.kind;
  if (typeof kind !== "string" || !(REPORT_KINDS as readonly string[]).includes(kind)) {
    throw badInput("kind", `must be one of ${REPORT_KINDS.join(", ")}`);
  }
  const period = parameters.period;
  if (typeof period !== "string" || period === "") throw badInput("period", "is required, e.g. 2026-W47 or 2026-10");
  // The same parsers as the review services, so a period accepted here is accepted there.
  if (kind === "weekly") parseIsoWeek(period, "period");
  else parseMonth(period, "period");
  const format = parameters.format ?? "html";
  if (typeof format !== "string" || !(REPORT_FORMATS as readonly string[]).includes(format)) {
    throw badInput("format", `must be one of ${REPORT_FORMATS.join(", ")}`);
  }
  const lang = parameters.lang ?? DEFAULT_LANG;
  if (typeof lang !== "string" || !isLang(lang)) throw badInput("lang", `must be one of ${LANGUAGES.join(", ")}`);
  return { kind: kind as ReportKind, period, format: format as ReportFormat, lang };
}

/**
 * Report documents (DESIGN steps 7 and 9): the weekly meeting pack and the monthly review as a
 * self-contained HTML page with SVG charts, or as Markdown. The figures come from the review
 * services; this service only lays them out.
 */
export class ReportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly weekly: WeeklyReviewService,
    private readonly monthly: MonthlyReviewService,
  ) {}

  /**
   * Renders one report. Parameters are checked first (see `parseReportRequest`).
   *
   * @throws BAD_USER_INPUT for a bad kind, period, format or language.
   */
  async render(parameters: ReportParameters): Promise<RenderedReport> {
    const request = parseReportRequest(parameters);
    const document = await this.document(request);
    return {
      body: request.format === "html" ? renderHtml(document) : renderMarkdown(document),
      contentType: CONTENT_TYPES[request.format],
      fileName: `${request.kind}-${request.period}.${request.format}`,
    };
  }

  private async document(request: ReportRequest): Promise<ReportDocument> {
    if (request.kind === "weekly") {
      return weeklyReportDocument(await this.weekly.weeklyReview(request.period), request.lang);
    }
    const review = await this.monthly.monthlyReview(request.period);
    const settings = await loadSettings(this.dataSource.manager);
    return monthlyReportDocument(review, request.lang, { atRiskTolerancePercent: settings.review.atRiskTolerancePercent });
  }
}
