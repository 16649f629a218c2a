// Files with no inode of their own (Linux fs/anon_inodes.c): epoll, eventfd, timerfd and signalfd
// descriptions all show one shared inode (mode 0600 with no file type) and appear in
// /proc/self/fd as "anon_inode:[name]". What they do not implement answers as Linux's do.

import { Errno } from '../abi/errno.js';
import type { Dirent, FileDescription, MaybeAsync } from '../vfs/file.js';
import { anonDev } from '../vfs/sandbox_tree.js';
import type { Stat } from '../vfs/stat.js';

let anonInode: Stat | null = null;

function anonInodeStat(): Stat {
  const t = { sec: 0, nsec: 0 };
  anonInode ??= { dev: anonDev(), ino: 1, mode: 0o600, nlink: 1, uid: 0, gid: 0, rdev: 0, size: 0, blksize: 4096, blocks: 0, atime: t, mtime: t, ctime: t };
  return anonInode;
}

export abstract class AnonFile implements FileDescription {
  readonly path: string;

  constructor(name: string, public flags: number) {
    this.path = `anon_inode:[${name}]`;
  }

  /** No read or write operation: EINVAL (vfs_read's FMODE_CAN_READ check). */
  read(_dst: Uint8Array, _offset: number): MaybeAsync<number> { return -Errno.EINVAL; }
  write(_src: Uint8Array, _offset: number): MaybeAsync<number> { return -Errno.EINVAL; }
  /** noop_llseek: the offset stays 0. */
  seek(): number { return 0; }
  stat(): Stat { return { ...anonInodeStat() }; }
  ioctl(): number { return -Errno.ENOTTY; }
  readdir(): Dirent[] | number { return -Errno.ENOTDIR; }
  release(): void { /* nothing held */ }
}
