// The inodes of the gofer filesystem (goferfs.ts). An inode holds a Gofer control handle and
// reaches a child by walking one name from it; it remembers its parent and name so that a handle
// closed to stay within the budget can be walked to again. Attributes, the names looked up (found
// or missing), a directory's listing and a symlink's target are cached; every change the Sentry
// makes through an inode drops or updates what it changed, so the caches stay true.
// Linux's rules (permissions, EEXIST before EROFS, ...) are the VFS's; the host answers the rest.

import type { Dirent as WireDirent, Inode as WireInode, Result, Stat as WireStat, Timespec as WireTime } from '../../../gofer/protocol.js';
import {
  AT_REMOVEDIR, Errno as WireErrno, MAX_IO, O_RDONLY as WIRE_RDONLY, O_RDWR as WIRE_RDWR, O_WRONLY as WIRE_WRONLY, PATH_MAX,
  SetStatMask, UTIME_NOW, UTIME_OMIT,
} from '../../../gofer/protocol.js';
import { Errno } from '../../abi/errno.js';
import type { Mappable, PageMemory } from '../../mm/mappable.js';
import { readOnlyPageCache } from '../../mm/page_cache.js';
import { O_ACCMODE, O_PATH, O_RDONLY, O_WRONLY, type Dirent, type FileDescription, type MaybeAsync } from '../file.js';
import { Inode, RENAME_EXCHANGE, type FsCreds, type SetAttr, type TimeSpec } from '../inode.js';
import { S_IFDIR, S_IFLNK, S_IFMT, S_IFREG, type Stat } from '../stat.js';
import type { GoferFs } from './goferfs.js';
import { Held } from './goferfs_handles.js';

/** Bytes asked for per Getdents64 call. */
const DIRENTS_CHUNK = 256 * 1024;
/** Largest xattr value or list (XATTR_SIZE_MAX, XATTR_LIST_MAX). */
const XATTR_MAX = 65536;
/** An owner the Gofer leaves as the host made it. */
const KEEP = 0xffffffff;
const S_ISGID = 0o2000;
const enc = new TextEncoder();
const dec = new TextDecoder();

type Failed = { ok: false; errno: number };
/** 0, or the -errno of a failed call (or of a handle that could not be had). */
function status(r: { ok: true } | Failed | number): number { return typeof r === 'number' ? r : r.ok ? 0 : -r.errno; }

function wireTime(t: TimeSpec | undefined): WireTime {
  if (t === undefined) return { sec: 0, nsec: UTIME_OMIT };
  return t === 'now' ? { sec: 0, nsec: UTIME_NOW } : { sec: t.sec, nsec: t.nsec };
}

export class GoferInode extends Inode {
  readonly ino: number;
  readonly type: number;
  /** The host's st_dev (the sandbox shows the mount's own device). */
  readonly hostDev: number;
  readonly held = new Held();
  /** Attributes as the Gofer last gave them; null once a change made them stale. */
  private attrs: WireStat | null;
  /** `attrs` as stat() shows them, made once (callers copy before changing, as the overlay does). */
  private shownAttrs: Stat | null = null;
  /** Bumped by every change, so an answer that raced with one is not cached. */
  private generation = 0;
  /** A directory's children looked up so far: an inode, or null for a name known missing. */
  private readonly kids: Map<string, GoferInode | null> | null;
  private listing: Dirent[] | null = null;
  private target: string | null = null;
  /** Operations in flight using this inode's handles: it keeps them open meanwhile. */
  private busy = 0;
  /** Its name is gone (unlinked, renamed over): its handle is the only way to it now. */
  private detached = false;
  private acquiring: Promise<number> | null = null;
  private openingReader: Promise<number> | null = null;
  private openingWriter: Promise<number> | null = null;

  constructor(readonly fs: GoferFs, private parent: GoferInode | null, private name: string, w: WireInode) {
    super();
    this.ino = w.stat.ino;
    this.type = w.stat.mode & S_IFMT;
    this.hostDev = w.stat.dev;
    this.held.control = w.handle;
    this.attrs = w.stat;
    this.kids = this.type === S_IFDIR ? new Map() : null;
  }

