/**
 * A workflow that breaks the sandbox rules (a Node built-in), for the test proving that
 * bundling catches such code. Never registered with a worker.
 */
import { readFileSync } from 'node:fs';

export async function readsAFile(): Promise<string> {
  return readFileSync('/etc/hostname', 'utf8');
}
