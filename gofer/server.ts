// The Gofer's file server: mount roots, per-connection handle tables, and one function per lisafs
// operation, each confined to its mount root. Node-only (gofer/ is a Node program); it imports
// nothing of ours but gofer/protocol.ts.
//
// Confinement (DESIGN.md, "The Gofer protocol"):
// - Every handle holds a host fd opened with O_PATH|O_NOFOLLOW (a lisafs ControlFD), so it names
//   one inode for its whole life, whatever is renamed or swapped on the host afterwards.
// - A child is reached from its parent's fd one component at a time through
//   `/proc/self/fd/<dirfd>/<name>` with O_NOFOLLOW: the kernel jumps to our own directory fd and
//   looks up exactly one name there, without following a final symlink. Names containing `/` or
//   NUL, empty names, `.` and `..` are refused (EINVAL), so a walk never leaves the directory it
//   starts from and never climbs above the mount root.
// - Operations on a handle's own inode (stat, chmod, chown, utimes, truncate, reopen for I/O) go
//   through `/proc/self/fd/<fd>`, which refers to the inode the O_PATH fd pins (for a symlink
//   handle, the symlink itself, never its target).
// - Symlinks are never followed on the host; Walk returns them and the Sentry resolves them.
// - Host FIFOs are opened O_NONBLOCK; sockets and devices are never opened (ENXIO / EPERM).
// - Read-only mounts refuse every change with EROFS.
//
// NATIVE HELPER (not built yet): where node-addon-api can be built, openat2(RESOLVE_BENEATH |
// RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS) on the parent fd replaces `openChild` below,
// mknodat/renameat2/fallocate/*xattr replace the ENOSYS/EOPNOTSUPP and emulated paths, and
// utimensat keeps nanoseconds. The functions marked "native helper" are where it plugs in.

import fs from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import { spawnSync } from 'node:child_process';
import {
  AT_REMOVEDIR, Errno, FrameReader, O_ACCMODE, O_RDONLY, O_TRUNC, S_IFDIR, S_IFIFO, S_IFLNK, S_IFMT,
  S_IFREG, S_IFSOCK, S_IFCHR, S_IFBLK, SetStatMask, UTIME_NOW, UTIME_OMIT, WalkStatus, validName, NAME_MAX,
  decodeRequest, encodeError, encodeReply,
  type Dirent, type Inode, type OpName, type Replies, type Request, type Requests, type Result, type Stat, type Timespec,
} from './protocol.js';

/** open(2) O_PATH (asm-generic/fcntl.h); Node does not export it but passes flags through. */
const O_PATH = 0o10000000;
const C = fs.constants;
/** Most handles one connection may hold open (each is a host fd). */
const MAX_HANDLES = 65536;

export interface MountSpec { name: string; hostDir: string; readOnly: boolean }

/** An operation's failure as a Linux errno. */
export class GoferError extends Error {
  constructor(readonly errno: number, message?: string) { super(message ?? `errno ${errno}`); }
}

/** A mount's root: a directory, or a single regular file (a file bind-mounted on its own). */
interface MountRoot { name: string; hostDir: string; readOnly: boolean; fd: number; type: number }

/** A lisafs ControlFD: an O_PATH fd naming one inode inside a mount. */
interface Control {
  kind: 'control'; id: number; mount: MountRoot; fd: number; type: number;
  /** For a symlink: its target, read when the handle was made (a symlink never changes). */
  target?: Buffer;
}
/** A lisafs OpenFD: a real open file description on a control's inode. */
interface OpenFile {
  kind: 'open'; id: number; control: Control; fd: number; flags: number;
  dirents?: Dirent[];
}
type Handle = Control | OpenFile;

function hostErrno(e: unknown): number {
  if (e instanceof GoferError) return e.errno;
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    const n = (os.constants.errno as Record<string, number>)[code];
    if (typeof n === 'number') return n;
  }
  return Errno.EIO;
}

