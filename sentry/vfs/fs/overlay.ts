// overlay: a writable upper filesystem (tmpfs) over a read-only lower one (the host's files), as
// Linux's overlayfs and gVisor's overlay for `runsc do`. A name is looked up in the upper layer
// first, then in the lower one; directories present in both are merged. Changing a lower file
// first copies it (and its parent directories) up; removing a lower name leaves a whiteout (a
// 0/0 character device) in the upper layer; a directory made where a lower one was removed is
// opaque (xattr trusted.overlay.opaque = "y"), hiding the lower directory's entries. Renaming a
// directory that exists in the lower layer answers EXDEV (no redirect_dir), and `mv` copies.

import type { Mappable, PageMemory } from '../../mm/mappable.js';
import { Errno } from '../../abi/errno.js';
import { DT_CHR, O_ACCMODE, O_RDONLY, O_TRUNC, type Dirent, type FileDescription } from '../file.js';
import { Inode, RENAME_EXCHANGE, RENAME_NOREPLACE, type Filesystem, type FsCreds, type SetAttr } from '../inode.js';
import { makesTmpfiles, seeksHoles, seekWithoutHoles, type HoleSeeker, type TmpfileMaker } from '../inode_file.js';
import { S_IFCHR, S_IFDIR, S_IFLNK, S_IFMT, S_IFREG, type Stat } from '../stat.js';

const OPAQUE = 'trusted.overlay.opaque';
const PRIVATE_XATTRS = 'trusted.overlay.';
const COPY_CHUNK = 1 << 20;
const enc = new TextEncoder();
const dec = new TextDecoder();

export class OverlayFs implements Filesystem {
  readonly type = 'overlay';
  readonly readOnly = false;
  readonly root: OverlayInode;
  private nextIno = 1;

  constructor(readonly upper: Filesystem, readonly lower: Filesystem, readonly dev: number) {
    this.root = new OverlayInode(this, null, '/', upper.root, lower.root);
  }

  allocIno(): number { return this.nextIno++; }

  statfs(): ReturnType<Filesystem['statfs']> { return this.upper.statfs(); }
}

/** Creates what the copied-up inode needs as its owner: the lower file's ids. */
function ownerCreds(st: Stat): FsCreds {
  return { fsuid: st.uid, fsgid: st.gid, groups: [], caps: 0 };
}

async function isWhiteout(i: Inode): Promise<boolean> {
  if (i.type !== S_IFCHR) return false;
  const st = await i.stat();
  return typeof st !== 'number' && st.rdev === 0;
}

export class OverlayInode extends Inode implements HoleSeeker, TmpfileMaker {
  readonly ino: number;
  readonly type: number;
  private readonly kids = new Map<string, OverlayInode>();

  constructor(
    readonly fs: OverlayFs,
    public parent: OverlayInode | null,
    public name: string,
    public upper: Inode | null,
    public lower: Inode | null,
  ) {
    super();
    this.type = (upper ?? lower)!.type;
    this.ino = fs.allocIno();
  }

  private get top(): Inode { return (this.upper ?? this.lower)!; }

  override async stat(): Promise<Stat | number> {
    const st = await this.top.stat();
    if (typeof st === 'number') return st;
    return { ...st, dev: this.fs.dev, ino: this.ino };
  }

  // --- lookups ---------------------------------------------------------------------------------

  private async opaque(): Promise<boolean> {
    if (this.upper === null) return false;
    const v = await this.upper.getxattr(OPAQUE);
    return typeof v !== 'number' && dec.decode(v) === 'y';
  }

  override async lookup(name: string): Promise<Inode | number> {
    if (!this.isDir) return -Errno.ENOTDIR;
    const known = this.kids.get(name);
    if (known) return known;
    let up: Inode | null = null;
    if (this.upper !== null) {
      const r = await this.upper.lookup(name);
      if (typeof r !== 'number') {
        if (await isWhiteout(r)) return -Errno.ENOENT;
        up = r;
      } else if (r !== -Errno.ENOENT) return r;
    }
    let low: Inode | null = null;
    if (this.lower !== null && (up === null || up.isDir) && !(await this.opaque())) {
      const r = await this.lower.lookup(name);
      if (typeof r !== 'number') low = r;
      else if (r !== -Errno.ENOENT) return r;
    }
    if (up !== null && low !== null && !low.isDir) low = null; // an upper directory hides a lower file
    if (up === null && low === null) return -Errno.ENOENT;
    const kid = new OverlayInode(this.fs, this, name, up, low);
    this.kids.set(name, kid);
    return kid;
  }

