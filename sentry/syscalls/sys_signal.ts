// Signal dispositions and masks, recorded (delivery arrives with processes): rt_sigaction,
// rt_sigprocmask, sigaltstack (gVisor sys_signal.go).

import { Errno } from '../abi/errno.js';
import type { Task } from '../kernel/task.js';
import type { SyscallResult } from './handler.js';
import { copyIn, copyOut } from './memory_io.js';
import { getU64, setU64 } from '../abi/bytes.js';

const SIGKILL = 9, SIGSTOP = 19;
const SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;
// SIGKILL and SIGSTOP can never be blocked.
const UNBLOCKABLE_LO = (1 << (SIGKILL - 1)) | (1 << (SIGSTOP - 1));

export function sys_rt_sigaction(t: Task): SyscallResult {
  const sig = t.argInt(0), act = t.arg(1), oact = t.arg(2), size = t.arg(3);
  if (size !== 8) return -Errno.EINVAL;
  if (sig < 1 || sig > 64) return -Errno.EINVAL;
  const a = t.tg.handlers.actions[sig];
  if (oact) {
    const b = new Uint8Array(32);
    const dv = new DataView(b.buffer);
    setU64(dv, 0, a.handler);
    dv.setUint32(8, a.flags >>> 0, true);
    setU64(dv, 16, a.restorer);
    dv.setInt32(24, a.maskLo, true); dv.setInt32(28, a.maskHi, true);
    if (!copyOut(t, oact, b)) return -Errno.EFAULT;
  }
  if (act) {
    if (sig === SIGKILL || sig === SIGSTOP) return -Errno.EINVAL;
    const b = copyIn(t, act, 32);
    if (!b) return -Errno.EFAULT;
    const dv = new DataView(b.buffer);
    a.handler = getU64(dv, 0);
    a.flags = dv.getUint32(8, true);
    a.restorer = getU64(dv, 16);
    a.maskLo = dv.getInt32(24, true) & ~UNBLOCKABLE_LO;
    a.maskHi = dv.getInt32(28, true);
  }
  return 0;
}

export function sys_rt_sigprocmask(t: Task): SyscallResult {
  const how = t.argInt(0), set = t.arg(1), oset = t.arg(2), size = t.arg(3);
  if (size !== 8) return -Errno.EINVAL;
  const oldLo = t.sigmaskLo, oldHi = t.sigmaskHi;
  if (set) {
    const b = copyIn(t, set, 8);
    if (!b) return -Errno.EFAULT;
    const dv = new DataView(b.buffer);
    const lo = dv.getInt32(0, true), hi = dv.getInt32(4, true);
    switch (how) {
      case SIG_BLOCK: t.sigmaskLo |= lo; t.sigmaskHi |= hi; break;
      case SIG_UNBLOCK: t.sigmaskLo &= ~lo; t.sigmaskHi &= ~hi; break;
      case SIG_SETMASK: t.sigmaskLo = lo; t.sigmaskHi = hi; break;
      default: return -Errno.EINVAL;
    }
    t.sigmaskLo &= ~UNBLOCKABLE_LO;
  }
  if (oset) {
    const b = new Uint8Array(8);
    const dv = new DataView(b.buffer);
    dv.setInt32(0, oldLo, true); dv.setInt32(4, oldHi, true);
    if (!copyOut(t, oset, b)) return -Errno.EFAULT;
  }
  return 0;
}
