// Every Gofer operation against a temp tree, through the spawned process, with Linux errnos.
import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { AT_REMOVEDIR, O_RDWR, O_TRUNC, O_WRONLY, S_IFCHR, S_IFIFO, S_IFLNK, S_IFMT, S_IFREG, SetStatMask, UTIME_OMIT, WalkStatus } from '../../gofer/protocol.js';
import { Errno, Ops, dec, enc, spawnGofer, stopGofer, tmpTree } from './harness.js';

t.setTimeout(120_000);

const top = tmpTree();
const root = path.join(top, 'root');
fs.mkdirSync(path.join(root, 'dir/sub'), { recursive: true });
fs.writeFileSync(path.join(root, 'a.txt'), 'hello');
fs.writeFileSync(path.join(root, 'dir/b.txt'), 'bee');
fs.symlinkSync('a.txt', path.join(root, 'link'));
execFileSync('mkfifo', [path.join(root, 'fifo')]);
const other = path.join(top, 'other');
fs.mkdirSync(other);
t.teardown(() => fs.rmSync(top, { recursive: true, force: true }));

const g = spawnGofer([`root=${root}`, `ro=${root}:ro`, `other=${other}`]);
const o = new Ops(g.client);
t.teardown(() => stopGofer(g));

t.test('Mount', async (t) => {
  const r = await o.root();
  t.equal(r.stat.mode & S_IFMT, 0o040000);
  t.equal(r.stat.ino, fs.statSync(root).ino);
  t.equal(await o.errno('Mount', { mount: 'nope' }), Errno.ENOENT);
});

t.test('Walk and WalkStat', async (t) => {
  const r = await o.root();
  const w = await o.must('Walk', { dir: r.handle, names: [enc('dir'), enc('b.txt')] });
  t.equal(w.status, WalkStatus.Success);
  t.equal(w.inodes.length, 2);
  t.equal(w.inodes[1].stat.ino, fs.statSync(path.join(root, 'dir/b.txt')).ino);
  t.equal(w.inodes[1].stat.size, 3);
  const miss = await o.must('Walk', { dir: r.handle, names: [enc('dir'), enc('nope'), enc('x')] });
  t.equal(miss.status, WalkStatus.ComponentDoesNotExist);
  t.equal(miss.inodes.length, 1);
  const sym = await o.must('Walk', { dir: r.handle, names: [enc('link'), enc('x')] });
  t.equal(sym.status, WalkStatus.ComponentSymlink);
  t.equal(sym.inodes[0].stat.mode & S_IFMT, S_IFLNK);
  t.equal(await o.errno('Walk', { dir: r.handle, names: [enc('a.txt'), enc('x')] }), Errno.ENOTDIR);
  const file = await o.walk(r.handle, 'a.txt');
  t.equal(await o.errno('Walk', { dir: file.handle, names: [enc('x')] }), Errno.ENOTDIR);
  for (const bad of ['..', '.', 'a/b', '', 'a\0b']) t.equal(await o.errno('Walk', { dir: r.handle, names: [enc(bad)] }), Errno.EINVAL, `name ${JSON.stringify(bad)}`);
  t.equal(await o.errno('Walk', { dir: r.handle, names: [enc('x'.repeat(256))] }), Errno.ENAMETOOLONG);
  const ws = await o.must('WalkStat', { dir: r.handle, names: [enc('dir'), enc('sub'), enc('nope')] });
  t.same(ws.stats.map((s) => s.ino), [fs.statSync(path.join(root, 'dir')).ino, fs.statSync(path.join(root, 'dir/sub')).ino]);
});

