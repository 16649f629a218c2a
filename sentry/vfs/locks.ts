// Advisory file locks, per inode, as Linux's fs/locks.c: POSIX record locks (fcntl F_SETLK, owned
// by the process's fd table), OFD locks (F_OFD_SETLK, owned by the open file description; they
// share the POSIX list and conflict with POSIX locks) and flock(2) locks (whole file, owned by the
// description, never conflicting with the other two). Offsets are bigint: ranges reach
// OFFSET_MAX (2^63 - 1) and F_GETLK must report them exactly. Blocking requests are promises that
// a change of the locks settles, or cancelWaits (the process's exit; a signal's EINTR later).

import { Errno } from '../abi/errno.js';
import type { FileDescription } from './file.js';

export const F_RDLCK = 0, F_WRLCK = 1, F_UNLCK = 2;
/** The largest file offset (loff_t's maximum): a lock to "EOF" ends here. */
export const OFFSET_MAX = 2n ** 63n - 1n;
/** Linux gives up on deadlock detection after this many hops (owners sharing fd tables). */
const MAX_DEADLK_ITERATIONS = 10;

/** A held lock, or a request for one. Ranges are inclusive: [start, end]. */
export interface FileLock {
  type: number; // F_RDLCK, F_WRLCK (F_UNLCK only in a request)
  start: bigint;
  end: bigint;
  /** The fd table (POSIX) or the open file description (OFD, flock). */
  owner: object;
  /** An OFD lock: F_GETLK reports l_pid -1 and deadlock detection skips it. */
  ofd: boolean;
  /** The tgid of the process that set it (F_GETLK's l_pid for POSIX locks). */
  pid: number;
}

/** Who waits in a blocking request (F_SETLKW, F_OFD_SETLKW, flock without LOCK_NB). */
export interface Waiting {
  /** The waiting process (its fd table): its exit ends the wait, through cancelWaits. */
  proc: object;
  /** The waiting task: a signal will end the wait with EINTR through cancelWaits(task). */
  task: object;
}

/** The lock table a description's locks live in: its inode, or the description if it has none. */
export function lockKey(f: FileDescription): object {
  return f.location?.dentry.inode ?? f;
}

interface Waiter extends Waiting {
  readonly table: InodeLocks;
  /** Tries the request again: a result, or null while still blocked. */
  attempt(): number | null;
  resolve(result: number): void;
  done: boolean;
  /** A POSIX request and the lock it waits for, for deadlock detection (null for flock). */
  request: FileLock | null;
  blocker: FileLock | null;
}

interface InodeLocks {
  /** POSIX and OFD locks in Linux's list order: grouped by owner, each owner's sorted by start. */
  posix: FileLock[];
  flock: FileLock[];
  /** Blocked requests, in the order they blocked: woken ones retry in this order. */
  waiters: Waiter[];
  /** A wake-up pass is running (a retry that changes the locks asks for another pass). */
  waking: boolean;
  again: boolean;
}

const overlap = (a: FileLock, b: FileLock): boolean => a.end >= b.start && b.end >= a.start;
const typesConflict = (a: FileLock, b: FileLock): boolean => a.type === F_WRLCK || b.type === F_WRLCK;
/** Does held lock `l` block request `r`? A process's POSIX locks never block each other. */
const posixConflict = (r: FileLock, l: FileLock): boolean => l.owner !== r.owner && overlap(r, l) && typesConflict(r, l);

export class FileLocks {
  private readonly tables = new WeakMap<object, InodeLocks>();
  /** Waiting requests blocked by a POSIX (not OFD) lock: Linux's blocked_hash. */
  private readonly blocked = new Set<Waiter>();
  /** Every pending wait, for cancelWaits. */
  private readonly pending = new Set<Waiter>();

  private table(key: object): InodeLocks {
    let t = this.tables.get(key);
    if (!t) this.tables.set(key, t = { posix: [], flock: [], waiters: [], waking: false, again: false });
    return t;
  }

  // --- POSIX and OFD locks -------------------------------------------------------------------

  /**
   * F_GETLK: the first lock (in list order) that would block `req`, as a copy, or null. An
   * F_UNLCK request (F_OFD_GETLK only, Linux 6.7+) reports the owner's own overlapping lock.
   */
  testPosix(key: object, req: FileLock): FileLock | null {
    const t = this.tables.get(key);
    if (!t) return null;
    const hit = t.posix.find((l) => req.type === F_UNLCK ? l.owner === req.owner && overlap(req, l) : posixConflict(req, l));
    return hit ? { ...hit } : null;
  }

