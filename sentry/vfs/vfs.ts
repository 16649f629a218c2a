// The VFS's syscall-level operations (Linux fs/namei.c, fs/open.c; gVisor vfs.VirtualFilesystem):
// open with its flags, the stat family, and the calls that change names and attributes, with
// Linux's order of checks (lookup, then EROFS, then permissions), the sticky bit, read-only
// mounts and umask. Paths are resolved relative to a directory fd, the cwd or the root.

import { Errno } from '../abi/errno.js';
import { Dentry, mountedAt, type Location, type Mount } from './dentry.js';
import {
  O_ACCMODE, O_CLOEXEC, O_CREAT, O_DIRECTORY, O_EXCL, O_NOATIME, O_NOCTTY, O_NOFOLLOW, O_PATH, O_RDONLY, O_TMPFILE, O_TRUNC,
  O_WRONLY, type FileDescription,
} from './file.js';
import {
  CAP_CHOWN, CAP_DAC_READ_SEARCH, CAP_FSETID, CAP_MKNOD, hasCap, RENAME_EXCHANGE, RENAME_NOREPLACE, type FsCreds, type Inode,
  type SetAttr, type StatFs, type TimeSpec,
} from './inode.js';
import { InodeFile, makesTmpfiles } from './inode_file.js';
import { inGroup, isOwner, mayAccess, R_OK, stickyAllows, W_OK, X_OK } from './permissions.js';
import { MAX_SYMLINKS, resolve, resolveParent, type ResolveContext } from './resolve.js';
import { S_IFBLK, S_IFCHR, S_IFDIR, S_IFIFO, S_IFLNK, S_IFMT, S_IFREG, S_IFSOCK, type Stat } from './stat.js';
import { AT_EMPTY_PATH, AT_FDCWD, AT_REMOVEDIR, AT_SYMLINK_FOLLOW, AT_SYMLINK_NOFOLLOW } from './path.js';

/** The calling task as the VFS sees it. */
export interface Caller {
  root: Location;
  cwd: Location;
  umask: number;
  creds: FsCreds;
  /** The location behind a directory fd: undefined for a bad fd, null for a non-VFS file. */
  fdLocation(fd: number): Location | null | undefined;
  /** The open file behind an fd (AT_EMPTY_PATH, f* calls). */
  fdFile(fd: number): FileDescription | undefined;
}

/** Opens special files (device nodes by rdev, FIFOs, sockets); a description or -errno. */
export type SpecialOpener = (loc: Location, st: Stat, flags: number, root: Location) => FileDescription | number | Promise<FileDescription | number>;

const S_ISUID = 0o4000, S_ISGID = 0o2000, S_IXGRP = 0o010;

function ctx(c: Caller): ResolveContext { return { root: c.root, creds: c.creds }; }

/** Where a relative path starts: the cwd, or the directory behind `dirfd`. An empty path is
 *  ENOENT before the dirfd is looked at (AT_EMPTY_PATH is handled by the callers). */
function startOf(c: Caller, dirfd: number, path: string): Location | number {
  if (path === '') return -Errno.ENOENT;
  if (path.startsWith('/') || dirfd === AT_FDCWD) return c.cwd;
  const loc = c.fdLocation(dirfd);
  if (loc === undefined) return -Errno.EBADF;
  if (loc === null || !loc.dentry.inode.isDir) return -Errno.ENOTDIR;
  return loc;
}

/** The location `path` names relative to `dirfd` (following a final symlink if `follow`). */
export async function lookupAt(c: Caller, dirfd: number, path: string, follow: boolean): Promise<Location | number> {
  const start = startOf(c, dirfd, path);
  if (typeof start === 'number') return start;
  return resolve(ctx(c), start, path, follow);
}

