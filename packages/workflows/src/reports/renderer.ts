/**
 * HTML → PDF with a system Chromium driven by puppeteer-core. One browser serves many renders
 * (launching one costs far more than a render); each render gets a new page, closed afterwards,
 * in the browser's one reports context. The browser is relaunched when it crashes or
 * disconnects and recycled after a number of pages, so a long-lived worker does not accumulate
 * Chromium's memory. While rendering, every request that would leave the document is blocked.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { untilAborted } from '../abort.js';
import puppeteer, { type Browser, type BrowserContext, type HTTPRequest, type Page } from 'puppeteer-core';
import {
  ChromiumNotFoundError,
  ReportRenderError,
  ReportRendererClosedError,
  ReportRenderTimeoutError,
} from './errors.js';
import type { LoanReportData } from './report-data.js';
import { renderReportFooterHtml, renderReportHeaderHtml, renderReportHtml } from './report-html.js';

/** Where Chromium is looked for when no path is given. */
export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';
export const DEFAULT_RENDER_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_PAGES_BEFORE_RECYCLE = 200;

/**
 * Flags for a headless Chromium in a container: no sandbox (root in CI containers), no GPU, /tmp
 * instead of a small /dev/shm, and none of the background traffic (updates, sync, field trials)
 * a report renderer has no use for. `--renderer-process-limit=1` makes every report page share
 * one warm renderer process instead of starting one per page, which halves a render's CPU.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--headless=new',
  '--renderer-process-limit=1',
];

/** The PDF page box: A4 with margins wide enough for the header and footer. */
const PDF_MARGIN = { top: '17mm', bottom: '17mm', left: '16mm', right: '16mm' } as const;

export interface ReportRendererOptions {
  /** Chromium binary; default `CHROMIUM_PATH`, then `PUPPETEER_EXECUTABLE_PATH`, then /usr/bin/chromium. */
  readonly executablePath?: string;
  /** Time limit of one render, launch of a replacement browser included (default 15 000 ms). */
  readonly renderTimeoutMs?: number;
  /** Pages one browser renders before it is replaced (default 200). */
  readonly maxPagesBeforeRecycle?: number;
}

export interface RenderOptions {
  /** Aborts the render: it rejects with `signal.reason` and its page is closed. */
  readonly signal?: AbortSignal;
  /** Overrides the renderer's time limit for this render. */
  readonly timeoutMs?: number;
}

export interface HtmlRenderOptions extends RenderOptions {
  /** HTML Chromium prints in each page's top margin (its own document: inline styles only). */
  readonly headerTemplate?: string;
  /** HTML Chromium prints in each page's bottom margin; `pageNumber` / `totalPages` spans are filled in. */
  readonly footerTemplate?: string;
}

export interface RenderedPdf {
  readonly pdf: Uint8Array;
  /** Hex SHA-256 of `pdf`: stored beside it, and the report's ETag. */
  readonly sha256: string;
  readonly bytes: number;
  /** Page count read from the PDF's page tree, when found. */
  readonly pages?: number;
  /** URLs the document tried to load and that were refused (normally none). */
  readonly blockedRequests: readonly string[];
}

/** Usage counters, for logs and tests. */
export interface ReportRendererStats {
  /** Browsers launched since this renderer was created. */
  readonly launches: number;
  /** Renders that produced a PDF. */
  readonly renders: number;
  /** Process id of the current browser, or null when none is running. */
  readonly browserPid: number | null;
}

/**
 * The Chromium executable to use: the explicit option, else `CHROMIUM_PATH`, else
 * `PUPPETEER_EXECUTABLE_PATH`, else `/usr/bin/chromium`.
 */
export function resolveChromiumPath(
  explicit?: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  return explicit || env.CHROMIUM_PATH || env.PUPPETEER_EXECUTABLE_PATH || DEFAULT_CHROMIUM_PATH;
}

/**
 * Number of pages of a PDF, from the `/Count` of its root page tree (the largest count, since
 * every intermediate node has a smaller one). Undefined when the tree is compressed out of sight.
 */
