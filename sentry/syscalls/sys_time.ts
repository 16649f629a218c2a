// Clocks and sleeping: clock_gettime, clock_getres, gettimeofday, time, nanosleep,
// clock_nanosleep (gVisor sys_time.go). Sleeps wait on the host's event loop, never block it.

import { Errno } from '../abi/errno.js';
import type { Kernel } from '../kernel/kernel.js';
import type { Task } from '../kernel/task.js';
import type { Timespec } from '../vfs/stat.js';
import type { SyscallResult } from './handler.js';
import { copyIn, copyOut, u64Bytes } from './memory_io.js';
import { getI64 } from '../abi/bytes.js';
import { clockSource, clockTimespec } from '../kernel/clocks.js';

const CLOCK_REALTIME_COARSE = 5, CLOCK_MONOTONIC_COARSE = 6;
const TIMER_ABSTIME = 1;

/** Clock `clock`'s reading for `t` (CPU clocks count instructions, one per nanosecond), or null: EINVAL. */
function now(k: Kernel, t: Task, clock: number): Timespec | null {
  const src = clockSource(k, t, clock);
  return typeof src === 'number' ? null : clockTimespec(k, src);
}

export function sys_clock_gettime(t: Task, k: Kernel): SyscallResult {
  const ts = now(k, t, t.argInt(0));
  if (!ts) return -Errno.EINVAL;
  return copyOut(t, t.arg(1), u64Bytes([ts.sec, ts.nsec])) ? 0 : -Errno.EFAULT;
}

export function sys_clock_getres(t: Task, k: Kernel): SyscallResult {
  const clock = t.argInt(0), addr = t.arg(1);
  if (!now(k, t, clock)) return -Errno.EINVAL;
  if (addr === 0) return 0;
  const coarse = clock === CLOCK_REALTIME_COARSE || clock === CLOCK_MONOTONIC_COARSE;
  return copyOut(t, addr, u64Bytes([0, coarse ? 4000000 : 1])) ? 0 : -Errno.EFAULT;
}

export function sys_gettimeofday(t: Task, k: Kernel): SyscallResult {
  const tv = t.arg(0), tz = t.arg(1);
  const ts = k.host.clock.realtime();
  if (tv && !copyOut(t, tv, u64Bytes([ts.sec, Math.floor(ts.nsec / 1000)]))) return -Errno.EFAULT;
  if (tz && !copyOut(t, tz, new Uint8Array(8))) return -Errno.EFAULT;
  return 0;
}

export function sys_time(t: Task, k: Kernel): SyscallResult {
  const sec = k.host.clock.realtime().sec;
  const addr = t.arg(0);
  if (addr && !copyOut(t, addr, u64Bytes([sec]))) return -Errno.EFAULT;
  return sec;
}

/** A struct timespec argument, validated as nanosleep and ppoll do (EINVAL, EFAULT). */
export function readTimespec(t: Task, addr: number): Timespec | number {
  const b = copyIn(t, addr, 16);
  if (!b) return -Errno.EFAULT;
  const dv = new DataView(b.buffer);
  const sec = getI64(dv, 0), nsec = getI64(dv, 8);
  if (sec < 0 || nsec < 0 || nsec >= 1e9) return -Errno.EINVAL;
  return { sec, nsec };
}

/** Sleeps `ts`; false when a signal interrupted it. */
async function sleepFor(t: Task, k: Kernel, ts: Timespec): Promise<boolean> {
  const ms = ts.sec * 1000 + ts.nsec / 1e6;
  if (ms > 0) return k.interruptibleSleep(t, ms);
  await k.host.yield();
  return true;
}

export async function sys_nanosleep(t: Task, k: Kernel): Promise<number> {
  const ts = readTimespec(t, t.arg(0));
  if (typeof ts === 'number') return ts;
  const start = k.host.clock.monotonic();
  if (await sleepFor(t, k, ts)) return 0;
  return interrupted(t, k, ts, start, t.arg(1));
}

/** An interrupted relative sleep: EINTR, and the time left in `remAddr` when given. */
function interrupted(t: Task, k: Kernel, ts: Timespec, start: Timespec, remAddr: number): number {
  const now = k.host.clock.monotonic();
  let left = (ts.sec - (now.sec - start.sec)) * 1e9 + (ts.nsec - (now.nsec - start.nsec));
  if (left < 0) left = 0;
  if (remAddr !== 0) {
    const b = new Uint8Array(16);
    const dv = new DataView(b.buffer);
    dv.setUint32(0, Math.floor(left / 1e9), true);
    dv.setUint32(8, left % 1e9, true);
    if (!copyOut(t, remAddr, b)) return -Errno.EFAULT;
  }
  return -Errno.EINTR;
}

export async function sys_clock_nanosleep(t: Task, k: Kernel): Promise<number> {
  const clock = t.argInt(0), flags = t.argInt(1);
  const src = clockSource(k, t, clock, 'sleep');
  if (typeof src === 'number') return src;
  // A CPU clock is slept on as host time: an approximation (Linux waits for the CPU time to pass).
  const cur = clockTimespec(k, src);
  const ts = readTimespec(t, t.arg(2));
  if (typeof ts === 'number') return ts;
  if (flags & TIMER_ABSTIME) {
    let sec = ts.sec - cur.sec, nsec = ts.nsec - cur.nsec;
    if (nsec < 0) { sec -= 1; nsec += 1e9; }
    if (sec < 0) return 0;
    return (await sleepFor(t, k, { sec, nsec })) ? 0 : -Errno.EINTR;
  }
  const start = k.host.clock.monotonic();
  return (await sleepFor(t, k, ts)) ? 0 : interrupted(t, k, ts, start, t.arg(3));
}