/** A target given as (dirfd, path, AT_ flags): AT_EMPTY_PATH with "" names the fd itself. */
export async function targetAt(c: Caller, dirfd: number, path: string, flags: number, followByDefault = true): Promise<Location | number> {
  if (path === '' && (flags & AT_EMPTY_PATH)) {
    if (dirfd === AT_FDCWD) return c.cwd;
    const loc = c.fdLocation(dirfd);
    if (loc === undefined) return -Errno.EBADF;
    if (loc === null) return -Errno.EBADF; // not a file of the VFS (a pipe): callers handle fds first
    return loc;
  }
  const follow = followByDefault ? !(flags & AT_SYMLINK_NOFOLLOW) : (flags & AT_SYMLINK_FOLLOW) !== 0;
  return lookupAt(c, dirfd, path, follow);
}

async function may(c: Caller, i: Inode, mask: number): Promise<number> {
  const st = await i.stat();
  if (typeof st === 'number') return st;
  return mayAccess(c.creds, st, mask) ? 0 : -Errno.EACCES;
}

/** The parent directory and last name for a call that creates `path`; dots and "/" are -EEXIST. */
async function creating(c: Caller, dirfd: number, path: string): Promise<{ dir: Location; name: string; trailingSlash: boolean } | number> {
  const start = startOf(c, dirfd, path);
  if (typeof start === 'number') return start;
  return resolveParent(ctx(c), start, path);
}

/** Common checks before adding `name` to `dir`: it must not exist, the mount must be writable,
 *  and the caller needs write and search permission on the directory. */
async function mayCreate(c: Caller, dir: Location, name: string): Promise<number> {
  if (name === '' || name === '.' || name === '..') return -Errno.EEXIST;
  const existing = await dir.dentry.child(name);
  if (typeof existing !== 'number') return -Errno.EEXIST;
  if (existing !== -Errno.ENOENT) return existing;
  if (dir.mount.readOnly) return -Errno.EROFS;
  return may(c, dir.dentry.inode, W_OK | X_OK);
}

function added(dir: Location, name: string, inode: Inode): Location {
  dir.dentry.dropChild(name); // a stale negative lookup is never cached, but a replaced one might be
  return { mount: dir.mount, dentry: dir.dentry.addChild(name, inode) };
}

// --- open ------------------------------------------------------------------------------------

/** Flags a description keeps (F_GETFL shows them); the others act at open time only. */
const OPEN_ONLY = O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC;

/** Linux's build_open_how and build_open_flags: O_PATH drops every other flag (O_TMPFILE too);
 *  O_DIRECTORY with O_CREAT is refused (since 6.4: it used to create a regular file), and so
 *  O_TMPFILE (which includes O_DIRECTORY) with O_CREAT. */
