// tmpfs directories: the entries, their creation, removal and renaming, with Linux's link counts
// (2 + subdirectories), sizes (BOGO_DIRENT_SIZE per entry) and timestamps (mm/shmem.c,
// fs/namei.c). One entry at a time: path walks, permissions and the sticky bit are the VFS's.

import { Errno } from '../../abi/errno.js';
import type { Dirent } from '../file.js';
import {
  CAP_FSETID, hasCap, RENAME_EXCHANGE, RENAME_NOREPLACE, RENAME_WHITEOUT, type FsCreds, type Inode,
} from '../inode.js';
import type { TmpfileMaker } from '../inode_file.js';
import { inGroup } from '../permissions.js';
import { S_IFBLK, S_IFCHR, S_IFDIR, S_IFIFO, S_IFLNK, S_IFMT, S_IFREG, S_IFSOCK, type Timespec } from '../stat.js';
import { TmpFile, TmpInode, TmpSpecial, TmpSymlink, type InodeInit } from './tmpfs_inode.js';
import { PAGE_SIZE } from './tmpfs_pages.js';
import type { TmpFs } from './tmpfs.js';

/** Linux tmpfs sizes a directory at 20 bytes per entry, plus two for "." and "..". */
const BOGO_DIRENT_SIZE = 20;
export const NAME_MAX = 255;
const S_ISGID = 0o2000, S_IXGRP = 0o010;

const enc = new TextEncoder();

/**
 * Checks one name: -ENOENT when empty, `dots` for "." and "..", -EINVAL with "/" or NUL,
 * -ENAMETOOLONG above NAME_MAX bytes of UTF-8; else 0. The VFS filters all but the last.
 */
function checkName(name: string, dots: number): number {
  if (name === '') return -Errno.ENOENT;
  if (name === '.' || name === '..') return dots;
  if (name.includes('/') || name.includes('\0')) return -Errno.EINVAL;
  return enc.encode(name).length > NAME_MAX ? -Errno.ENAMETOOLONG : 0;
}

/** A Dirent's type is the file type shifted down (Linux's S_DT). */
const direntType = (type: number): number => (type & S_IFMT) >>> 12;

export class TmpDir extends TmpInode implements TmpfileMaker {
  /** Children by name, in the order readdir lists them (creation order, renames last). */
  private readonly entries = new Map<string, TmpInode>();

  constructor(fs: TmpFs, init: InodeInit) {
    super(fs, S_IFDIR, init, 2);
  }

  protected get size(): number { return (this.entries.size + 2) * BOGO_DIRENT_SIZE; }

  override lookup(name: string): Inode | number {
    const bad = checkName(name, -Errno.EINVAL);
    if (bad) return bad;
    return this.entries.get(name) ?? -Errno.ENOENT;
  }

  override readdir(): Dirent[] {
    this.touchAccess();
    return [...this.entries].map(([name, child]) => ({ ino: child.ino, type: direntType(child.type), name: enc.encode(name) }));
  }

  // --- creation --------------------------------------------------------------------------------

  override create(name: string, mode: number, creds: FsCreds): Inode | number {
    return this.addChild(name, () => this.newInit(S_IFREG, mode, creds), (init) => new TmpFile(this.fs, init));
  }

  override mkdir(name: string, mode: number, creds: FsCreds): Inode | number {
    const dir = this.addChild(name, () => this.newInit(S_IFDIR, mode, creds), (init) => new TmpDir(this.fs, init));
    if (typeof dir !== 'number') this.nlink++; // the child's ".."
    return dir;
  }

  override mknod(name: string, mode: number, rdev: number, creds: FsCreds): Inode | number {
    const type = mode & S_IFMT;
    switch (type) {
      case 0: case S_IFREG: return this.create(name, mode, creds); // as do_mknodat
      case S_IFCHR: case S_IFBLK: case S_IFIFO: case S_IFSOCK:
        return this.addChild(name, () => this.newInit(type, mode, creds), (init) => new TmpSpecial(this.fs, type, init, rdev));
      default: {
        const bad = this.checkNewName(name);
        if (bad) return bad;
        return type === S_IFDIR ? -Errno.EPERM : -Errno.EINVAL; // may_mknod
      }
    }
  }

