// open, openat, close, the stat family, getdents64, access, readlink, getcwd, chdir, fcntl, dup
// (gVisor sys_file.go, sys_stat.go, sys_getdents.go).

import { Errno } from '../abi/errno.js';
import type { Kernel } from '../kernel/kernel.js';
import type { Task } from '../kernel/task.js';
import { DeviceFile } from '../vfs/devices.js';
import { O_CLOEXEC, O_APPEND, O_NONBLOCK, O_DIRECT, O_NOATIME, type FileDescription } from '../vfs/file.js';
import { fdAlias, openPath } from '../vfs/open.js';
import { AT_EMPTY_PATH, AT_FDCWD, AT_SYMLINK_NOFOLLOW, resolveAt } from '../vfs/path.js';
import { encodeStat, encodeStatx, S_IFDIR, S_IFMT, type Stat } from '../vfs/stat.js';
import type { SyscallResult } from './handler.js';
import { copyOut, readPath } from './memory_io.js';
import { setU64 } from '../abi/bytes.js';

const enc = new TextEncoder();

/** Reads a path argument and resolves it against dirfd; -errno on failure. */
function pathArg(t: Task, dirfd: number, addr: number): string | number {
  const p = readPath(t, addr);
  if (p === null) return -Errno.EFAULT;
  if (p === undefined) return -Errno.ENAMETOOLONG;
  return resolveAt(t, dirfd, p);
}

async function doOpen(t: Task, k: Kernel, dirfd: number, pathAddr: number, flags: number): Promise<number> {
  const path = pathArg(t, dirfd, pathAddr);
  if (typeof path === 'number') return path;
  const f = await openPath(t, k.host, path, flags);
  if (typeof f === 'number') return f;
  return t.fds.add(f, (flags & O_CLOEXEC) !== 0);
}

export function sys_open(t: Task, k: Kernel): SyscallResult { return doOpen(t, k, AT_FDCWD, t.arg(0), t.argInt(1)); }
export function sys_openat(t: Task, k: Kernel): SyscallResult { return doOpen(t, k, t.argInt(0), t.arg(1), t.argInt(2)); }

export function sys_close(t: Task): SyscallResult { return t.fds.close(t.argInt(0)); }

// --- stat ------------------------------------------------------------------------------------

/** Attributes of a path (following symlinks unless told not to), or -errno. */
async function statPath(t: Task, k: Kernel, path: string, follow: boolean): Promise<Stat | number> {
  const dev = DeviceFile.byPath(path);
  if (dev) return new DeviceFile(dev, 0, () => new Uint8Array(0)).stat();
  const alias = fdAlias(t, path);
  if (alias === null) return -Errno.ENOENT;
  if (alias) return alias.stat();
  return k.host.fs.stat(path, follow);
}

/** The attributes of a path argument (relative to the cwd), or -errno: for calls that only need
 *  their target to exist (the xattr calls). */
export async function statPathArg(t: Task, k: Kernel, pathAddr: number, follow: boolean): Promise<Stat | number> {
  const path = pathArg(t, AT_FDCWD, pathAddr);
  if (typeof path === 'number') return path;
  return statPath(t, k, path, follow);
}

/** fstatat's target: a path, or the fd itself with AT_EMPTY_PATH. */
async function statAt(t: Task, k: Kernel, dirfd: number, pathAddr: number, flags: number): Promise<Stat | number> {
  const p = readPath(t, pathAddr);
  if (p === null) return -Errno.EFAULT;
  if (p === undefined) return -Errno.ENAMETOOLONG;
  if (p === '' && (flags & AT_EMPTY_PATH)) {
    const f = dirfd === AT_FDCWD ? null : t.fds.get(dirfd);
    if (dirfd === AT_FDCWD) return statPath(t, k, t.fs.cwd, true);
    if (!f) return -Errno.EBADF;
    return f.stat();
  }
  const path = resolveAt(t, dirfd, p);
  if (typeof path === 'number') return path;
  return statPath(t, k, path, !(flags & AT_SYMLINK_NOFOLLOW));
}

function putStat(t: Task, addr: number, st: Stat | number, encode: (s: Stat) => Uint8Array): number {
  if (typeof st === 'number') return st;
  return copyOut(t, addr, encode(st)) ? 0 : -Errno.EFAULT;
}

