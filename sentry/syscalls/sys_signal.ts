// Signal syscalls (gVisor sys_signal.go): actions and masks, sending (kill, tkill, tgkill,
// rt_sigqueueinfo, rt_tgsigqueueinfo), waiting (rt_sigsuspend, pause, rt_sigtimedwait),
// rt_sigpending, sigaltstack and rt_sigreturn. Delivery itself is sentry/kernel/signals.ts.

import { Errno } from '../abi/errno.js';
import { getU64, setU64 } from '../abi/bytes.js';
import type { Kernel } from '../kernel/kernel.js';
import { onAltStack } from '../kernel/signal_frame.js';
import {
  dequeueSignal, ERESTARTNOHAND, sendToProcess, sendToThread, sigreturn,
} from '../kernel/signals.js';
import { NSIG, SI_TKILL, SI_USER, SIGKILL, SIGSTOP, sigInfo, SigSet, withoutUnblockable, type SigInfo } from '../kernel/sigset.js';
import { fsCreds, SS_AUTODISARM, SS_DISABLE, SS_ONSTACK, type Task, type ThreadGroup } from '../kernel/task.js';
import { hasCap } from '../vfs/inode.js';
import type { SyscallResult } from './handler.js';
import { KEEP_REGISTERS } from './handler.js';
import { copyIn, copyOut } from './memory_io.js';
import { readTimespec } from './sys_time.js';

const SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;
const MINSIGSTKSZ = 2048;
const CAP_KILL = 5;

function validSignal(sig: number): boolean { return sig >= 1 && sig <= NSIG; }

function readSigset(t: Task, addr: number): SigSet | null {
  const b = copyIn(t, addr, 8);
  if (!b) return null;
  const dv = new DataView(b.buffer);
  return new SigSet(dv.getInt32(0, true), dv.getInt32(4, true));
}

function writeSigset(t: Task, addr: number, s: SigSet): boolean {
  const b = new Uint8Array(8);
  const dv = new DataView(b.buffer);
  dv.setInt32(0, s.lo, true); dv.setInt32(4, s.hi, true);
  return copyOut(t, addr, b);
}

// --- actions and masks -------------------------------------------------------------------------

export function sys_rt_sigaction(t: Task): SyscallResult {
  const sig = t.argInt(0), act = t.arg(1), oact = t.arg(2), size = t.arg(3);
  if (size !== 8) return -Errno.EINVAL;
  if (!validSignal(sig)) return -Errno.EINVAL;
  const a = t.tg.handlers.actions[sig];
  let next: typeof a | null = null;
  if (act) {
    if (sig === SIGKILL || sig === SIGSTOP) return -Errno.EINVAL;
    const b = copyIn(t, act, 32);
    if (!b) return -Errno.EFAULT;
    const dv = new DataView(b.buffer);
    next = { handler: getU64(dv, 0), flags: dv.getUint32(8, true), restorer: getU64(dv, 16), mask: withoutUnblockable(new SigSet(dv.getInt32(24, true), dv.getInt32(28, true))) };
  }
  if (oact) {
    const b = new Uint8Array(32);
    const dv = new DataView(b.buffer);
    setU64(dv, 0, a.handler);
    dv.setUint32(8, a.flags >>> 0, true);
    setU64(dv, 16, a.restorer);
    dv.setInt32(24, a.mask.lo, true); dv.setInt32(28, a.mask.hi, true);
    if (!copyOut(t, oact, b)) return -Errno.EFAULT;
  }
  if (next) {
    Object.assign(a, next);
    // Setting SIG_IGN (or SIG_DFL for a signal ignored by default) discards what is pending.
    if (a.handler === 1 || (a.handler === 0 && [17, 23, 28].includes(sig))) {
      t.tg.pending.discard(sig);
      for (const task of t.tg.tasks) task.pending.discard(sig);
    }
  }
  return 0;
}

export function sys_rt_sigprocmask(t: Task): SyscallResult {
  const how = t.argInt(0), set = t.arg(1), oset = t.arg(2), size = t.arg(3);
  if (size !== 8) return -Errno.EINVAL;
  const old = t.sigmask.copy();
  if (set) {
    const s = readSigset(t, set);
    if (!s) return -Errno.EFAULT;
    const m = t.sigmask.copy();
    switch (how) {
      case SIG_BLOCK: m.lo |= s.lo; m.hi |= s.hi; break;
      case SIG_UNBLOCK: m.lo &= ~s.lo; m.hi &= ~s.hi; break;
      case SIG_SETMASK: m.lo = s.lo; m.hi = s.hi; break;
      default: return -Errno.EINVAL;
    }
    t.sigmask = withoutUnblockable(m);
  }
  if (oset && !writeSigset(t, oset, old)) return -Errno.EFAULT;
  return 0;
}

export function sys_rt_sigpending(t: Task): SyscallResult {
  if (t.arg(1) !== 8) return -Errno.EINVAL;
  const p = new SigSet((t.pending.set.lo | t.tg.pending.set.lo) & t.sigmask.lo, (t.pending.set.hi | t.tg.pending.set.hi) & t.sigmask.hi);
  return writeSigset(t, t.arg(0), p) ? 0 : -Errno.EFAULT;
}

