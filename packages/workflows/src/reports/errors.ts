/**
 * Typed failures of report rendering, so the activity can tell a retryable failure (a crashed or
 * slow browser) from one no retry will fix (bad data, no Chromium installed).
 */

/** The report data is missing a field or has one of the wrong type. Not retryable. */
export class ReportDataError extends Error {
  override readonly name = 'ReportDataError';
  readonly code = 'invalid_report_data';
  constructor(
    /** Path of the offending field, e.g. `schedule.installments[3].date`. */
    readonly field: string,
    message: string,
  ) {
    super(field ? `report data ${field}: ${message}` : `report data: ${message}`);
  }
}

/** A render took longer than its time limit; its page was closed. Retryable. */
export class ReportRenderTimeoutError extends Error {
  override readonly name = 'ReportRenderTimeoutError';
  readonly code = 'report_render_timeout';
  constructor(readonly timeoutMs: number) {
    super(`rendering the report took longer than ${timeoutMs} ms`);
  }
}

/** The browser failed while rendering (crashed, disconnected, protocol error). Retryable. */
export class ReportRenderError extends Error {
  override readonly name = 'ReportRenderError';
  readonly code = 'report_render_failed';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** No Chromium at the configured path. Not retryable until the machine is fixed. */
export class ChromiumNotFoundError extends Error {
  override readonly name = 'ChromiumNotFoundError';
  readonly code = 'chromium_not_found';
  constructor(readonly executablePath: string) {
    super(
      `no Chromium executable at ${executablePath}: install it (Debian: apt-get install -y chromium fonts-liberation) ` +
        'or set CHROMIUM_PATH (or PUPPETEER_EXECUTABLE_PATH) to a Chrome/Chromium binary',
    );
  }
}

/** `render` was called after `close()`. */
export class ReportRendererClosedError extends Error {
  override readonly name = 'ReportRendererClosedError';
  readonly code = 'report_renderer_closed';
  constructor() {
    super('the report renderer is closed');
  }
}