export async function openAt(c: Caller, dirfd: number, path: string, flags: number, mode: number, special: SpecialOpener): Promise<FileDescription | number> {
  if (flags & O_PATH) flags &= O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
  if ((flags & O_DIRECTORY) && (flags & O_CREAT)) return -Errno.EINVAL;
  if ((flags & O_TMPFILE) === O_TMPFILE) return openTmpfile(c, dirfd, path, flags, mode);
  let loc: Location | number;
  let created = false;
  if (flags & O_CREAT) {
    const r = await openCreating(c, dirfd, path, flags, mode);
    if (typeof r === 'number') return r;
    ({ loc, created } = r);
  } else {
    loc = await lookupAt(c, dirfd, path, !(flags & O_NOFOLLOW));
    if (typeof loc === 'number') return loc;
  }
  const inode = loc.dentry.inode;
  const st = await inode.stat();
  if (typeof st === 'number') return st;
  const type = st.mode & S_IFMT;
  if (flags & O_PATH) {
    if ((flags & O_DIRECTORY) && type !== S_IFDIR) return -Errno.ENOTDIR;
    return new InodeFile(loc, flags & ~OPEN_ONLY, c.root, c.creds);
  }
  if (type === S_IFLNK) return -Errno.ELOOP; // O_NOFOLLOW on a symlink
  if ((flags & O_DIRECTORY) && type !== S_IFDIR) return -Errno.ENOTDIR;
  // Access mode 3 (O_ACCMODE) needs read and write permission and grants neither (ioctl only).
  const acc = flags & O_ACCMODE;
  const writes = acc !== O_RDONLY || (flags & O_TRUNC) !== 0;
  if (type === S_IFDIR && (writes || (flags & O_CREAT))) return -Errno.EISDIR;
  if (!created) {
    const mask = (acc !== O_WRONLY ? R_OK : 0) | (writes ? W_OK : 0);
    if (mask && !mayAccess(c.creds, st, mask)) return -Errno.EACCES;
  }
  // O_NOATIME is for the owner or CAP_FOWNER (may_open).
  if ((flags & O_NOATIME) && !isOwner(c.creds, st)) return -Errno.EPERM;
  if (type === S_IFCHR || type === S_IFBLK || type === S_IFIFO || type === S_IFSOCK) {
    if (type === S_IFSOCK) return -Errno.ENXIO;
    const own = await inode.open(flags, c.creds);
    if (own !== null) return own;
    return special(loc, st, flags, c.root);
  }
  if (writes && loc.mount.readOnly) return -Errno.EROFS;
  if ((flags & O_TRUNC) && type === S_IFREG) {
    const r = await inode.setattr({ size: 0, mtime: 'now' }); // O_TRUNC updates the times even at size 0
    if (r < 0) return r;
  }
  const own = await inode.open(flags, c.creds);
  if (typeof own === 'number') return own;
  if (own !== null) return own;
  return new InodeFile(loc, flags & ~OPEN_ONLY, c.root, c.creds);
}

/** The O_CREAT half of open: find or create the last component (following symlinks to a
 *  missing target, as Linux creates the target of a dangling link). */
async function openCreating(c: Caller, dirfd: number, path: string, flags: number, mode: number): Promise<{ loc: Location; created: boolean } | number> {
  let start = startOf(c, dirfd, path);
  if (typeof start === 'number') return start;
  for (let links = 0; ; links++) {
    const p = await resolveParent(ctx(c), start, path);
    if (typeof p === 'number') return p;
    const { dir, name, trailingSlash } = p;
    if (name === '' || name === '.' || name === '..' || trailingSlash) return -Errno.EISDIR;
    const found = await dir.dentry.child(name);
    if (typeof found !== 'number') {
      if (flags & O_EXCL) return -Errno.EEXIST;
      const loc = mountedAt({ mount: dir.mount, dentry: found });
      if (!loc.dentry.inode.isSymlink) return { loc, created: false };
      if (flags & O_NOFOLLOW) return -Errno.ELOOP;
      if (links >= MAX_SYMLINKS) return -Errno.ELOOP;
      const jumped = await loc.dentry.inode.jump();
      if (typeof jumped === 'number') return jumped;
      if (jumped !== null) return { loc: jumped, created: false };
      const target = await loc.dentry.inode.readlink();
      if (typeof target === 'number') return target;
      if (target === '') return -Errno.ENOENT;
      start = target.startsWith('/') ? c.root : dir;
      path = target;
      continue;
    }
    if (found !== -Errno.ENOENT) return found;
    if (dir.mount.readOnly) return -Errno.EROFS;
    const perm = await may(c, dir.dentry.inode, W_OK | X_OK);
    if (perm < 0) return perm;
    const made = await dir.dentry.inode.create(name, mode & 0o7777 & ~c.umask, c.creds);
    if (typeof made === 'number') return made;
    return { loc: added(dir, name, made), created: true };
  }
}

/** O_TMPFILE where the filesystem cannot make unnamed files (a host volume): a file made under a
 *  hidden name and unlinked at once. It works as a scratch file; linkat cannot name it (ENOENT). */
