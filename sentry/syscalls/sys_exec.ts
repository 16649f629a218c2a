// execve and execveat (gVisor sys_thread.go's Execve): the arguments are read from guest memory
// here; finding, loading and committing the new image is sentry/kernel/exec.ts.

import { Errno } from '../abi/errno.js';
import { commitExec, ExecFailure, loadExecutable } from '../kernel/exec.js';
import type { Kernel } from '../kernel/kernel.js';
import type { Task } from '../kernel/task.js';
import { AT_EMPTY_PATH, AT_FDCWD, AT_SYMLINK_NOFOLLOW } from '../vfs/path.js';
import { callerOf, pathArg } from './vfs_caller.js';

/** One argument or environment string, and all of them together (the stack limit / 4, as Linux). */
const MAX_ARG_STRLEN = 32 * 4096, MAX_ARG_TOTAL = (8 << 20) / 4;

export function sys_execve(t: Task, k: Kernel): Promise<number> {
  return execveAt(t, k, AT_FDCWD, t.arg(0), t.arg(1), t.arg(2), 0);
}

export function sys_execveat(t: Task, k: Kernel): Promise<number> {
  return execveAt(t, k, t.argInt(0), t.arg(1), t.arg(2), t.arg(3), t.argInt(4));
}

async function execveAt(t: Task, k: Kernel, dirfd: number, pathAddr: number, argvAddr: number, envpAddr: number, flags: number): Promise<number> {
  if (flags & ~(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW)) return -Errno.EINVAL;
  const path = pathArg(t, pathAddr);
  if (typeof path === 'number') return path;
  const budget = { left: MAX_ARG_TOTAL };
  const argv = readStrings(t, argvAddr, budget);
  if (typeof argv === 'number') return argv;
  const envp = readStrings(t, envpAddr, budget);
  if (typeof envp === 'number') return envp;
  const c = callerOf(t);
  let at;
  if (path === '' && (flags & AT_EMPTY_PATH)) {
    at = c.fdLocation(dirfd);
    if (at === undefined) return -Errno.EBADF;
    if (at === null) return -Errno.EACCES; // not a file of the VFS (a pipe, a socket)
  } else if (path === '') {
    return -Errno.ENOENT;
  }
  const image = await loadExecutable(k, c, t.tg.creds, dirfd, path, !(flags & AT_SYMLINK_NOFOLLOW), argv, envp, at);
  if (image instanceof ExecFailure) {
    if (image.errno === Errno.ENOEXEC) k.log(`pid ${t.tg.pid}: execve: ${image.message}`);
    return -image.errno;
  }
  commitExec(k, t, image, path === '' ? `/dev/fd/${dirfd}` : path, envp);
  return 0;
}

/** A NULL-terminated array of string pointers; a NULL array is empty. -EFAULT or -E2BIG. */
function readStrings(t: Task, addr: number, budget: { left: number }): Uint8Array[] | number {
  const out: Uint8Array[] = [];
  if (addr === 0) return out;
  for (let i = 0; ; i++) {
    const p = t.mm.readU64(addr + 8 * i);
    if (p === null) return -Errno.EFAULT;
    if (p === 0) return out;
    const s = t.mm.readCString(p, MAX_ARG_STRLEN);
    if (s === null) return t.mm.checkRange(p, 1, false) ? -Errno.E2BIG : -Errno.EFAULT;
    budget.left -= s.length + 1 + 8;
    if (budget.left < 0) return -Errno.E2BIG;
    out.push(s);
  }
}
