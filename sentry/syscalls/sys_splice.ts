// Copying between files inside the kernel (gVisor sys_splice.go): sendfile and copy_file_range
// between files; splice, tee and vmsplice through pipes (sentry/kernel/pipe.ts).

import { Errno } from '../abi/errno.js';
import { getI64 } from '../abi/bytes.js';
import { PipeFile } from '../kernel/pipe.js';
import { ERESTARTSYS } from '../kernel/signals.js';
import type { Task } from '../kernel/task.js';
import { O_APPEND, O_NONBLOCK, O_PATH, type FileDescription } from '../vfs/file.js';
import { accessModeReads, accessModeWrites } from '../vfs/inode_file.js';
import { S_IFDIR, S_IFMT, S_IFREG } from '../vfs/stat.js';
import { copyIn, copyOut, readIovecs, u64Bytes } from './memory_io.js';

const CHUNK = 1 << 20;
const MAX_RW_COUNT = 0x7ffff000;

const canRead = (f: FileDescription) => accessModeReads(f.flags);
const canWrite = (f: FileDescription) => accessModeWrites(f.flags);

/** An optional loff_t argument: null when the pointer is null, -errno on a bad one. */
function offsetArg(t: Task, addr: number): number | null {
  if (addr === 0) return null;
  const b = copyIn(t, addr, 8);
  if (!b) return -Errno.EFAULT;
  const v = getI64(new DataView(b.buffer), 0);
  return v < 0 ? -Errno.EINVAL : v;
}

/** Moves up to `count` bytes from `src` (at `from`, or its offset when null) to `dst` (likewise). */
async function pump(src: FileDescription, from: number | null, dst: FileDescription, to: number | null, count: number): Promise<[number, number]> {
  const buf = new Uint8Array(Math.min(CHUNK, Math.max(count, 1)));
  let done = 0;
  while (done < count) {
    const want = Math.min(buf.length, count - done);
    const n = await src.read(buf.subarray(0, want), from === null ? -1 : from + done);
    if (n < 0) return [done, n];
    if (n === 0) break;
    const w = await dst.write(buf.subarray(0, n), to === null ? -1 : to + done);
    if (w < 0) return [done, w];
    done += w;
    if (w < n) break;
  }
  return [done, 0];
}

export async function sys_sendfile(t: Task): Promise<number> {
  const outFd = t.argInt(0), inFd = t.argInt(1), offAddr = t.arg(2), count = Math.min(t.arg(3), MAX_RW_COUNT);
  const out = t.fds.get(outFd), src = t.fds.get(inFd);
  if (!out || !src || !canRead(src) || !canWrite(out)) return -Errno.EBADF;
  if (out.flags & O_APPEND) return -Errno.EINVAL;
  const st = await src.stat();
  if (typeof st === 'number') return st;
  if ((st.mode & S_IFMT) === S_IFDIR) return -Errno.EINVAL;
  const from = offsetArg(t, offAddr);
  if (from !== null && from < 0) return from;
  const [done, err] = await pump(src, from, out, null, count);
  if (from !== null && !copyOut(t, offAddr, u64Bytes([from + done]))) return -Errno.EFAULT;
  return done > 0 ? done : err;
}

/** A loff_t argument as it is, negative values included: null for a null pointer, undefined on EFAULT. */
function rawOffsetArg(t: Task, addr: number): number | null | undefined {
  if (addr === 0) return null;
  const b = copyIn(t, addr, 8);
  return b ? getI64(new DataView(b.buffer), 0) : undefined;
}

/** copy_file_range, with the checks in Linux's order (vfs_copy_file_range, generic_copy_file_checks). */
export async function sys_copy_file_range(t: Task): Promise<number> {
  const inFd = t.argInt(0), inOffAddr = t.arg(1), outFd = t.argInt(2), outOffAddr = t.arg(3);
  const len = Math.min(t.arg(4), MAX_RW_COUNT), flags = t.argInt(5);
  const src = t.fds.get(inFd), dst = t.fds.get(outFd);
  if (!src || !dst || (src.flags & O_PATH) || (dst.flags & O_PATH)) return -Errno.EBADF;
  const from = rawOffsetArg(t, inOffAddr), to = rawOffsetArg(t, outOffAddr);
  if (from === undefined || to === undefined) return -Errno.EFAULT;
  if (flags !== 0) return -Errno.EINVAL;
  const [sst, dstat] = [await src.stat(), await dst.stat()];
  if (typeof sst === 'number') return sst;
  if (typeof dstat === 'number') return dstat;
  if ((sst.mode & S_IFMT) === S_IFDIR || (dstat.mode & S_IFMT) === S_IFDIR) return -Errno.EISDIR;
  if ((sst.mode & S_IFMT) !== S_IFREG || (dstat.mode & S_IFMT) !== S_IFREG) return -Errno.EINVAL;
  if (!canRead(src) || !canWrite(dst) || (dst.flags & O_APPEND)) return -Errno.EBADF;
  const a = from ?? (await src.seek(0, 1)), b = to ?? (await dst.seek(0, 1));
  // Linux adds the count to the offsets as unsigned 64-bit numbers: a negative one may wrap.
  if ((a < 0 && a + len >= 0) || (b < 0 && b + len >= 0)) return -Errno.EOVERFLOW;
  const count = a >= sst.size ? 0 : Math.min(len, sst.size - a); // cut short at the end of the source
  // The same file: overlapping ranges are refused.
  if (sst.dev === dstat.dev && sst.ino === dstat.ino && b + count > a && b < a + count) return -Errno.EINVAL;
  if (a < 0 || b < 0) return -Errno.EINVAL;
  if (count === 0) return 0;
  const [done, err] = await pump(src, from, dst, to, count);
  if (from !== null && !copyOut(t, inOffAddr, u64Bytes([from + done]))) return -Errno.EFAULT;
  if (to !== null && !copyOut(t, outOffAddr, u64Bytes([to + done]))) return -Errno.EFAULT;
  return done > 0 ? done : err;
}

