// tmpfs: a filesystem held in memory, with Linux tmpfs (mm/shmem.c) semantics. This file owns the
// filesystem-wide state: inode numbers, the size= and nr_inodes= limits, statfs. The inodes live
// in tmpfs_dir.ts (directories) and tmpfs_inode.ts (files, symlinks, special files).
// Pure TypeScript: no Node APIs (it runs in the host-free core).

import { Errno } from '../../abi/errno.js';
import type { Filesystem, StatFs } from '../inode.js';
import type { Timespec } from '../stat.js';
import { NAME_MAX, TmpDir } from './tmpfs_dir.js';
import type { FileCharge, TmpFile } from './tmpfs_inode.js';
import { PAGE_SIZE } from './tmpfs_pages.js';

export { TmpDir } from './tmpfs_dir.js';
export { FALLOC_FL_KEEP_SIZE, FALLOC_FL_PUNCH_HOLE, MAX_FILE_SIZE, TmpFile, TmpInode, TmpSpecial, TmpSymlink } from './tmpfs_inode.js';
export { XATTR_CREATE, XATTR_REPLACE } from './tmpfs_xattr.js';

export const TMPFS_MAGIC = 0x01021994;
/** Without size=, a limit that only a runaway guest meets (1 TiB). */
export const DEFAULT_TMPFS_MAX_BYTES = 2 ** 40;
/** Without nr_inodes=. */
export const DEFAULT_TMPFS_MAX_INODES = 2 ** 24;

export interface TmpFsOptions {
  /** st_dev of every inode. */
  dev: number;
  /** The clock for timestamps (a fake one in tests). */
  now: () => Timespec;
  /** size=: bytes of file contents, counted in whole pages (ENOSPC beyond). */
  maxBytes?: number;
  /** nr_inodes=: inodes, the root included (ENOSPC beyond). */
  maxInodes?: number;
  /** Permission bits of the root directory (mode=); 01777 as Linux. */
  rootMode?: number;
  rootUid?: number;
  rootGid?: number;
}

export class TmpFs implements Filesystem {
  readonly type = 'tmpfs';
  readonly readOnly = false;
  readonly dev: number;
  readonly root: TmpDir;
  readonly now: () => Timespec;

  private readonly maxPages: number;
  private readonly maxInodes: number;
  private usedPages = 0;
  private usedInodes = 0;
  private nextIno = 1;
  /**
   * Gives back the pages an unlinked file allocated after losing its last name, once the file
   * itself is garbage (the VFS tells no filesystem when the last open file closes).
   */
  private readonly orphanCharges = new FinalizationRegistry<FileCharge>((charge) => charge.releaseAll());

  constructor(opts: TmpFsOptions) {
    this.dev = opts.dev;
    this.now = opts.now;
    this.maxPages = Math.ceil((opts.maxBytes ?? DEFAULT_TMPFS_MAX_BYTES) / PAGE_SIZE);
    this.maxInodes = opts.maxInodes ?? DEFAULT_TMPFS_MAX_INODES;
    const ino = this.reserveInode();
    if (ino < 0) throw new RangeError('tmpfs: maxInodes leaves no room for the root');
    this.root = new TmpDir(this, { ino, mode: opts.rootMode ?? 0o1777, uid: opts.rootUid ?? 0, gid: opts.rootGid ?? 0 });
  }

  statfs(): StatFs {
    return {
      type: TMPFS_MAGIC, bsize: PAGE_SIZE, frsize: PAGE_SIZE, namelen: NAME_MAX,
      blocks: this.maxPages, bfree: this.maxPages - this.usedPages, bavail: this.maxPages - this.usedPages,
      files: this.maxInodes, ffree: this.maxInodes - this.usedInodes,
      flags: 0, // mount flags (ST_RDONLY, ST_NOSUID, ...) are the mount's
    };
  }

  // --- accounting, for the inodes --------------------------------------------------------------

  /** A fresh inode number, counted against maxInodes; -ENOSPC when full. */
  reserveInode(): number {
    if (!this.recountInode()) return -Errno.ENOSPC;
    return this.nextIno++;
  }

  /** Counts an inode that lost its names as used again (an O_TMPFILE file linked in); false when full. */
  recountInode(): boolean {
    if (this.usedInodes >= this.maxInodes) return false;
    this.usedInodes++;
    return true;
  }

  /** An inode lost its last name. */
  releaseInode(): void { this.usedInodes--; }

  /** Takes `pages` pages of the size limit; false (and nothing taken) when they do not fit. */
  chargePages(pages: number): boolean {
    if (this.usedPages + pages > this.maxPages) return false;
    this.usedPages += pages;
    return true;
  }

  unchargePages(pages: number): void { this.usedPages -= pages; }

  /** Lets `charge` go back to the pool when `file` is garbage-collected. */
  watchOrphanCharge(file: TmpFile, charge: FileCharge): void { this.orphanCharges.register(file, charge); }
}