// --- sending -----------------------------------------------------------------------------------

/** May the caller signal `target`? Same real or effective uid as its real or saved uid, or CAP_KILL. */
function maySignal(t: Task, target: ThreadGroup): boolean {
  const c = t.tg.creds, o = target.creds;
  return hasCap(fsCreds(c), CAP_KILL) || c.euid === o.uid || c.euid === o.suid || c.uid === o.uid || c.uid === o.suid;
}

function userInfo(t: Task, sig: number, code = SI_USER): SigInfo {
  return sigInfo(sig, code, { pid: t.tg.pid, uid: t.tg.creds.uid });
}

/** Sends to each process in `targets`; ESRCH when there is none, EPERM when none may be signalled. */
function sendToProcesses(t: Task, k: Kernel, targets: ThreadGroup[], sig: number, info: () => SigInfo): number {
  if (targets.length === 0) return -Errno.ESRCH;
  let sent = 0;
  for (const tg of targets) {
    if (!maySignal(t, tg)) continue;
    sent++;
    if (sig !== 0) sendToProcess(k, tg, info());
  }
  return sent > 0 ? 0 : -Errno.EPERM;
}

function living(k: Kernel): ThreadGroup[] { return [...k.groups.values()].filter((g) => !g.zombie); }

export function sys_kill(t: Task, k: Kernel): SyscallResult {
  const pid = t.argInt(0), sig = t.argInt(1);
  if (sig !== 0 && !validSignal(sig)) return -Errno.EINVAL;
  const info = () => userInfo(t, sig);
  if (pid > 0) {
    const tg = k.groups.get(pid);
    if (!tg) return -Errno.ESRCH;
    if (!maySignal(t, tg)) return -Errno.EPERM;
    if (sig !== 0) sendToProcess(k, tg, info());
    return 0;
  }
  if (pid === -1) {
    // Every process the caller may signal but init and itself; ESRCH if there is none.
    const targets = living(k).filter((g) => g.pid !== 1 && g !== t.tg);
    if (targets.length === 0) return -Errno.ESRCH;
    for (const tg of targets) if (sig !== 0 && maySignal(t, tg)) sendToProcess(k, tg, info());
    return 0;
  }
  const pgid = pid === 0 ? t.tg.pgid : -pid;
  return sendToProcesses(t, k, living(k).filter((g) => g.pgid === pgid), sig, info);
}

function signalThread(t: Task, k: Kernel, tgid: number, tid: number, sig: number, info: () => SigInfo): number {
  if (tid <= 0 || (tgid !== -1 && tgid <= 0)) return -Errno.EINVAL;
  if (sig !== 0 && !validSignal(sig)) return -Errno.EINVAL;
  // A leader that exited before its threads is still there: a signal to it is taken and lost.
  const target = k.tasks.get(tid) ?? k.groups.get(tid)?.zombieLeader ?? undefined;
  if (!target || (tgid !== -1 && target.tg.pid !== tgid)) return -Errno.ESRCH;
  if (!maySignal(t, target.tg)) return -Errno.EPERM;
  if (sig !== 0) sendToThread(k, target, info());
  return 0;
}

export function sys_tkill(t: Task, k: Kernel): SyscallResult {
  const tid = t.argInt(0), sig = t.argInt(1);
  return signalThread(t, k, -1, tid, sig, () => userInfo(t, sig, SI_TKILL));
}

export function sys_tgkill(t: Task, k: Kernel): SyscallResult {
  const tgid = t.argInt(0), tid = t.argInt(1), sig = t.argInt(2);
  return signalThread(t, k, tgid, tid, sig, () => userInfo(t, sig, SI_TKILL));
}

/** The caller's siginfo for rt_sigqueueinfo; it may not pose as the kernel or kill (si_code >= 0) for another process. */
function queuedInfo(t: Task, addr: number, sig: number, self: boolean): SigInfo | number {
  const bytes = copyIn(t, addr, 128);
  if (!bytes) return -Errno.EFAULT;
  const dv = new DataView(bytes.buffer);
  const code = dv.getInt32(8, true);
  if ((code >= 0 || code === SI_TKILL) && !self) return -Errno.EPERM;
  dv.setInt32(0, sig, true);
  return { signo: sig, code, bytes };
}

export function sys_rt_sigqueueinfo(t: Task, k: Kernel): SyscallResult {
  const pid = t.argInt(0), sig = t.argInt(1);
  if (!validSignal(sig)) return -Errno.EINVAL;
  const tg = k.groups.get(pid);
  if (!tg || tg.zombie) return -Errno.ESRCH;
  const info = queuedInfo(t, t.arg(2), sig, tg === t.tg);
  if (typeof info === 'number') return info;
  if (!maySignal(t, tg)) return -Errno.EPERM;
  sendToProcess(k, tg, info);
  return 0;
}