  // --- handles ---------------------------------------------------------------------------------

  /** Runs `fn` with this inode's control handle (walked to again if it was closed); -errno if none. */
  async use<T>(fn: (handle: number) => Promise<T>): Promise<T | number> {
    this.busy++;
    try {
      const h = await this.control();
      return h < 0 ? h : await fn(h);
    } finally { this.busy--; }
  }

  /** Keeps the control handle open (had first) until release(): 0 or -errno. */
  async hold(): Promise<number> {
    this.busy++;
    const h = await this.control();
    if (h < 0) this.busy--;
    return h < 0 ? h : 0;
  }
  release(): void { this.busy--; }

  private get evictable(): boolean { return this.busy === 0 && this.parent !== null && !this.detached; }

  private control(): number | Promise<number> {
    if (this.held.control >= 0) {
      if (this.parent !== null && !this.detached) this.fs.controls.touch(this);
      return this.held.control;
    }
    if (this.parent === null || this.detached) return -WireErrno.ESTALE; // nothing left to walk from
    return this.acquiring ??= this.rewalk().finally(() => { this.acquiring = null; });
  }

  /** Walks to this inode again from its parent; the same host file or -ESTALE. */
  private async rewalk(): Promise<number> {
    const name = this.name;
    const r = await this.parent!.use((h) => this.fs.client.call('Walk', { dir: h, names: [enc.encode(name)] }));
    if (typeof r === 'number') return r;
    if (!r.ok) return -r.errno;
    const w = r.value.inodes[0];
    if (w === undefined) return -WireErrno.ESTALE;
    if ((w.stat.mode & S_IFMT) !== this.type || w.stat.ino !== this.ino || w.stat.dev !== this.hostDev) {
      this.fs.closer.close(w.handle); // replaced behind the Sentry's back
      return -WireErrno.ESTALE;
    }
    this.takeControl(w.handle);
    return w.handle;
  }

  /** A control handle for this inode (when it had none). */
  takeControl(handle: number): void {
    this.held.control = handle;
    if (this.parent !== null && !this.detached) this.fs.controls.touch(this);
  }

  /** Closes the control handle to stay within the budget; false when it must stay open. */
  dropControl(): boolean {
    if (!this.evictable) return false;
    this.fs.closer.close(this.held.control);
    this.held.control = -1;
    return true;
  }

  /** Closes the open file handles to stay within the budget; false while they are in use. */
  dropFiles(): boolean {
    if (this.busy > 0) return false;
    this.fs.closer.close(this.held.reader);
    this.fs.closer.close(this.held.writer);
    this.held.reader = this.held.writer = -1;
    this.held.writerReads = false;
    return true;
  }

  /** The Gofer's fresh attributes for this inode. */
  refreshed(st: WireStat): void { this.setAttrs(st); }

  /** Its attributes changed (size, times, link count, mode): read them again when asked. */
  private invalidate(): void { this.setAttrs(null); }

  private setAttrs(a: WireStat | null): void {
    this.attrs = a;
    this.shownAttrs = null;
    this.generation++;
  }

  /**
   * Its entries changed: the listing is stale. With `refetch` (a subdirectory came or went, so the
   * link count moved; or a call failed, so who knows) its attributes are asked for again;
   * otherwise only its times moved on, and the Sentry's clock sets them here as the host just did
   * (as runsc's exclusive mode does), which saves a call per file made or removed.
   */
  private changed(refetch: boolean): void {
    this.listing = null;
    const now = this.fs.now;
    if (refetch || this.attrs === null || now === undefined) { this.invalidate(); return; }
    const t = now();
    this.setAttrs({ ...this.attrs, mtimeSec: t.sec, mtimeNsec: t.nsec, ctimeSec: t.sec, ctimeNsec: t.nsec });
  }

