// Host error codes and stat records as the Sentry spells them, for the host stdio streams (the
// only host files the Sentry itself touches; all others go through the Gofer).

import type { BigIntStats } from 'node:fs';
import { Errno } from '../abi/errno.js';
import type { Stat } from '../vfs/stat.js';

/** Maps a Node system error to -errno (EIO for anything unexpected). */
export function hostErrno(e: unknown): number {
  const code = (e as NodeJS.ErrnoException)?.code;
  const table: Record<string, number> = {
    ENOENT: Errno.ENOENT, EACCES: Errno.EACCES, EPERM: Errno.EPERM, ENOTDIR: Errno.ENOTDIR, EISDIR: Errno.EISDIR,
    ELOOP: Errno.ELOOP, ENAMETOOLONG: Errno.ENAMETOOLONG, EINVAL: Errno.EINVAL, EMFILE: Errno.EMFILE,
    ENXIO: Errno.ENXIO, EAGAIN: Errno.EAGAIN, EBADF: Errno.EBADF, EROFS: Errno.EROFS, EPIPE: Errno.EPIPE,
  };
  return -(code && table[code] ? table[code] : Errno.EIO);
}

function ts(ns: bigint): { sec: number; nsec: number } {
  return { sec: Number(ns / 1_000_000_000n), nsec: Number(ns % 1_000_000_000n) };
}

export function toStat(s: BigIntStats): Stat {
  return {
    dev: Number(s.dev), ino: Number(s.ino), mode: Number(s.mode), nlink: Number(s.nlink),
    uid: Number(s.uid), gid: Number(s.gid), rdev: Number(s.rdev), size: Number(s.size),
    blksize: Number(s.blksize), blocks: Number(s.blocks),
    atime: ts(s.atimeNs), mtime: ts(s.mtimeNs), ctime: ts(s.ctimeNs), btime: ts(s.birthtimeNs),
  };
}
