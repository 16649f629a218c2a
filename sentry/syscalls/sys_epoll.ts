// epoll_create, epoll_create1, epoll_ctl, epoll_wait, epoll_pwait, epoll_pwait2 (Linux
// fs/eventpoll.c, gVisor sys_epoll.go). The instances are sentry/kernel/epoll.ts.

import { Errno } from '../abi/errno.js';
import { EPOLLET, EPOLLEXCLUSIVE, EPOLLWAKEUP, POLLERR, POLLHUP, POLLIN, POLLOUT } from '../abi/poll.js';
import { EpollFile, epollWait, type PutEvent } from '../kernel/epoll.js';
import type { Kernel } from '../kernel/kernel.js';
import { Deadline } from '../kernel/poll_wait.js';
import type { Task } from '../kernel/task.js';
import { releaseRef, retain } from '../vfs/fd_table.js';
import { O_CLOEXEC, O_PATH, O_RDWR } from '../vfs/file.js';
import type { SyscallResult } from './handler.js';
import { copyIn } from './memory_io.js';
import { endTemporaryMask, readSigmask, setTemporaryMask } from './sigmask_arg.js';
import { readTimespec } from './sys_time.js';

const EPOLL_CLOEXEC = O_CLOEXEC;
const EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2, EPOLL_CTL_MOD = 3;
/** struct epoll_event is packed on x86-64: u32 events, u64 data. */
const EVENT_SIZE = 12;
const EP_MAX_EVENTS = Math.floor(0x7fffffff / EVENT_SIZE);
/** What EPOLLEXCLUSIVE may come with. */
const EXCLUSIVE_OK_BITS = POLLIN | POLLOUT | POLLERR | POLLHUP | EPOLLWAKEUP | EPOLLET | EPOLLEXCLUSIVE;
/** access_ok's limit: the end of the user address space (4-level paging). */
const TASK_SIZE_MAX = 2 ** 47 - 4096;

function createEpoll(t: Task, flags: number): number {
  return t.fds.add(new EpollFile(O_RDWR), (flags & EPOLL_CLOEXEC) !== 0);
}

export function sys_epoll_create(t: Task): SyscallResult {
  // The size is only a hint since Linux 2.6.8, but must be positive.
  if (t.argInt(0) <= 0) return -Errno.EINVAL;
  return createEpoll(t, 0);
}

export function sys_epoll_create1(t: Task): SyscallResult {
  const flags = t.argInt(0);
  if (flags & ~EPOLL_CLOEXEC) return -Errno.EINVAL;
  return createEpoll(t, flags);
}

/** epoll_ctl, its checks in Linux's order (do_epoll_ctl). */
export function sys_epoll_ctl(t: Task): SyscallResult {
  const epfd = t.argInt(0), op = t.argInt(1), fd = t.argInt(2), eventAddr = t.arg(3);
  let events = 0;
  let data = new Uint8Array(8);
  if (op !== EPOLL_CTL_DEL) {
    const b = copyIn(t, eventAddr, EVENT_SIZE);
    if (!b) return -Errno.EFAULT;
    events = new DataView(b.buffer).getUint32(0, true);
    data = b.slice(4, 12);
  }
  const ep = t.fds.get(epfd), target = t.fds.get(fd);
  if (!ep || (ep.flags & O_PATH) || !target || (target.flags & O_PATH)) return -Errno.EBADF;
  // Regular files, directories and the like cannot be waited on.
  if (!target.events) return -Errno.EPERM;
  // Without CAP_BLOCK_SUSPEND EPOLLWAKEUP is dropped silently; no suspend to block here anyway.
  events &= ~EPOLLWAKEUP;
  if (!(ep instanceof EpollFile)) return -Errno.EINVAL;
  if (op !== EPOLL_CTL_DEL && (events & EPOLLEXCLUSIVE)) {
    if (op === EPOLL_CTL_MOD) return -Errno.EINVAL;
    if (op === EPOLL_CTL_ADD && (target instanceof EpollFile || (events & ~EXCLUSIVE_OK_BITS))) return -Errno.EINVAL;
  }
  if (op === EPOLL_CTL_ADD && target instanceof EpollFile && ep.wouldLoop(target)) return -Errno.ELOOP;
  const existing = ep.entryEvents(target, fd);
  switch (op) {
    case EPOLL_CTL_ADD:
      if (existing !== undefined) return -Errno.EEXIST;
      ep.add(target, fd, events | POLLERR | POLLHUP, data);
      return 0;
    case EPOLL_CTL_DEL:
      if (existing === undefined) return -Errno.ENOENT;
      ep.delete(target, fd);
      return 0;
    case EPOLL_CTL_MOD:
      if (existing === undefined) return -Errno.ENOENT;
      // An exclusive entry cannot be changed.
      if (existing & EPOLLEXCLUSIVE) return -Errno.EINVAL;
      ep.modify(target, fd, events | POLLERR | POLLHUP, data);
      return 0;
    default:
      return -Errno.EINVAL;
  }
}

