// Processes: clone, clone3, fork, vfork, wait4, waitid, process groups and sessions (gVisor
// sys_thread.go). The work is in sentry/kernel/clone.ts, exit.ts and wait.ts.

import { Errno } from '../abi/errno.js';
import { CLONE_VFORK, CLONE_VM, cloneTask, type CloneArgs } from '../kernel/clone.js';
import { groupExists } from '../kernel/job_control.js';
import type { Kernel } from '../kernel/kernel.js';
import { SIGCHLD, type Task, type ThreadGroup } from '../kernel/task.js';
import { WCONTINUED, WEXITED, WNOHANG, WNOWAIT, WUNTRACED, __WALL, __WCLONE, __WNOTHREAD, waitForChild, type ChildEvent, type WaitTarget } from '../kernel/wait.js';
import type { SyscallResult } from './handler.js';
import { copyIn, copyOut } from './memory_io.js';
import { childRusage } from './sys_rusage.js';

export function sys_fork(t: Task, k: Kernel): SyscallResult {
  return cloneTask(k, t, { flags: 0, stack: 0, parentTid: 0, childTid: 0, tls: 0, exitSignal: SIGCHLD });
}

export function sys_vfork(t: Task, k: Kernel): SyscallResult {
  return cloneTask(k, t, { flags: CLONE_VM | CLONE_VFORK, stack: 0, parentTid: 0, childTid: 0, tls: 0, exitSignal: SIGCHLD });
}

/** clone(flags, stack, parent_tid, child_tid, tls): x86-64's argument order. */
export function sys_clone(t: Task, k: Kernel): SyscallResult {
  const flags = t.arg(0);
  return cloneTask(k, t, { flags: flags - (flags % 256), stack: t.arg(1), parentTid: t.arg(2), childTid: t.arg(3), tls: t.arg(4), exitSignal: flags % 256 });
}

/** clone3(struct clone_args *, size): the stack is given as its lowest address and size. */
export function sys_clone3(t: Task, k: Kernel): SyscallResult {
  const size = t.arg(1);
  const CLONE_ARGS_SIZE_VER0 = 64, PAGE = 4096;
  if (size < CLONE_ARGS_SIZE_VER0 || size > PAGE) return -Errno.EINVAL;
  const raw = copyIn(t, t.arg(0), size);
  if (!raw) return -Errno.EFAULT;
  // Fields past the ones we know must be zero (a newer libc asking for something we lack).
  for (let i = 88; i < size; i++) if (raw[i] !== 0) return -Errno.E2BIG;
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const u64 = (off: number) => off + 8 <= size ? dv.getUint32(off + 4, true) * 4294967296 + dv.getUint32(off, true) : 0;
  const flags = u64(0), exitSignal = u64(32), stack = u64(40), stackSize = u64(48), setTidSize = u64(72);
  if (setTidSize !== 0) return -Errno.EPERM; // choosing pids needs CAP_SYS_ADMIN in the PID namespace's owner
  if (exitSignal > 64 || (stack === 0) !== (stackSize === 0)) return -Errno.EINVAL;
  if (flags >= 2 ** 32) return -Errno.EINVAL; // CLONE_CLEAR_SIGHAND, CLONE_INTO_CGROUP
  const a: CloneArgs = { flags, stack: stack === 0 ? 0 : stack + stackSize, parentTid: u64(24), childTid: u64(16), tls: u64(56), exitSignal };
  return cloneTask(k, t, a);
}

const WAIT4_OPTIONS = WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WALL | __WCLONE;

export async function sys_wait4(t: Task, k: Kernel): Promise<number> {
  const pid = t.argInt(0), statusAddr = t.arg(1), options = t.argInt(2), rusageAddr = t.arg(3);
  if (options & ~WAIT4_OPTIONS) return -Errno.EINVAL;
  // pid INT_MIN has no process group to name.
  if (pid === -2147483648) return -Errno.ESRCH;
  const target: WaitTarget = pid > 0 ? { kind: 'pid', pid } : pid === -1 ? { kind: 'any' }
    : { kind: 'pgid', pgid: pid === 0 ? t.tg.pgid : -pid };
  const event = await waitForChild(k, t, target, options | WEXITED);
  if (typeof event === 'number') return event;
  if (statusAddr !== 0 && !copyOut(t, statusAddr, i32(event.status))) return -Errno.EFAULT;
  if (rusageAddr !== 0 && !copyOut(t, rusageAddr, childRusage(event.child))) return -Errno.EFAULT;
  return event.child.pid;
}

