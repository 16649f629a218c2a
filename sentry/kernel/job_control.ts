// Stopping and continuing processes (Linux kernel/signal.c do_signal_stop, prepare_signal): a
// stop signal's default action stops every thread of the process; SIGCONT, when it is sent (even
// if blocked or ignored), resumes them and discards pending stop signals, as a stop signal
// discards a pending SIGCONT. The parent learns of both through SIGCHLD (unless SA_NOCLDSTOP) and
// wait's WUNTRACED / WCONTINUED.

import type { Kernel } from './kernel.js';
import { sendToProcess } from './signals.js';
import { SA_NOCLDSTOP, SIGCHLD, SIGCONT, SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU, sigInfo } from './sigset.js';
import type { Task, ThreadGroup } from './task.js';

export const CLD_STOPPED = 5, CLD_CONTINUED = 6;
const STOP_SIGNALS = [SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU];

/** A stop signal is being sent: a pending SIGCONT no longer applies. SIGCONT: the reverse, and the process resumes. */
export function onSignalSent(k: Kernel, tg: ThreadGroup, sig: number): void {
  if (STOP_SIGNALS.includes(sig)) {
    tg.pending.discard(SIGCONT);
    for (const t of tg.tasks) t.pending.discard(SIGCONT);
  } else if (sig === SIGCONT) {
    for (const s of STOP_SIGNALS) { tg.pending.discard(s); for (const t of tg.tasks) t.pending.discard(s); }
    if (tg.stopped) {
      tg.stopped = false;
      tg.stopReported = true;
      tg.continuedToReport = true;
      tg.resumed.notifyAll();
      notifyParent(k, tg, CLD_CONTINUED, SIGCONT);
    }
  }
}

/** The default action of stop signal `sig`, taken by `t`: the whole process stops. */
export function stopGroup(k: Kernel, t: Task, sig: number): void {
  const tg = t.tg;
  if (tg.stopped) return;
  tg.stopped = true;
  tg.stopSignal = sig;
  tg.stopReported = false;
  tg.continuedToReport = false;
  notifyParent(k, tg, CLD_STOPPED, sig);
}

/**
 * Whether process group `pgid` is orphaned: no member has a parent in another group of the same
 * session (POSIX; Linux will_become_orphaned_pgrp).
 */
export function orphanedGroup(k: Kernel, pgid: number, sid: number): boolean {
  for (const tg of k.groups.values()) {
    if (tg.zombie || tg.pgid !== pgid) continue;
    const p = tg.parent;
    if (p && p.pgid !== pgid && p.sid === sid) return false;
  }
  return true;
}

/** Whether a living process is in group `pgid` of session `sid` (setpgid's and tcsetpgrp's test). */
export function groupExists(k: Kernel, pgid: number, sid: number): boolean {
  for (const tg of k.groups.values()) if (!tg.zombie && tg.pgid === pgid && tg.sid === sid) return true;
  return false;
}

/** Parks a task of a stopped process until SIGCONT (or its death). */
export async function waitWhileStopped(t: Task): Promise<void> {
  while (t.tg.stopped && !t.exited) await t.tg.resumed.wait(t);
}

function notifyParent(k: Kernel, tg: ThreadGroup, code: number, status: number): void {
  const parent = tg.parent;
  if (!parent) return;
  if (!(parent.handlers.actions[SIGCHLD].flags & SA_NOCLDSTOP)) {
    sendToProcess(k, parent, sigInfo(SIGCHLD, code, { pid: tg.pid, uid: tg.creds.uid, status }), 'kernel');
  }
  parent.childEvents.notifyAll();
}
