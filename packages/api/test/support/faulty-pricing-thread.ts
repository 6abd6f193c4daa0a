/**
 * A faulty pricing thread for the pool's tests: it dies (`process.exit(3)`) on a job whose draft
 * id is `die`, never answers (a busy loop) one whose id is `hang`, and answers every other job as
 * the real one (src/modules/loan-simulations/pricing-thread.ts) does.
 */
import { parentPort } from 'node:worker_threads';
import { answer, type PricingRequest } from '../../src/modules/loan-simulations/pricing-pool.js';

parentPort?.on('message', (request: PricingRequest) => {
  if (request.job.draft.id === 'die') process.exit(3);
  if (request.job.draft.id === 'hang') for (;;);
  parentPort?.postMessage(answer(request));
});