async function createUnlinked(dir: Inode, perms: number, creds: FsCreds): Promise<Inode | number> {
  const name = `.tsvisor-tmpfile-${Math.random().toString(36).slice(2)}`;
  const made = await dir.create(name, perms, creds);
  if (typeof made === 'number') return made === -Errno.EPERM ? -Errno.EOPNOTSUPP : made;
  const u = await dir.unlink(name);
  return u < 0 ? u : made;
}

/** O_TMPFILE: an unnamed regular file in a directory, which linkat may name unless O_EXCL
 *  (Linux do_tmpfile, vfs_tmpfile). It needs write access (O_WRONLY, O_RDWR or mode 3). */
async function openTmpfile(c: Caller, dirfd: number, path: string, flags: number, mode: number): Promise<FileDescription | number> {
  if ((flags & O_ACCMODE) === O_RDONLY) return -Errno.EINVAL;
  const dir = await lookupAt(c, dirfd, path, true);
  if (typeof dir === 'number') return dir;
  const inode = dir.dentry.inode;
  if (!inode.isDir) return -Errno.ENOTDIR;
  if (dir.mount.readOnly) return -Errno.EROFS;
  const perm = await may(c, inode, W_OK | X_OK);
  if (perm < 0) return perm;
  const perms = mode & 0o7777 & ~c.umask;
  const made = makesTmpfiles(inode) ? await inode.tmpfile(perms, c.creds, !(flags & O_EXCL)) : await createUnlinked(inode, perms, c.creds);
  if (typeof made === 'number') return made;
  // Its dentry is in no directory: /proc/self/fd shows "dir/#ino (deleted)", as Linux's d_tmpfile.
  const dentry = new Dentry(`#${made.ino}`, dir.dentry, made);
  dentry.dead = true;
  return new InodeFile({ mount: dir.mount, dentry }, flags & ~OPEN_ONLY, c.root, c.creds);
}

// --- attributes ------------------------------------------------------------------------------

/** stat, lstat, newfstatat, statx: the attributes of a path or (AT_EMPTY_PATH) of the fd. */
export async function statAt(c: Caller, dirfd: number, path: string, flags: number): Promise<Stat | number> {
  const r = await statWhere(c, dirfd, path, flags);
  return typeof r === 'number' ? r : r.st;
}

/** statAt with the mount the file was found on (statx's stx_mnt_id); null for a file outside the VFS (a pipe). */
export async function statWhere(c: Caller, dirfd: number, path: string, flags: number): Promise<{ st: Stat; mount: Mount | null } | number> {
  if (path === '' && (flags & AT_EMPTY_PATH) && dirfd !== AT_FDCWD) {
    const f = c.fdFile(dirfd);
    if (!f) return -Errno.EBADF;
    const st = await f.stat();
    return typeof st === 'number' ? st : { st, mount: f.location?.mount ?? null };
  }
  const loc = await targetAt(c, dirfd, path, flags);
  if (typeof loc === 'number') return loc;
  const st = await loc.dentry.inode.stat();
  return typeof st === 'number' ? st : { st, mount: loc.mount };
}

/** access, faccessat: as the real ids unless `effective` (AT_EACCESS). */
export async function accessAt(c: Caller, realCreds: FsCreds, dirfd: number, path: string, mode: number, flags: number): Promise<number> {
  const who: Caller = flags & 0x200 /* AT_EACCESS */ ? c : { ...c, creds: realCreds };
  const loc = await targetAt(who, dirfd, path, flags);
  if (typeof loc === 'number') return loc;
  if (mode === 0) return 0;
  const st = await loc.dentry.inode.stat();
  if (typeof st === 'number') return st;
  const type = st.mode & S_IFMT;
  if ((mode & W_OK) && loc.mount.readOnly && (type === S_IFREG || type === S_IFDIR || type === S_IFLNK)) return -Errno.EROFS;
  return mayAccess(who.creds, st, mode) ? 0 : -Errno.EACCES;
}

