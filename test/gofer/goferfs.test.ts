// The gofer filesystem (sentry/vfs/fs/goferfs.ts) against a real Gofer process, mostly through
// the VFS as the guest uses it: symlinks resolved inside the mount, one name walked per lookup
// from the parent's handle, caches that answer without the Gofer and stay true after the
// Sentry's own changes, every writable operation reaching the host, EROFS on a read-only mount,
// EXDEV between mounts, handles kept within their budget (and walked to again), unlinked open
// files, single-file mounts, and EIO once the Gofer is gone.
import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import type { GoferClient } from '../../gofer/client.js';
import type { OpName, Requests } from '../../gofer/protocol.js';
import { Mount, MountNamespace, type Location } from '../../sentry/vfs/dentry.js';
import { O_APPEND, O_CREAT, O_DIRECTORY, O_RDONLY, O_RDWR, O_TRUNC, O_WRONLY, type FileDescription } from '../../sentry/vfs/file.js';
import { GoferFs } from '../../sentry/vfs/fs/goferfs.js';
import { GoferInode } from '../../sentry/vfs/fs/goferfs_inode.js';
import type { FsCreds } from '../../sentry/vfs/inode.js';
import { AT_FDCWD, AT_REMOVEDIR } from '../../sentry/vfs/path.js';
import { MAX_SYMLINKS } from '../../sentry/vfs/resolve.js';
import {
  accessAt, chmodLoc, linkAt, lookupAt, mkdirAt, openAt, readlinkAt, renameAt, statAt, statfsLoc, symlinkAt, truncateLoc,
  unlinkAt, utimesLoc, type Caller,
} from '../../sentry/vfs/vfs.js';
import { Errno, dec, enc, spawnGofer, stopGofer, tmpTree } from './harness.js';

t.setTimeout(120_000);

const ENOENT = -Errno.ENOENT, ENOTDIR = -Errno.ENOTDIR, ELOOP = -Errno.ELOOP, EIO = -Errno.EIO, EACCES = -Errno.EACCES,
  EROFS = -Errno.EROFS, ENAMETOOLONG = -Errno.ENAMETOOLONG, EISDIR = -Errno.EISDIR, EXDEV = -Errno.EXDEV, EINVAL = -Errno.EINVAL;

const top = tmpTree('goferfs-');
// The read-only root: absolute symlinks inside it must land inside it, never on the host's files.
const root = path.join(top, 'root');
fs.mkdirSync(path.join(root, 'etc'), { recursive: true });
fs.mkdirSync(path.join(root, 'a/b/c'), { recursive: true });
fs.writeFileSync(path.join(root, 'etc/hostname'), 'inside\n');
fs.writeFileSync(path.join(root, 'a/b/c/file'), 'deep file');
fs.writeFileSync(path.join(top, 'outside'), 'outside!');
fs.symlinkSync('/etc/hostname', path.join(root, 'abs'));
fs.symlinkSync('b/c/file', path.join(root, 'a/rel'));
fs.symlinkSync('../../../../../../outside', path.join(root, 'escape'));
fs.symlinkSync('/a/b', path.join(root, 'dirlink'));
fs.symlinkSync('.', path.join(root, 'a/self'));
fs.symlinkSync('a/b/c/file/x', path.join(root, 'through-file'));
fs.symlinkSync('missing', path.join(root, 'dangling'));
for (let i = 0; i < MAX_SYMLINKS; i++) fs.symlinkSync(i === MAX_SYMLINKS - 1 ? 'etc/hostname' : `l${i + 1}`, path.join(root, `l${i}`));
fs.symlinkSync('l0', path.join(root, 'l-1'));
fs.writeFileSync(path.join(root, 'secret'), 'x', { mode: 0o600 });
fs.writeFileSync(path.join(root, 'script'), 'x', { mode: 0o754 });
fs.mkdirSync(path.join(root, 'many'));
for (let i = 0; i < 40; i++) fs.writeFileSync(path.join(root, 'many', `f${i}`), `file ${i}`);
fs.linkSync(path.join(root, 'a/b/c/file'), path.join(root, 'hardlink'));
// A writable mount, a second one (for EXDEV) and a single file.
const rw = path.join(top, 'rw');
const rw2 = path.join(top, 'rw2');
fs.mkdirSync(rw); fs.mkdirSync(rw2);
const single = path.join(top, 'single.txt');
fs.writeFileSync(single, 'one file\n');
t.teardown(() => fs.rmSync(top, { recursive: true, force: true }));

