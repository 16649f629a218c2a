// Synthetic inodes for the filesystems that show kernel state (procfs, sysfs): directories whose
// children are computed on each lookup, files generated when opened (a snapshot, as Linux's
// seq_file fills its buffer), and symlinks whose text is computed (magic links also jump).
// Nothing is stored: every answer comes from the functions given at construction.

import { Errno } from '../../abi/errno.js';
import type { Location } from '../dentry.js';
import { O_ACCMODE, O_RDONLY, O_WRONLY, type Dirent, type FileDescription, type MaybeAsync } from '../file.js';
import { Inode, type Filesystem } from '../inode.js';
import { direntType } from '../inode_file.js';
import { S_IFDIR, S_IFLNK, S_IFREG, type Stat, type Timespec } from '../stat.js';

const enc = new TextEncoder();
const SEEK_SET = 0, SEEK_CUR = 1;

/** What synthetic inodes need from their filesystem. */
export interface SynthFs extends Filesystem {
  /** The clock for timestamps (proc inodes show about the time they are looked at). */
  now(): Timespec;
  /** st_blksize (1024 in procfs, the page size in sysfs). */
  readonly blksize: number;
  /**
   * Where the filesystem is mounted ("/proc"): the path an open file reports (/proc/self/fd).
   * Inode.open gets no location, so the file cannot compute it from the mount.
   */
  readonly mountPath: string;
}

export interface Owner { uid: number; gid: number }

export const ROOT_OWNER = (): Owner => ({ uid: 0, gid: 0 });

/** File contents: text (encoded as UTF-8) or bytes, or -errno when they cannot be made. */
export type Content = string | Uint8Array;

function bytesOf(c: Content): Uint8Array { return typeof c === 'string' ? enc.encode(c) : c; }

export abstract class SynthInode extends Inode {
  constructor(
    readonly fs: SynthFs,
    readonly ino: number,
    readonly type: number,
    /** Permission bits. */
    readonly perm: number,
    /** The path inside the filesystem ("/1/status"). */
    readonly path: string,
    protected readonly owner: () => Owner = ROOT_OWNER,
  ) { super(); }

  protected size(): number { return 0; }
  protected nlink(): MaybeAsync<number> { return 1; }

  override async stat(): Promise<Stat> {
    const t = this.fs.now();
    const { uid, gid } = this.owner();
    return {
      dev: this.fs.dev, ino: this.ino, mode: this.type | this.perm, nlink: await this.nlink(), uid, gid, rdev: 0,
      size: this.size(), blksize: this.fs.blksize, blocks: 0, atime: t, mtime: t, ctime: t,
    };
  }

  override write(): number { return this.isDir ? -Errno.EISDIR : -Errno.EACCES; }
  override setattr(): number { return -Errno.EPERM; }
}

/** A child: its name and how to make its inode (only the one looked up is made). */
export type Child = readonly [name: string, make: () => Inode];

export abstract class SynthDir extends SynthInode {
  constructor(fs: SynthFs, ino: number, perm: number, path: string, owner?: () => Owner) {
    super(fs, ino, S_IFDIR, perm, path, owner);
  }

  /** The children in listing order, or -errno (the task behind the directory is gone). */
  protected abstract children(): MaybeAsync<readonly Child[] | number>;

  override lookup(name: string): MaybeAsync<Inode | number> {
    return this.find(name);
  }

  private async find(name: string): Promise<Inode | number> {
    const kids = await this.children();
    if (typeof kids === 'number') return kids;
    const c = kids.find(([n]) => n === name);
    return c ? c[1]() : -Errno.ENOENT;
  }

  override async readdir(): Promise<Dirent[] | number> {
    const kids = await this.children();
    if (typeof kids === 'number') return kids;
    return kids.map(([name, make]) => {
      const i = make();
      return { ino: i.ino, type: direntType(i.type), name: enc.encode(name) };
    });
  }

  /** 2 + subdirectories, as Linux counts them for proc and sysfs directories. */
  protected override nlink(): MaybeAsync<number> { return this.countSubdirs(); }

  private async countSubdirs(): Promise<number> {
    const kids = await this.children();
    if (typeof kids === 'number') return 2;
    return 2 + kids.filter(([, make]) => make().isDir).length;
  }