export async function readlinkAt(c: Caller, dirfd: number, path: string): Promise<string | number> {
  const loc = await targetAt(c, dirfd, path, path === '' ? AT_EMPTY_PATH : AT_SYMLINK_NOFOLLOW);
  if (typeof loc === 'number') return loc;
  if (!loc.dentry.inode.isSymlink) return path === '' ? -Errno.ENOENT : -Errno.EINVAL;
  return loc.dentry.inode.readlink();
}

/** chmod, fchmod, fchmodat. */
export async function chmodLoc(c: Caller, loc: Location, mode: number): Promise<number> {
  const st = await loc.dentry.inode.stat();
  if (typeof st === 'number') return st;
  if (loc.mount.readOnly) return -Errno.EROFS;
  if (!isOwner(c.creds, st)) return -Errno.EPERM;
  let m = mode & 0o7777;
  // Without CAP_FSETID, a non-member of the file's group cannot set its set-group-ID bit.
  if ((m & S_ISGID) && !inGroup(c.creds, st.gid) && !hasCap(c.creds, CAP_FSETID)) m &= ~S_ISGID;
  return loc.dentry.inode.setattr({ mode: m });
}

/** chown family: -1 leaves an id alone (uid and gid already masked to 32 bits by the caller). */
export async function chownLoc(c: Caller, loc: Location, uid: number, gid: number): Promise<number> {
  const st = await loc.dentry.inode.stat();
  if (typeof st === 'number') return st;
  if (loc.mount.readOnly) return -Errno.EROFS;
  const newUid = uid === 0xffffffff ? st.uid : uid, newGid = gid === 0xffffffff ? st.gid : gid;
  if (!hasCap(c.creds, CAP_CHOWN)) {
    if (newUid !== st.uid) return -Errno.EPERM;
    if (newGid !== st.gid && (c.creds.fsuid !== st.uid || !inGroup(c.creds, newGid))) return -Errno.EPERM;
  }
  const attr: SetAttr = {};
  if (uid !== 0xffffffff) attr.uid = newUid;
  if (gid !== 0xffffffff) attr.gid = newGid;
  // A change of owner clears set-user-ID, and set-group-ID of a group-executable file (not dirs).
  if ((st.mode & S_IFMT) !== S_IFDIR && (uid !== 0xffffffff || gid !== 0xffffffff)) {
    let m = st.mode & 0o7777;
    m &= ~S_ISUID;
    if (m & S_IXGRP) m &= ~S_ISGID;
    if (m !== (st.mode & 0o7777)) attr.mode = m;
  }
  return loc.dentry.inode.setattr(attr);
}

/** utimensat: both null means "now" for both (needs write permission or ownership). */
export async function utimesLoc(c: Caller, loc: Location, atime: TimeSpec | null, mtime: TimeSpec | null, explicit: boolean): Promise<number> {
  if (atime === null && mtime === null) return 0;
  const st = await loc.dentry.inode.stat();
  if (typeof st === 'number') return st;
  if (loc.mount.readOnly) return -Errno.EROFS;
  if (explicit) {
    if (!isOwner(c.creds, st)) return -Errno.EPERM;
  } else if (!isOwner(c.creds, st) && !mayAccess(c.creds, st, W_OK)) {
    return -Errno.EACCES;
  }
  const attr: SetAttr = {};
  if (atime !== null) attr.atime = atime;
  if (mtime !== null) attr.mtime = mtime;
  return loc.dentry.inode.setattr(attr);
}

/** truncate(2) on a path. */
export async function truncateLoc(c: Caller, loc: Location, size: number): Promise<number> {
  if (size < 0) return -Errno.EINVAL;
  const st = await loc.dentry.inode.stat();
  if (typeof st === 'number') return st;
  if ((st.mode & S_IFMT) === S_IFDIR) return -Errno.EISDIR;
  if ((st.mode & S_IFMT) !== S_IFREG) return -Errno.EINVAL;
  if (loc.mount.readOnly) return -Errno.EROFS;
  if (!mayAccess(c.creds, st, W_OK)) return -Errno.EACCES;
  return loc.dentry.inode.setattr({ size });
}

