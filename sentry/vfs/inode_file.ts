// The VFS's generic open file description over an inode (regular files, directories, O_PATH):
// the file offset, O_APPEND, the access mode, and a directory's listing with "." and "..".
// Filesystems with special files (devices, proc files generated at open) return their own
// description from Inode.open instead.

import { Errno } from '../abi/errno.js';
import { parentOf } from './resolve.js';
import { pathOf, type Location } from './dentry.js';
import {
  DT_BLK, DT_CHR, DT_DIR, DT_FIFO, DT_LNK, DT_REG, DT_SOCK, DT_UNKNOWN, O_ACCMODE, O_APPEND, O_PATH, O_RDONLY, O_RDWR, O_WRONLY,
  type Dirent, type FileDescription, type IoctlIo, type MaybeAsync,
} from './file.js';
import type { FsCreds, Inode } from './inode.js';
import { S_IFBLK, S_IFCHR, S_IFDIR, S_IFIFO, S_IFLNK, S_IFMT, S_IFREG, S_IFSOCK, type Stat } from './stat.js';

export const SEEK_SET = 0, SEEK_CUR = 1, SEEK_END = 2, SEEK_DATA = 3, SEEK_HOLE = 4;

const enc = new TextEncoder();

export function direntType(mode: number): number {
  switch (mode & S_IFMT) {
    case S_IFREG: return DT_REG;
    case S_IFDIR: return DT_DIR;
    case S_IFLNK: return DT_LNK;
    case S_IFCHR: return DT_CHR;
    case S_IFBLK: return DT_BLK;
    case S_IFIFO: return DT_FIFO;
    case S_IFSOCK: return DT_SOCK;
    default: return DT_UNKNOWN;
  }
}

/** Largest file offset (MAX_LFS_FILESIZE), kept to a safe JS integer. */
const MAX_OFFSET = Number.MAX_SAFE_INTEGER;

// Two inode operations only some filesystems have. They belong on Inode (inode.ts) as optional
// methods; until that file can change, the VFS asks for them by name through these guards.

/** lseek SEEK_DATA/SEEK_HOLE from a filesystem that knows its holes (tmpfs, and the overlay over it). */
export interface HoleSeeker {
  /** The next offset >= `offset` in data (hole false) or in a hole (the end counts as one); -ENXIO past the end. */
  seekDataOrHole(offset: number, hole: boolean): MaybeAsync<number>;
}
export function seeksHoles(i: Inode): i is Inode & HoleSeeker {
  return typeof (i as Partial<HoleSeeker>).seekDataOrHole === 'function';
}

/** SEEK_DATA/SEEK_HOLE without hole information: every byte is data, the only hole is the end. */
export function seekWithoutHoles(size: number, offset: number, hole: boolean): number {
  if (offset < 0 || offset >= size) return -Errno.ENXIO;
  return hole ? size : offset;
}

/** O_TMPFILE from a directory that can make unnamed files (Linux's i_op->tmpfile). */
export interface TmpfileMaker {
  /** A regular file with no name (nlink 0); `linkable` lets linkat give it one name (not O_EXCL). */
  tmpfile(mode: number, creds: FsCreds, linkable: boolean): MaybeAsync<Inode | number>;
}
export function makesTmpfiles(i: Inode): i is Inode & TmpfileMaker {
  return typeof (i as Partial<TmpfileMaker>).tmpfile === 'function';
}

/** O_RDONLY and O_RDWR read; O_WRONLY and O_RDWR write; access mode 3 does neither (ioctl only). */
export function accessModeReads(flags: number): boolean {
  const acc = flags & O_ACCMODE;
  return !(flags & O_PATH) && (acc === O_RDONLY || acc === O_RDWR);
}
export function accessModeWrites(flags: number): boolean {
  const acc = flags & O_ACCMODE;
  return !(flags & O_PATH) && (acc === O_WRONLY || acc === O_RDWR);
}

export class InodeFile implements FileDescription {
  private offset = 0;
  /** A directory's listing, taken at the first getdents after open or rewind. */
  private listing: Dirent[] | null = null;