  /** The name `name` in `dir` was removed: if it was ours, only the handle leads here now. */
  private lostName(dir: GoferInode, name: string): void {
    this.invalidate();
    if (this.parent !== dir || this.name !== name) return;
    this.detached = true;
    this.fs.controls.forget(this); // kept until the inode is garbage (open files still use it)
    this.fs.forgetHostId(this);
  }

  private moved(from: GoferInode, oldName: string, to: GoferInode, newName: string): void {
    this.invalidate(); // ctime
    if (this.parent === from && this.name === oldName) { this.parent = to; this.name = newName; }
  }

  // --- attributes ------------------------------------------------------------------------------

  override stat(): MaybeAsync<Stat | number> {
    if (this.attrs === null) return this.fetchAttrs();
    return this.shownAttrs ??= this.shown(this.attrs);
  }

  private async fetchAttrs(): Promise<Stat | number> {
    const gen = this.generation;
    const r = await this.use((h) => this.fs.client.call('FStat', { handle: h }));
    if (typeof r === 'number') return r;
    if (!r.ok) return -r.errno;
    if (gen !== this.generation) return this.shown(r.value.stat);
    this.setAttrs(r.value.stat);
    return this.shownAttrs = this.shown(r.value.stat);
  }

  /** The host's attributes as the sandbox shows them: on the mount's device. */
  private shown(s: WireStat): Stat {
    return {
      dev: this.fs.dev, ino: this.ino, mode: s.mode, nlink: s.nlink, uid: s.uid, gid: s.gid, rdev: s.rdev,
      size: s.size, blksize: s.blksize, blocks: s.blocks,
      atime: { sec: s.atimeSec, nsec: s.atimeNsec }, mtime: { sec: s.mtimeSec, nsec: s.mtimeNsec }, ctime: { sec: s.ctimeSec, nsec: s.ctimeNsec },
    };
  }

  override async setattr(attr: SetAttr): Promise<number> {
    if (this.fs.readOnly) return -Errno.EROFS;
    let mask = 0;
    if (attr.mode !== undefined) mask |= SetStatMask.Mode;
    if (attr.uid !== undefined) mask |= SetStatMask.Uid;
    if (attr.gid !== undefined) mask |= SetStatMask.Gid;
    if (attr.size !== undefined) mask |= SetStatMask.Size;
    if (attr.atime !== undefined) mask |= SetStatMask.Atime;
    if (attr.mtime !== undefined) mask |= SetStatMask.Mtime;
    if (mask === 0) return 0;
    const r = await this.use((h) => this.fs.client.call('SetStat', {
      handle: h, mask, mode: (attr.mode ?? 0) & 0o7777, uid: attr.uid ?? KEEP, gid: attr.gid ?? KEEP, size: attr.size ?? 0,
      atime: wireTime(attr.atime), mtime: wireTime(attr.mtime),
    }));
    this.invalidate();
    return status(r);
  }

  override async getxattr(name: string): Promise<Uint8Array | number> {
    const r = await this.use((h) => this.fs.client.call('GetXattr', { handle: h, name, size: XATTR_MAX }));
    return typeof r === 'number' ? r : r.ok ? r.value.value : -r.errno;
  }

  override async setxattr(name: string, value: Uint8Array, flags: number): Promise<number> {
    if (this.fs.readOnly) return -Errno.EROFS;
    const r = await this.use((h) => this.fs.client.call('SetXattr', { handle: h, name, value, flags }));
    this.invalidate();
    return status(r);
  }

  override async listxattr(): Promise<string[] | number> {
    const r = await this.use((h) => this.fs.client.call('ListXattr', { handle: h, size: XATTR_MAX }));
    return typeof r === 'number' ? r : r.ok ? r.value.names : -r.errno;
  }

  override async removexattr(name: string): Promise<number> {
    if (this.fs.readOnly) return -Errno.EROFS;
    const r = await this.use((h) => this.fs.client.call('RemoveXattr', { handle: h, name }));
    this.invalidate();
    return status(r);
  }

  // --- names -----------------------------------------------------------------------------------

