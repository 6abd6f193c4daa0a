/**
 * The PDF renderer against a real Chromium (skipped, saying why, where there is none) and
 * poppler's pdftotext/pdfinfo to read back what was printed.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ecotechReportData } from '../ecotech-report-data.js';
import { ChromiumNotFoundError, ReportRendererClosedError, ReportRenderTimeoutError } from '../errors.js';
import { ReportRenderer, countPdfPages, resolveChromiumPath } from '../renderer.js';
import { renderReportHtml } from '../report-html.js';

const chromium = resolveChromiumPath();
const hasChromium = existsSync(chromium);
const hasPoppler = spawnSync('pdftotext', ['-v']).status === 0 && spawnSync('pdfinfo', ['-v']).status === 0;
const SKIP_CHROMIUM = `skipped: no Chromium at ${chromium} (install chromium or set CHROMIUM_PATH; CI installs it)`;
const SKIP_POPPLER =
  'skipped: pdftotext/pdfinfo not installed (apt-get install poppler-utils; CI installs it)';
if (!hasChromium) console.warn(`[reports] renderer tests ${SKIP_CHROMIUM}`);
if (hasChromium && !hasPoppler) console.warn(`[reports] PDF text tests ${SKIP_POPPLER}`);

const LONG = 120_000;

function pdfText(pdf: Uint8Array, layout = true): string {
  const out = spawnSync('pdftotext', [...(layout ? ['-layout'] : []), '-enc', 'UTF-8', '-', '-'], {
    input: pdf,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (out.status !== 0) throw new Error(`pdftotext failed: ${out.stderr.toString()}`);
  return out.stdout.toString('utf8');
}
function pdfInfoPages(pdf: Uint8Array): number {
  const out = spawnSync('pdfinfo', ['-'], { input: pdf });
  return Number(/^Pages:\s+(\d+)/m.exec(out.stdout.toString())?.[1]);
}
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const printed = (iso: string) =>
  `${Number(iso.slice(8, 10))} ${MONTHS[Number(iso.slice(5, 7)) - 1]} ${iso.slice(0, 4)}`;

/** A local HTTP server that counts every request it sees: the "outside world" a report must not reach. */
async function startTrap(): Promise<{ server: Server; url: string; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'image/gif' }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, hits };
}

it('fails clearly when there is no Chromium at the configured path', async () => {
  await expect(ReportRenderer.launch({ executablePath: '/nonexistent/chromium' })).rejects.toThrow(
    ChromiumNotFoundError,
  );
  await expect(ReportRenderer.launch({ executablePath: '/nonexistent/chromium' })).rejects.toThrow(
    /CHROMIUM_PATH/,
  );
});

it('resolves the Chromium path: option, then CHROMIUM_PATH, then PUPPETEER_EXECUTABLE_PATH, then /usr/bin/chromium', () => {
  const env = { CHROMIUM_PATH: '/a', PUPPETEER_EXECUTABLE_PATH: '/b' };
  expect(resolveChromiumPath('/x', env)).toBe('/x');
  expect(resolveChromiumPath(undefined, env)).toBe('/a');
  expect(resolveChromiumPath(undefined, { PUPPETEER_EXECUTABLE_PATH: '/b' })).toBe('/b');
  expect(resolveChromiumPath(undefined, {})).toBe('/usr/bin/chromium');
});

