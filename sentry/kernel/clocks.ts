// Clocks as timers and clock_gettime read them (Linux kernel/time/posix-timers.c clockid_to_kclock,
// posix-cpu-timers.c): clock ids, including the CPU clocks of another thread or process that
// clock_getcpuclockid makes (negative ids), read as nanoseconds.
//
// Host clocks are counted from the moment the sandbox booted, on their own clock, so that a
// double holds them exactly to the nanosecond for 104 days (the wall clock's absolute nanoseconds
// would not fit). CPU clocks count guest instructions: one instruction is one nanosecond.

import { Errno } from '../abi/errno.js';
import type { Timespec } from '../vfs/stat.js';
import type { Kernel } from './kernel.js';
import type { Task, ThreadGroup } from './task.js';

export const CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1, CLOCK_PROCESS_CPUTIME_ID = 2, CLOCK_THREAD_CPUTIME_ID = 3,
  CLOCK_MONOTONIC_RAW = 4, CLOCK_REALTIME_COARSE = 5, CLOCK_MONOTONIC_COARSE = 6, CLOCK_BOOTTIME = 7,
  CLOCK_REALTIME_ALARM = 8, CLOCK_BOOTTIME_ALARM = 9, CLOCK_TAI = 11;

/** CPU clock ids: ((~pid) << 3) | per-thread bit | which (include/linux/posix-timers.h). */
const CPUCLOCK_PERTHREAD = 4, CPUCLOCK_MAX = 3, CLOCKFD = 3;

/** What the clock is wanted for: reading it, a timer on it, or clock_nanosleep on it. */
export type ClockUse = 'read' | 'timer' | 'sleep';

/** What a clock id names. */
export type ClockSource =
  | { kind: 'wall' }
  | { kind: 'mono' }
  | { kind: 'thread'; task: Task }
  | { kind: 'process'; group: ThreadGroup };

export function isCpuClock(c: ClockSource): c is { kind: 'thread'; task: Task } | { kind: 'process'; group: ThreadGroup } {
  return c.kind === 'thread' || c.kind === 'process';
}

/** CPU time of a whole process: its exited threads' and its live ones'. */
export function processCpuNs(tg: ThreadGroup): number {
  let ns = tg.exitedInstructions;
  for (const t of tg.tasks) ns += t.ctx.instructions;
  return ns;
}

/**
 * The clock `id` names for `t`, or -errno as Linux answers: EINVAL for an unknown id or a CPU
 * clock of a task that does not exist (or is not the caller's thread, or not a process leader for
 * a timer); EOPNOTSUPP for a timer or a sleep on a clock that has none (the raw and coarse
 * clocks, a thread's CPU clock for sleeping). The alarm clocks need a real-time clock device to
 * wake the machine, which the sandbox has not: it answers as Linux does without one.
 */
export function clockSource(k: Kernel, t: Task, id: number, use: ClockUse = 'read'): ClockSource | number {
  if (id < 0) return cpuClock(k, t, id, use);
  switch (id) {
    case CLOCK_REALTIME: case CLOCK_TAI: return { kind: 'wall' };
    case CLOCK_MONOTONIC: case CLOCK_BOOTTIME: return { kind: 'mono' };
    case CLOCK_PROCESS_CPUTIME_ID: return { kind: 'process', group: t.tg };
    case CLOCK_THREAD_CPUTIME_ID: return use === 'sleep' ? -Errno.EOPNOTSUPP : { kind: 'thread', task: t };
    case CLOCK_MONOTONIC_RAW: case CLOCK_MONOTONIC_COARSE:
      return use === 'read' ? { kind: 'mono' } : -Errno.EOPNOTSUPP;
    case CLOCK_REALTIME_COARSE:
      return use === 'read' ? { kind: 'wall' } : -Errno.EOPNOTSUPP;
    case CLOCK_REALTIME_ALARM: case CLOCK_BOOTTIME_ALARM:
      return use === 'read' ? -Errno.EINVAL : -Errno.EOPNOTSUPP;
    default: return -Errno.EINVAL;
  }
}

/** A negative id: a CPU clock of a thread or process by pid (posix-cpu-timers.c lookup_task). */
function cpuClock(k: Kernel, t: Task, id: number, use: ClockUse): ClockSource | number {
  // Ids whose low bits are CLOCKFD name dynamic clocks (clock fds): none exist here.
  if ((id & 7) === CLOCKFD) return use === 'read' ? -Errno.EINVAL : -Errno.EOPNOTSUPP;
  if ((id & 3) >= CPUCLOCK_MAX) return -Errno.EINVAL;
  const pid = ~(id >> 3);
  const thread = (id & CPUCLOCK_PERTHREAD) !== 0;
  const forTimer = use === 'timer';
  // A thread cannot sleep on its own CPU clock (posix_cpu_nsleep).
  if (use === 'sleep' && thread && (pid === 0 || pid === t.tid)) return -Errno.EINVAL;
  if (pid === 0) return thread ? { kind: 'thread', task: t } : { kind: 'process', group: t.tg };
  const target = k.tasks.get(pid);
  if (!target) return -Errno.EINVAL;
  if (thread) return target.tg === t.tg ? { kind: 'thread', task: target } : -Errno.EINVAL;
  // A process clock is named by its leader's pid (clock_gettime also takes the caller's own tid).
  if (target.tid === target.tg.pid || (!forTimer && target === t)) return { kind: 'process', group: target.tg };
  return -Errno.EINVAL;
}

/** The clock's reading in nanoseconds (host clocks: since the sandbox booted). */
export function clockNs(k: Kernel, c: ClockSource): number {
  switch (c.kind) {
    case 'wall': return sinceNs(k.host.clock.realtime(), k.bootRealtime);
    case 'mono': return sinceNs(k.host.clock.monotonic(), k.bootTime);
    case 'thread': return c.task.ctx.instructions;
    case 'process': return processCpuNs(c.group);
  }
}

/** The instant `ts` of the clock (an absolute time as the guest gives it) in clockNs's terms. */
export function absoluteNs(k: Kernel, c: ClockSource, ts: Timespec): number {
  const base = c.kind === 'wall' ? k.bootRealtime : c.kind === 'mono' ? k.bootTime : { sec: 0, nsec: 0 };
  return sinceNs(ts, base);
}

/** The clock's reading as the guest sees it (absolute). */
export function clockTimespec(k: Kernel, c: ClockSource): Timespec {
  if (c.kind === 'wall') return k.host.clock.realtime();
  if (c.kind === 'mono') return k.host.clock.monotonic();
  return nsToTimespec(clockNs(k, c));
}

function sinceNs(ts: Timespec, base: Timespec): number {
  return (ts.sec - base.sec) * 1e9 + (ts.nsec - base.nsec);
}

export function timespecToNs(ts: Timespec): number { return ts.sec * 1e9 + ts.nsec; }

export function nsToTimespec(ns: number): Timespec {
  const sec = Math.floor(ns / 1e9);
  // Beyond 2^53 the subtraction is inexact: keep nsec in range.
  return { sec, nsec: Math.min(Math.max(Math.round(ns - sec * 1e9), 0), 999_999_999) };
}