  override lookup(name: string): MaybeAsync<Inode | number> {
    if (this.kids === null) return -Errno.ENOTDIR;
    const known = this.kids.get(name);
    if (known !== undefined) return known ?? -Errno.ENOENT;
    return this.walk(name);
  }

  private async walk(name: string): Promise<Inode | number> {
    const r = await this.use((h) => this.fs.client.call('Walk', { dir: h, names: [enc.encode(name)] }));
    if (typeof r === 'number') return r;
    if (!r.ok) return -r.errno;
    const w = r.value.inodes[0];
    if (w === undefined) {
      this.kids!.set(name, null);
      return -Errno.ENOENT;
    }
    // A symlink comes back as itself (the Gofer never follows one): the VFS resolves it.
    const kid = this.fs.adopt(this, name, w);
    this.kids!.set(name, kid);
    return kid;
  }

  override async readdir(): Promise<Dirent[] | number> {
    if (this.kids === null) return -Errno.ENOTDIR;
    if (this.listing !== null) return this.listing;
    const gen = this.generation;
    const r = await this.use(async (h) => {
      const o = await this.fs.client.call('OpenAt', { handle: h, flags: WIRE_RDONLY });
      if (!o.ok) return -o.errno;
      try { return await this.entries(o.value.fd); } finally { this.fs.closer.close(o.value.fd); }
    });
    if (typeof r !== 'number' && gen === this.generation) this.listing = r;
    return r;
  }

  /** Every entry of an open directory ("." and ".." are the VFS's). */
  private async entries(fd: number): Promise<Dirent[] | number> {
    const out: Dirent[] = [];
    for (let offset = 0; ;) {
      const r = await this.fs.client.call('Getdents64', { fd, offset, count: DIRENTS_CHUNK });
      if (!r.ok) return -r.errno;
      const ds: WireDirent[] = r.value.dirents;
      if (ds.length === 0) return out;
      for (const d of ds) out.push({ ino: d.ino, type: d.type, name: d.name });
      const next = ds[ds.length - 1].off;
      if (next <= offset) return out; // a server that does not advance: stop rather than loop
      offset = next;
    }
  }

  override readlink(): MaybeAsync<string | number> {
    if (this.type !== S_IFLNK) return -Errno.EINVAL;
    return this.target ?? this.fetchTarget();
  }

  private async fetchTarget(): Promise<string | number> {
    const r = await this.use((h) => this.fs.client.call('ReadLinkAt', { handle: h }));
    if (typeof r === 'number') return r;
    if (!r.ok) return -r.errno;
    return this.target = dec.decode(r.value.target);
  }

  /** The owner the host should give a new child: the caller's, or the directory's group when it is set-group-ID (the host does that itself). */
  private async ownerFor(creds: FsCreds): Promise<{ uid: number; gid: number }> {
    const st = await this.stat();
    const inherit = typeof st !== 'number' && (st.mode & S_ISGID) !== 0;
    return { uid: creds.fsuid, gid: inherit ? KEEP : creds.fsgid };
  }

  /** Common end of the calls that make a child: cache it, or pass on the error. */
  private made(name: string, r: Result<'MkdirAt'> | Result<'OpenCreateAt'> | number, isDir = false): GoferInode | number {
    if (typeof r === 'number' || !r.ok) { this.changed(true); return status(r); } // nothing made, probably: ask again
    this.changed(isDir);
    const kid = this.fs.adopt(this, name, r.value.child);
    this.kids!.set(name, kid);
    return kid;
  }

  private writableDir(): number {
    if (this.kids === null) return -Errno.ENOTDIR;
    return this.fs.readOnly ? -Errno.EROFS : 0;
  }

  override async create(name: string, mode: number, creds: FsCreds): Promise<Inode | number> {
    const bad = this.writableDir();
    if (bad < 0) return bad;
    const { uid, gid } = await this.ownerFor(creds);
    // Opened read-write at creation: the file may be written through it whatever its mode says.
    const r = await this.use((h) => this.fs.client.call('OpenCreateAt', { dir: h, name: enc.encode(name), flags: WIRE_RDWR, mode: mode & 0o7777, uid, gid }));
    const kid = this.made(name, r);
    if (typeof kid !== 'number' && typeof r !== 'number' && r.ok) kid.keepWriter(r.value.fd);
    return kid;
  }