export function sys_rt_tgsigqueueinfo(t: Task, k: Kernel): SyscallResult {
  const tgid = t.argInt(0), tid = t.argInt(1), sig = t.argInt(2);
  if (!validSignal(sig)) return -Errno.EINVAL;
  const target = k.tasks.get(tid);
  const info = queuedInfo(t, t.arg(3), sig, target?.tg === t.tg);
  if (typeof info === 'number') return info;
  return signalThread(t, k, tgid, tid, sig, () => info);
}

// --- waiting -----------------------------------------------------------------------------------

/** Sleeps until a signal is deliverable (or the task dies); the interruption is the syscall's end. */
async function sleepUntilSignal(t: Task, k: Kernel): Promise<void> {
  while (!t.exited && t.pending.next(t.sigmask) === 0 && t.tg.pending.next(t.sigmask) === 0) {
    await k.interruptibleSleep(t, -1);
  }
}

export async function sys_pause(t: Task, k: Kernel): Promise<number> {
  await sleepUntilSignal(t, k);
  return -ERESTARTNOHAND;
}

export async function sys_rt_sigsuspend(t: Task, k: Kernel): Promise<number> {
  if (t.arg(1) !== 8) return -Errno.EINVAL;
  const mask = readSigset(t, t.arg(0));
  if (!mask) return -Errno.EFAULT;
  t.savedMask = t.sigmask;
  t.sigmask = withoutUnblockable(mask);
  await sleepUntilSignal(t, k);
  return -ERESTARTNOHAND;
}

export async function sys_rt_sigtimedwait(t: Task, k: Kernel): Promise<number> {
  const setAddr = t.arg(0), infoAddr = t.arg(1), tsAddr = t.arg(2), size = t.arg(3);
  if (size !== 8) return -Errno.EINVAL;
  const want = readSigset(t, setAddr);
  if (!want) return -Errno.EFAULT;
  let ms = -1;
  if (tsAddr !== 0) {
    const ts = readTimespec(t, tsAddr);
    if (typeof ts === 'number') return ts;
    ms = ts.sec * 1000 + ts.nsec / 1e6;
  }
  // Only the asked-for signals may be taken (KILL and STOP never are).
  const notWanted = new SigSet(~withoutUnblockable(want).lo, ~want.hi);
  const take = (): number => {
    const info = dequeueSignal(t, notWanted);
    if (!info) return 0;
    return infoAddr !== 0 && !copyOut(t, infoAddr, info.bytes) ? -Errno.EFAULT : info.signo;
  };
  const first = take();
  if (first !== 0 || ms === 0) return first || -Errno.EAGAIN;
  // As Linux does, the wanted signals are unblocked while the task sleeps, so that a signal sent
  // to the process picks this thread and wakes it. Another signal ends the wait with EINTR.
  const blocked = t.sigmask;
  t.sigmask = new SigSet(blocked.lo & notWanted.lo, blocked.hi & notWanted.hi);
  t.realBlocked = blocked;
  const slept = await k.interruptibleSleep(t, ms);
  t.sigmask = blocked;
  t.realBlocked = null;
  return take() || (slept ? -Errno.EAGAIN : -Errno.EINTR);
}

/**
 * restart_syscall: a wait that a signal interrupted without running a handler goes on from where
 * it was (its deadline unchanged), as the syscall left it in the task's restart block.
 */
export function sys_restart_syscall(t: Task): SyscallResult {
  const resume = t.restartBlock;
  t.restartBlock = null;
  return resume ? resume() : -Errno.EINTR;
}

// --- the alternate stack and returning from a handler -------------------------------------------

export function sys_sigaltstack(t: Task): SyscallResult {
  const ssAddr = t.arg(0), oldAddr = t.arg(1);
  const sp = t.regs.getNumber(4 /* RSP */);
  const on = onAltStack(t.altStack, sp);
  if (oldAddr) {
    const b = new Uint8Array(24);
    const dv = new DataView(b.buffer);
    setU64(dv, 0, t.altStack.sp);
    dv.setInt32(8, on ? SS_ONSTACK : t.altStack.flags & (SS_DISABLE | SS_AUTODISARM), true);
    setU64(dv, 16, t.altStack.size);
    if (!copyOut(t, oldAddr, b)) return -Errno.EFAULT;
  }
  if (ssAddr) {
    const b = copyIn(t, ssAddr, 24);
    if (!b) return -Errno.EFAULT;
    const dv = new DataView(b.buffer);
    const nsp = getU64(dv, 0), flags = dv.getInt32(8, true), size = getU64(dv, 16);
    if (on) return -Errno.EPERM;
    const mode = flags & ~SS_AUTODISARM;
    if (mode !== 0 && mode !== SS_DISABLE && mode !== SS_ONSTACK) return -Errno.EINVAL;
    if (mode === SS_DISABLE) t.altStack = { sp: 0, size: 0, flags: SS_DISABLE };
    else {
      if (size < MINSIGSTKSZ) return -Errno.ENOMEM;
      t.altStack = { sp: nsp, size, flags: flags & SS_AUTODISARM };
    }
  }
  return 0;
}

export function sys_rt_sigreturn(t: Task, k: Kernel): SyscallResult {
  sigreturn(k, t);
  return KEEP_REGISTERS;
}
