/**
 * PDF report rendering, cold vs warm (issue 4 §7): `npx tsx packages/workflows/bench/report.bench.ts`
 *  - cold: launch Chromium + the first render of the EcoTech report;
 *  - warm: median of 10 renders back to back on the same browser (a new context and page each).
 * Target: warm ≤ 400 ms on 2 cores. Options: `--renders N` (default 10), `--out file.pdf` (writes
 * the last PDF, to look at it). Needs Chromium (CHROMIUM_PATH or /usr/bin/chromium); exits 0 with a
 * message when there is none.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { ecotechReportData } from '../src/reports/ecotech-report-data.js';
import { ReportRenderer, resolveChromiumPath } from '../src/reports/renderer.js';
import { renderReportHtml } from '../src/reports/report-html.js';

const TARGET_WARM_MS = 400;
const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const renders = Math.max(1, Number(arg('renders') ?? 10));
const out = arg('out');

const chromium = resolveChromiumPath();
if (!existsSync(chromium)) {
  console.log(`report bench skipped: no Chromium at ${chromium} (install chromium or set CHROMIUM_PATH)`);
  process.exit(0);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const ms = (x: number) => `${x.toFixed(0).padStart(6)} ms`;

const data = ecotechReportData({ generatedAt: '2026-11-22T10:15:30Z' });

// The HTML step alone (pure: template + charts), for scale.
const htmlTimes: number[] = [];
for (let i = 0; i < 50; i++) {
  const t = performance.now();
  renderReportHtml(data);
  htmlTimes.push(performance.now() - t);
}

const t0 = performance.now();
const renderer = await ReportRenderer.launch();
const launched = performance.now();
const first = await renderer.render(data);
const cold = performance.now() - t0;

const warm: number[] = [];
let last = first;
for (let i = 0; i < renders; i++) {
  const t = performance.now();
  last = await renderer.render(data);
  warm.push(performance.now() - t);
}
const stats = renderer.stats;
await renderer.close();
if (out) writeFileSync(out, last.pdf);

const warmMedian = median(warm);
console.log(
  `PDF report (EcoTech, ${last.pages} pages, ${(last.bytes / 1024).toFixed(0)} KiB) — Chromium ${chromium}`,
);
console.log(
  `machine: ${availableParallelism()} cores, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
console.log(`  HTML only (template + SVG), median of 50 ${ms(median(htmlTimes))}`);
console.log(`  cold: launch                             ${ms(launched - t0)}`);
console.log(`  cold: launch + first render              ${ms(cold)}`);
console.log(
  `  warm: median of ${String(renders).padEnd(2)} renders, same browser  ${ms(warmMedian)}   (min ${Math.min(...warm).toFixed(0)}, max ${Math.max(...warm).toFixed(0)})`,
);
console.log(
  `  target warm ≤ ${TARGET_WARM_MS} ms: ${warmMedian <= TARGET_WARM_MS ? 'met' : 'MISSED'}; browsers launched: ${stats.launches}, renders: ${stats.renders}`,
);
if (out) console.log(`  wrote ${out} (sha256 ${last.sha256})`);