const P_ALL = 0, P_PID = 1, P_PGID = 2;
const WAITID_OPTIONS = WNOHANG | WEXITED | WUNTRACED | WCONTINUED | WNOWAIT | __WNOTHREAD | __WALL | __WCLONE;

export async function sys_waitid(t: Task, k: Kernel): Promise<number> {
  const idtype = t.argInt(0), id = t.argInt(1), infoAddr = t.arg(2), options = t.argInt(3), rusageAddr = t.arg(4);
  if (options & ~WAITID_OPTIONS) return -Errno.EINVAL;
  if (!(options & (WEXITED | WUNTRACED | WCONTINUED))) return -Errno.EINVAL;
  let target: WaitTarget;
  if (idtype === P_ALL) target = { kind: 'any' };
  else if (idtype === P_PID) { if (id <= 0) return -Errno.EINVAL; target = { kind: 'pid', pid: id }; }
  else if (idtype === P_PGID) { if (id < 0) return -Errno.EINVAL; target = { kind: 'pgid', pgid: id === 0 ? t.tg.pgid : id }; }
  else return -Errno.EINVAL; // P_PIDFD: pidfds are not implemented
  const event = await waitForChild(k, t, target, options);
  if (typeof event === 'number' && event < 0) return event;
  const found = typeof event === 'number' ? null : event;
  if (found && rusageAddr !== 0 && !copyOut(t, rusageAddr, childRusage(found.child))) return -Errno.EFAULT;
  return writeSiginfo(t, infoAddr, found);
}

/** waitid's siginfo: SIGCHLD with what happened to the child; all zero when WNOHANG found none. */
function writeSiginfo(t: Task, addr: number, e: ChildEvent | null): number {
  if (addr === 0) return 0;
  const b = new Uint8Array(128);
  if (e) {
    const dv = new DataView(b.buffer);
    dv.setInt32(0, SIGCHLD, true);
    dv.setInt32(8, e.code, true);
    dv.setInt32(16, e.child.pid, true);
    dv.setInt32(20, e.child.creds.uid, true);
    dv.setInt32(24, e.sigStatus, true);
  }
  return copyOut(t, addr, b) ? 0 : -Errno.EFAULT;
}

function i32(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, v, true);
  return b;
}

// --- process groups and sessions ---------------------------------------------------------------

/** The process `pid` names (0: the caller's), or undefined. */
function processOf(t: Task, k: Kernel, pid: number): ThreadGroup | undefined {
  if (pid === 0) return t.tg;
  const tg = k.groups.get(pid);
  return tg && !tg.zombie ? tg : undefined;
}

export function sys_getpgid(t: Task, k: Kernel): SyscallResult {
  const pid = t.argInt(0);
  if (pid < 0) return -Errno.ESRCH;
  return processOf(t, k, pid)?.pgid ?? -Errno.ESRCH;
}

export function sys_getpgrp(t: Task): SyscallResult { return t.tg.pgid; }

export function sys_getsid(t: Task, k: Kernel): SyscallResult {
  const pid = t.argInt(0);
  if (pid < 0) return -Errno.ESRCH;
  return processOf(t, k, pid)?.sid ?? -Errno.ESRCH;
}

/** setpgid as POSIX has it: the caller or a child not yet exec'd, within the caller's session. */
export function sys_setpgid(t: Task, k: Kernel): SyscallResult {
  const pid = t.argInt(0), pgid = t.argInt(1);
  if (pid < 0 || pgid < 0) return -Errno.EINVAL;
  const target = processOf(t, k, pid);
  if (!target || (target !== t.tg && target.parent !== t.tg)) return -Errno.ESRCH;
  if (target !== t.tg && target.didExec) return -Errno.EACCES;
  if (target.sid !== t.tg.sid) return -Errno.EPERM;
  if (target.pid === target.sid) return -Errno.EPERM; // a session leader keeps its group
  const want = pgid === 0 ? target.pid : pgid;
  if (want !== target.pid) {
    // Joining a group: it must exist in the caller's session.
    if (!groupExists(k, want, t.tg.sid)) return -Errno.EPERM;
  }
  target.pgid = want;
  return 0;
}

export function sys_setsid(t: Task, k: Kernel): SyscallResult {
  const tg = t.tg;
  // A process group leader cannot start a session (its group would straddle two sessions).
  if ([...k.groups.values()].some((g) => !g.zombie && g.pgid === tg.pid)) return -Errno.EPERM;
  tg.sid = tg.pid;
  tg.pgid = tg.pid;
  tg.ctty = null; // a new session starts without a controlling terminal
  return tg.sid;
}
