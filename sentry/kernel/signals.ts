// Signal generation and delivery (Linux kernel/signal.c, gVisor kernel/task_signals.go).
//
// Sending queues a signal on a thread or on its process and wakes a thread that does not block
// it out of any wait. Delivery happens when that task next returns to guest code: the task loop
// calls deliverSignals, which runs the default action (terminate, dump core, ignore) or pushes a
// frame and enters the handler, and first settles an interrupted syscall: restarted (SA_RESTART,
// or no handler ran) or failed with EINTR.

import { Errno } from '../abi/errno.js';
import { Gpr } from '../../platform/platform.js';
import { endGroup, killedStatus } from './exit.js';
import type { Kernel } from './kernel.js';
import { onSignalSent, orphanedGroup, stopGroup } from './job_control.js';
import { popSignalFrame, pushSignalFrame } from './signal_frame.js';
import {
  defaultAction, SA_NODEFER, SA_ONSTACK, SA_RESETHAND, SA_RESTART, SIG_DFL, SIG_IGN, SIGALRM, SIGKILL,
  SIGSEGV, SIGSTOP, sigInfo, SigSet, SI_KERNEL, withoutUnblockable, type SigInfo,
} from './sigset.js';
import { SS_DISABLE, type Task, type ThreadGroup } from './task.js';

/** Internal errnos (never seen by the guest): the syscall was interrupted by a signal. */
export const ERESTARTSYS = 512, ERESTARTNOINTR = 513, ERESTARTNOHAND = 514, ERESTART_RESTARTBLOCK = 516;
export function isRestart(r: number): boolean { return r <= -ERESTARTSYS && r >= -ERESTART_RESTARTBLOCK; }

/** Why the sender is allowed to ignore init's protection: the host (runts) sends it. */
export type SignalSource = 'guest' | 'host' | 'kernel';

/** Whether `sig` sent to `tg` would be dropped on arrival (ignored and not blocked by `t`). */
function ignoredOnArrival(tg: ThreadGroup, t: Task | undefined, sig: number, source: SignalSource): boolean {
  const a = tg.handlers.actions[sig];
  // A blocked signal may be unblocked after the handler changes; one a sigtimedwait is waiting
  // for was blocked before it (real_blocked): neither is dropped.
  if (t && (t.sigmask.has(sig) || t.realBlocked?.has(sig))) return false;
  if (a.handler === SIG_IGN) return true;
  if (a.handler !== SIG_DFL) return false;
  if (defaultAction(sig) === 'ignore') return true;
  // PID 1 of a PID namespace gets no default action from inside it: it must ask for signals.
  return tg.pid === 1 && source !== 'host';
}

/**
 * kill(2) of a process: queued for any of its threads. Returns whether it was queued (false: the
 * process has no threads left, ignores it, already had it pending, or SIGKILL/SIGSTOP acted at once).
 */
export function sendToProcess(k: Kernel, tg: ThreadGroup, info: SigInfo, source: SignalSource = 'guest'): boolean {
  if (tg.tasks.size === 0) return false;
  if (source === 'host') info.fromHost = true;
  const sig = info.signo;
  if (sig === SIGKILL) {
    if (tg.pid !== 1 || source === 'host') endGroup(k, tg, killedStatus(SIGKILL));
    return false;
  }
  onSignalSent(k, tg, sig);
  const leader = tg.leader ?? tg.tasks.values().next().value;
  if (ignoredOnArrival(tg, leader, sig, source)) return false;
  if (!tg.pending.add(info)) return false;
  tg.signalEvents.notifyAll();
  // Wake a thread that can take it (complete_signal): the main thread if it does not block it,
  // else another that does not (a thread in sigwaitinfo unblocks what it waits for).
  const taker = [leader, ...tg.tasks].find((t) => t && !t.exited && !t.sigmask.has(sig));
  if (taker) wake(k, taker);
  return true;
}

/** tkill/tgkill and faults: a signal for one thread. Returns whether it was queued. */
export function sendToThread(k: Kernel, t: Task, info: SigInfo, source: SignalSource = 'guest'): boolean {
  if (t.exited) return false;
  if (source === 'host') info.fromHost = true;
  const sig = info.signo;
  if (sig === SIGKILL || sig === SIGSTOP) return sendToProcess(k, t.tg, info, source);
  onSignalSent(k, t.tg, sig);
  if (ignoredOnArrival(t.tg, t, sig, source)) return false;
  if (!t.pending.add(info)) return false;
  t.tg.signalEvents.notifyAll();
  if (!t.sigmask.has(sig)) wake(k, t);
  return true;
}

/**
 * A fault's signal (force_sig): it cannot be blocked or ignored; a blocked or ignored one is
 * reset to its default action, which kills.
 */
export function forceSignal(k: Kernel, t: Task, info: SigInfo): void {
  const a = t.tg.handlers.actions[info.signo];
  if (t.sigmask.has(info.signo) || a.handler === SIG_IGN) {
    a.handler = SIG_DFL;
    t.sigmask.delete(info.signo);
  }
  if (a.handler === SIG_DFL) { endGroup(k, t.tg, killedStatus(info.signo)); return; }
  t.pending.add(info);
}

/** The kernel raises a signal for what the task just did (SIGPIPE on a broken pipe). */
export function raiseSignal(k: Kernel, t: Task, sig: number, source: SignalSource = 'kernel'): void {
  sendToThread(k, t, sigInfo(sig, SI_KERNEL), source);
}

/** Ends t's interruptible wait, if any: wait queues, sleeps and futex waits. */
function wake(k: Kernel, t: Task): void {
  t.wakeup?.();
  k.futexes.cancel(t);
}