export function countPdfPages(pdf: Uint8Array): number | undefined {
  const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1');
  let max: number | undefined;
  for (const m of text.matchAll(
    /\/Type\s*\/Pages\b[^>]*?\/Count\s+(\d+)|\/Count\s+(\d+)[^>]*?\/Type\s*\/Pages\b/g,
  )) {
    const n = Number(m[1] ?? m[2]);
    if (max === undefined || n > max) max = n;
  }
  return max;
}

/** One launched browser and what it has done. */
interface BrowserLease {
  readonly browser: Browser;
  /** The browser's one context for reports (not the default profile); every render opens a page in it. */
  readonly context: BrowserContext;
  pages: number;
  inFlight: number;
  retired: boolean;
  /** A page opened ahead of the next render, or null. */
  spare: Promise<PageSlot> | null;
}

/** A page used for one render and closed after. */
interface PageSlot {
  readonly page: Page;
  /** URLs this page tried to load and was refused. */
  readonly blocked: string[];
}

const isAllowedUrl = (url: string) => url.startsWith('data:') || url.startsWith('about:');
const swallow = () => undefined;

/**
 * Renders loan-simulation reports (or any self-contained HTML) to PDF on one reused Chromium.
 *
 * @example
 * const renderer = await ReportRenderer.launch();
 * try {
 *   const { pdf, sha256 } = await renderer.render(data, { signal });
 * } finally {
 *   await renderer.close();
 * }
 */
export class ReportRenderer {
  readonly #executablePath: string;
  readonly #timeoutMs: number;
  readonly #maxPages: number;
  /** The browser new renders go to; null until launched, after a crash, or after a recycle. */
  #current: Promise<BrowserLease> | null = null;
  /** Every browser still open (the current one and retired ones finishing their renders). */
  readonly #open = new Set<BrowserLease>();
  #closed = false;
  #launches = 0;
  #renders = 0;

