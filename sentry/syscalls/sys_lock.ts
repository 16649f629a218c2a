// flock(2) and fcntl's lock commands (F_GETLK, F_SETLK, F_SETLKW and their F_OFD_ forms), as
// Linux's fs/locks.c: struct flock in and out of guest memory, its checks in Linux's order, then
// the lock tables of sentry/vfs/locks.ts.

import { Errno } from '../abi/errno.js';
import type { Kernel } from '../kernel/kernel.js';
import type { Task } from '../kernel/task.js';
import { O_ACCMODE, O_PATH, O_RDONLY, O_RDWR, O_WRONLY, type FileDescription } from '../vfs/file.js';
import { retain, releaseRef } from '../vfs/fd_table.js';
import { F_RDLCK, F_UNLCK, F_WRLCK, OFFSET_MAX, fileLocks, lockKey, type FileLock, type Waiting } from '../vfs/locks.js';
import type { SyscallResult } from './handler.js';
import { copyIn, copyOut } from './memory_io.js';

export const F_GETLK = 5, F_SETLK = 6, F_SETLKW = 7, F_OFD_GETLK = 36, F_OFD_SETLK = 37, F_OFD_SETLKW = 38;
const SEEK_SET = 0, SEEK_CUR = 1, SEEK_END = 2;
const LOCK_SH = 1, LOCK_EX = 2, LOCK_NB = 4, LOCK_UN = 8, LOCK_MAND = 32;

/** struct flock on x86-64: short l_type, short l_whence, (pad), off_t l_start, off_t l_len, pid_t l_pid, (pad). */
const FLOCK_SIZE = 32;
const L_TYPE = 0, L_WHENCE = 2, L_START = 8, L_LEN = 16, L_PID = 24;

const canRead = (f: FileDescription): boolean => { const a = f.flags & O_ACCMODE; return a === O_RDONLY || a === O_RDWR; };
const canWrite = (f: FileDescription): boolean => { const a = f.flags & O_ACCMODE; return a === O_WRONLY || a === O_RDWR; };
const waitingOf = (t: Task): Waiting => ({ proc: t.fds, task: t });

/** What l_whence counts from (the file offset or size), or null for a bad l_whence. */
function whenceBase(f: FileDescription, whence: number): number | Promise<number> | null {
  const nonNegative = (v: number) => Math.max(v, 0); // streams: -ESPIPE, but Linux's f_pos is 0
  switch (whence) {
    case SEEK_SET: return 0;
    case SEEK_CUR: {
      const pos = f.seek(0, SEEK_CUR);
      return pos instanceof Promise ? pos.then(nonNegative) : nonNegative(pos);
    }
    case SEEK_END: {
      const size = (st: Awaited<ReturnType<FileDescription['stat']>>) => typeof st === 'number' ? 0 : st.size;
      const st = f.stat();
      return st instanceof Promise ? st.then(size) : size(st);
    }
    default: return null;
  }
}

/** l_start and l_len from `base` to an inclusive range, as Linux's flock64_to_posix_lock. */
function toRange(base: bigint, lStart: bigint, lLen: bigint): { start: bigint; end: bigint } | number {
  if (lStart > OFFSET_MAX - base) return -Errno.EOVERFLOW;
  let start = base + lStart;
  if (start < 0n) return -Errno.EINVAL;
  let end: bigint;
  if (lLen > 0n) {
    if (lLen - 1n > OFFSET_MAX - start) return -Errno.EOVERFLOW;
    end = start + lLen - 1n;
  } else if (lLen < 0n) { // POSIX-2001: the bytes before l_start
    if (start + lLen < 0n) return -Errno.EINVAL;
    end = start - 1n;
    start += lLen;
  } else end = OFFSET_MAX;
  return { start, end };
}