export async function sys_fstat(t: Task): Promise<number> {
  const f = t.fds.get(t.argInt(0));
  if (!f) return -Errno.EBADF;
  return putStat(t, t.arg(1), await f.stat(), encodeStat);
}
export async function sys_stat(t: Task, k: Kernel): Promise<number> {
  return putStat(t, t.arg(1), await statAt(t, k, AT_FDCWD, t.arg(0), 0), encodeStat);
}
export async function sys_lstat(t: Task, k: Kernel): Promise<number> {
  return putStat(t, t.arg(1), await statAt(t, k, AT_FDCWD, t.arg(0), AT_SYMLINK_NOFOLLOW), encodeStat);
}
export async function sys_newfstatat(t: Task, k: Kernel): Promise<number> {
  const flags = t.argInt(3);
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | 0x800)) return -Errno.EINVAL;
  return putStat(t, t.arg(2), await statAt(t, k, t.argInt(0), t.arg(1), flags), encodeStat);
}
export async function sys_statx(t: Task, k: Kernel): Promise<number> {
  const flags = t.argInt(2);
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | 0x800 | 0x6000)) return -Errno.EINVAL;
  return putStat(t, t.arg(4), await statAt(t, k, t.argInt(0), t.arg(1), flags), encodeStatx);
}

// --- directories -----------------------------------------------------------------------------

export async function sys_getdents64(t: Task): Promise<number> {
  const fd = t.argInt(0), addr = t.arg(1), count = t.argInt(2) >>> 0;
  const f = t.fds.get(fd);
  if (!f) return -Errno.EBADF;
  const pos = await f.seek(0, 1);
  if (pos < 0) return -Errno.ENOTDIR;
  const entries = await f.readdir(pos);
  if (typeof entries === 'number') return entries;
  const out = new Uint8Array(Math.min(count, 1 << 20));
  const dv = new DataView(out.buffer);
  let used = 0, taken = 0;
  for (const e of entries) {
    const reclen = Math.ceil((19 + e.name.length + 1) / 8) * 8;
    if (used + reclen > out.length) break;
    setU64(dv, used, e.ino);
    dv.setUint32(used + 8, pos + taken + 1, true); dv.setUint32(used + 12, 0, true);
    dv.setUint16(used + 16, reclen, true);
    out[used + 18] = e.type;
    out.set(e.name, used + 19);
    used += reclen;
    taken++;
  }
  if (taken === 0 && entries.length > 0) return -Errno.EINVAL; // buffer too small for one entry
  if (!copyOut(t, addr, out.subarray(0, used))) return -Errno.EFAULT;
  await f.seek(pos + taken, 0);
  return used;
}

export function sys_getcwd(t: Task): SyscallResult {
  const addr = t.arg(0), size = t.arg(1);
  const b = enc.encode(t.fs.cwd + '\0');
  if (size < b.length) return -Errno.ERANGE;
  return copyOut(t, addr, b) ? b.length : -Errno.EFAULT;
}

export async function sys_chdir(t: Task, k: Kernel): Promise<number> {
  const path = pathArg(t, AT_FDCWD, t.arg(0));
  if (typeof path === 'number') return path;
  const st = await k.host.fs.stat(path, true);
  if (typeof st === 'number') return st;
  if ((st.mode & S_IFMT) !== S_IFDIR) return -Errno.ENOTDIR;
  t.fs.cwd = path;
  return 0;
}

export async function sys_fchdir(t: Task): Promise<number> {
  const f = t.fds.get(t.argInt(0));
  if (!f) return -Errno.EBADF;
  const st = await f.stat();
  if (typeof st === 'number') return st;
  if ((st.mode & S_IFMT) !== S_IFDIR) return -Errno.ENOTDIR;
  t.fs.cwd = f.path;
  return 0;
}

// --- access and readlink ---------------------------------------------------------------------

const W_OK = 2;
async function doAccess(t: Task, k: Kernel, dirfd: number, pathAddr: number, mode: number, flags: number): Promise<number> {
  if (mode & ~7) return -Errno.EINVAL;
  const path = pathArg(t, dirfd, pathAddr);
  if (typeof path === 'number') return path;
  const st = await statPath(t, k, path, !(flags & AT_SYMLINK_NOFOLLOW));
  if (typeof st === 'number') return st;
  if (DeviceFile.byPath(path) || fdAlias(t, path)) return 0;
  if (mode & W_OK) return -Errno.EROFS;
  return k.host.fs.access(path, mode);
}
export function sys_access(t: Task, k: Kernel): SyscallResult { return doAccess(t, k, AT_FDCWD, t.arg(0), t.argInt(1), 0); }
export function sys_faccessat(t: Task, k: Kernel): SyscallResult { return doAccess(t, k, t.argInt(0), t.arg(1), t.argInt(2), 0); }
export function sys_faccessat2(t: Task, k: Kernel): SyscallResult { return doAccess(t, k, t.argInt(0), t.arg(1), t.argInt(2), t.argInt(3)); }

