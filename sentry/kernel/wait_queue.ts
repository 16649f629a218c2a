// A queue of tasks blocked until something changes (a child exits, a pipe gets data), as Linux's
// wait_queue_head. A waiting task can also be woken by what interrupts it (a kill, a signal):
// then the wait ends with false and the syscall answers EINTR or is restarted. Pollers (poll,
// epoll) subscribe to the same queue as listeners (sentry/vfs/waitable.ts).

import { Notifier } from '../vfs/waitable.js';
import type { Task } from './task.js';

export class WaitQueue extends Notifier {
  /**
   * Resolves true at the next notify, or false when `t` is interrupted first (no task: a wait
   * of the kernel's own, which nothing interrupts).
   */
  wait(t: Task | null): Promise<boolean> {
    if (t && (t.exited || t.interrupted)) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (woken: boolean) => {
        unsubscribe();
        if (t && t.wakeup === onInterrupt) t.wakeup = null;
        resolve(woken);
      };
      const unsubscribe = this.subscribe(() => done(true));
      const onInterrupt = () => done(false);
      if (t) t.wakeup = onInterrupt;
    });
  }

  /**
   * Waits until `ready()` holds; false when `t` was interrupted and it still does not. What
   * arrived with the interrupting signal is not lost: the condition is looked at once more.
   */
  async waitUntil(t: Task | null, ready: () => boolean): Promise<boolean> {
    for (let interrupted = false; !ready();) {
      if (interrupted) return false;
      interrupted = !(await this.wait(t));
    }
    return true;
  }
}
