// The VFS's generic open file description over an inode (regular files, directories, O_PATH):
// the file offset, O_APPEND, the access mode, and a directory's listing with "." and "..".
// Filesystems with special files (devices, proc files generated at open) return their own
// description from Inode.open instead.

import { Errno } from '../abi/errno.js';
import { parentOf } from './resolve.js';
import { pathOf, type Location } from './dentry.js';
import {
  DT_BLK, DT_CHR, DT_DIR, DT_FIFO, DT_LNK, DT_REG, DT_SOCK, DT_UNKNOWN, O_ACCMODE, O_APPEND, O_PATH, O_RDONLY, O_WRONLY,
  type Dirent, type FileDescription, type IoctlIo,
} from './file.js';
import type { Inode } from './inode.js';
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

export class InodeFile implements FileDescription {
  private offset = 0;
  /** A directory's listing, taken at the first getdents after open or rewind. */
  private listing: Dirent[] | null = null;

  constructor(
    readonly location: Location,
    public flags: number,
    /** The sandbox root, for the path /proc/PID/fd shows. */
    private readonly root: Location,
  ) {}

  get inode(): Inode { return this.location.dentry.inode; }
  get path(): string { return pathOf(this.location, this.root); }

  private get canRead(): boolean { return !(this.flags & O_PATH) && (this.flags & O_ACCMODE) !== O_WRONLY; }
  private get canWrite(): boolean { return !(this.flags & O_PATH) && (this.flags & O_ACCMODE) !== O_RDONLY; }

  async read(dst: Uint8Array, offset: number): Promise<number> {
    if (!this.canRead) return -Errno.EBADF;
    if (this.inode.isDir) return -Errno.EISDIR;
    const pos = offset < 0 ? this.offset : offset;
    const n = await this.inode.read(dst, pos);
    if (n > 0 && offset < 0) this.offset = pos + n;
    return n;
  }

  async write(src: Uint8Array, offset: number): Promise<number> {
    if (!this.canWrite) return -Errno.EBADF;
    let pos = offset < 0 ? this.offset : offset;
    if (this.flags & O_APPEND) { // appends go to the end whatever the offset (pwrite too, as Linux)
      const st = await this.inode.stat();
      if (typeof st === 'number') return st;
      pos = st.size;
    }
    if (pos + src.length > MAX_OFFSET) return -Errno.EFBIG;
    const n = await this.inode.write(src, pos);
    if (n > 0 && (offset < 0 || (this.flags & O_APPEND))) this.offset = pos + n;
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
        const st = await this.inode.stat();
        if (typeof st === 'number') return st;
        if (whence === SEEK_END) { base = st.size; break; }
        // Without hole information every byte is data: SEEK_DATA stays, SEEK_HOLE goes to the end.
        if (offset < 0 || offset >= st.size) return -Errno.ENXIO;
        this.offset = whence === SEEK_DATA ? offset : st.size;
        return this.offset;
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
