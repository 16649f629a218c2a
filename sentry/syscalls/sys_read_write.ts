// read, write, readv, writev, pread64, pwrite64, lseek, ioctl (gVisor sys_read_write.go).

import { Errno } from '../abi/errno.js';
import type { Kernel } from '../kernel/kernel.js';
import type { Task } from '../kernel/task.js';
import type { FileDescription, IoctlIo } from '../vfs/file.js';
import { O_ACCMODE, O_RDONLY, O_WRONLY } from '../vfs/file.js';
import type { SyscallResult } from './handler.js';
import { copyIn, readIovecs } from './memory_io.js';

/** Linux caps one read or write at MAX_RW_COUNT (INT_MAX rounded down to a page). */
const MAX_RW_COUNT = 0x7ffff000;
/** The Sentry reads at most this much per call into its own buffer (a short read is legal). */
const CHUNK = 16 << 20;
const IOV_MAX = 1024;

function readable(f: FileDescription): boolean { return (f.flags & O_ACCMODE) !== O_WRONLY; }
function writable(f: FileDescription): boolean { return (f.flags & O_ACCMODE) !== O_RDONLY; }

/** Reads into the guest buffer at `addr`; offset < 0 means the file offset. */
function readInto(t: Task, f: FileDescription, addr: number, count: number, offset: number): SyscallResult {
  if (!readable(f)) return -Errno.EBADF;
  const n = Math.min(count, MAX_RW_COUNT, CHUNK);
  if (n === 0) return 0;
  if (!t.mm.checkRange(addr, n, true)) return -Errno.EFAULT;
  const buf = new Uint8Array(n);
  const finish = (got: number): number => {
    if (got > 0 && !t.mm.copyOut(addr, buf.subarray(0, got))) return -Errno.EFAULT;
    return got;
  };
  const r = f.read(buf, offset);
  return typeof r === 'number' ? finish(r) : r.then(finish);
}

function writeFrom(t: Task, f: FileDescription, addr: number, count: number, offset: number): SyscallResult {
  if (!writable(f)) return -Errno.EBADF;
  const n = Math.min(count, MAX_RW_COUNT);
  if (n === 0) return 0;
  const data = copyIn(t, addr, n);
  if (!data) return -Errno.EFAULT;
  return f.write(data, offset);
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

export function sys_pread64(t: Task): SyscallResult {
  const fd = t.argInt(0), addr = t.arg(1), count = t.arg(2), offset = t.argSigned(3);
  const f = t.fds.get(fd);
  if (!f) return -Errno.EBADF;
  if (offset < 0) return -Errno.EINVAL;
  return readInto(t, f, addr, count, offset);
}

export function sys_pwrite64(t: Task): SyscallResult {
  const fd = t.argInt(0), addr = t.arg(1), count = t.arg(2), offset = t.argSigned(3);
  const f = t.fds.get(fd);
  if (!f) return -Errno.EBADF;
  if (offset < 0) return -Errno.EINVAL;
  return writeFrom(t, f, addr, count, offset);
}

/**
 * readv/writev and the p- forms: one iovec after another, stopping at the first short transfer.
 * `offset` < 0 uses (and advances) the file offset; otherwise the transfer starts there.
 */
async function vectored(t: Task, write: boolean, offset = -1): Promise<number> {
  const fd = t.argInt(0), iovAddr = t.arg(1), iovcnt = t.argInt(2);
  const f = t.fds.get(fd);
  if (!f) return -Errno.EBADF;
  if (iovcnt < 0 || iovcnt > IOV_MAX) return -Errno.EINVAL;
  const iovs = readIovecs(t, iovAddr, iovcnt);
  if (!iovs) return -Errno.EFAULT;
  let total = 0;
  for (const [base, len] of iovs) {
    if (len === 0) continue;
    const at = offset < 0 ? -1 : offset + total;
    const r = await (write ? writeFrom(t, f, base, len, at) : readInto(t, f, base, len, at));
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

const RWF_HIPRI = 1, RWF_DSYNC = 2, RWF_SYNC = 4, RWF_NOWAIT = 8, RWF_APPEND = 16;
const RWF_SUPPORTED = RWF_HIPRI | RWF_DSYNC | RWF_SYNC | RWF_NOWAIT | RWF_APPEND;

/** preadv2/pwritev2: offset -1 means the file offset. The sync flags are free (nothing is
 *  buffered), HIPRI is a hint; NOWAIT and APPEND are not supported yet (EOPNOTSUPP). */
function positioned2(t: Task, write: boolean): SyscallResult {
  const offset = t.argSigned(3), flags = t.argInt(5);
  if (flags & ~RWF_SUPPORTED) return -Errno.EOPNOTSUPP;
  if (flags & (RWF_NOWAIT | RWF_APPEND)) return -Errno.EOPNOTSUPP;
  if (offset < -1) return -Errno.EINVAL;
  return vectored(t, write, offset);
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
