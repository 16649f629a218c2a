// The host's files, read-only, as a filesystem of the VFS: the lower layer of the root overlay.
// Every operation goes through the Host's HostFs (the Gofer in runts), by canonical path: the VFS
// resolves symlinks itself, so the paths it hands down never contain one. Inode numbers are the
// host's (the sandbox shows one device; host files on other host devices could share a number,
// but the host's /proc, /sys and /dev, the usual other devices, are hidden by the sandbox's own).
// A few open host handles are kept so that sequential reads do not reopen the file.
//
// Attributes and names are cached for the life of the sandbox, as runsc's default
// --file-access=exclusive does for the root: the sandbox assumes nobody changes the host's root
// under it, and each lookup costs no Gofer round trip once made.

import type { Mappable, PageMemory } from '../../mm/mappable.js';
import { readOnlyPageCache } from '../../mm/page_cache.js';
import { Errno } from '../../abi/errno.js';
import type { HostFile, HostFs } from '../../host.js';
import type { Dirent, MaybeAsync } from '../file.js';
import { Inode, type Filesystem, type StatFs } from '../inode.js';
import { S_IFDIR, S_IFMT, type Stat } from '../stat.js';

/** Open host handles kept for reads (least recently used first). */
const OPEN_HANDLES = 32;

export class HostLowerFs implements Filesystem {
  readonly type = '9p';
  readonly readOnly = true;
  readonly root: HostInode;
  private readonly handles = new Map<HostInode, Promise<HostFile | number>>();

  private constructor(readonly host: HostFs, readonly dev: number, rootStat: Stat) {
    this.root = new HostInode(this, '/', S_IFDIR, rootStat.ino);
    this.root.remember(rootStat);
  }

  /** Attaches to the host root; -errno when it cannot be read. */
  static async create(host: HostFs, dev: number): Promise<HostLowerFs | number> {
    const st = await host.stat('/', true);
    if (typeof st === 'number') return st;
    if ((st.mode & S_IFMT) !== S_IFDIR) return -Errno.ENOTDIR;
    return new HostLowerFs(host, dev, st);
  }

  statfs(): StatFs {
    return { type: 0x01021997 /* V9FS_MAGIC */, bsize: 4096, blocks: 0, bfree: 0, bavail: 0, files: 0, ffree: 0, namelen: 255, frsize: 4096, flags: 1 /* ST_RDONLY */ };
  }

  /** An open host handle for reading `inode` (shared, kept for a while). */
  handle(inode: HostInode): Promise<HostFile | number> {
    let h = this.handles.get(inode);
    if (h !== undefined) {
      this.handles.delete(inode); // move to the most recently used end
      this.handles.set(inode, h);
      return h;
    }
    h = this.host.open(inode.path, false);
    this.handles.set(inode, h);
    void h.then((f) => { if (typeof f === 'number') this.handles.delete(inode); });
    if (this.handles.size > OPEN_HANDLES) {
      const [oldest, p] = this.handles.entries().next().value as [HostInode, Promise<HostFile | number>];
      this.handles.delete(oldest);
      void p.then((f) => { if (typeof f !== 'number') f.close(); });
    }
    return h;
  }
}

export class HostInode extends Inode {
  private readonly kids = new Map<string, HostInode>();
  private attrs: Stat | null = null;

  constructor(readonly fs: HostLowerFs, readonly path: string, readonly type: number, readonly ino: number) { super(); }

  override async stat(): Promise<Stat | number> {
    if (this.attrs !== null) return this.attrs;
    const st = await this.fs.host.stat(this.path, false);
    return typeof st === 'number' ? st : this.remember(st);
  }

  /** Keeps the host's attributes, shown on the sandbox's device. */
  remember(st: Stat): Stat {
    return this.attrs = { ...st, dev: this.fs.dev, ino: this.ino };
  }

  override async lookup(name: string): Promise<Inode | number> {
    if (!this.isDir) return -Errno.ENOTDIR;
    const known = this.kids.get(name);
    if (known) return known;
    const path = this.path === '/' ? `/${name}` : `${this.path}/${name}`;
    const st = await this.fs.host.stat(path, false);
    if (typeof st === 'number') return st;
    const child = new HostInode(this.fs, path, st.mode & S_IFMT, st.ino);
    child.remember(st);
    this.kids.set(name, child);
    return child;
  }

  override async readdir(): Promise<Dirent[] | number> {
    if (!this.isDir) return -Errno.ENOTDIR;
    const f = await this.fs.host.open(this.path, true);
    if (typeof f === 'number') return f;
    try {
      const all = await f.readdir();
      if (typeof all === 'number') return all;
      const dot = (n: Uint8Array) => n[0] === 0x2e && (n.length === 1 || (n.length === 2 && n[1] === 0x2e));
      return all.filter((e) => !dot(e.name));
    } finally {
      f.close();
    }
  }

  override readlink(): MaybeAsync<string | number> {
    return this.isSymlink ? this.fs.host.readlink(this.path) : -Errno.EINVAL;
  }

  override async read(dst: Uint8Array, offset: number): Promise<number> {
    if (this.isDir) return -Errno.EISDIR;
    const f = await this.fs.handle(this);
    if (typeof f === 'number') return f;
    return f.read(dst, offset);
  }

  override write(): number { return this.isDir ? -Errno.EISDIR : -Errno.EROFS; }

  /** The host layer never changes under the sandbox, so its pages are cached and shared. */
  override mappable(memory: PageMemory): Mappable | null { return this.isRegular ? readOnlyPageCache(this, memory) : null; }
}
