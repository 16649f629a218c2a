// POSIX per-process timers (Linux kernel/time/posix-timers.c, posix-cpu-timers.c): timer_create
// on a host clock or a CPU clock, notifying by a signal to the process (SIGEV_SIGNAL), to one of
// its threads (SIGEV_THREAD_ID) or not at all (SIGEV_NONE). The signal carries SI_TIMER, the timer
// id, the caller's value and the overrun count. A periodic timer re-arms when its signal is taken
// (so a blocked signal does not make it spin), counting the expirations missed meanwhile.
// Timers are not inherited by fork and are deleted by execve.

import type { ClockSource } from './clocks.js';
import type { Kernel } from './kernel.js';
import { KTimer } from './ktimer.js';
import { sendToProcess, sendToThread } from './signals.js';
import { SI_TIMER, type SigInfo, type TimerSignalHook } from './sigset.js';
import type { Task, ThreadGroup } from './task.js';

export const SIGEV_SIGNAL = 0, SIGEV_NONE = 1, SIGEV_THREAD = 2, SIGEV_THREAD_ID = 4;
const INT_MAX = 0x7fffffff;

/** How a timer tells of its expiry (struct sigevent, checked as good_sigevent does). */
export type TimerNotify =
  | { kind: 'none' }
  | { kind: 'signal'; signo: number; value: Uint8Array; thread: Task | null };

/** A setting in nanoseconds: the time left (0: disarmed) and the reload interval. */
export interface TimerSetting { value: number; interval: number }

export class PosixTimer implements TimerSignalHook {
  private readonly timer: KTimer;
  /** Has a setting (timer_settime with a non-zero value) that has not run out. */
  private armed = false;
  private interval = 0;
  /** Expirations since the last signal was queued, less one (Linux it_overrun). */
  private overrun = -1;
  /** What timer_getoverrun reports: the overrun of the last signal taken. */
  private overrunLast = 0;
  /** The re-arm token the queued signal carries; 0 when no re-arm is pending. */
  private requeue = 0;
  private tokens = 0;
  /** The signal last queued (counted on rather than queued again while it waits). */
  private queued: SigInfo | null = null;
  private deleted = false;

  constructor(private readonly kernel: Kernel, readonly id: number, readonly clock: ClockSource,
    private readonly owner: ThreadGroup, private readonly notify: TimerNotify) {
    this.timer = new KTimer(kernel, clock, () => this.fire());
  }

  /** The clock's owner is gone (a CPU clock of an exited thread or process): the timer is dead. */
  get clockGone(): boolean {
    const c = this.clock;
    return (c.kind === 'thread' && c.task.exited) || (c.kind === 'process' && c.group.tasks.size === 0);
  }

  /** timer_gettime (common_timer_get). */
  get(): TimerSetting {
    if (!this.armed || this.clockGone) return { value: 0, interval: 0 };
    const none = this.notify.kind === 'none';
    if (this.interval === 0 && !this.timer.active && !none) return { value: 0, interval: 0 };
    const now = this.timer.now();
    // With a re-arm pending (or no signal to wait for) the expiry is moved past now first.
    if (this.interval > 0 && (this.requeue !== 0 || none)) this.overrun += this.timer.forward(now, this.interval);
    const left = this.timer.expires - now;
    // A timer that is due but whose signal has not been queued yet reads as 1 ns, never 0.
    return { value: left > 0 ? left : none ? 0 : 1, interval: this.interval };
  }

  /** timer_settime: `expires` is absolute on the timer's clock (null: disarm). Returns the old setting. */
  set(expires: number | null, interval: number): TimerSetting {
    const old = this.get();
    this.timer.stop();
    this.armed = false;
    this.interval = 0;
    // A signal still queued from the old setting will not re-arm the new one.
    this.requeue = 0;
    this.overrunLast = 0;
    this.overrun = -1;
    if (expires === null) return old;
    this.armed = true;
    this.interval = interval;
    if (this.notify.kind === 'none') this.timer.expires = expires; // never fires: timer_gettime computes
    else this.timer.start(expires);
    return old;
  }