function procFd(fd: number): string { return `/proc/self/fd/${fd}`; }
function procChild(dirfd: number, name: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(`/proc/self/fd/${dirfd}/`), name]);
}

/** The server-side check of a path component (the protocol only bounds its length). */
function checkName(name: Uint8Array): void {
  if (name.length > NAME_MAX) throw new GoferError(Errno.ENAMETOOLONG);
  if (!validName(name)) throw new GoferError(Errno.EINVAL, 'bad name');
}

function tsOf(ns: bigint): [number, number] {
  let sec = ns / 1_000_000_000n;
  let nsec = ns % 1_000_000_000n;
  if (nsec < 0n) { nsec += 1_000_000_000n; sec -= 1n; }
  return [Number(sec), Number(nsec)];
}
const SAFE = (1n << 53n) - 1n;
/** A 64-bit host value as a safe integer (inode numbers above 2^53 are folded). */
function u(n: bigint): number { return Number(n <= SAFE ? n : n & SAFE); }

function toStat(s: fs.BigIntStats): Stat {
  const [atimeSec, atimeNsec] = tsOf(s.atimeNs);
  const [mtimeSec, mtimeNsec] = tsOf(s.mtimeNs);
  const [ctimeSec, ctimeNsec] = tsOf(s.ctimeNs);
  return {
    dev: u(s.dev), ino: u(s.ino), mode: Number(s.mode), nlink: u(s.nlink), uid: Number(s.uid), gid: Number(s.gid),
    rdev: u(s.rdev), size: u(s.size), blksize: u(s.blksize), blocks: u(s.blocks),
    atimeSec, atimeNsec, mtimeSec, mtimeNsec, ctimeSec, ctimeNsec,
  };
}
function fstat(fd: number): fs.BigIntStats { return fs.fstatSync(fd, { bigint: true }); }

function dtype(mode: number): number {
  switch (mode & S_IFMT) {
    case S_IFIFO: return 1; case S_IFCHR: return 2; case S_IFDIR: return 4; case S_IFBLK: return 6;
    case S_IFREG: return 8; case S_IFLNK: return 10; case S_IFSOCK: return 12; default: return 0;
  }
}

/** The mount roots of one Gofer process. */
export class GoferServer {
  private readonly mounts = new Map<string, MountRoot>();

  /** Opens every root; throws (at startup) if one is missing or neither a directory nor a regular file. */
  constructor(specs: MountSpec[]) {
    if (process.platform !== 'linux') throw new Error('the Gofer needs Linux (/proc/self/fd and O_PATH)');
    for (const s of specs) {
      if (this.mounts.has(s.name)) throw new Error(`mount ${s.name} given twice`);
      // The root itself may be reached through host symlinks: the sandbox's operator chose it.
      const fd = fs.openSync(s.hostDir, O_PATH);
      const type = Number(fstat(fd).mode) & S_IFMT;
      if (type !== S_IFDIR && type !== S_IFREG) {
        fs.closeSync(fd);
        throw new Error(`mount ${s.name}: ${s.hostDir} is neither a directory nor a regular file`);
      }
      this.mounts.set(s.name, { name: s.name, hostDir: s.hostDir, readOnly: s.readOnly, fd, type });
    }
  }

  mount(name: string): MountRoot | undefined { return this.mounts.get(name); }
  newSession(): Session { return new Session(this); }
  close(): void { for (const m of this.mounts.values()) try { fs.closeSync(m.fd); } catch { /* already gone */ } this.mounts.clear(); }
}

/** One connection's handle table and the operations on it. */
export class Session {
  private readonly handles = new Map<number, Handle>();
  private nextId = 1;

  constructor(private readonly server: GoferServer) {}

  /** Runs one request; host errors become errnos, and nothing here throws. */
  handle(req: Request): Result<OpName> {
    try {
      const fn = this.ops[req.op] as (a: unknown) => Replies[OpName];
      return { ok: true, value: fn(req.args) };
    } catch (e) {
      return { ok: false, errno: hostErrno(e) };
    }
  }