  override symlink(name: string, target: string, creds: FsCreds): Inode | number {
    const bytes = enc.encode(target).length;
    if (bytes === 0) return -Errno.ENOENT;
    if (bytes + 1 > PAGE_SIZE) return -Errno.ENAMETOOLONG; // shmem_symlink: the target with its NUL fits a page
    const long = TmpSymlink.needsPage(bytes);
    return this.addChild(name, () => {
      if (long && !this.fs.chargePages(1)) return -Errno.ENOSPC;
      const init = this.newInit(S_IFLNK, 0o777, creds);
      if (typeof init === 'number' && long) this.fs.unchargePages(1);
      return init;
    }, (init) => new TmpSymlink(this.fs, init, target, long));
  }

  override link(name: string, target: Inode): number {
    const bad = this.checkNewName(name);
    if (bad) return bad;
    if (!(target instanceof TmpInode) || target.fs !== this.fs) return -Errno.EXDEV;
    if (target.isDir) return -Errno.EPERM;
    if (target.nlink === 0) {
      // No linking a deleted file back in, but an O_TMPFILE file may get its first name (vfs_link).
      if (!target.linkable) return -Errno.ENOENT;
      if (!this.fs.recountInode()) return -Errno.ENOSPC;
      target.linkable = false;
    }
    this.entries.set(name, target);
    target.nlink++;
    const now = this.fs.now();
    target.touchChange(now);
    this.touchModify(now);
    return 0;
  }

  /**
   * O_TMPFILE (shmem_tmpfile): a regular file with no name, owned as a new file here would be. It
   * starts as an unlinked open file does: uncounted, its pages given back when it is collected.
   * A removed directory still makes them (as Linux tmpfs; ext4 says EPERM), but cannot name them.
   */
  tmpfile(mode: number, creds: FsCreds, linkable: boolean): Inode | number {
    const init = this.newInit(S_IFREG, mode, creds);
    if (typeof init === 'number') return init;
    const file = new TmpFile(this.fs, init);
    file.dropLink();
    file.linkable = linkable;
    return file;
  }

  /** Name checks for a new entry: valid, not taken, and this directory not removed. */
  private checkNewName(name: string): number {
    const bad = checkName(name, -Errno.EEXIST);
    if (bad) return bad;
    if (this.nlink === 0) return -Errno.ENOENT; // IS_DEADDIR
    return this.entries.has(name) ? -Errno.EEXIST : 0;
  }

  /**
   * Adds the inode `make` builds once `reserve` succeeded (ino and ownership, or -errno), and
   * stamps this directory modified.
   */
  private addChild(name: string, reserve: () => InodeInit | number, make: (init: InodeInit) => TmpInode): TmpInode | number {
    const bad = this.checkNewName(name);
    if (bad) return bad;
    const init = reserve();
    if (typeof init === 'number') return init;
    const child = make(init);
    this.entries.set(name, child);
    this.touchModify(child.ctime);
    return child;
  }

  /**
   * An inode number and the owner of a new inode (Linux inode_init_owner): the caller's fsuid;
   * the caller's fsgid, or this directory's gid when it is set-group-ID, which a subdirectory
   * also inherits. A file keeps set-group-ID only if its creator is in its group or has CAP_FSETID.
   */
  private newInit(type: number, mode: number, creds: FsCreds): InodeInit | number {
    const ino = this.fs.reserveInode();
    if (ino < 0) return ino;
    let perms = mode & 0o7777;
    let gid = creds.fsgid;
    if (this.mode & S_ISGID) {
      gid = this.gid;
      if (type === S_IFDIR) perms |= S_ISGID;
      else if ((perms & (S_ISGID | S_IXGRP)) === (S_ISGID | S_IXGRP) && !inGroup(creds, gid) && !hasCap(creds, CAP_FSETID)) {
        perms &= ~S_ISGID;
      }
    }
    return { ino, mode: perms, uid: creds.fsuid, gid };
  }

  // --- removal ---------------------------------------------------------------------------------

