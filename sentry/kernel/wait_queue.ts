// A queue of tasks blocked until something changes (a child exits, a pipe gets data), as Linux's
// wait_queue_head. A waiting task can also be woken by what interrupts it (a kill, later a
// signal): then the wait ends with false and the syscall answers EINTR or is restarted.

import type { Task } from './task.js';

export class WaitQueue {
  private readonly waiters = new Set<() => void>();

  /**
   * Resolves true at the next notify, or false when `t` is interrupted first (no task: a wait
   * of the kernel's own, which nothing interrupts).
   */
  wait(t: Task | null): Promise<boolean> {
    if (t && (t.exited || t.interrupted)) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (woken: boolean) => {
        this.waiters.delete(onNotify);
        if (t && t.wakeup === onInterrupt) t.wakeup = null;
        resolve(woken);
      };
      const onNotify = () => done(true);
      const onInterrupt = () => done(false);
      this.waiters.add(onNotify);
      if (t) t.wakeup = onInterrupt;
    });
  }

  /** Wakes every waiter; each checks again whether it can go on. */
  notifyAll(): void {
    for (const w of [...this.waiters]) w();
  }

  get size(): number { return this.waiters.size; }
}