  /**
   * F_SETLK (waiting null: -EAGAIN on a conflict) or F_SETLKW (waits until it can be granted;
   * -EDEADLK when the wait would close a cycle of POSIX owners). Returns 0 or -errno.
   */
  setPosix(key: object, req: FileLock, waiting: Waiting | null = null): number | Promise<number> {
    const t = this.table(key);
    const r = this.tryPosix(t, req, waiting !== null);
    if (typeof r === 'number') return r;
    const w: Waiter = this.newWaiter(t, waiting!, req, () => {
      this.blocked.delete(w); // as Linux, a woken request is off the blocked list while it retries
      const again = this.tryPosix(t, req, true);
      if (typeof again === 'number') return again;
      this.setBlocker(w, again);
      return null;
    });
    this.setBlocker(w, r);
    return this.block(w);
  }

  /** What every close of a fd does (Linux locks_remove_posix): drops the process's POSIX locks. */
  releasePosix(key: object, owner: object): void {
    const t = this.tables.get(key);
    if (!t || !t.posix.some((l) => l.owner === owner)) return;
    t.posix = t.posix.filter((l) => l.owner !== owner);
    this.wake(t);
  }

  /** One try: 0 when applied, -EAGAIN (not waiting) or -EDEADLK, or the lock to wait for. */
  private tryPosix(t: InodeLocks, req: FileLock, wait: boolean): number | FileLock {
    if (req.type !== F_UNLCK) {
      const blocker = t.posix.find((l) => posixConflict(req, l));
      if (blocker) {
        if (!wait) return -Errno.EAGAIN;
        return this.deadlock(req, blocker) ? -Errno.EDEADLK : blocker;
      }
    }
    if (applyPosix(t.posix, { ...req })) this.wake(t);
    return 0;
  }

  private setBlocker(w: Waiter, blocker: FileLock): void {
    w.blocker = blocker;
    if (!blocker.ofd) this.blocked.add(w);
  }

  /**
   * Would `req` waiting for `blocker` close a cycle? Follows "the owner of this lock waits for
   * that lock" through blocked requests, as Linux's posix_locks_deadlock. OFD requests are not
   * checked: their owner is no thread of execution.
   */
  private deadlock(req: FileLock, blocker: FileLock): boolean {
    if (req.ofd) return false;
    let lock: FileLock | null = blocker;
    for (let i = 0; (lock = this.waitedForBy(lock.owner)) !== null;) {
      if (i++ > MAX_DEADLK_ITERATIONS) return false;
      if (lock.owner === req.owner) return true;
    }
    return false;
  }

  private waitedForBy(owner: object): FileLock | null {
    for (const w of this.blocked) if (w.request?.owner === owner) return w.blocker;
    return null;
  }

  // --- flock ---------------------------------------------------------------------------------

  /**
   * flock(2) for description `owner`: F_RDLCK (LOCK_SH), F_WRLCK (LOCK_EX) or F_UNLCK. As on
   * Linux, converting an existing lock first drops it, so a failed conversion leaves none.
   */
  flock(key: object, owner: object, type: number, pid: number, waiting: Waiting | null = null): number | Promise<number> {
    const t = this.table(key);
    const req: FileLock = { type, start: 0n, end: OFFSET_MAX, owner, ofd: false, pid };
    const r = this.tryFlock(t, req, waiting !== null);
    if (r !== null) return r;
    return this.block(this.newWaiter(t, waiting!, null, () => this.tryFlock(t, req, true)));
  }

  /** One try: 0, -EAGAIN (not waiting), or null to wait. */
  private tryFlock(t: InodeLocks, req: FileLock, wait: boolean): number | null {
    const k = t.flock.findIndex((l) => l.owner === req.owner);
    let changed = false;
    if (k >= 0) {
      if (t.flock[k].type === req.type) return 0;
      t.flock.splice(k, 1);
      changed = true;
    }
    let r: number | null = 0;
    if (req.type !== F_UNLCK) {
      if (t.flock.some((l) => typesConflict(req, l))) r = wait ? null : -Errno.EAGAIN;
      else t.flock.push({ ...req });
    }
    if (changed) this.wake(t);
    return r;
  }

  // --- descriptions and waits ------------------------------------------------------------------

  /** The last reference to description `f` went: its OFD and flock locks go with it. */
  releaseDescription(key: object, f: object): void {
    const t = this.tables.get(key);
    if (!t) return;
    const posix = t.posix.filter((l) => l.owner !== f);
    const flock = t.flock.filter((l) => l.owner !== f);
    if (posix.length === t.posix.length && flock.length === t.flock.length) return;
    t.posix = posix;
    t.flock = flock;
    this.wake(t);
  }

