// One expiry on a clock, the shape under interval timers and POSIX timers (Linux's hrtimer and
// cpu_timer in one). On a host clock it waits on a host timer. On a CPU clock it sits on its
// thread's or process's list, and the task loop checks that list once the thread has run long
// enough (Kernel.runTask ends a slice at Task.cpuCheckAt and calls checkCpuTimers).

import type { HostTimer } from '../host.js';
import { clockNs, isCpuClock, processCpuNs, type ClockSource } from './clocks.js';
import type { Kernel } from './kernel.js';
import type { Task } from './task.js';

/**
 * The fewest instructions between two checks of a thread's CPU timers: a timer re-armed in the
 * past fires at the next check, not in a storm (Linux checks them once per tick).
 */
const MIN_CPU_CHECK = 10_000;

export class KTimer {
  /** The expiry it was last armed for, in clockNs terms (kept after it fired: forwarding starts there). */
  expires = 0;
  /** Armed and not yet fired. */
  active = false;
  private host: HostTimer | null = null;

  constructor(private readonly k: Kernel, readonly clock: ClockSource, private readonly onExpire: () => void) {}

  now(): number { return clockNs(this.k, this.clock); }

  /**
   * Arms it for `expires`. One already due fires at once unless `fireIfDue` is false (then at the
   * next check: a CPU timer re-armed from its own expiry).
   */
  start(expires: number, fireIfDue = true): void {
    this.stop();
    this.expires = expires;
    this.active = true;
    const left = expires - this.now();
    if (left <= 0 && fireIfDue) { this.expire(); return; }
    if (isCpuClock(this.clock)) { this.enqueueCpu(left); return; }
    this.host = this.k.hostTimers.after(Math.max(left, 0) / 1e6, () => {
      this.host = null;
      this.expire();
    });
  }

  /** Disarms it; the expiry is kept. */
  stop(): void {
    if (!this.active) return;
    this.active = false;
    if (this.host) { this.host.cancel(); this.host = null; }
    const c = this.clock;
    if (c.kind === 'thread') c.task.cpuTimers?.delete(this);
    else if (c.kind === 'process') c.group.cpuTimers?.delete(this);
  }

  /** The time until it expires (negative once due). */
  remaining(): number { return this.expires - this.now(); }

  /**
   * Moves the expiry past `now` by whole intervals (hrtimer_forward, bump_cpu_timer); returns
   * how many it moved (0 when it was not yet due).
   */
  forward(now: number, interval: number): number {
    if (now < this.expires || interval <= 0) return 0;
    const n = Math.floor((now - this.expires) / interval) + 1;
    this.expires += n * interval;
    return n;
  }

  /** Its time has come (the host timer fired, or a CPU check found it due). */
  expire(): void {
    this.stop();
    this.onExpire();
  }

  /** Puts it on its clock's list and makes the threads that advance that clock check in time. */
  private enqueueCpu(left: number): void {
    const c = this.clock;
    if (c.kind === 'thread') {
      if (c.task.exited) return;
      (c.task.cpuTimers ??= new Set()).add(this);
      checkWithin(c.task, left);
    } else if (c.kind === 'process') {
      (c.group.cpuTimers ??= new Set()).add(this);
      // The process's time advances as fast as all its threads together.
      const share = left / Math.max(c.group.tasks.size, 1);
      for (const t of c.group.tasks) checkWithin(t, share);
    }
  }
}

function checkWithin(t: Task, left: number): void {
  const at = t.ctx.instructions + Math.max(Math.ceil(left), MIN_CPU_CHECK);
  if (at < t.cpuCheckAt) t.cpuCheckAt = at;
}

/**
 * Fires the due CPU timers on `t`'s own clock and its process's, and sets when `t` checks next.
 * Called by the task loop when `t` has reached `t.cpuCheckAt`.
 */
export function checkCpuTimers(t: Task): void {
  const now = t.ctx.instructions;
  let next = Infinity;
  const own = t.cpuTimers;
  if (own && own.size > 0) {
    for (const timer of [...own]) if (timer.active && timer.expires <= now) timer.expire();
    for (const timer of own) next = Math.min(next, timer.expires - now);
  }
  const shared = t.tg.cpuTimers;
  if (shared && shared.size > 0) {
    const groupNow = processCpuNs(t.tg);
    for (const timer of [...shared]) if (timer.active && timer.expires <= groupNow) timer.expire();
    let left = Infinity;
    for (const timer of shared) left = Math.min(left, timer.expires - groupNow);
    next = Math.min(next, left / Math.max(t.tg.tasks.size, 1));
  }
  t.cpuCheckAt = next === Infinity ? Infinity : now + Math.max(Math.ceil(next), MIN_CPU_CHECK);
}