const ROOT: FsCreds = { fsuid: 0, fsgid: 0, groups: [], caps: 2 ** 41 - 1 };
const me = process.getuid!(), myGid = process.getgid!();

let nextDev = 0x100;
const g = spawnGofer([`root=${root}:ro`, `rw=${rw}`, `rw2=${rw2}`, `single=${single}`, `singlero=${single}:ro`]);
t.teardown(() => stopGofer(g));

/** Counts the Gofer calls made through `client`, by operation. */
function countCalls(client: GoferClient): { calls: Array<{ op: OpName; args: unknown }>; reset(): void } {
  const rec = { calls: [] as Array<{ op: OpName; args: unknown }>, reset() { rec.calls.length = 0; } };
  const orig = client.call.bind(client);
  client.call = (<K extends OpName>(op: K, args: Requests[K]) => { rec.calls.push({ op, args }); return orig(op, args); }) as GoferClient['call'];
  return rec;
}
const counter = countCalls(g.client);

async function mount(name: string, readOnly: boolean, budget: { controlHandles?: number; openFiles?: number; now?: () => { sec: number; nsec: number } } = {}): Promise<GoferFs> {
  const f = await GoferFs.mount(g.client, name, { dev: nextDev++, readOnly, ...budget });
  if (typeof f === 'number') throw new Error(`mount ${name}: ${f}`);
  return f;
}

/** A namespace with `fs` at / (and more mounts below, when given), and a caller in it. */
function world(rootFs: GoferFs, creds: FsCreds = ROOT): { ns: MountNamespace; c: Caller } {
  const ns = new MountNamespace(new Mount(rootFs, null, rootFs.readOnly ? 1 : 0, 'none'));
  const r = ns.rootLocation;
  return { ns, c: { root: r, cwd: r, umask: 0o022, creds, fdLocation: () => undefined, fdFile: () => undefined } };
}

async function open(c: Caller, p: string, flags = O_RDONLY, mode = 0o644): Promise<FileDescription> {
  const f = await openAt(c, AT_FDCWD, p, flags, mode, () => -Errno.ENXIO);
  if (typeof f === 'number') throw new Error(`open ${p}: ${f}`);
  return f;
}
async function cat(c: Caller, p: string): Promise<string | number> {
  const f = await openAt(c, AT_FDCWD, p, O_RDONLY, 0, () => -Errno.ENXIO);
  if (typeof f === 'number') return f;
  const buf = new Uint8Array(4096);
  const n = await f.read(buf, 0);
  f.release();
  return n < 0 ? n : dec(buf.subarray(0, n));
}
async function write(c: Caller, p: string, text: string, flags = O_WRONLY | O_CREAT | O_TRUNC): Promise<number> {
  const f = await openAt(c, AT_FDCWD, p, flags, 0o644, () => -Errno.ENXIO);
  if (typeof f === 'number') return f;
  const n = await f.write(enc(text), -1);
  f.release();
  return n;
}
async function names(c: Caller, p: string): Promise<string[]> {
  const f = await open(c, p, O_RDONLY | O_DIRECTORY);
  const ents = await f.readdir(0);
  f.release();
  if (typeof ents === 'number') throw new Error(`readdir ${p}: ${ents}`);
  return ents.map((e) => dec(e.name)).sort();
}
async function st(c: Caller, p: string, follow = true) {
  const s = await statAt(c, AT_FDCWD, p, follow ? 0 : 0x100);
  if (typeof s === 'number') throw new Error(`stat ${p}: ${s}`);
  return s;
}
async function at(c: Caller, p: string): Promise<Location> {
  const l = await lookupAt(c, AT_FDCWD, p, true);
  if (typeof l === 'number') throw new Error(`lookup ${p}: ${l}`);
  return l;
}
/** The Gofer's open host fds (each handle is one). */
const goferFds = () => fs.readdirSync(`/proc/${g.child.pid}/fd`).length;
/** Replies come in order: after this, every Close sent before it is done. */
const settle = async (f: GoferFs) => { await Promise.resolve(); await f.statfs(); };

const rofs = await mount('root', true);
const ro = world(rofs);

