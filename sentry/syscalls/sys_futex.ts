// futex(2), set_robust_list(2) and get_robust_list(2) (Linux kernel/futex/syscalls.c, waitwake.c,
// requeue.c; gVisor sys_futex.go): each operation's arguments, timeout and errors, run on the
// kernel's futex queues (sentry/kernel/futex.ts, the PI operations in futex_pi.ts). The robust
// list is walked when the task exits or execs (sentry/kernel/robust_list.ts).

import { Errno } from '../abi/errno.js';
import { FUTEX_BITSET_MATCH_ANY, Waiter, WaiterKind, WakeReason, type Deadline, type FutexTable } from '../kernel/futex.js';
import { cmpRequeuePi, lockPi, unlockPi, waitRequeuePi, type TaskLookup } from '../kernel/futex_pi.js';
import type { Kernel } from '../kernel/kernel.js';
import { ERESTART_RESTARTBLOCK, ERESTARTSYS } from '../kernel/signals.js';
import type { Task } from '../kernel/task.js';
import type { SyscallResult } from './handler.js';
import { copyOut, u64Bytes } from './memory_io.js';
import { readTimespec } from './sys_time.js';

const FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_REQUEUE = 3, FUTEX_CMP_REQUEUE = 4, FUTEX_WAKE_OP = 5,
  FUTEX_LOCK_PI = 6, FUTEX_UNLOCK_PI = 7, FUTEX_TRYLOCK_PI = 8, FUTEX_WAIT_BITSET = 9, FUTEX_WAKE_BITSET = 10,
  FUTEX_WAIT_REQUEUE_PI = 11, FUTEX_CMP_REQUEUE_PI = 12, FUTEX_LOCK_PI2 = 13;
const FUTEX_PRIVATE_FLAG = 128, FUTEX_CLOCK_REALTIME = 256;
const FUTEX_CMD_MASK = ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
/** FUTEX_WAKE_OP's operation and comparison codes (the top bit of the op: oparg is a shift). */
const FUTEX_OP_SET = 0, FUTEX_OP_ADD = 1, FUTEX_OP_OR = 2, FUTEX_OP_ANDN = 3, FUTEX_OP_XOR = 4;
const FUTEX_OP_CMP_EQ = 0, FUTEX_OP_CMP_NE = 1, FUTEX_OP_CMP_LT = 2, FUTEX_OP_CMP_LE = 3, FUTEX_OP_CMP_GT = 4,
  FUTEX_OP_CMP_GE = 5;
/** sizeof(struct robust_list_head). */
const ROBUST_LIST_HEAD_SIZE = 24;

/** The operations whose fourth argument is a timeout (the others may use it as a count). */
function hasTimeout(cmd: number): boolean {
  return cmd === FUTEX_WAIT || cmd === FUTEX_LOCK_PI || cmd === FUTEX_LOCK_PI2 || cmd === FUTEX_WAIT_BITSET
    || cmd === FUTEX_WAIT_REQUEUE_PI;
}

