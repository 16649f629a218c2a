// open, openat, creat, close, close_range, the stat family, getdents64, access, readlink,
// getcwd, chdir, fchdir, umask, statfs, fcntl, dup (gVisor sys_file.go, sys_stat.go,
// sys_getdents.go). Paths go through the VFS (sentry/vfs/vfs.ts) as the calling task.

import { Errno } from '../abi/errno.js';
import type { Kernel } from '../kernel/kernel.js';
import { PipeFile } from '../kernel/pipe.js';
import type { Task } from '../kernel/task.js';
import { pathOf } from '../vfs/dentry.js';
import {
  O_CLOEXEC, O_APPEND, O_NONBLOCK, O_DIRECT, O_NOATIME, O_CREAT, O_LARGEFILE, O_PATH, O_TRUNC, O_WRONLY, type FileDescription,
} from '../vfs/file.js';
import type { StatFs } from '../vfs/inode.js';
import { AT_EMPTY_PATH, AT_FDCWD, AT_SYMLINK_NOFOLLOW } from '../vfs/path.js';
import { isOwner } from '../vfs/permissions.js';
import { openSpecial, type SpecialHost } from '../vfs/special.js';
import { encodeStat, encodeStatx, type Stat } from '../vfs/stat.js';
import { accessAt, chdirTo, lookupAt, openAt, readlinkAt, statAt, statfsLoc, statWhere } from '../vfs/vfs.js';
import type { SyscallResult } from './handler.js';
import { copyOut } from './memory_io.js';
import { setU64 } from '../abi/bytes.js';
import { callerOf, pathArg, realCreds } from './vfs_caller.js';
import { fcntlLock, F_GETLK, F_SETLK, F_SETLKW, F_OFD_GETLK, F_OFD_SETLK, F_OFD_SETLKW } from './sys_lock.js';

const enc = new TextEncoder();

export function specialHost(k: Kernel): SpecialHost {
  return {
    randomBytes: (n) => k.host.randomBytes(n), logOnce: (key, line) => k.logOnce(key, line), pipes: k.pipeHost,
    controllingTerminal: (flags) => k.currentTask?.tg.ctty?.open(flags, '/dev/tty') ?? null,
  };
}

async function doOpen(t: Task, k: Kernel, dirfd: number, pathAddr: number, flags: number, mode: number): Promise<number> {
  const path = pathArg(t, pathAddr);
  if (typeof path === 'number') return path;
  if (!(flags & O_PATH)) flags |= O_LARGEFILE; // a 64-bit kernel forces it (force_o_largefile); F_GETFL shows it
  const f = await openAt(callerOf(t), dirfd, path, flags, mode, (loc, st, fl, root) => openSpecial(specialHost(k), loc, st, fl, root));
  if (typeof f === 'number') return f;
  return t.fds.add(f, (flags & O_CLOEXEC) !== 0);
}

export function sys_open(t: Task, k: Kernel): SyscallResult { return doOpen(t, k, AT_FDCWD, t.arg(0), t.argInt(1), t.argInt(2)); }
export function sys_openat(t: Task, k: Kernel): SyscallResult { return doOpen(t, k, t.argInt(0), t.arg(1), t.argInt(2), t.argInt(3)); }
export function sys_creat(t: Task, k: Kernel): SyscallResult { return doOpen(t, k, AT_FDCWD, t.arg(0), O_CREAT | O_WRONLY | O_TRUNC, t.argInt(1)); }

export function sys_close(t: Task): SyscallResult { return t.fds.close(t.argInt(0)); }

const CLOSE_RANGE_UNSHARE = 2, CLOSE_RANGE_CLOEXEC = 4;

/** close_range: the fd table is per process until clone exists, so UNSHARE has nothing to do. */
export function sys_close_range(t: Task): SyscallResult {
  const first = t.arg(0), last = t.arg(1), flags = t.argInt(2);
  if (flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC) || first > last) return -Errno.EINVAL;
  for (const fd of t.fds.fds()) {
    if (fd < first || fd > last) continue;
    if (flags & CLOSE_RANGE_CLOEXEC) t.fds.setCloexec(fd, true);
    else t.fds.close(fd);
  }
  return 0;
}

// --- stat ------------------------------------------------------------------------------------

/** The path of a stat call; since Linux 6.11 a null path with AT_EMPTY_PATH is the empty one. */
function statPath(t: Task, pathAddr: number, flags: number): string | number {
  if (pathAddr === 0 && (flags & AT_EMPTY_PATH)) return '';
  const path = pathArg(t, pathAddr);
  if (path === '' && !(flags & AT_EMPTY_PATH)) return -Errno.ENOENT;
  return path;
}

