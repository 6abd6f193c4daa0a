/**
 * Prints one plain closing line, `Tests: N passed, N failed, N skipped`, after vitest's own summary,
 * so CI logs say in one place how many tests ran and how many were skipped (never hidden). A file
 * that failed outside its tests (a `beforeAll`/`afterAll` hook, an import) and unhandled errors —
 * both fail the run even when every test passed — are named on the same line.
 */
import type { SerializedError } from '@vitest/utils';
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<SerializedError>,
  ): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    let failedFiles = 0;
    for (const mod of testModules) {
      let failedHere = 0;
      for (const t of mod.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failedHere++;
        else skipped++;
      }
      failed += failedHere;
      if (mod.state() === 'failed' && failedHere === 0) failedFiles++;
    }
    const extra = [
      failedFiles > 0 ? `${failedFiles} file(s) failed outside their tests (hook or import error)` : '',
      unhandledErrors.length > 0 ? `${unhandledErrors.length} unhandled error(s)` : '',
    ].filter((s) => s !== '');
    process.stdout.write(
      `\nTests: ${passed} passed, ${failed} failed, ${skipped} skipped${extra.length > 0 ? `; ${extra.join('; ')}` : ''}\n`,
    );
  }
}
