// Extended attributes: getxattr, setxattr, listxattr, removexattr and their l- and f- forms. No
// filesystem of the Sentry stores extended attributes yet (the Gofer answers EOPNOTSUPP for host
// files; tmpfs xattrs arrive with the VFS), so after the path or fd is checked, every call
// answers EOPNOTSUPP, as Linux does on a filesystem without xattr support.

import { Errno } from '../abi/errno.js';
import type { Kernel } from '../kernel/kernel.js';
import type { Task } from '../kernel/task.js';
import { statPathArg } from './sys_file.js';

const XATTR_NAME_MAX = 255;

/** Checks the target (a path, followed unless `follow` is false) and the name argument. */
async function check(t: Task, k: Kernel, follow: boolean, nameArg: number | null): Promise<number> {
  const st = await statPathArg(t, k, t.arg(0), follow);
  if (typeof st === 'number') return st;
  return checkName(t, nameArg);
}

async function checkFd(t: Task, nameArg: number | null): Promise<number> {
  if (!t.fds.get(t.argInt(0))) return -Errno.EBADF;
  return checkName(t, nameArg);
}

function checkName(t: Task, nameArg: number | null): number {
  if (nameArg === null) return 0;
  let len = 0;
  const b = new Uint8Array(1);
  for (; len <= XATTR_NAME_MAX; len++) {
    if (!t.mm.copyIn(t.arg(nameArg) + len, b)) return -Errno.EFAULT;
    if (b[0] === 0) break;
  }
  if (len === 0 || len > XATTR_NAME_MAX) return -Errno.ERANGE;
  return 0;
}

const unsupported = (r: number) => (r < 0 ? r : -Errno.EOPNOTSUPP);

export async function sys_getxattr(t: Task, k: Kernel): Promise<number> { return unsupported(await check(t, k, true, 1)); }
export async function sys_lgetxattr(t: Task, k: Kernel): Promise<number> { return unsupported(await check(t, k, false, 1)); }
export async function sys_fgetxattr(t: Task): Promise<number> { return unsupported(await checkFd(t, 1)); }
export async function sys_setxattr(t: Task, k: Kernel): Promise<number> { return unsupported(await check(t, k, true, 1)); }
export async function sys_lsetxattr(t: Task, k: Kernel): Promise<number> { return unsupported(await check(t, k, false, 1)); }
export async function sys_fsetxattr(t: Task): Promise<number> { return unsupported(await checkFd(t, 1)); }
export async function sys_listxattr(t: Task, k: Kernel): Promise<number> { return unsupported(await check(t, k, true, null)); }
export async function sys_llistxattr(t: Task, k: Kernel): Promise<number> { return unsupported(await check(t, k, false, null)); }
export async function sys_flistxattr(t: Task): Promise<number> { return unsupported(await checkFd(t, null)); }
export async function sys_removexattr(t: Task, k: Kernel): Promise<number> { return unsupported(await check(t, k, true, 1)); }
export async function sys_lremovexattr(t: Task, k: Kernel): Promise<number> { return unsupported(await check(t, k, false, 1)); }
export async function sys_fremovexattr(t: Task): Promise<number> { return unsupported(await checkFd(t, 1)); }
