// poll and ppoll over the file descriptions that exist so far: regular files, directories and
// devices are always ready, as on Linux. Host stdio streams report ready too and a read then waits
// for data; real readiness and waiting with timeouts arrive with pipes and epoll (the processes
// issue), when every file description gets a readiness interface.

import { Errno } from '../abi/errno.js';
import type { Kernel } from '../kernel/kernel.js';
import type { Task } from '../kernel/task.js';
import { O_ACCMODE, O_RDONLY, O_WRONLY } from '../vfs/file.js';
import { copyIn, copyOut } from './memory_io.js';
import { readTimespec } from './sys_time.js';

const POLLIN = 0x1, POLLPRI = 0x2, POLLOUT = 0x4, POLLNVAL = 0x20, POLLRDNORM = 0x40, POLLWRNORM = 0x100;
const MAX_POLL_FDS = 1 << 20;

function doPoll(t: Task, fdsAddr: number, nfds: number): number {
  if (nfds > MAX_POLL_FDS || nfds > t.fds.limit) return -Errno.EINVAL;
  const raw = copyIn(t, fdsAddr, nfds * 8);
  if (!raw) return -Errno.EFAULT;
  const dv = new DataView(raw.buffer);
  let ready = 0;
  for (let k = 0; k < nfds; k++) {
    const fd = dv.getInt32(k * 8, true);
    const events = dv.getInt16(k * 8 + 4, true);
    let revents = 0;
    if (fd >= 0) {
      const f = t.fds.get(fd);
      if (!f) revents = POLLNVAL;
      else {
        const mode = f.flags & O_ACCMODE;
        if (mode !== O_WRONLY) revents |= events & (POLLIN | POLLRDNORM);
        if (mode !== O_RDONLY) revents |= events & (POLLOUT | POLLWRNORM);
        revents &= ~POLLPRI;
      }
    }
    dv.setInt16(k * 8 + 6, revents, true);
    if (revents) ready++;
  }
  if (!copyOut(t, fdsAddr, raw)) return -Errno.EFAULT;
  return ready;
}

/** Waits out a poll timeout in which nothing can become ready (ms < 0: until the task ends). */
async function waitTimeout(t: Task, k: Kernel, ms: number): Promise<void> {
  if (ms >= 0) { await k.sleep(ms); return; }
  while (!t.exited) await k.sleep(100);
}

export async function sys_poll(t: Task, k: Kernel): Promise<number> {
  const fdsAddr = t.arg(0), nfds = t.arg(1), timeout = t.argInt(2);
  const r = doPoll(t, fdsAddr, nfds);
  if (r === 0 && timeout !== 0) await waitTimeout(t, k, timeout);
  return r;
}

export async function sys_ppoll(t: Task, k: Kernel): Promise<number> {
  const fdsAddr = t.arg(0), nfds = t.arg(1), tsAddr = t.arg(2);
  let ms = -1;
  if (tsAddr !== 0) {
    const ts = readTimespec(t, tsAddr);
    if (typeof ts === 'number') return ts;
    ms = ts.sec * 1000 + ts.nsec / 1e6;
  }
  const r = doPoll(t, fdsAddr, nfds);
  if (r === 0 && ms !== 0) await waitTimeout(t, k, ms);
  return r;
}