t.test('symlinks resolve inside the mount, from its root or the link\'s directory', async (t) => {
  const c = ro.c;
  t.equal(await cat(c, '/abs'), 'inside\n', 'an absolute target restarts at the sandbox root');
  t.equal(await cat(c, '/a/rel'), 'deep file', 'a relative target starts at the link\'s directory');
  t.equal(await cat(c, '/escape'), ENOENT, '`..` in a target stops at the root (no /outside there)');
  t.equal(await cat(c, '/dirlink/c/file'), 'deep file', 'a link in the middle of a path');
  t.equal(await cat(c, '/a/self/self/rel'), 'deep file', 'a link to `.`');
  t.equal(await cat(c, '/through-file'), ENOTDIR);
  t.equal(await cat(c, '/dangling'), ENOENT);
  t.equal(await cat(c, '/l0'), 'inside\n', `${MAX_SYMLINKS} links`);
  t.equal(await cat(c, '/l-1'), ELOOP, `${MAX_SYMLINKS + 1} links`);
  t.equal(await cat(c, '/a/b/c/file/more'), ENOTDIR);
  t.equal(await cat(c, '/nope/file'), ENOENT);
  t.equal(await cat(c, '/' + 'x'.repeat(256)), ENAMETOOLONG);
  t.equal(await cat(c, '/a'), EISDIR);
});

t.test('stat, lstat, readlink, access, readdir', async (t) => {
  const c = ro.c;
  const l = await st(c, '/abs', false), s = await st(c, '/abs');
  t.equal(l.mode & 0o170000, 0o120000, 'lstat sees the link');
  t.equal(s.ino, fs.statSync(path.join(root, 'etc/hostname')).ino, 'stat follows it (host inode numbers)');
  t.equal(s.dev, rofs.dev, 'on the mount\'s own device');
  t.equal(s.size, 7);
  t.equal((await st(c, '/')).ino, fs.statSync(root).ino, '/ is the mount root');
  t.equal(await readlinkAt(c, AT_FDCWD, '/a/rel'), 'b/c/file');
  t.equal(await readlinkAt(c, AT_FDCWD, '/dirlink/c/file'), EINVAL, 'not a link');
  t.equal(await accessAt(c, c.creds, AT_FDCWD, '/secret', 2, 0), EROFS, 'a read-only mount');
  const other: FsCreds = { fsuid: me + 1, fsgid: myGid + 1, groups: [], caps: 0 };
  t.equal(await accessAt(c, other, AT_FDCWD, '/secret', 4, 0), EACCES, 'others get nothing of 0600');
  t.equal(await accessAt(c, other, AT_FDCWD, '/script', 4, 0), 0);
  t.same(await names(c, '/dirlink'), ['.', '..', 'c']);
  t.same(await names(c, '/'), ['.', '..', ...fs.readdirSync(root)].sort());
  const h1 = (await at(c, '/hardlink')).dentry.inode, h2 = (await at(c, '/a/b/c/file')).dentry.inode;
  t.equal(h1, h2, 'two names of one host file are one inode');
});

t.test('a read-only mount\'s files are mapped from one shared page cache; a writable one\'s are not', async (t) => {
  const frames: Uint8Array[] = [];
  const memory = {
    alloc: () => { frames.push(new Uint8Array(4096)); return frames.length - 1; },
    incRef: () => {}, decRef: () => {}, bytes: (f: number) => frames[f], written: () => {},
  };
  const file = (await at(ro.c, '/a/b/c/file')).dentry.inode;
  const m = file.mappable(memory);
  t.ok(m, 'a mappable');
  t.equal(file.mappable(memory), m, 'one per file');
  t.equal(await m!.prepare(0, 1), 0);
  const f = m!.frameAt(0);
  t.equal(dec(frames[f].subarray(0, 9)), 'deep file');
  t.equal((await at(ro.c, '/a')).dentry.inode.mappable(memory), null, 'not a directory');
  const w = await mount('rw', false);
  const wc = world(w).c;
  t.equal(await write(wc, '/mapped', 'x'), 1);
  t.equal((await at(wc, '/mapped')).dentry.inode.mappable(memory), null, 'a writable file: copied');
  await unlinkAt(wc, AT_FDCWD, '/mapped', 0);
});

