/**
 * A pricing thread's entry (see pricing-pool.ts): answers each job it is sent with
 * {@link answer} — the priced simulation, or the error that stopped it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { checkProjections } from '../../http/projection.js';
import { answer, type PricingRequest } from './pricing-pool.js';

const port = parentPort;
if (!port) throw new Error('pricing-thread.ts runs as a worker thread (see pricing-pool.ts)');
checkProjections((workerData as { checkProjections?: boolean } | null)?.checkProjections === true);
port.on('message', (request: PricingRequest) => port.postMessage(answer(request)));
