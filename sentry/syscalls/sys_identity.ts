// Credentials as read by a process: getuid, geteuid, getgid, getegid (setters arrive with the
// credentials work), and uname (gVisor sys_identity.go, sys_utsname.go).

import { Errno } from '../abi/errno.js';
import type { Kernel } from '../kernel/kernel.js';
import type { Task } from '../kernel/task.js';
import type { SyscallResult } from './handler.js';
import { copyOut } from './memory_io.js';

export function sys_getuid(t: Task): SyscallResult { return t.tg.creds.uid; }
export function sys_geteuid(t: Task): SyscallResult { return t.tg.creds.euid; }
export function sys_getgid(t: Task): SyscallResult { return t.tg.creds.gid; }
export function sys_getegid(t: Task): SyscallResult { return t.tg.creds.egid; }

export const UTS_RELEASE = '6.1.0-tsvisor';
export const UTS_VERSION = '#1 SMP PREEMPT_DYNAMIC tsvisor';

export function sys_uname(t: Task, k: Kernel): SyscallResult {
  const fields = ['Linux', k.host.hostname, UTS_RELEASE, UTS_VERSION, 'x86_64', '(none)'];
  const b = new Uint8Array(65 * 6);
  const enc = new TextEncoder();
  fields.forEach((f, n) => b.set(enc.encode(f).subarray(0, 64), n * 65));
  return copyOut(t, t.arg(0), b) ? 0 : -Errno.EFAULT;
}
