// tmpfs inodes other than directories: the common attributes (owner, mode, link count,
// timestamps, xattrs) and regular files, symlinks and special files (FIFOs, sockets, devices).
// Linux semantics from mm/shmem.c; permission checks are the VFS's.

import type { Mappable, PageMemory } from '../../mm/mappable.js';
import { Errno } from '../../abi/errno.js';
import { Inode, type SetAttr, type TimeSpec } from '../inode.js';
import type { HoleSeeker } from '../inode_file.js';
import { S_IFBLK, S_IFCHR, S_IFDIR, S_IFLNK, S_IFREG, type Stat, type Timespec } from '../stat.js';
import { PAGE_SIZE, SparsePages, type PageBudget } from './tmpfs_pages.js';
import { Xattrs } from './tmpfs_xattr.js';
import type { TmpFs } from './tmpfs.js';

/** Largest file size: Linux's MAX_LFS_FILESIZE, cut to what a JS number holds exactly. */
export const MAX_FILE_SIZE = Number.MAX_SAFE_INTEGER;
/** fallocate(2) modes (linux/falloc.h). */
export const FALLOC_FL_KEEP_SIZE = 1, FALLOC_FL_PUNCH_HOLE = 2;
/** 512-byte units per page, for st_blocks. */
const SECTORS_PER_PAGE = PAGE_SIZE / 512;
/** relatime refreshes an atime older than this even when it is newer than mtime and ctime. */
const RELATIME_MAX_AGE_SEC = 24 * 60 * 60;
/** Symlink targets up to this many bytes (with the NUL) live in the inode; longer ones take a page. */
const SHORT_SYMLINK_LEN = 128;

/** What a new inode starts with, decided by the directory creating it. */
export interface InodeInit {
  ino: number;
  /** Permission bits (07777). */
  mode: number;
  uid: number;
  gid: number;
}

function compareTime(a: Timespec, b: Timespec): number {
  return a.sec !== b.sec ? a.sec - b.sec : a.nsec - b.nsec;
}

/** Linux relatime (fs/inode.c relatime_need_update): is an access worth recording? */
function atimeNeedsUpdate(atime: Timespec, mtime: Timespec, ctime: Timespec, now: Timespec): boolean {
  if (compareTime(atime, now) === 0) return false;
  return compareTime(mtime, atime) >= 0 || compareTime(ctime, atime) >= 0 || now.sec - atime.sec >= RELATIME_MAX_AGE_SEC;
}

const enc = new TextEncoder();

const copyTime = (t: Timespec): Timespec => ({ sec: t.sec, nsec: t.nsec });

export abstract class TmpInode extends Inode {
  readonly ino: number;
  /** Permission bits (07777); the type is `type`. */
  mode: number;
  uid: number;
  gid: number;
  nlink: number;
  atime: Timespec;
  mtime: Timespec;
  ctime: Timespec;
  /** Birth time, which statx reports. */
  readonly btime: Timespec;
  /** An O_TMPFILE file without O_EXCL: linkat may give it a name once (Linux's I_LINKABLE). */
  linkable = false;
  private readonly xattrs: Xattrs;

  constructor(readonly fs: TmpFs, readonly type: number, init: InodeInit, nlink: number) {
    super();
    this.ino = init.ino;
    this.mode = init.mode & 0o7777;
    this.uid = init.uid;
    this.gid = init.gid;
    this.nlink = nlink;
    const now = fs.now();
    this.atime = copyTime(now); this.mtime = copyTime(now); this.ctime = copyTime(now); this.btime = copyTime(now);
    this.xattrs = new Xattrs(type === S_IFREG || type === S_IFDIR);
  }

  /** st_size. */
  protected abstract get size(): number;
  /** st_blocks: allocated 512-byte units. */
  protected get blocks(): number { return 0; }
  protected get rdev(): number { return 0; }

  stat(): Stat {
    return {
      dev: this.fs.dev, ino: this.ino, mode: this.type | this.mode, nlink: this.nlink, uid: this.uid, gid: this.gid,
      rdev: this.rdev, size: this.size, blksize: PAGE_SIZE, blocks: this.blocks,
      atime: copyTime(this.atime), mtime: copyTime(this.mtime), ctime: copyTime(this.ctime), btime: copyTime(this.btime),
    };
  }

  // --- timestamps ------------------------------------------------------------------------------

  /** A read, readdir or readlink happened: atime under relatime rules. */
  touchAccess(): void {
    const now = this.fs.now();
    if (atimeNeedsUpdate(this.atime, this.mtime, this.ctime, now)) this.atime = copyTime(now);
  }

