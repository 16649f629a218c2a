// The Sentry's read-only host files through the Gofer (HostFs over GoferClient). Paths are
// resolved here, inside the sandbox, one component at a time from the mount root: the Gofer never
// follows a symlink but returns it, and we restart from the sandbox root (absolute target) or the
// link's directory (relative target), as Linux path_lookup does (path_resolution(7)).
// Pure ECMAScript: the socket behind the client lives in sentry/node/gofer_transport.ts.

import { Errno } from '../abi/errno.js';
import type { GoferClient } from '../../gofer/client.js';
import {
  MAX_IO, MAX_WALK, type Bytes, type Stat as WireStat,
} from '../../gofer/protocol.js';
import type { HostFile, HostFs } from '../host.js';
import { DT_DIR, type Dirent } from './file.js';
import { S_IFDIR, S_IFLNK, S_IFMT, type Stat } from './stat.js';

/** Linux's MAXSYMLINKS (include/linux/namei.h): links followed in one lookup. */
export const MAX_SYMLINKS = 40;
/** How often a lookup is retried when the host changes a path between two of our calls. */
const MAX_RETRIES = 4;
/** Bytes asked for per Getdents64 call. */
const DIRENTS_CHUNK = 256 * 1024;

const R_OK = 4, W_OK = 2, X_OK = 1;

/** Whose permissions access(2) checks: the guest's real ids and supplementary groups. */
export interface FsCredentials { uid: number; gid: number; groups: readonly number[] }

const enc = new TextEncoder();
const dec = new TextDecoder();
const DOT = 0x2e;
function isDot(b: Bytes): boolean { return b.length === 1 && b[0] === DOT; }
function isDotDot(b: Bytes): boolean { return b.length === 2 && b[0] === DOT && b[1] === DOT; }

/** Path components as bytes ('' components dropped; '.' and '..' kept for the walker). */
function components(path: Bytes): Bytes[] {
  const out: Bytes[] = [];
  let start = 0;
  for (let i = 0; i <= path.length; i++) {
    if (i === path.length || path[i] === 0x2f) {
      if (i > start) out.push(path.subarray(start, i));
      start = i + 1;
    }
  }
  return out;
}

export function fromWireStat(s: WireStat): Stat {
  return {
    dev: s.dev, ino: s.ino, mode: s.mode, nlink: s.nlink, uid: s.uid, gid: s.gid, rdev: s.rdev,
    size: s.size, blksize: s.blksize, blocks: s.blocks,
    atime: { sec: s.atimeSec, nsec: s.atimeNsec },
    mtime: { sec: s.mtimeSec, nsec: s.mtimeNsec },
    ctime: { sec: s.ctimeSec, nsec: s.ctimeNsec },
  };
}

const typeOf = (s: WireStat): number => s.mode & S_IFMT;

/** Where a lookup ended: the canonical names from the root (no symlinks, no dots) and the stat. */
interface Found {
  names: Bytes[];
  stat: WireStat;
  /** The last component's control handle (only when asked for; the caller closes it). */
  handle?: number;
}

/** One Walk/WalkStat from the root: the stats of the components reached, and their handles. */
interface Walked { stats: WireStat[]; handles: number[] }

export class GoferFs implements HostFs {
  private constructor(
    private readonly client: GoferClient,
    private readonly root: number,
    private readonly creds: () => FsCredentials,
  ) {}

  /** Attaches to the Gofer's mount `name` (the sandbox root); -errno when it fails. */
  static async mount(client: GoferClient, name: string, creds: () => FsCredentials): Promise<GoferFs | number> {
    const r = await client.call('Mount', { mount: name });
    if (!r.ok) return -r.errno;
    return new GoferFs(client, r.value.root.handle, creds);
  }

  async stat(path: string, followSymlinks: boolean): Promise<Stat | number> {
    const f = await this.lookup(path, followSymlinks, false);
    return typeof f === 'number' ? f : fromWireStat(f.stat);
  }

  async readlink(path: string): Promise<string | number> {
    const f = await this.lookup(path, false, true);
    if (typeof f === 'number') return f;
    try {
      if (typeOf(f.stat) !== S_IFLNK) return -Errno.EINVAL;
      const t = await this.readTarget(f.handle!);
      return typeof t === 'number' ? t : dec.decode(t);
    } finally { this.closeHandles([f.handle!]); }
  }