t.test('FStat, OpenAt, PRead, PWrite, FSync', async (t) => {
  const r = await o.root();
  const a = await o.walk(r.handle, 'a.txt');
  const st = (await o.must('FStat', { handle: a.handle })).stat;
  const host = fs.lstatSync(path.join(root, 'a.txt'));
  t.equal(st.ino, host.ino); t.equal(st.size, 5); t.equal(st.mode, host.mode); t.equal(st.mtimeSec, Math.floor(host.mtimeMs / 1000));
  t.equal(await o.readAll(a.handle), 'hello');
  const { fd } = await o.must('OpenAt', { handle: a.handle, flags: O_RDWR });
  t.equal((await o.must('PWrite', { fd, offset: 5, data: enc(' world') })).count, 6);
  await o.must('FSync', { fd });
  t.equal(dec((await o.must('PRead', { fd, offset: 6, count: 100 })).data), 'world');
  t.equal(fs.readFileSync(path.join(root, 'a.txt'), 'utf8'), 'hello world');
  t.equal((await o.must('FStat', { handle: fd })).stat.size, 11);
  const ro = await o.must('OpenAt', { handle: a.handle, flags: 0 });
  t.equal(await o.errno('PWrite', { fd: ro.fd, offset: 0, data: enc('x') }), Errno.EBADF);
  const wo = await o.must('OpenAt', { handle: a.handle, flags: O_WRONLY });
  t.equal(await o.errno('PRead', { fd: wo.fd, offset: 0, count: 1 }), Errno.EBADF);
  t.equal(await o.errno('PRead', { fd: a.handle, offset: 0, count: 1 }), Errno.EBADF, 'control handle is not open');
  t.equal(await o.errno('OpenAt', { handle: r.handle, flags: O_WRONLY }), Errno.EISDIR);
  t.equal(await o.errno('OpenAt', { handle: a.handle, flags: 3 }), Errno.EINVAL);
  t.equal(await o.errno('OpenAt', { handle: a.handle, flags: 0o100 }), Errno.EINVAL, 'O_CREAT is not an OpenAt flag');
  const link = (await o.must('Walk', { dir: r.handle, names: [enc('link')] })).inodes[0];
  t.equal(await o.errno('OpenAt', { handle: link.handle, flags: 0 }), Errno.ELOOP);
  const t0 = await o.must('OpenAt', { handle: a.handle, flags: O_WRONLY | O_TRUNC });
  t.equal(fs.statSync(path.join(root, 'a.txt')).size, 0);
  await o.must('PWrite', { fd: t0.fd, offset: 0, data: enc('hello') });
  await o.must('Close', { handles: [fd, ro.fd, wo.fd, t0.fd] });
});

t.test('FIFOs never block; devices are refused', async (t) => {
  const r = await o.root();
  const f = await o.walk(r.handle, 'fifo');
  t.equal(f.stat.mode & S_IFMT, S_IFIFO);
  t.equal(await o.errno('OpenAt', { handle: f.handle, flags: O_WRONLY }), Errno.ENXIO, 'no reader: ENXIO, not a hang');
  const { fd } = await o.must('OpenAt', { handle: f.handle, flags: 0 });
  t.equal((await o.must('PRead', { fd, offset: 0, count: 10 })).data.length, 0);
  await o.must('Close', { handles: [fd] });
  // A character device made on the host (we may be root here; skip otherwise) is never opened.
  try { execFileSync('mknod', [path.join(root, 'chr'), 'c', '1', '3'], { stdio: 'ignore' }); } catch { t.comment('mknod needs root; device case skipped'); return; }
  const dev = await o.walk(r.handle, 'chr');
  t.equal(await o.errno('OpenAt', { handle: dev.handle, flags: 0 }), Errno.EPERM);
  fs.unlinkSync(path.join(root, 'chr'));
});

