// poll, ppoll, select and pselect6 (Linux fs/select.c, gVisor sys_poll.go): each file's readiness
// (FileDescription.readiness; files without it are always ready), and when nothing is ready a
// wait on every polled file's events at once, the timeout and signals (sentry/kernel/poll_wait.ts).
// A signal ends the wait with EINTR once a handler has run (-ERESTARTNOHAND). ppoll, pselect6 and
// select write the time left back, as Linux does.

import { Errno } from '../abi/errno.js';
import { getI64, getU64 } from '../abi/bytes.js';
import {
  DEFAULT_POLLMASK, POLLERR, POLLHUP, POLLIN, POLLNVAL, POLLOUT, POLLPRI, POLLRDBAND, POLLRDNORM, POLLWRBAND, POLLWRNORM,
} from '../abi/poll.js';
import type { Kernel } from '../kernel/kernel.js';
import { Deadline, pollUntil, type WaitSet } from '../kernel/poll_wait.js';
import { ERESTARTNOHAND } from '../kernel/signals.js';
import type { Task } from '../kernel/task.js';
import { O_PATH, readinessOf } from '../vfs/file.js';
import type { SyscallResult } from './handler.js';
import { copyIn, copyOut, u64Bytes } from './memory_io.js';
import { endTemporaryMask, readSigmask, setTemporaryMask } from './sigmask_arg.js';
import { readTimespec } from './sys_time.js';

// --- poll --------------------------------------------------------------------------------------

/** One pass over the pollfd array: sets each revents, returns how many are nonzero. */
function scanPollFds(t: Task, dv: DataView, nfds: number, set: WaitSet): number {
  let ready = 0;
  for (let i = 0; i < nfds; i++) {
    const fd = dv.getInt32(i * 8, true);
    let revents = 0;
    if (fd >= 0) {
      const f = t.fds.get(fd);
      if (!f || (f.flags & O_PATH)) revents = POLLNVAL;
      else {
        // Errors and hangups are reported whether asked for or not.
        const wanted = dv.getUint16(i * 8 + 4, true) | POLLERR | POLLHUP;
        revents = readinessOf(f) & wanted;
        if (f.events) set.add(f.events, wanted);
      }
    }
    dv.setUint16(i * 8 + 6, revents, true);
    if (revents) ready++;
  }
  return ready;
}

/** poll's body: revents are written back whatever the outcome (timeout and interruption too). */
function doPoll(t: Task, k: Kernel, fdsAddr: number, nfds: number, deadline: Deadline): SyscallResult {
  if (nfds > t.fds.limit) return -Errno.EINVAL;
  const raw = copyIn(t, fdsAddr, nfds * 8);
  if (!raw) return -Errno.EFAULT;
  const dv = new DataView(raw.buffer);
  const finish = (r: number): number => copyOut(t, fdsAddr, raw) ? r : -Errno.EFAULT;
  const r = pollUntil(k, t, deadline, (set) => scanPollFds(t, dv, nfds, set));
  return typeof r === 'number' ? finish(r) : r.then(finish);
}

export function sys_poll(t: Task, k: Kernel): SyscallResult {
  const fdsAddr = t.arg(0), nfds = t.argLo(1) >>> 0, timeout = t.argInt(2);
  return doPoll(t, k, fdsAddr, nfds, new Deadline(k, timeout < 0 ? -1 : timeout));
}

export function sys_ppoll(t: Task, k: Kernel): SyscallResult {
  const fdsAddr = t.arg(0), nfds = t.argLo(1) >>> 0, tsAddr = t.arg(2), maskAddr = t.arg(3), maskSize = t.arg(4);
  return withMaskAndTimeout(t, k, tsAddr, maskAddr, maskSize, (deadline) => doPoll(t, k, fdsAddr, nfds, deadline));
}

/** ppoll and pselect6: `body` runs with the call's temporary signal mask; the time left is written back. */
function withMaskAndTimeout(t: Task, k: Kernel, tsAddr: number, maskAddr: number, maskSize: number, body: (deadline: Deadline) => SyscallResult): SyscallResult {
  const deadline = timespecDeadline(t, k, tsAddr);
  if (typeof deadline === 'number') return deadline;
  if (maskAddr !== 0) {
    const mask = readSigmask(t, maskAddr, maskSize);
    if (typeof mask === 'number') return mask;
    setTemporaryMask(t, mask);
  }
  const finish = (r: number): number => writeTimeLeft(t, tsAddr, deadline, 'timespec', endTemporaryMask(t, r));
  const r = body(deadline);
  return typeof r === 'number' ? finish(r) : r.then(finish);
}

// --- timeouts ----------------------------------------------------------------------------------

/** A struct timespec timeout argument (none when the address is 0). */
function timespecDeadline(t: Task, k: Kernel, addr: number): Deadline | number {
  if (addr === 0) return new Deadline(k, -1);
  const ts = readTimespec(t, addr);
  if (typeof ts === 'number') return ts;
  return new Deadline(k, ts.sec * 1000 + ts.nsec / 1e6);
}

/** select's struct timeval, normalized as Linux does (microseconds may exceed a second). */
function timevalDeadline(t: Task, k: Kernel, addr: number): Deadline | number {
  if (addr === 0) return new Deadline(k, -1);
  const b = copyIn(t, addr, 16);
  if (!b) return -Errno.EFAULT;
  const dv = new DataView(b.buffer);
  const sec = getI64(dv, 0), usec = getI64(dv, 8);
  const s = sec + Math.trunc(usec / 1e6), ns = (usec % 1e6) * 1000;
  if (s < 0 || ns < 0) return -Errno.EINVAL;
  return new Deadline(k, s * 1000 + ns / 1e6);
}

