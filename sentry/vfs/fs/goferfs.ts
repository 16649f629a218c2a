// The gofer filesystem: host files served by the Gofer (gofer/), as a Filesystem of the VFS, like
// gVisor's fsimpl/gofer over lisafs. Each inode holds a Gofer handle and walks one name from it
// (never a path from the mount root), and its attributes, names, listing and symlink target are
// cached: the Sentry is the only writer of a mount (runsc's exclusive file access), so what it
// cached stays true as long as each of its own changes updates it (goferfs_inode.ts). The inodes
// live in goferfs_inode.ts; the handles' bounds and lifetime in goferfs_handles.ts.
// Pure ECMAScript: the Gofer's socket is behind GoferClient's transport (sentry/node/).

import type { GoferClient } from '../../../gofer/client.js';
import type { Inode as WireInode } from '../../../gofer/protocol.js';
import type { Filesystem, StatFs } from '../inode.js';
import { S_IFMT, type Timespec } from '../stat.js';
import { Closer, HandleLru, type Held } from './goferfs_handles.js';
import { GoferInode } from './goferfs_inode.js';

/** statfs f_type of a gofer mount, as gVisor reports it (linux/magic.h). */
export const V9FS_MAGIC = 0x01021997;
const ST_RDONLY = 1;

/** Control handles (host O_PATH fds in the Gofer) one mount keeps before closing the least used. */
export const DEFAULT_CONTROL_HANDLES = 4096;
/** Open host files one mount keeps (for reads and writes) before closing the least used. */
export const DEFAULT_OPEN_FILES = 128;

export interface GoferFsOptions {
  /** st_dev of every inode. */
  dev: number;
  /** Writes answer EROFS (the Gofer serves the mount read-only too). */
  readOnly: boolean;
  /**
   * The clock for a directory's times after the Sentry added or removed a file in it (as the host
   * just did); without it they are asked for again.
   */
  now?: () => Timespec;
  controlHandles?: number;
  openFiles?: number;
}

export class GoferFs implements Filesystem {
  readonly type = '9p';
  readonly dev: number;
  readonly readOnly: boolean;
  readonly now: (() => Timespec) | undefined;
  readonly root: GoferInode;
  readonly closer: Closer;
  /** Inodes holding a control handle (the root, which has no parent to re-walk from, is never in it). */
  readonly controls: HandleLru<GoferInode>;
  /** Inodes holding open file handles. */
  readonly files: HandleLru<GoferInode>;
  /** Closes what a garbage inode still held (an unlinked file once its last user let go). */
  private readonly finalizer: FinalizationRegistry<{ held: Held; key: string }>;
  /** Live inodes by host identity, so two names of one host file are one inode (hard links). */
  private readonly byHostId = new Map<string, WeakRef<GoferInode>>();

  private constructor(readonly client: GoferClient, root: WireInode, opts: GoferFsOptions) {
    this.dev = opts.dev;
    this.readOnly = opts.readOnly;
    this.now = opts.now;
    this.closer = new Closer(client);
    this.finalizer = new FinalizationRegistry(({ held, key }) => {
      held.closeAll(this.closer);
      if (this.byHostId.get(key)?.deref() === undefined) this.byHostId.delete(key);
    });
    this.controls = new HandleLru(opts.controlHandles ?? DEFAULT_CONTROL_HANDLES, (i) => i.dropControl());
    this.files = new HandleLru(opts.openFiles ?? DEFAULT_OPEN_FILES, (i) => i.dropFiles());
    this.root = this.make(null, '/', root);
  }

  /** Attaches to the Gofer's mount `name`; -errno when the Gofer refuses (or is gone: EIO). */
  static async mount(client: GoferClient, name: string, opts: GoferFsOptions): Promise<GoferFs | number> {
    const r = await client.call('Mount', { mount: name });
    if (!r.ok) return -r.errno;
    return new GoferFs(client, r.value.root, opts);
  }

  async statfs(): Promise<StatFs | number> {
    const r = await this.root.use((h) => this.client.call('FStatFS', { handle: h }));
    if (typeof r === 'number') return r;
    if (!r.ok) return -r.errno;
    const s = r.value.statfs;
    return {
      type: V9FS_MAGIC, bsize: s.blockSize, blocks: s.blocks, bfree: s.bfree, bavail: s.bavail, files: s.files,
      ffree: s.ffree, namelen: s.nameLength, frsize: s.blockSize, flags: this.readOnly ? ST_RDONLY : 0,
    };
  }

  /**
   * The inode for a handle the Gofer just made for `name` in `parent`: the live inode of that
   * host file if there is one (it keeps its own name; the new handle is then given back), else
   * a new inode.
   */
  adopt(parent: GoferInode, name: string, w: WireInode): GoferInode {
    const key = hostId(w);
    const known = this.byHostId.get(key)?.deref();
    if (known !== undefined && known.type === (w.stat.mode & S_IFMT)) {
      if (known.held.control < 0) known.takeControl(w.handle);
      else this.closer.close(w.handle);
      known.refreshed(w.stat);
      return known;
    }
    return this.make(parent, name, w);
  }

  private make(parent: GoferInode | null, name: string, w: WireInode): GoferInode {
    const i = new GoferInode(this, parent, name, w);
    const key = hostId(w);
    this.finalizer.register(i, { held: i.held, key });
    this.byHostId.set(key, new WeakRef(i));
    if (parent !== null) this.controls.touch(i);
    return i;
  }

  /** `i` lost its name: a new file that gets its host inode number must not be taken for it. */
  forgetHostId(i: GoferInode): void {
    const key = `${i.hostDev}:${i.ino}`;
    if (this.byHostId.get(key)?.deref() === i) this.byHostId.delete(key);
  }
}

function hostId(w: WireInode): string { return `${w.stat.dev}:${w.stat.ino}`; }