  /** Closes every handle (the connection is gone). */
  closeAll(): void {
    for (const h of this.handles.values()) try { fs.closeSync(h.fd); } catch { /* ignore */ }
    this.handles.clear();
  }

  // ---- handle table ----

  private add<H extends Handle>(make: (id: number) => H): H {
    if (this.handles.size >= MAX_HANDLES) throw new GoferError(Errno.EMFILE);
    const id = this.nextId++;
    if (this.nextId > 0xffffffff) this.nextId = 1;
    const h = make(id);
    this.handles.set(id, h);
    return h;
  }
  private control(id: number): Control {
    const h = this.handles.get(id);
    if (!h) throw new GoferError(Errno.EBADF);
    const c = h.kind === 'control' ? h : h.control;
    // An open handle outlives a Close of its control; the control's fd number may name another file by now.
    if (c.fd < 0) throw new GoferError(Errno.EBADF);
    return c;
  }
  private dir(id: number): Control {
    const c = this.control(id);
    if (c.type !== S_IFDIR) throw new GoferError(Errno.ENOTDIR);
    return c;
  }
  private open(id: number): OpenFile {
    const h = this.handles.get(id);
    if (!h || h.kind !== 'open') throw new GoferError(Errno.EBADF);
    return h;
  }
  private writable(c: Control): void { if (c.mount.readOnly) throw new GoferError(Errno.EROFS); }

  /**
   * Opens `name` in `dir` as a new control handle, never following a final symlink.
   * Native helper: openat2(dir.fd, name, O_PATH|O_NOFOLLOW, RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS).
   */
  private openChild(dir: Control, name: Uint8Array): Control {
    const fd = fs.openSync(procChild(dir.fd, name), O_PATH | C.O_NOFOLLOW);
    return this.adopt(dir, name, fd);
  }
  /** Makes a control handle of a fresh O_PATH fd (closing it on failure). */
  private adopt(dir: Control, name: Uint8Array, fd: number): Control {
    try {
      const type = Number(fstat(fd).mode) & S_IFMT;
      let target: Buffer | undefined;
      if (type === S_IFLNK) target = this.readLink(dir, name, fd);
      return this.add((id) => ({ kind: 'control', id, mount: dir.mount, fd, type, target }));
    } catch (e) {
      fs.closeSync(fd);
      throw e;
    }
  }
  /** Reads a symlink by name, checking it is still the inode `fd` pins. */
  private readLink(dir: Control, name: Uint8Array, fd: number): Buffer {
    const path = procChild(dir.fd, name);
    const target = fs.readlinkSync(path, { encoding: 'buffer' });
    const now = fs.lstatSync(path, { bigint: true });
    const pinned = fstat(fd);
    if (now.ino !== pinned.ino || now.dev !== pinned.dev) throw new GoferError(Errno.ESTALE, 'symlink replaced during lookup');
    return target;
  }
  private inode(c: Control): Inode { return { handle: c.id, stat: toStat(fstat(c.fd)) }; }

  /** Sets the owner of a new inode when the Sentry asked for one (U32 max = leave as is). */
  private own(c: Control, uid: number, gid: number): void {
    if (uid === 0xffffffff && gid === 0xffffffff) return;
    const s = fstat(c.fd);
    const nu = uid === 0xffffffff ? Number(s.uid) : uid;
    const ng = gid === 0xffffffff ? Number(s.gid) : gid;
    if (nu === Number(s.uid) && ng === Number(s.gid)) return;
    // chown(2) through the magic link changes the pinned inode (for a symlink, the link itself).
    fs.chownSync(procFd(c.fd), nu, ng);
  }
  /** Creates with `make`, then opens and owns the result; removes it again if that fails. */
  private created(dir: Control, name: Uint8Array, uid: number, gid: number, isDir: boolean): Control {
    const c = this.openChild(dir, name);
    try { this.own(c, uid, gid); } catch (e) {
      this.closeHandle(c.id);
      try { if (isDir) fs.rmdirSync(procChild(dir.fd, name)); else fs.unlinkSync(procChild(dir.fd, name)); } catch { /* leave it */ }
      throw e;
    }
    return c;
  }
  private closeHandle(id: number): boolean {
    const h = this.handles.get(id);
    if (!h) return false;
    this.handles.delete(id);
    try { fs.closeSync(h.fd); } catch { /* ignore */ }
    if (h.kind === 'control') h.fd = -1; // open handles on it must not use the number again
    return true;
  }