  constructor(
    readonly location: Location,
    public flags: number,
    /** The sandbox root, for the path /proc/PID/fd shows. */
    private readonly root: Location,
    /** Who opened it (Linux's f_cred): linkat(fd, "", AT_EMPTY_PATH) is theirs without CAP_DAC_READ_SEARCH. */
    readonly openCreds?: FsCreds,
  ) {}

  get inode(): Inode { return this.location.dentry.inode; }
  get path(): string { return pathOf(this.location, this.root); }

  private get canRead(): boolean { return accessModeReads(this.flags); }
  private get canWrite(): boolean { return accessModeWrites(this.flags); }

  async read(dst: Uint8Array, offset: number): Promise<number> {
    if (!this.canRead) return -Errno.EBADF;
    if (this.inode.isDir) return -Errno.EISDIR;
    const pos = offset < 0 ? this.offset : offset;
    const n = await this.inode.read(dst, pos);
    if (n > 0 && offset < 0) this.offset = pos + n;
    return n;
  }

  /**
   * Writes at `offset`, or at and advancing the file offset when offset < 0. Appending (O_APPEND,
   * or pwritev2's RWF_APPEND/RWF_NOAPPEND through `append`) writes at the end whatever the offset,
   * pwrite too as in Linux; only a write at the file offset moves it.
   */
  async write(src: Uint8Array, offset: number, append = (this.flags & O_APPEND) !== 0): Promise<number> {
    if (!this.canWrite) return -Errno.EBADF;
    let pos = offset < 0 ? this.offset : offset;
    if (append) {
      const st = await this.inode.stat();
      if (typeof st === 'number') return st;
      pos = st.size;
    }
    if (pos + src.length > MAX_OFFSET) return -Errno.EFBIG;
    const n = await this.inode.write(src, pos);
    if (n > 0 && offset < 0) this.offset = pos + n;
    return n;
  }

  async seek(offset: number, whence: number): Promise<number> {
    if (this.flags & O_PATH) return -Errno.EBADF;
    let base: number;
    switch (whence) {
      case SEEK_SET: base = 0; break;
      case SEEK_CUR: base = this.offset; break;
      case SEEK_END: case SEEK_DATA: case SEEK_HOLE: {
        if (this.inode.isDir) return -Errno.EINVAL;
        let pos: number;
        if (whence !== SEEK_END && seeksHoles(this.inode)) {
          pos = await this.inode.seekDataOrHole(offset, whence === SEEK_HOLE);
        } else {
          const st = await this.inode.stat();
          if (typeof st === 'number') return st;
          if (whence === SEEK_END) { base = st.size; break; }
          pos = seekWithoutHoles(st.size, offset, whence === SEEK_HOLE);
        }
        if (pos < 0) return pos;
        this.offset = pos;
        return pos;
      }
      default: return -Errno.EINVAL;
    }
    const pos = base + offset;
    if (pos < 0 || pos > MAX_OFFSET) return -Errno.EINVAL;
    if (this.inode.isDir && pos === 0) this.listing = null; // rewinddir sees changes
    this.offset = pos;
    return pos;
  }

  stat(): Promise<Stat | number> | Stat | number { return this.inode.stat(); }

  ioctl(_cmd: number, _arg: number, _io: IoctlIo): number { return this.flags & O_PATH ? -Errno.EBADF : -Errno.ENOTTY; }

  async readdir(pos: number): Promise<Dirent[] | number> {
    if (this.flags & O_PATH) return -Errno.EBADF;
    if (!this.inode.isDir) return -Errno.ENOTDIR;
    if (this.listing === null || pos === 0) {
      if (this.location.dentry.dead) return -Errno.ENOENT; // a removed directory lists nothing
      const children = await this.inode.readdir();
      if (typeof children === 'number') return children;
      const up = parentOf(this.location, this.root);
      this.listing = [
        { ino: this.inode.ino, type: DT_DIR, name: enc.encode('.') },
        { ino: up.dentry.inode.ino, type: DT_DIR, name: enc.encode('..') },
        ...children,
      ];
    }
    return this.listing.slice(pos);
  }

  release(): void { /* the inode lives while referenced */ }
}