t.test('a lookup walks one name from its parent\'s handle; caches answer without the Gofer', async (t) => {
  const f = await mount('root', true);
  const { c } = world(f);
  counter.reset();
  t.equal(await cat(c, '/a/b/c/file'), 'deep file');
  const walks = counter.calls.filter((x) => x.op === 'Walk').map((x) => x.args as Requests['Walk']);
  t.same(walks.map((w) => dec(w.names[0])), ['a', 'b', 'c', 'file'], 'one Walk per component, in order');
  t.ok(walks.every((w) => w.names.length === 1), 'each Walk names one component');
  t.equal(new Set(walks.map((w) => w.dir)).size, 4, 'each from its parent\'s handle (not the root)');
  t.equal(await cat(c, '/nope'), ENOENT);
  await names(c, '/a/b');
  await readlinkAt(c, AT_FDCWD, '/a/rel');
  counter.reset();
  for (let i = 0; i < 5; i++) {
    await st(c, '/a/b/c/file');
    t.equal(await cat(c, '/nope'), ENOENT);
    await names(c, '/a/b');
    await readlinkAt(c, AT_FDCWD, '/a/rel');
  }
  t.same(counter.calls.map((x) => x.op), [], 'stat, a missing name, a listing and a link target are cached');
  t.equal(await cat(c, '/a/b/c/file'), 'deep file');
  t.same(counter.calls.map((x) => x.op), ['PRead'], 'a read again uses the open handle kept');
});

t.test('handles stay within their budget and are walked to again', async (t) => {
  await settle(rofs);
  const before = goferFds();
  const f = await mount('root', true, { controlHandles: 8, openFiles: 2 });
  const { c } = world(f);
  for (let i = 0; i < 40; i++) t.equal(await cat(c, `/many/f${i}`), `file ${i}`);
  await settle(f);
  t.ok(goferFds() - before <= 8 + 2 + 2, `at most 8 control and 2 open handles (and the root): ${goferFds() - before}`);
  counter.reset();
  for (let i = 0; i < 40; i += 7) t.equal(await cat(c, `/many/f${i}`), `file ${i}`, `f${i} again`);
  t.ok(counter.calls.some((x) => x.op === 'Walk'), 'closed handles were walked to again');
  t.equal(await cat(c, '/a/b/c/file'), 'deep file');
  await settle(f);
  t.ok(goferFds() - before <= 8 + 2 + 2, 'still within the budget');
});

t.test('every writable operation reaches the host, and the caches follow', async (t) => {
  const f = await mount('rw', false);
  const { c } = world(f);
  t.equal(await write(c, '/new.txt', 'hello'), 5);
  t.equal(fs.readFileSync(path.join(rw, 'new.txt'), 'utf8'), 'hello', 'create + write');
  t.equal((await st(c, '/new.txt')).size, 5);
  t.equal(await write(c, '/new.txt', ' world', O_WRONLY | O_APPEND), 6);
  t.equal((await st(c, '/new.txt')).size, 11, 'the size follows a write');
  t.equal(await cat(c, '/new.txt'), 'hello world');
  t.equal(await write(c, '/new.txt', 'x', O_WRONLY | O_TRUNC), 1);
  t.equal(fs.readFileSync(path.join(rw, 'new.txt'), 'utf8'), 'x', 'O_TRUNC');
  t.equal(await mkdirAt(c, AT_FDCWD, '/d', 0o750), 0);
  t.equal(fs.statSync(path.join(rw, 'd')).mode & 0o7777, 0o750 & ~0o022);
  t.equal((await st(c, '/')).nlink, fs.statSync(rw).nlink, 'the parent\'s link count follows');
  t.equal(await symlinkAt(c, 'new.txt', AT_FDCWD, '/sym'), 0);
  t.equal(fs.readlinkSync(path.join(rw, 'sym')), 'new.txt');
  t.equal(await cat(c, '/sym'), 'x');
  t.equal(await linkAt(c, AT_FDCWD, '/new.txt', AT_FDCWD, '/d/hard', 0), 0);
  t.equal(fs.statSync(path.join(rw, 'd/hard')).ino, fs.statSync(path.join(rw, 'new.txt')).ino);
  t.equal((await st(c, '/new.txt')).nlink, 2, 'the link count follows');
  t.equal(await renameAt(c, AT_FDCWD, '/d', AT_FDCWD, '/e', 0), 0);
  t.ok(fs.existsSync(path.join(rw, 'e/hard')) && !fs.existsSync(path.join(rw, 'd')));
  t.equal(await cat(c, '/e/hard'), 'x');
  t.equal(await cat(c, '/d/hard'), ENOENT);
  t.equal(await chmodLoc(c, await at(c, '/new.txt'), 0o600), 0);
  t.equal(fs.statSync(path.join(rw, 'new.txt')).mode & 0o7777, 0o600);
  t.equal((await st(c, '/e/hard')).mode & 0o7777, 0o600, 'one inode under both names');
  t.equal(await truncateLoc(c, await at(c, '/new.txt'), 100), 0);
  t.equal(fs.statSync(path.join(rw, 'new.txt')).size, 100);
  t.equal(await utimesLoc(c, await at(c, '/new.txt'), { sec: 1000, nsec: 0 }, { sec: 2000, nsec: 0 }, true), 0);
  t.equal(fs.statSync(path.join(rw, 'new.txt')).mtimeMs, 2000_000);
  t.equal((await st(c, '/new.txt')).mtime.sec, 2000);
  const file = await open(c, '/new.txt', O_RDWR);
  const inode = (await at(c, '/new.txt')).dentry.inode;
  t.equal(await inode.allocate(0, 0, 5000), 0);
  t.equal(fs.statSync(path.join(rw, 'new.txt')).size, 5000, 'fallocate');
  t.equal(await inode.sync(), 0, 'fsync');
  file.release();
  const sfs = await statfsLoc(await at(c, '/'));
  t.ok(typeof sfs !== 'number' && sfs.blocks > 0 && (sfs.flags & 1) === 0, 'statfs: the host\'s figures, writable');
  t.equal(await unlinkAt(c, AT_FDCWD, '/sym', 0), 0);
  t.notOk(fs.existsSync(path.join(rw, 'sym')));
  t.equal(await unlinkAt(c, AT_FDCWD, '/e', AT_REMOVEDIR), -Errno.ENOTEMPTY);
  t.equal(await unlinkAt(c, AT_FDCWD, '/e/hard', 0), 0);
  t.equal((await st(c, '/new.txt')).nlink, 1);
  t.equal(await unlinkAt(c, AT_FDCWD, '/e', AT_REMOVEDIR), 0);
  t.same(await names(c, '/'), ['.', '..', 'new.txt'], 'the listing follows');
  t.same(fs.readdirSync(rw), ['new.txt']);
  // The Gofer serves no xattrs without its native helper: EOPNOTSUPP, like a filesystem without them.
  t.equal(await inode.setxattr('user.x', enc('v'), 0), -Errno.EOPNOTSUPP);
});

