/**
 * Loan-simulation PDF reports: the data a report is rendered from, its HTML (Handlebars + inline
 * SVG, pure), and the Chromium renderer the `renderReport` activity calls. See docs/reports.md.
 */
export type {
  LoanReportData,
  ReportCompany,
  ReportGreenScore,
  ReportScoreComponent,
  ReportPricing,
  ReportSchedule,
  ReportInstallment,
  ReportCo2Savings,
  ReportFinancedEmissions,
  ReportFinancedEmissionsYear,
} from './report-data.js';
export { assertLoanReportData } from './report-data.js';
export { renderReportHtml, renderReportFooterHtml, renderReportHeaderHtml } from './report-html.js';
export {
  ReportRenderer,
  resolveChromiumPath,
  countPdfPages,
  CHROMIUM_ARGS,
  DEFAULT_CHROMIUM_PATH,
  DEFAULT_RENDER_TIMEOUT_MS,
  DEFAULT_MAX_PAGES_BEFORE_RECYCLE,
  type ReportRendererOptions,
  type RenderOptions,
  type HtmlRenderOptions,
  type RenderedPdf,
  type ReportRendererStats,
} from './renderer.js';
export {
  ReportDataError,
  ReportRenderTimeoutError,
  ReportRenderError,
  ChromiumNotFoundError,
  ReportRendererClosedError,
} from './errors.js';
export { ecotechReportData, type EcotechReportOptions } from './ecotech-report-data.js';
