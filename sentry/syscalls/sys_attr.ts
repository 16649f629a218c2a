// The calls that change attributes and contents of files by path or fd: chmod, chown, the utime
// family, truncate, ftruncate, fallocate and the fsync family (gVisor sys_stat.go, sys_file.go).

import { Errno } from '../abi/errno.js';
import { getI64 } from '../abi/bytes.js';
import type { Task } from '../kernel/task.js';
import type { Location } from '../vfs/dentry.js';
import { O_PATH } from '../vfs/file.js';
import { accessModeWrites } from '../vfs/inode_file.js';
import type { TimeSpec } from '../vfs/inode.js';
import { AT_EMPTY_PATH, AT_FDCWD, AT_SYMLINK_NOFOLLOW } from '../vfs/path.js';
import { S_IFDIR, S_IFMT, S_IFREG } from '../vfs/stat.js';
import { chmodLoc, chownLoc, lookupAt, targetAt, truncateLoc, utimesLoc, type Caller } from '../vfs/vfs.js';
import type { SyscallResult } from './handler.js';
import { copyIn } from './memory_io.js';
import { callerOf, pathArg } from './vfs_caller.js';

/** The location of a path argument (followed unless AT_SYMLINK_NOFOLLOW; AT_EMPTY_PATH: the fd). */
async function at(t: Task, c: Caller, dirfd: number, pathAddr: number, flags: number): Promise<Location | number> {
  const path = pathArg(t, pathAddr);
  if (typeof path === 'number') return path;
  if (path === '' && !(flags & AT_EMPTY_PATH)) return -Errno.ENOENT;
  return targetAt(c, dirfd, path, flags);
}

/** The location of an fd for f*() calls: EBADF for a bad or O_PATH fd. */
function fdLoc(t: Task, fd: number): Location | number {
  const f = t.fds.get(fd);
  if (!f || (f.flags & O_PATH)) return -Errno.EBADF;
  return f.location ?? -Errno.EINVAL; // pipes and sockets carry no attributes we keep yet
}

// --- chmod, chown ----------------------------------------------------------------------------

export async function sys_chmod(t: Task): Promise<number> {
  const c = callerOf(t);
  const loc = await at(t, c, AT_FDCWD, t.arg(0), 0);
  return typeof loc === 'number' ? loc : chmodLoc(c, loc, t.argInt(1));
}
export async function sys_fchmod(t: Task): Promise<number> {
  const loc = fdLoc(t, t.argInt(0));
  return typeof loc === 'number' ? loc : chmodLoc(callerOf(t), loc, t.argInt(1));
}
export async function sys_fchmodat(t: Task): Promise<number> {
  const c = callerOf(t);
  const loc = await at(t, c, t.argInt(0), t.arg(1), 0);
  return typeof loc === 'number' ? loc : chmodLoc(c, loc, t.argInt(2));
}

async function chownAt(t: Task, dirfd: number, pathAddr: number, uid: number, gid: number, flags: number): Promise<number> {
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -Errno.EINVAL;
  const c = callerOf(t);
  const loc = await at(t, c, dirfd, pathAddr, flags);
  return typeof loc === 'number' ? loc : chownLoc(c, loc, uid >>> 0, gid >>> 0);
}
export function sys_chown(t: Task): SyscallResult { return chownAt(t, AT_FDCWD, t.arg(0), t.argInt(1), t.argInt(2), 0); }
export function sys_lchown(t: Task): SyscallResult { return chownAt(t, AT_FDCWD, t.arg(0), t.argInt(1), t.argInt(2), AT_SYMLINK_NOFOLLOW); }
export function sys_fchownat(t: Task): SyscallResult { return chownAt(t, t.argInt(0), t.arg(1), t.argInt(2), t.argInt(3), t.argInt(4)); }
export async function sys_fchown(t: Task): Promise<number> {
  const loc = fdLoc(t, t.argInt(0));
  return typeof loc === 'number' ? loc : chownLoc(callerOf(t), loc, t.argInt(1) >>> 0, t.argInt(2) >>> 0);
}