  override async readdir(): Promise<Dirent[] | number> {
    if (!this.isDir) return -Errno.ENOTDIR;
    const out: Dirent[] = [];
    const seen = new Set<string>();
    if (this.upper !== null) {
      const ups = await this.upper.readdir();
      if (typeof ups === 'number') return ups;
      for (const e of ups) {
        const name = dec.decode(e.name);
        seen.add(name);
        if (e.type === DT_CHR) {
          const i = await this.upper.lookup(name);
          if (typeof i !== 'number' && await isWhiteout(i)) continue;
        }
        out.push(this.withIno(name, e));
      }
    }
    if (this.lower !== null && !(await this.opaque())) {
      const lows = await this.lower.readdir();
      if (typeof lows === 'number') return lows;
      for (const e of lows) {
        const name = dec.decode(e.name);
        if (!seen.has(name)) out.push(this.withIno(name, e));
      }
    }
    return out;
  }

  /** A directory entry with the overlay's inode number when the child is known. */
  private withIno(name: string, e: Dirent): Dirent {
    const kid = this.kids.get(name);
    return kid ? { ...e, ino: kid.ino } : e;
  }

  /** The merged directory has no entries (rmdir, rename over it). */
  private async emptyDir(): Promise<boolean | number> {
    const all = await this.readdir();
    return typeof all === 'number' ? all : all.length === 0;
  }

  // --- copy-up ---------------------------------------------------------------------------------

  /** Makes sure this inode exists in the upper layer, copying it (and its parents) up. */
  async copyUp(): Promise<number> {
    if (this.upper !== null) return 0;
    const parent = this.parent!;
    const r = await parent.copyUp();
    if (r < 0) return r;
    const low = this.lower!;
    const st = await low.stat();
    if (typeof st === 'number') return st;
    const dir = parent.upper!;
    const perms = st.mode & 0o7777;
    let up: Inode | number;
    switch (st.mode & S_IFMT) {
      case S_IFDIR: up = await dir.mkdir(this.name, perms, ownerCreds(st)); break;
      case S_IFREG: up = await dir.create(this.name, perms, ownerCreds(st)); break;
      case S_IFLNK: {
        const target = await low.readlink();
        if (typeof target === 'number') return target;
        up = await dir.symlink(this.name, target, ownerCreds(st));
        break;
      }
      default: up = await dir.mknod(this.name, st.mode, st.rdev, ownerCreds(st));
    }
    if (typeof up === 'number') return up;
    if ((st.mode & S_IFMT) === S_IFREG) {
      const copied = await copyData(low, up, st.size);
      if (copied < 0) { await dir.unlink(this.name); return copied; }
    }
    // The copy keeps the lower file's owner, mode and times.
    await up.setattr({ uid: st.uid, gid: st.gid, mode: perms, atime: st.atime, mtime: st.mtime });
    this.upper = up;
    return 0;
  }

  /** Removes a whiteout at `name` in the upper layer; true if there was one. */
  private async clearWhiteout(name: string): Promise<boolean | number> {
    const r = await this.upper!.lookup(name);
    if (typeof r === 'number' || !(await isWhiteout(r))) return false;
    const u = await this.upper!.unlink(name);
    return u < 0 ? u : true;
  }

  private async whiteout(name: string): Promise<number> {
    const r = await this.upper!.mknod(name, S_IFCHR, 0, { fsuid: 0, fsgid: 0, groups: [], caps: 0 });
    return typeof r === 'number' ? r : 0;
  }

  /** Common start of every change in this directory: copy up, then clear a whiteout at `name`. */
  private async prepare(name: string): Promise<boolean | number> {
    if (!this.isDir) return -Errno.ENOTDIR;
    const r = await this.copyUp();
    if (r < 0) return r;
    return this.clearWhiteout(name);
  }

  private async made(name: string, r: Inode | number, hidLower: boolean | number): Promise<Inode | number> {
    if (typeof r === 'number') return r;
    // A directory where a lower entry was removed must not show that entry's old contents.
    if (r.isDir && hidLower === true) {
      const x = await r.setxattr(OPAQUE, enc.encode('y'), 0);
      if (x < 0) return x;
    }
    const kid = new OverlayInode(this.fs, this, name, r, null);
    this.kids.set(name, kid);
    return kid;
  }

  // --- changing the directory ------------------------------------------------------------------

  override async create(name: string, mode: number, creds: FsCreds): Promise<Inode | number> {
    const w = await this.prepare(name);
    if (typeof w === 'number') return w;
    return this.made(name, await this.upper!.create(name, mode, creds), w);
  }

  override async mkdir(name: string, mode: number, creds: FsCreds): Promise<Inode | number> {
    const w = await this.prepare(name);
    if (typeof w === 'number') return w;
    return this.made(name, await this.upper!.mkdir(name, mode, creds), w);
  }