  /** The child inode's path under this one. */
  protected sub(name: string): string { return this.path === '/' ? `/${name}` : `${this.path}/${name}`; }
}

/** A directory of fixed children (made once: the static parts of /proc/sys and sysfs). */
export class StaticDir extends SynthDir {
  private readonly kids: Child[] = [];

  add(name: string, inode: Inode): this {
    this.kids.push([name, () => inode]);
    return this;
  }

  /** The child `name`, if added. */
  child(name: string): Inode | undefined {
    const c = this.kids.find(([n]) => n === name);
    return c ? c[1]() : undefined;
  }

  protected children(): readonly Child[] { return this.kids; }
}

/** A regular file whose contents are generated at open (and for each inode-level read). */
export class SynthFile extends SynthInode {
  constructor(
    fs: SynthFs, ino: number, perm: number, path: string, owner: (() => Owner) | undefined,
    private readonly generate: () => MaybeAsync<Content | number>,
  ) {
    super(fs, ino, S_IFREG, perm, path, owner);
  }

  override async open(flags: number): Promise<FileDescription | number> {
    const c = await this.generate();
    if (typeof c === 'number') return c;
    return new SnapshotFile(this, bytesOf(c), flags);
  }

  override async read(dst: Uint8Array, offset: number): Promise<number> {
    const c = await this.generate();
    if (typeof c === 'number') return c;
    return copyAt(bytesOf(c), dst, offset);
  }
}

/** A symlink with computed text; a magic link also names its target directly (jump). */
export class SynthLink extends SynthInode {
  constructor(
    fs: SynthFs, ino: number, perm: number, path: string, owner: (() => Owner) | undefined,
    private readonly text: () => MaybeAsync<string | number>,
    private readonly target: (() => MaybeAsync<Location | null | number>) | null = null,
    /** st_size: Linux shows 0 for proc's own links, 64 for fd links, the length for plain ones. */
    private readonly linkSize = 0,
  ) {
    super(fs, ino, S_IFLNK, perm, path, owner);
  }

  protected override size(): number { return this.linkSize; }
  override readlink(): MaybeAsync<string | number> { return this.text(); }
  override jump(): MaybeAsync<Location | null | number> { return this.target === null ? null : this.target(); }
}

function copyAt(src: Uint8Array, dst: Uint8Array, offset: number): number {
  if (offset >= src.length) return 0;
  const n = Math.min(dst.length, src.length - offset);
  dst.set(src.subarray(offset, offset + n));
  return n;
}

/** An open generated file: the contents taken at open, read at any offset. */
export class SnapshotFile implements FileDescription {
  private pos = 0;

  constructor(private readonly inode: SynthInode, private readonly data: Uint8Array, public flags: number) {}

  get path(): string {
    const { mountPath } = this.inode.fs;
    return this.inode.path === '/' ? mountPath : mountPath + this.inode.path;
  }

  read(dst: Uint8Array, offset: number): number {
    if ((this.flags & O_ACCMODE) === O_WRONLY) return -Errno.EBADF;
    const at = offset < 0 ? this.pos : offset;
    const n = copyAt(this.data, dst, at);
    if (offset < 0) this.pos = at + n;
    return n;
  }

  /** Linux's proc files without a write method refuse writes even to root (EINVAL). */
  write(): number { return (this.flags & O_ACCMODE) === O_RDONLY ? -Errno.EBADF : -Errno.EINVAL; }

  /** seq_lseek: SEEK_SET and SEEK_CUR only. */
  seek(offset: number, whence: number): number {
    if (whence !== SEEK_SET && whence !== SEEK_CUR) return -Errno.EINVAL;
    const pos = whence === SEEK_SET ? offset : this.pos + offset;
    if (pos < 0) return -Errno.EINVAL;
    this.pos = pos;
    return pos;
  }

  stat(): Promise<Stat | number> { return this.inode.stat(); }
  ioctl(): number { return -Errno.ENOTTY; }
  readdir(): number { return -Errno.ENOTDIR; }
  readable(): number { return Math.max(0, this.data.length - this.pos); }
  release(): void { /* the snapshot goes with the description */ }
}