const ST_RDONLY = 1, ST_VALID = 0x20;

/** statfs: the filesystem's figures, with the mount's flags; Linux always sets ST_VALID. */
export async function statfsLoc(loc: Location): Promise<StatFs | number> {
  const r = await loc.dentry.inode.fs.statfs();
  if (typeof r === 'number') return r;
  return { ...r, flags: r.flags | ST_VALID | (loc.mount.readOnly ? ST_RDONLY : 0) };
}

// --- names -----------------------------------------------------------------------------------

export async function mkdirAt(c: Caller, dirfd: number, path: string, mode: number): Promise<number> {
  const p = await creating(c, dirfd, path);
  if (typeof p === 'number') return p;
  const ok = await mayCreate(c, p.dir, p.name);
  if (ok < 0) return ok;
  const made = await p.dir.dentry.inode.mkdir(p.name, mode & 0o1777 & ~c.umask, c.creds);
  if (typeof made === 'number') return made;
  added(p.dir, p.name, made);
  return 0;
}

export async function mknodAt(c: Caller, dirfd: number, path: string, mode: number, rdev: number): Promise<number> {
  let type = mode & S_IFMT;
  if (type === 0) type = S_IFREG;
  if (type === S_IFDIR) return -Errno.EPERM;
  if (type !== S_IFREG && type !== S_IFCHR && type !== S_IFBLK && type !== S_IFIFO && type !== S_IFSOCK) return -Errno.EINVAL;
  const p = await creating(c, dirfd, path);
  if (typeof p === 'number') return p;
  if (p.trailingSlash) return p.name === '' ? -Errno.EEXIST : -Errno.ENOENT;
  const ok = await mayCreate(c, p.dir, p.name);
  if (ok < 0) return ok;
  if ((type === S_IFCHR || type === S_IFBLK) && !hasCap(c.creds, CAP_MKNOD)) return -Errno.EPERM;
  const perms = mode & 0o7777 & ~c.umask;
  const made = type === S_IFREG
    ? await p.dir.dentry.inode.create(p.name, perms, c.creds)
    : await p.dir.dentry.inode.mknod(p.name, type | perms, rdev, c.creds);
  if (typeof made === 'number') return made;
  added(p.dir, p.name, made);
  return 0;
}

export async function symlinkAt(c: Caller, target: string, dirfd: number, path: string): Promise<number> {
  if (target === '') return -Errno.ENOENT;
  const p = await creating(c, dirfd, path);
  if (typeof p === 'number') return p;
  const ok = await mayCreate(c, p.dir, p.name);
  if (ok < 0) return ok;
  if (p.trailingSlash) return -Errno.ENOENT;
  const made = await p.dir.dentry.inode.symlink(p.name, target, c.creds);
  if (typeof made === 'number') return made;
  added(p.dir, p.name, made);
  return 0;
}

/**
 * linkat(fd, "", ..., AT_EMPTY_PATH) links the file behind fd: allowed to whoever opened it (Linux
 * 6.10's LOOKUP_LINKAT_EMPTY: the description's f_cred is the caller's; compared here by value,
 * as the Sentry changes credentials in place) or with CAP_DAC_READ_SEARCH; else ENOENT.
 */
function mayLinkFd(c: Caller, dirfd: number, path: string): number {
  if (dirfd === AT_FDCWD || path.startsWith('/')) return 0;
  const f = c.fdFile(dirfd);
  if (!f) return -Errno.EBADF;
  if (hasCap(c.creds, CAP_DAC_READ_SEARCH)) return 0;
  const o = f instanceof InodeFile ? f.openCreds : undefined;
  const same = o !== undefined && o.fsuid === c.creds.fsuid && o.fsgid === c.creds.fsgid && o.caps === c.creds.caps &&
    o.groups.length === c.creds.groups.length && o.groups.every((g, k) => g === c.creds.groups[k]);
  return same ? 0 : -Errno.ENOENT;
}