  override async mkdir(name: string, mode: number, creds: FsCreds): Promise<Inode | number> {
    const bad = this.writableDir();
    if (bad < 0) return bad;
    const { uid, gid } = await this.ownerFor(creds);
    return this.made(name, await this.use((h) => this.fs.client.call('MkdirAt', { dir: h, name: enc.encode(name), mode: mode & 0o7777, uid, gid })), true);
  }

  override async mknod(name: string, mode: number, rdev: number, creds: FsCreds): Promise<Inode | number> {
    const bad = this.writableDir();
    if (bad < 0) return bad;
    const { uid, gid } = await this.ownerFor(creds);
    // FIFOs are made on the host; the Gofer makes no devices or sockets there (EPERM).
    return this.made(name, await this.use((h) => this.fs.client.call('MknodAt', { dir: h, name: enc.encode(name), mode, rdev, uid, gid })));
  }

  override async symlink(name: string, target: string, creds: FsCreds): Promise<Inode | number> {
    const bad = this.writableDir();
    if (bad < 0) return bad;
    const bytes = enc.encode(target);
    if (bytes.length >= PATH_MAX) return -Errno.ENAMETOOLONG;
    const { uid, gid } = await this.ownerFor(creds);
    return this.made(name, await this.use((h) => this.fs.client.call('SymlinkAt', { dir: h, name: enc.encode(name), target: bytes, uid, gid })));
  }

  override async link(name: string, target: Inode): Promise<number> {
    if (!(target instanceof GoferInode) || target.fs !== this.fs) return -Errno.EXDEV;
    const bad = this.writableDir();
    if (bad < 0) return bad;
    // The Gofer links by name (never by handle): the target's current name in its directory.
    const from = target.parent;
    if (from === null || target.detached) return -Errno.ENOENT;
    const oldName = target.name;
    const r = await this.use((h) => from.use((oh) => this.fs.client.call('LinkAt', { dir: h, name: enc.encode(name), oldDir: oh, oldName: enc.encode(oldName) })));
    target.invalidate(); // link count, ctime
    this.changed(typeof r === 'number' || !r.ok);
    if (typeof r === 'number' || !r.ok) return status(r);
    const made = r.value.child;
    this.fs.closer.close(made.handle);
    if (made.stat.ino !== target.ino || made.stat.dev !== target.hostDev) {
      // Its name led to another file (changed behind the Sentry's back): take the link back.
      await this.use((h) => this.fs.client.call('UnlinkAt', { dir: h, name: enc.encode(name), flags: 0 }));
      return -WireErrno.ESTALE;
    }
    this.kids!.set(name, target);
    return 0;
  }

  override unlink(name: string): Promise<number> { return this.remove(name, 0); }
  override rmdir(name: string): Promise<number> { return this.remove(name, AT_REMOVEDIR); }

  private async remove(name: string, flags: number): Promise<number> {
    const bad = this.writableDir();
    if (bad < 0) return bad;
    // An open file outlives its name: its handle (had now, if it was closed) keeps the host inode.
    const victim = this.kids!.get(name) ?? null;
    const held = victim !== null && (await victim.hold()) === 0 ? victim : null;
    try {
      const r = await this.use((h) => this.fs.client.call('UnlinkAt', { dir: h, name: enc.encode(name), flags }));
      const failed = typeof r === 'number' || !r.ok;
      this.changed(failed || (flags & AT_REMOVEDIR) !== 0);
      if (failed) return status(r);
      this.kids!.set(name, null);
      victim?.lostName(this, name);
      return 0;
    } finally { held?.release(); }
  }

