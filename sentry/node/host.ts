// The Node.js implementation of the Sentry's Host: clocks, randomness, the debug log and stdio.
// Host files reach the Sentry only through the Gofer (sentry/vfs/fs/goferfs.ts): it opens no
// host file itself but its stdio and its log.

import { randomFillSync } from 'node:crypto';
import { openSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Host } from '../host.js';
import { NodeHostStream } from './stdio.js';

export interface NodeHostOptions {
  /** Where the Sentry's log goes: a file path, 'stderr', or null to drop it. */
  debugLog: string | null;
}

export function createNodeHost(opts: NodeHostOptions): Host {
  const start = process.hrtime.bigint();
  const realStartNs = BigInt(Date.now()) * 1_000_000n;
  // The log file is opened once, on the first line (not once per line: --strace writes many).
  let logFd: number | undefined;
  const toFile = (path: string) => (line: string) => {
    try {
      logFd ??= openSync(path, 'a');
      writeSync(logFd, `${new Date().toISOString()} ${line}\n`);
    } catch { /* a failing log must not take the sandbox down */ }
  };
  const log = opts.debugLog === null ? () => undefined
    : opts.debugLog === 'stderr' ? (line: string) => process.stderr.write(`tsvisor: ${line}\n`)
      : toFile(opts.debugLog);
  const split = (ns: bigint) => ({ sec: Number(ns / 1_000_000_000n), nsec: Number(ns % 1_000_000_000n) });
  return {
    clock: {
      realtime: () => split(realStartNs + (process.hrtime.bigint() - start)),
      monotonic: () => split(process.hrtime.bigint()),
    },
    randomBytes: (n) => randomFillSync(new Uint8Array(n)),
    log,
    stdio: [new NodeHostStream(0), new NodeHostStream(1), new NodeHostStream(2)],
    hostname: hostname(),
    yield: () => new Promise((r) => setImmediate(r)),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    setTimer,
  };
}

/** Node's timers take at most 2^31-1 ms (longer ones fire at once): longer waits go in steps. */
const TIMER_MAX_MS = 2 ** 31 - 1;

function setTimer(ms: number, fire: () => void): () => void {
  let timer: NodeJS.Timeout;
  const arm = (left: number) => {
    timer = setTimeout(left > TIMER_MAX_MS ? () => arm(left - TIMER_MAX_MS) : fire, Math.min(left, TIMER_MAX_MS));
  };
  arm(Math.max(ms, 0));
  return () => clearTimeout(timer);
}
