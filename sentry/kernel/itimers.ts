// A process's interval timers (Linux kernel/time/itimer.c): ITIMER_REAL (and alarm) on the
// monotonic clock, sending SIGALRM; ITIMER_VIRTUAL and ITIMER_PROF on the process's CPU time,
// sending SIGVTALRM and SIGPROF. A forked child starts without them; they survive execve.
//
// The guest's CPU time is all user time (one instruction, one nanosecond), so VIRTUAL and PROF
// measure the same clock.

import type { Kernel } from './kernel.js';
import { KTimer } from './ktimer.js';
import { sendToProcess } from './signals.js';
import { SI_KERNEL, SIGALRM, sigInfo, SIGPROF, SIGVTALRM } from './sigset.js';
import type { ThreadGroup } from './task.js';

export const ITIMER_REAL = 0, ITIMER_VIRTUAL = 1, ITIMER_PROF = 2;

/** A setting in nanoseconds: the time left (0: disarmed) and the reload interval. */
export interface ItimerSetting { value: number; interval: number }

/** What getitimer shows for an armed timer that is due but has not fired yet: it must not read as disarmed. */
const ABOUT_TO_FIRE = 1000;

export class ITimers {
  private readonly real: KTimer;
  private realInterval = 0;
  /** ITIMER_VIRTUAL and ITIMER_PROF, by `which - 1`. */
  private readonly cpu: [KTimer, KTimer];
  private readonly cpuInterval = [0, 0];

  constructor(private readonly k: Kernel, private readonly tg: ThreadGroup) {
    // Linux's it_real_fn: SIGALRM with the kernel's siginfo; the interval re-arms when it is taken.
    this.real = new KTimer(k, { kind: 'mono' }, () => this.signal(SIGALRM));
    const cpuTimer = (i: 0 | 1, sig: number) => new KTimer(k, { kind: 'process', group: tg }, () => this.cpuExpired(i, sig));
    this.cpu = [cpuTimer(0, SIGVTALRM), cpuTimer(1, SIGPROF)];
  }

  private signal(sig: number): void {
    sendToProcess(this.k, this.tg, sigInfo(sig, SI_KERNEL, { pid: 0, uid: 0 }), 'kernel');
  }

  /** check_cpu_itimer: the next expiry is one interval on, even if that is already past. */
  private cpuExpired(i: 0 | 1, sig: number): void {
    const timer = this.cpu[i], interval = this.cpuInterval[i];
    if (interval > 0) timer.start(timer.expires + interval, false);
    this.signal(sig);
  }

  get(which: number): ItimerSetting {
    if (which === ITIMER_REAL) {
      // itimer_get_remtime: an active timer never reads as 0.
      const value = this.real.active ? Math.max(this.real.remaining(), ABOUT_TO_FIRE) : 0;
      return { value, interval: this.realInterval };
    }
    const i = which - 1, timer = this.cpu[i];
    const value = timer.active ? Math.max(timer.remaining(), ABOUT_TO_FIRE) : 0;
    return { value, interval: this.cpuInterval[i] };
  }

  /** setitimer: arms `which` (a zero value disarms it) and returns the old setting. */
  set(which: number, s: ItimerSetting): ItimerSetting {
    const old = this.get(which);
    if (which === ITIMER_REAL) {
      this.real.stop();
      this.realInterval = s.value > 0 ? s.interval : 0;
      if (s.value > 0) this.real.start(this.real.now() + s.value);
    } else {
      const i = which - 1, timer = this.cpu[i];
      timer.stop();
      this.cpuInterval[i] = s.interval;
      if (s.value > 0) timer.start(timer.now() + s.value);
    }
    return old;
  }

  /** A process-wide SIGALRM was taken: a periodic ITIMER_REAL that fired starts its next round. */
  alarmTaken(): void {
    if (this.real.active || this.realInterval === 0) return;
    this.real.forward(this.real.now(), this.realInterval);
    this.real.start(this.real.expires);
  }

  /** The process is gone: nothing may fire any more. */
  stopAll(): void {
    this.real.stop();
    this.cpu[0].stop();
    this.cpu[1].stop();
  }
}

/** The process's interval timers, made on first use. */
export function itimersOf(k: Kernel, tg: ThreadGroup): ITimers {
  return tg.itimers ??= new ITimers(k, tg);
}
