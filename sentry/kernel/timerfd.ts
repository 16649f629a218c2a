// timerfd (Linux fs/timerfd.c): a timer on a clock as a file. Reading returns how many times it
// has expired since it was set or last read, as an 8-byte count, waiting for the first expiry.
// As Linux does, a periodic timer is re-armed only when it is read (or its time asked for), and
// the periods that passed meanwhile are counted then: an unread timer wakes its pollers once.
// Times are bigint nanoseconds (CLOCK_REALTIME's do not fit a double's 53 bits).

import { Errno } from '../abi/errno.js';
import { POLLIN } from '../abi/poll.js';
import { O_NONBLOCK } from '../vfs/file.js';
import { AnonFile } from './anon_file.js';
import { ERESTARTSYS } from './signals.js';
import type { Task } from './task.js';
import { WaitQueue } from './wait_queue.js';

/** What a timerfd needs: its clock, host timers and who is calling. */
export interface TimerHost {
  /** The timer's clock, in nanoseconds. */
  now(): bigint;
  setTimer(ms: number, fn: () => void): () => void;
  currentTask(): Task | null;
}

export interface ItimerSpec { value: bigint; interval: bigint }

export class TimerFd extends AnonFile {
  readonly events = new WaitQueue();
  /** Expirations not yet read. */
  private ticks = 0n;
  /** When it expires next on its clock, or null when disarmed (or a one-shot that fired). */
  private next: bigint | null = null;
  private interval = 0n;
  /** It expired and, if periodic, waits to be re-armed by a read (Linux's ctx->expired). */
  private expired = false;
  private cancelTimer: (() => void) | null = null;

  constructor(flags: number, private readonly host: TimerHost) {
    super('timerfd', flags);
  }

  /** timerfd_settime: the old setting, then the new one (value 0 disarms). */
  set(spec: ItimerSpec, absolute: boolean): ItimerSpec {
    const old = this.get();
    this.stopTimer();
    this.ticks = 0n;
    this.expired = false;
    this.interval = spec.interval;
    this.next = spec.value === 0n ? null : absolute ? spec.value : this.host.now() + spec.value;
    this.startTimer();
    return old;
  }

  /** timerfd_gettime: the time left to the next expiry (0 when disarmed) and the period. */
  get(): ItimerSpec {
    this.rearm();
    const left = this.next === null ? 0n : this.next - this.host.now();
    return { value: left > 0n ? left : 0n, interval: this.interval };
  }

  override read(dst: Uint8Array): number | Promise<number> {
    if (dst.length < 8) return -Errno.EINVAL;
    if (this.ticks > 0n) return this.take(dst);
    if (this.flags & O_NONBLOCK) return -Errno.EAGAIN;
    return this.readSlow(dst, this.host.currentTask());
  }

  private async readSlow(dst: Uint8Array, t: Task | null): Promise<number> {
    return (await this.events.waitUntil(t, () => this.ticks > 0n)) ? this.take(dst) : -ERESTARTSYS;
  }

  private take(dst: Uint8Array): number {
    this.rearm();
    this.expired = false;
    new DataView(dst.buffer, dst.byteOffset, 8).setBigUint64(0, this.ticks, true);
    this.ticks = 0n;
    return 8;
  }

  readiness(): number { return this.ticks > 0n ? POLLIN : 0; }

  override release(): void { this.stopTimer(); }

  /** A periodic timer that expired moves past now; the periods skipped count as expirations. */
  private rearm(): void {
    if (!this.expired || this.interval === 0n || this.next === null) return;
    const overruns = (this.host.now() - this.next) / this.interval + 1n;
    this.next += overruns * this.interval;
    this.ticks += overruns - 1n;
    this.expired = false;
    this.startTimer();
  }

  private fire(): void {
    this.cancelTimer = null;
    if (this.next === null) return;
    const now = this.host.now();
    if (now < this.next) { this.startTimer(); return; } // the host's timer ran a little early
    this.expired = true;
    this.ticks += 1n;
    if (this.interval === 0n) this.next = null;
    this.events.notifyAll(POLLIN);
  }

  private startTimer(): void {
    this.stopTimer();
    if (this.next === null) return;
    const ms = Number(this.next - this.host.now()) / 1e6;
    this.cancelTimer = this.host.setTimer(Math.max(0, ms), () => this.fire());
  }

  private stopTimer(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
  }
}
