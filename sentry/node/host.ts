// The Node.js implementation of the Sentry's Host: clocks, randomness, the debug log, stdio and
// read-only host files.

import { randomFillSync } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Host } from '../host.js';
import { NodeHostFs } from './host_fs.js';
import { NodeHostStream } from './stdio.js';

export interface NodeHostOptions {
  /** Where the Sentry's log goes: a file path, 'stderr', or null to drop it. */
  debugLog: string | null;
}

export function createNodeHost(opts: NodeHostOptions): Host {
  const start = process.hrtime.bigint();
  const realStartNs = BigInt(Date.now()) * 1_000_000n;
  const log = opts.debugLog === null ? () => undefined
    : opts.debugLog === 'stderr' ? (line: string) => process.stderr.write(`tsvisor: ${line}\n`)
      : (line: string) => appendFileSync(opts.debugLog!, `${new Date().toISOString()} ${line}\n`);
  const split = (ns: bigint) => ({ sec: Number(ns / 1_000_000_000n), nsec: Number(ns % 1_000_000_000n) });
  return {
    clock: {
      realtime: () => split(realStartNs + (process.hrtime.bigint() - start)),
      monotonic: () => split(process.hrtime.bigint()),
    },
    randomBytes: (n) => randomFillSync(new Uint8Array(n)),
    log,
    stdio: [new NodeHostStream(0), new NodeHostStream(1), new NodeHostStream(2)],
    fs: new NodeHostFs(),
    hostname: hostname(),
    yield: () => new Promise((r) => setImmediate(r)),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  };
}