  // ---- operations (gVisor pkg/lisafs/handlers.go) ----

  private readonly ops: { [K in OpName]: (a: Requests[K]) => Replies[K] } = {
    Mount: (a) => {
      const m = this.server.mount(a.mount);
      if (!m) throw new GoferError(Errno.ENOENT);
      const fd = fs.openSync(procFd(m.fd), O_PATH | (m.type === S_IFDIR ? C.O_DIRECTORY : 0));
      const root = this.add((id): Control => ({ kind: 'control', id, mount: m, fd, type: m.type }));
      return { root: this.inode(root) };
    },

    Walk: (a) => {
      let cur = this.dir(a.dir);
      for (const n of a.names) checkName(n);
      const inodes: Inode[] = [];
      try {
        for (let i = 0; i < a.names.length; i++) {
          if (cur.type !== S_IFDIR) throw new GoferError(Errno.ENOTDIR);
          let c: Control;
          try { c = this.openChild(cur, a.names[i]); } catch (e) {
            if (hostErrno(e) === Errno.ENOENT) return { status: WalkStatus.ComponentDoesNotExist, inodes };
            throw e;
          }
          inodes.push(this.inode(c));
          if (c.type === S_IFLNK) return { status: WalkStatus.ComponentSymlink, inodes };
          cur = c;
        }
        return { status: WalkStatus.Success, inodes };
      } catch (e) {
        for (const i of inodes) this.closeHandle(i.handle);
        throw e;
      }
    },

    WalkStat: (a) => {
      let cur = this.dir(a.dir);
      for (const n of a.names) checkName(n);
      const stats: Stat[] = [];
      const opened: number[] = [];
      try {
        for (let i = 0; i < a.names.length; i++) {
          if (cur.type !== S_IFDIR) throw new GoferError(Errno.ENOTDIR);
          let fd: number;
          try { fd = fs.openSync(procChild(cur.fd, a.names[i]), O_PATH | C.O_NOFOLLOW); } catch (e) {
            if (hostErrno(e) === Errno.ENOENT) break;
            throw e;
          }
          opened.push(fd);
          const s = fstat(fd);
          stats.push(toStat(s));
          const type = Number(s.mode) & S_IFMT;
          if (type === S_IFLNK) break;
          cur = { kind: 'control', id: 0, mount: cur.mount, fd, type };
        }
        return { stats };
      } finally {
        for (const fd of opened) try { fs.closeSync(fd); } catch { /* ignore */ }
      }
    },

    FStat: (a) => {
      const h = this.handles.get(a.handle);
      if (!h) throw new GoferError(Errno.EBADF);
      return { stat: toStat(fstat(h.fd)) };
    },

    SetStat: (a) => {
      const c = this.control(a.handle);
      this.writable(c);
      const path = procFd(c.fd);
      if (a.mask & SetStatMask.Size) {
        if (c.type === S_IFDIR) throw new GoferError(Errno.EISDIR);
        if (c.type !== S_IFREG) throw new GoferError(Errno.EINVAL);
        const fd = fs.openSync(path, C.O_WRONLY | C.O_NONBLOCK);
        try { fs.ftruncateSync(fd, a.size); } finally { fs.closeSync(fd); }
      }
      if (a.mask & SetStatMask.Mode) {
        if (c.type === S_IFLNK) throw new GoferError(Errno.EOPNOTSUPP);
        fs.chmodSync(path, a.mode & 0o7777);
      }
      if (a.mask & (SetStatMask.Uid | SetStatMask.Gid)) {
        fs.chownSync(path, a.mask & SetStatMask.Uid ? a.uid : -1, a.mask & SetStatMask.Gid ? a.gid : -1);
      }
      if (a.mask & (SetStatMask.Atime | SetStatMask.Mtime)) {
        // Native helper: utimensat with nanoseconds and UTIME_OMIT; Node takes seconds as a double.
        const s = fstat(c.fd);
        const pick = (want: boolean, t: Timespec, cur: bigint): number => {
          if (!want || t.nsec === UTIME_OMIT) return Number(cur) / 1e9;
          if (t.nsec === UTIME_NOW) return Date.now() / 1000;
          return t.sec + t.nsec / 1e9;
        };
        const at = pick((a.mask & SetStatMask.Atime) !== 0, a.atime, s.atimeNs);
        const mt = pick((a.mask & SetStatMask.Mtime) !== 0, a.mtime, s.mtimeNs);
        if (c.type === S_IFLNK) fs.lutimesSync(path, at, mt); // never reached through a link: path is the magic link to the symlink
        else fs.utimesSync(path, at, mt);
      }
      return {};
    },

    OpenAt: (a) => {
      const c = this.control(a.handle);
      return { fd: this.openFile(c, a.flags).id };
    },

    OpenCreateAt: (a) => {
      const dir = this.dir(a.dir);
      checkName(a.name);
      this.writable(dir);
      if (a.flags & ~(O_ACCMODE | O_TRUNC) || (a.flags & O_ACCMODE) === O_ACCMODE) throw new GoferError(Errno.EINVAL);
      const fd = fs.openSync(procChild(dir.fd, a.name), C.O_CREAT | C.O_EXCL | C.O_NOFOLLOW | C.O_NONBLOCK | (a.flags & O_ACCMODE), a.mode);
      let child: Control;
      try {
        // Pin the inode just created (not whatever has that name by now) through the new fd.
        const pfd = fs.openSync(procFd(fd), O_PATH);
        child = this.adopt(dir, a.name, pfd);
        this.own(child, a.uid, a.gid);
      } catch (e) {
        fs.closeSync(fd);
        throw e;
      }
      const file = this.add((id): OpenFile => ({ kind: 'open', id, control: child, fd, flags: a.flags & O_ACCMODE }));
      return { child: this.inode(child), fd: file.id };
    },

    Close: (a) => {
      let bad = false;
      for (const id of a.handles) if (!this.closeHandle(id)) bad = true;
      if (bad) throw new GoferError(Errno.EBADF);
      return {};
    },

    FSync: (a) => { fs.fsyncSync(this.open(a.fd).fd); return {}; },

    PRead: (a) => {
      const f = this.open(a.fd);
      if ((f.flags & O_ACCMODE) === C.O_WRONLY) throw new GoferError(Errno.EBADF);
      const buf = Buffer.allocUnsafe(a.count);
      // A FIFO has no offsets (pread gives ESPIPE): it is read as a stream and the offset ignored.
      const n = fs.readSync(f.fd, buf, 0, a.count, f.control.type === S_IFIFO ? null : a.offset);
      return { data: buf.subarray(0, n) };
    },

    PWrite: (a) => {
      const f = this.open(a.fd);
      if ((f.flags & O_ACCMODE) === O_RDONLY) throw new GoferError(Errno.EBADF);
      const n = fs.writeSync(f.fd, a.data, 0, a.data.length, f.control.type === S_IFIFO ? null : a.offset);
      return { count: n };
    },

    MkdirAt: (a) => {
      const dir = this.dir(a.dir);
      checkName(a.name);
      this.writable(dir);
      fs.mkdirSync(procChild(dir.fd, a.name), { mode: a.mode });
      return { child: this.inode(this.created(dir, a.name, a.uid, a.gid, true)) };
    },

    MknodAt: (a) => {
      const dir = this.dir(a.dir);
      checkName(a.name);
      this.writable(dir);
      const type = a.mode & S_IFMT;
      const perm = a.mode & 0o7777;
      if (type === S_IFREG || type === 0) {
        fs.closeSync(fs.openSync(procChild(dir.fd, a.name), C.O_CREAT | C.O_EXCL | C.O_NOFOLLOW | C.O_WRONLY | C.O_NONBLOCK, perm));
      } else if (type === S_IFIFO) {
        mkfifo(dir.fd, a.name, perm);
      } else {
        // Devices and sockets are not made on the host (sockets come with Bind later).
        throw new GoferError(Errno.EPERM);
      }
      return { child: this.inode(this.created(dir, a.name, a.uid, a.gid, false)) };
    },

    SymlinkAt: (a) => {
      const dir = this.dir(a.dir);
      checkName(a.name);
      this.writable(dir);
      if (a.target.length === 0) throw new GoferError(Errno.ENOENT);
      if (a.target.includes(0)) throw new GoferError(Errno.EINVAL);
      fs.symlinkSync(Buffer.from(a.target), procChild(dir.fd, a.name));
      return { child: this.inode(this.created(dir, a.name, a.uid, a.gid, false)) };
    },

    LinkAt: (a) => {
      const dir = this.dir(a.dir);
      const old = this.dir(a.oldDir);
      checkName(a.name);
      checkName(a.oldName);
      if (dir.mount !== old.mount) throw new GoferError(Errno.EXDEV);
      this.writable(dir);
      // link(2) does not follow a symlink at oldpath, and both names are one component below a
      // directory of this mount, so the new link names an inode already inside the root.
      fs.linkSync(procChild(old.fd, a.oldName), procChild(dir.fd, a.name));
      return { child: this.inode(this.openChild(dir, a.name)) };
    },

    FStatFS: (a) => {
      const c = this.control(a.handle);
      const s = fs.statfsSync(procFd(c.fd), { bigint: true });
      return { statfs: { type: u(s.type), blockSize: u(s.bsize), blocks: u(s.blocks), bfree: u(s.bfree), bavail: u(s.bavail), files: u(s.files), ffree: u(s.ffree), nameLength: NAME_MAX } };
    },

    FAllocate: (a) => {
      const f = this.open(a.fd);
      if ((f.flags & O_ACCMODE) === O_RDONLY) throw new GoferError(Errno.EBADF);
      // Native helper: fallocate(2). Without it only mode 0 is emulated, by growing the size.
      if (a.mode !== 0) throw new GoferError(Errno.EOPNOTSUPP);
      if (a.length === 0) throw new GoferError(Errno.EINVAL);
      if (f.control.type !== S_IFREG) throw new GoferError(f.control.type === S_IFDIR ? Errno.EISDIR : Errno.ENODEV);
      const end = a.offset + a.length;
      if (!Number.isSafeInteger(end)) throw new GoferError(Errno.EFBIG);
      if (end > Number(fstat(f.fd).size)) fs.ftruncateSync(f.fd, end);
      return {};
    },

    ReadLinkAt: (a) => {
      const c = this.control(a.handle);
      if (c.type !== S_IFLNK || !c.target) throw new GoferError(Errno.EINVAL);
      return { target: c.target };
    },

    UnlinkAt: (a) => {
      const dir = this.dir(a.dir);
      checkName(a.name);
      if (a.flags & ~AT_REMOVEDIR) throw new GoferError(Errno.EINVAL);
      this.writable(dir);
      const path = procChild(dir.fd, a.name);
      if (a.flags & AT_REMOVEDIR) fs.rmdirSync(path); else fs.unlinkSync(path);
      return {};
    },

    RenameAt: (a) => {
      const od = this.dir(a.oldDir);
      const nd = this.dir(a.newDir);
      checkName(a.oldName);
      checkName(a.newName);
      // Native helper: renameat2 for RENAME_NOREPLACE/EXCHANGE/WHITEOUT.
      if (a.flags !== 0) throw new GoferError(Errno.EINVAL);
      if (od.mount !== nd.mount) throw new GoferError(Errno.EXDEV);
      this.writable(od);
      fs.renameSync(procChild(od.fd, a.oldName), procChild(nd.fd, a.newName));
      return {};
    },

    Getdents64: (a) => {
      const f = this.open(a.fd);
      if (f.control.type !== S_IFDIR) throw new GoferError(Errno.ENOTDIR);
      // `.` and `..` are not listed: the Sentry knows both and makes them itself.
      if (a.offset === 0 || !f.dirents) f.dirents = listDir(f.fd);
      const out: Dirent[] = [];
      let used = 0;
      for (let i = a.offset; i < f.dirents.length; i++) {
        const d = f.dirents[i];
        const reclen = (19 + d.name.length + 1 + 7) & ~7; // struct linux_dirent64
        if (used + reclen > a.count) { if (out.length === 0) throw new GoferError(Errno.EINVAL); break; }
        used += reclen;
        out.push(d);
      }
      return { dirents: out };
    },

    // Native helper: Node has no xattr API; until the helper exists these answer EOPNOTSUPP, which
    // is what Linux answers on a file system without xattrs (so `ls`, `cp -a` carry on).
    GetXattr: (a) => { this.control(a.handle); throw new GoferError(Errno.EOPNOTSUPP); },
    SetXattr: (a) => { const c = this.control(a.handle); this.writable(c); throw new GoferError(Errno.EOPNOTSUPP); },
    ListXattr: (a) => { this.control(a.handle); throw new GoferError(Errno.EOPNOTSUPP); },
    RemoveXattr: (a) => { const c = this.control(a.handle); this.writable(c); throw new GoferError(Errno.EOPNOTSUPP); },
  };

