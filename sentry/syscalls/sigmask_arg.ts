// The signal mask argument of ppoll, pselect6 and epoll_pwait (Linux set_user_sigmask and
// restore_saved_sigmask_unless): the mask is in force while the call waits; it stays until the
// signal's handler has run when the call was interrupted, and comes back at once otherwise.

import { Errno } from '../abi/errno.js';
import { ERESTARTNOHAND, hasDeliverable } from '../kernel/signals.js';
import { SigSet, withoutUnblockable } from '../kernel/sigset.js';
import type { Task } from '../kernel/task.js';
import { copyIn } from './memory_io.js';

/** Reads a sigset_t of `size` bytes (EINVAL unless 8, EFAULT). */
export function readSigmask(t: Task, addr: number, size: number): SigSet | number {
  if (size !== 8) return -Errno.EINVAL;
  const b = copyIn(t, addr, 8);
  if (!b) return -Errno.EFAULT;
  const dv = new DataView(b.buffer);
  return new SigSet(dv.getInt32(0, true), dv.getInt32(4, true));
}

/** Puts `mask` in force for the rest of the call, remembering the task's own. */
export function setTemporaryMask(t: Task, mask: SigSet): void {
  t.savedMask = t.sigmask;
  t.sigmask = withoutUnblockable(mask);
}

/**
 * The call ends with `r`: unless a signal interrupted it (delivery then runs the handler with
 * the temporary mask and restores the saved one after it), the task's own mask comes back now.
 */
export function endTemporaryMask(t: Task, r: number): number {
  if (!t.savedMask) return r;
  if ((r === -ERESTARTNOHAND || r === -Errno.EINTR) && hasDeliverable(t)) return r;
  t.sigmask = t.savedMask;
  t.savedMask = null;
  return r;
}