export async function linkAt(c: Caller, olddirfd: number, oldPath: string, newdirfd: number, newPath: string, flags: number): Promise<number> {
  if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) return -Errno.EINVAL;
  if (flags & AT_EMPTY_PATH) {
    const ok = mayLinkFd(c, olddirfd, oldPath);
    if (ok < 0) return ok;
  }
  const from = await targetAt(c, olddirfd, oldPath, flags, false);
  if (typeof from === 'number') return from;
  if (from.dentry.inode.isDir) return -Errno.EPERM;
  const p = await creating(c, newdirfd, newPath);
  if (typeof p === 'number') return p;
  if (p.trailingSlash) return -Errno.ENOENT;
  if (p.dir.mount !== from.mount) return -Errno.EXDEV;
  const ok = await mayCreate(c, p.dir, p.name);
  if (ok < 0) return ok;
  const r = await p.dir.dentry.inode.link(p.name, from.dentry.inode);
  if (r < 0) return r;
  added(p.dir, p.name, from.dentry.inode);
  return 0;
}

/** The checks of removing `name` from `dir` (Linux may_delete), after it was looked up. */
async function mayDelete(c: Caller, dir: Location, victim: Inode): Promise<number> {
  const dst = await dir.dentry.inode.stat();
  if (typeof dst === 'number') return dst;
  if (!mayAccess(c.creds, dst, W_OK | X_OK)) return -Errno.EACCES;
  const vst = await victim.stat();
  if (typeof vst === 'number') return vst;
  return stickyAllows(c.creds, dst, vst) ? 0 : -Errno.EPERM;
}

export async function unlinkAt(c: Caller, dirfd: number, path: string, flags: number): Promise<number> {
  if (flags & ~AT_REMOVEDIR) return -Errno.EINVAL;
  if (flags & AT_REMOVEDIR) return rmdirAt(c, dirfd, path);
  const p = await creating(c, dirfd, path);
  if (typeof p === 'number') return p;
  if (p.name === '' || p.name === '.' || p.name === '..') return -Errno.EISDIR;
  if (p.dir.mount.readOnly) return -Errno.EROFS;
  const d = await p.dir.dentry.child(p.name);
  if (typeof d === 'number') return d;
  if (d.inode.isDir) return -Errno.EISDIR;
  if (p.trailingSlash) return -Errno.ENOTDIR;
  const ok = await mayDelete(c, p.dir, d.inode);
  if (ok < 0) return ok;
  if (d.isMountpoint) return -Errno.EBUSY;
  const r = await p.dir.dentry.inode.unlink(p.name);
  if (r < 0) return r;
  p.dir.dentry.dropChild(p.name);
  return 0;
}

export async function rmdirAt(c: Caller, dirfd: number, path: string): Promise<number> {
  const p = await creating(c, dirfd, path);
  if (typeof p === 'number') return p;
  if (p.name === '.') return -Errno.EINVAL;
  if (p.name === '..') return -Errno.ENOTEMPTY;
  if (p.name === '') return -Errno.EBUSY;
  if (p.dir.mount.readOnly) return -Errno.EROFS;
  const d = await p.dir.dentry.child(p.name);
  if (typeof d === 'number') return d;
  if (!d.inode.isDir) return -Errno.ENOTDIR;
  const ok = await mayDelete(c, p.dir, d.inode);
  if (ok < 0) return ok;
  if (d.isMountpoint || (d === c.root.dentry && p.dir.mount === c.root.mount)) return -Errno.EBUSY;
  const r = await p.dir.dentry.inode.rmdir(p.name);
  if (r < 0) return r;
  p.dir.dentry.dropChild(p.name);
  return 0;
}

/** Is `a` the dentry `b` or one of its ancestors (within one mount)? */
function isAncestor(a: Dentry, b: Dentry): boolean {
  for (let d: Dentry | null = b; d !== null; d = d.parent) if (d === a) return true;
  return false;
}