  override async mknod(name: string, mode: number, rdev: number, creds: FsCreds): Promise<Inode | number> {
    const w = await this.prepare(name);
    if (typeof w === 'number') return w;
    return this.made(name, await this.upper!.mknod(name, mode, rdev, creds), w);
  }

  override async symlink(name: string, target: string, creds: FsCreds): Promise<Inode | number> {
    const w = await this.prepare(name);
    if (typeof w === 'number') return w;
    return this.made(name, await this.upper!.symlink(name, target, creds), w);
  }

  /** O_TMPFILE: an unnamed file in the upper layer (a later linkat names it there). */
  async tmpfile(mode: number, creds: FsCreds, linkable: boolean): Promise<Inode | number> {
    if (!this.isDir) return -Errno.ENOTDIR;
    const c = await this.copyUp();
    if (c < 0) return c;
    if (!makesTmpfiles(this.upper!)) return -Errno.EOPNOTSUPP;
    const up = await this.upper!.tmpfile(mode, creds, linkable);
    return typeof up === 'number' ? up : new OverlayInode(this.fs, this, '', up, null);
  }

  override async link(name: string, target: Inode): Promise<number> {
    if (!(target instanceof OverlayInode)) return -Errno.EXDEV;
    const c = await target.copyUp();
    if (c < 0) return c;
    const w = await this.prepare(name);
    if (typeof w === 'number') return w;
    const r = await this.upper!.link(name, target.upper!);
    if (r < 0) return r;
    this.kids.set(name, target); // the same inode under two names
    return 0;
  }

  override async unlink(name: string): Promise<number> {
    const kid = await this.lookup(name);
    if (typeof kid === 'number') return kid;
    if (kid.isDir) return -Errno.EISDIR;
    return this.remove(name, kid as OverlayInode);
  }

  override async rmdir(name: string): Promise<number> {
    const kid = await this.lookup(name);
    if (typeof kid === 'number') return kid;
    if (!kid.isDir) return -Errno.ENOTDIR;
    const empty = await (kid as OverlayInode).emptyDir();
    if (typeof empty === 'number') return empty;
    if (!empty) return -Errno.ENOTEMPTY;
    const k = kid as OverlayInode;
    if (k.upper !== null) { // whiteouts inside keep the upper directory from being empty
      const c = await k.clearAllWhiteouts();
      if (c < 0) return c;
    }
    return this.remove(name, k);
  }

  private async clearAllWhiteouts(): Promise<number> {
    const all = await this.upper!.readdir();
    if (typeof all === 'number') return all;
    for (const e of all) {
      const r = await this.clearWhiteout(dec.decode(e.name));
      if (typeof r === 'number') return r;
    }
    return 0;
  }

  /** Removes `kid` at `name`: its upper entry goes, and a lower one is hidden by a whiteout. */
  private async remove(name: string, kid: OverlayInode): Promise<number> {
    const c = await this.copyUp();
    if (c < 0) return c;
    if (kid.upper !== null) {
      const r = kid.isDir ? await this.upper!.rmdir(name) : await this.upper!.unlink(name);
      if (r < 0) return r;
    }
    this.kids.delete(name);
    return kid.lower !== null ? this.whiteout(name) : 0;
  }

  override async rename(oldName: string, newDir: Inode, newName: string, flags: number): Promise<number> {
    if (!(newDir instanceof OverlayInode)) return -Errno.EXDEV;
    const src = await this.lookup(oldName);
    if (typeof src === 'number') return src;
    const s = src as OverlayInode;
    const dst = await newDir.lookup(newName);
    if (typeof dst !== 'number' && dst === s) return 0; // the same file: nothing to do
    if (typeof dst === 'number' && dst !== -Errno.ENOENT) return dst;
    const d = typeof dst === 'number' ? null : dst as OverlayInode;
    if (s.isDir && s.lower !== null) return -Errno.EXDEV; // would need redirect_dir: mv copies
    if (flags & RENAME_EXCHANGE) {
      if (d === null) return -Errno.ENOENT;
      if (d.lower !== null || s.lower !== null) return -Errno.EXDEV;
    } else if (d !== null) {
      if (flags & RENAME_NOREPLACE) return -Errno.EEXIST;
      if (s.isDir && !d.isDir) return -Errno.ENOTDIR;
      if (!s.isDir && d.isDir) return -Errno.EISDIR;
      if (d.isDir) {
        const empty = await d.emptyDir();
        if (typeof empty === 'number') return empty;
        if (!empty) return -Errno.ENOTEMPTY;
        if (d.upper !== null) { const c = await d.clearAllWhiteouts(); if (c < 0) return c; }
      }
    }
    for (const step of [this.copyUp(), newDir.copyUp(), s.copyUp()]) {
      const r = await step;
      if (r < 0) return r;
    }
    const w = await newDir.clearWhiteout(newName);
    if (typeof w === 'number') return w;
    const r = await this.upper!.rename(oldName, newDir.upper!, newName, flags);
    if (r < 0) return r;
    const leftLower = s.lower !== null;
    this.kids.delete(oldName);
    if (flags & RENAME_EXCHANGE) {
      this.kids.set(oldName, d!);
      d!.parent = this; d!.name = oldName;
    }
    newDir.kids.set(newName, s);
    s.parent = newDir; s.name = newName; s.lower = null;
    // A lower file renamed away leaves a whiteout; a directory moved onto a lower one is opaque.
    if (leftLower && !(flags & RENAME_EXCHANGE)) { const x = await this.whiteout(oldName); if (x < 0) return x; }
    if (s.isDir && d !== null && d.lower !== null) await s.upper!.setxattr(OPAQUE, enc.encode('y'), 0);
    return 0;
  }

