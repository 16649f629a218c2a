// Signals the kernel raises itself (SIGPIPE on a broken pipe), until full delivery with handlers,
// masks and signal frames arrives: a signal whose action is the default one that terminates ends
// the process with the right wait status; an ignored or blocked one is dropped; one with a
// handler is logged (the handler cannot run yet) and dropped. PID 1 ignores signals whose action
// is the default, as Linux's init of a PID namespace does.

import { endGroup, killedStatus } from './exit.js';
import type { Kernel } from './kernel.js';
import type { Task } from './task.js';

const SIG_DFL = 0, SIG_IGN = 1;
/** Signals whose default action is to ignore them (SIGCHLD, SIGURG, SIGWINCH) or to stop/continue. */
const DEFAULT_IGNORED = new Set([17, 23, 28]);
const DEFAULT_STOP_OR_CONT = new Set([18, 19, 20, 21, 22]);

function blocked(t: Task, sig: number): boolean {
  return sig <= 32 ? ((t.sigmaskLo >>> (sig - 1)) & 1) === 1 : ((t.sigmaskHi >>> (sig - 33)) & 1) === 1;
}

/** Raises `sig` on `t` as the kernel would with only default actions available. */
export function raiseSignal(k: Kernel, t: Task, sig: number): void {
  const action = t.tg.handlers.actions[sig];
  if (action.handler === SIG_IGN || blocked(t, sig)) return;
  if (action.handler !== SIG_DFL) {
    k.logOnce(`handler-${sig}`, `warning: signal ${sig} has a handler, which cannot run yet (signal delivery arrives with issue 4): dropped`);
    return;
  }
  if (DEFAULT_IGNORED.has(sig) || DEFAULT_STOP_OR_CONT.has(sig) || t.tg.pid === 1) return;
  endGroup(k, t.tg, killedStatus(sig));
}
