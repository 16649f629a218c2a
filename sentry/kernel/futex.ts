// Futex wait queues and keys (Linux kernel/futex/core.c, waitwake.c, requeue.c; gVisor
// pkg/sentry/kernel/futex): tasks sleeping on a 32-bit word of guest memory until another task
// wakes that word, a deadline passes or a signal comes. Waits are promises, so a waiting task never
// blocks the host's event loop. The PI operations build on this in futex_pi.ts.
//
// Keys (get_futex_key): a private futex is named by its memory manager and address; a shared one
// by the frame and offset of a MAP_SHARED or file page, so processes mapping it meet there, or, in
// the process's own anonymous memory, by address in a name space of its own (Linux's
// FUT_OFF_MMSHARED keys: a private and a shared futex on one address never meet).
//
// Guest words are read and changed with Atomics on guest physical memory, so the kernel's
// compare-and-exchange stays atomic against guest threads running on other host threads.

import { Errno } from '../abi/errno.js';
import type { PhysicalMemory } from '../../platform/platform.js';
import type { MemoryManager } from '../mm/mm.js';
import type { Task } from './task.js';

export const FUTEX_WAITERS = 0x80000000 | 0, FUTEX_OWNER_DIED = 0x40000000, FUTEX_TID_MASK = 0x3fffffff;
export const FUTEX_BITSET_MATCH_ANY = -1;
/** The highest address a futex may have (x86-64's user pointer limit, as access_ok checks it). */
const USER_PTR_MAX = 0x7ffffffff000;
const PAGE_SIZE = 4096;

export const enum WakeReason { WOKEN, TIMEOUT, CANCELLED }

/** What a waiter waits for. */
export const enum WaiterKind {
  /** FUTEX_WAIT(_BITSET): a wake. */
  PLAIN,
  /** FUTEX_WAIT_REQUEUE_PI before it is requeued: a CMP_REQUEUE_PI onto its PI futex. */
  REQUEUE_PI,
  /** FUTEX_LOCK_PI(2), or a requeued WAIT_REQUEUE_PI: the lock, handed over by its owner. */
  PI,
}

/** A deadline: milliseconds since the epoch of CLOCK_REALTIME or CLOCK_MONOTONIC. */
export interface Deadline { realtime: boolean; ms: number }

/** What futex waits need from the host: the clocks and timers that can be called off. */
export interface FutexTimers {
  nowMs(realtime: boolean): number;
  setTimer(ms: number, fire: () => void): () => void;
}

/** A task queued on a futex (Linux struct futex_q). */
export class Waiter {
  /** Set when the PI lock was handed to it. */
  locked = false;
  done = false;
  resolve: (r: WakeReason) => void = () => undefined;
  cancelTimer: (() => void) | null = null;

  constructor(
    readonly task: Task,
    /** The word it waits on, in its own address space (a PI handover writes it). */
    readonly mm: MemoryManager,
    public addr: number,
    public key: string,
    readonly bitset: number,
    public kind: WaiterKind,
    /** WAIT_REQUEUE_PI: the PI futex it may be requeued to, and that word's address. */
    readonly requeueKey: string | null = null,
    readonly requeueAddr = 0,
  ) {}
}

export class FutexTable {
  private readonly queues = new Map<string, Waiter[]>();
  /** Each task waits on one futex at most: what a signal or a kill ends. */
  private readonly waiting = new Map<Task, Waiter>();
  /** The owner of each PI futex that has waiters (Linux's futex_pi_state). */
  private readonly piOwners = new Map<string, Task>();
  private readonly mmIds = new WeakMap<MemoryManager, number>();
  private nextMmId = 1;
  private readonly words: Int32Array;

  constructor(
    memory: PhysicalMemory,
    private readonly timers: FutexTimers,
    /** Whether a task must not start sleeping: a signal is pending, or it is being killed. */
    private readonly interrupted: (t: Task) => boolean,
  ) {
    this.words = new Int32Array(memory.buffer);
  }

  // --- keys and words ------------------------------------------------------------------------

  /**
   * The key of the futex at `addr` (get_futex_key): -EINVAL when misaligned, -EFAULT when out of
   * range or, for a shared futex, when its page cannot be had (`write`: for writing).
   */
  key(mm: MemoryManager, addr: number, shared: boolean, write: boolean): string | number {
    if (addr % 4 !== 0) return -Errno.EINVAL;
    if (addr > USER_PTR_MAX) return -Errno.EFAULT;
    if (!shared) return `p${this.mmId(mm)}:${addr}`;
    const page = mm.futexPage(addr, write);
    if (page === null) return -Errno.EFAULT;
    return page === 'anon' ? `s${this.mmId(mm)}:${addr}` : `f${page}:${addr % PAGE_SIZE}`;
  }

  private mmId(mm: MemoryManager): number {
    let id = this.mmIds.get(mm);
    if (id === undefined) this.mmIds.set(mm, id = this.nextMmId++);
    return id;
  }

  /** The word at `addr`, or null when it cannot be read (misaligned only for UNLOCK_PI's first look). */
  load(mm: MemoryManager, addr: number): number | null {
    if (addr % 4 !== 0) {
      const b = new Uint8Array(4);
      return mm.copyIn(addr, b) ? new DataView(b.buffer).getInt32(0, true) : null;
    }
    const p = mm.wordAddress(addr, false);
    return p < 0 ? null : Atomics.load(this.words, p >>> 2);
  }

  /** Atomically: if the word is `expected`, it becomes `next`. Returns the old value, or null on EFAULT. */
  cmpxchg(mm: MemoryManager, addr: number, expected: number, next: number): number | null {
    const p = mm.wordAddress(addr, true);
    return p < 0 ? null : Atomics.compareExchange(this.words, p >>> 2, expected, next);
  }

