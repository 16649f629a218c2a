// The filesystem-facing half of the VFS (gVisor's vfs.FilesystemImpl and Inode, Linux's
// inode_operations): what a filesystem implements. Path walking, mounts, permission checks,
// read-only mounts and the syscall-level rules live above it (sentry/vfs/dentry.ts, resolve.ts,
// vfs.ts); a filesystem answers for one directory entry or one inode at a time.
//
// Every operation may return a promise (the Gofer) and answers errors as -errno. The defaults of
// `Inode` are the answers of an inode that cannot do the operation (ENOTDIR for directory
// operations on a non-directory, EINVAL for readlink of a non-symlink, ...), so a filesystem
// overrides only what its inodes support.

import type { Mappable, PageMemory } from '../mm/mappable.js';
import { Errno } from '../abi/errno.js';
import type { Location } from './dentry.js';
import type { Dirent, FileDescription, MaybeAsync } from './file.js';
import { S_IFDIR, S_IFLNK, S_IFMT, S_IFREG, type Stat, type Timespec } from './stat.js';

/** Linux capabilities the VFS checks (include/uapi/linux/capability.h). */
export const CAP_CHOWN = 0, CAP_DAC_OVERRIDE = 1, CAP_DAC_READ_SEARCH = 2, CAP_FOWNER = 3, CAP_FSETID = 4,
  CAP_MKNOD = 27, CAP_SYS_ADMIN = 21;

/** Who is asking: filesystem ids, supplementary groups and effective capabilities. */
export interface FsCreds {
  fsuid: number;
  fsgid: number;
  groups: readonly number[];
  /** Effective capability set: bit n is capability n (all are below 41, so a number holds them). */
  caps: number;
}

export function hasCap(c: FsCreds, cap: number): boolean {
  return Math.floor(c.caps / 2 ** cap) % 2 === 1;
}

/** A timestamp for setattr: a value, or the current time of the filesystem's clock. */
export type TimeSpec = Timespec | 'now';

/**
 * Attribute changes (chmod, chown, truncate, utimensat). The VFS has checked permissions and the
 * Linux rules about which bits change (e.g. chown clearing set-user-ID); the filesystem applies
 * exactly what it is given and updates ctime.
 */
export interface SetAttr {
  /** Permission bits (07777), without the file type. */
  mode?: number;
  uid?: number;
  gid?: number;
  size?: number;
  atime?: TimeSpec;
  mtime?: TimeSpec;
}

/** statfs(2) figures. */
export interface StatFs {
  type: number; // f_type magic (TMPFS_MAGIC, PROC_SUPER_MAGIC, ...)
  bsize: number;
  blocks: number;
  bfree: number;
  bavail: number;
  files: number;
  ffree: number;
  namelen: number;
  frsize: number;
  flags: number;
}

export interface Filesystem {
  /** The name /proc/mounts shows ("tmpfs", "proc", "overlay", "9p"). */
  readonly type: string;
  /** st_dev of every inode in it. */
  readonly dev: number;
  readonly root: Inode;
  /** Writes are refused with EROFS whatever the mount says (a read-only lower layer). */
  readonly readOnly: boolean;
  /** False when names change behind the VFS (procfs): every lookup asks the filesystem. */
  readonly cacheable?: boolean;
  statfs(): MaybeAsync<StatFs | number>;
}

/** rename flags (renameat2). */
export const RENAME_NOREPLACE = 1, RENAME_EXCHANGE = 2, RENAME_WHITEOUT = 4;

export abstract class Inode {
  abstract readonly fs: Filesystem;
  abstract readonly ino: number;
  /** The file type (S_IFMT bits): fixed for the life of the inode. */
  abstract readonly type: number;

  abstract stat(): MaybeAsync<Stat | number>;

  get isDir(): boolean { return this.type === S_IFDIR; }
  get isSymlink(): boolean { return this.type === S_IFLNK; }
  get isRegular(): boolean { return this.type === S_IFREG; }

  // --- directories: a child by name, the children, and changing them -------------------------

