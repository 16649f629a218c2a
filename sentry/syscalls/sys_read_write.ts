// read, write, readv, writev, pread64, pwrite64, preadv, pwritev, preadv2, pwritev2, lseek, ioctl
// (gVisor sys_read_write.go).

import { Errno } from '../abi/errno.js';
import type { Kernel } from '../kernel/kernel.js';
import type { Task } from '../kernel/task.js';
import type { FileDescription, IoctlIo } from '../vfs/file.js';
import { accessModeReads, accessModeWrites, InodeFile, SEEK_CUR } from '../vfs/inode_file.js';
import type { SyscallResult } from './handler.js';
import { copyIn, readIovecs } from './memory_io.js';

/** Linux caps one read or write at MAX_RW_COUNT (INT_MAX rounded down to a page). */
const MAX_RW_COUNT = 0x7ffff000;
/** The Sentry reads at most this much per call into its own buffer (a short read is legal). */
const CHUNK = 16 << 20;
const IOV_MAX = 1024;

function readable(f: FileDescription): boolean { return accessModeReads(f.flags); }
function writable(f: FileDescription): boolean { return accessModeWrites(f.flags); }

/** Reads into the guest buffer at `addr`; offset < 0 means the file offset. */
function readInto(t: Task, f: FileDescription, addr: number, count: number, offset: number): SyscallResult {
  if (!readable(f)) return -Errno.EBADF;
  const n = Math.min(count, MAX_RW_COUNT, CHUNK);
  if (n === 0) return f.location?.dentry.inode.isDir ? -Errno.EISDIR : 0; // a directory refuses even 0 bytes
  if (!t.mm.checkRange(addr, n, true)) return readIntoBadBuffer(f, offset);
  const buf = new Uint8Array(n);
  const finish = (got: number): number => {
    if (got > 0 && !t.mm.copyOut(addr, buf.subarray(0, got))) return -Errno.EFAULT;
    return got;
  };
  const r = f.read(buf, offset);
  return typeof r === 'number' ? finish(r) : r.then(finish);
}

/**
 * A read into a buffer the guest cannot write: Linux faults only when it has something to copy,
 * so at the end of the file the answer is 0, and a directory's EISDIR comes first. One byte is
 * read to find out, at the offset, which does not move.
 */
async function readIntoBadBuffer(f: FileDescription, offset: number): Promise<number> {
  const at = offset >= 0 ? offset : await f.seek(0, SEEK_CUR);
  if (at < 0) return -Errno.EFAULT; // a stream: whatever it holds would fault
  const got = await f.read(new Uint8Array(1), at);
  return got < 0 ? got : got === 0 ? 0 : -Errno.EFAULT;
}

/** Writes from guest memory; `append` overrides O_APPEND for one call (pwritev2's RWF_APPEND, RWF_NOAPPEND). */
function writeFrom(t: Task, f: FileDescription, addr: number, count: number, offset: number, append?: boolean): SyscallResult {
  if (!writable(f)) return -Errno.EBADF;
  const n = Math.min(count, MAX_RW_COUNT);
  if (n === 0) return 0;
  const data = copyIn(t, addr, n);
  if (!data) return -Errno.EFAULT;
  // Only the VFS's own description appends; devices and streams have no end to append at.
  return append !== undefined && f instanceof InodeFile ? f.write(data, offset, append) : f.write(data, offset);
}

export function sys_read(t: Task): SyscallResult {
  const fd = t.argInt(0), addr = t.arg(1), count = t.arg(2);
  const f = t.fds.get(fd);
  if (!f) return -Errno.EBADF;
  return readInto(t, f, addr, count, -1);
}

export function sys_write(t: Task): SyscallResult {
  const fd = t.argInt(0), addr = t.arg(1), count = t.arg(2);
  const f = t.fds.get(fd);
  if (!f) return -Errno.EBADF;
  return writeFrom(t, f, addr, count, -1);
}

/** pread64 and pwrite64 check the offset before the fd, as Linux. */
export function sys_pread64(t: Task): SyscallResult {
  const fd = t.argInt(0), addr = t.arg(1), count = t.arg(2), offset = t.argSigned(3);
  if (offset < 0) return -Errno.EINVAL;
  const f = t.fds.get(fd);
  if (!f) return -Errno.EBADF;
  return readInto(t, f, addr, count, offset);
}

export function sys_pwrite64(t: Task): SyscallResult {
  const fd = t.argInt(0), addr = t.arg(1), count = t.arg(2), offset = t.argSigned(3);
  if (offset < 0) return -Errno.EINVAL;
  const f = t.fds.get(fd);
  if (!f) return -Errno.EBADF;
  return writeFrom(t, f, addr, count, offset);
}