  /** The contents changed (write, truncate, a directory entry added or removed). */
  touchModify(now: Timespec = this.fs.now()): void {
    this.mtime = copyTime(now);
    this.ctime = copyTime(now);
  }

  /** The inode itself changed (attributes, link count, xattrs). */
  touchChange(now: Timespec = this.fs.now()): void { this.ctime = copyTime(now); }

  // --- link count ------------------------------------------------------------------------------

  /** One name of this inode went away. At zero the inode is free, but open files still use it. */
  dropLink(): void {
    if (this.nlink === 0) return;
    this.nlink--;
    if (this.nlink === 0) this.orphaned();
  }

  /** The last name is gone: give back what the filesystem counts (the inode, its pages). */
  protected orphaned(): void { this.fs.releaseInode(); }

  // --- attributes ------------------------------------------------------------------------------

  override setattr(attr: SetAttr): number {
    if (attr.size !== undefined) {
      const bad = this.checkResize(attr.size);
      if (bad) return bad;
    }
    const now = this.fs.now();
    const sizeChanged = attr.size !== undefined && this.resize(attr.size);
    if (attr.mode !== undefined) this.mode = attr.mode & 0o7777;
    if (attr.uid !== undefined) this.uid = attr.uid;
    if (attr.gid !== undefined) this.gid = attr.gid;
    if (attr.atime !== undefined) this.atime = this.resolveTime(attr.atime, now);
    if (attr.mtime !== undefined) this.mtime = this.resolveTime(attr.mtime, now);
    if (sizeChanged && attr.mtime === undefined) this.mtime = copyTime(now);
    // truncate(2) to the current size changes nothing (shmem_setattr); anything else is a change.
    const onlySize = attr.size !== undefined && attr.mode === undefined && attr.uid === undefined &&
      attr.gid === undefined && attr.atime === undefined && attr.mtime === undefined;
    if (!onlySize || sizeChanged) this.touchChange(now);
    return 0;
  }

  /** -errno when `size` cannot be set: -EISDIR on a directory, -EINVAL on what has no contents. */
  protected checkResize(_size: number): number { return this.isDir ? -Errno.EISDIR : -Errno.EINVAL; }
  /** Sets the size (after checkResize); true when it changed. */
  protected resize(_size: number): boolean { return false; }

  private resolveTime(t: TimeSpec, now: Timespec): Timespec { return copyTime(t === 'now' ? now : t); }

  override getxattr(name: string): Uint8Array | number { return this.xattrs.get(name); }

  override setxattr(name: string, value: Uint8Array, flags: number): number {
    const r = this.xattrs.set(name, value, flags);
    if (r === 0) this.touchChange();
    return r;
  }

  override listxattr(): string[] { return this.xattrs.list(); }

  override removexattr(name: string): number {
    const r = this.xattrs.remove(name);
    if (r === 0) this.touchChange();
    return r;
  }

  /** fallocate(2) on what is not a regular file (vfs_fallocate). */
  override allocate(_mode: number, _offset: number, _length: number): number {
    return this.isDir ? -Errno.EISDIR : -Errno.ENODEV;
  }
}

/**
 * The pages a file has charged to the filesystem. A file that loses its last name gives all of
 * them back at once (space frees on rm even if the file is open); pages such an orphan allocates
 * later are charged again and given back when it is truncated or garbage-collected.
 */
export class FileCharge implements PageBudget {
  pages = 0;

  constructor(private readonly fs: TmpFs) {}

  charge(pages: number): boolean {
    if (!this.fs.chargePages(pages)) return false;
    this.pages += pages;
    return true;
  }

  uncharge(pages: number): void {
    const n = Math.min(pages, this.pages);
    this.pages -= n;
    this.fs.unchargePages(n);
  }

  releaseAll(): void { this.uncharge(this.pages); }
}

export class TmpFile extends TmpInode implements HoleSeeker {
  private readonly charge: FileCharge;
  private readonly data: SparsePages;
  private fileSize = 0;

  constructor(fs: TmpFs, init: InodeInit) {
    super(fs, S_IFREG, init, 1);
    this.charge = new FileCharge(fs);
    this.data = new SparsePages(this.charge);
    fs.watchOrphanCharge(this, this.charge);
  }

  protected get size(): number { return this.fileSize; }
  protected override get blocks(): number { return this.data.count * SECTORS_PER_PAGE; }

  override mappable(memory: PageMemory): Mappable { return this.data.mappable(memory, () => this.fileSize); }