async function statArg(t: Task, dirfd: number, pathAddr: number, flags: number): Promise<Stat | number> {
  const path = statPath(t, pathAddr, flags);
  if (typeof path === 'number') return path;
  return statAt(callerOf(t), dirfd, path, flags);
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
export async function sys_stat(t: Task): Promise<number> {
  return putStat(t, t.arg(1), await statArg(t, AT_FDCWD, t.arg(0), 0), encodeStat);
}
export async function sys_lstat(t: Task): Promise<number> {
  return putStat(t, t.arg(1), await statArg(t, AT_FDCWD, t.arg(0), AT_SYMLINK_NOFOLLOW), encodeStat);
}
export async function sys_newfstatat(t: Task): Promise<number> {
  const flags = t.argInt(3);
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | 0x800)) return -Errno.EINVAL;
  return putStat(t, t.arg(2), await statArg(t, t.argInt(0), t.arg(1), flags), encodeStat);
}
const AT_STATX_FORCE_SYNC = 0x2000, AT_STATX_DONT_SYNC = 0x4000, AT_NO_AUTOMOUNT = 0x800;
const STATX_RESERVED = 0x80000000;
/** Filesystems with multigrain timestamps (Linux 6.13): statx leaves their mtime and ctime out
 *  unless asked for one of them. tmpfs and ext4 (the host's files) are; procfs and sysfs are not. */
const MULTIGRAIN_FS = new Set(['tmpfs', 'overlay', '9p']);

export async function sys_statx(t: Task): Promise<number> {
  const dirfd = t.argInt(0), pathAddr = t.arg(1), flags = t.argInt(2), mask = t.argLo(3) >>> 0, addr = t.arg(4);
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT | AT_STATX_FORCE_SYNC | AT_STATX_DONT_SYNC)) return -Errno.EINVAL;
  if ((flags & AT_STATX_FORCE_SYNC) && (flags & AT_STATX_DONT_SYNC)) return -Errno.EINVAL;
  if (mask & STATX_RESERVED) return -Errno.EINVAL;
  const path = statPath(t, pathAddr, flags);
  if (typeof path === 'number') return path;
  const r = await statWhere(callerOf(t), dirfd, path, flags);
  if (typeof r === 'number') return r;
  const multigrain = r.mount !== null && MULTIGRAIN_FS.has(r.mount.fs.type);
  return copyOut(t, addr, encodeStatx(r.st, mask, r.mount?.id ?? 0, multigrain)) ? 0 : -Errno.EFAULT;
}

/** struct statfs (x86-64, 120 bytes). */
function encodeStatfs(s: StatFs): Uint8Array {
  const b = new Uint8Array(120);
  const dv = new DataView(b.buffer);
  const words = [s.type, s.bsize, s.blocks, s.bfree, s.bavail, s.files, s.ffree, 0 /* fsid */, s.namelen, s.frsize, s.flags];
  words.forEach((w, k) => setU64(dv, k * 8, w));
  return b;
}

export async function sys_statfs(t: Task): Promise<number> {
  const path = pathArg(t, t.arg(0));
  if (typeof path === 'number') return path;
  const loc = await lookupAt(callerOf(t), AT_FDCWD, path, true);
  if (typeof loc === 'number') return loc;
  const s = await statfsLoc(loc);
  if (typeof s === 'number') return s;
  return copyOut(t, t.arg(1), encodeStatfs(s)) ? 0 : -Errno.EFAULT;
}

export async function sys_fstatfs(t: Task): Promise<number> {
  const f = t.fds.get(t.argInt(0));
  if (!f) return -Errno.EBADF;
  if (!f.location) return -Errno.ENOSYS; // pipes and sockets: pipefs and sockfs arrive with them
  const s = await statfsLoc(f.location);
  if (typeof s === 'number') return s;
  return copyOut(t, t.arg(1), encodeStatfs(s)) ? 0 : -Errno.EFAULT;
}

// --- directories -----------------------------------------------------------------------------

export async function sys_getdents64(t: Task): Promise<number> {
  const fd = t.argInt(0), addr = t.arg(1), count = t.argInt(2) >>> 0;
  const f = t.fds.get(fd);
  if (!f || (f.flags & O_PATH)) return -Errno.EBADF;
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
  if (t.fs.cwd.dentry.dead) return -Errno.ENOENT;
  const b = enc.encode(pathOf(t.fs.cwd, t.fs.root) + '\0');
  if (size < b.length) return -Errno.ERANGE;
  return copyOut(t, addr, b) ? b.length : -Errno.EFAULT;
}

export async function sys_chdir(t: Task): Promise<number> {
  const path = pathArg(t, t.arg(0));
  if (typeof path === 'number') return path;
  const c = callerOf(t);
  const loc = await lookupAt(c, AT_FDCWD, path, true);
  if (typeof loc === 'number') return loc;
  const r = await chdirTo(c, loc);
  if (typeof r === 'number') return r;
  t.fs.cwd = r;
  return 0;
}

export async function sys_fchdir(t: Task): Promise<number> {
  const f = t.fds.get(t.argInt(0));
  if (!f) return -Errno.EBADF;
  if (!f.location) return -Errno.ENOTDIR;
  const r = await chdirTo(callerOf(t), f.location);
  if (typeof r === 'number') return r;
  t.fs.cwd = r;
  return 0;
}

