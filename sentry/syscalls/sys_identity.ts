// Credentials as read by a process: getuid, geteuid, getgid, getegid (setters arrive with the
// credentials work), uname and sysinfo (gVisor sys_identity.go, sys_utsname.go, sys_sysinfo.go).

import { Errno } from '../abi/errno.js';
import type { Kernel } from '../kernel/kernel.js';
import type { Task } from '../kernel/task.js';
import type { SyscallResult } from './handler.js';
import { copyOut } from './memory_io.js';
import { setU64 } from '../abi/bytes.js';

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

/** sysinfo: uptime since the sandbox started, memory as the guest's memory limit sees it. */
export function sys_sysinfo(t: Task, k: Kernel): SyscallResult {
  const now = k.host.clock.monotonic();
  const uptime = Math.max(0, now.sec - k.bootTime.sec);
  const pageSize = 4096;
  const b = new Uint8Array(112);
  const dv = new DataView(b.buffer);
  setU64(dv, 0, uptime);
  // loads (8, 16, 24) stay 0: no load average is kept.
  setU64(dv, 32, k.commitPool.limit * pageSize); // totalram
  setU64(dv, 40, Math.max(0, k.commitPool.limit - k.commitPool.used) * pageSize); // freeram
  dv.setUint16(80, Math.min(k.tasks.size, 0xffff), true); // procs
  dv.setUint32(104, 1, true); // mem_unit: the sizes are in bytes
  return copyOut(t, t.arg(0), b) ? 0 : -Errno.EFAULT;
}
