// Waiting for children (Linux kernel/exit.c do_wait): which children a wait4/waitid call
// selects, reaping a zombie, and sleeping until one changes state.

import { Errno } from '../abi/errno.js';
import { reap } from './exit.js';
import { ERESTARTSYS } from './signals.js';
import type { Kernel } from './kernel.js';
import { CLD_CONTINUED, CLD_STOPPED } from './job_control.js';
import { CLD_DUMPED, CLD_EXITED, CLD_KILLED, SIGCONT } from './sigset.js';
import { SIGCHLD, type Task, type ThreadGroup } from './task.js';

export const WNOHANG = 1, WUNTRACED = 2, WEXITED = 4, WCONTINUED = 8, WNOWAIT = 0x01000000,
  __WNOTHREAD = 0x20000000, __WALL = 0x40000000, __WCLONE = 0x80000000 | 0;

/** Which children: one pid, a process group, or any. */
export type WaitTarget = { kind: 'pid'; pid: number } | { kind: 'pgid'; pgid: number } | { kind: 'any' };

/** What wait reports about a child: its wait(2) status word, and waitid's si_code and si_status. */
export interface ChildEvent { child: ThreadGroup; status: number; code: number; sigStatus: number }

/**
 * Waits until a selected child has exited (WEXITED; reaped unless WNOWAIT), stopped (WUNTRACED)
 * or continued (WCONTINUED), and reports it; 0 with WNOHANG when none has yet, -ECHILD when no
 * child is selected, -ERESTARTSYS when a signal interrupts.
 */
export async function waitForChild(k: Kernel, t: Task, target: WaitTarget, options: number): Promise<ChildEvent | number> {
  let interrupted = false;
  for (;;) {
    let selected = false;
    for (const child of t.tg.children) {
      if (!selects(target, child, options)) continue;
      selected = true;
      const event = eventOf(child, options);
      if (event) {
        if (!(options & WNOWAIT)) consume(k, event);
        return event;
      }
    }
    if (!selected) return -Errno.ECHILD;
    if (options & WNOHANG) return 0;
    // A signal ends the wait, but a child that exited meanwhile is reported first (its SIGCHLD
    // is what woke us, as often as not).
    if (interrupted) return -ERESTARTSYS;
    interrupted = !(await t.tg.childEvents.wait(t));
  }
}

function eventOf(child: ThreadGroup, options: number): ChildEvent | null {
  if (child.zombie && (options & WEXITED)) {
    const sig = child.waitStatus & 0x7f;
    const code = sig === 0 ? CLD_EXITED : (child.waitStatus & 0x80) ? CLD_DUMPED : CLD_KILLED;
    return { child, status: child.waitStatus, code, sigStatus: sig === 0 ? (child.waitStatus >> 8) & 0xff : sig };
  }
  if (child.stopped && !child.stopReported && (options & WUNTRACED)) {
    return { child, status: (child.stopSignal << 8) | 0x7f, code: CLD_STOPPED, sigStatus: child.stopSignal };
  }
  if (child.continuedToReport && (options & WCONTINUED)) {
    return { child, status: 0xffff, code: CLD_CONTINUED, sigStatus: SIGCONT };
  }
  return null;
}

function consume(k: Kernel, e: ChildEvent): void {
  if (e.code === CLD_STOPPED) e.child.stopReported = true;
  else if (e.code === CLD_CONTINUED) e.child.continuedToReport = false;
  else reap(k, e.child);
}

function selects(target: WaitTarget, child: ThreadGroup, options: number): boolean {
  if (target.kind === 'pid' && child.pid !== target.pid) return false;
  if (target.kind === 'pgid' && child.pgid !== target.pgid) return false;
  // A "clone child" reports to its parent with a signal other than SIGCHLD: only __WCLONE or
  // __WALL waits see it, and __WCLONE sees only those.
  if (options & __WALL) return true;
  return ((options & __WCLONE) !== 0) === (child.exitSignal !== SIGCHLD);
}
