// A read-only host file or directory opened through the HostFs, with its own file offset.

import { Errno } from '../abi/errno.js';
import type { HostFile } from '../host.js';
import { O_ACCMODE, O_RDONLY, type Dirent, type FileDescription, type IoctlIo } from './file.js';
import { S_IFDIR, S_IFMT, type Stat } from './stat.js';

export const SEEK_SET = 0, SEEK_CUR = 1, SEEK_END = 2;

export class HostFileDescription implements FileDescription {
  private offset = 0;

  constructor(private readonly file: HostFile, public flags: number, readonly path: string) {}

  private get isDir(): boolean { return (this.file.stat.mode & S_IFMT) === S_IFDIR; }

  async read(dst: Uint8Array, offset: number): Promise<number> {
    if ((this.flags & O_ACCMODE) !== O_RDONLY && (this.flags & O_ACCMODE) !== 2) return -Errno.EBADF;
    if (this.isDir) return -Errno.EISDIR;
    const pos = offset < 0 ? this.offset : offset;
    const n = await this.file.read(dst, pos);
    if (n > 0 && offset < 0) this.offset += n;
    return n;
  }

  write(): number { return -Errno.EBADF; }

  seek(offset: number, whence: number): number {
    let base: number;
    if (whence === SEEK_SET) base = 0;
    else if (whence === SEEK_CUR) base = this.offset;
    else if (whence === SEEK_END) base = this.file.stat.size;
    else return -Errno.EINVAL;
    const pos = base + offset;
    if (pos < 0) return -Errno.EINVAL;
    this.offset = pos;
    return pos;
  }

  stat(): Stat { return this.file.stat; }

  ioctl(_cmd: number, _arg: number, _io: IoctlIo): number { return -Errno.ENOTTY; }

  async readdir(pos: number): Promise<Dirent[] | number> {
    if (!this.isDir) return -Errno.ENOTDIR;
    const all = await this.file.readdir();
    if (typeof all === 'number') return all;
    return all.slice(pos);
  }

  release(): void { this.file.close(); }
}