  /** timer_getoverrun. */
  get overruns(): number { return Math.min(this.overrunLast, INT_MAX); }

  /** timer_delete: a signal already queued stays queued. */
  delete(): void {
    this.deleted = true;
    this.armed = false;
    this.timer.stop();
  }

  /** posix_timer_fn / cpu_timer_fire: the timer expired. */
  private fire(): void {
    if (this.notify.kind === 'none' || this.deleted) return;
    if (this.interval === 0) this.armed = false;
    const token = this.interval > 0 ? (this.requeue = ++this.tokens) : 0;
    if (this.send(token)) return;
    // The signal was dropped (ignored): nothing will re-arm the timer, so it goes on now.
    if (this.interval > 0) {
      this.requeue = 0;
      this.overrun += this.timer.forward(this.timer.now(), this.interval);
      this.timer.start(this.timer.expires);
    }
  }

  /** Queues the timer's signal (send_sigqueue); false when it was dropped. */
  private send(token: number): boolean {
    const n = this.notify;
    if (n.kind === 'none') return false;
    const target = n.thread;
    const pending = target ? target.pending : this.owner.pending;
    const q = this.queued;
    if (q && pending.holds(q)) {
      // Still waiting from an earlier expiry: it counts one more.
      setOverrun(q, Math.min(overrunOf(q) + 1, INT_MAX));
      q.timerToken = token;
      return true;
    }
    // A thread that has gone takes nothing; Linux then leaves the timer stopped too.
    if (target?.exited) return true;
    const info = timerSigInfo(n.signo, this.id, n.value);
    info.timer = this;
    info.timerToken = token;
    const ok = target ? sendToThread(this.kernel, target, info, 'kernel') : sendToProcess(this.kernel, this.owner, info, 'kernel');
    if (ok) this.queued = info;
    return ok;
  }

  /** posixtimer_rearm: its signal was taken; a periodic timer starts its next round. */
  dequeued(info: SigInfo): void {
    if (this.queued === info) this.queued = null;
    if (this.deleted || this.interval === 0 || this.requeue === 0 || info.timerToken !== this.requeue) return;
    this.overrun += this.timer.forward(this.timer.now(), this.interval);
    this.timer.start(this.timer.expires);
    this.overrunLast = this.overrun;
    this.overrun = -1;
    this.requeue = 0;
    setOverrun(info, Math.min(this.overrunLast + overrunOf(info), INT_MAX));
  }
}

/** The siginfo of a timer signal: si_tid at 16, si_overrun at 20, si_value at 24. */
function timerSigInfo(signo: number, id: number, value: Uint8Array): SigInfo {
  const bytes = new Uint8Array(128);
  const dv = new DataView(bytes.buffer);
  dv.setInt32(0, signo, true);
  dv.setInt32(8, SI_TIMER, true);
  dv.setInt32(16, id, true);
  bytes.set(value.subarray(0, 8), 24);
  return { signo, code: SI_TIMER, bytes };
}

function overrunOf(info: SigInfo): number { return new DataView(info.bytes.buffer).getInt32(20, true); }
function setOverrun(info: SigInfo, n: number): void { new DataView(info.bytes.buffer).setInt32(20, n, true); }

/** A process's POSIX timers by id. */
export class PosixTimers {
  readonly byId = new Map<number, PosixTimer>();
  /** The next id to try (Linux's signal->next_posix_timer_id: ids are not reused at once). */
  private nextId = 0;

  /** A free id (EAGAIN's -1 when all 2^31 are taken). */
  allocateId(): number {
    const first = this.nextId;
    do {
      const id = this.nextId;
      this.nextId = this.nextId === INT_MAX ? 0 : this.nextId + 1;
      if (!this.byId.has(id)) return id;
    } while (this.nextId !== first);
    return -1;
  }

  /** execve, exit: every timer goes. */
  deleteAll(): void {
    for (const timer of this.byId.values()) timer.delete();
    this.byId.clear();
  }
}

export function posixTimersOf(tg: ThreadGroup): PosixTimers {
  return tg.posixTimers ??= new PosixTimers();
}