  /**
   * Ends the waits of `who` (a waiting task or process) with `result`. A wait is a promise that
   * only a change of the locks settles, so whatever else must end one (the process exiting now,
   * a signal's EINTR once signals are delivered) goes through here.
   */
  cancelWaits(who: object, result = -Errno.EINTR): void {
    for (const w of [...this.pending]) if (w.task === who || w.proc === who) this.finish(w, result);
  }

  /** The locks held on `key`, in list order (tests, /proc/locks). */
  held(key: object): { posix: readonly FileLock[]; flock: readonly FileLock[] } {
    const t = this.tables.get(key);
    return { posix: t?.posix ?? [], flock: t?.flock ?? [] };
  }

  /** How many requests wait on `key`. */
  waiting(key: object): number { return this.tables.get(key)?.waiters.length ?? 0; }

  private newWaiter(table: InodeLocks, waiting: Waiting, request: FileLock | null, attempt: () => number | null): Waiter {
    return { proc: waiting.proc, task: waiting.task, table, attempt, resolve: () => {}, done: false, request, blocker: null };
  }

  private block(w: Waiter): Promise<number> {
    w.table.waiters.push(w);
    this.pending.add(w);
    return new Promise<number>((resolve) => { w.resolve = resolve; });
  }

  private finish(w: Waiter, result: number): void {
    if (w.done) return;
    w.done = true;
    this.blocked.delete(w);
    this.pending.delete(w);
    const k = w.table.waiters.indexOf(w);
    if (k >= 0) w.table.waiters.splice(k, 1);
    w.resolve(result);
  }

  /**
   * The locks on `t` changed: every waiter tries again, in the order they blocked (Linux wakes
   * the waiters of each changed lock and they race; here the first to have blocked goes first).
   */
  private wake(t: InodeLocks): void {
    if (t.waking) { t.again = true; return; }
    t.waking = true;
    try {
      do {
        t.again = false;
        for (const w of [...t.waiters]) {
          if (w.done) continue;
          const r = w.attempt();
          if (r !== null) this.finish(w, r);
        }
      } while (t.again);
    } finally {
      t.waking = false;
    }
  }
}

/**
 * Applies `req` (no conflict left) to the owner's locks in `list`, as Linux's posix_lock_inode:
 * same-type locks that overlap or touch the request merge into one; other types are cut back,
 * split or replaced; an owner's first lock goes to the end of the list. Returns whether the list
 * changed.
 */
export function applyPosix(list: FileLock[], req: FileLock): boolean {
  let i = 0;
  while (i < list.length && list[i].owner !== req.owner) i++;
  let request = req;
  let added = false;
  let changed = false;
  let left: FileLock | null = null, right: FileLock | null = null;
  for (; i < list.length && list[i].owner === req.owner; i++) {
    const fl = list[i];
    if (request.type === fl.type) {
      // Adjacent or overlapping: compare with start - 1, since end + 1 overflows at OFFSET_MAX.
      if (fl.end < request.start - 1n) continue;
      if (fl.start - 1n > request.end) break;
      if (fl.start > request.start) fl.start = request.start; else request.start = fl.start;
      if (fl.end < request.end) fl.end = request.end; else request.end = fl.end;
      changed = true;
      if (added) { list.splice(i--, 1); continue; }
      request = fl;
      added = true;
    } else {
      if (fl.end < request.start) continue;
      if (fl.start > request.end) break;
      if (request.type === F_UNLCK) added = true;
      if (fl.start < request.start) left = fl;
      if (fl.end > request.end) { right = fl; break; }
      if (fl.start >= request.start) {
        // The request covers this lock entirely: it goes (or is replaced by the request).
        changed = true;
        if (added) { list.splice(i--, 1); continue; }
        request = { ...request };
        list[i] = request;
        added = true;
      }
    }
  }
  if (!added) {
    if (request.type === F_UNLCK) return changed;
    request = { ...request };
    list.splice(i, 0, request);
    changed = true;
  }
  if (right) {
    if (left === right) { // the request cuts one lock in two: its left part is a new lock
      left = { ...right };
      list.splice(i, 0, left);
    }
    right.start = request.end + 1n;
    changed = true;
  }
  if (left) { left.end = request.start - 1n; changed = true; }
  return changed;
}

/** The Sentry's lock tables (keys are inodes, so one table serves every mount and kernel). */
export const fileLocks = new FileLocks();