export async function renameAt(c: Caller, olddirfd: number, oldPath: string, newdirfd: number, newPath: string, flags: number): Promise<number> {
  if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE)) return -Errno.EINVAL;
  if ((flags & RENAME_NOREPLACE) && (flags & RENAME_EXCHANGE)) return -Errno.EINVAL;
  const from = await creating(c, olddirfd, oldPath);
  if (typeof from === 'number') return from;
  const to = await creating(c, newdirfd, newPath);
  if (typeof to === 'number') return to;
  if (from.dir.mount !== to.dir.mount) return -Errno.EXDEV;
  const dots = (n: string) => n === '' || n === '.' || n === '..';
  if (dots(from.name)) return -Errno.EBUSY;
  if (dots(to.name)) return flags & RENAME_NOREPLACE ? -Errno.EEXIST : -Errno.EBUSY;
  if (from.dir.mount.readOnly) return -Errno.EROFS;
  const src = await from.dir.dentry.child(from.name);
  if (typeof src === 'number') return src;
  if (!src.inode.isDir && (from.trailingSlash || to.trailingSlash)) return -Errno.ENOTDIR;
  const dst = await to.dir.dentry.child(to.name);
  if (typeof dst === 'number' && dst !== -Errno.ENOENT) return dst;
  const target = typeof dst === 'number' ? null : dst;
  if (target === null && (flags & RENAME_EXCHANGE)) return -Errno.ENOENT;
  if (target !== null && (flags & RENAME_NOREPLACE)) return -Errno.EEXIST;
  if (target !== null && target.inode === src.inode) return 0; // two names of one file: nothing happens
  // A directory cannot move under itself; nor can a target be an ancestor of the source.
  if (src.inode.isDir && isAncestor(src, to.dir.dentry)) return -Errno.EINVAL;
  if (target !== null && isAncestor(target, from.dir.dentry)) return (flags & RENAME_EXCHANGE) ? -Errno.EINVAL : -Errno.ENOTEMPTY;
  let ok = await mayDelete(c, from.dir, src.inode);
  if (ok < 0) return ok;
  if (target !== null) { ok = await mayDelete(c, to.dir, target.inode); if (ok < 0) return ok; }
  else { ok = await may(c, to.dir.dentry.inode, W_OK | X_OK); if (ok < 0) return ok; }
  // Moving a directory to another parent rewrites its "..": that needs write permission on it.
  if (src.inode.isDir && from.dir.dentry !== to.dir.dentry) { ok = await may(c, src.inode, W_OK); if (ok < 0) return ok; }
  if (target?.inode.isDir && (flags & RENAME_EXCHANGE) && from.dir.dentry !== to.dir.dentry) { ok = await may(c, target.inode, W_OK); if (ok < 0) return ok; }
  if (src.isMountpoint || target?.isMountpoint) return -Errno.EBUSY;
  const r = await from.dir.dentry.inode.rename(from.name, to.dir.dentry.inode, to.name, flags);
  if (r < 0) return r;
  // Keep the dentry cache in step: the moved dentry takes the new name; a replaced one dies.
  from.dir.dentry.children.delete(from.name);
  if (flags & RENAME_EXCHANGE) {
    to.dir.dentry.children.delete(to.name);
    target!.name = from.name; target!.parent = from.dir.dentry;
    from.dir.dentry.children.set(from.name, target!);
  } else {
    to.dir.dentry.dropChild(to.name);
  }
  src.name = to.name; src.parent = to.dir.dentry;
  to.dir.dentry.children.set(to.name, src);
  return 0;
}

/** chdir: a searchable directory. */
export async function chdirTo(c: Caller, loc: Location): Promise<Location | number> {
  if (!loc.dentry.inode.isDir) return -Errno.ENOTDIR;
  const perm = await may(c, loc.dentry.inode, X_OK);
  return perm < 0 ? perm : loc;
}

