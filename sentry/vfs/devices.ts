// The memory character devices (major 1): null, zero, full, random and urandom. devfs and
// device nodes anywhere open them by device number (sentry/vfs/fs/devfs.ts openDevice).

import { Errno } from '../abi/errno.js';
import type { Dirent, FileDescription } from './file.js';
import { S_IFCHR, type Stat } from './stat.js';

export type DeviceKind = 'null' | 'zero' | 'full' | 'random' | 'urandom';
const MINOR: Record<DeviceKind, number> = { null: 3, zero: 5, full: 7, random: 8, urandom: 9 };

export class DeviceFile implements FileDescription {
  constructor(private readonly kind: DeviceKind, public flags: number, private readonly random: (n: number) => Uint8Array) {}

  get path(): string { return `/dev/${this.kind}`; }

  read(dst: Uint8Array): number {
    switch (this.kind) {
      case 'null': return 0;
      case 'zero': case 'full': dst.fill(0); return dst.length;
      default: dst.set(this.random(dst.length)); return dst.length;
    }
  }

  write(src: Uint8Array): number { return this.kind === 'full' ? -Errno.ENOSPC : src.length; }
  seek(): number { return 0; }
  stat(): Stat {
    const t = { sec: 0, nsec: 0 };
    const rdev = (1 << 8) | MINOR[this.kind];
    return { dev: 5, ino: 1000 + MINOR[this.kind], mode: S_IFCHR | 0o666, nlink: 1, uid: 0, gid: 0, rdev, size: 0, blksize: 4096, blocks: 0, atime: t, mtime: t, ctime: t };
  }
  ioctl(): number { return -Errno.ENOTTY; }
  readdir(): Dirent[] | number { return -Errno.ENOTDIR; }
  release(): void { /* nothing held */ }
}
