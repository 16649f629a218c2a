// The calls that change names in the file tree: mkdir, mknod, unlink, rmdir, rename, link and
// symlink with their *at forms (gVisor sys_file.go). The rules live in sentry/vfs/vfs.ts.

import type { Task } from '../kernel/task.js';
import { AT_FDCWD } from '../vfs/path.js';
import { linkAt, mkdirAt, mknodAt, renameAt, rmdirAt, symlinkAt, unlinkAt } from '../vfs/vfs.js';
import type { SyscallResult } from './handler.js';
import { callerOf, pathArg } from './vfs_caller.js';

/** Runs `op` with the path argument at `addr` read from guest memory. */
async function withPath(t: Task, addr: number, op: (path: string) => Promise<number>): Promise<number> {
  const path = pathArg(t, addr);
  return typeof path === 'number' ? path : op(path);
}

async function withPaths(t: Task, a: number, b: number, op: (pa: string, pb: string) => Promise<number>): Promise<number> {
  const pa = pathArg(t, a);
  if (typeof pa === 'number') return pa;
  const pb = pathArg(t, b);
  return typeof pb === 'number' ? pb : op(pa, pb);
}

export function sys_mkdir(t: Task): SyscallResult { return withPath(t, t.arg(0), (p) => mkdirAt(callerOf(t), AT_FDCWD, p, t.argInt(1))); }
export function sys_mkdirat(t: Task): SyscallResult { return withPath(t, t.arg(1), (p) => mkdirAt(callerOf(t), t.argInt(0), p, t.argInt(2))); }

/** mknod's dev is a 32-bit new-style device number (huge_encode_dev). */
export function sys_mknod(t: Task): SyscallResult { return withPath(t, t.arg(0), (p) => mknodAt(callerOf(t), AT_FDCWD, p, t.argInt(1), t.argInt(2) >>> 0)); }
export function sys_mknodat(t: Task): SyscallResult { return withPath(t, t.arg(1), (p) => mknodAt(callerOf(t), t.argInt(0), p, t.argInt(2), t.argInt(3) >>> 0)); }

export function sys_unlink(t: Task): SyscallResult { return withPath(t, t.arg(0), (p) => unlinkAt(callerOf(t), AT_FDCWD, p, 0)); }
export function sys_unlinkat(t: Task): SyscallResult { return withPath(t, t.arg(1), (p) => unlinkAt(callerOf(t), t.argInt(0), p, t.argInt(2))); }
export function sys_rmdir(t: Task): SyscallResult { return withPath(t, t.arg(0), (p) => rmdirAt(callerOf(t), AT_FDCWD, p)); }

export function sys_rename(t: Task): SyscallResult {
  return withPaths(t, t.arg(0), t.arg(1), (a, b) => renameAt(callerOf(t), AT_FDCWD, a, AT_FDCWD, b, 0));
}
export function sys_renameat(t: Task): SyscallResult {
  return withPaths(t, t.arg(1), t.arg(3), (a, b) => renameAt(callerOf(t), t.argInt(0), a, t.argInt(2), b, 0));
}
export function sys_renameat2(t: Task): SyscallResult {
  return withPaths(t, t.arg(1), t.arg(3), (a, b) => renameAt(callerOf(t), t.argInt(0), a, t.argInt(2), b, t.argInt(4)));
}

export function sys_link(t: Task): SyscallResult {
  return withPaths(t, t.arg(0), t.arg(1), (a, b) => linkAt(callerOf(t), AT_FDCWD, a, AT_FDCWD, b, 0));
}
export function sys_linkat(t: Task): SyscallResult {
  return withPaths(t, t.arg(1), t.arg(3), (a, b) => linkAt(callerOf(t), t.argInt(0), a, t.argInt(2), b, t.argInt(4)));
}

export function sys_symlink(t: Task): SyscallResult {
  return withPaths(t, t.arg(0), t.arg(1), (target, p) => symlinkAt(callerOf(t), target, AT_FDCWD, p));
}
export function sys_symlinkat(t: Task): SyscallResult {
  return withPaths(t, t.arg(0), t.arg(2), (target, p) => symlinkAt(callerOf(t), target, t.argInt(1), p));
}
