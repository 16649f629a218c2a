// Timers: alarm, getitimer, setitimer (Linux kernel/time/itimer.c) and the POSIX timers
// timer_create, timer_settime, timer_gettime, timer_getoverrun, timer_delete
// (kernel/time/posix-timers.c; gVisor sys_timer.go). The timers are in sentry/kernel/itimers.ts
// and posix_timers.ts.

import { Errno } from '../abi/errno.js';
import { getI64 } from '../abi/bytes.js';
import {
  absoluteNs, CLOCK_BOOTTIME_ALARM, CLOCK_REALTIME_ALARM, clockNs, clockSource, nsToTimespec,
} from '../kernel/clocks.js';
import { ITIMER_PROF, ITIMER_REAL, itimersOf, type ItimerSetting } from '../kernel/itimers.js';
import type { Kernel } from '../kernel/kernel.js';
import {
  PosixTimer, posixTimersOf, SIGEV_NONE, SIGEV_SIGNAL, SIGEV_THREAD, SIGEV_THREAD_ID, type TimerNotify,
} from '../kernel/posix_timers.js';
import { getLimit } from './sys_thread.js';
import { NSIG, SIGALRM } from '../kernel/sigset.js';
import type { Task } from '../kernel/task.js';
import type { SyscallResult } from './handler.js';
import { copyIn, copyOut, i32Bytes, u64Bytes } from './memory_io.js';

const TIMER_ABSTIME = 1;
const RLIMIT_SIGPENDING = 11;
/** The longest time a ktime_t holds (Linux KTIME_MAX): longer settings are clamped to it. */
const KTIME_MAX = 2 ** 63 - 1;

// --- alarm and interval timers -----------------------------------------------------------------

/** struct itimerval (it_interval, then it_value; timevals) as nanoseconds, or -errno. */
function readItimerval(t: Task, addr: number): ItimerSetting | number {
  const b = copyIn(t, addr, 32);
  if (!b) return -Errno.EFAULT;
  const dv = new DataView(b.buffer);
  const isec = getI64(dv, 0), iusec = getI64(dv, 8), vsec = getI64(dv, 16), vusec = getI64(dv, 24);
  // timeval_valid: no negative seconds, microseconds below a second.
  if (isec < 0 || vsec < 0 || iusec < 0 || iusec >= 1e6 || vusec < 0 || vusec >= 1e6) return -Errno.EINVAL;
  return { interval: clampNs(isec * 1e9 + iusec * 1e3), value: clampNs(vsec * 1e9 + vusec * 1e3) };
}

function itimervalBytes(s: ItimerSetting): Uint8Array {
  const i = nsToTimespec(s.interval), v = nsToTimespec(s.value);
  return u64Bytes([i.sec, Math.floor(i.nsec / 1e3), v.sec, Math.floor(v.nsec / 1e3)]);
}

function clampNs(ns: number): number { return Math.min(ns, KTIME_MAX); }

function validWhich(which: number): boolean { return which >= ITIMER_REAL && which <= ITIMER_PROF; }

export function sys_getitimer(t: Task): SyscallResult {
  const which = t.argInt(0), addr = t.arg(1);
  if (!validWhich(which)) return -Errno.EINVAL;
  const cur = t.tg.itimers?.get(which) ?? { value: 0, interval: 0 };
  return copyOut(t, addr, itimervalBytes(cur)) ? 0 : -Errno.EFAULT;
}

export function sys_setitimer(t: Task, k: Kernel): SyscallResult {
  const which = t.argInt(0), newAddr = t.arg(1), oldAddr = t.arg(2);
  // A NULL new value disarms (a misfeature Linux keeps, with a warning).
  const next = newAddr === 0 ? { value: 0, interval: 0 } : readItimerval(t, newAddr);
  if (typeof next === 'number') return next;
  if (!validWhich(which)) return -Errno.EINVAL;
  const old = itimersOf(k, t.tg).set(which, next);
  if (oldAddr !== 0 && !copyOut(t, oldAddr, itimervalBytes(old))) return -Errno.EFAULT;
  return 0;
}

/** alarm(2): ITIMER_REAL for whole seconds; returns the seconds the old one had left, rounded. */
export function sys_alarm(t: Task, k: Kernel): SyscallResult {
  const seconds = t.argLo(0) >>> 0;
  const old = itimersOf(k, t.tg).set(ITIMER_REAL, { value: seconds * 1e9, interval: 0 });
  // An alarm still pending never reads as 0 seconds; half a second or more rounds up (alarm_setitimer).
  const left = nsToTimespec(old.value);
  return (left.sec === 0 && left.nsec > 0) || left.nsec >= 5e8 ? left.sec + 1 : left.sec;
}

// --- POSIX timers ------------------------------------------------------------------------------

/** struct itimerspec (it_interval, then it_value; timespecs), validated as timespec64_valid does. */
function readItimerspec(t: Task, addr: number): { interval: number; value: { sec: number; nsec: number } } | number {
  const b = copyIn(t, addr, 32);
  if (!b) return -Errno.EFAULT;
  const dv = new DataView(b.buffer);
  const isec = getI64(dv, 0), insec = getI64(dv, 8), vsec = getI64(dv, 16), vnsec = getI64(dv, 24);
  if (isec < 0 || vsec < 0 || insec < 0 || insec >= 1e9 || vnsec < 0 || vnsec >= 1e9) return -Errno.EINVAL;
  return { interval: clampNs(isec * 1e9 + insec), value: { sec: vsec, nsec: vnsec } };
}

