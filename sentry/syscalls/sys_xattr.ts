// Extended attributes: getxattr, setxattr, listxattr, removexattr and their l- and f- forms
// (gVisor sys_xattr.go). The VFS-level rules are here: name and size limits, which namespaces
// exist ("user.", "trusted.", "security."), who may read or write them; filesystems store them
// (tmpfs does; the host's files answer EOPNOTSUPP through the Gofer).

import { Errno } from '../abi/errno.js';
import type { Task } from '../kernel/task.js';
import type { Location } from '../vfs/dentry.js';
import { O_PATH } from '../vfs/file.js';
import { CAP_SYS_ADMIN, hasCap, type FsCreds } from '../vfs/inode.js';
import { AT_FDCWD, AT_SYMLINK_NOFOLLOW } from '../vfs/path.js';
import { mayAccess, R_OK, W_OK } from '../vfs/permissions.js';
import { targetAt } from '../vfs/vfs.js';
import type { SyscallResult } from './handler.js';
import { copyIn, copyOut } from './memory_io.js';
import { callerOf, pathArg } from './vfs_caller.js';

const XATTR_NAME_MAX = 255, XATTR_SIZE_MAX = 65536, XATTR_LIST_MAX = 65536;
const XATTR_CREATE = 1, XATTR_REPLACE = 2;
const enc = new TextEncoder();
const dec = new TextDecoder();

type Target = { kind: 'path'; follow: boolean } | { kind: 'fd' };

async function locate(t: Task, target: Target): Promise<Location | number> {
  if (target.kind === 'fd') {
    const f = t.fds.get(t.argInt(0));
    if (!f || (f.flags & O_PATH)) return -Errno.EBADF;
    return f.location ?? -Errno.EOPNOTSUPP;
  }
  const path = pathArg(t, t.arg(0));
  if (typeof path === 'number') return path;
  if (path === '') return -Errno.ENOENT;
  return targetAt(callerOf(t), AT_FDCWD, path, target.follow ? 0 : AT_SYMLINK_NOFOLLOW);
}

/** The attribute name argument: -ERANGE when empty or longer than 255 bytes. */
function nameArg(t: Task, addr: number): string | number {
  const b = new Uint8Array(XATTR_NAME_MAX + 1);
  let n = 0;
  for (; n <= XATTR_NAME_MAX; n++) {
    if (!t.mm.copyIn(addr + n, b.subarray(n, n + 1))) return -Errno.EFAULT;
    if (b[n] === 0) break;
  }
  if (n === 0 || n > XATTR_NAME_MAX) return -Errno.ERANGE;
  return dec.decode(b.subarray(0, n));
}

const isTrusted = (name: string) => name.startsWith('trusted.');
const known = (name: string) => name.startsWith('user.') || isTrusted(name) || name.startsWith('security.');

/** May `creds` read (or write) attribute `name` of the file at `loc`? 0 or -errno. */
async function mayXattr(creds: FsCreds, loc: Location, name: string, write: boolean): Promise<number> {
  if (!known(name)) return -Errno.EOPNOTSUPP;
  if (write && loc.mount.readOnly) return -Errno.EROFS;
  if (isTrusted(name) || (write && name.startsWith('security.'))) {
    // trusted.* is invisible (ENODATA) to readers without CAP_SYS_ADMIN, as Linux.
    return hasCap(creds, CAP_SYS_ADMIN) ? 0 : write ? -Errno.EPERM : -Errno.ENODATA;
  }
  if (name.startsWith('user.')) {
    const st = await loc.dentry.inode.stat();
    if (typeof st === 'number') return st;
    if (!mayAccess(creds, st, write ? W_OK : R_OK)) return -Errno.EACCES;
  }
  return 0;
}

/** The target and the name argument (arg 1) of get/set/removexattr. */
async function locateNamed(t: Task, target: Target): Promise<{ loc: Location; name: string } | number> {
  const loc = await locate(t, target);
  if (typeof loc === 'number') return loc;
  const name = nameArg(t, t.arg(1));
  return typeof name === 'number' ? name : { loc, name };
}