// --- timestamps ------------------------------------------------------------------------------

const UTIME_NOW = (1 << 30) - 1, UTIME_OMIT = (1 << 30) - 2;

/** Two timestamps from guest memory: 16-byte timespecs, or 16-byte timevals (usec). */
function readTimes(t: Task, addr: number, micro: boolean): [TimeSpec | null, TimeSpec | null, boolean] | number {
  const b = copyIn(t, addr, 32);
  if (!b) return -Errno.EFAULT;
  const dv = new DataView(b.buffer);
  const out: (TimeSpec | null)[] = [];
  let explicit = false;
  for (const off of [0, 16]) {
    const sec = getI64(dv, off), frac = getI64(dv, off + 8);
    if (!micro && frac === UTIME_OMIT) { out.push(null); continue; }
    if (!micro && frac === UTIME_NOW) { out.push('now'); continue; }
    const nsec = micro ? frac * 1000 : frac;
    if (frac < 0 || nsec >= 1e9) return -Errno.EINVAL;
    out.push({ sec, nsec });
    explicit = true;
  }
  return [out[0], out[1], explicit];
}

async function setTimes(t: Task, c: Caller, loc: Location | number, timesAddr: number, micro: boolean): Promise<number> {
  if (typeof loc === 'number') return loc;
  if (timesAddr === 0) return utimesLoc(c, loc, 'now', 'now', false);
  const times = readTimes(t, timesAddr, micro);
  if (typeof times === 'number') return times;
  return utimesLoc(c, loc, times[0], times[1], times[2]);
}

export async function sys_utimensat(t: Task): Promise<number> {
  const dirfd = t.argInt(0), pathAddr = t.arg(1), timesAddr = t.arg(2), flags = t.argInt(3);
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -Errno.EINVAL;
  const c = callerOf(t);
  // A null path (a glibc futimens) names the fd itself.
  const loc = pathAddr === 0 ? (dirfd === AT_FDCWD ? -Errno.EFAULT : fdLoc(t, dirfd)) : await at(t, c, dirfd, pathAddr, flags);
  return setTimes(t, c, loc, timesAddr, false);
}
export async function sys_futimesat(t: Task): Promise<number> {
  const c = callerOf(t);
  return setTimes(t, c, await at(t, c, t.argInt(0), t.arg(1), 0), t.arg(2), true);
}
export async function sys_utimes(t: Task): Promise<number> {
  const c = callerOf(t);
  return setTimes(t, c, await at(t, c, AT_FDCWD, t.arg(0), 0), t.arg(1), true);
}
/** utime: struct utimbuf { actime, modtime } in whole seconds. */
export async function sys_utime(t: Task): Promise<number> {
  const c = callerOf(t);
  const loc = await at(t, c, AT_FDCWD, t.arg(0), 0);
  if (typeof loc === 'number') return loc;
  if (t.arg(1) === 0) return utimesLoc(c, loc, 'now', 'now', false);
  const b = copyIn(t, t.arg(1), 16);
  if (!b) return -Errno.EFAULT;
  const dv = new DataView(b.buffer);
  return utimesLoc(c, loc, { sec: getI64(dv, 0), nsec: 0 }, { sec: getI64(dv, 8), nsec: 0 }, true);
}

// --- size and contents -----------------------------------------------------------------------

export async function sys_truncate(t: Task): Promise<number> {
  const path = pathArg(t, t.arg(0));
  if (typeof path === 'number') return path;
  const c = callerOf(t);
  const loc = await lookupAt(c, AT_FDCWD, path, true);
  return typeof loc === 'number' ? loc : truncateLoc(c, loc, t.argSigned(1));
}

/** ftruncate: a regular file open for writing (EINVAL otherwise, as Linux). */
export async function sys_ftruncate(t: Task): Promise<number> {
  const f = t.fds.get(t.argInt(0));
  if (!f || (f.flags & O_PATH)) return -Errno.EBADF;
  const size = t.argSigned(1);
  if (size < 0 || !f.location || !accessModeWrites(f.flags)) return -Errno.EINVAL;
  const st = await f.location.dentry.inode.stat();
  if (typeof st === 'number') return st;
  if ((st.mode & S_IFMT) !== S_IFREG) return -Errno.EINVAL;
  return f.location.dentry.inode.setattr({ size, mtime: 'now' }); // ftruncate always updates the times
}