export function sys_futex(t: Task, k: Kernel): SyscallResult {
  const uaddr = t.arg(0), op = t.argInt(1), val = t.argInt(2), utime = t.arg(3), uaddr2 = t.arg(4), val3 = t.argInt(5);
  const cmd = op & FUTEX_CMD_MASK;
  const shared = (op & FUTEX_PRIVATE_FLAG) === 0, realtime = (op & FUTEX_CLOCK_REALTIME) !== 0;
  let deadline: Deadline | null = null;
  if (utime !== 0 && hasTimeout(cmd)) {
    const ts = readTimespec(t, utime);
    if (typeof ts === 'number') return ts;
    deadline = toDeadline(k, cmd, realtime, ts.sec * 1000 + ts.nsec / 1e6);
  }
  if (realtime && cmd !== FUTEX_WAIT_BITSET && cmd !== FUTEX_WAIT_REQUEUE_PI && cmd !== FUTEX_LOCK_PI2) return -Errno.ENOSYS;
  // Operations without a timeout take a second count from the timeout's argument.
  const val2 = t.argInt(3);
  const ft = k.futexes;
  switch (cmd) {
    case FUTEX_WAIT: return futexWait(t, ft, uaddr, val, shared, deadline, FUTEX_BITSET_MATCH_ANY);
    case FUTEX_WAIT_BITSET: return futexWait(t, ft, uaddr, val, shared, deadline, val3);
    case FUTEX_WAKE: return futexWake(t, ft, uaddr, val, shared, FUTEX_BITSET_MATCH_ANY);
    case FUTEX_WAKE_BITSET: return futexWake(t, ft, uaddr, val, shared, val3);
    case FUTEX_REQUEUE: return futexRequeue(t, ft, uaddr, uaddr2, val, val2, shared, null);
    case FUTEX_CMP_REQUEUE: return futexRequeue(t, ft, uaddr, uaddr2, val, val2, shared, val3);
    case FUTEX_WAKE_OP: return futexWakeOp(t, ft, uaddr, uaddr2, val, val2, val3, shared);
    case FUTEX_LOCK_PI: case FUTEX_LOCK_PI2: case FUTEX_TRYLOCK_PI: {
      const key = ft.key(t.mm, uaddr, shared, true);
      if (typeof key === 'number') return key;
      return lockPi(ft, findTask(k), t, uaddr, key, cmd === FUTEX_TRYLOCK_PI ? null : deadline, cmd === FUTEX_TRYLOCK_PI);
    }
    case FUTEX_UNLOCK_PI:
      return unlockPi(ft, t, uaddr, () => ft.key(t.mm, uaddr, shared, true));
    case FUTEX_WAIT_REQUEUE_PI: return futexWaitRequeuePi(t, ft, uaddr, uaddr2, val, shared, deadline);
    case FUTEX_CMP_REQUEUE_PI: return futexCmpRequeuePi(t, k, uaddr, uaddr2, val, val2, val3, shared);
    default: return -Errno.ENOSYS; // FUTEX_FD (gone since Linux 2.6.26) and unknown operations
  }
}

/**
 * Where a timeout ends (futex_init_timeout): FUTEX_WAIT's is relative (on CLOCK_MONOTONIC); the
 * others are absolute, LOCK_PI's on CLOCK_REALTIME, the rest on CLOCK_MONOTONIC unless
 * FUTEX_CLOCK_REALTIME is given.
 */
function toDeadline(k: Kernel, cmd: number, realtime: boolean, ms: number): Deadline {
  if (cmd === FUTEX_WAIT) {
    const now = k.host.clock.monotonic();
    return { realtime: false, ms: now.sec * 1000 + now.nsec / 1e6 + ms };
  }
  return { realtime: realtime || cmd === FUTEX_LOCK_PI, ms };
}

function findTask(k: Kernel): TaskLookup { return (tid) => k.tasks.get(tid); }

/**
 * FUTEX_WAIT(_BITSET): sleeps while the word holds `val` (EAGAIN at once if it does not). A
 * signal restarts it (ERESTARTSYS); a timed one resumes with the same deadline via restart_syscall
 * when no handler runs, and fails with EINTR after a handler (ERESTART_RESTARTBLOCK).
 */
function futexWait(t: Task, ft: FutexTable, addr: number, val: number, shared: boolean, deadline: Deadline | null,
  bitset: number): SyscallResult {
  if (bitset === 0) return -Errno.EINVAL;
  const key = ft.key(t.mm, addr, shared, false);
  if (typeof key === 'number') return key;
  const cur = ft.load(t.mm, addr);
  if (cur === null) return -Errno.EFAULT;
  if (cur !== val) return -Errno.EAGAIN;
  const w = new Waiter(t, t.mm, addr, key, bitset, WaiterKind.PLAIN);
  return ft.wait(w, deadline).then((why) => {
    if (why === WakeReason.WOKEN) return 0;
    if (why === WakeReason.TIMEOUT) return -Errno.ETIMEDOUT;
    if (!deadline) return -ERESTARTSYS;
    t.restartBlock = () => futexWait(t, ft, addr, val, shared, deadline, bitset);
    return -ERESTART_RESTARTBLOCK;
  });
}