t.test('OpenCreateAt, MkdirAt, MknodAt, SymlinkAt, ReadLinkAt, LinkAt', async (t) => {
  const r = await o.root();
  const c = await o.must('OpenCreateAt', { dir: r.handle, name: enc('new.txt'), flags: O_RDWR, mode: 0o640, uid: 0xffffffff, gid: 0xffffffff });
  t.equal(c.child.stat.mode, S_IFREG | 0o640);
  await o.must('PWrite', { fd: c.fd, offset: 0, data: enc('fresh') });
  t.equal(fs.readFileSync(path.join(root, 'new.txt'), 'utf8'), 'fresh');
  t.equal(fs.statSync(path.join(root, 'new.txt')).mode & 0o777, 0o640);
  t.equal(await o.errno('OpenCreateAt', { dir: r.handle, name: enc('new.txt'), flags: O_RDWR, mode: 0o640, uid: 0xffffffff, gid: 0xffffffff }), Errno.EEXIST);
  const a = await o.walk(r.handle, 'a.txt');
  t.equal(await o.errno('OpenCreateAt', { dir: a.handle, name: enc('x'), flags: 0, mode: 0o600, uid: 0xffffffff, gid: 0xffffffff }), Errno.ENOTDIR);

  const d = await o.must('MkdirAt', { dir: r.handle, name: enc('newdir'), mode: 0o750, uid: 0xffffffff, gid: 0xffffffff });
  t.equal(d.child.stat.mode, 0o040750);
  t.ok(fs.statSync(path.join(root, 'newdir')).isDirectory());
  t.equal(await o.errno('MkdirAt', { dir: r.handle, name: enc('newdir'), mode: 0o750, uid: 0xffffffff, gid: 0xffffffff }), Errno.EEXIST);
  t.equal(await o.errno('MkdirAt', { dir: r.handle, name: enc('..'), mode: 0o750, uid: 0xffffffff, gid: 0xffffffff }), Errno.EINVAL);
  const owned = await o.must('MkdirAt', { dir: d.child.handle, name: enc('owned'), mode: 0o700, uid: 1234, gid: 5678 });
  t.equal(owned.child.stat.uid, 1234); t.equal(owned.child.stat.gid, 5678);

  const p = await o.must('MknodAt', { dir: r.handle, name: enc('pipe'), mode: S_IFIFO | 0o600, rdev: 0, uid: 0xffffffff, gid: 0xffffffff });
  t.equal(p.child.stat.mode, S_IFIFO | 0o600);
  t.ok(fs.lstatSync(path.join(root, 'pipe')).isFIFO());
  t.equal(await o.errno('MknodAt', { dir: r.handle, name: enc('pipe'), mode: S_IFIFO | 0o600, rdev: 0, uid: 0xffffffff, gid: 0xffffffff }), Errno.EEXIST);
  const reg = await o.must('MknodAt', { dir: r.handle, name: enc('regnod'), mode: S_IFREG | 0o644, rdev: 0, uid: 0xffffffff, gid: 0xffffffff });
  t.equal(reg.child.stat.mode, S_IFREG | 0o644);
  t.equal(await o.errno('MknodAt', { dir: r.handle, name: enc('null'), mode: S_IFCHR | 0o666, rdev: 0x103, uid: 0xffffffff, gid: 0xffffffff }), Errno.EPERM);

  const s = await o.must('SymlinkAt', { dir: r.handle, name: enc('sym'), target: enc('dir/b.txt'), uid: 0xffffffff, gid: 0xffffffff });
  t.equal(s.child.stat.mode & S_IFMT, S_IFLNK);
  t.equal(fs.readlinkSync(path.join(root, 'sym')), 'dir/b.txt');
  t.equal(dec((await o.must('ReadLinkAt', { handle: s.child.handle })).target), 'dir/b.txt');
  t.equal(await o.errno('ReadLinkAt', { handle: a.handle }), Errno.EINVAL);
  t.equal(await o.errno('SymlinkAt', { dir: r.handle, name: enc('sym'), target: enc('x'), uid: 0xffffffff, gid: 0xffffffff }), Errno.EEXIST);

  const l = await o.must('LinkAt', { dir: d.child.handle, name: enc('hard'), oldDir: r.handle, oldName: enc('new.txt') });
  t.equal(l.child.stat.ino, c.child.stat.ino);
  t.equal(l.child.stat.nlink, 2);
  t.equal(await o.errno('LinkAt', { dir: r.handle, name: enc('hard2'), oldDir: r.handle, oldName: enc('missing') }), Errno.ENOENT);
  t.equal(await o.errno('LinkAt', { dir: r.handle, name: enc('a.txt'), oldDir: r.handle, oldName: enc('new.txt') }), Errno.EEXIST);
  const oth = await o.root('other');
  t.equal(await o.errno('LinkAt', { dir: oth.handle, name: enc('x'), oldDir: r.handle, oldName: enc('new.txt') }), Errno.EXDEV);
  await o.must('Close', { handles: [c.fd] });
});

