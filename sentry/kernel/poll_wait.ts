// Waiting for any of several files to change (Linux's poll_wqueues): one waiter subscribed to the
// events of every polled file, a timer and the task's interruption (a signal or a kill), whichever
// comes first; every subscription and the timer are dropped when the wait ends.

import type { Waitable } from '../vfs/waitable.js';
import type { Kernel } from './kernel.js';
import { ERESTARTNOHAND, hasDeliverable } from './signals.js';
import type { Task } from './task.js';

export type WaitEnd = 'event' | 'timeout' | 'interrupted';

/** What to wait on: each source once, with the poll events that concern the waiter (0: any). */
export class WaitSet {
  readonly sources = new Map<Waitable, number>();

  add(w: Waitable, events: number): void { this.sources.set(w, (this.sources.get(w) ?? 0) | events); }
}

/**
 * Waits until a source reports a change that concerns the waiter, `ms` milliseconds pass (never
 * when negative), or `t` is interrupted; at once 'interrupted' when a signal is already pending.
 */
export function waitForEvents(k: Kernel, t: Task, set: WaitSet, ms: number): Promise<WaitEnd> {
  if (t.exited || t.interrupted || hasDeliverable(t)) return Promise.resolve('interrupted');
  return new Promise((resolve) => {
    const unsubscribe: (() => void)[] = [];
    let cancelTimer: (() => void) | null = null;
    let done = false;
    const finish = (why: WaitEnd) => {
      if (done) return;
      done = true;
      for (const u of unsubscribe) u();
      cancelTimer?.();
      if (t.wakeup === onInterrupt) t.wakeup = null;
      resolve(why);
    };
    const onInterrupt = () => finish('interrupted');
    for (const [w, wanted] of set.sources) {
      // A change that names events nobody here asked for does not wake (Linux pollwake's key check).
      unsubscribe.push(w.subscribe((events) => { if (events === 0 || wanted === 0 || (events & wanted) !== 0) finish('event'); }));
    }
    t.wakeup = onInterrupt;
    if (ms >= 0) { const timer = k.hostTimers.after(ms, () => finish('timeout')); cancelTimer = () => timer.cancel(); }
  });
}

/** A deadline on the monotonic clock `ms` milliseconds from now (none when negative). */
export class Deadline {
  private readonly end: number | null;
  /** A zero timeout: look once, never wait. */
  readonly zero: boolean;

  constructor(private readonly k: Kernel, ms: number) {
    this.end = ms < 0 ? null : this.now() + ms;
    this.zero = ms === 0;
  }

  private now(): number {
    const ts = this.k.host.clock.monotonic();
    return ts.sec * 1000 + ts.nsec / 1e6;
  }

  /** Milliseconds left (0 when passed), or -1 without a deadline. */
  left(): number {
    return this.end === null ? -1 : Math.max(0, this.end - this.now());
  }
}

/**
 * A scan of poll or select: how many are ready, subscribing what must be waited on to `set`.
 * It runs on behalf of the task (readiness can depend on who asks: signalfd).
 */
export type PollScan = (set: WaitSet) => number;

/**
 * The loop of poll and select (Linux do_poll, do_select): scan; done when something is ready,
 * then when a signal is pending (-ERESTARTNOHAND), then when the time is up (0); otherwise wait
 * for a change and scan again. Synchronous when it need not wait.
 */
export function pollUntil(k: Kernel, t: Task, deadline: Deadline, scan: PollScan): number | Promise<number> {
  const set = new WaitSet();
  const n = scan(set);
  if (n !== 0) return n;
  if (t.exited || hasDeliverable(t)) return -ERESTARTNOHAND;
  if (deadline.zero) return 0;
  return waitAndScan(k, t, deadline, scan, set);
}

async function waitAndScan(k: Kernel, t: Task, deadline: Deadline, scan: PollScan, set: WaitSet): Promise<number> {
  for (;;) {
    await waitForEvents(k, t, set, deadline.left());
    // Other tasks ran meanwhile: the scan is on behalf of this one.
    k.currentTask = t;
    set = new WaitSet();
    const n = scan(set);
    if (n !== 0) return n;
    // Woken for a signal another thread has taken since: wait on.
    if (t.exited || hasDeliverable(t)) return -ERESTARTNOHAND;
    if (deadline.left() === 0) return 0;
  }
}