function futexWake(t: Task, ft: FutexTable, addr: number, n: number, shared: boolean, bitset: number): number {
  if (bitset === 0) return -Errno.EINVAL;
  const key = ft.key(t.mm, addr, shared, false);
  if (typeof key === 'number') return key;
  return ft.wake(key, n, bitset);
}

/** FUTEX_REQUEUE and FUTEX_CMP_REQUEUE (EAGAIN when the word is not `cmpval`). */
function futexRequeue(t: Task, ft: FutexTable, addr: number, addr2: number, nWake: number, nMove: number, shared: boolean,
  cmpval: number | null): number {
  if (nWake < 0 || nMove < 0) return -Errno.EINVAL;
  const from = ft.key(t.mm, addr, shared, false);
  if (typeof from === 'number') return from;
  const to = ft.key(t.mm, addr2, shared, false);
  if (typeof to === 'number') return to;
  if (cmpval !== null) {
    const cur = ft.load(t.mm, addr);
    if (cur === null) return -Errno.EFAULT;
    if (cur !== cmpval) return -Errno.EAGAIN;
  }
  return ft.requeue(from, to, nWake, nMove);
}

/**
 * FUTEX_WAKE_OP: atomically *uaddr2 = *uaddr2 OP oparg, then wakes `nWake` on uaddr, and `nWake2`
 * on uaddr2 too if the old value CMP cmparg held. An unknown OP changes nothing (ENOSYS); an
 * unknown CMP is found after the store, as in Linux.
 */
function futexWakeOp(t: Task, ft: FutexTable, addr: number, addr2: number, nWake: number, nWake2: number, encoded: number,
  shared: boolean): number {
  const key1 = ft.key(t.mm, addr, shared, false);
  if (typeof key1 === 'number') return key1;
  const key2 = ft.key(t.mm, addr2, shared, true);
  if (typeof key2 === 'number') return key2;
  const opKind = (encoded >>> 28) & 7, cmp = (encoded >>> 24) & 15;
  let oparg = (encoded << 8) >> 20; // bits 12..23, sign-extended
  const cmparg = (encoded << 20) >> 20; // bits 0..11, sign-extended
  // A shift out of range is masked (Linux only logs it).
  if (encoded & 0x80000000) oparg = 1 << (oparg & 31);
  let apply: (old: number) => number;
  switch (opKind) {
    case FUTEX_OP_SET: apply = () => oparg; break;
    case FUTEX_OP_ADD: apply = (old) => (old + oparg) | 0; break;
    case FUTEX_OP_OR: apply = (old) => old | oparg; break;
    case FUTEX_OP_ANDN: apply = (old) => old & ~oparg; break;
    case FUTEX_OP_XOR: apply = (old) => old ^ oparg; break;
    default: return -Errno.ENOSYS;
  }
  const old = ft.update(t.mm, addr2, apply);
  if (old === null) return -Errno.EFAULT;
  let hit: boolean;
  switch (cmp) {
    case FUTEX_OP_CMP_EQ: hit = old === cmparg; break;
    case FUTEX_OP_CMP_NE: hit = old !== cmparg; break;
    case FUTEX_OP_CMP_LT: hit = old < cmparg; break;
    case FUTEX_OP_CMP_LE: hit = old <= cmparg; break;
    case FUTEX_OP_CMP_GT: hit = old > cmparg; break;
    case FUTEX_OP_CMP_GE: hit = old >= cmparg; break;
    default: return -Errno.ENOSYS;
  }
  const woken = ft.wake(key1, nWake);
  if (woken < 0 || !hit) return woken;
  const woken2 = ft.wake(key2, nWake2);
  return woken2 < 0 ? woken2 : woken + woken2;
}