  private constructor(options: ReportRendererOptions) {
    this.#executablePath = resolveChromiumPath(options.executablePath);
    this.#timeoutMs = options.renderTimeoutMs ?? DEFAULT_RENDER_TIMEOUT_MS;
    this.#maxPages = options.maxPagesBeforeRecycle ?? DEFAULT_MAX_PAGES_BEFORE_RECYCLE;
    if (!(this.#timeoutMs > 0)) throw new RangeError('renderTimeoutMs must be > 0');
    if (!Number.isInteger(this.#maxPages) || this.#maxPages < 1)
      throw new RangeError('maxPagesBeforeRecycle must be a whole number ≥ 1');
  }

  /**
   * Starts a renderer and its browser (so the first render does not pay for the launch).
   *
   * @throws ChromiumNotFoundError when there is no executable at the resolved path.
   */
  static async launch(options: ReportRendererOptions = {}): Promise<ReportRenderer> {
    const renderer = new ReportRenderer(options);
    if (!existsSync(renderer.#executablePath)) throw new ChromiumNotFoundError(renderer.#executablePath);
    await renderer.#currentLease();
    return renderer;
  }

  /** The browser renders currently go to (diagnostics and tests); null when none is running. */
  get browser(): Browser | null {
    for (const lease of this.#open) if (!lease.retired && lease.browser.connected) return lease.browser;
    return null;
  }

  get stats(): ReportRendererStats {
    return {
      launches: this.#launches,
      renders: this.#renders,
      browserPid: this.browser?.process()?.pid ?? null,
    };
  }

  /**
   * Renders a loan-simulation report to an A4 PDF with the Greenfin footer on every page.
   *
   * @throws ReportDataError when `data` lacks a field (before any browser work).
   * @throws ReportRenderTimeoutError past the time limit; `signal.reason` when aborted;
   *   ReportRenderError when the browser fails.
   */
  async render(data: LoanReportData, options: RenderOptions = {}): Promise<RenderedPdf> {
    const html = renderReportHtml(data);
    return this.renderHtml(html, {
      ...options,
      headerTemplate: renderReportHeaderHtml(data),
      footerTemplate: renderReportFooterHtml(data),
    });
  }

  /**
   * Renders a self-contained HTML document to an A4 PDF: JavaScript off, every request other than
   * `data:`/`about:` aborted, in a new page closed afterwards.
   */
  async renderHtml(html: string, options: HtmlRenderOptions = {}): Promise<RenderedPdf> {
    if (this.#closed) throw new ReportRendererClosedError();
    options.signal?.throwIfAborted();
    const timeoutMs = options.timeoutMs ?? this.#timeoutMs;

    // One signal for "stop now", whoever asks: the time limit or the caller.
    const stop = new AbortController();
    const timer = setTimeout(() => stop.abort(new ReportRenderTimeoutError(timeoutMs)), timeoutMs);
    const onCallerAbort = () => stop.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', onCallerAbort, { once: true });

    let page: Page | undefined;
    let used: BrowserLease | undefined;
    let blocked: readonly string[] = [];
    const work = async (): Promise<Uint8Array> => {
      const lease = await this.#acquire();
      used = lease;
      try {
        stop.signal.throwIfAborted();
        const slot = await this.#takeSlot(lease);
        page = slot.page;
        blocked = slot.blocked;
        try {
          stop.signal.throwIfAborted();
          await slot.page.setContent(html, { waitUntil: 'load', timeout: timeoutMs });
          stop.signal.throwIfAborted();
          return await slot.page.pdf({
            format: 'A4',
            printBackground: true,
            displayHeaderFooter: options.headerTemplate !== undefined || options.footerTemplate !== undefined,
            headerTemplate: options.headerTemplate ?? '<span></span>',
            footerTemplate: options.footerTemplate ?? '<span></span>',
            margin: PDF_MARGIN,
            timeout: timeoutMs,
          });
        } finally {
          await slot.page.close().catch(swallow);
        }
      } finally {
        this.#release(lease);
      }
    };

    try {
      const pdf = await untilAborted(work(), stop.signal);
      this.#renders += 1;
      return {
        pdf,
        sha256: createHash('sha256').update(pdf).digest('hex'),
        bytes: pdf.byteLength,
        pages: countPdfPages(pdf),
        blockedRequests: blocked,
      };
    } catch (error) {
      if (stop.signal.reason instanceof ReportRenderTimeoutError && used) {
        // A render that overran may have left the shared renderer process hung: send new renders
        // to a fresh browser; this one closes when its renders are done.
        this.#retire(used);
      }
      if (stop.signal.aborted) throw stop.signal.reason;
      if (
        error instanceof ChromiumNotFoundError ||
        error instanceof ReportRendererClosedError ||
        error instanceof ReportRenderError
      )
        throw error;
      throw new ReportRenderError(`rendering the PDF failed: ${(error as Error)?.message ?? String(error)}`, {
        cause: error,
      });
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onCallerAbort);
      // Stopped early: closing the page ends whatever is still running in it (a slow setContent
      // or pdf), so the abandoned work settles and releases its browser. Not awaited: a hung
      // renderer must not hold up the error.
      if (stop.signal.aborted) page?.close().catch(swallow);
    }
  }

  /** Closes every browser. Renders after this throw {@link ReportRendererClosedError}. */
  async close(): Promise<void> {
    this.#closed = true;
    const pending = this.#current;
    this.#current = null;
    await pending?.catch(swallow);
    await Promise.all([...this.#open].map((lease) => lease.browser.close().catch(swallow)));
    this.#open.clear();
  }

  /** A browser for one more page: the current one, or a fresh one after a crash or recycle. */
  async #acquire(): Promise<BrowserLease> {
    for (let attempt = 1; ; attempt++) {
      if (this.#closed) throw new ReportRendererClosedError();
      const current = this.#currentLease();
      const lease = await current;
      if (lease.retired || !lease.browser.connected) {
        // Crashed or closed underneath us since it was launched: replace it.
        if (this.#current === current) this.#current = null;
        if (attempt >= 3)
          throw new ReportRenderError('the browser disconnected right after each of 3 launches');
        continue;
      }
      lease.pages += 1;
      lease.inFlight += 1;
      if (lease.pages >= this.#maxPages) {
        // Its last page: new renders go to a replacement, launched now so none of them waits.
        lease.retired = true;
        if (this.#current === current) this.#current = null;
        if (!this.#closed) this.#currentLease().catch(swallow);
      }
      return lease;
    }
  }

  #retire(lease: BrowserLease): void {
    lease.retired = true;
    if (lease.inFlight === 0) {
      this.#open.delete(lease);
      lease.browser.close().catch(swallow);
    }
  }

  #release(lease: BrowserLease): void {
    lease.inFlight -= 1;
    if (lease.retired && lease.inFlight === 0) {
      this.#open.delete(lease);
      lease.browser.close().catch(swallow);
    } else if (!lease.retired && !this.#closed && lease.spare === null) {
      // Between renders, get the next page ready: opening a page is the slowest step after
      // printing, and done here it costs the next render nothing.
      lease.spare = this.#newSlot(lease);
      lease.spare.catch(swallow);
    }
  }

  /** The lease's ready page if it has one, else a new one. Each page serves exactly one render. */
  async #takeSlot(lease: BrowserLease): Promise<PageSlot> {
    const spare = lease.spare;
    lease.spare = null;
    if (spare) {
      const slot = await spare.catch(() => null);
      if (slot && !slot.page.isClosed()) return slot;
    }
    return this.#newSlot(lease);
  }

  /**
   * A fresh page with JavaScript off and every request that would leave the document (anything
   * but `data:` and `about:`) aborted and recorded.
   */
  async #newSlot(lease: BrowserLease): Promise<PageSlot> {
    const page = await lease.context.newPage();
    try {
      // The report needs no script: none runs, whatever the data smuggles in.
      await page.setJavaScriptEnabled(false);
      await page.setRequestInterception(true);
      const blocked: string[] = [];
      page.on('request', (request: HTTPRequest) => {
        if (isAllowedUrl(request.url())) {
          request.continue().catch(swallow);
        } else {
          blocked.push(request.url());
          request.abort('blockedbyclient').catch(swallow);
        }
      });
      return { page, blocked };
    } catch (error) {
      await page.close().catch(swallow);
      throw error;
    }
  }

  #currentLease(): Promise<BrowserLease> {
    if (!this.#current) {
      const launching = this.#launch();
      this.#current = launching;
      launching.catch(() => {
        if (this.#current === launching) this.#current = null;
      });
    }
    return this.#current;
  }

  async #launch(): Promise<BrowserLease> {
    if (!existsSync(this.#executablePath)) throw new ChromiumNotFoundError(this.#executablePath);
    const browser = await puppeteer.launch({
      executablePath: this.#executablePath,
      headless: true,
      pipe: true,
      args: [...CHROMIUM_ARGS],
    });
    this.#launches += 1;
    // One context for every render on this browser, holding one blank page for the browser's
    // life: it keeps the context's renderer process alive, so each render's new page joins a warm
    // process instead of starting a cold one (a context or process per render costs about twice
    // the CPU of the render itself). Pages share nothing a report could use: no script runs,
    // nothing is fetched, nothing is stored.
    let context: BrowserContext;
    try {
      context = await browser.createBrowserContext();
      await context.newPage();
    } catch (error) {
      await browser.close().catch(swallow);
      throw error;
    }
    const lease: BrowserLease = { browser, context, pages: 0, inFlight: 0, retired: false, spare: null };
    if (this.#closed) {
      await browser.close().catch(swallow);
      throw new ReportRendererClosedError();
    }
    this.#open.add(lease);
    lease.spare = this.#newSlot(lease);
    lease.spare.catch(swallow);
    browser.once('disconnected', () => {
      // Crashed, killed or closed underneath us: the next render launches a new one.
      lease.retired = true;
      this.#open.delete(lease);
    });
    return lease;
  }
}
