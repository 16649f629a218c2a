// Scheduling: sched_yield, sched_getaffinity/sched_setaffinity, sched_getscheduler/
// sched_setscheduler, sched_getparam/sched_setparam, sched_get_priority_max/min,
// sched_rr_get_interval, getpriority/setpriority (Linux kernel/sched/core.c, kernel/sys.c; gVisor
// sys_sched.go). Every task runs in turn on the host's event loop, so policies and nice values are
// kept and reported with Linux's permission rules but change no task's share of the CPU.

import { Errno } from '../abi/errno.js';
import type { Kernel } from '../kernel/kernel.js';
import { SLICE_INSTRUCTIONS } from '../kernel/kernel.js';
import type { Task } from '../kernel/task.js';
import type { SyscallResult } from './handler.js';
import { copyIn, copyOut, i32Bytes, u64Bytes } from './memory_io.js';
import { getLimit } from './sys_thread.js';

export const SCHED_OTHER = 0, SCHED_FIFO = 1, SCHED_RR = 2, SCHED_BATCH = 3, SCHED_IDLE = 5, SCHED_DEADLINE = 6;
const SCHED_RESET_ON_FORK = 0x40000000;
/** sched_setparam's "keep the policy" (SETPARAM_POLICY). */
const KEEP_POLICY = -1;
const MAX_RT_PRIO = 100;
const RR_TIMESLICE_NS = 100_000_000;
const CAP_SYS_NICE = 23;
const RLIMIT_NICE = 13, RLIMIT_RTPRIO = 14;
const MIN_NICE = -20, MAX_NICE = 19;

const isRt = (p: number) => p === SCHED_FIFO || p === SCHED_RR;
const isFair = (p: number) => p === SCHED_OTHER || p === SCHED_BATCH || p === SCHED_IDLE;

function hasCap(t: Task, cap: number): boolean {
  return Math.floor(t.tg.creds.capEffective / 2 ** cap) % 2 === 1;
}

/** The thread `pid` names (0: the caller), as find_process_by_pid does. */
function taskOf(t: Task, k: Kernel, pid: number): Task | undefined {
  return pid === 0 ? t : k.tasks.get(pid);
}

/** can_nice: RLIMIT_NICE allows `nice` (its limit is 20 - nice), or CAP_SYS_NICE. */
function canNice(caller: Task, target: Task, nice: number): boolean {
  return 20 - nice <= getLimit(target, RLIMIT_NICE).cur || hasCap(caller, CAP_SYS_NICE);
}

// --- yielding and CPU affinity -----------------------------------------------------------------

export async function sys_sched_yield(_t: Task, k: Kernel): Promise<number> {
  await k.host.yield();
  return 0;
}

/** The kernel's cpumask size in bytes: a whole number of longs covering every CPU. */
function maskBytes(k: Kernel): number { return Math.ceil(k.cpus / 64) * 8; }

export function sys_sched_getaffinity(t: Task, k: Kernel): SyscallResult {
  const pid = t.argInt(0), len = t.argLo(1) >>> 0, addr = t.arg(2);
  if (len * 8 < k.cpus || len % 8 !== 0) return -Errno.EINVAL;
  if (pid < 0 || !taskOf(t, k, pid)) return -Errno.ESRCH;
  // Every task may run on every CPU the sandbox shows.
  const size = Math.min(len, maskBytes(k));
  const mask = new Uint8Array(size);
  for (let cpu = 0; cpu < k.cpus; cpu++) mask[cpu >> 3] |= 1 << (cpu & 7);
  return copyOut(t, addr, mask) ? size : -Errno.EFAULT;
}

