// eventfd and eventfd2 (Linux fs/eventfd.c, gVisor sys_eventfd.go). The counter is sentry/kernel/eventfd.ts.

import { Errno } from '../abi/errno.js';
import { EventFd } from '../kernel/eventfd.js';
import type { Kernel } from '../kernel/kernel.js';
import type { Task } from '../kernel/task.js';
import { O_CLOEXEC, O_NONBLOCK, O_RDWR } from '../vfs/file.js';
import type { SyscallResult } from './handler.js';

const EFD_SEMAPHORE = 1, EFD_CLOEXEC = O_CLOEXEC, EFD_NONBLOCK = O_NONBLOCK;

function makeEventFd(t: Task, k: Kernel, initval: number, flags: number): number {
  if (flags & ~(EFD_SEMAPHORE | EFD_CLOEXEC | EFD_NONBLOCK)) return -Errno.EINVAL;
  const f = new EventFd(BigInt(initval), O_RDWR | (flags & EFD_NONBLOCK), (flags & EFD_SEMAPHORE) !== 0, () => k.currentTask);
  return t.fds.add(f, (flags & EFD_CLOEXEC) !== 0);
}

/** The initial value is an unsigned int. */
export function sys_eventfd(t: Task, k: Kernel): SyscallResult { return makeEventFd(t, k, t.argLo(0) >>> 0, 0); }
export function sys_eventfd2(t: Task, k: Kernel): SyscallResult { return makeEventFd(t, k, t.argLo(0) >>> 0, t.argInt(1)); }