/** Copies a value or list out as the xattr calls do: size 0 asks for the length, a smaller
 *  buffer is ERANGE. */
function putSized(t: Task, addr: number, size: number, bytes: Uint8Array): number {
  if (size === 0) return bytes.length;
  if (size < bytes.length) return -Errno.ERANGE;
  return copyOut(t, addr, bytes) ? bytes.length : -Errno.EFAULT;
}

async function getxattr(t: Task, target: Target): Promise<number> {
  const r = await locateNamed(t, target);
  if (typeof r === 'number') return r;
  const ok = await mayXattr(callerOf(t).creds, r.loc, r.name, false);
  if (ok < 0) return ok;
  const value = await r.loc.dentry.inode.getxattr(r.name);
  return typeof value === 'number' ? value : putSized(t, t.arg(2), t.arg(3), value);
}

async function setxattr(t: Task, target: Target): Promise<number> {
  const r = await locateNamed(t, target);
  if (typeof r === 'number') return r;
  const size = t.arg(3), flags = t.argInt(4);
  if (flags & ~(XATTR_CREATE | XATTR_REPLACE)) return -Errno.EINVAL;
  if (size > XATTR_SIZE_MAX) return -Errno.E2BIG;
  const value = size === 0 ? new Uint8Array(0) : copyIn(t, t.arg(2), size);
  if (value === null) return -Errno.EFAULT;
  const ok = await mayXattr(callerOf(t).creds, r.loc, r.name, true);
  if (ok < 0) return ok;
  return r.loc.dentry.inode.setxattr(r.name, value, flags);
}

async function listxattr(t: Task, target: Target): Promise<number> {
  const loc = await locate(t, target);
  if (typeof loc === 'number') return loc;
  const names = await loc.dentry.inode.listxattr();
  if (typeof names === 'number') return names === -Errno.EOPNOTSUPP ? 0 : names; // no xattrs at all: an empty list
  const admin = hasCap(callerOf(t).creds, CAP_SYS_ADMIN);
  const list = enc.encode(names.filter((n) => admin || !isTrusted(n)).map((n) => `${n}\0`).join(''));
  if (list.length > XATTR_LIST_MAX) return -Errno.E2BIG;
  return putSized(t, t.arg(1), t.arg(2), list);
}

async function removexattr(t: Task, target: Target): Promise<number> {
  const r = await locateNamed(t, target);
  if (typeof r === 'number') return r;
  const ok = await mayXattr(callerOf(t).creds, r.loc, r.name, true);
  if (ok < 0) return ok;
  return r.loc.dentry.inode.removexattr(r.name);
}

const PATH: Target = { kind: 'path', follow: true }, LPATH: Target = { kind: 'path', follow: false }, FD: Target = { kind: 'fd' };

export function sys_getxattr(t: Task): SyscallResult { return getxattr(t, PATH); }
export function sys_lgetxattr(t: Task): SyscallResult { return getxattr(t, LPATH); }
export function sys_fgetxattr(t: Task): SyscallResult { return getxattr(t, FD); }
export function sys_setxattr(t: Task): SyscallResult { return setxattr(t, PATH); }
export function sys_lsetxattr(t: Task): SyscallResult { return setxattr(t, LPATH); }
export function sys_fsetxattr(t: Task): SyscallResult { return setxattr(t, FD); }
export function sys_listxattr(t: Task): SyscallResult { return listxattr(t, PATH); }
export function sys_llistxattr(t: Task): SyscallResult { return listxattr(t, LPATH); }
export function sys_flistxattr(t: Task): SyscallResult { return listxattr(t, FD); }
export function sys_removexattr(t: Task): SyscallResult { return removexattr(t, PATH); }
export function sys_lremovexattr(t: Task): SyscallResult { return removexattr(t, LPATH); }
export function sys_fremovexattr(t: Task): SyscallResult { return removexattr(t, FD); }