t.test('a directory\'s times follow the Sentry\'s clock after a file is added or removed', async (t) => {
  const f = await mount('rw', false, { now: () => ({ sec: 1_500_000_000, nsec: 42 }) });
  const { c } = world(f);
  await mkdirAt(c, AT_FDCWD, '/t', 0o755);
  const before = await st(c, '/t');
  counter.reset();
  t.equal(await write(c, '/t/f', 'x'), 1);
  const after = await st(c, '/t');
  t.same([after.mtime, after.ctime], [{ sec: 1_500_000_000, nsec: 42 }, { sec: 1_500_000_000, nsec: 42 }]);
  t.equal(after.nlink, before.nlink);
  t.notOk(counter.calls.some((x) => x.op === 'FStat'), 'no call to ask for them');
  t.equal(await mkdirAt(c, AT_FDCWD, '/t/sub', 0o755), 0);
  t.equal((await st(c, '/t')).nlink, before.nlink + 1, 'a subdirectory: the link count is asked for');
  fs.rmSync(path.join(rw, 't'), { recursive: true });
});

t.test('an unlinked open file stays readable, even with its handles closed meanwhile', async (t) => {
  const f = await mount('rw', false, { controlHandles: 4, openFiles: 1 });
  const { c } = world(f);
  t.equal(await write(c, '/doomed', 'still here'), 10);
  const fd = await open(c, '/doomed');
  t.equal(await unlinkAt(c, AT_FDCWD, '/doomed', 0), 0);
  t.notOk(fs.existsSync(path.join(rw, 'doomed')));
  for (let i = 0; i < 10; i++) await write(c, `/other${i}`, 'o'); // pushes every other handle out
  const buf = new Uint8Array(32);
  const n = await fd.read(buf, 0);
  t.equal(dec(buf.subarray(0, n)), 'still here');
  const s = await fd.stat();
  t.equal(typeof s !== 'number' && s.nlink, 0);
  fd.release();
  for (let i = 0; i < 10; i++) await unlinkAt(c, AT_FDCWD, `/other${i}`, 0);
});

