// Open file descriptions: the object an fd points at, with its offset and status flags. Pipes,
// sockets and the real VFS plug in behind this interface; every operation may return a promise
// (Gofer replies, terminals, pipes) and answers errors as -errno.

import { DEFAULT_POLLMASK } from '../abi/poll.js';
import type { Location } from './dentry.js';
import type { Stat } from './stat.js';
import type { Waitable } from './waitable.js';

export const O_ACCMODE = 3, O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2;
export const O_CREAT = 0o100, O_EXCL = 0o200, O_NOCTTY = 0o400, O_TRUNC = 0o1000, O_APPEND = 0o2000,
  O_NONBLOCK = 0o4000, O_DSYNC = 0o10000, O_DIRECT = 0o40000, O_LARGEFILE = 0o100000,
  O_DIRECTORY = 0o200000, O_NOFOLLOW = 0o400000, O_NOATIME = 0o1000000, O_CLOEXEC = 0o2000000,
  O_PATH = 0o10000000, O_TMPFILE = 0o20000000;

export type MaybeAsync<T> = T | Promise<T>;

/** A directory entry for getdents64. */
export interface Dirent {
  ino: number;
  type: number; // DT_*
  name: Uint8Array;
}

export interface FileDescription {
  /** Status flags and access mode (O_*), as F_GETFL shows them. */
  flags: number;
  /** The path it was opened by, for /proc/self/fd and --strace. */
  readonly path: string;
  /** Where it is in the file tree, for a file of the VFS (dirfd-relative lookups, fchdir). */
  readonly location?: Location;
  /** Reads at `offset`, or at and advancing the file offset when offset < 0. Returns bytes or -errno. */
  read(dst: Uint8Array, offset: number): MaybeAsync<number>;
  write(src: Uint8Array, offset: number): MaybeAsync<number>;
  /** lseek; -ESPIPE for streams. */
  seek(offset: number, whence: number): MaybeAsync<number>;
  stat(): MaybeAsync<Stat | number>;
  /** ioctl; returns the result or -errno (ENOTTY when not a terminal). */
  ioctl(cmd: number, arg: number, io: IoctlIo): MaybeAsync<number>;
  /** Directory entries from position `pos` (an opaque cookie), or -ENOTDIR. */
  readdir(pos: number): MaybeAsync<Dirent[] | number>;
  /** Bytes ready to read (FIONREAD). */
  readable?(): number;
  /**
   * poll(2) events (POLL* bits) ready now. Files without it are always ready (DEFAULT_POLLMASK,
   * whatever their access mode, as Linux's files without a poll operation: regular files,
   * directories, /dev/null).
   */
  readiness?(): number;
  /**
   * Where a poller waits for readiness to change. Only files that have it can be polled for real:
   * epoll_ctl refuses the others with EPERM.
   */
  readonly events?: Waitable;
  /** Called when the last fd referring to it is closed. */
  release(): void;
}

/** The poll events `f` has ready now. */
export function readinessOf(f: FileDescription): number {
  return f.readiness ? f.readiness() : DEFAULT_POLLMASK;
}

/** What ioctl handlers may do with guest memory. */
export interface IoctlIo {
  copyOut(addr: number, data: Uint8Array): boolean;
  copyIn(addr: number, out: Uint8Array): boolean;
}

export const DT_UNKNOWN = 0, DT_FIFO = 1, DT_CHR = 2, DT_DIR = 4, DT_BLK = 6, DT_REG = 8, DT_LNK = 10, DT_SOCK = 12;