// --- splice, tee, vmsplice: moving data through pipes ------------------------------------------

const SPLICE_F_NONBLOCK = 2, SPLICE_FLAGS = 0xf;
const IOV_MAX = 1024;

function asPipe(f: FileDescription): PipeFile | null { return f instanceof PipeFile ? f : null; }

/** splice: up to `len` bytes from a pipe to a file, a file to a pipe, or a pipe to a pipe. */
export async function sys_splice(t: Task): Promise<number> {
  const inFd = t.argInt(0), offInAddr = t.arg(1), outFd = t.argInt(2), offOutAddr = t.arg(3);
  const len = Math.min(t.arg(4), MAX_RW_COUNT), flags = t.argInt(5);
  const src = t.fds.get(inFd), dst = t.fds.get(outFd);
  if (!src || !dst || !canRead(src) || !canWrite(dst)) return -Errno.EBADF;
  if (flags & ~SPLICE_FLAGS) return -Errno.EINVAL;
  const inPipe = asPipe(src), outPipe = asPipe(dst);
  if (!inPipe && !outPipe) return -Errno.EINVAL;
  if ((inPipe && offInAddr !== 0) || (outPipe && offOutAddr !== 0)) return -Errno.ESPIPE;
  if (inPipe && outPipe && inPipe.pipe === outPipe.pipe) return -Errno.EINVAL;
  if (dst.flags & O_APPEND) return -Errno.EINVAL;
  const from = offsetArg(t, offInAddr), to = offsetArg(t, offOutAddr);
  if (from !== null && from < 0) return from;
  if (to !== null && to < 0) return to;
  if (len === 0) return 0;
  if (flags & SPLICE_F_NONBLOCK) {
    if (inPipe && inPipe.pipe.length === 0) return inPipe.pipe.writers === 0 ? 0 : -Errno.EAGAIN;
    if (outPipe && outPipe.pipe.length === outPipe.pipe.capacity) return -Errno.EAGAIN;
  }
  // One transfer of what is there: a pipe's contents, or a pipe's worth of the file.
  const buf = new Uint8Array(Math.min(len, outPipe ? outPipe.pipe.capacity : CHUNK));
  const n = await src.read(buf, from ?? -1);
  if (n <= 0) return n;
  const w = await dst.write(buf.subarray(0, n), to ?? -1);
  if (w < 0) return w;
  if (from !== null && !copyOut(t, offInAddr, u64Bytes([from + n]))) return -Errno.EFAULT;
  if (to !== null && !copyOut(t, offOutAddr, u64Bytes([to + w]))) return -Errno.EFAULT;
  return w;
}

/** tee: copies up to `len` bytes from one pipe to another without consuming them. */
export async function sys_tee(t: Task): Promise<number> {
  const src = t.fds.get(t.argInt(0)), dst = t.fds.get(t.argInt(1));
  const len = Math.min(t.arg(2), MAX_RW_COUNT), flags = t.argInt(3);
  if (!src || !dst || !canRead(src) || !canWrite(dst)) return -Errno.EBADF;
  const inPipe = asPipe(src), outPipe = asPipe(dst);
  if (!inPipe || !outPipe || inPipe.pipe === outPipe.pipe || (flags & ~SPLICE_FLAGS)) return -Errno.EINVAL;
  if (len === 0) return 0;
  const nonblock = (flags & SPLICE_F_NONBLOCK) !== 0 || (src.flags & O_NONBLOCK) !== 0;
  const a = inPipe.pipe, b = outPipe.pipe;
  for (;;) {
    if (b.readers === 0) return -Errno.EPIPE;
    const n = Math.min(len, a.length, b.capacity - b.length);
    if (n > 0) {
      const bytes = new Uint8Array(n);
      a.take(bytes, true);
      b.put(bytes);
      b.changed.notifyAll();
      return n;
    }
    if (a.length === 0 && a.writers === 0) return 0;
    if (nonblock) return -Errno.EAGAIN;
    if (!(await (a.length === 0 ? a : b).changed.wait(t))) return -ERESTARTSYS;
  }
}

/** vmsplice: guest memory into a pipe (its write end), or out of it (its read end). */
export async function sys_vmsplice(t: Task): Promise<number> {
  const f = t.fds.get(t.argInt(0)), iovAddr = t.arg(1), count = t.arg(2), flags = t.argInt(3);
  if (!f) return -Errno.EBADF;
  const pipe = asPipe(f);
  if (!pipe) return -Errno.EBADF;
  if (flags & ~SPLICE_FLAGS) return -Errno.EINVAL;
  if (count > IOV_MAX) return -Errno.EINVAL;
  const iov = readIovecs(t, iovAddr, count);
  if (!iov) return -Errno.EFAULT;
  const total = Math.min(iov.reduce((n, [, l]) => n + l, 0), MAX_RW_COUNT);
  if (canWrite(f)) {
    const data = new Uint8Array(total);
    let at = 0;
    for (const [base, l] of iov) {
      const part = copyIn(t, base, Math.min(l, total - at));
      if (!part) return -Errno.EFAULT;
      data.set(part, at);
      at += part.length;
    }
    return f.write(data, -1);
  }
  const data = new Uint8Array(total);
  const n = await f.read(data, -1);
  if (n <= 0) return n;
  let at = 0;
  for (const [base, l] of iov) {
    if (at >= n) break;
    const part = Math.min(l, n - at);
    if (!copyOut(t, base, data.subarray(at, at + part))) return at > 0 ? at : -Errno.EFAULT;
    at += part;
  }
  return n;
}
