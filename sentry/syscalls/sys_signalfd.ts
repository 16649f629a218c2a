// signalfd and signalfd4 (Linux fs/signalfd.c, gVisor sys_signalfd.go): a new signalfd, or a new
// set for an existing one. The file is sentry/kernel/signalfd.ts.

import { Errno } from '../abi/errno.js';
import type { Kernel } from '../kernel/kernel.js';
import { SignalFd } from '../kernel/signalfd.js';
import type { Task } from '../kernel/task.js';
import { O_CLOEXEC, O_NONBLOCK, O_RDWR } from '../vfs/file.js';
import type { SyscallResult } from './handler.js';
import { readSigmask } from './sigmask_arg.js';

const SFD_CLOEXEC = O_CLOEXEC, SFD_NONBLOCK = O_NONBLOCK;

function doSignalfd(t: Task, k: Kernel, ufd: number, maskAddr: number, size: number, flags: number): number {
  const mask = readSigmask(t, maskAddr, size);
  if (typeof mask === 'number') return mask;
  if (flags & ~(SFD_CLOEXEC | SFD_NONBLOCK)) return -Errno.EINVAL;
  if (ufd === -1) {
    const f = new SignalFd(mask, O_RDWR | (flags & SFD_NONBLOCK), t, () => k.currentTask);
    return t.fds.add(f, (flags & SFD_CLOEXEC) !== 0);
  }
  const f = t.fds.get(ufd);
  if (!f) return -Errno.EBADF;
  if (!(f instanceof SignalFd)) return -Errno.EINVAL;
  f.setMask(mask);
  return ufd;
}

export function sys_signalfd(t: Task, k: Kernel): SyscallResult {
  return doSignalfd(t, k, t.argInt(0), t.arg(1), t.arg(2), 0);
}

export function sys_signalfd4(t: Task, k: Kernel): SyscallResult {
  return doSignalfd(t, k, t.argInt(0), t.arg(1), t.arg(2), t.argInt(3));
}