t.test('a renamed directory is walked to by its new name', async (t) => {
  const f = await mount('rw', false, { controlHandles: 2, openFiles: 1 });
  const { c } = world(f);
  await mkdirAt(c, AT_FDCWD, '/p', 0o755);
  await mkdirAt(c, AT_FDCWD, '/p/q', 0o755);
  t.equal(await write(c, '/p/q/f', 'in q'), 4);
  t.equal(await renameAt(c, AT_FDCWD, '/p', AT_FDCWD, '/r', 0), 0);
  for (let i = 0; i < 6; i++) await write(c, `/x${i}`, 'x'); // closes the handles of /r and /r/q
  // Every inode on the way has lost its handle: each is walked to again by its current name.
  t.equal(await cat(c, '/r/q/f'), 'in q');
  const inode = (await at(c, '/r/q/f')).dentry.inode as GoferInode;
  t.equal(await inode.write(enc('IN Q'), 0), 4, 'a write through a handle walked to again');
  t.equal(fs.readFileSync(path.join(rw, 'r/q/f'), 'utf8'), 'IN Q');
  for (let i = 0; i < 6; i++) await unlinkAt(c, AT_FDCWD, `/x${i}`, 0);
  fs.rmSync(path.join(rw, 'r'), { recursive: true });
});

t.test('a read-only mount answers EROFS, and the Gofer refuses too', async (t) => {
  const c = ro.c;
  t.equal(await write(c, '/etc/hostname', 'x'), EROFS);
  t.equal(await write(c, '/newfile', 'x'), EROFS);
  t.equal(await mkdirAt(c, AT_FDCWD, '/newdir', 0o755), EROFS);
  t.equal(await unlinkAt(c, AT_FDCWD, '/secret', 0), EROFS);
  const inode = (await at(c, '/etc/hostname')).dentry.inode;
  // Below the VFS's checks, the filesystem itself refuses.
  t.equal(await inode.write(enc('x'), 0), EROFS);
  t.equal(await inode.setattr({ mode: 0o777 }), EROFS);
  t.equal(await (await at(c, '/etc')).dentry.inode.create('x', 0o644, ROOT), EROFS);
  t.equal(fs.readFileSync(path.join(root, 'etc/hostname'), 'utf8'), 'inside\n');
  // A filesystem that believed it was writable still meets the Gofer's EROFS.
  const lying = await mount('root', false);
  const l = world(lying);
  t.equal(await write(l.c, '/etc/hostname', 'x'), EROFS);
  t.equal(await mkdirAt(l.c, AT_FDCWD, '/newdir', 0o755), EROFS);
  t.notOk(fs.existsSync(path.join(root, 'newdir')));
});

t.test('rename and link between two gofer mounts are EXDEV', async (t) => {
  const a = await mount('rw', false), b = await mount('rw2', false);
  const wa = world(a);
  t.equal(await write(wa.c, '/xdev', 'x'), 1);
  const x = (await at(wa.c, '/xdev')).dentry.inode;
  t.equal(await b.root.link('l', x), EXDEV);
  t.equal(await a.root.rename('xdev', b.root, 'moved', 0), EXDEV);
  t.same(fs.readdirSync(rw2), []);
  await unlinkAt(wa.c, AT_FDCWD, '/xdev', 0);
});

t.test('a single file as a mount root', async (t) => {
  const f = await mount('single', false);
  t.notOk(f.root.isDir);
  const buf = new Uint8Array(64);
  const n = await f.root.read(buf, 0);
  t.equal(dec(buf.subarray(0, n)), 'one file\n');
  t.equal(await f.root.write(enc('ONE'), 0), 3);
  t.equal(fs.readFileSync(single, 'utf8'), 'ONE file\n');
  t.equal(await f.root.lookup('x'), ENOTDIR);
  const r = await mount('singlero', true);
  t.equal(await r.root.write(enc('x'), 0), EROFS);
});

t.test('a dead Gofer gives EIO at once, never a hang', async (t) => {
  const other = spawnGofer([`root=${root}:ro`]);
  const f = await GoferFs.mount(other.client, 'root', { dev: nextDev++, readOnly: true });
  if (typeof f === 'number') throw new Error(`mount: ${f}`);
  const { c } = world(f);
  const fd = await open(c, '/etc/hostname');
  other.child.kill('SIGKILL');
  await other.exited;
  t.equal(await fd.read(new Uint8Array(10), 0), EIO, 'a read');
  t.equal(await cat(c, '/a/b/c/file'), EIO, 'a lookup');
  t.equal(await statfsLoc(await at(c, '/')), EIO, 'statfs');
  fd.release();
});