t.test('FStatFS, FAllocate, SetStat', async (t) => {
  const r = await o.root();
  const sfs = (await o.must('FStatFS', { handle: r.handle })).statfs;
  const host = fs.statfsSync(root);
  t.equal(sfs.type, host.type); t.equal(sfs.blockSize, host.bsize); t.equal(sfs.nameLength, 255);

  const c = await o.must('OpenCreateAt', { dir: r.handle, name: enc('alloc'), flags: O_RDWR, mode: 0o600, uid: 0xffffffff, gid: 0xffffffff });
  await o.must('FAllocate', { fd: c.fd, mode: 0, offset: 0, length: 8192 });
  t.equal(fs.statSync(path.join(root, 'alloc')).size, 8192);
  await o.must('FAllocate', { fd: c.fd, mode: 0, offset: 0, length: 10 });
  t.equal(fs.statSync(path.join(root, 'alloc')).size, 8192, 'fallocate never shrinks');
  t.equal(await o.errno('FAllocate', { fd: c.fd, mode: 3, offset: 0, length: 10 }), Errno.EOPNOTSUPP);

  const h = c.child.handle;
  await o.must('SetStat', { handle: h, mask: SetStatMask.Mode | SetStatMask.Size, mode: 0o604, uid: 0, gid: 0, size: 100, atime: { sec: 0, nsec: UTIME_OMIT }, mtime: { sec: 0, nsec: UTIME_OMIT } });
  const st = fs.statSync(path.join(root, 'alloc'));
  t.equal(st.mode & 0o7777, 0o604); t.equal(st.size, 100);
  await o.must('SetStat', { handle: h, mask: SetStatMask.Mtime | SetStatMask.Atime, mode: 0, uid: 0, gid: 0, size: 0, atime: { sec: 1_000_000, nsec: 0 }, mtime: { sec: 2_000_000, nsec: 500_000_000 } });
  const st2 = (await o.must('FStat', { handle: h })).stat;
  t.equal(st2.atimeSec, 1_000_000); t.equal(st2.mtimeSec, 2_000_000);
  t.ok(Math.abs(st2.mtimeNsec - 500_000_000) < 1000, 'mtime nanoseconds to the microsecond');
  await o.must('SetStat', { handle: h, mask: SetStatMask.Uid | SetStatMask.Gid, mode: 0, uid: 4321, gid: 8765, size: 0, atime: { sec: 0, nsec: UTIME_OMIT }, mtime: { sec: 0, nsec: UTIME_OMIT } });
  t.equal(fs.statSync(path.join(root, 'alloc')).uid, 4321);
  t.equal(await o.errno('SetStat', { handle: r.handle, mask: SetStatMask.Size, mode: 0, uid: 0, gid: 0, size: 0, atime: { sec: 0, nsec: UTIME_OMIT }, mtime: { sec: 0, nsec: UTIME_OMIT } }), Errno.EISDIR);
  await o.must('Close', { handles: [c.fd] });
});

