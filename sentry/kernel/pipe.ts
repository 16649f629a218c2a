// Pipes and FIFOs (Linux fs/pipe.c, gVisor kernel/pipe): a bounded byte buffer between a read end
// and a write end. A read waits for data and sees end of file once every writer is gone; a write
// of at most PIPE_BUF bytes goes in whole or not at all; writing with no reader left is EPIPE
// (and SIGPIPE). Blocked ends sleep in a wait queue, never blocking the Sentry.

import { Errno } from '../abi/errno.js';
import { POLLERR, POLLHUP, POLLIN, POLLOUT, POLLRDNORM, POLLWRNORM } from '../abi/poll.js';
import { O_ACCMODE, O_NONBLOCK, O_RDONLY, O_WRONLY, type FileDescription, type IoctlIo, type MaybeAsync } from '../vfs/file.js';
import { S_IFIFO, type Stat, type Timespec } from '../vfs/stat.js';
import { ERESTARTSYS } from './signals.js';
import type { Task } from './task.js';
import { WaitQueue } from './wait_queue.js';

export const PIPE_BUF = 4096;
/** A new pipe's capacity (16 pages), and the most F_SETPIPE_SZ may ask (/proc/sys/fs/pipe-max-size). */
export const PIPE_DEFAULT_SIZE = 65536, PIPE_MAX_SIZE = 1 << 20;

const FIONREAD = 0x541b;

/** What a pipe end needs from the kernel: who is calling, and SIGPIPE for a writer with no reader. */
export interface PipeHost {
  currentTask(): Task | null;
  brokenPipe(t: Task): void;
  now(): Timespec;
}

export class Pipe {
  private buf: Uint8Array;
  private head = 0;
  /** Bytes buffered. */
  length = 0;
  readers = 0;
  writers = 0;
  /**
   * Every change (data in, space freed, an end opened or closed) wakes both sides; a notification
   * names the poll events it concerns, as Linux's keyed wakeups do (epoll's edge triggering
   * depends on which changes wake it).
   */
  readonly changed = new WaitQueue();
  /** Counts opens of each end, so a FIFO open can wait for the other side's first one. */
  opens = { readers: 0, writers: 0 };

  constructor(readonly dev: number, readonly ino: number, readonly created: Timespec, readonly uid: number, readonly gid: number) {
    this.buf = new Uint8Array(PIPE_DEFAULT_SIZE);
  }

  get capacity(): number { return this.buf.length; }

  /** F_SETPIPE_SZ: at least `size` (rounded up to a power-of-two number of pages); EBUSY if the data would not fit. */
  resize(size: number): number {
    if (size <= 0 || size > PIPE_MAX_SIZE) return size > PIPE_MAX_SIZE ? -Errno.EPERM : -Errno.EINVAL;
    let cap = 4096;
    while (cap < size) cap *= 2;
    if (cap < this.length) return -Errno.EBUSY;
    const next = new Uint8Array(cap);
    this.take(next.subarray(0, this.length), true);
    this.buf = next;
    this.head = 0;
    this.changed.notifyAll();
    return cap;
  }

  /** Copies out up to dst.length bytes (removing them unless `peek`). */
  take(dst: Uint8Array, peek = false): number {
    const n = Math.min(dst.length, this.length);
    const first = Math.min(n, this.buf.length - this.head);
    dst.set(this.buf.subarray(this.head, this.head + first), 0);
    if (n > first) dst.set(this.buf.subarray(0, n - first), first);
    if (!peek) {
      this.head = (this.head + n) % this.buf.length;
      this.length -= n;
      if (this.length === 0) this.head = 0;
    }
    return n;
  }

  /** Appends as much of `src` as fits; returns how much. */
  put(src: Uint8Array): number {
    const n = Math.min(src.length, this.buf.length - this.length);
    const tail = (this.head + this.length) % this.buf.length;
    const first = Math.min(n, this.buf.length - tail);
    this.buf.set(src.subarray(0, first), tail);
    if (n > first) this.buf.set(src.subarray(first, n), 0);
    this.length += n;
    return n;
  }

  /**
   * A description for one end: `flags`' access mode says which (O_RDWR is both, for FIFOs). A
   * FIFO's descriptions show its inode's attributes (`stat`).
   */
  open(flags: number, host: PipeHost, path: string, stat?: () => MaybeAsync<Stat | number>): PipeFile {
    const mode = flags & O_ACCMODE;
    if (mode !== O_WRONLY) { this.readers++; this.opens.readers++; }
    if (mode !== O_RDONLY) { this.writers++; this.opens.writers++; }
    this.changed.notifyAll();
    return new PipeFile(this, flags, host, path, stat);
  }
}

