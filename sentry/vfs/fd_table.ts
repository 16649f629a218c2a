// The file descriptor table of a process (shared between threads by CLONE_FILES): fd numbers to
// open file descriptions, with the close-on-exec flag, and descriptions' reference counts.

import { Errno } from '../abi/errno.js';
import type { FileDescription } from './file.js';
import { fileLocks, lockKey } from './locks.js';

interface Slot { file: FileDescription; cloexec: boolean }

const refs = new WeakMap<FileDescription, number>();
/** Who wants to know when a description's last reference goes (epoll, to drop its entries). */
const lastCloseWatchers = new WeakMap<FileDescription, Set<() => void>>();

export function retain(f: FileDescription): void { refs.set(f, (refs.get(f) ?? 0) + 1); }
export function releaseRef(f: FileDescription): void {
  const n = (refs.get(f) ?? 1) - 1;
  if (n <= 0) {
    refs.delete(f);
    fileLocks.releaseDescription(lockKey(f), f); // its OFD and flock locks
    const watchers = lastCloseWatchers.get(f);
    lastCloseWatchers.delete(f);
    if (watchers) for (const fn of watchers) fn();
    f.release();
  } else refs.set(f, n);
}

/**
 * Calls `fn` when the last reference to `f` is dropped, before f.release() (Linux's
 * eventpoll_release in __fput); returns a function that cancels the watch.
 */
export function onLastClose(f: FileDescription, fn: () => void): () => void {
  let set = lastCloseWatchers.get(f);
  if (!set) { set = new Set(); lastCloseWatchers.set(f, set); }
  set.add(fn);
  return () => { lastCloseWatchers.get(f)?.delete(fn); };
}

export class FdTable {
  private readonly slots: (Slot | undefined)[] = [];
  /** RLIMIT_NOFILE */
  limit = 1024;
  private users = 1;

  get(fd: number): FileDescription | undefined {
    return fd >= 0 ? this.slots[fd]?.file : undefined;
  }

  getCloexec(fd: number): boolean { return this.slots[fd]?.cloexec ?? false; }
  setCloexec(fd: number, v: boolean): void { const s = this.slots[fd]; if (s) s.cloexec = v; }

  /** Installs at the lowest free fd >= min; returns it or -EMFILE. */
  add(file: FileDescription, cloexec = false, min = 0): number {
    for (let fd = min; fd < this.limit; fd++) {
      if (!this.slots[fd]) { this.install(fd, file, cloexec); return fd; }
    }
    return -Errno.EMFILE;
  }

  /** Installs at exactly `fd`, closing what was there (dup2). */
  install(fd: number, file: FileDescription, cloexec: boolean): void {
    retain(file);
    const old = this.slots[fd];
    this.slots[fd] = { file, cloexec };
    if (old) this.closeFile(old.file);
  }

  close(fd: number): number {
    const s = fd >= 0 ? this.slots[fd] : undefined;
    if (!s) return -Errno.EBADF;
    this.slots[fd] = undefined;
    this.closeFile(s.file);
    return 0;
  }

  /** Closing any fd of a file drops all of this process's POSIX locks on it (fcntl(2), NOTES). */
  private closeFile(f: FileDescription): void {
    fileLocks.releasePosix(lockKey(f), this);
    releaseRef(f);
  }

  closeAll(): void {
    fileLocks.cancelWaits(this); // the process is gone: its lock waits end
    for (let fd = 0; fd < this.slots.length; fd++) if (this.slots[fd]) this.close(fd);
  }

  /** Whether another task uses it too. */
  get shared(): boolean { return this.users > 1; }

  /** Another task shares this table (clone with CLONE_FILES). */
  retain(): void { this.users++; }

  /** A task stops using it (exit); the last one closes every fd. */
  drop(): void { if (--this.users === 0) this.closeAll(); }

  /** A copy for a new process (fork): the same open descriptions, each one reference more. */
  fork(): FdTable {
    const copy = new FdTable();
    copy.limit = this.limit;
    this.slots.forEach((s, fd) => { if (s) copy.install(fd, s.file, s.cloexec); });
    return copy;
  }

  /** Open fds, for /proc/self/fd. */
  fds(): number[] {
    const out: number[] = [];
    this.slots.forEach((s, fd) => { if (s) out.push(fd); });
    return out;
  }
}