/**
 * Writes the time left back to the timeout argument (Linux poll_select_finish): not for a zero
 * timeout; when that fails, an interrupted call is not restarted (it would wait too long).
 */
function writeTimeLeft(t: Task, addr: number, deadline: Deadline, kind: 'timespec' | 'timeval', r: number): number {
  if (addr === 0 || deadline.zero) return r;
  const left = deadline.left();
  const sec = Math.floor(left / 1000);
  const nsec = Math.min(Math.round((left - sec * 1000) * 1e6), 999_999_999);
  if (copyOut(t, addr, u64Bytes([sec, kind === 'timespec' ? nsec : Math.floor(nsec / 1000)]))) return r;
  return r === -ERESTARTNOHAND ? -Errno.EINTR : r;
}

// --- select ------------------------------------------------------------------------------------

/** Which poll events make an fd readable, writable or exceptional for select (fs/select.c). */
const POLLIN_SET = POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR;
const POLLOUT_SET = POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR;
const POLLEX_SET = POLLPRI;

/**
 * select's body over fd_set bitmaps (null addresses are empty sets). `n` is cut to the size of
 * the fd table (here its limit): Linux ignores bits past the table. A set bit for an fd that is
 * not open is EBADF. The result sets are written back unless a signal interrupted the call.
 */
function doSelect(t: Task, k: Kernel, n: number, addrs: number[], deadline: Deadline): SyscallResult {
  if (n < 0) return -Errno.EINVAL;
  const nfds = Math.min(n, t.fds.limit);
  const bytes = Math.ceil(nfds / 64) * 8;
  const wanted: Uint8Array[] = [];
  for (const addr of addrs) {
    const set = addr !== 0 ? copyIn(t, addr, bytes) : new Uint8Array(bytes);
    if (!set) return -Errno.EFAULT;
    wanted.push(set);
  }
  const [inSet, outSet, exSet] = wanted;
  const any = (fd: number) => ((inSet[fd >> 3] | outSet[fd >> 3] | exSet[fd >> 3]) >> (fd & 7)) & 1;
  for (let fd = 0; fd < nfds; fd++) if (any(fd) && !t.fds.get(fd)) return -Errno.EBADF;
  const results = wanted.map(() => new Uint8Array(bytes));
  const scan = (set: WaitSet): number => {
    let count = 0;
    for (const r of results) r.fill(0);
    for (let fd = 0; fd < nfds; fd++) {
      if ((fd & 7) === 0 && (inSet[fd >> 3] | outSet[fd >> 3] | exSet[fd >> 3]) === 0) { fd += 7; continue; }
      if (!any(fd)) continue;
      const f = t.fds.get(fd);
      if (!f) continue; // closed meanwhile by another thread
      // An O_PATH fd is open but cannot be polled: it counts as always ready, as on Linux.
      const ready = f.flags & O_PATH ? DEFAULT_POLLMASK : readinessOf(f);
      const bit = 1 << (fd & 7), at = fd >> 3;
      let watch = POLLEX_SET;
      if (inSet[at] & bit) { watch |= POLLIN_SET; if (ready & POLLIN_SET) { results[0][at] |= bit; count++; } }
      if (outSet[at] & bit) { watch |= POLLOUT_SET; if (ready & POLLOUT_SET) { results[1][at] |= bit; count++; } }
      if ((exSet[at] & bit) && (ready & POLLEX_SET)) { results[2][at] |= bit; count++; }
      if (f.events && !(f.flags & O_PATH)) set.add(f.events, watch);
    }
    return count;
  };
  const finish = (r: number): number => {
    if (r < 0) return r;
    for (let i = 0; i < 3; i++) if (addrs[i] !== 0 && !copyOut(t, addrs[i], results[i])) return -Errno.EFAULT;
    return r;
  };
  const r = pollUntil(k, t, deadline, scan);
  return typeof r === 'number' ? finish(r) : r.then(finish);
}

export function sys_select(t: Task, k: Kernel): SyscallResult {
  const n = t.argInt(0), addrs = [t.arg(1), t.arg(2), t.arg(3)], tvAddr = t.arg(4);
  const deadline = timevalDeadline(t, k, tvAddr);
  if (typeof deadline === 'number') return deadline;
  const finish = (r: number): number => writeTimeLeft(t, tvAddr, deadline, 'timeval', r);
  const r = doSelect(t, k, n, addrs, deadline);
  return typeof r === 'number' ? finish(r) : r.then(finish);
}

/** pselect6's sixth argument: { const sigset_t *ss; size_t ss_len } (both 0: no mask). */
export function sys_pselect6(t: Task, k: Kernel): SyscallResult {
  const n = t.argInt(0), addrs = [t.arg(1), t.arg(2), t.arg(3)], tsAddr = t.arg(4), sigAddr = t.arg(5);
  let maskAddr = 0, maskSize = 0;
  if (sigAddr !== 0) {
    const b = copyIn(t, sigAddr, 16);
    if (!b) return -Errno.EFAULT;
    const dv = new DataView(b.buffer);
    maskAddr = getU64(dv, 0);
    maskSize = getU64(dv, 8);
  }
  return withMaskAndTimeout(t, k, tsAddr, maskAddr, maskSize, (deadline) => doSelect(t, k, n, addrs, deadline));
}