  /** Atomically replaces the word with op(old); returns old, or null on EFAULT. */
  update(mm: MemoryManager, addr: number, op: (old: number) => number): number | null {
    const p = mm.wordAddress(addr, true);
    if (p < 0) return null;
    const i = p >>> 2; // guest memory may reach 4 GiB: addresses above 2^31 are not int32
    for (;;) {
      const old = Atomics.load(this.words, i);
      if (Atomics.compareExchange(this.words, i, old, op(old)) === old) return old;
    }
  }

  // --- queues --------------------------------------------------------------------------------

  /** The first waiter on `key` (futex_top_waiter). */
  top(key: string): Waiter | undefined { return this.queues.get(key)?.[0]; }

  /** The waiters on `key`, in queue order (a copy). */
  waitersOn(key: string): Waiter[] { return [...this.queues.get(key) ?? []]; }

  /**
   * Queues `w` until it is woken, handed a lock, its deadline passes, or its task is interrupted
   * (cancel). The caller checked the word first; nothing ran in between.
   */
  wait(w: Waiter, deadline: Deadline | null): Promise<WakeReason> {
    return new Promise((resolve) => {
      w.resolve = resolve;
      this.enqueue(w);
      this.waiting.set(w.task, w);
      if (this.interrupted(w.task)) this.finish(w, WakeReason.CANCELLED);
      else if (deadline) this.arm(w, deadline);
    });
  }

  /** Times `w` out at `d`, checking the clock when the timer fires (host timers may run early). */
  private arm(w: Waiter, d: Deadline): void {
    const left = d.ms - this.timers.nowMs(d.realtime);
    if (left <= 0) { this.finish(w, WakeReason.TIMEOUT); return; }
    w.cancelTimer = this.timers.setTimer(Math.ceil(left), () => {
      w.cancelTimer = null;
      if (!w.done) this.arm(w, d);
    });
  }

  /** Ends w's wait. */
  finish(w: Waiter, reason: WakeReason): void {
    if (w.done) return;
    w.done = true;
    w.cancelTimer?.();
    w.cancelTimer = null;
    this.dequeue(w);
    if (this.waiting.get(w.task) === w) this.waiting.delete(w.task);
    if (w.kind === WaiterKind.PI) this.prunePi(w.key);
    w.resolve(reason);
  }

  /**
   * FUTEX_WAKE: wakes waiters on `key` whose bitset meets `bitset`, at least one when there is
   * one (Linux counts after waking: 0 and negative counts wake one), up to `n`. -EINVAL when a PI
   * waiter is met (user space mixed PI and non-PI operations on one word).
   */
  wake(key: string, n: number, bitset = FUTEX_BITSET_MATCH_ANY): number {
    const q = this.queues.get(key);
    if (!q) return 0;
    let woken = 0;
    for (let i = 0; i < q.length;) {
      const w = q[i];
      if (w.kind !== WaiterKind.PLAIN) return -Errno.EINVAL;
      if ((w.bitset & bitset) === 0) { i++; continue; }
      this.finish(w, WakeReason.WOKEN); // leaves the queue: q[i] is the next one
      if (++woken >= n) break;
    }
    return woken;
  }

  /**
   * FUTEX_REQUEUE: wakes up to `nWake` waiters on `from` and moves up to `nMove` more to `to`;
   * returns how many were woken or moved, or -EINVAL on meeting a PI waiter.
   */
  requeue(from: string, to: string, nWake: number, nMove: number): number {
    let count = 0;
    for (const w of this.waitersOn(from)) {
      if (count - nWake >= nMove) break;
      if (w.kind !== WaiterKind.PLAIN) return -Errno.EINVAL;
      if (++count <= nWake) this.finish(w, WakeReason.WOKEN);
      else this.move(w, to, w.addr);
    }
    return count;
  }

  /** Moves a queued waiter to another futex (its wait and deadline go on). */
  move(w: Waiter, to: string, addr: number): void {
    if (w.key === to) return;
    this.dequeue(w);
    w.key = to;
    w.addr = addr;
    this.enqueue(w);
  }

  /** Ends t's futex wait, if any: a signal came, or the task is killed. */
  cancel(t: Task): void {
    const w = this.waiting.get(t);
    if (w) this.finish(w, WakeReason.CANCELLED);
  }

  private enqueue(w: Waiter): void {
    const q = this.queues.get(w.key);
    if (q) q.push(w);
    else this.queues.set(w.key, [w]);
  }

  private dequeue(w: Waiter): void {
    const q = this.queues.get(w.key);
    if (!q) return;
    const k = q.indexOf(w);
    if (k >= 0) q.splice(k, 1);
    if (q.length === 0) this.queues.delete(w.key);
  }

  // --- PI state --------------------------------------------------------------------------------

  /** The owner the kernel knows for PI futex `key`: there is one while it has waiters. */
  piOwner(key: string): Task | undefined { return this.piOwners.get(key); }

  setPiOwner(key: string, t: Task): void { this.piOwners.set(key, t); }

  /** The PI futexes whose owner is `t` (exit_pi_state_list walks them). */
  piKeysOwnedBy(t: Task): string[] {
    return [...this.piOwners].filter(([, owner]) => owner === t).map(([key]) => key);
  }

  /** The PI state goes with its last waiter (put_pi_state). */
  prunePi(key: string): void {
    if (!this.queues.get(key)?.some((w) => w.kind === WaiterKind.PI)) this.piOwners.delete(key);
  }
}