export class PipeFile implements FileDescription {
  private released = false;

  constructor(readonly pipe: Pipe, public flags: number, private readonly host: PipeHost, readonly path: string,
    private readonly inodeStat?: () => MaybeAsync<Stat | number>) {}

  private get readsEnd(): boolean { return (this.flags & O_ACCMODE) !== O_WRONLY; }
  private get writesEnd(): boolean { return (this.flags & O_ACCMODE) !== O_RDONLY; }

  read(dst: Uint8Array, offset: number): number | Promise<number> {
    if (offset >= 0) return -Errno.ESPIPE;
    if (dst.length === 0) return 0;
    const p = this.pipe;
    if (p.length > 0) return this.drain(dst);
    if (p.writers === 0) return 0;
    if (this.flags & O_NONBLOCK) return -Errno.EAGAIN;
    return this.readSlow(dst, this.host.currentTask());
  }

  private async readSlow(dst: Uint8Array, t: Task | null): Promise<number> {
    const p = this.pipe;
    if (!(await p.changed.waitUntil(t, () => p.length > 0 || p.writers === 0))) return -ERESTARTSYS;
    return p.length > 0 ? this.drain(dst) : 0;
  }

  /**
   * Takes data; writers hear of it only when the pipe was too full to write to (Linux pipe_read's
   * was_full): a blocked writer is always waiting for such a pipe.
   */
  private drain(dst: Uint8Array): number {
    const p = this.pipe;
    const wasFull = p.capacity - p.length < PIPE_BUF;
    const n = p.take(dst);
    if (wasFull) p.changed.notifyAll(POLLOUT | POLLWRNORM);
    return n;
  }

  write(src: Uint8Array, offset: number): number | Promise<number> {
    if (offset >= 0) return -Errno.ESPIPE;
    if (src.length === 0) return 0;
    const t = this.host.currentTask();
    return this.writeSome(src, t, 0);
  }

  /** Writes from src[done..]; waits for room unless O_NONBLOCK. Small writes are never split. */
  private writeSome(src: Uint8Array, t: Task | null, done: number): number | Promise<number> {
    const p = this.pipe;
    for (;;) {
      if (p.readers === 0) {
        if (t) this.host.brokenPipe(t);
        return done > 0 ? done : -Errno.EPIPE;
      }
      const left = src.length - done;
      const room = p.capacity - p.length;
      if (left <= PIPE_BUF ? room >= left : room > 0) {
        done += p.put(src.subarray(done));
        p.changed.notifyAll(POLLIN | POLLRDNORM);
        if (done === src.length) return done;
        continue;
      }
      if (this.flags & O_NONBLOCK) return done > 0 ? done : -Errno.EAGAIN;
      return p.changed.wait(t).then((woken) => woken ? this.writeSome(src, t, done) : done > 0 ? done : -ERESTARTSYS);
    }
  }

  seek(): number { return -Errno.ESPIPE; }

  stat(): MaybeAsync<Stat | number> {
    if (this.inodeStat) return this.inodeStat();
    const p = this.pipe;
    return {
      dev: p.dev, ino: p.ino, mode: S_IFIFO | 0o600, nlink: 1, uid: p.uid, gid: p.gid, rdev: 0, size: 0,
      blksize: 4096, blocks: 0, atime: p.created, mtime: p.created, ctime: p.created,
    };
  }

  ioctl(cmd: number, arg: number, io: IoctlIo): number {
    if (cmd !== FIONREAD) return -Errno.ENOTTY;
    const b = new Uint8Array(4);
    new DataView(b.buffer).setInt32(0, this.readsEnd ? this.pipe.length : 0, true);
    return io.copyOut(arg, b) ? 0 : -Errno.EFAULT;
  }

  readdir(): number { return -Errno.ENOTDIR; }
  readable(): number { return this.readsEnd ? this.pipe.length : 0; }

  /** poll(2) events ready now. */
  readiness(): number {
    const p = this.pipe;
    let ev = 0;
    if (this.readsEnd) {
      if (p.length > 0) ev |= POLLIN | POLLRDNORM;
      if (p.writers === 0 && p.opens.writers > 0) ev |= POLLHUP;
    }
    if (this.writesEnd) {
      if (p.capacity - p.length >= PIPE_BUF) ev |= POLLOUT | POLLWRNORM;
      if (p.readers === 0) ev |= POLLERR;
    }
    return ev;
  }

  get events(): WaitQueue { return this.pipe.changed; }

  release(): void {
    if (this.released) return;
    this.released = true;
    if (this.readsEnd) this.pipe.readers--;
    if (this.writesEnd) this.pipe.writers--;
    this.pipe.changed.notifyAll();
  }
}

