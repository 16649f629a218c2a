// getrandom (gVisor sys_random.go): bytes from the host's CSPRNG.

import { Errno } from '../abi/errno.js';
import type { Kernel } from '../kernel/kernel.js';
import type { Task } from '../kernel/task.js';
import type { SyscallResult } from './handler.js';
import { copyOut } from './memory_io.js';

const GRND_NONBLOCK = 1, GRND_RANDOM = 2, GRND_INSECURE = 4;

export function sys_getrandom(t: Task, k: Kernel): SyscallResult {
  const addr = t.arg(0), len = t.arg(1), flags = t.argInt(2);
  if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE)) return -Errno.EINVAL;
  if ((flags & GRND_RANDOM) && (flags & GRND_INSECURE)) return -Errno.EINVAL;
  const n = Math.min(len, 33554431); // Linux returns at most this many bytes per call
  return copyOut(t, addr, k.host.randomBytes(n)) ? n : -Errno.EFAULT;
}