  /** access(2) with the guest's real uid/gid, as generic_permission (fs/namei.c) decides. */
  async access(path: string, mode: number): Promise<number> {
    const st = await this.stat(path, true);
    if (typeof st === 'number') return st;
    if (mode === 0) return 0;
    if (mode & W_OK) return -Errno.EROFS; // the root is mounted read-only
    const { uid, gid, groups } = this.creds();
    if (uid === 0) {
      // CAP_DAC_OVERRIDE: everything but executing a non-directory with no x bit at all.
      if ((mode & X_OK) && (st.mode & S_IFMT) !== S_IFDIR && (st.mode & 0o111) === 0) return -Errno.EACCES;
      return 0;
    }
    let bits: number;
    if (uid === st.uid) bits = (st.mode >> 6) & 7;
    else if (gid === st.gid || groups.includes(st.gid)) bits = (st.mode >> 3) & 7;
    else bits = st.mode & 7;
    return (mode & (R_OK | X_OK) & ~bits) ? -Errno.EACCES : 0;
  }

  async open(path: string, directory: boolean): Promise<HostFile | number> {
    // The root handle is ours for the whole session; anything else is a fresh handle to close.
    const f = await this.lookup(path, true, true);
    if (typeof f === 'number') return f;
    const control = f.handle!;
    const owned = control !== this.root;
    const isDir = typeOf(f.stat) === S_IFDIR;
    if (directory !== isDir) {
      if (owned) this.closeHandles([control]);
      return directory ? -Errno.ENOTDIR : -Errno.EISDIR;
    }
    const r = await this.client.call('OpenAt', { handle: control, flags: 0 /* O_RDONLY */ });
    if (!r.ok) {
      if (owned) this.closeHandles([control]);
      return -r.errno;
    }
    return new GoferFile(this, fromWireStat(f.stat), r.value.fd, owned ? control : null);
  }

  // ---- for GoferFile ----

  /** @internal */
  rpc(): GoferClient { return this.client; }

  /** Closes handles without waiting (a lost reply only leaks a handle in a Gofer that is gone). */
  closeHandles(handles: number[]): void {
    const list = handles.filter((h) => h !== this.root);
    if (list.length) void this.client.call('Close', { handles: list });
  }

  // ---- path resolution ----

  /**
   * Resolves `path` from the sandbox root. `follow` says whether a final symlink is followed
   * (lstat/readlink do not); `keep` returns the final component's control handle.
   */
  private async lookup(path: string, follow: boolean, keep: boolean): Promise<Found | number> {
    for (let attempt = 0; ; attempt++) {
      const r = await this.lookupOnce(enc.encode(path), follow, keep);
      // 'retry' means the host changed a component between two of our walks.
      if (r !== 'retry') return r;
      if (attempt === MAX_RETRIES) return -Errno.EAGAIN;
    }
  }

  private async lookupOnce(path: Bytes, follow: boolean, keep: boolean): Promise<Found | number | 'retry'> {
    let done: Bytes[] = []; // components reached so far: real ones, so `..` is just a pop
    let doneIsDir = true; // false when done's last component is not a directory
    let todo = components(path);
    let links = 0;
    for (;;) {
      // `.` and `..` apply to `done`; `..` at the root stays at the root (path_resolution(7)).
      while (todo.length && (isDot(todo[0]) || isDotDot(todo[0]))) {
        if (!doneIsDir) return -Errno.ENOTDIR;
        if (isDotDot(todo[0])) done = done.slice(0, -1);
        todo = todo.slice(1);
      }
      if (!todo.length) return this.finish(done, keep);
      let n = 0;
      while (n < todo.length && !isDot(todo[n]) && !isDotDot(todo[n])) n++;
      const names = [...done, ...todo.slice(0, n)];
      if (names.length > MAX_WALK) return -Errno.ENAMETOOLONG; // deeper than one walk reaches
      const isLast = n === todo.length;
      const w = await this.walk(names, keep && isLast);
      if (typeof w === 'number') return w;
      const reached = w.stats.length;
      const last: WireStat | undefined = w.stats[reached - 1];
      // `done` was all real directories a moment ago; if that changed, start again.
      if (reached < done.length || (reached === done.length && done.length > 0 && typeOf(last!) !== S_IFDIR)) {
        this.closeHandles(w.handles);
        return 'retry';
      }
      if (reached < names.length && (!last || typeOf(last) !== S_IFLNK)) {
        this.closeHandles(w.handles);
        return -Errno.ENOENT;
      }
      if (typeOf(last!) === S_IFLNK && (reached < names.length || !isLast || follow)) {
        // A symlink to follow: its target replaces it, from the root or from its directory.
        this.closeHandles(w.handles);
        if (++links > MAX_SYMLINKS) return -Errno.ELOOP;
        const target = await this.readTargetAt(names.slice(0, reached));
        if (target === 'retry' || typeof target === 'number') return target;
        if (target.length === 0) return -Errno.ENOENT;
        done = target[0] === 0x2f ? [] : names.slice(0, reached - 1);
        doneIsDir = true;
        todo = [...components(target), ...names.slice(reached), ...todo.slice(n)];
        continue;
      }
      if (isLast) {
        // Keep only the final handle (a Walk makes one per component).
        if (!keep) return { names, stat: last! };
        this.closeHandles(w.handles.slice(0, -1));
        return { names, stat: last!, handle: w.handles[w.handles.length - 1] };
      }
      done = names;
      doneIsDir = typeOf(last!) === S_IFDIR;
      todo = todo.slice(n);
    }
  }