  /** The child `name` (never "." or ".."), or -ENOENT. */
  lookup(_name: string): MaybeAsync<Inode | number> { return this.notDir(); }
  /** The children, without "." and ".." (the VFS adds those). */
  readdir(): MaybeAsync<Dirent[] | number> { return this.notDir(); }
  /** Creates a regular file (-EEXIST when `name` exists). `mode` holds permission bits only. */
  create(_name: string, _mode: number, _creds: FsCreds): MaybeAsync<Inode | number> { return this.notDir(); }
  mkdir(_name: string, _mode: number, _creds: FsCreds): MaybeAsync<Inode | number> { return this.notDir(); }
  /** A FIFO, socket or device node: `mode` includes the file type. */
  mknod(_name: string, _mode: number, _rdev: number, _creds: FsCreds): MaybeAsync<Inode | number> { return this.notDir(); }
  symlink(_name: string, _target: string, _creds: FsCreds): MaybeAsync<Inode | number> { return this.notDir(); }
  /** A new name for `target` (a non-directory of the same filesystem). */
  link(_name: string, _target: Inode): MaybeAsync<number> { return this.notDir(); }
  /** Removes a non-directory entry (-EISDIR for a directory). */
  unlink(_name: string): MaybeAsync<number> { return this.notDir(); }
  /** Removes an empty directory (-ENOTDIR for a non-directory, -ENOTEMPTY). */
  rmdir(_name: string): MaybeAsync<number> { return this.notDir(); }
  /**
   * Moves `oldName` here to `newName` in `newDir` (same filesystem), replacing a compatible
   * existing entry unless RENAME_NOREPLACE; RENAME_EXCHANGE swaps the two. The VFS has checked
   * that a directory is not moved under itself.
   */
  rename(_oldName: string, _newDir: Inode, _newName: string, _flags: number): MaybeAsync<number> { return this.notDir(); }

  // --- symlinks --------------------------------------------------------------------------------

  readlink(): MaybeAsync<string | number> { return -Errno.EINVAL; }
  /**
   * A "magic link" (procfs fd/N, cwd, root, exe): the place it names, reached directly instead of
   * by resolving its text, as Linux's nd_jump_link. null for ordinary symlinks.
   */
  jump(): MaybeAsync<Location | null | number> { return null; }

  // --- file contents ---------------------------------------------------------------------------

  /** Reads at `offset`; returns bytes read (0 at end of file). */
  read(_dst: Uint8Array, _offset: number): MaybeAsync<number> { return this.isDir ? -Errno.EISDIR : -Errno.EINVAL; }
  /** Writes at `offset`, growing the file as needed; returns bytes written. */
  write(_src: Uint8Array, _offset: number): MaybeAsync<number> { return this.isDir ? -Errno.EISDIR : -Errno.EINVAL; }
  /** fallocate(2) mode 0 and FALLOC_FL_KEEP_SIZE / PUNCH_HOLE; EOPNOTSUPP where unsupported. */
  allocate(_mode: number, _offset: number, _length: number): MaybeAsync<number> { return -Errno.EOPNOTSUPP; }
  /** Flushes to stable storage (a no-op for memory filesystems). */
  sync(): MaybeAsync<number> { return 0; }
  /**
   * The contents as frames for mmap (tmpfs pages, a read-only file's page cache), or null when
   * they cannot be shared: MAP_SHARED then fails with ENODEV and MAP_PRIVATE takes a copy.
   */
  mappable(_memory: PageMemory): Mappable | null { return null; }

  /**
   * An open file description for this inode, when the filesystem needs its own (devices, proc
   * files generated at open, the Gofer's host handles); null means the VFS's generic one over
   * read/write/readdir. The VFS has checked the access mode against permissions.
   */
  open(_flags: number, _creds: FsCreds): MaybeAsync<FileDescription | null | number> { return null; }

  // --- attributes ------------------------------------------------------------------------------

  setattr(_attr: SetAttr): MaybeAsync<number> { return this.fs.readOnly ? -Errno.EROFS : -Errno.EPERM; }

  getxattr(_name: string): MaybeAsync<Uint8Array | number> { return -Errno.EOPNOTSUPP; }
  /** flags: XATTR_CREATE (1), XATTR_REPLACE (2). */
  setxattr(_name: string, _value: Uint8Array, _flags: number): MaybeAsync<number> { return -Errno.EOPNOTSUPP; }
  listxattr(): MaybeAsync<string[] | number> { return -Errno.EOPNOTSUPP; }
  removexattr(_name: string): MaybeAsync<number> { return -Errno.EOPNOTSUPP; }

  private notDir(): number { return (this.type & S_IFMT) === S_IFDIR ? -Errno.EPERM : -Errno.ENOTDIR; }
}
