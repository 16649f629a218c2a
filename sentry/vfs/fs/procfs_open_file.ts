// Following /proc/PID/fd/N when the description has no place in the file tree (a pipe, a socket,
// the host's stdio): Linux opens the object behind the fd again. Here the link jumps to a detached
// location whose inode opens that same description, so `cat /dev/stdin` and `echo >/dev/stdout`
// work whatever stdio is. (Reopening shares the description's offset and status flags, where
// Linux would make a new description for a pipe.)

import { Errno } from '../../abi/errno.js';
import { Dentry, Mount, type Location } from '../dentry.js';
import type { Dirent, FileDescription } from '../file.js';
import { Inode, type Filesystem, type SetAttr, type StatFs } from '../inode.js';
import { S_IFDIR, S_IFMT, type Stat } from '../stat.js';

/** The filesystem the detached locations belong to (Linux's anon_inodefs, roughly). */
class OpenFileFs implements Filesystem {
  readonly type = 'anon_inodefs';
  readonly readOnly = false;
  readonly cacheable = false;
  readonly root: Inode;

  constructor(readonly dev: number) { this.root = new EmptyDir(this); }

  statfs(): StatFs {
    return { type: 0x09041934 /* ANON_INODE_FS_MAGIC */, bsize: 4096, blocks: 0, bfree: 0, bavail: 0, files: 0, ffree: 0, namelen: 255, frsize: 4096, flags: 0 };
  }
}

class EmptyDir extends Inode {
  readonly ino = 1;
  readonly type = S_IFDIR;
  constructor(readonly fs: OpenFileFs) { super(); }
  override stat(): Stat {
    const t = { sec: 0, nsec: 0 };
    return { dev: this.fs.dev, ino: 1, mode: S_IFDIR | 0o500, nlink: 2, uid: 0, gid: 0, rdev: 0, size: 0, blksize: 4096, blocks: 0, atime: t, mtime: t, ctime: t };
  }
  override lookup(): number { return -Errno.ENOENT; }
  override readdir(): Dirent[] { return []; }
}

/** An inode that stands for one open description: its attributes, and opening gives it back. */
class OpenFileInode extends Inode {
  constructor(readonly fs: OpenFileFs, readonly ino: number, readonly type: number, private readonly file: FileDescription) { super(); }

  override stat(): ReturnType<FileDescription['stat']> { return this.file.stat(); }
  override open(): FileDescription { return this.file; }
  /** O_TRUNC through the link (`echo >/dev/stdout`, size 0 and mtime now): a stream has nothing
   *  to truncate, and a host file behind stdio is never truncated from inside the sandbox. */
  override setattr(attr: SetAttr): number {
    const truncation = Object.keys(attr).every((k) => k === 'size' || k === 'mtime') && attr.size === 0;
    return truncation ? 0 : -Errno.EPERM;
  }
}

/** Makes the detached locations; one mount for all of them. */
export class OpenFileLocations {
  private mount: Mount | null = null;
  private readonly fs: OpenFileFs;

  constructor(dev: number) { this.fs = new OpenFileFs(dev); }

  async locate(file: FileDescription): Promise<Location | number> {
    const st = await file.stat();
    if (typeof st === 'number') return st;
    this.mount ??= new Mount(this.fs, null, 0, 'anon_inode');
    const inode = new OpenFileInode(this.fs, st.ino, st.mode & S_IFMT, file);
    // Named after the description's path, so that pathOf shows it (a leading "/" is added back).
    return { mount: this.mount, dentry: new Dentry(file.path.replace(/^\/+/, ''), null, inode) };
  }
}