/** FUTEX_WAIT_REQUEUE_PI: waits on uaddr (a condition) to be requeued to PI futex uaddr2. */
function futexWaitRequeuePi(t: Task, ft: FutexTable, addr: number, addr2: number, val: number, shared: boolean,
  deadline: Deadline | null): SyscallResult {
  if (addr === addr2) return -Errno.EINVAL;
  const piKey = ft.key(t.mm, addr2, shared, true);
  if (typeof piKey === 'number') return piKey;
  const key = ft.key(t.mm, addr, shared, false);
  if (typeof key === 'number') return key;
  const cur = ft.load(t.mm, addr);
  if (cur === null) return -Errno.EFAULT;
  if (cur !== val) return -Errno.EAGAIN;
  if (key === piKey) return -Errno.EINVAL;
  return waitRequeuePi(ft, t, addr, key, FUTEX_BITSET_MATCH_ANY, piKey, addr2, deadline);
}

/** FUTEX_CMP_REQUEUE_PI: wakes exactly one (nWake must be 1) and requeues the rest onto uaddr2. */
function futexCmpRequeuePi(t: Task, k: Kernel, addr: number, addr2: number, nWake: number, nRequeue: number, cmpval: number,
  shared: boolean): number {
  if (nWake < 0 || nRequeue < 0) return -Errno.EINVAL;
  if (addr === addr2 || nWake !== 1) return -Errno.EINVAL;
  const ft = k.futexes;
  const key = ft.key(t.mm, addr, shared, false);
  if (typeof key === 'number') return key;
  const piKey = ft.key(t.mm, addr2, shared, true);
  if (typeof piKey === 'number') return piKey;
  if (key === piKey) return -Errno.EINVAL;
  const cur = ft.load(t.mm, addr);
  if (cur === null) return -Errno.EFAULT;
  if (cur !== cmpval) return -Errno.EAGAIN;
  return cmpRequeuePi(ft, findTask(k), t, key, piKey, addr2, nRequeue);
}

// --- robust lists ------------------------------------------------------------------------------

export function sys_set_robust_list(t: Task): SyscallResult {
  if (t.arg(1) !== ROBUST_LIST_HEAD_SIZE) return -Errno.EINVAL;
  t.robustList = t.arg(0);
  return 0;
}

/** get_robust_list(pid, head_ptr, len_ptr): pid 0 is the caller. */
export function sys_get_robust_list(t: Task, k: Kernel): SyscallResult {
  const pid = t.argInt(0), headAddr = t.arg(1), lenAddr = t.arg(2);
  const target = pid === 0 ? t : k.tasks.get(pid);
  if (!target) return -Errno.ESRCH;
  if (!mayReadCreds(t, target)) return -Errno.EPERM;
  if (!copyOut(t, lenAddr, u64Bytes([ROBUST_LIST_HEAD_SIZE]))) return -Errno.EFAULT;
  return copyOut(t, headAddr, u64Bytes([target.robustList])) ? 0 : -Errno.EFAULT;
}

/**
 * ptrace_may_access(PTRACE_MODE_READ_REALCREDS): its own process; or the caller's real uid and
 * gid are all of the target's ids; or CAP_SYS_PTRACE.
 */
function mayReadCreds(t: Task, target: Task): boolean {
  if (target.tg === t.tg) return true;
  const c = t.tg.creds, o = target.tg.creds;
  const CAP_SYS_PTRACE = 19;
  if (Math.floor(c.capEffective / 2 ** CAP_SYS_PTRACE) % 2 === 1) return true;
  return c.uid === o.uid && c.uid === o.euid && c.uid === o.suid && c.gid === o.gid && c.gid === o.egid && c.gid === o.sgid;
}
