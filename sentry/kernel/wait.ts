// Waiting for children (Linux kernel/exit.c do_wait): which children a wait4/waitid call
// selects, reaping a zombie, and sleeping until one changes state.

import { Errno } from '../abi/errno.js';
import { reap } from './exit.js';
import { ERESTARTSYS } from './signals.js';
import type { Kernel } from './kernel.js';
import { SIGCHLD, type Task, type ThreadGroup } from './task.js';

export const WNOHANG = 1, WUNTRACED = 2, WEXITED = 4, WCONTINUED = 8, WNOWAIT = 0x01000000,
  __WNOTHREAD = 0x20000000, __WALL = 0x40000000, __WCLONE = 0x80000000 | 0;

/** Which children: one pid, a process group, or any. */
export type WaitTarget = { kind: 'pid'; pid: number } | { kind: 'pgid'; pgid: number } | { kind: 'any' };

/**
 * Waits until a selected child has exited and returns it (reaped unless WNOWAIT), 0 with
 * WNOHANG when none has yet, -ECHILD when no child is selected, -EINTR when interrupted.
 * Stopped and continued children arrive with job control.
 */
export async function waitForChild(k: Kernel, t: Task, target: WaitTarget, options: number): Promise<ThreadGroup | number> {
  let interrupted = false;
  for (;;) {
    let selected = false;
    for (const child of t.tg.children) {
      if (!selects(target, child, options)) continue;
      selected = true;
      if (child.zombie) {
        if (!(options & WNOWAIT)) reap(k, child);
        return child;
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

function selects(target: WaitTarget, child: ThreadGroup, options: number): boolean {
  if (target.kind === 'pid' && child.pid !== target.pid) return false;
  if (target.kind === 'pgid' && child.pgid !== target.pgid) return false;
  // A "clone child" reports to its parent with a signal other than SIGCHLD: only __WCLONE or
  // __WALL waits see it, and __WCLONE sees only those.
  if (options & __WALL) return true;
  return ((options & __WCLONE) !== 0) === (child.exitSignal !== SIGCHLD);
}