export function sys_sched_setaffinity(t: Task, k: Kernel): SyscallResult {
  const pid = t.argInt(0), len = t.argLo(1) >>> 0, addr = t.arg(2);
  // A shorter mask is zero-extended; a longer one is cut to the kernel's size.
  const mask = new Uint8Array(maskBytes(k));
  const given = copyIn(t, addr, Math.min(len, mask.length));
  if (!given) return -Errno.EFAULT;
  mask.set(given);
  const target = pid < 0 ? undefined : taskOf(t, k, pid);
  if (!target) return -Errno.ESRCH;
  const c = t.tg.creds, o = target.tg.creds;
  if (c.euid !== o.euid && c.euid !== o.uid && !hasCap(t, CAP_SYS_NICE)) return -Errno.EPERM;
  // It must allow at least one CPU that exists; the tasks share the event loop whatever it says.
  for (let cpu = 0; cpu < k.cpus; cpu++) if (mask[cpu >> 3] & (1 << (cpu & 7))) return 0;
  return -Errno.EINVAL;
}

// --- policies and priorities -------------------------------------------------------------------

export function sys_sched_getscheduler(t: Task, k: Kernel): SyscallResult {
  const pid = t.argInt(0);
  if (pid < 0) return -Errno.EINVAL;
  const target = taskOf(t, k, pid);
  if (!target) return -Errno.ESRCH;
  return target.schedPolicy | (target.schedResetOnFork ? SCHED_RESET_ON_FORK : 0);
}

export function sys_sched_getparam(t: Task, k: Kernel): SyscallResult {
  const pid = t.argInt(0), addr = t.arg(1);
  if (addr === 0 || pid < 0) return -Errno.EINVAL;
  const target = taskOf(t, k, pid);
  if (!target) return -Errno.ESRCH;
  return copyOut(t, addr, i32Bytes([target.rtPriority])) ? 0 : -Errno.EFAULT;
}

export function sys_sched_setscheduler(t: Task, k: Kernel): SyscallResult {
  const pid = t.argInt(0), policy = t.argInt(1), addr = t.arg(2);
  if (policy < 0) return -Errno.EINVAL;
  return setScheduler(t, k, pid, policy, addr);
}

export function sys_sched_setparam(t: Task, k: Kernel): SyscallResult {
  return setScheduler(t, k, t.argInt(0), KEEP_POLICY, t.arg(1));
}

/** do_sched_setscheduler and __sched_setscheduler's checks for a caller from user space. */
function setScheduler(t: Task, k: Kernel, pid: number, requested: number, addr: number): number {
  if (addr === 0 || pid < 0) return -Errno.EINVAL;
  const raw = copyIn(t, addr, 4);
  if (!raw) return -Errno.EFAULT;
  const priority = new DataView(raw.buffer).getUint32(0, true); // an int, read as the kernel's u32
  const p = taskOf(t, k, pid);
  if (!p) return -Errno.ESRCH;
  let policy: number, resetOnFork: boolean;
  if (requested === KEEP_POLICY) {
    policy = p.schedPolicy;
    resetOnFork = p.schedResetOnFork;
  } else {
    resetOnFork = (requested & SCHED_RESET_ON_FORK) !== 0;
    policy = requested & ~SCHED_RESET_ON_FORK;
    if (!isFair(policy) && !isRt(policy) && policy !== SCHED_DEADLINE) return -Errno.EINVAL;
  }
  if (priority > MAX_RT_PRIO - 1) return -Errno.EINVAL;
  // SCHED_DEADLINE needs sched_setattr's runtime and period; here it has none.
  if (policy === SCHED_DEADLINE || isRt(policy) !== (priority !== 0)) return -Errno.EINVAL;
  if (!hasCap(t, CAP_SYS_NICE)) {
    if (isRt(policy)) {
      const rtLimit = getLimit(p, RLIMIT_RTPRIO).cur;
      if (policy !== p.schedPolicy && rtLimit === 0) return -Errno.EPERM;
      if (priority > p.rtPriority && priority > rtLimit) return -Errno.EPERM;
    }
    // Leaving SCHED_IDLE counts as raising the priority from nice 20.
    if (p.schedPolicy === SCHED_IDLE && policy !== SCHED_IDLE && !canNice(t, p, p.nice)) return -Errno.EPERM;
    const c = t.tg.creds, o = p.tg.creds;
    if (c.euid !== o.euid && c.euid !== o.uid) return -Errno.EPERM;
    if (p.schedResetOnFork && !resetOnFork) return -Errno.EPERM;
  }
  p.schedPolicy = policy;
  p.rtPriority = priority;
  p.schedResetOnFork = resetOnFork;
  return 0;
}

