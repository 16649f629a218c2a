// Task identity and lifetime: exit, exit_group, getpid/getppid/gettid, set_tid_address,
// arch_prctl, prlimit64/getrlimit/setrlimit, prctl (gVisor sys_thread.go, sys_tls.go,
// sys_rlimit.go, sys_prctl.go). Scheduling calls are in sys_sched.ts, robust lists in sys_futex.ts.

import { Errno } from '../abi/errno.js';
import { exitThread } from '../kernel/exit.js';
import type { Kernel } from '../kernel/kernel.js';
import type { Rlimit, Task } from '../kernel/task.js';
import type { SyscallResult } from './handler.js';
import { copyIn, copyOut, i32Bytes, u64Bytes } from './memory_io.js';
import { NSIG } from '../kernel/sigset.js';
import { Slot, setPair, USER_ADDRESS_LIMIT } from '../../platform/platform.js';
import { setU64 } from '../abi/bytes.js';

export function sys_exit(t: Task, k: Kernel): SyscallResult {
  exitThread(k, t, t.argInt(0) & 0xff);
  return 0;
}
export function sys_exit_group(t: Task, k: Kernel): SyscallResult {
  k.exitGroup(t, t.argInt(0) & 0xff);
  return 0;
}

export function sys_getpid(t: Task): SyscallResult { return t.tg.pid; }
export function sys_getppid(t: Task): SyscallResult { return t.tg.ppid; }
export function sys_gettid(t: Task): SyscallResult { return t.tid; }

export function sys_set_tid_address(t: Task): SyscallResult {
  t.clearChildTid = t.arg(0);
  return t.tid;
}

const ARCH_SET_GS = 0x1001, ARCH_SET_FS = 0x1002, ARCH_GET_FS = 0x1003, ARCH_GET_GS = 0x1004;

export function sys_arch_prctl(t: Task): SyscallResult {
  const code = t.argInt(0), addr = t.arg(1);
  const i32 = t.regs.i32;
  switch (code) {
    case ARCH_SET_FS: case ARCH_SET_GS:
      if (addr >= USER_ADDRESS_LIMIT) return -Errno.EPERM;
      setPair(i32, code === ARCH_SET_FS ? Slot.FS_BASE : Slot.GS_BASE, addr);
      return 0;
    case ARCH_GET_FS: case ARCH_GET_GS: {
      const s = code === ARCH_GET_FS ? Slot.FS_BASE : Slot.GS_BASE;
      const v = i32[s + 1] * 4294967296 + (i32[s] >>> 0);
      return copyOut(t, addr, u64Bytes([v])) ? 0 : -Errno.EFAULT;
    }
    default: return -Errno.EINVAL;
  }
}

// --- resource limits -------------------------------------------------------------------------

export const RLIMIT_STACK = 3, RLIMIT_NOFILE = 7, RLIM_NLIMITS = 16;
export const RLIM_INFINITY = 2 ** 64; // encoded as all-ones

function defaultLimit(resource: number): Rlimit {
  switch (resource) {
    case RLIMIT_STACK: return { cur: 8 << 20, max: RLIM_INFINITY };
    case RLIMIT_NOFILE: return { cur: 1024, max: 4096 };
    case 6 /* NPROC */: return { cur: 4096, max: 4096 };
    case 8 /* MEMLOCK */: return { cur: 8 << 20, max: 8 << 20 };
    case 4 /* CORE */: return { cur: 0, max: RLIM_INFINITY };
    case 13 /* NICE */: case 14 /* RTPRIO */: return { cur: 0, max: 0 };
    case 11 /* SIGPENDING */: return { cur: 63432, max: 63432 };
    case 12 /* MSGQUEUE */: return { cur: 819200, max: 819200 };
    default: return { cur: RLIM_INFINITY, max: RLIM_INFINITY };
  }
}

export function getLimit(t: Task, r: number): Rlimit { return t.tg.rlimits.get(r) ?? defaultLimit(r); }

function encodeRlimit(l: Rlimit): Uint8Array {
  const b = new Uint8Array(16);
  const dv = new DataView(b.buffer);
  const put = (at: number, v: number) => {
    if (v >= RLIM_INFINITY) { dv.setInt32(at, -1, true); dv.setInt32(at + 4, -1, true); }
    else setU64(dv, at, v);
  };
  put(0, l.cur); put(8, l.max);
  return b;
}

function decodeRlimit(b: Uint8Array): Rlimit {
  const dv = new DataView(b.buffer);
  const get = (at: number) => {
    const hi = dv.getUint32(at + 4, true), lo = dv.getUint32(at, true);
    return hi === 0xffffffff && lo === 0xffffffff ? RLIM_INFINITY : hi * 4294967296 + lo;
  };
  return { cur: get(0), max: get(8) };
}