/** fcntl(fd, F_GETLK/F_SETLK/F_SETLKW/F_OFD_GETLK/F_OFD_SETLK/F_OFD_SETLKW, addr); f is fd's description. */
export function fcntlLock(t: Task, fd: number, f: FileDescription, cmd: number, addr: number): SyscallResult {
  if (f.flags & O_PATH) return -Errno.EBADF;
  const raw = copyIn(t, addr, FLOCK_SIZE);
  if (!raw) return -Errno.EFAULT;
  const dv = new DataView(raw.buffer);
  const type = dv.getInt16(L_TYPE, true), whence = dv.getInt16(L_WHENCE, true);
  const isGet = cmd === F_GETLK || cmd === F_OFD_GETLK;
  // F_GETLK asks about a lock to take; only F_OFD_GETLK may ask about F_UNLCK (its own locks).
  if (isGet && cmd !== F_OFD_GETLK && type !== F_RDLCK && type !== F_WRLCK) return -Errno.EINVAL;
  const base = whenceBase(f, whence);
  if (base === null) return -Errno.EINVAL;
  const go = (b: number): SyscallResult => {
    const range = toRange(BigInt(b), dv.getBigInt64(L_START, true), dv.getBigInt64(L_LEN, true));
    if (typeof range === 'number') return range;
    if (type !== F_RDLCK && type !== F_WRLCK && type !== F_UNLCK) return -Errno.EINVAL;
    const ofd = cmd === F_OFD_GETLK || cmd === F_OFD_SETLK || cmd === F_OFD_SETLKW;
    const req: FileLock = { type, ...range, owner: ofd ? f : t.fds, ofd, pid: t.tg.pid };
    if (isGet) {
      if (ofd && dv.getInt32(L_PID, true) !== 0) return -Errno.EINVAL;
      return getLock(t, addr, raw, req, f);
    }
    if ((type === F_RDLCK && !canRead(f)) || (type === F_WRLCK && !canWrite(f))) return -Errno.EBADF;
    if (ofd && dv.getInt32(L_PID, true) !== 0) return -Errno.EINVAL;
    return setLock(t, fd, f, req, cmd === F_SETLKW || cmd === F_OFD_SETLKW);
  };
  return base instanceof Promise ? base.then(go) : go(base);
}

/** F_GETLK: the first conflicting lock, or l_type F_UNLCK with the other fields as they came. */
function getLock(t: Task, addr: number, raw: Uint8Array, req: FileLock, f: FileDescription): number {
  const hit = fileLocks.testPosix(lockKey(f), req);
  const dv = new DataView(raw.buffer);
  if (hit) {
    dv.setInt16(L_TYPE, hit.type, true);
    dv.setInt16(L_WHENCE, SEEK_SET, true);
    dv.setBigInt64(L_START, hit.start, true);
    dv.setBigInt64(L_LEN, hit.end === OFFSET_MAX ? 0n : hit.end - hit.start + 1n, true);
    dv.setInt32(L_PID, hit.ofd ? -1 : hit.pid, true);
  } else dv.setInt16(L_TYPE, F_UNLCK, true);
  return copyOut(t, addr, raw) ? 0 : -Errno.EFAULT;
}

function setLock(t: Task, fd: number, f: FileDescription, req: FileLock, wait: boolean): SyscallResult {
  const key = lockKey(f);
  // As Linux: a POSIX lock taken while another thread closed the fd would outlive that close.
  const checkClosed = (r: number): number => {
    if (r !== 0 || req.type === F_UNLCK || req.ofd || t.fds.get(fd) === f) return r;
    void fileLocks.setPosix(key, { ...req, type: F_UNLCK });
    return -Errno.EBADF;
  };
  const r = fileLocks.setPosix(key, req, wait ? waitingOf(t) : null);
  if (typeof r === 'number') return checkClosed(r);
  retain(f); // the description outlives a close of its fd while we wait, as Linux's file reference
  return r.then((v) => { releaseRef(f); return checkClosed(v); });
}

/** flock(fd, operation): LOCK_SH, LOCK_EX or LOCK_UN, with LOCK_NB not to wait. */
export function sys_flock(t: Task, k: Kernel): SyscallResult {
  const fd = t.argInt(0), op = t.argInt(1);
  if (op & LOCK_MAND) { // Linux 5.17+ ignores these (they never worked) and warns
    k.logOnce('flock-lock-mand', 'warning: flock with LOCK_MAND is ignored, as Linux does');
    return 0;
  }
  const cmd = op & ~LOCK_NB;
  const type = cmd === LOCK_SH ? F_RDLCK : cmd === LOCK_EX ? F_WRLCK : cmd === LOCK_UN ? F_UNLCK : -1;
  if (type < 0) return -Errno.EINVAL;
  const f = t.fds.get(fd);
  if (!f || (f.flags & O_PATH)) return -Errno.EBADF;
  if (type !== F_UNLCK && !canRead(f) && !canWrite(f)) return -Errno.EBADF;
  const r = fileLocks.flock(lockKey(f), f, type, t.tg.pid, op & LOCK_NB ? null : waitingOf(t));
  if (typeof r === 'number') return r;
  retain(f);
  return r.then((v) => { releaseRef(f); return v; });
}