export function sys_sched_get_priority_max(t: Task): SyscallResult {
  const policy = t.argInt(0);
  if (isRt(policy)) return MAX_RT_PRIO - 1;
  return isFair(policy) || policy === SCHED_DEADLINE ? 0 : -Errno.EINVAL;
}

export function sys_sched_get_priority_min(t: Task): SyscallResult {
  const policy = t.argInt(0);
  if (isRt(policy)) return 1;
  return isFair(policy) || policy === SCHED_DEADLINE ? 0 : -Errno.EINVAL;
}

/** The task's time slice: SCHED_RR's, none for SCHED_FIFO, else the slice the task loop runs. */
export function sys_sched_rr_get_interval(t: Task, k: Kernel): SyscallResult {
  const pid = t.argInt(0), addr = t.arg(1);
  if (pid < 0) return -Errno.EINVAL;
  const p = taskOf(t, k, pid);
  if (!p) return -Errno.ESRCH;
  const ns = p.schedPolicy === SCHED_FIFO ? 0 : p.schedPolicy === SCHED_RR ? RR_TIMESLICE_NS : SLICE_INSTRUCTIONS;
  return copyOut(t, addr, u64Bytes([Math.floor(ns / 1e9), ns % 1e9])) ? 0 : -Errno.EFAULT;
}

// --- nice values -------------------------------------------------------------------------------

const PRIO_PROCESS = 0, PRIO_PGRP = 1, PRIO_USER = 2;

/** The threads getpriority/setpriority address: one thread, a process group's, or a user's. */
function prioTargets(t: Task, k: Kernel, which: number, who: number): Task[] {
  switch (which) {
    case PRIO_PROCESS: {
      const p = taskOf(t, k, who);
      return p ? [p] : [];
    }
    case PRIO_PGRP: {
      const pgid = who === 0 ? t.tg.pgid : who;
      return [...k.tasks.values()].filter((p) => p.tg.pgid === pgid);
    }
    default: {
      const uid = who === 0 ? t.tg.creds.uid : who >>> 0;
      return [...k.tasks.values()].filter((p) => p.tg.creds.uid === uid);
    }
  }
}

/** getpriority: the highest priority among the targets, as 20 - nice (1..40; the C library undoes it). */
export function sys_getpriority(t: Task, k: Kernel): SyscallResult {
  const which = t.argInt(0), who = t.argInt(1);
  if (which < PRIO_PROCESS || which > PRIO_USER) return -Errno.EINVAL;
  const targets = prioTargets(t, k, which, who);
  if (targets.length === 0) return -Errno.ESRCH;
  return Math.max(...targets.map((p) => 20 - p.nice));
}

/** setpriority: set_one_prio on each target; a lower nice needs RLIMIT_NICE or CAP_SYS_NICE (EACCES). */
export function sys_setpriority(t: Task, k: Kernel): SyscallResult {
  const which = t.argInt(0), who = t.argInt(1);
  if (which < PRIO_PROCESS || which > PRIO_USER) return -Errno.EINVAL;
  const nice = Math.min(Math.max(t.argInt(2), MIN_NICE), MAX_NICE);
  let error = -Errno.ESRCH;
  const c = t.tg.creds;
  for (const p of prioTargets(t, k, which, who)) {
    const o = p.tg.creds;
    if (o.uid !== c.euid && o.euid !== c.euid && !hasCap(t, CAP_SYS_NICE)) { error = -Errno.EPERM; continue; }
    if (nice < p.nice && !canNice(t, p, nice)) { error = -Errno.EACCES; continue; }
    if (error === -Errno.ESRCH) error = 0;
    p.nice = nice;
  }
  return error;
}