const RWF_HIPRI = 1, RWF_DSYNC = 2, RWF_SYNC = 4, RWF_NOWAIT = 8, RWF_APPEND = 0x10, RWF_NOAPPEND = 0x20,
  RWF_ATOMIC = 0x40, RWF_DONTCACHE = 0x80;
const RWF_SUPPORTED = RWF_HIPRI | RWF_DSYNC | RWF_SYNC | RWF_NOWAIT | RWF_APPEND | RWF_NOAPPEND | RWF_ATOMIC | RWF_DONTCACHE;

/**
 * preadv2/pwritev2 flags as Linux's kiocb_set_rw_flags answers them for a tmpfs file: the sync
 * flags are free (nothing is buffered) and HIPRI is a hint; NOWAIT, ATOMIC and DONTCACHE need
 * support tmpfs does not have (EOPNOTSUPP). Returns whether the write appends (undefined: as
 * O_APPEND says), or -errno.
 */
function rwfAppend(rwf: number): boolean | undefined | number {
  if (rwf & ~RWF_SUPPORTED) return -Errno.EOPNOTSUPP;
  if ((rwf & RWF_APPEND) && (rwf & RWF_NOAPPEND)) return -Errno.EINVAL;
  if (rwf & (RWF_NOWAIT | RWF_ATOMIC | RWF_DONTCACHE)) return -Errno.EOPNOTSUPP;
  if (rwf & RWF_APPEND) return true;
  if (rwf & RWF_NOAPPEND) return false;
  return undefined;
}

/**
 * readv/writev and the p- forms: one iovec after another, stopping at the first short transfer.
 * `offset` < 0 uses (and advances) the file offset; otherwise the transfer starts there.
 */
async function vectored(t: Task, write: boolean, offset = -1, rwf = 0): Promise<number> {
  const fd = t.argInt(0), iovAddr = t.arg(1), iovcnt = t.argInt(2);
  const f = t.fds.get(fd);
  if (!f) return -Errno.EBADF;
  if (!(write ? writable(f) : readable(f))) return -Errno.EBADF;
  if (iovcnt < 0 || iovcnt > IOV_MAX) return -Errno.EINVAL;
  const iovs = readIovecs(t, iovAddr, iovcnt);
  if (!iovs) return -Errno.EFAULT;
  if (iovs.some(([, len]) => len >= 2 ** 63)) return -Errno.EINVAL; // a length negative as ssize_t
  if (iovs.every(([, len]) => len === 0)) return 0; // nothing to move: not even the flags are looked at
  const append = rwfAppend(rwf);
  if (typeof append === 'number') return append;
  let total = 0;
  for (const [base, len] of iovs) {
    if (len === 0) continue;
    // With a given offset each iovec follows the last; an append lands at the end anyway.
    const at = offset < 0 ? -1 : offset + total;
    const r = await (write ? writeFrom(t, f, base, len, at, append) : readInto(t, f, base, len, at));
    if (r < 0) return total > 0 ? total : r;
    total += r;
    if (r < len) break;
  }
  return total;
}

export function sys_readv(t: Task): SyscallResult { return vectored(t, false); }
export function sys_writev(t: Task): SyscallResult { return vectored(t, true); }

/** preadv/pwritev: the offset is one 64-bit argument on x86-64 (pos_h is ignored). */
function positioned(t: Task, write: boolean): SyscallResult {
  const offset = t.argSigned(3);
  if (offset < 0) return -Errno.EINVAL;
  return vectored(t, write, offset);
}
export function sys_preadv(t: Task): SyscallResult { return positioned(t, false); }
export function sys_pwritev(t: Task): SyscallResult { return positioned(t, true); }

/** preadv2/pwritev2: offset -1 means the file offset (checked before the fd, as Linux). */
function positioned2(t: Task, write: boolean): SyscallResult {
  const offset = t.argSigned(3), flags = t.argInt(5);
  if (offset < -1) return -Errno.EINVAL;
  return vectored(t, write, offset, flags);
}
export function sys_preadv2(t: Task): SyscallResult { return positioned2(t, false); }
export function sys_pwritev2(t: Task): SyscallResult { return positioned2(t, true); }

export function sys_lseek(t: Task): SyscallResult {
  const fd = t.argInt(0), offset = t.argSigned(1), whence = t.argInt(2);
  const f = t.fds.get(fd);
  if (!f) return -Errno.EBADF;
  return f.seek(offset, whence);
}

export function sys_ioctl(t: Task, _k: Kernel): SyscallResult {
  const fd = t.argInt(0), cmd = t.argLo(1) >>> 0, arg = t.arg(2);
  const f = t.fds.get(fd);
  if (!f) return -Errno.EBADF;
  const io: IoctlIo = { copyOut: (a, d) => t.mm.copyOut(a, d), copyIn: (a, o) => t.mm.copyIn(a, o) };
  return f.ioctl(cmd, arg, io);
}