  override read(dst: Uint8Array, offset: number): number {
    if (offset < 0) return -Errno.EINVAL;
    const n = this.data.read(dst, offset, this.fileSize);
    this.touchAccess();
    return n;
  }

  override write(src: Uint8Array, offset: number): number {
    if (offset < 0) return -Errno.EINVAL;
    if (src.length === 0) return 0;
    if (!Number.isSafeInteger(offset) || offset >= MAX_FILE_SIZE) return -Errno.EFBIG;
    const room = MAX_FILE_SIZE - offset; // a write reaching past the limit is cut short (Linux)
    const n = this.data.write(src.length > room ? src.subarray(0, room) : src, offset);
    if (n < 0) return n;
    this.fileSize = Math.max(this.fileSize, offset + n);
    this.touchModify();
    return n;
  }

  /** fallocate(2): mode 0, FALLOC_FL_KEEP_SIZE, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE. */
  override allocate(mode: number, offset: number, length: number): number {
    if (offset < 0 || length <= 0) return -Errno.EINVAL;
    if (mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE)) return -Errno.EOPNOTSUPP;
    if ((mode & FALLOC_FL_PUNCH_HOLE) && !(mode & FALLOC_FL_KEEP_SIZE)) return -Errno.EOPNOTSUPP;
    const end = offset + length;
    if (!Number.isSafeInteger(end) || end > MAX_FILE_SIZE) return -Errno.EFBIG;
    if (mode & FALLOC_FL_PUNCH_HOLE) {
      this.data.zeroRange(offset, end);
      this.touchModify(); // shmem_truncate_range
      return 0;
    }
    const r = this.data.allocate(Math.floor(offset / PAGE_SIZE), Math.ceil(end / PAGE_SIZE));
    if (r < 0) return r;
    if (!(mode & FALLOC_FL_KEEP_SIZE) && end > this.fileSize) this.fileSize = end;
    this.touchChange(); // shmem_fallocate sets only ctime
    return 0;
  }

  /**
   * lseek SEEK_DATA (hole false) or SEEK_HOLE (hole true) from `offset`: the next offset in (or
   * out of) an allocated page, the end of file counting as a hole; -ENXIO at or past the end.
   */
  seekDataOrHole(offset: number, hole: boolean): number {
    if (offset < 0 || offset >= this.fileSize) return -Errno.ENXIO;
    if (hole) return Math.min(this.data.nextHole(offset), this.fileSize);
    const data = this.data.nextData(offset);
    return data < 0 || data >= this.fileSize ? -Errno.ENXIO : data;
  }

  protected override checkResize(size: number): number {
    if (size < 0) return -Errno.EINVAL;
    return Number.isSafeInteger(size) && size <= MAX_FILE_SIZE ? 0 : -Errno.EFBIG;
  }

  protected override resize(size: number): boolean {
    if (size === this.fileSize) return false;
    if (size < this.fileSize) this.data.truncate(size);
    this.fileSize = size;
    return true;
  }

  protected override orphaned(): void {
    super.orphaned();
    this.charge.releaseAll();
  }
}

export class TmpSymlink extends TmpInode {
  private readonly targetBytes: number;

  /** `long`: the target took a page (charged by the creator, given back when orphaned). */
  constructor(fs: TmpFs, init: InodeInit, readonly target: string, readonly long: boolean) {
    super(fs, S_IFLNK, { ...init, mode: 0o777 }, 1);
    this.targetBytes = enc.encode(target).length;
  }

  /** Whether a target of `bytes` bytes needs a page of its own, as in shmem_symlink. */
  static needsPage(bytes: number): boolean { return bytes + 1 > SHORT_SYMLINK_LEN; }

  protected get size(): number { return this.targetBytes; }
  protected override get blocks(): number { return this.long ? SECTORS_PER_PAGE : 0; }

  override readlink(): string {
    this.touchAccess();
    return this.target;
  }

  protected override orphaned(): void {
    super.orphaned();
    if (this.long) this.fs.unchargePages(1);
  }
}

/** A FIFO, socket or device node: attributes only; opening it is the VFS's business. */
export class TmpSpecial extends TmpInode {
  private readonly deviceNumber: number;

  constructor(fs: TmpFs, type: number, init: InodeInit, rdev: number) {
    super(fs, type, init, 1);
    // Only device nodes keep a device number (init_special_inode).
    this.deviceNumber = type === S_IFCHR || type === S_IFBLK ? rdev : 0;
  }

  protected get size(): number { return 0; }
  protected override get rdev(): number { return this.deviceNumber; }
}