  /** lisafs OpenAt: a real file description for a control's inode. */
  private openFile(c: Control, flags: number): OpenFile {
    if (flags & ~(O_ACCMODE | O_TRUNC) || (flags & O_ACCMODE) === O_ACCMODE) throw new GoferError(Errno.EINVAL);
    const acc = flags & O_ACCMODE;
    const writes = acc !== O_RDONLY || (flags & O_TRUNC) !== 0;
    switch (c.type) {
      case S_IFDIR: if (writes) throw new GoferError(Errno.EISDIR); break;
      case S_IFLNK: throw new GoferError(Errno.ELOOP);
      case S_IFSOCK: throw new GoferError(Errno.ENXIO);
      case S_IFCHR: case S_IFBLK: throw new GoferError(Errno.EPERM); // host devices are not served
      case S_IFREG: case S_IFIFO: break;
      default: throw new GoferError(Errno.EPERM);
    }
    if (writes && c.mount.readOnly) throw new GoferError(Errno.EROFS);
    // Reopen the pinned inode (not a name) without blocking: a FIFO with no writer, a file with
    // a mandatory lease, never hold the Gofer.
    const fd = fs.openSync(procFd(c.fd), acc | (flags & O_TRUNC) | C.O_NONBLOCK | (c.type === S_IFDIR ? C.O_DIRECTORY : 0));
    try {
      return this.add((id): OpenFile => ({ kind: 'open', id, control: c, fd, flags: acc }));
    } catch (e) { fs.closeSync(fd); throw e; }
  }
}

