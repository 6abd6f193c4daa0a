/**
 * A pricing thread that dies on a job whose draft id is `die` (`process.exit(3)`) and answers
 * every other job as the real one (src/modules/loan-simulations/pricing-thread.ts) does: for the
 * pool's test of a thread lost mid-job.
 */
import { parentPort } from 'node:worker_threads';
import { answer, type PricingRequest } from '../../src/modules/loan-simulations/pricing-pool.js';

parentPort?.on('message', (request: PricingRequest) => {
  if (request.job.draft.id === 'die') process.exit(3);
  parentPort?.postMessage(answer(request));
});