  // --- contents and attributes -----------------------------------------------------------------

  override readlink(): ReturnType<Inode['readlink']> { return this.top.readlink(); }

  override read(dst: Uint8Array, offset: number): ReturnType<Inode['read']> { return this.top.read(dst, offset); }

  /** Holes as the layer holding the contents knows them (a lower host file: none but the end). */
  async seekDataOrHole(offset: number, hole: boolean): Promise<number> {
    const top = this.top;
    if (seeksHoles(top)) return top.seekDataOrHole(offset, hole);
    const st = await top.stat();
    return typeof st === 'number' ? st : seekWithoutHoles(st.size, offset, hole);
  }

  override async write(src: Uint8Array, offset: number): Promise<number> {
    const c = await this.copyUp();
    return c < 0 ? c : this.upper!.write(src, offset);
  }

  override async allocate(mode: number, offset: number, length: number): Promise<number> {
    const c = await this.copyUp();
    return c < 0 ? c : this.upper!.allocate(mode, offset, length);
  }

  override async setattr(attr: SetAttr): Promise<number> {
    const c = await this.copyUp();
    return c < 0 ? c : this.upper!.setattr(attr);
  }

  override sync(): ReturnType<Inode['sync']> { return this.top.sync(); }
  /** The layer that holds the contents: a mapping made before a copy-up keeps the lower's, as overlayfs's does. */
  override mappable(memory: PageMemory): Mappable | null { return this.top.mappable(memory); }

  override async open(flags: number, creds: FsCreds): Promise<FileDescription | null | number> {
    if ((flags & O_ACCMODE) !== O_RDONLY || (flags & O_TRUNC)) {
      const c = await this.copyUp();
      if (c < 0) return c;
    }
    const own = await this.top.open(flags, creds);
    return own; // null: the VFS's description over this overlay inode
  }

  override async getxattr(name: string): Promise<Uint8Array | number> {
    if (name.startsWith(PRIVATE_XATTRS)) return -Errno.ENODATA;
    return this.top.getxattr(name);
  }

  override async listxattr(): Promise<string[] | number> {
    const r = await this.top.listxattr();
    return typeof r === 'number' ? r : r.filter((n) => !n.startsWith(PRIVATE_XATTRS));
  }

  override async setxattr(name: string, value: Uint8Array, flags: number): Promise<number> {
    if (name.startsWith(PRIVATE_XATTRS)) return -Errno.EPERM;
    const c = await this.copyUp();
    return c < 0 ? c : this.upper!.setxattr(name, value, flags);
  }

  override async removexattr(name: string): Promise<number> {
    if (name.startsWith(PRIVATE_XATTRS)) return -Errno.EPERM;
    const c = await this.copyUp();
    return c < 0 ? c : this.upper!.removexattr(name);
  }
}

/**
 * Copies `size` bytes of a lower file into its new upper copy. Holes stay holes when the lower
 * layer knows them (Linux's copy-up skips them too), so a sparse file copies up cheaply.
 */
async function copyData(from: Inode, to: Inode, size: number): Promise<number> {
  const buf = new Uint8Array(Math.min(COPY_CHUNK, Math.max(size, 1)));
  for (let off = 0; off < size;) {
    let end = size;
    if (seeksHoles(from)) {
      const data = await from.seekDataOrHole(off, false);
      if (data === -Errno.ENXIO) break; // only a hole is left
      if (data < 0) return data;
      const hole = await from.seekDataOrHole(data, true);
      if (hole < 0) return hole;
      off = data;
      end = hole;
    }
    while (off < end) {
      const n = await from.read(buf.subarray(0, Math.min(buf.length, end - off)), off);
      if (n < 0) return n;
      if (n === 0) return 0;
      const w = await to.write(buf.subarray(0, n), off);
      if (w < 0) return w;
      off += n;
    }
  }
  return to.setattr({ size }); // a file ending in a hole
}