/** All entries of an open directory, with inode numbers, in host order. */
function listDir(fd: number): Dirent[] {
  const names = fs.readdirSync(procFd(fd), { encoding: 'buffer' });
  const out: Dirent[] = [];
  for (const name of names) {
    let s: fs.BigIntStats;
    try { s = fs.lstatSync(procChild(fd, name), { bigint: true }); } catch { continue; } // removed meanwhile
    out.push({ ino: u(s.ino), off: out.length + 1, type: dtype(Number(s.mode)), name: new Uint8Array(name) });
  }
  return out;
}

/**
 * mkfifo(3) one name below a directory fd. Node has no mknod; until the native helper exists the
 * coreutils mkfifo runs with our directory fd as its fd 3 and the name as one component below it.
 */
function mkfifo(dirfd: number, name: Uint8Array, mode: number): void {
  const s = Buffer.from(name).toString('utf8');
  if (!Buffer.from(s, 'utf8').equals(Buffer.from(name))) throw new GoferError(Errno.EINVAL, 'FIFO names must be UTF-8 until the native helper');
  const r = spawnSync('mkfifo', ['-m', (mode & 0o7777).toString(8), '--', `/proc/self/fd/3/${s}`], {
    stdio: ['ignore', 'ignore', 'pipe', dirfd], env: { PATH: '/usr/bin:/bin', LC_ALL: 'C' }, timeout: 10_000,
  });
  if (r.status === 0) return;
  const msg = r.stderr?.toString() ?? '';
  if (/File exists/.test(msg)) throw new GoferError(Errno.EEXIST);
  if (/No such file/.test(msg)) throw new GoferError(Errno.ENOENT);
  if (/Permission denied/.test(msg)) throw new GoferError(Errno.EACCES);
  if (/No space/.test(msg)) throw new GoferError(Errno.ENOSPC);
  throw new GoferError(Errno.EIO, `mkfifo: ${msg.trim() || String(r.error)}`);
}

