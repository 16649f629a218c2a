// timerfd_create, timerfd_settime, timerfd_gettime (Linux fs/timerfd.c, gVisor sys_timerfd.go).
// The timer is sentry/kernel/timerfd.ts; its clock is read here.

import { Errno } from '../abi/errno.js';
import { getI64 } from '../abi/bytes.js';
import type { Kernel } from '../kernel/kernel.js';
import { fsCreds, type Task } from '../kernel/task.js';
import { TimerFd, type ItimerSpec } from '../kernel/timerfd.js';
import { O_CLOEXEC, O_NONBLOCK, O_RDWR } from '../vfs/file.js';
import { hasCap } from '../vfs/inode.js';
import type { Timespec } from '../vfs/stat.js';
import type { SyscallResult } from './handler.js';
import { copyIn, copyOut } from './memory_io.js';

const CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1, CLOCK_BOOTTIME = 7, CLOCK_REALTIME_ALARM = 8, CLOCK_BOOTTIME_ALARM = 9;
const TFD_CLOEXEC = O_CLOEXEC, TFD_NONBLOCK = O_NONBLOCK;
const TFD_TIMER_ABSTIME = 1, TFD_TIMER_CANCEL_ON_SET = 2;
const CAP_WAKE_ALARM = 35;
const NS = 1_000_000_000n;

const toNs = (ts: Timespec): bigint => BigInt(ts.sec) * NS + BigInt(ts.nsec);

export function sys_timerfd_create(t: Task, k: Kernel): SyscallResult {
  const clock = t.argInt(0), flags = t.argInt(1);
  const alarm = clock === CLOCK_REALTIME_ALARM || clock === CLOCK_BOOTTIME_ALARM;
  if ((flags & ~(TFD_CLOEXEC | TFD_NONBLOCK)) || (clock !== CLOCK_REALTIME && clock !== CLOCK_MONOTONIC && clock !== CLOCK_BOOTTIME && !alarm)) {
    return -Errno.EINVAL;
  }
  if (alarm && !hasCap(fsCreds(t.tg.creds), CAP_WAKE_ALARM)) return -Errno.EPERM;
  // Nothing suspends here: the boot-time clock is the monotonic one, the alarm clocks are plain.
  const realtime = clock === CLOCK_REALTIME || clock === CLOCK_REALTIME_ALARM;
  const f = new TimerFd(O_RDWR | (flags & TFD_NONBLOCK), {
    now: () => toNs(realtime ? k.host.clock.realtime() : k.host.clock.monotonic()),
    setTimer: (ms, fn) => { const timer = k.hostTimers.after(ms, fn); return () => timer.cancel(); },
    currentTask: () => k.currentTask,
  });
  return t.fds.add(f, (flags & TFD_CLOEXEC) !== 0);
}

/** struct itimerspec: it_interval, then it_value; null when a timespec is out of range. */
function decodeItimerspec(b: Uint8Array): ItimerSpec | null {
  const dv = new DataView(b.buffer);
  const [isec, insec, vsec, vnsec] = [0, 8, 16, 24].map((at) => getI64(dv, at));
  const valid = (sec: number, nsec: number) => sec >= 0 && nsec >= 0 && nsec < 1e9;
  if (!valid(isec, insec) || !valid(vsec, vnsec)) return null;
  return { interval: BigInt(isec) * NS + BigInt(insec), value: BigInt(vsec) * NS + BigInt(vnsec) };
}

function encodeItimerspec(s: ItimerSpec): Uint8Array {
  const b = new Uint8Array(32);
  const dv = new DataView(b.buffer);
  dv.setBigInt64(0, s.interval / NS, true); dv.setBigInt64(8, s.interval % NS, true);
  dv.setBigInt64(16, s.value / NS, true); dv.setBigInt64(24, s.value % NS, true);
  return b;
}

/** The timerfd at `fd`: EBADF, or EINVAL for another kind of file. */
function timerAt(t: Task, fd: number): TimerFd | number {
  const f = t.fds.get(fd);
  if (!f) return -Errno.EBADF;
  return f instanceof TimerFd ? f : -Errno.EINVAL;
}

export function sys_timerfd_settime(t: Task): SyscallResult {
  const fd = t.argInt(0), flags = t.argInt(1), newAddr = t.arg(2), oldAddr = t.arg(3);
  const raw = copyIn(t, newAddr, 32);
  if (!raw) return -Errno.EFAULT;
  const spec = decodeItimerspec(raw);
  if ((flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET)) || !spec) return -Errno.EINVAL;
  const f = timerAt(t, fd);
  if (typeof f === 'number') return f;
  // TFD_TIMER_CANCEL_ON_SET: the sandbox's realtime clock is never set, so nothing cancels.
  const old = f.set(spec, (flags & TFD_TIMER_ABSTIME) !== 0);
  if (oldAddr !== 0 && !copyOut(t, oldAddr, encodeItimerspec(old))) return -Errno.EFAULT;
  return 0;
}

export function sys_timerfd_gettime(t: Task): SyscallResult {
  const fd = t.argInt(0), curAddr = t.arg(1);
  const f = timerAt(t, fd);
  if (typeof f === 'number') return f;
  return copyOut(t, curAddr, encodeItimerspec(f.get())) ? 0 : -Errno.EFAULT;
}