/** do_epoll_wait: the checks, then the wait; events go to the guest array as they are taken. */
function doEpollWait(t: Task, k: Kernel, epfd: number, eventsAddr: number, max: number, deadline: Deadline): SyscallResult {
  if (max <= 0 || max > EP_MAX_EVENTS) return -Errno.EINVAL;
  if (eventsAddr > TASK_SIZE_MAX - max * EVENT_SIZE) return -Errno.EFAULT;
  const ep = t.fds.get(epfd);
  if (!ep || (ep.flags & O_PATH)) return -Errno.EBADF;
  if (!(ep instanceof EpollFile)) return -Errno.EINVAL;
  const put: PutEvent = (i, revents, data) => {
    const b = new Uint8Array(EVENT_SIZE);
    new DataView(b.buffer).setUint32(0, revents, true);
    b.set(data, 4);
    return t.mm.copyOut(eventsAddr + i * EVENT_SIZE, b);
  };
  // The instance lives while a wait uses it, even if its last fd is closed meanwhile (fdget).
  retain(ep);
  const r = epollWait(k, t, ep, max, put, deadline);
  if (typeof r === 'number') { releaseRef(ep); return r; }
  return r.finally(() => releaseRef(ep));
}

/** epoll_wait's int timeout: milliseconds, negative for none. */
function msDeadline(k: Kernel, ms: number): Deadline { return new Deadline(k, ms < 0 ? -1 : ms); }

export function sys_epoll_wait(t: Task, k: Kernel): SyscallResult {
  const epfd = t.argInt(0), eventsAddr = t.arg(1), max = t.argInt(2), timeout = t.argInt(3);
  return doEpollWait(t, k, epfd, eventsAddr, max, msDeadline(k, timeout));
}

/** epoll_pwait and epoll_pwait2: the mask is in force during the wait (do_epoll_pwait). */
function withSigmask(t: Task, maskAddr: number, maskSize: number, wait: () => SyscallResult): SyscallResult {
  if (maskAddr !== 0) {
    const mask = readSigmask(t, maskAddr, maskSize);
    if (typeof mask === 'number') return mask;
    setTemporaryMask(t, mask);
  }
  const r = wait();
  return typeof r === 'number' ? endTemporaryMask(t, r) : r.then((v) => endTemporaryMask(t, v));
}

export function sys_epoll_pwait(t: Task, k: Kernel): SyscallResult {
  const epfd = t.argInt(0), eventsAddr = t.arg(1), max = t.argInt(2), timeout = t.argInt(3);
  const maskAddr = t.arg(4), maskSize = t.arg(5);
  const deadline = msDeadline(k, timeout);
  return withSigmask(t, maskAddr, maskSize, () => doEpollWait(t, k, epfd, eventsAddr, max, deadline));
}

export function sys_epoll_pwait2(t: Task, k: Kernel): SyscallResult {
  const epfd = t.argInt(0), eventsAddr = t.arg(1), max = t.argInt(2), tsAddr = t.arg(3);
  const maskAddr = t.arg(4), maskSize = t.arg(5);
  let deadline = new Deadline(k, -1);
  if (tsAddr !== 0) {
    const ts = readTimespec(t, tsAddr);
    if (typeof ts === 'number') return ts;
    deadline = new Deadline(k, ts.sec * 1000 + ts.nsec / 1e6);
  }
  return withSigmask(t, maskAddr, maskSize, () => doEpollWait(t, k, epfd, eventsAddr, max, deadline));
}
