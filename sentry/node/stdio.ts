// Host stdin/stdout/stderr for the guest, read and written with asynchronous fs calls on the
// libuv thread pool: a full pipe or a slow terminal delays the guest task, never the event loop.
// A host fd in O_NONBLOCK mode answers EAGAIN; we wait a little and retry.
//
// poll's read-ahead (sentry/vfs/stream_file.ts) must be abandonable: a blocking read on the
// thread pool cannot be, and would keep runts alive after the guest ends until input came. It
// reads from a non-blocking description of its own (the pipe or terminal opened again through
// /proc/self/fd, which leaves the shared description's flags alone), retrying on timers that
// cancel() clears. Where that open fails (a socket), it is an ordinary read.

import { constants, fstatSync, openSync, read, write } from 'node:fs';
import { isatty } from 'node:tty';
import { Errno } from '../abi/errno.js';
import type { HostStream } from '../host.js';
import type { Stat } from '../vfs/stat.js';
import { hostErrno, toStat } from './host_errno.js';

const RETRY_MS = 2;

function readOnce(fd: number, dst: Uint8Array): Promise<number> {
  return new Promise((resolve) => {
    read(fd, dst, 0, dst.length, null, (err, n) => resolve(err ? (err.code === 'EAGAIN' ? -Errno.EAGAIN : hostErrno(err)) : n));
  });
}

function writeOnce(fd: number, src: Uint8Array): Promise<number> {
  return new Promise((resolve) => {
    write(fd, src, 0, src.length, null, (err, n) => resolve(err ? (err.code === 'EAGAIN' ? -Errno.EAGAIN : hostErrno(err)) : n));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The longest pause between two tries of a read-ahead that finds nothing (input latency). */
const READ_AHEAD_MAX_PAUSE_MS = 16;

export class NodeHostStream implements HostStream {
  readonly isTty: boolean;
  private readonly attrs: Stat | null;

  constructor(private readonly fd: number) {
    this.isTty = isatty(fd);
    let attrs: Stat | null = null;
    try { attrs = toStat(fstatSync(fd, { bigint: true })); } catch { attrs = null; }
    this.attrs = attrs;
  }

  /** A non-blocking description of the same file for read-aheads; null when it cannot be had. */
  private nonblocking: number | null | undefined;

  private nonblockingFd(): number | null {
    if (this.nonblocking === undefined) {
      try {
        this.nonblocking = openSync(`/proc/self/fd/${this.fd}`, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
      } catch {
        this.nonblocking = null;
      }
    }
    return this.nonblocking;
  }

  readAhead(dst: Uint8Array): { done: Promise<number>; cancel(): void } {
    const fd = this.nonblockingFd();
    if (fd === null) return { done: this.read(dst), cancel: () => undefined };
    let cancelled = false;
    let timer: NodeJS.Timeout | undefined;
    const done = new Promise<number>((resolve) => {
      let pause = 1;
      const attempt = () => {
        void readOnce(fd, dst).then((n) => {
          if (cancelled) return;
          if (n !== -Errno.EAGAIN) { resolve(n); return; }
          timer = setTimeout(attempt, pause);
          pause = Math.min(pause * 2, READ_AHEAD_MAX_PAUSE_MS);
        });
      };
      attempt();
    });
    return { done, cancel: () => { cancelled = true; clearTimeout(timer); } };
  }

  async read(dst: Uint8Array): Promise<number> {
    for (;;) {
      const n = await readOnce(this.fd, dst);
      if (n !== -Errno.EAGAIN) return n;
      await sleep(RETRY_MS);
    }
  }

  async write(src: Uint8Array): Promise<number> {
    let done = 0;
    while (done < src.length) {
      const n = await writeOnce(this.fd, src.subarray(done));
      if (n === -Errno.EAGAIN) { await sleep(RETRY_MS); continue; }
      if (n < 0) return done > 0 ? done : n;
      done += n;
    }
    return done;
  }

  stat(): Stat {
    if (this.attrs) return this.attrs;
    const t = { sec: 0, nsec: 0 };
    return { dev: 0, ino: 0, mode: 0o010600, nlink: 1, uid: 0, gid: 0, rdev: 0, size: 0, blksize: 4096, blocks: 0, atime: t, mtime: t, ctime: t };
  }

  winsize(): { rows: number; cols: number } {
    const s = this.fd === 0 ? process.stdin : this.fd === 1 ? process.stdout : process.stderr;
    const tty = s as NodeJS.WriteStream;
    return { rows: tty.rows ?? 24, cols: tty.columns ?? 80 };
  }
}