async function doReadlink(t: Task, k: Kernel, dirfd: number, pathAddr: number, buf: number, size: number): Promise<number> {
  if (size <= 0 || size > 0x7fffffff) return -Errno.EINVAL;
  const path = pathArg(t, dirfd, pathAddr);
  if (typeof path === 'number') return path;
  let target: string | number;
  const fdm = /^\/proc\/(?:self|\d+)\/fd\/(\d+)$/.exec(path);
  if (path === '/proc/self/exe' || path === `/proc/${t.tg.pid}/exe`) target = t.mm.exePath;
  else if (fdm) { const f = t.fds.get(Number(fdm[1])); target = f ? f.path : -Errno.ENOENT; }
  else target = await k.host.fs.readlink(path);
  if (typeof target === 'number') return target;
  const b = enc.encode(target).subarray(0, size);
  return copyOut(t, buf, b) ? b.length : -Errno.EFAULT;
}
export function sys_readlink(t: Task, k: Kernel): SyscallResult { return doReadlink(t, k, AT_FDCWD, t.arg(0), t.arg(1), t.argInt(2)); }
export function sys_readlinkat(t: Task, k: Kernel): SyscallResult { return doReadlink(t, k, t.argInt(0), t.arg(1), t.arg(2), t.argInt(3)); }

// --- fcntl and dup ---------------------------------------------------------------------------

const F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4, F_DUPFD_CLOEXEC = 1030;
const FD_CLOEXEC = 1;
const SETFL_MASK = O_APPEND | O_NONBLOCK | O_DIRECT | O_NOATIME | 0o20000 /* O_ASYNC */;

export function sys_fcntl(t: Task): SyscallResult {
  const fd = t.argInt(0), cmd = t.argInt(1), arg = t.argInt(2);
  const f = t.fds.get(fd);
  if (!f) return -Errno.EBADF;
  switch (cmd) {
    case F_DUPFD: case F_DUPFD_CLOEXEC:
      if (arg < 0 || arg >= t.fds.limit) return -Errno.EINVAL;
      return t.fds.add(f, cmd === F_DUPFD_CLOEXEC, arg);
    case F_GETFD: return t.fds.getCloexec(fd) ? FD_CLOEXEC : 0;
    case F_SETFD: t.fds.setCloexec(fd, (arg & FD_CLOEXEC) !== 0); return 0;
    case F_GETFL: return f.flags & ~O_CLOEXEC;
    case F_SETFL: f.flags = (f.flags & ~SETFL_MASK) | (arg & SETFL_MASK); return 0;
    default: return -Errno.EINVAL;
  }
}

export function sys_dup(t: Task): SyscallResult {
  const f = t.fds.get(t.argInt(0));
  return f ? t.fds.add(f) : -Errno.EBADF;
}

function dupTo(t: Task, oldfd: number, newfd: number, cloexec: boolean): number {
  const f: FileDescription | undefined = t.fds.get(oldfd);
  if (!f) return -Errno.EBADF;
  if (newfd < 0 || newfd >= t.fds.limit) return -Errno.EBADF;
  t.fds.install(newfd, f, cloexec);
  return newfd;
}

export function sys_dup2(t: Task): SyscallResult {
  const oldfd = t.argInt(0), newfd = t.argInt(1);
  if (oldfd === newfd) return t.fds.get(oldfd) ? newfd : -Errno.EBADF;
  return dupTo(t, oldfd, newfd, false);
}

export function sys_dup3(t: Task): SyscallResult {
  const oldfd = t.argInt(0), newfd = t.argInt(1), flags = t.argInt(2);
  if (flags & ~O_CLOEXEC) return -Errno.EINVAL;
  if (oldfd === newfd) return -Errno.EINVAL;
  return dupTo(t, oldfd, newfd, (flags & O_CLOEXEC) !== 0);
}

