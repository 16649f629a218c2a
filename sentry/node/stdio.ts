// Host stdin/stdout/stderr for the guest, read and written with asynchronous fs calls on the
// libuv thread pool: a full pipe or a slow terminal delays the guest task, never the event loop.
// A host fd in O_NONBLOCK mode answers EAGAIN; we wait a little and retry.

import { fstatSync, read, write } from 'node:fs';
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

export class NodeHostStream implements HostStream {
  readonly isTty: boolean;
  private readonly attrs: Stat | null;

  constructor(private readonly fd: number) {
    this.isTty = isatty(fd);
    let attrs: Stat | null = null;
    try { attrs = toStat(fstatSync(fd, { bigint: true })); } catch { attrs = null; }
    this.attrs = attrs;
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