t.test('UnlinkAt, RenameAt, Getdents64', async (t) => {
  const r = await o.root();
  const d = await o.must('MkdirAt', { dir: r.handle, name: enc('u'), mode: 0o755, uid: 0xffffffff, gid: 0xffffffff });
  const u = d.child.handle;
  for (const n of ['f1', 'f2', 'f3']) await o.must('MknodAt', { dir: u, name: enc(n), mode: S_IFREG | 0o644, rdev: 0, uid: 0xffffffff, gid: 0xffffffff });
  await o.must('MkdirAt', { dir: u, name: enc('sd'), mode: 0o755, uid: 0xffffffff, gid: 0xffffffff });
  await o.must('MknodAt', { dir: u, name: enc('sd2'), mode: S_IFREG, rdev: 0, uid: 0xffffffff, gid: 0xffffffff });
  t.same(await o.names(u), ['f1', 'f2', 'f3', 'sd', 'sd2']);
  // Paging: a small count returns fewer entries, offsets continue.
  const { fd } = await o.must('OpenAt', { handle: u, flags: 0 });
  const first = await o.must('Getdents64', { fd, offset: 0, count: 48 });
  t.equal(first.dirents.length, 2);
  t.equal(await o.errno('Getdents64', { fd, offset: 0, count: 10 }), Errno.EINVAL, 'buffer too small for one entry');
  const hostIno = new Map(fs.readdirSync(path.join(root, 'u')).map((n) => [n, fs.lstatSync(path.join(root, 'u', n)).ino]));
  for (const e of first.dirents) t.equal(e.ino, hostIno.get(dec(e.name)));
  const a = await o.walk(r.handle, 'a.txt');
  const af = await o.must('OpenAt', { handle: a.handle, flags: 0 });
  t.equal(await o.errno('Getdents64', { fd: af.fd, offset: 0, count: 4096 }), Errno.ENOTDIR);
  await o.must('Close', { handles: [fd, af.fd] });

  await o.must('MknodAt', { dir: (await o.walk(u, 'sd')).handle, name: enc('inner'), mode: S_IFREG, rdev: 0, uid: 0xffffffff, gid: 0xffffffff });
  t.equal(await o.errno('UnlinkAt', { dir: u, name: enc('sd'), flags: AT_REMOVEDIR }), Errno.ENOTEMPTY);
  t.equal(await o.errno('UnlinkAt', { dir: u, name: enc('sd'), flags: 0 }), Errno.EISDIR);
  t.equal(await o.errno('UnlinkAt', { dir: u, name: enc('f1'), flags: AT_REMOVEDIR }), Errno.ENOTDIR);
  t.equal(await o.errno('UnlinkAt', { dir: u, name: enc('nope'), flags: 0 }), Errno.ENOENT);
  t.equal(await o.errno('UnlinkAt', { dir: u, name: enc('f1'), flags: 1 }), Errno.EINVAL);
  await o.must('UnlinkAt', { dir: u, name: enc('f1'), flags: 0 });
  t.notOk(fs.existsSync(path.join(root, 'u/f1')));

  const sd = await o.walk(u, 'sd');
  await o.must('RenameAt', { oldDir: u, oldName: enc('f2'), newDir: sd.handle, newName: enc('moved'), flags: 0 });
  t.ok(fs.existsSync(path.join(root, 'u/sd/moved')));
  await o.must('RenameAt', { oldDir: u, oldName: enc('f3'), newDir: u, newName: enc('sd2'), flags: 0 });
  t.same(fs.readdirSync(path.join(root, 'u')).sort(), ['sd', 'sd2']);
  t.equal(await o.errno('RenameAt', { oldDir: u, oldName: enc('nope'), newDir: u, newName: enc('x'), flags: 0 }), Errno.ENOENT);
  t.equal(await o.errno('RenameAt', { oldDir: u, oldName: enc('sd2'), newDir: u, newName: enc('sd'), flags: 0 }), Errno.EISDIR);
  t.equal(await o.errno('RenameAt', { oldDir: u, oldName: enc('sd'), newDir: (await o.walk(u, 'sd')).handle, newName: enc('x'), flags: 0 }), Errno.EINVAL, 'a directory into itself');
  const oth = await o.root('other');
  t.equal(await o.errno('RenameAt', { oldDir: u, oldName: enc('sd2'), newDir: oth.handle, newName: enc('x'), flags: 0 }), Errno.EXDEV);
  t.equal(await o.errno('RenameAt', { oldDir: u, oldName: enc('sd2'), newDir: u, newName: enc('y'), flags: 1 }), Errno.EINVAL, 'renameat2 flags need the native helper');
  await o.must('UnlinkAt', { dir: sd.handle, name: enc('inner'), flags: 0 });
  await o.must('UnlinkAt', { dir: sd.handle, name: enc('moved'), flags: 0 });
  await o.must('UnlinkAt', { dir: u, name: enc('sd'), flags: AT_REMOVEDIR });
});

t.test('xattrs answer EOPNOTSUPP until the native helper', async (t) => {
  const r = await o.root();
  t.equal(await o.errno('GetXattr', { handle: r.handle, name: 'user.x', size: 100 }), Errno.EOPNOTSUPP);
  t.equal(await o.errno('ListXattr', { handle: r.handle, size: 100 }), Errno.EOPNOTSUPP);
  t.equal(await o.errno('SetXattr', { handle: r.handle, name: 'user.x', value: enc('v'), flags: 0 }), Errno.EOPNOTSUPP);
  t.equal(await o.errno('RemoveXattr', { handle: r.handle, name: 'user.x' }), Errno.EOPNOTSUPP);
});

t.test('Close and EBADF', async (t) => {
  const r = await o.root();
  const a = await o.walk(r.handle, 'a.txt');
  const { fd } = await o.must('OpenAt', { handle: a.handle, flags: 0 });
  await o.must('Close', { handles: [fd, a.handle] });
  t.equal(await o.errno('FStat', { handle: a.handle }), Errno.EBADF);
  t.equal(await o.errno('PRead', { fd, offset: 0, count: 1 }), Errno.EBADF);
  t.equal(await o.errno('Walk', { dir: 999999, names: [enc('a.txt')] }), Errno.EBADF);
  t.equal(await o.errno('Close', { handles: [a.handle] }), Errno.EBADF);
});