describe.skipIf(!hasChromium)(
  `ReportRenderer with Chromium${hasChromium ? '' : ` (${SKIP_CHROMIUM})`}`,
  () => {
    let renderer: ReportRenderer;
    const data = ecotechReportData({ generatedAt: '2026-11-22T10:15:30Z' });

    beforeAll(async () => {
      renderer = await ReportRenderer.launch();
    }, LONG);
    afterAll(async () => {
      await renderer?.close();
    });

    describe.skipIf(!hasPoppler)(`the EcoTech PDF${hasPoppler ? '' : ` (${SKIP_POPPLER})`}`, () => {
      let result: Awaited<ReturnType<ReportRenderer['render']>>;
      let text: string;
      beforeAll(async () => {
        result = await renderer.render(data);
        text = pdfText(result.pdf);
      }, LONG);

      it('is a PDF whose sha256, size and page count match its bytes', () => {
        expect(Buffer.from(result.pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
        expect(result.sha256).toBe(createHash('sha256').update(result.pdf).digest('hex'));
        expect(result.sha256).toMatch(/^[0-9a-f]{64}$/);
        expect(result.bytes).toBe(result.pdf.byteLength);
        expect(result.pages).toBe(pdfInfoPages(result.pdf));
        expect(result.pages).toBeGreaterThanOrEqual(4);
        expect(result.blockedRequests).toEqual([]);
      });

      it('prints the company, the price, the band, the interest saved and the methodology', () => {
        for (const s of [
          'EcoTech Manufacturing Ltd',
          '6.50%',
          'Band A',
          'Interest saved',
          '£7,051.41',
          'gs-2026.1',
          '68.8 tCO2e',
          'PCAF data-quality score 1',
        ]) {
          expect(text, s).toContain(s);
        }
      });

      it('prints every one of the 60 schedule rows with its date and payment', () => {
        const rows = data.schedule.installments;
        expect(rows).toHaveLength(60);
        for (const row of rows) {
          expect(text, `row ${row.number}`).toMatch(
            new RegExp(`^\\s*${row.number}\\s+${printed(row.date)}\\s+£[\\d,]+\\.\\d\\d`, 'm'),
          );
        }
      });

      it('prints the footer on every page: methodology, generation time, simulation id, page n of N', () => {
        const pages = text.split('\f').filter((p) => p.trim() !== '');
        expect(pages).toHaveLength(result.pages!);
        pages.forEach((page, i) => {
          expect(page).toContain(
            'Greenfin · methodology gs-2026.1 · generated 22 Nov 2026, 10:15 UTC · simulation sim_01JEC0TECH5YEAR500K',
          );
          expect(page).toContain(`Page ${i + 1} of ${pages.length}`);
        });
      });

      it('repeats the schedule table’s header on each page the table runs onto', () => {
        const pages = text.split('\f');
        const withRows = pages.filter((p) => /^\s*\d+\s+\d{1,2} \w{3} \d{4}\s+£/m.test(p));
        expect(withRows.length).toBeGreaterThanOrEqual(2);
        for (const page of withRows)
          expect(page).toMatch(/#\s+Due date\s+Payment\s+Interest\s+Principal\s+Balance/);
      });
    });

    it.skipIf(!hasPoppler)(
      'prints a company called <script> as text, and no script in the report can run',
      async () => {
        const hostile = ecotechReportData({
          companyName: '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> Ltd',
        });
        const out = await renderer.render(hostile);
        expect(pdfText(out.pdf, false)).toContain('<script>window.__pwned=1</script>');

        // Even with JavaScript on (the renderer turns it off), the escaped document runs nothing.
        const context = await renderer.browser!.createBrowserContext();
        try {
          const page = await context.newPage();
          await page.setContent(renderReportHtml(hostile), { waitUntil: 'load' });
          // Expressions as strings: this package is typed without the DOM library.
          expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
          expect(await page.evaluate('document.querySelectorAll("script, img").length')).toBe(0);
          expect(await page.evaluate('document.querySelector("h1").textContent')).toContain('<script>');
        } finally {
          await context.close();
        }
      },
      LONG,
    );

    it(
      'blocks every request that would leave the document; the outside server sees none',
      async () => {
        const trap = await startTrap();
        try {
          // The trap works: a request from here reaches it.
          await fetch(`${trap.url}/self-test`);
          expect(trap.hits).toEqual(['/self-test']);
          trap.hits.length = 0;

          // Raw HTML with no CSP, so only the renderer's interception stands in the way.
          const html = `<!doctype html><html><head>
          <link rel="stylesheet" href="${trap.url}/css">
          <style>@import url("${trap.url}/import"); body { background: url("${trap.url}/bg"); }
            @font-face { font-family: X; src: url("${trap.url}/font"); } p { font-family: X; }</style>
          </head><body><p>hello</p><img src="${trap.url}/img"><iframe src="${trap.url}/frame"></iframe>
          <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
          <script>fetch("${trap.url}/script")</script></body></html>`;
          const out = await renderer.renderHtml(html);
          expect(Buffer.from(out.pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
          expect(out.blockedRequests).toContain(`${trap.url}/img`);
          expect(out.blockedRequests).toContain(`${trap.url}/css`);
          expect(out.blockedRequests.every((u) => u.startsWith(trap.url))).toBe(true);

          // And an image smuggled in through the data is escaped before it could even be requested.
          await renderer.render(
            ecotechReportData({ companyName: `EcoTech <img src="${trap.url}/from-data"> Ltd` }),
          );
          await new Promise((resolve) => setTimeout(resolve, 200));
          expect(trap.hits).toEqual([]);
        } finally {
          trap.server.close();
        }
      },
      LONG,
    );

    it(
      'reuses one browser across renders (in turn and at once), and relaunches after its browser is closed or killed',
      async () => {
        const pid = renderer.stats.browserPid;
        const launches = renderer.stats.launches;
        expect(pid).toEqual(expect.any(Number));
        const first = await renderer.render(data);
        const [second, third] = await Promise.all([renderer.render(data), renderer.render(data)]);
        expect(renderer.stats.browserPid).toBe(pid);
        expect(renderer.stats.launches).toBe(launches);
        for (const r of [first, second, third]) expect(r.bytes).toBeGreaterThan(10_000);

        // Closed underneath the renderer: the next render launches a new browser.
        const browser = renderer.browser!;
        await browser.close();
        await renderer.render(data);
        expect(renderer.stats.launches).toBe(launches + 1);
        const relaunched = renderer.stats.browserPid;
        expect(relaunched).not.toBe(pid);
        expect(renderer.browser).not.toBe(browser);

        // Crashed (killed): the same.
        const killed = renderer.browser!;
        const gone = new Promise((resolve) => killed.once('disconnected', resolve));
        process.kill(relaunched!, 'SIGKILL');
        await gone;
        const after = await renderer.render(data);
        expect(after.pdf.byteLength).toBeGreaterThan(10_000);
        expect(renderer.stats.launches).toBe(launches + 2);
        expect(renderer.stats.browserPid).not.toBe(relaunched);
      },
      LONG,
    );

    it(
      'aborts a render through its signal, and the browser carries on',
      async () => {
        const already = AbortSignal.abort(new Error('client went away'));
        await expect(renderer.render(data, { signal: already })).rejects.toThrow('client went away');

        const controller = new AbortController();
        const pending = renderer.render(data, { signal: controller.signal });
        setTimeout(() => controller.abort(), 5);
        await expect(pending).rejects.toMatchObject({ name: 'AbortError' });

        const launches = renderer.stats.launches;
        const ok = await renderer.render(data);
        expect(ok.bytes).toBeGreaterThan(10_000);
        expect(renderer.stats.launches).toBe(launches);
      },
      LONG,
    );

    it(
      'fails a render that exceeds its time limit with ReportRenderTimeoutError, and renders the next on a fresh browser',
      async () => {
        const strict = await ReportRenderer.launch({ renderTimeoutMs: 1 });
        try {
          const error = await strict.render(data).then(
            () => null,
            (e: unknown) => e,
          );
          expect(error).toBeInstanceOf(ReportRenderTimeoutError);
          expect((error as ReportRenderTimeoutError).timeoutMs).toBe(1);
          // The overrun browser may be hung: the next render gets a fresh one.
          const ok = await strict.render(data, { timeoutMs: 60_000 });
          expect(ok.bytes).toBeGreaterThan(10_000);
          expect(strict.stats.launches).toBe(2);
        } finally {
          await strict.close();
        }
      },
      LONG,
    );

    it(
      'recycles its browser after maxPagesBeforeRecycle pages, and refuses to render once closed',
      async () => {
        const recycling = await ReportRenderer.launch({ maxPagesBeforeRecycle: 2 });
        try {
          await recycling.render(data);
          const first = recycling.stats.browserPid!;
          await recycling.render(data); // the first browser's last page
          await recycling.render(data);
          const second = recycling.stats.browserPid!;
          expect(second).toEqual(expect.any(Number));
          expect(second).not.toBe(first);
          expect(recycling.stats.launches).toBe(2);
          expect(recycling.stats.renders).toBe(3);
          // The retired browser is closed once its last render is done.
          await expect.poll(() => isRunning(first), { timeout: 10_000 }).toBe(false);
        } finally {
          await recycling.close();
        }
        expect(recycling.browser).toBeNull();
        await expect(recycling.render(data)).rejects.toThrow(ReportRendererClosedError);
      },
      LONG,
    );
  },
);

it('counts the pages of a PDF from its page tree', () => {
  const pdf = new TextEncoder().encode(
    '%PDF-1.4\n1 0 obj <</Type /Pages /Kids [3 0 R 4 0 R] /Count 2>> endobj\n2 0 obj <</Type /Catalog /Pages 1 0 R>> endobj\n',
  );
  expect(countPdfPages(pdf)).toBe(2);
  expect(countPdfPages(new TextEncoder().encode('%PDF-1.4\n'))).toBeUndefined();
});