  override unlink(name: string): number {
    const bad = checkName(name, -Errno.EISDIR);
    if (bad) return bad;
    const child = this.entries.get(name);
    if (!child) return -Errno.ENOENT;
    if (child.isDir) return -Errno.EISDIR;
    this.removeEntry(name, child, this.fs.now());
    return 0;
  }

  override rmdir(name: string): number {
    const bad = checkName(name, -Errno.EINVAL);
    if (bad) return bad;
    const child = this.entries.get(name);
    if (!child) return -Errno.ENOENT;
    if (!(child instanceof TmpDir)) return -Errno.ENOTDIR;
    if (!child.isEmpty) return -Errno.ENOTEMPTY;
    this.removeEntry(name, child, this.fs.now());
    return 0;
  }

  get isEmpty(): boolean { return this.entries.size === 0; }

  /** Drops the entry `name` (a file's link, or a whole empty directory) and stamps both. */
  private removeEntry(name: string, child: TmpInode, now: Timespec): void {
    this.entries.delete(name);
    if (child instanceof TmpDir) {
      child.dropLink(); // its "."
      this.nlink--; // its ".."
    }
    child.dropLink();
    child.touchChange(now);
    this.touchModify(now);
  }

  // --- rename ----------------------------------------------------------------------------------

  /** renameat2(2) within this filesystem; the order of the checks follows do_renameat2 and vfs_rename. */
  override rename(oldName: string, newDir: Inode, newName: string, flags: number): number {
    if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT)) return -Errno.EINVAL;
    if ((flags & RENAME_EXCHANGE) && (flags & (RENAME_NOREPLACE | RENAME_WHITEOUT))) return -Errno.EINVAL;
    if (flags & RENAME_WHITEOUT) return -Errno.EINVAL; // needs the caller's creds for the whiteout node
    if (!(newDir instanceof TmpInode) || newDir.fs !== this.fs) return -Errno.EXDEV;
    if (!(newDir instanceof TmpDir)) return -Errno.ENOTDIR;
    const bad = checkName(oldName, -Errno.EINVAL) || checkName(newName, -Errno.EINVAL);
    if (bad) return bad;
    const source = this.entries.get(oldName);
    if (!source) return -Errno.ENOENT;
    if (newDir.nlink === 0) return -Errno.ENOENT; // a removed directory takes no new names
    const target = newDir.entries.get(newName);
    if (target && (flags & RENAME_NOREPLACE)) return -Errno.EEXIST;
    if (target === source) return 0; // the same inode under both names: nothing to do (vfs_rename)
    if (flags & RENAME_EXCHANGE) {
      if (!target) return -Errno.ENOENT;
      this.exchange(oldName, source, newDir, newName, target);
      return 0;
    }
    if (target) {
      if (source.isDir && !target.isDir) return -Errno.ENOTDIR;
      if (!source.isDir && target.isDir) return -Errno.EISDIR;
      if (target instanceof TmpDir && !target.isEmpty) return -Errno.ENOTEMPTY;
    }
    this.move(oldName, source, newDir, newName, target);
    return 0;
  }

  /** Moves `source` to `newName` in `newDir`, replacing `target` (checked compatible). */
  private move(oldName: string, source: TmpInode, newDir: TmpDir, newName: string, target: TmpInode | undefined): void {
    const now = this.fs.now();
    if (target) newDir.removeEntry(newName, target, now);
    this.entries.delete(oldName);
    newDir.entries.set(newName, source);
    if (source.isDir && newDir !== this) { // its ".." now counts in newDir
      this.nlink--;
      newDir.nlink++;
    }
    source.touchChange(now);
    this.touchModify(now);
    newDir.touchModify(now);
  }

  /** RENAME_EXCHANGE: each name now refers to the other inode; both keep their readdir places. */
  private exchange(oldName: string, source: TmpInode, newDir: TmpDir, newName: string, target: TmpInode): void {
    this.entries.set(oldName, target);
    newDir.entries.set(newName, source);
    if (newDir !== this && source.isDir !== target.isDir) {
      const gains = source.isDir ? newDir : this, loses = source.isDir ? this : newDir;
      gains.nlink++;
      loses.nlink--;
    }
    const now = this.fs.now();
    source.touchChange(now);
    target.touchChange(now);
    this.touchModify(now);
    newDir.touchModify(now);
  }
}