  override async rename(oldName: string, newDir: Inode, newName: string, flags: number): Promise<number> {
    if (!(newDir instanceof GoferInode) || newDir.fs !== this.fs) return -Errno.EXDEV;
    const bad = this.writableDir();
    if (bad < 0) return bad;
    // Without its native helper the Gofer has no renameat2, and an exchange cannot be emulated
    // atomically. RENAME_NOREPLACE needs nothing more: the VFS found no entry at the target, and
    // nobody else changes this mount.
    if (flags & RENAME_EXCHANGE) return -Errno.EINVAL;
    const moved = this.kids!.get(oldName) ?? null;
    const replaced = newDir.kids!.get(newName) ?? null;
    // Both keep their handles while their names change (so none is walked to by a stale name).
    const heldMoved = moved !== null && (await moved.hold()) === 0 ? moved : null;
    const heldReplaced = replaced !== null && replaced !== moved && (await replaced.hold()) === 0 ? replaced : null;
    try {
      const r = await this.use((oh) => newDir.use((nh) => this.fs.client.call('RenameAt', {
        oldDir: oh, oldName: enc.encode(oldName), newDir: nh, newName: enc.encode(newName), flags: 0,
      })));
      // A directory moving (or replaced) changes both parents' link counts.
      const failed = typeof r === 'number' || !r.ok;
      const exact = failed || moved === null || moved.isDir;
      this.changed(exact);
      newDir.changed(exact);
      if (failed) return status(r);
      this.kids!.set(oldName, null);
      if (replaced !== null && replaced !== moved) replaced.lostName(newDir, newName);
      if (moved !== null) {
        newDir.kids!.set(newName, moved);
        moved.moved(this, oldName, newDir, newName);
      } else {
        newDir.kids!.delete(newName);
      }
      return 0;
    } finally {
      heldMoved?.release();
      heldReplaced?.release();
    }
  }

  // --- contents --------------------------------------------------------------------------------

  /** Runs `fn` with an open handle for reading (or writing), opened once and kept a while. */
  private async withFile<T>(forWrite: boolean, fn: (fd: number) => Promise<T>): Promise<T | number> {
    this.busy++;
    try {
      const fd = await this.fileHandle(forWrite);
      return fd < 0 ? fd : await fn(fd);
    } finally { this.busy--; }
  }

  private fileHandle(forWrite: boolean): number | Promise<number> {
    const h = this.held;
    if (forWrite && h.writer >= 0) { this.fs.files.touch(this); return h.writer; }
    if (!forWrite && (h.reader >= 0 || (h.writer >= 0 && h.writerReads))) {
      this.fs.files.touch(this);
      return h.reader >= 0 ? h.reader : h.writer;
    }
    if (forWrite) return this.openingWriter ??= this.openFile(true).finally(() => { this.openingWriter = null; });
    return this.openingReader ??= this.openFile(false).finally(() => { this.openingReader = null; });
  }

  private async openFile(forWrite: boolean): Promise<number> {
    const open = (flags: number) => this.use((h) => this.fs.client.call('OpenAt', { handle: h, flags }));
    let r = await open(forWrite ? WIRE_RDWR : WIRE_RDONLY);
    let reads = forWrite;
    if (forWrite && typeof r !== 'number' && !r.ok && r.errno === WireErrno.EACCES) { // a write-only file
      r = await open(WIRE_WRONLY);
      reads = false;
    }
    if (typeof r === 'number') return r;
    if (!r.ok) return -r.errno;
    if (forWrite) this.keepWriter(r.value.fd, reads);
    else {
      this.fs.closer.close(this.held.reader);
      this.held.reader = r.value.fd;
      this.fs.files.touch(this);
    }
    return r.value.fd;
  }

  /** Keeps `fd` as the handle for writing (read-write unless `reads` is false). */
  keepWriter(fd: number, reads = true): void {
    this.fs.closer.close(this.held.writer);
    this.held.writer = fd;
    this.held.writerReads = reads;
    this.fs.files.touch(this);
  }

