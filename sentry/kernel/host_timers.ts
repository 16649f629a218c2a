// The kernel's host timers: every wait on host time (sleeps, futex timeouts, interval and POSIX
// timers) goes through here, so that none fires early (a host timer may: the event loop's idea of
// "now" lags while a slice of guest code runs) and none outlives the sandbox: when PID 1 exits
// they are all cancelled, so a pending one never keeps the host process alive.

import type { Host, HostTimer } from '../host.js';

const NEVER: HostTimer = { cancel: () => undefined };

export class HostTimers {
  private readonly pending = new Set<HostTimer>();
  private closed = false;

  constructor(private readonly host: Host) {}

  private nowMs(): number {
    const m = this.host.clock.monotonic();
    return m.sec * 1e3 + m.nsec / 1e6;
  }

  /** Calls `fire` once `ms` milliseconds of host time (the monotonic clock) have passed, unless cancelled. */
  after(ms: number, fire: () => void): HostTimer {
    if (this.closed) return NEVER;
    const due = this.nowMs() + ms;
    let current: HostTimer;
    const entry: HostTimer = {
      cancel: () => {
        current.cancel();
        this.pending.delete(entry);
      },
    };
    const check = () => {
      const left = due - this.nowMs();
      if (left > 0) { current = this.host.setTimer(Math.ceil(left), check); return; }
      this.pending.delete(entry);
      fire();
    };
    current = this.host.setTimer(Math.ceil(Math.max(ms, 0)), check);
    this.pending.add(entry);
    return entry;
  }

  /** Resolves after `ms` of host time (never, once the sandbox is over). */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => { this.after(ms, resolve); });
  }

  /** The sandbox is over: cancels every pending timer and refuses new ones. */
  closeAll(): void {
    this.closed = true;
    for (const t of [...this.pending]) t.cancel();
  }

  /** Timers waiting (for tests). */
  get size(): number { return this.pending.size; }
}