const FALLOC_FL_KEEP_SIZE = 0x01, FALLOC_FL_PUNCH_HOLE = 0x02, FALLOC_FL_COLLAPSE_RANGE = 0x08, FALLOC_FL_ZERO_RANGE = 0x10,
  FALLOC_FL_INSERT_RANGE = 0x20, FALLOC_FL_UNSHARE_RANGE = 0x40, FALLOC_FL_WRITE_ZEROES = 0x80;
const FALLOC_FL_MODE_MASK = FALLOC_FL_PUNCH_HOLE | FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_ZERO_RANGE | FALLOC_FL_INSERT_RANGE |
  FALLOC_FL_UNSHARE_RANGE | FALLOC_FL_WRITE_ZEROES;

/** vfs_fallocate's checks of the arguments alone: one mode at most, KEEP_SIZE where it makes sense. */
function checkFallocMode(mode: number): number {
  if (mode & ~(FALLOC_FL_MODE_MASK | FALLOC_FL_KEEP_SIZE)) return -Errno.EOPNOTSUPP;
  switch (mode & FALLOC_FL_MODE_MASK) {
    case 0: case FALLOC_FL_UNSHARE_RANGE: case FALLOC_FL_ZERO_RANGE: return 0;
    case FALLOC_FL_PUNCH_HOLE: return mode & FALLOC_FL_KEEP_SIZE ? 0 : -Errno.EOPNOTSUPP;
    case FALLOC_FL_COLLAPSE_RANGE: case FALLOC_FL_INSERT_RANGE: case FALLOC_FL_WRITE_ZEROES:
      return mode & FALLOC_FL_KEEP_SIZE ? -Errno.EOPNOTSUPP : 0;
    default: return -Errno.EOPNOTSUPP; // two modes at once
  }
}

/** fallocate: Linux checks the arguments before the access mode (EINVAL before EBADF). */
export async function sys_fallocate(t: Task): Promise<number> {
  const f = t.fds.get(t.argInt(0));
  const mode = t.argInt(1), offset = t.argSigned(2), len = t.argSigned(3);
  if (!f || (f.flags & O_PATH)) return -Errno.EBADF;
  if (offset < 0 || len <= 0) return -Errno.EINVAL;
  const bad = checkFallocMode(mode);
  if (bad < 0) return bad;
  if (!accessModeWrites(f.flags)) return -Errno.EBADF;
  if (!f.location) return -Errno.ESPIPE;
  const st = await f.location.dentry.inode.stat();
  if (typeof st === 'number') return st;
  if ((st.mode & S_IFMT) === S_IFDIR) return -Errno.EISDIR;
  if ((st.mode & S_IFMT) !== S_IFREG) return -Errno.ENODEV;
  if (offset + len > Number.MAX_SAFE_INTEGER) return -Errno.EFBIG;
  if (f.location.mount.readOnly) return -Errno.EROFS;
  return f.location.dentry.inode.allocate(mode, offset, len);
}

async function syncFd(t: Task): Promise<number> {
  const f = t.fds.get(t.argInt(0));
  if (!f || (f.flags & O_PATH)) return -Errno.EBADF;
  if (!f.location) return -Errno.EINVAL; // pipes and sockets cannot be synced
  return f.location.dentry.inode.sync();
}
export function sys_fsync(t: Task): SyscallResult { return syncFd(t); }
export function sys_fdatasync(t: Task): SyscallResult { return syncFd(t); }
/** sync: the Sentry's filesystems hold nothing unwritten (tmpfs is memory; host files are read-only). */
export function sys_sync(): SyscallResult { return 0; }
export function sys_syncfs(t: Task): SyscallResult {
  const f = t.fds.get(t.argInt(0));
  return f && !(f.flags & O_PATH) ? 0 : -Errno.EBADF;
}