  /**
   * A read-only mount's files never change: their pages are read once into frames that every
   * mapping shares (the root's libraries, mapped by every process). A writable mount's are not
   * shared yet: MAP_PRIVATE takes a copy, MAP_SHARED is ENODEV.
   */
  override mappable(memory: PageMemory): Mappable | null {
    return this.fs.readOnly && this.type === S_IFREG ? readOnlyPageCache(this, memory) : null;
  }

  /**
   * Opens the host file now, so that the host's answer (EACCES, ETXTBSY) comes at open(2) as on
   * Linux; reads and writes then use the handle. The VFS's own description does the rest.
   */
  override async open(flags: number, _creds: FsCreds): Promise<FileDescription | null | number> {
    if (this.type !== S_IFREG || (flags & O_PATH)) return null;
    const acc = flags & O_ACCMODE;
    if (acc !== O_RDONLY && !this.fs.readOnly) {
      const w = await this.withFile(true, async (fd) => fd);
      if (w < 0) return w;
    }
    if (acc !== O_WRONLY) {
      const r = await this.withFile(false, async (fd) => fd);
      if (r < 0) return r;
    }
    return null;
  }

  override async read(dst: Uint8Array, offset: number): Promise<number> {
    if (this.type === S_IFDIR) return -Errno.EISDIR;
    if (this.type !== S_IFREG) return -Errno.EINVAL;
    // A size the Sentry knows is exact (nobody else writes): the end of the file costs no call.
    // (A size of 0 may be a host file generated on reading: ask.)
    const size = this.attrs?.size ?? 0;
    const want = size > 0 ? Math.min(dst.length, Math.max(0, size - offset)) : dst.length;
    if (want === 0) return 0;
    return this.withFile(false, async (fd) => {
      let done = 0;
      while (done < want) {
        const count = Math.min(want - done, MAX_IO);
        const r = await this.fs.client.call('PRead', { fd, offset: offset + done, count });
        if (!r.ok) return done > 0 ? done : -r.errno;
        const data = r.value.data.subarray(0, count);
        dst.set(data, done);
        done += data.length;
        if (data.length < count) break; // the end of the file
      }
      return done;
    });
  }

  override async write(src: Uint8Array, offset: number): Promise<number> {
    if (this.type === S_IFDIR) return -Errno.EISDIR;
    if (this.fs.readOnly) return -Errno.EROFS;
    if (this.type !== S_IFREG) return -Errno.EINVAL;
    if (src.length === 0) return 0;
    const n = await this.withFile(true, async (fd) => {
      let done = 0;
      while (done < src.length) {
        const chunk = src.subarray(done, done + MAX_IO);
        const r = await this.fs.client.call('PWrite', { fd, offset: offset + done, data: chunk });
        if (!r.ok) return done > 0 ? done : -r.errno;
        done += r.value.count;
        if (r.value.count < chunk.length) break; // the disk is full: a short write
      }
      return done;
    });
    this.invalidate(); // size, blocks, mtime, ctime
    return n;
  }

  override async allocate(mode: number, offset: number, length: number): Promise<number> {
    if (this.fs.readOnly) return -Errno.EROFS;
    if (this.type !== S_IFREG) return this.type === S_IFDIR ? -Errno.EISDIR : -Errno.ENODEV;
    const r = await this.withFile(true, (fd) => this.fs.client.call('FAllocate', { fd, mode, offset, length }));
    this.invalidate();
    return status(r);
  }

  override async sync(): Promise<number> {
    if (this.fs.readOnly) return 0; // nothing the Sentry wrote
    if (this.type === S_IFREG) {
      return status(await this.withFile(this.held.writer >= 0, (fd) => this.fs.client.call('FSync', { fd })));
    }
    if (this.type !== S_IFDIR) return 0;
    // A directory's entries: fsync(2) on a descriptor of its own.
    return status(await this.use(async (h) => {
      const o = await this.fs.client.call('OpenAt', { handle: h, flags: WIRE_RDONLY });
      if (!o.ok) return o;
      try { return await this.fs.client.call('FSync', { fd: o.value.fd }); } finally { this.fs.closer.close(o.value.fd); }
    }));
  }
}
