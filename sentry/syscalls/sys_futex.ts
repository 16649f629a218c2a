// futex(2) (gVisor sys_futex.go): WAIT, WAKE, WAIT_BITSET, WAKE_BITSET, REQUEUE, CMP_REQUEUE and
// WAKE_OP over the kernel's wait queues (sentry/kernel/futex.ts). The priority-inheritance
// operations are not implemented yet: ENOSYS, logged.

import { Errno } from '../abi/errno.js';
import { WakeReason } from '../kernel/futex.js';
import type { Kernel } from '../kernel/kernel.js';
import type { Task } from '../kernel/task.js';
import type { SyscallResult } from './handler.js';
import { copyIn, copyOut, i32Bytes } from './memory_io.js';
import { readTimespec } from './sys_time.js';

const FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_REQUEUE = 3, FUTEX_CMP_REQUEUE = 4, FUTEX_WAKE_OP = 5,
  FUTEX_WAIT_BITSET = 9, FUTEX_WAKE_BITSET = 10;
const FUTEX_PRIVATE_FLAG = 128, FUTEX_CLOCK_REALTIME = 256;
const OP_NAMES = ['WAIT', 'WAKE', 'FD', 'REQUEUE', 'CMP_REQUEUE', 'WAKE_OP', 'LOCK_PI', 'UNLOCK_PI', 'TRYLOCK_PI',
  'WAIT_BITSET', 'WAKE_BITSET', 'WAIT_REQUEUE_PI', 'CMP_REQUEUE_PI', 'LOCK_PI2'];

/** The 32-bit word at `addr`, or null when it cannot be read. */
function readWord(t: Task, addr: number): number | null {
  const b = copyIn(t, addr, 4);
  return b ? new DataView(b.buffer).getInt32(0, true) : null;
}

export async function sys_futex(t: Task, k: Kernel): Promise<number> {
  const uaddr = t.arg(0), opArg = t.argInt(1), val = t.argInt(2);
  const op = opArg & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
  const realtime = (opArg & FUTEX_CLOCK_REALTIME) !== 0;
  if (realtime && op !== FUTEX_WAIT && op !== FUTEX_WAIT_BITSET) return -Errno.ENOSYS; // as Linux
  const futexes = k.futexes;
  switch (op) {
    case FUTEX_WAIT: case FUTEX_WAIT_BITSET: {
      const bitset = op === FUTEX_WAIT ? -1 : t.argInt(5);
      if (bitset === 0 || uaddr % 4 !== 0) return -Errno.EINVAL;
      let timeoutMs: number | null = null;
      if (t.arg(3) !== 0) {
        const ts = readTimespec(t, t.arg(3));
        if (typeof ts === 'number') return ts;
        timeoutMs = ts.sec * 1000 + ts.nsec / 1e6;
        if (op === FUTEX_WAIT_BITSET) { // an absolute time on the chosen clock
          const now = realtime ? k.host.clock.realtime() : k.host.clock.monotonic();
          timeoutMs -= now.sec * 1000 + now.nsec / 1e6;
        }
      }
      const cur = readWord(t, uaddr);
      if (cur === null) return -Errno.EFAULT;
      if (cur !== val) return -Errno.EAGAIN;
      if (timeoutMs !== null && timeoutMs <= 0) return -Errno.ETIMEDOUT;
      const why = await futexes.wait(futexes.key(t.mm, uaddr), t, bitset, timeoutMs, (ms, fire) => k.hostTimers.after(ms, fire));
      return why === WakeReason.WOKEN ? 0 : why === WakeReason.TIMEOUT ? -Errno.ETIMEDOUT : -Errno.EINTR;
    }
    case FUTEX_WAKE: case FUTEX_WAKE_BITSET: {
      const bitset = op === FUTEX_WAKE ? -1 : t.argInt(5);
      if (bitset === 0) return -Errno.EINVAL;
      if (uaddr % 4 !== 0) return -Errno.EINVAL;
      return futexes.wake(futexes.key(t.mm, uaddr), val <= 0 ? 0 : val, bitset);
    }
    case FUTEX_REQUEUE: case FUTEX_CMP_REQUEUE: {
      const uaddr2 = t.arg(4), nMove = t.argInt(3);
      if (uaddr % 4 !== 0 || uaddr2 % 4 !== 0 || val < 0 || nMove < 0) return -Errno.EINVAL;
      if (op === FUTEX_CMP_REQUEUE) {
        const cur = readWord(t, uaddr);
        if (cur === null) return -Errno.EFAULT;
        if (cur !== t.argInt(5)) return -Errno.EAGAIN;
      }
      const [woken, moved] = futexes.requeue(futexes.key(t.mm, uaddr), futexes.key(t.mm, uaddr2), val, nMove);
      return woken + moved;
    }
    case FUTEX_WAKE_OP: return wakeOp(t, k, uaddr, val);
    default:
      k.logOnce(`futex-${op}`, `warning: futex operation ${OP_NAMES[op] ?? op} is not implemented: ENOSYS`);
      return -Errno.ENOSYS;
  }
}

/** FUTEX_WAKE_OP: *uaddr2 = *uaddr2 OP oparg; wake on uaddr; wake on uaddr2 too if old CMP cmparg. */
function wakeOp(t: Task, k: Kernel, uaddr: number, nWake: number): SyscallResult {
  const uaddr2 = t.arg(4), nWake2 = t.argInt(3), encoded = t.argInt(5);
  if (uaddr % 4 !== 0 || uaddr2 % 4 !== 0) return -Errno.EINVAL;
  const shift = (encoded >>> 28) & 8, opKind = (encoded >>> 28) & 7, cmp = (encoded >>> 24) & 15;
  let oparg = (encoded << 8) >> 20; // bits 12..23, sign-extended
  const cmparg = (encoded << 20) >> 20; // bits 0..11, sign-extended
  if (shift) { if (oparg < 0 || oparg > 31) return -Errno.EINVAL; oparg = 1 << oparg; }
  const old = readWord(t, uaddr2);
  if (old === null) return -Errno.EFAULT;
  let v: number;
  switch (opKind) {
    case 0: v = oparg; break; // SET
    case 1: v = (old + oparg) | 0; break; // ADD
    case 2: v = old | oparg; break; // OR
    case 3: v = old & ~oparg; break; // ANDN
    case 4: v = old ^ oparg; break; // XOR
    default: return -Errno.ENOSYS;
  }
  let hit: boolean;
  switch (cmp) {
    case 0: hit = old === cmparg; break;
    case 1: hit = old !== cmparg; break;
    case 2: hit = old < cmparg; break;
    case 3: hit = old <= cmparg; break;
    case 4: hit = old > cmparg; break;
    case 5: hit = old >= cmparg; break;
    default: return -Errno.ENOSYS;
  }
  if (!copyOut(t, uaddr2, i32Bytes([v]))) return -Errno.EFAULT;
  const futexes = k.futexes;
  let woken = futexes.wake(futexes.key(t.mm, uaddr), Math.max(nWake, 0));
  if (hit) woken += futexes.wake(futexes.key(t.mm, uaddr2), Math.max(nWake2, 0));
  return woken;
}