function setLimit(t: Task, resource: number, l: Rlimit): number {
  if (l.cur > l.max) return -Errno.EINVAL;
  const old = getLimit(t, resource);
  if (l.max > old.max && t.tg.creds.euid !== 0) return -Errno.EPERM;
  t.tg.rlimits.set(resource, l);
  if (resource === RLIMIT_NOFILE) t.fds.limit = Math.min(l.cur, 1 << 20);
  return 0;
}

export function sys_prlimit64(t: Task): SyscallResult {
  const pid = t.argInt(0), resource = t.argInt(1), newAddr = t.arg(2), oldAddr = t.arg(3);
  if (resource < 0 || resource >= RLIM_NLIMITS) return -Errno.EINVAL;
  if (pid !== 0 && pid !== t.tg.pid) return -Errno.ESRCH;
  const old = getLimit(t, resource);
  if (newAddr) {
    const b = copyIn(t, newAddr, 16);
    if (!b) return -Errno.EFAULT;
    const r = setLimit(t, resource, decodeRlimit(b));
    if (r < 0) return r;
  }
  if (oldAddr && !copyOut(t, oldAddr, encodeRlimit(old))) return -Errno.EFAULT;
  return 0;
}

export function sys_getrlimit(t: Task): SyscallResult {
  const resource = t.argInt(0);
  if (resource < 0 || resource >= RLIM_NLIMITS) return -Errno.EINVAL;
  return copyOut(t, t.arg(1), encodeRlimit(getLimit(t, resource))) ? 0 : -Errno.EFAULT;
}

export function sys_setrlimit(t: Task): SyscallResult {
  const resource = t.argInt(0);
  if (resource < 0 || resource >= RLIM_NLIMITS) return -Errno.EINVAL;
  const b = copyIn(t, t.arg(1), 16);
  if (!b) return -Errno.EFAULT;
  return setLimit(t, resource, decodeRlimit(b));
}

// --- prctl ---------------------------------------------------------------------------------

const PR_SET_PDEATHSIG = 1, PR_GET_PDEATHSIG = 2, PR_GET_DUMPABLE = 3, PR_SET_DUMPABLE = 4, PR_SET_NAME = 15,
  PR_GET_NAME = 16, PR_SET_CHILD_SUBREAPER = 36, PR_GET_CHILD_SUBREAPER = 37, PR_SET_NO_NEW_PRIVS = 38,
  PR_GET_NO_NEW_PRIVS = 39;
const loggedPrctl = new Set<number>();

export function sys_prctl(t: Task, k: Kernel): SyscallResult {
  const option = t.argInt(0), arg2 = t.arg(1);
  switch (option) {
    case PR_SET_NAME: {
      const b = t.mm.readCString(arg2, 16);
      let name: Uint8Array | null = b;
      if (!name) { // longer than 15 bytes: Linux truncates
        const raw = copyIn(t, arg2, 15);
        if (!raw) return -Errno.EFAULT;
        name = raw;
      }
      t.tg.comm = new TextDecoder().decode(name.subarray(0, 15));
      return 0;
    }
    case PR_GET_NAME: {
      const out = new Uint8Array(16);
      out.set(new TextEncoder().encode(t.tg.comm).subarray(0, 15));
      return copyOut(t, arg2, out) ? 0 : -Errno.EFAULT;
    }
    case PR_GET_DUMPABLE: return t.tg.dumpable;
    case PR_SET_DUMPABLE:
      if (arg2 > 1) return -Errno.EINVAL;
      t.tg.dumpable = arg2;
      return 0;
    case PR_SET_NO_NEW_PRIVS:
      if (arg2 !== 1 || t.arg(2) || t.arg(3) || t.arg(4)) return -Errno.EINVAL;
      t.tg.noNewPrivs = true;
      return 0;
    case PR_GET_NO_NEW_PRIVS: return t.tg.noNewPrivs ? 1 : 0;
    case PR_SET_PDEATHSIG:
      // Per thread: its process is signalled when the thread that forked it exits (see exit.ts).
      if (arg2 > NSIG) return -Errno.EINVAL;
      t.pdeathSignal = arg2;
      return 0;
    case PR_GET_PDEATHSIG: return copyOut(t, arg2, i32Bytes([t.pdeathSignal])) ? 0 : -Errno.EFAULT;
    case PR_SET_CHILD_SUBREAPER:
      // Orphaned descendants are then given to this process rather than to init (exit.ts reaperFor).
      t.tg.subreaper = arg2 !== 0;
      return 0;
    case PR_GET_CHILD_SUBREAPER: return copyOut(t, arg2, i32Bytes([t.tg.subreaper ? 1 : 0])) ? 0 : -Errno.EFAULT;
    default:
      if (!loggedPrctl.has(option)) {
        loggedPrctl.add(option);
        k.log(`warning: prctl option ${option} is not implemented: EINVAL`);
      }
      return -Errno.EINVAL;
  }
}