function itimerspecBytes(s: { value: number; interval: number }): Uint8Array {
  const i = nsToTimespec(s.interval), v = nsToTimespec(s.value);
  return u64Bytes([i.sec, i.nsec, v.sec, v.nsec]);
}

/**
 * struct sigevent (sigev_value at 0, sigev_signo at 8, sigev_notify at 12, the thread id at 16)
 * checked as good_sigevent does: the signal must be valid, the thread one of the caller's.
 */
function parseSigevent(t: Task, k: Kernel, b: Uint8Array): TimerNotify | null {
  const dv = new DataView(b.buffer);
  const signo = dv.getInt32(8, true), notify = dv.getInt32(12, true), tid = dv.getInt32(16, true);
  if (notify === SIGEV_NONE) return { kind: 'none' };
  // SIGEV_THREAD is the C library's business; to the kernel it is a signal to the process.
  if (notify !== SIGEV_SIGNAL && notify !== SIGEV_THREAD && notify !== (SIGEV_SIGNAL | SIGEV_THREAD_ID)) return null;
  let thread: Task | null = null;
  if (notify === (SIGEV_SIGNAL | SIGEV_THREAD_ID)) {
    const target = k.tasks.get(tid);
    if (!target || target.tg !== t.tg) return null;
    thread = target;
  }
  if (signo <= 0 || signo > NSIG) return null;
  return { kind: 'signal', signo, value: b.slice(0, 8), thread };
}

export function sys_timer_create(t: Task, k: Kernel): SyscallResult {
  const clockId = t.argInt(0), sevAddr = t.arg(1), idAddr = t.arg(2);
  let sev: Uint8Array | null = null;
  if (sevAddr !== 0) {
    sev = copyIn(t, sevAddr, 64);
    if (!sev) return -Errno.EFAULT;
  }
  // An unknown clock or one that cannot drive a timer fails first; a CPU clock's missing target
  // and the alarm clocks only after the id was handed out (in Linux the clock's own timer_create
  // finds those).
  const clock = clockSource(k, t, clockId, 'timer');
  const isAlarm = clockId === CLOCK_REALTIME_ALARM || clockId === CLOCK_BOOTTIME_ALARM;
  const late = typeof clock === 'number' && (isAlarm || (clockId < 0 && clock === -Errno.EINVAL));
  if (typeof clock === 'number' && !late) return clock;
  const table = posixTimersOf(t.tg);
  if (table.byId.size >= getLimit(t, RLIMIT_SIGPENDING).cur) return -Errno.EAGAIN;
  const id = table.allocateId();
  if (id < 0) return -Errno.EAGAIN;
  let notify: TimerNotify | null;
  if (sev) notify = parseSigevent(t, k, sev);
  else notify = { kind: 'signal', signo: SIGALRM, value: i32Bytes([id, 0]), thread: null }; // si_value is the id
  if (!notify) return -Errno.EINVAL;
  if (!copyOut(t, idAddr, i32Bytes([id]))) return -Errno.EFAULT;
  if (typeof clock === 'number') return clock;
  table.byId.set(id, new PosixTimer(k, id, clock, t.tg, notify));
  return 0;
}

function timerOf(t: Task, id: number): PosixTimer | undefined {
  return t.tg.posixTimers?.byId.get(id);
}

export function sys_timer_settime(t: Task, k: Kernel): SyscallResult {
  const id = t.argInt(0), flags = t.argInt(1), newAddr = t.arg(2), oldAddr = t.arg(3);
  if (newAddr === 0) return -Errno.EINVAL;
  const spec = readItimerspec(t, newAddr);
  if (typeof spec === 'number') return spec;
  const timer = timerOf(t, id);
  if (!timer) return -Errno.EINVAL;
  if (timer.clockGone) return -Errno.ESRCH; // a CPU clock whose thread or process has exited
  const { sec, nsec } = spec.value;
  let expires: number | null = null;
  if (sec !== 0 || nsec !== 0) {
    expires = flags & TIMER_ABSTIME ? absoluteNs(k, timer.clock, spec.value) : clockNs(k, timer.clock) + clampNs(sec * 1e9 + nsec);
  }
  const old = timer.set(expires, spec.interval);
  if (oldAddr !== 0 && !copyOut(t, oldAddr, itimerspecBytes(old))) return -Errno.EFAULT;
  return 0;
}

export function sys_timer_gettime(t: Task): SyscallResult {
  const timer = timerOf(t, t.argInt(0));
  if (!timer) return -Errno.EINVAL;
  return copyOut(t, t.arg(1), itimerspecBytes(timer.get())) ? 0 : -Errno.EFAULT;
}

export function sys_timer_getoverrun(t: Task): SyscallResult {
  const timer = timerOf(t, t.argInt(0));
  return timer ? timer.overruns : -Errno.EINVAL;
}

export function sys_timer_delete(t: Task): SyscallResult {
  const id = t.argInt(0);
  const timer = timerOf(t, id);
  if (!timer) return -Errno.EINVAL;
  timer.delete();
  t.tg.posixTimers!.byId.delete(id);
  return 0;
}