/** Whether `t` has a signal it would take now. */
export function hasDeliverable(t: Task): boolean {
  return t.pending.next(t.sigmask) !== 0 || t.tg.pending.next(t.sigmask) !== 0;
}

/** Takes the next deliverable signal of `t` (its own first, then its process's), or undefined. */
export function dequeueSignal(t: Task, blocked: SigSet = t.sigmask): SigInfo | undefined {
  const own = t.pending.next(blocked);
  let info: SigInfo | undefined;
  if (own) info = t.pending.take(own);
  else {
    const shared = t.tg.pending.next(blocked);
    if (!shared) return undefined;
    info = t.tg.pending.take(shared);
    // Periodic timers re-arm when their signal is taken, as Linux's do (dequeue_signal): a timer
    // whose signal stays blocked does not keep firing. ITIMER_REAL re-arms on any process SIGALRM.
    if (shared === SIGALRM) t.tg.itimers?.alarmTaken();
  }
  info?.timer?.dequeued(info);
  return info;
}

/** restart_syscall(2)'s number: what a syscall interrupted with ERESTART_RESTARTBLOCK re-enters as. */
const NR_RESTART_SYSCALL = 219;

/**
 * Re-executes the syscall instruction (rip - 2) with its original number (rax = orig_rax), or as
 * restart_syscall, which resumes from the task's restart block.
 */
function restartSyscall(t: Task, code: number): void {
  t.regs.rip = t.regs.rip - 2;
  t.regs.setNumber(Gpr.RAX, code === ERESTART_RESTARTBLOCK ? NR_RESTART_SYSCALL : t.syscallNr);
}

/**
 * Runs on each return to guest code: settles an interrupted syscall and delivers every
 * deliverable signal, nesting handler frames as Linux does.
 */
export function deliverSignals(k: Kernel, t: Task): void {
  for (;;) {
    if (t.exited) return;
    const info = dequeueSignal(t);
    if (!info) break;
    const sig = info.signo;
    const a = t.tg.handlers.actions[sig];
    if (a.handler === SIG_IGN) continue;
    if (a.handler === SIG_DFL) {
      const action = defaultAction(sig);
      if (action === 'ignore' || action === 'continue') continue;
      if (t.tg.pid === 1 && !info.fromHost) continue; // init's protection holds at delivery too
      if (action === 'stop') {
        // The terminal's stop signals do nothing to an orphaned process group (no one to resume it).
        if (sig !== SIGSTOP && orphanedGroup(k, t.tg.pgid, t.tg.sid)) continue;
        stopGroup(k, t, sig);
        break; // the task loop parks it; an interrupted syscall restarts after
      }
      endGroup(k, t.tg, killedStatus(sig));
      return;
    }
    // A handler runs: an interrupted syscall restarts only if it may (SA_RESTART), else EINTR.
    if (t.restartCode) {
      const r = t.restartCode;
      t.restartCode = 0;
      if (r === ERESTARTNOINTR || (r === ERESTARTSYS && (a.flags & SA_RESTART))) restartSyscall(t, r);
      else {
        t.regs.setNumber(Gpr.RAX, -Errno.EINTR);
        t.restartBlock = null; // a handler ran: there is nothing left to resume
      }
    }
    const savedMask = t.savedMask ?? t.sigmask;
    t.savedMask = null;
    const ok = pushSignalFrame(t.mm, t.regs, t.altStack, {
      info, handler: a.handler, restorer: a.restorer, onStack: (a.flags & SA_ONSTACK) !== 0, savedMask, cr2: info.faultAddr,
    });
    if (!ok) {
      k.log(`pid ${t.tg.pid}: cannot write the frame for signal ${sig} (bad stack): SIGSEGV`);
      endGroup(k, t.tg, killedStatus(SIGSEGV));
      return;
    }
    const mask = t.sigmask.copy();
    mask.lo |= a.mask.lo; mask.hi |= a.mask.hi;
    if (!(a.flags & SA_NODEFER)) mask.add(sig);
    t.sigmask = withoutUnblockable(mask);
    if (a.flags & SA_RESETHAND) { a.handler = SIG_DFL; a.flags &= ~SA_RESETHAND; }
  }
  // No handler ran: an interrupted syscall restarts as if nothing happened, and the mask that
  // sigsuspend, ppoll or epoll_pwait replaced comes back (Linux restore_saved_sigmask), also
  // after one that failed with EINTR.
  if (t.restartCode) {
    const r = t.restartCode;
    t.restartCode = 0;
    if (t.savedMask) { t.sigmask = t.savedMask; t.savedMask = null; }
    restartSyscall(t, r);
  }
  if (t.savedMask) { t.sigmask = t.savedMask; t.savedMask = null; }
}

/** rt_sigreturn: the interrupted state comes back from the frame; false on a bad frame. */
export function sigreturn(k: Kernel, t: Task): boolean {
  const r = popSignalFrame(t.mm, t.regs);
  if (!r) {
    k.log(`pid ${t.tg.pid}: rt_sigreturn with a bad frame: SIGSEGV`);
    endGroup(k, t.tg, killedStatus(SIGSEGV));
    return false;
  }
  t.sigmask = withoutUnblockable(r.mask);
  // The frame's uc_stack may re-arm the alternate stack (restore_altstack); a bad one is ignored.
  if (!(r.stack.flags & SS_DISABLE) && r.stack.size >= 2048) t.altStack = { sp: r.stack.sp, size: r.stack.size, flags: 0 };
  return true;
}
