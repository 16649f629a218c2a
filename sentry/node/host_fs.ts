// Read-only host files for the Sentry through node:fs/promises (until the Gofer process takes
// this over): stat, open, read, readdir, readlink, access, with host errors mapped to errnos.

import { constants, promises as fsp, type BigIntStats } from 'node:fs';
import { Errno } from '../abi/errno.js';
import type { HostFile, HostFs } from '../host.js';
import { DT_BLK, DT_CHR, DT_DIR, DT_FIFO, DT_LNK, DT_REG, DT_SOCK, DT_UNKNOWN, type Dirent } from '../vfs/file.js';
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

function direntType(d: import('node:fs').Dirent): number {
  if (d.isFile()) return DT_REG;
  if (d.isDirectory()) return DT_DIR;
  if (d.isSymbolicLink()) return DT_LNK;
  if (d.isFIFO()) return DT_FIFO;
  if (d.isSocket()) return DT_SOCK;
  if (d.isCharacterDevice()) return DT_CHR;
  if (d.isBlockDevice()) return DT_BLK;
  return DT_UNKNOWN;
}

class NodeHostFile implements HostFile {
  constructor(private readonly handle: fsp.FileHandle | null, readonly stat: Stat, private readonly path: string) {}

  async read(dst: Uint8Array, position: number): Promise<number> {
    if (!this.handle) return -Errno.EISDIR;
    try {
      const { bytesRead } = await this.handle.read(dst, 0, dst.length, position);
      return bytesRead;
    } catch (e) { return hostErrno(e); }
  }

  async readdir(): Promise<Dirent[] | number> {
    try {
      const entries = await fsp.readdir(this.path, { withFileTypes: true, encoding: 'buffer' });
      const out: Dirent[] = [
        { ino: this.stat.ino, type: DT_DIR, name: new Uint8Array([0x2e]) },
        { ino: 2, type: DT_DIR, name: new Uint8Array([0x2e, 0x2e]) },
      ];
      for (const d of entries) {
        const name = d.name as unknown as Buffer;
        out.push({ ino: 3 + out.length, type: direntType(d as unknown as import('node:fs').Dirent), name: new Uint8Array(name) });
      }
      return out;
    } catch (e) { return hostErrno(e); }
  }

  close(): void { void this.handle?.close().catch(() => undefined); }
}

export class NodeHostFs implements HostFs {
  async open(path: string, directory: boolean): Promise<HostFile | number> {
    try {
      if (directory) {
        const st = await fsp.stat(path, { bigint: true });
        return new NodeHostFile(null, toStat(st), path);
      }
      // O_NONBLOCK: a host FIFO or device must never block the Sentry. (Symlinks were resolved by
      // the stat that chose this path; confinement arrives with the Gofer.)
      const h = await fsp.open(path, constants.O_RDONLY | constants.O_NONBLOCK);
      const st = await h.stat({ bigint: true });
      return new NodeHostFile(h, toStat(st), path);
    } catch (e) { return hostErrno(e); }
  }

  async stat(path: string, follow: boolean): Promise<Stat | number> {
    try {
      return toStat(follow ? await fsp.stat(path, { bigint: true }) : await fsp.lstat(path, { bigint: true }));
    } catch (e) { return hostErrno(e); }
  }

  async readlink(path: string): Promise<string | number> {
    try { return await fsp.readlink(path); } catch (e) { return hostErrno(e); }
  }

  async access(path: string, mode: number): Promise<number> {
    try { await fsp.access(path, mode); return 0; } catch (e) { return hostErrno(e); }
  }
}