t.test('read-only mount refuses every write with EROFS', async (t) => {
  const r = await o.root('ro');
  const a = await o.walk(r.handle, 'a.txt');
  t.equal(await o.readAll(a.handle), 'hello', 'reads work');
  const omit = { sec: 0, nsec: UTIME_OMIT };
  const none = 0xffffffff;
  const cases: Array<[string, number]> = [
    ['OpenAt rw', await o.errno('OpenAt', { handle: a.handle, flags: O_RDWR })],
    ['OpenAt trunc', await o.errno('OpenAt', { handle: a.handle, flags: O_TRUNC })],
    ['OpenCreateAt', await o.errno('OpenCreateAt', { dir: r.handle, name: enc('n'), flags: O_RDWR, mode: 0o644, uid: none, gid: none })],
    ['MkdirAt', await o.errno('MkdirAt', { dir: r.handle, name: enc('n'), mode: 0o755, uid: none, gid: none })],
    ['MknodAt', await o.errno('MknodAt', { dir: r.handle, name: enc('n'), mode: S_IFIFO | 0o644, rdev: 0, uid: none, gid: none })],
    ['SymlinkAt', await o.errno('SymlinkAt', { dir: r.handle, name: enc('n'), target: enc('x'), uid: none, gid: none })],
    ['LinkAt', await o.errno('LinkAt', { dir: r.handle, name: enc('n'), oldDir: r.handle, oldName: enc('a.txt') })],
    ['UnlinkAt', await o.errno('UnlinkAt', { dir: r.handle, name: enc('a.txt'), flags: 0 })],
    ['RenameAt', await o.errno('RenameAt', { oldDir: r.handle, oldName: enc('a.txt'), newDir: r.handle, newName: enc('b'), flags: 0 })],
    ['SetStat', await o.errno('SetStat', { handle: a.handle, mask: SetStatMask.Mode, mode: 0o777, uid: 0, gid: 0, size: 0, atime: omit, mtime: omit })],
    ['SetXattr', await o.errno('SetXattr', { handle: a.handle, name: 'user.x', value: enc('v'), flags: 0 })],
    ['RemoveXattr', await o.errno('RemoveXattr', { handle: a.handle, name: 'user.x' })],
  ];
  for (const [what, errno] of cases) t.equal(errno, Errno.EROFS, what);
  t.equal(fs.statSync(path.join(root, 'a.txt')).mode & 0o777, 0o644);
  t.ok(fs.existsSync(path.join(root, 'a.txt')));
});

t.test('an open handle outlives a Close of its control, and no longer reaches it', async (t) => {
  const r = await o.root();
  const a = await o.walk(r.handle, 'a.txt');
  const { fd } = await o.must('OpenAt', { handle: a.handle, flags: 0 });
  await o.must('Close', { handles: [a.handle] });
  t.equal(dec((await o.must('PRead', { fd, offset: 0, count: 5 })).data), fs.readFileSync(path.join(root, 'a.txt'), 'utf8').slice(0, 5), 'reads go on');
  // The control's host fd is closed: its number may name another file by now.
  t.equal(await o.errno('OpenAt', { handle: fd, flags: 0 }), Errno.EBADF);
  t.equal(await o.errno('SetStat', { handle: fd, mask: SetStatMask.Mode, mode: 0o600, uid: 0, gid: 0, size: 0, atime: { sec: 0, nsec: UTIME_OMIT }, mtime: { sec: 0, nsec: UTIME_OMIT } }), Errno.EBADF);
  await o.must('Close', { handles: [fd] });
});

t.test('a single regular file can be a mount root', async (t) => {
  const file = path.join(top, 'single');
  fs.writeFileSync(file, 'single');
  const sg = spawnGofer([`f=${file}`, `fro=${file}:ro`]);
  t.teardown(() => stopGofer(sg));
  const so = new Ops(sg.client);
  const f = await so.root('f');
  t.equal(f.stat.mode & S_IFMT, S_IFREG);
  t.equal(await so.readAll(f.handle), 'single');
  t.equal(await so.errno('Walk', { dir: f.handle, names: [enc('x')] }), Errno.ENOTDIR);
  const { fd } = await so.must('OpenAt', { handle: f.handle, flags: O_RDWR });
  await so.must('PWrite', { fd, offset: 0, data: enc('SINGLE') });
  t.equal(fs.readFileSync(file, 'utf8'), 'SINGLE');
  const fro = await so.root('fro');
  t.equal(await so.errno('OpenAt', { handle: fro.handle, flags: O_RDWR }), Errno.EROFS);
  // Neither a FIFO nor a device can be a root: the Gofer refuses to start.
  const fifo = path.join(top, 'root-fifo');
  execFileSync('mkfifo', [fifo]);
  const bad = spawnGofer([`p=${fifo}`]);
  t.equal((await bad.exited).code, 2);
  t.match(bad.stderr(), /neither a directory nor a regular file/);
});
