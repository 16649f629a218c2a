// The name side of the VFS: dentries (a name in a directory, bound to an inode, cached) and mounts
// (a filesystem grafted onto a dentry of another mount), as in Linux and gVisor's vfs. A place in
// the file tree is a Location: a mount and a dentry in it. Dentries are only a cache of what the
// filesystems answered; the VFS keeps them coherent when it changes names itself (create, unlink,
// rename) and a filesystem whose contents change behind its back (procfs) is looked up afresh.

import type { Filesystem, Inode } from './inode.js';

export class Dentry {
  /** Cached children by name (positive entries only). */
  readonly children = new Map<string, Dentry>();
  /** Mounts on this dentry, in mount order (the last one is visible). */
  mounts: Mount[] = [];
  /** Set when the name was removed (unlink, rmdir, rename over it): open files may still use it. */
  dead = false;

  constructor(public name: string, public parent: Dentry | null, readonly inode: Inode) {}

  /** The cached child, if the filesystem allows caching it. */
  cached(name: string): Dentry | undefined {
    return this.inode.fs.cacheable === false ? undefined : this.children.get(name);
  }

  /** The child `name`: from the cache, else looked up in the filesystem (and cached); -errno. */
  async child(name: string): Promise<Dentry | number> {
    const cached = this.cached(name);
    if (cached !== undefined) return cached;
    const r = await this.inode.lookup(name);
    return typeof r === 'number' ? r : this.addChild(name, r);
  }

  addChild(name: string, inode: Inode): Dentry {
    const d = new Dentry(name, this, inode);
    if (this.inode.fs.cacheable !== false) this.children.set(name, d);
    return d;
  }

  /** Forgets the child `name` (removed or replaced). */
  dropChild(name: string): void {
    const d = this.children.get(name);
    if (d) { d.dead = true; this.children.delete(name); }
  }

  get isMountpoint(): boolean { return this.mounts.length > 0; }
}

/** Mount flags the VFS honours (MS_* of mount(2)). */
export const MS_RDONLY = 1, MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8;

let nextMountId = 1;

export class Mount {
  readonly id = nextMountId++;
  readonly root: Dentry;

  constructor(
    readonly fs: Filesystem,
    /** Where it is mounted: the parent mount and the dentry in it; null for the root mount. */
    readonly parent: Location | null,
    public flags: number,
    /** The source as /proc/mounts shows it ("tmpfs", "proc", "none"). */
    readonly source: string,
  ) {
    this.root = new Dentry('/', null, fs.root);
  }

  get readOnly(): boolean { return (this.flags & MS_RDONLY) !== 0 || this.fs.readOnly; }
}

export interface Location {
  mount: Mount;
  dentry: Dentry;
}

/** Follows mounts stacked on a location down to the visible one. */
export function mountedAt(loc: Location): Location {
  let { mount, dentry } = loc;
  while (dentry.mounts.length > 0) {
    mount = dentry.mounts[dentry.mounts.length - 1];
    dentry = mount.root;
  }
  return mount === loc.mount ? loc : { mount, dentry };
}

/** The mount tree of a sandbox (one mount namespace). */
export class MountNamespace {
  readonly mounts: Mount[] = [];

  constructor(readonly root: Mount) {
    this.mounts.push(root);
  }

  get rootLocation(): Location { return { mount: this.root, dentry: this.root.root }; }

  /** Mounts `fs` on `at` (a directory location). */
  mount(fs: Filesystem, at: Location, flags: number, source: string): Mount {
    const m = new Mount(fs, at, flags, source);
    at.dentry.mounts.push(m);
    this.mounts.push(m);
    return m;
  }
}

/**
 * The absolute path of `loc` as seen from `root` (getcwd, /proc/PID/cwd): walks up dentries and
 * across mounts. A location outside `root` (after chroot) is shown from the real root, as Linux
 * does; a removed one gets " (deleted)" like Linux's d_path.
 */
export function pathOf(loc: Location, root: Location): string {
  const parts: string[] = [];
  let { mount, dentry } = loc;
  const deleted = dentry.dead;
  for (;;) {
    if (mount === root.mount && dentry === root.dentry) break;
    if (dentry === mount.root) {
      if (mount.parent === null) break;
      ({ mount, dentry } = mount.parent);
      continue;
    }
    parts.push(dentry.name);
    if (dentry.parent === null) break;
    dentry = dentry.parent;
  }
  const p = '/' + parts.reverse().join('/');
  return deleted ? `${p} (deleted)` : p;
}