export function sys_umask(t: Task): SyscallResult {
  const old = t.fs.umask;
  t.fs.umask = t.argInt(0) & 0o777;
  return old;
}

// --- access and readlink ---------------------------------------------------------------------

const AT_EACCESS = 0x200;

async function doAccess(t: Task, dirfd: number, pathAddr: number, mode: number, flags: number): Promise<number> {
  if (mode & ~7) return -Errno.EINVAL;
  if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -Errno.EINVAL;
  const path = pathArg(t, pathAddr);
  if (typeof path === 'number') return path;
  if (path === '' && !(flags & AT_EMPTY_PATH)) return -Errno.ENOENT;
  return accessAt(callerOf(t), realCreds(t), dirfd, path, mode, flags);
}
export function sys_access(t: Task): SyscallResult { return doAccess(t, AT_FDCWD, t.arg(0), t.argInt(1), 0); }
export function sys_faccessat(t: Task): SyscallResult { return doAccess(t, t.argInt(0), t.arg(1), t.argInt(2), 0); }
export function sys_faccessat2(t: Task): SyscallResult { return doAccess(t, t.argInt(0), t.arg(1), t.argInt(2), t.argInt(3)); }

async function doReadlink(t: Task, dirfd: number, pathAddr: number, buf: number, size: number): Promise<number> {
  if (size <= 0 || size > 0x7fffffff) return -Errno.EINVAL;
  const path = pathArg(t, pathAddr);
  if (typeof path === 'number') return path;
  const target = await readlinkAt(callerOf(t), dirfd, path);
  if (typeof target === 'number') return target;
  const b = enc.encode(target).subarray(0, size);
  return copyOut(t, buf, b) ? b.length : -Errno.EFAULT;
}
export function sys_readlink(t: Task): SyscallResult { return doReadlink(t, AT_FDCWD, t.arg(0), t.arg(1), t.argInt(2)); }
export function sys_readlinkat(t: Task): SyscallResult { return doReadlink(t, t.argInt(0), t.arg(1), t.arg(2), t.argInt(3)); }

// --- fcntl and dup ---------------------------------------------------------------------------

const F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4, F_DUPFD_CLOEXEC = 1030;
const F_SETPIPE_SZ = 1031, F_GETPIPE_SZ = 1032;
const FD_CLOEXEC = 1;
const SETFL_MASK = O_APPEND | O_NONBLOCK | O_DIRECT | O_NOATIME | 0o20000 /* O_ASYNC */;

/** F_SETFL: only the SETFL_MASK flags change; turning O_NOATIME on needs ownership or CAP_FOWNER. */
function setfl(t: Task, f: FileDescription, arg: number): SyscallResult {
  const apply = (): number => { f.flags = (f.flags & ~SETFL_MASK) | (arg & SETFL_MASK); return 0; };
  if (!(arg & O_NOATIME) || (f.flags & O_NOATIME)) return apply();
  const check = (st: Stat | number): number => typeof st === 'number' ? st : isOwner(callerOf(t).creds, st) ? apply() : -Errno.EPERM;
  const st = f.stat();
  return st instanceof Promise ? st.then(check) : check(st);
}

export function sys_fcntl(t: Task): SyscallResult {
  const fd = t.argInt(0), cmd = t.argInt(1), arg = t.argInt(2);
  const f = t.fds.get(fd);
  if (!f) return -Errno.EBADF;
  // An O_PATH fd answers only these; any other command is EBADF (Linux check_fcntl_cmd).
  if ((f.flags & O_PATH) && cmd !== F_DUPFD && cmd !== F_DUPFD_CLOEXEC && cmd !== F_GETFD && cmd !== F_SETFD && cmd !== F_GETFL) {
    return -Errno.EBADF;
  }
  switch (cmd) {
    case F_DUPFD: case F_DUPFD_CLOEXEC:
      if (arg < 0 || arg >= t.fds.limit) return -Errno.EINVAL;
      return t.fds.add(f, cmd === F_DUPFD_CLOEXEC, arg);
    case F_GETFD: return t.fds.getCloexec(fd) ? FD_CLOEXEC : 0;
    case F_SETFD: t.fds.setCloexec(fd, (arg & FD_CLOEXEC) !== 0); return 0;
    case F_GETFL: return f.flags & ~O_CLOEXEC;
    case F_SETFL: return setfl(t, f, arg);
    case F_GETPIPE_SZ: return f instanceof PipeFile ? f.pipe.capacity : -Errno.EBADF;
    case F_SETPIPE_SZ: return f instanceof PipeFile ? f.pipe.resize(arg) : -Errno.EBADF;
    case F_GETLK: case F_SETLK: case F_SETLKW: case F_OFD_GETLK: case F_OFD_SETLK: case F_OFD_SETLKW:
      return fcntlLock(t, fd, f, cmd, t.arg(2));
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

