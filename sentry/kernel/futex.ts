// Futex wait queues (gVisor pkg/sentry/kernel/futex): tasks sleeping on a 32-bit word of guest
// memory until another task wakes that word, a timeout passes or the task is killed. Waits are
// promises, so a waiting task never blocks the host's event loop.
//
// Keys: a word is named by its memory manager and virtual address. That is exact for private
// futexes and for shared ones within one address space; shared futexes across processes (keyed
// by the physical frame) arrive with fork.

import type { HostTimer } from '../host.js';
import type { MemoryManager } from '../mm/mm.js';

export const enum WakeReason { WOKEN, TIMEOUT, CANCELLED }

interface Waiter {
  owner: object;
  bitset: number;
  /** The queue it is on (requeue moves it). */
  key: string;
  done: boolean;
  /** Its timeout, cancelled when it ends otherwise. */
  timer: HostTimer | null;
  resolve(reason: WakeReason): void;
}

export class FutexTable {
  private readonly queues = new Map<string, Waiter[]>();
  private readonly mmIds = new WeakMap<MemoryManager, number>();
  private nextMmId = 1;

  key(mm: MemoryManager, addr: number): string {
    let id = this.mmIds.get(mm);
    if (id === undefined) this.mmIds.set(mm, id = this.nextMmId++);
    return `${id}:${addr}`;
  }

  /**
   * Queues `owner` (a task) on `key` until woken with a matching bitset, `timeoutMs` passes (null:
   * never) or cancel(owner). The caller checked the word's value first: nothing runs in between.
   */
  wait(key: string, owner: object, bitset: number, timeoutMs: number | null, after: (ms: number, fire: () => void) => HostTimer): Promise<WakeReason> {
    return new Promise((resolve) => {
      const w: Waiter = { owner, bitset, key, done: false, timer: null, resolve };
      this.queue(key).push(w);
      if (timeoutMs !== null) w.timer = after(timeoutMs, () => this.finish(w, WakeReason.TIMEOUT));
    });
  }

  /** Wakes up to `n` waiters on `key` whose bitset meets `bitset`; returns how many. */
  wake(key: string, n: number, bitset = -1): number {
    let woken = 0;
    for (const w of [...(this.queues.get(key) ?? [])]) {
      if (woken >= n) break;
      if ((w.bitset & bitset) === 0) continue;
      this.finish(w, WakeReason.WOKEN);
      woken++;
    }
    return woken;
  }

  /** Wakes up to `nWake` waiters on `from` and moves up to `nMove` of the rest to `to`; returns both counts. */
  requeue(from: string, to: string, nWake: number, nMove: number): [number, number] {
    const woken = this.wake(from, nWake);
    let moved = 0;
    for (const w of [...(this.queues.get(from) ?? [])]) {
      if (moved >= nMove) break;
      this.remove(w);
      w.key = to;
      this.queue(to).push(w);
      moved++;
    }
    return [woken, moved];
  }

  /** Ends every wait of `owner` (its task was killed). */
  cancel(owner: object): void {
    for (const q of [...this.queues.values()]) {
      for (const w of [...q]) if (w.owner === owner) this.finish(w, WakeReason.CANCELLED);
    }
  }

  private queue(key: string): Waiter[] {
    let q = this.queues.get(key);
    if (!q) this.queues.set(key, q = []);
    return q;
  }

  private finish(w: Waiter, reason: WakeReason): void {
    if (w.done) return;
    w.done = true;
    w.timer?.cancel();
    this.remove(w);
    w.resolve(reason);
  }

  private remove(w: Waiter): void {
    const q = this.queues.get(w.key);
    if (!q) return;
    const k = q.indexOf(w);
    if (k >= 0) q.splice(k, 1);
    if (q.length === 0) this.queues.delete(w.key);
  }
}