  /** The end of a path that named a directory already walked (`/`, `..`, a link to `.`). */
  private async finish(done: Bytes[], keep: boolean): Promise<Found | number | 'retry'> {
    if (done.length === 0) {
      const r = await this.client.call('FStat', { handle: this.root });
      if (!r.ok) return -r.errno;
      return { names: [], stat: r.value.stat, handle: keep ? this.root : undefined };
    }
    const w = await this.walk(done, keep);
    if (typeof w === 'number') return w;
    if (w.stats.length !== done.length || typeOf(w.stats[done.length - 1]) !== S_IFDIR) {
      this.closeHandles(w.handles);
      return 'retry';
    }
    if (keep) this.closeHandles(w.handles.slice(0, -1));
    return { names: done, stat: w.stats[done.length - 1], handle: keep ? w.handles[done.length - 1] : undefined };
  }

  /** Walk (with handles) or WalkStat (without) from the root, up to a symlink or missing name. */
  private async walk(names: Bytes[], withHandles: boolean): Promise<Walked | number> {
    if (!withHandles) {
      const r = await this.client.call('WalkStat', { dir: this.root, names });
      return r.ok ? { stats: r.value.stats, handles: [] } : -r.errno;
    }
    const r = await this.client.call('Walk', { dir: this.root, names });
    if (!r.ok) return -r.errno;
    // A Walk that stopped early (a symlink, a missing name) returns fewer inodes than names.
    const { inodes } = r.value;
    return { stats: inodes.map((i) => i.stat), handles: inodes.map((i) => i.handle) };
  }

  /** The target of the symlink at `names` (walked afresh, since WalkStat made no handle). */
  private async readTargetAt(names: Bytes[]): Promise<Bytes | number | 'retry'> {
    const w = await this.walk(names, true);
    if (typeof w === 'number') return w;
    try {
      if (w.stats.length !== names.length || typeOf(w.stats[names.length - 1]) !== S_IFLNK) return 'retry';
      return await this.readTarget(w.handles[names.length - 1]);
    } finally { this.closeHandles(w.handles); }
  }

  private async readTarget(handle: number): Promise<Bytes | number> {
    const r = await this.client.call('ReadLinkAt', { handle });
    return r.ok ? r.value.target : -r.errno;
  }
}

/** An open host file: a Gofer open handle (PRead, Getdents64) and its control handle. */
class GoferFile implements HostFile {
  private dirents: Dirent[] | null = null;
  private closed = false;

  constructor(private readonly fs: GoferFs, readonly stat: Stat, private readonly fd: number, private readonly control: number | null) {}

  async read(dst: Uint8Array, position: number): Promise<number> {
    if ((this.stat.mode & S_IFMT) === S_IFDIR) return -Errno.EISDIR;
    if (dst.length === 0) return 0;
    const r = await this.fs.rpc().call('PRead', { fd: this.fd, offset: position, count: Math.min(dst.length, MAX_IO) });
    if (!r.ok) return -r.errno;
    const data = r.value.data.subarray(0, dst.length);
    dst.set(data);
    return data.length;
  }

  /**
   * Every entry, with `.` and `..` first as Linux lists them. Read once per open file: the
   * VFS asks again for each getdents64 call and slices by position, so the listing must not
   * shift under it.
   */
  async readdir(): Promise<Dirent[] | number> {
    if (this.dirents) return this.dirents;
    if ((this.stat.mode & S_IFMT) !== S_IFDIR) return -Errno.ENOTDIR;
    const out: Dirent[] = [
      { ino: this.stat.ino, type: DT_DIR, name: new Uint8Array([DOT]) },
      { ino: 2, type: DT_DIR, name: new Uint8Array([DOT, DOT]) },
    ];
    for (let offset = 0; ;) {
      const r = await this.fs.rpc().call('Getdents64', { fd: this.fd, offset, count: DIRENTS_CHUNK });
      if (!r.ok) return -r.errno;
      const ds = r.value.dirents;
      if (ds.length === 0) break;
      for (const d of ds) out.push({ ino: d.ino, type: d.type, name: d.name });
      const next = ds[ds.length - 1].off;
      if (next <= offset) break; // a server that does not advance: stop rather than loop
      offset = next;
    }
    this.dirents = out;
    return out;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.fs.closeHandles(this.control === null ? [this.fd] : [this.fd, this.control]);
  }
}