/**
 * Serves one connection until it closes. A frame whose length is over the maximum ends the
 * connection (after an EMSGSIZE reply if its tag arrived); any other bad frame gets an error
 * reply and the connection goes on.
 */
export function serveSocket(server: GoferServer, sock: net.Socket, log: (msg: string) => void = () => {}): Promise<void> {
  const session = server.newSession();
  const reader = new FrameReader();
  let done = false;
  const send = (bytes: Uint8Array): void => {
    if (done) return;
    if (!sock.write(bytes)) sock.pause(); // the client is not reading replies: stop reading requests
  };
  sock.on('drain', () => { if (!done) sock.resume(); });
  sock.on('data', (chunk: Buffer) => {
    if (done) return;
    for (const ev of reader.push(chunk)) {
      try {
        if (ev.kind === 'bad') {
          log(`closing connection: ${ev.reason}`);
          if (ev.tag !== undefined) send(encodeError(ev.tag, Errno.EMSGSIZE));
          done = true;
          sock.end();
          return;
        }
        if (ev.kind === 'short') {
          log('frame too short for a header');
          if (ev.tag !== undefined) send(encodeError(ev.tag, Errno.EINVAL));
          continue;
        }
        const d = decodeRequest(ev.frame);
        if (!d.ok) {
          log(`tag ${ev.frame.tag}: ${d.reason}`);
          send(encodeError(ev.frame.tag, d.errno));
          continue;
        }
        send(encodeReply(ev.frame.tag, d.value.op, session.handle(d.value)));
      } catch (e) {
        // A bug here must not take the Gofer down: answer EIO and keep serving.
        log(`internal error: ${e instanceof Error ? e.stack : String(e)}`);
        if (ev.kind === 'frame') send(encodeError(ev.frame.tag, Errno.EIO));
      }
    }
  });
  return new Promise((resolve) => {
    const finish = (): void => {
      if (reader.pending() > 0) log(`connection closed inside a frame (${reader.pending()} bytes)`);
      done = true;
      session.closeAll();
      resolve();
    };
    sock.on('error', (e) => { log(`connection error: ${e.message}`); });
    sock.on('close', finish);
  });
}
