// tmpfs: directories and names, link counts, file contents (sparse pages, truncate, fallocate),
// the size and inode limits, timestamps on a fake clock, rename rules and xattrs; O_TMPFILE files,
// and the overlay over tmpfs where it passes those through (unnamed files, holes).
import t from 'tap';
import { DT_BLK, DT_CHR, DT_DIR, DT_FIFO, DT_LNK, DT_REG, DT_SOCK } from '../../sentry/vfs/file.js';
import { RENAME_EXCHANGE, RENAME_NOREPLACE, RENAME_WHITEOUT, type FsCreds, type Inode } from '../../sentry/vfs/inode.js';
import { S_IFBLK, S_IFCHR, S_IFDIR, S_IFIFO, S_IFLNK, S_IFREG, S_IFSOCK, type Stat, type Timespec } from '../../sentry/vfs/stat.js';
import {
  FALLOC_FL_KEEP_SIZE, FALLOC_FL_PUNCH_HOLE, MAX_FILE_SIZE, TMPFS_MAGIC, TmpDir, TmpFile, TmpFs, XATTR_CREATE, XATTR_REPLACE,
} from '../../sentry/vfs/fs/tmpfs.js';
import { OverlayFs, type OverlayInode } from '../../sentry/vfs/fs/overlay.js';
import { seekWithoutHoles } from '../../sentry/vfs/inode_file.js';

const E2BIG = -7, ENOENT = -2, EPERM = -1, EEXIST = -17, EXDEV = -18, ENOTDIR = -20, EISDIR = -21, EINVAL = -22,
  EFBIG = -27, ENOSPC = -28, ERANGE = -34, ENAMETOOLONG = -36, ENOTEMPTY = -39, ENODATA = -61, EOPNOTSUPP = -95,
  ENXIO = -6;

const admin: FsCreds = { fsuid: 0, fsgid: 0, groups: [], caps: 2 ** 41 - 1 };
const user: FsCreds = { fsuid: 1000, fsgid: 1000, groups: [], caps: 0 };
const enc = new TextEncoder(), dec = new TextDecoder();
const DAY = 24 * 60 * 60;

/** A filesystem on a fake clock that moves only when told. */
function setup(opts: { maxBytes?: number; maxInodes?: number } = {}) {
  const clock: Timespec = { sec: 1_000_000, nsec: 0 };
  const fs = new TmpFs({ dev: 42, now: () => ({ ...clock }), ...opts });
  const tick = (sec = 1) => { clock.sec += sec; return { ...clock }; };
  return { fs, root: fs.root, tick, clock };
}

/** Unwraps an inode result, failing the test on an errno. */
function ok<T>(r: T | number): T {
  if (typeof r === 'number') throw new Error(`unexpected errno ${r}`);
  return r;
}
const st = (i: Inode): Stat => ok(i.stat() as Stat | number);
const names = (d: Inode): string[] => ok(d.readdir() as ReturnType<TmpDir['readdir']>).map((e) => dec.decode(e.name));
const file = (d: Inode, name: string, creds = admin): TmpFile => ok(d.create(name, 0o644, creds)) as TmpFile;
const dir = (d: Inode, name: string, creds = admin): TmpDir => ok(d.mkdir(name, 0o755, creds)) as TmpDir;

function readAll(f: Inode, offset: number, length: number): Uint8Array {
  const b = new Uint8Array(length);
  const n = f.read(b, offset) as number;
  return b.subarray(0, n);
}

t.test('a fresh filesystem: statfs and the root', async (t) => {
  const { fs, root } = setup({ maxBytes: 1 << 20, maxInodes: 100 });
  const s = ok(fs.statfs());
  t.equal(s.type, TMPFS_MAGIC);
  t.equal(s.bsize, 4096);
  t.equal(s.namelen, 255);
  t.equal(s.blocks, 256);
  t.equal(s.bfree, 256);
  t.equal(s.files, 100);
  t.equal(s.ffree, 99, 'the root takes an inode');
  t.equal(fs.type, 'tmpfs');
  t.equal(fs.readOnly, false);
  const r = st(root);
  t.equal(r.ino, 1);
  t.equal(r.dev, 42);
  t.equal(r.mode, S_IFDIR | 0o1777);
  t.equal(r.nlink, 2);
  t.equal(r.size, 40, 'Linux tmpfs: 20 bytes per entry, "." and ".." included');
  t.equal(r.blksize, 4096);
  t.same(names(root), []);

  const custom = new TmpFs({ dev: 1, now: () => ({ sec: 0, nsec: 0 }), rootMode: 0o755, rootUid: 5, rootGid: 6 });
  t.match(st(custom.root), { mode: S_IFDIR | 0o755, uid: 5, gid: 6 });
  t.ok(ok(new TmpFs({ dev: 1, now: () => ({ sec: 0, nsec: 0 }) }).statfs()).blocks > 1e8, 'a large default size');
});

t.test('create, lookup and readdir', async (t) => {
  const { root } = setup();
  const a = file(root, 'a'), b = dir(root, 'b'), c = file(root, 'ç');
  t.not(a.ino, b.ino);
  t.not(b.ino, c.ino);
  t.equal(root.lookup('a'), a);
  t.equal(root.lookup('missing'), ENOENT);
  t.equal(root.create('a', 0o644, admin), EEXIST, 'an existing name');
  t.equal(root.mkdir('a', 0o755, admin), EEXIST);
  const list = ok(root.readdir());
  t.same(list.map((e) => [e.ino, e.type, dec.decode(e.name)]), [[a.ino, DT_REG, 'a'], [b.ino, DT_DIR, 'b'], [c.ino, DT_REG, 'ç']]);
  t.same([...list[2].name], [...enc.encode('ç')], 'names are UTF-8 bytes');
  t.same(names(root), ['a', 'b', 'ç'], 'the order is stable');
  t.equal(st(root).size, 40 + 3 * 20);
  t.equal(st(a).mode, S_IFREG | 0o644);
  t.equal(st(a).nlink, 1);
  t.equal(st(a).size, 0);
  t.equal(a.lookup('x'), ENOTDIR, 'directory operations on a file');
  t.equal(a.create('x', 0o644, admin), ENOTDIR);
  t.equal(a.readdir(), ENOTDIR);
});

t.test('names: length in UTF-8 bytes and defensive checks', async (t) => {
  const { root } = setup();
  t.type(root.create('x'.repeat(255), 0o644, admin), TmpFile);
  t.equal(root.create('x'.repeat(256), 0o644, admin), ENAMETOOLONG);
  t.equal(root.create('é'.repeat(128), 0o644, admin), ENAMETOOLONG, '128 two-byte characters are 256 bytes');
  t.type(root.create('é'.repeat(127), 0o644, admin), TmpFile);
  t.equal(root.lookup('y'.repeat(256)), ENAMETOOLONG);
  t.equal(root.create('.', 0o644, admin), EEXIST);
  t.equal(root.mkdir('..', 0o755, admin), EEXIST);
  t.equal(root.create('a/b', 0o644, admin), EINVAL);
  t.equal(root.create('', 0o644, admin), ENOENT);
  t.equal(root.rmdir('.'), EINVAL);
});

t.test('directories: link counts, rmdir and a removed directory', async (t) => {
  const { root } = setup();
  const d = dir(root, 'd');
  t.equal(st(root).nlink, 3, 'a subdirectory adds its ".."');
  t.equal(st(d).nlink, 2);
  const e = dir(d, 'e');
  file(d, 'f');
  t.equal(st(d).nlink, 3, 'files do not count');
  t.equal(root.rmdir('d'), ENOTEMPTY);
  t.equal(d.rmdir('f'), ENOTDIR);
  t.equal(root.unlink('d'), EISDIR);
  t.equal(d.rmdir('nope'), ENOENT);
  t.equal(d.rmdir('e'), 0);
  t.equal(st(d).nlink, 2);
  t.equal(st(e).nlink, 0, 'a removed directory has no links');
  t.equal(e.create('late', 0o644, admin), ENOENT, 'nothing is created in a removed directory');
  t.equal(e.mkdir('late', 0o755, admin), ENOENT);
  t.equal(d.unlink('f'), 0);
  t.equal(root.rmdir('d'), 0);
  t.equal(st(root).nlink, 2);
  t.equal(st(root).size, 40);
});

t.test('mknod: special files keep a device number, other types are refused', async (t) => {
  const { root } = setup();
  const fifo = ok(root.mknod('fifo', S_IFIFO | 0o600, 0x1234, admin));
  const chr = ok(root.mknod('chr', S_IFCHR | 0o666, (1 << 8) | 3, admin));
  const blk = ok(root.mknod('blk', S_IFBLK | 0o660, (8 << 8) | 1, admin));
  const sock = ok(root.mknod('sock', S_IFSOCK | 0o755, 0, admin));
  const reg = ok(root.mknod('reg', S_IFREG | 0o600, 0, admin));
  t.match(st(fifo), { mode: S_IFIFO | 0o600, rdev: 0, size: 0 });
  t.match(st(chr), { mode: S_IFCHR | 0o666, rdev: (1 << 8) | 3 });
  t.match(st(blk), { mode: S_IFBLK | 0o660, rdev: (8 << 8) | 1 });
  t.match(st(sock), { mode: S_IFSOCK | 0o755, rdev: 0 });
  t.type(reg, TmpFile);
  t.equal(root.mknod('dir', S_IFDIR | 0o755, 0, admin), EPERM);
  t.equal(root.mknod('lnk', S_IFLNK | 0o777, 0, admin), EINVAL);
  t.equal(root.mknod('fifo', S_IFIFO | 0o600, 0, admin), EEXIST);
  t.same(ok(root.readdir()).map((e) => e.type), [DT_FIFO, DT_CHR, DT_BLK, DT_SOCK, DT_REG]);
  t.equal(fifo.read(new Uint8Array(1), 0), EINVAL, 'no contents of its own');
});

t.test('symlinks: the target as given, its size in bytes, a page when long', async (t) => {
  const { fs, root } = setup();
  const l = ok(root.symlink('l', '../tårget', user));
  t.equal(l.readlink(), '../tårget');
  t.match(st(l), { mode: S_IFLNK | 0o777, size: 10, blocks: 0, nlink: 1, uid: 1000, gid: 1000 });
  t.equal(ok(root.readdir())[0].type, DT_LNK);
  const before = ok(fs.statfs()).bfree;
  const long = ok(root.symlink('long', 'x'.repeat(200), admin));
  t.match(st(long), { size: 200, blocks: 8 });
  t.equal(ok(fs.statfs()).bfree, before - 1);
  t.equal(root.unlink('long'), 0);
  t.equal(ok(fs.statfs()).bfree, before, 'the page comes back');
  t.equal(root.symlink('big', 'x'.repeat(4096), admin), ENAMETOOLONG);
  t.type(root.symlink('max', 'x'.repeat(4095), admin), Object);
  t.equal(root.symlink('empty', '', admin), ENOENT);
  t.equal(root.readlink(), EINVAL);
});

t.test('hard links count names; an unlinked open file keeps its data', async (t) => {
  const { root } = setup();
  const f = file(root, 'f');
  f.write(enc.encode('hello'), 0);
  const d = dir(root, 'd');
  t.equal(d.link('g', f), 0);
  t.equal(st(f).nlink, 2);
  t.equal(d.lookup('g'), f);
  t.equal(d.link('g', f), EEXIST);
  t.equal(root.link('d2', d), EPERM, 'no hard links to directories');
  t.equal(root.link('x', file(setup().root, 'other')), EXDEV);
  t.equal(root.unlink('f'), 0);
  t.equal(st(f).nlink, 1);
  t.equal(d.unlink('g'), 0);
  t.equal(st(f).nlink, 0);
  t.equal(dec.decode(readAll(f, 0, 10)), 'hello', 'the data outlives the names');
  t.equal(f.write(enc.encode('!'), 5), 1);
  t.equal(st(f).size, 6);
  t.equal(root.link('back', f), ENOENT, 'a deleted file cannot be linked back');
  t.equal(root.unlink('f'), ENOENT);
});

t.test('O_TMPFILE: an unnamed file that linkat may name once', async (t) => {
  const { fs, root } = setup({ maxInodes: 3 });
  const free = ok(fs.statfs()).ffree;
  const f = ok(root.tmpfile(0o600, user, true)) as TmpFile;
  t.match(st(f), { mode: S_IFREG | 0o600, nlink: 0, uid: 1000, gid: 1000, size: 0 });
  t.same(names(root), [], 'no name in the directory');
  t.equal(ok(fs.statfs()).ffree, free, 'not counted, as an unlinked open file is not');
  t.equal(f.write(enc.encode('data'), 0), 4);
  t.equal(root.link('named', f), 0, 'linkat gives it a name');
  t.equal(st(f).nlink, 1);
  t.equal(ok(fs.statfs()).ffree, free - 1, 'and it counts again');
  t.equal(dec.decode(readAll(ok(root.lookup('named')) as Inode, 0, 10)), 'data');
  t.equal(root.link('second', f), 0, 'a named file takes more names as usual');
  t.equal(root.unlink('named'), 0);
  t.equal(root.unlink('second'), 0);
  t.equal(root.link('again', f), ENOENT, 'linkable once only (Linux clears I_LINKABLE)');
  t.equal(root.link('x', ok(root.tmpfile(0o600, admin, false))), ENOENT, 'O_EXCL: never linkable');

  const full = ok(root.tmpfile(0o644, admin, true));
  file(root, 'a');
  file(root, 'b');
  t.equal(root.link('c', full), ENOSPC, 'naming it needs a free inode');
  t.equal(root.tmpfile(0o644, admin, true), ENOSPC, 'so does making one');
  const d = dir(setup().root, 'd');
  const gone = setup();
  const dead = dir(gone.root, 'dead');
  t.equal(gone.root.rmdir('dead'), 0);
  const orphan = ok(dead.tmpfile(0o644, admin, true));
  t.equal(st(orphan).nlink, 0, 'a removed directory still makes them, as Linux tmpfs');
  t.equal(dead.link('x', orphan), ENOENT, 'but cannot name them');
  t.equal(d.tmpfile(0o644, admin, true) instanceof TmpFile, true);
});

t.test('the overlay over tmpfs: O_TMPFILE in the upper layer, holes from the layer with the data', async (t) => {
  const lower = setup(), upper = setup();
  const low = file(dir(lower.root, 'sub'), 'sparse');
  low.write(new Uint8Array(10), 2 * 4096);
  low.setattr({ size: 5 * 4096 });
  const ov = new OverlayFs(upper.fs, lower.fs, 9);
  const sub = ok(await ov.root.lookup('sub')) as OverlayInode;
  const sparse = ok(await sub.lookup('sparse')) as OverlayInode;
  t.equal(await sparse.seekDataOrHole(0, false), 2 * 4096, 'the lower file\'s holes, before any copy-up');
  t.equal(await sparse.seekDataOrHole(2 * 4096, true), 3 * 4096);
  t.equal(await sparse.write(new Uint8Array(1), 0), 1);
  t.equal(await sparse.seekDataOrHole(0, true), 4096, 'and the copy keeps them');
  t.equal(await sparse.seekDataOrHole(4096, false), 2 * 4096);
  t.equal(seekWithoutHoles(100, 10, false), 10, 'without hole information every byte is data');
  t.equal(seekWithoutHoles(100, 10, true), 100);
  t.equal(seekWithoutHoles(100, 100, false), ENXIO);

  const tf = ok(await sub.tmpfile(0o640, user, true));
  t.match(ok(await tf.stat()), { mode: S_IFREG | 0o640, nlink: 0, dev: 9 });
  t.equal(await sub.link('named', tf), 0);
  t.equal(ok(await sub.lookup('named')), tf, 'the overlay inode under its new name');
  t.ok(typeof upper.root.lookup('sub') !== 'number', 'the directory was copied up');
  t.equal(ok(await tf.stat()).nlink, 1);
  t.equal(lower.root.lookup('named'), ENOENT, 'nothing reached the lower layer');
  t.equal(await sparse.tmpfile(0o600, admin, true), ENOTDIR);
});

t.test('ownership of new inodes and set-group-ID directories', async (t) => {
  const { root } = setup();
  const mine = file(root, 'mine', user);
  t.match(st(mine), { uid: 1000, gid: 1000 });
  const shared = ok(root.mkdir('shared', 0o2775, admin)) as TmpDir;
  t.equal(shared.setattr({ gid: 50 }), 0);
  const f = ok(shared.create('f', 0o644, user));
  t.match(st(f), { uid: 1000, gid: 50, mode: S_IFREG | 0o644 }, 'the group of a set-group-ID directory');
  const sub = ok(shared.mkdir('sub', 0o755, user));
  t.match(st(sub), { gid: 50, mode: S_IFDIR | 0o2755 }, 'a subdirectory inherits set-group-ID');
  const sg = ok(shared.create('sg', 0o2755, user));
  t.equal(st(sg).mode, S_IFREG | 0o755, 'set-group-ID dropped for a creator outside the group');
  const member = { ...user, groups: [50] };
  t.equal(st(ok(shared.create('sg2', 0o2755, member))).mode, S_IFREG | 0o2755);
  t.equal(st(ok(root.create('plain', 0o2755, user))).mode, S_IFREG | 0o2755, 'outside such a directory the mode is as given');
});

t.test('read and write: offsets, holes and sparse storage', async (t) => {
  const { root } = setup();
  const f = file(root, 'f');
  t.equal(f.write(enc.encode('abc'), 0), 3);
  t.equal(f.write(enc.encode('XY'), 1), 2);
  t.equal(dec.decode(readAll(f, 0, 10)), 'aXY');
  t.equal(f.read(new Uint8Array(4), 3), 0, 'end of file');
  t.equal(f.read(new Uint8Array(4), 100), 0);
  t.equal(f.write(enc.encode('z'), 10_000), 1);
  t.equal(st(f).size, 10_001);
  t.same([...readAll(f, 3, 8)], [0, 0, 0, 0, 0, 0, 0, 0], 'a hole reads as zeros');
  t.equal(st(f).blocks, 16, 'pages 0 and 2: the hole holds nothing');
  t.equal(f.write(new Uint8Array(10_000).fill(7), 4090), 10_000, 'across pages');
  t.same([...readAll(f, 4088, 4)], [0, 0, 7, 7]);
  t.equal(f.read(new Uint8Array(4), -1), EINVAL);
  t.equal(f.write(new Uint8Array(1), -1), EINVAL);
  t.equal(f.write(new Uint8Array(0), 5), 0);

  const sparse = file(root, 'sparse');
  const tb = 2 ** 40;
  t.equal(sparse.write(enc.encode('end'), tb), 3);
  t.match(st(sparse), { size: tb + 3, blocks: 8 });
  t.equal(dec.decode(readAll(sparse, tb - 2, 10)), '\0\0end');
  const g = file(root, 'g');
  t.equal(g.write(new Uint8Array(1), MAX_FILE_SIZE), EFBIG);
  t.equal(g.write(new Uint8Array(1), 2 ** 60), EFBIG);
  t.equal(g.write(new Uint8Array(4), MAX_FILE_SIZE - 2), 2, 'cut short at the largest size');
  t.equal(st(g).size, MAX_FILE_SIZE);
  t.equal(dir(root, 'd').read(new Uint8Array(1), 0), EISDIR);
});

t.test('truncate: shrinking frees pages and zeroes the tail, growing leaves a hole', async (t) => {
  const { root } = setup();
  const f = file(root, 'f');
  f.write(new Uint8Array(3 * 4096).fill(1), 0);
  t.equal(st(f).blocks, 24);
  t.equal(f.setattr({ size: 5000 }), 0);
  t.match(st(f), { size: 5000, blocks: 16 });
  t.equal(f.setattr({ size: 9000 }), 0);
  t.same([...readAll(f, 4998, 4)], [1, 1, 0, 0], 'bytes past a shrink read as zeros after growing back');
  t.match(st(f), { size: 9000, blocks: 16 });
  t.equal(f.setattr({ size: 0 }), 0);
  t.match(st(f), { size: 0, blocks: 0 });
  t.equal(f.setattr({ size: -1 }), EINVAL);
  t.equal(f.setattr({ size: MAX_FILE_SIZE + 2 }), EFBIG);
  t.equal(dir(root, 'd').setattr({ size: 0 }), EISDIR);
  t.equal(ok(root.symlink('l', 'x', admin)).setattr({ size: 0 }), EINVAL);
});

t.test('fallocate: allocate, keep size, punch holes', async (t) => {
  const { fs, root } = setup({ maxBytes: 16 * 4096 });
  const f = file(root, 'f');
  t.equal(f.allocate(0, 100, 5000), 0);
  t.match(st(f), { size: 5100, blocks: 16 }, 'mode 0 grows the file over whole pages');
  t.same([...readAll(f, 0, 4)], [0, 0, 0, 0]);
  t.equal(f.allocate(FALLOC_FL_KEEP_SIZE, 8192, 8192), 0);
  t.match(st(f), { size: 5100, blocks: 32 }, 'KEEP_SIZE allocates past the end');
  t.equal(f.write(new Uint8Array(3 * 4096).fill(9), 0), 3 * 4096, 'allocated pages take writes without new charges');
  t.equal(ok(fs.statfs()).bfree, 12);
  t.equal(f.allocate(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 100, 2 * 4096), 0);
  t.same([...readAll(f, 98, 4)], [9, 9, 0, 0]);
  t.same([...readAll(f, 4096 + 100 - 2, 4)], [0, 0, 0, 0]);
  t.same([...readAll(f, 2 * 4096 + 98, 4)], [0, 0, 9, 9]);
  t.match(st(f), { size: 3 * 4096, blocks: 24 }, 'only the wholly punched page is freed');
  t.equal(f.allocate(FALLOC_FL_PUNCH_HOLE, 0, 10), EOPNOTSUPP, 'punching needs KEEP_SIZE');
  t.equal(f.allocate(0x10 /* ZERO_RANGE */, 0, 10), EOPNOTSUPP);
  t.equal(f.allocate(0, 0, 0), EINVAL);
  t.equal(f.allocate(0, -1, 10), EINVAL);
  t.equal(f.allocate(0, MAX_FILE_SIZE, 10), EFBIG);
  t.equal(f.allocate(0, 0, 40 * 4096), ENOSPC);
  t.match(st(f), { size: 3 * 4096, blocks: 24 }, 'a failed allocation leaves nothing behind');
  t.equal(f.allocate(0, 0, 2 ** 50), ENOSPC, 'a hopeless one is refused at once');
  t.equal(dir(root, 'd').allocate(0, 0, 1), EISDIR);
});

t.test('SEEK_DATA and SEEK_HOLE over the page map', async (t) => {
  const { root } = setup();
  const f = file(root, 'f');
  f.write(new Uint8Array(10), 3 * 4096);
  f.setattr({ size: 6 * 4096 });
  t.equal(f.seekDataOrHole(0, false), 3 * 4096);
  t.equal(f.seekDataOrHole(0, true), 0);
  t.equal(f.seekDataOrHole(3 * 4096 + 5, true), 4 * 4096);
  t.equal(f.seekDataOrHole(4 * 4096, false), ENXIO, 'no data after the last page');
  t.equal(f.seekDataOrHole(6 * 4096, true), ENXIO, 'at the end');
});

t.test('the size limit: short writes, ENOSPC, space back on unlink', async (t) => {
  const { fs, root } = setup({ maxBytes: 4 * 4096 });
  const f = file(root, 'f');
  t.equal(f.write(new Uint8Array(5 * 4096), 0), 4 * 4096, 'a write is cut at the limit');
  t.equal(ok(fs.statfs()).bfree, 0);
  t.equal(f.write(new Uint8Array(1), 4 * 4096), ENOSPC);
  t.equal(f.write(new Uint8Array(1), 0), 1, 'rewriting allocated pages needs no space');
  const g = file(root, 'g');
  t.equal(g.write(new Uint8Array(1), 0), ENOSPC);
  t.equal(root.unlink('f'), 0);
  t.equal(ok(fs.statfs()).bfree, 4, 'unlink gives the pages back');
  t.equal(g.write(new Uint8Array(4096), 0), 4096);
  t.equal(g.setattr({ size: 0 }), 0);
  t.equal(ok(fs.statfs()).bfree, 4, 'so does truncate');
  // An unlinked file that grows charges again, and gives back on truncate.
  t.equal(f.write(new Uint8Array(2 * 4096), 4 * 4096), 2 * 4096);
  t.equal(ok(fs.statfs()).bfree, 2);
  t.equal(f.setattr({ size: 0 }), 0);
  t.equal(ok(fs.statfs()).bfree, 4);

  const few = setup({ maxInodes: 3 });
  t.ok(few.root.create('a', 0o644, admin) instanceof TmpFile);
  t.ok(few.root.mkdir('b', 0o755, admin) instanceof TmpDir);
  t.equal(few.root.create('c', 0o644, admin), ENOSPC, 'out of inodes');
  t.equal(few.root.symlink('c', 'x', admin), ENOSPC);
  t.equal(ok(few.fs.statfs()).ffree, 0);
  t.equal(few.root.unlink('a'), 0);
  t.equal(ok(few.fs.statfs()).ffree, 1);
  t.ok(few.root.create('c', 0o644, admin) instanceof TmpFile);
});

t.test('timestamps: creation, removal and links', async (t) => {
  const { root, tick } = setup();
  const t0 = tick();
  const f = file(root, 'f');
  t.same([st(f).atime, st(f).mtime, st(f).ctime, st(f).btime], [t0, t0, t0, t0], 'a new inode');
  t.same([st(root).mtime, st(root).ctime], [t0, t0], 'its directory');
  const t1 = tick();
  t.equal(root.link('g', f), 0);
  t.same([st(f).ctime, st(f).mtime, st(root).mtime], [t1, t0, t1], 'link changes the inode and the directory');
  const t2 = tick();
  t.equal(root.unlink('g'), 0);
  t.same([st(f).ctime, st(root).mtime, st(root).ctime], [t2, t2, t2]);
  const t3 = tick();
  const d = dir(root, 'd');
  tick();
  t.equal(root.rmdir('d'), 0);
  t.same(st(d).btime, t3, 'btime stays');
  t.not(st(root).mtime.sec, t3.sec);
});

t.test('timestamps: write, truncate, setattr, xattrs', async (t) => {
  const { root, tick } = setup();
  const f = file(root, 'f');
  const t1 = tick();
  f.write(enc.encode('x'), 0);
  t.same([st(f).mtime, st(f).ctime], [t1, t1], 'write');
  tick();
  f.write(new Uint8Array(0), 0);
  t.same(st(f).mtime, t1, 'an empty write changes nothing');
  f.setattr({ size: 1 });
  t.same([st(f).mtime, st(f).ctime], [t1, t1], 'truncate(2) to the same size changes nothing');
  const t3 = tick();
  f.setattr({ size: 1, mtime: 'now' });
  t.same([st(f).mtime, st(f).ctime], [t3, t3], 'ftruncate / O_TRUNC pass mtime "now"');
  const t4 = tick();
  f.setattr({ size: 0 });
  t.same([st(f).mtime, st(f).ctime], [t4, t4], 'a size change');
  const t5 = tick();
  f.setattr({ atime: { sec: 5, nsec: 6 }, mtime: { sec: 7, nsec: 8 } });
  t.match(st(f), { atime: { sec: 5, nsec: 6 }, mtime: { sec: 7, nsec: 8 }, ctime: t5 }, 'utimensat');
  const t6 = tick();
  f.setattr({ atime: 'now', mtime: 'now' });
  t.match(st(f), { atime: t6, mtime: t6, ctime: t6 });
  const t7 = tick();
  f.setattr({ mode: 0o600 });
  t.match(st(f), { mode: S_IFREG | 0o600, mtime: t6, ctime: t7 }, 'chmod keeps the type');
  const t8 = tick();
  f.setattr({ uid: 7, gid: 8 });
  t.match(st(f), { uid: 7, gid: 8, ctime: t8 });
  const t9 = tick();
  f.setattr({});
  t.same(st(f).ctime, t9, 'chown(-1, -1) still changes ctime');
  const t10 = tick();
  t.equal(f.setxattr('user.a', enc.encode('1'), 0), 0);
  t.same(st(f).ctime, t10);
  tick();
  t.equal(f.setxattr('user.a', enc.encode('1'), XATTR_CREATE), EEXIST);
  t.same(st(f).ctime, t10, 'a failed setxattr changes nothing');
  const t12 = tick();
  t.equal(f.allocate(0, 0, 100), 0);
  t.match(st(f), { ctime: t12, mtime: t6 }, 'fallocate changes ctime only');
  const t13 = tick();
  t.equal(f.allocate(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, 10), 0);
  t.match(st(f), { ctime: t13, mtime: t13 }, 'a punched hole modifies');
});

t.test('atime follows relatime', async (t) => {
  const { root, tick } = setup();
  const f = file(root, 'f');
  f.write(enc.encode('data'), 0);
  const t1 = tick();
  f.read(new Uint8Array(4), 0);
  t.same(st(f).atime, t1, 'the first read after a write');
  tick();
  f.read(new Uint8Array(4), 0);
  t.same(st(f).atime, t1, 'not again while newer than mtime and ctime');
  const t3 = tick(DAY);
  f.read(new Uint8Array(4), 0);
  t.same(st(f).atime, t3, 'once a day');
  tick();
  f.write(enc.encode('x'), 0);
  const t5 = tick();
  f.read(new Uint8Array(1), 0);
  t.same(st(f).atime, t5, 'after a modification');
  const d = dir(root, 'd');
  const t6 = tick();
  d.readdir();
  t.same(st(d).atime, t6, 'readdir is an access');
  const l = ok(root.symlink('l', 'target', admin));
  const t7 = tick();
  l.readlink();
  t.same(st(l).atime, t7, 'so is readlink');
});

t.test('rename: moving and replacing', async (t) => {
  const { fs, root, tick } = setup();
  const a = file(root, 'a'), b = file(root, 'b');
  const inodesBefore = ok(fs.statfs()).ffree;
  const t1 = tick();
  t.equal(root.rename('a', root, 'b', 0), 0, 'a file replaces a file');
  t.equal(root.lookup('b'), a);
  t.equal(root.lookup('a'), ENOENT);
  t.equal(st(b).nlink, 0, 'the replaced inode lost its name');
  t.same([st(a).ctime, st(b).ctime, st(root).mtime], [t1, t1, t1]);
  t.equal(st(root).size, 40 + 20);
  t.equal(ok(fs.statfs()).ffree, inodesBefore + 1, 'the replaced inode is free');

  const d1 = dir(root, 'd1'), d2 = dir(root, 'd2');
  const sub = dir(d1, 'sub');
  const t2 = tick();
  t.equal(d1.rename('sub', d2, 'moved', 0), 0, 'a directory moves to another parent');
  t.equal(d2.lookup('moved'), sub);
  t.same([st(d1).nlink, st(d2).nlink], [2, 3]);
  t.same([st(d1).mtime, st(d2).mtime, st(sub).ctime], [t2, t2, t2]);
  const empty = dir(d1, 'empty');
  t.equal(d2.rename('moved', d1, 'empty', 0), 0, 'a directory replaces an empty directory');
  t.same([st(d1).nlink, st(d2).nlink, st(empty).nlink], [3, 2, 0]);
  file(sub, 'inside');
  const full = dir(root, 'full');
  file(full, 'x');
  t.equal(root.rename('full', d1, 'empty', 0), ENOTEMPTY, 'over a non-empty directory');
  t.equal(d1.rename('empty', root, 'full', 0), ENOTEMPTY);
  t.equal(root.rename('full', root, 'b', 0), ENOTDIR, 'a directory over a file');
  t.equal(root.rename('b', root, 'full', 0), EISDIR, 'a file over a directory');
  t.equal(root.rename('nope', root, 'x', 0), ENOENT);
  const into = dir(root, 'into');
  t.equal(root.rename('b', into, 'x', 0), 0);
  t.equal(into.lookup('x'), a);
  t.equal(root.rmdir('into'), ENOTEMPTY);
});

t.test('rename: flags and special cases', async (t) => {
  const { root, tick } = setup();
  const a = file(root, 'a'), b = file(root, 'b');
  t.equal(root.rename('a', root, 'b', RENAME_NOREPLACE), EEXIST);
  t.equal(root.rename('a', root, 'c', RENAME_NOREPLACE), 0);
  t.equal(root.rename('c', root, 'a', 0), 0);
  t.equal(root.rename('a', root, 'missing', RENAME_EXCHANGE), ENOENT);
  t.equal(root.rename('a', root, 'b', RENAME_EXCHANGE | RENAME_NOREPLACE), EINVAL);
  t.equal(root.rename('a', root, 'b', 0x80), EINVAL);
  t.equal(root.rename('a', root, 'b', RENAME_WHITEOUT), EINVAL, 'whiteouts are not supported');
  t.same(names(root), ['b', 'a'], 'a renamed entry lists last');
  const t1 = tick();
  t.equal(root.rename('a', root, 'b', RENAME_EXCHANGE), 0);
  t.same([root.lookup('a'), root.lookup('b')], [b, a]);
  t.same(names(root), ['b', 'a'], 'an exchange keeps both places');
  t.same([st(a).ctime, st(b).ctime, st(root).mtime], [t1, t1, t1]);

  const d1 = dir(root, 'd1'), d2 = dir(root, 'd2');
  const sub = dir(d1, 'sub');
  file(d2, 'f');
  t.equal(d1.rename('sub', d2, 'f', RENAME_EXCHANGE), 0, 'a directory and a file trade places');
  t.same([st(d1).nlink, st(d2).nlink], [2, 3]);
  t.equal(d2.lookup('f'), sub);

  // The same inode under both names, hard links included: nothing happens.
  t.equal(root.link('a2', root.lookup('a') as Inode), 0);
  const t2 = tick();
  t.equal(root.rename('a', root, 'a2', 0), 0);
  t.equal(root.lookup('a'), b);
  t.equal(st(b).nlink, 2);
  t.not(st(root).mtime.sec, t2.sec, 'not even a timestamp');
  t.equal(root.rename('a', root, 'a', 0), 0);
  t.equal(root.rename('a', root, 'a', RENAME_NOREPLACE), EEXIST);

  const other = setup();
  t.equal(root.rename('a', other.root, 'x', 0), EXDEV);
  t.equal(root.rename('a', root.lookup('a') as Inode, 'x', 0), ENOTDIR);
  t.equal(root.rename('a', root, 'y'.repeat(256), 0), ENAMETOOLONG);
  const dead = dir(root, 'dead');
  t.equal(root.rmdir('dead'), 0);
  t.equal(root.rename('a', dead, 'x', 0), ENOENT, 'nothing moves into a removed directory');
});

t.test('xattrs: namespaces, flags and limits', async (t) => {
  const { root } = setup();
  const f = file(root, 'f');
  t.equal(f.getxattr('user.x'), ENODATA);
  t.equal(f.setxattr('user.x', enc.encode('v1'), 0), 0);
  t.equal(dec.decode(ok(f.getxattr('user.x'))), 'v1');
  t.equal(f.setxattr('user.x', enc.encode('v2'), XATTR_CREATE), EEXIST);
  t.equal(f.setxattr('user.x', enc.encode('v2'), XATTR_REPLACE), 0);
  t.equal(dec.decode(ok(f.getxattr('user.x'))), 'v2');
  t.equal(f.setxattr('user.y', enc.encode(''), XATTR_REPLACE), ENODATA);
  t.equal(f.setxattr('trusted.t', enc.encode('t'), XATTR_CREATE), 0);
  t.equal(f.setxattr('security.s', new Uint8Array(0), 0), 0);
  t.same(f.listxattr(), ['user.x', 'trusted.t', 'security.s']);
  t.equal(ok(f.getxattr('security.s')).length, 0, 'an empty value');
  t.equal(f.setxattr('system.posix_acl_access', new Uint8Array(4), 0), EOPNOTSUPP);
  t.equal(f.setxattr('other.x', new Uint8Array(1), 0), EOPNOTSUPP);
  t.equal(f.getxattr('bogus'), EOPNOTSUPP);
  t.equal(f.setxattr('user.', new Uint8Array(1), 0), EINVAL);
  t.equal(f.setxattr('user.' + 'n'.repeat(251), new Uint8Array(1), 0), ERANGE);
  t.equal(f.setxattr('user.' + 'n'.repeat(250), new Uint8Array(1), 0), 0, '255 bytes is the longest name');
  t.equal(f.setxattr('user.big', new Uint8Array(65537), 0), E2BIG);
  t.equal(f.setxattr('user.big', new Uint8Array(65536), 0), 0);
  t.equal(f.setxattr('user.z', new Uint8Array(1), 4), EINVAL, 'unknown flags');
  const value = ok(f.getxattr('user.x'));
  value[0] = 0;
  t.equal(dec.decode(ok(f.getxattr('user.x'))), 'v2', 'values are copies');
  t.equal(f.removexattr('user.x'), 0);
  t.equal(f.removexattr('user.x'), ENODATA);
  t.equal(f.getxattr('user.x'), ENODATA);

  const d = dir(root, 'd');
  t.equal(d.setxattr('user.dir', new Uint8Array(1), 0), 0, 'directories take user.* too');
  const l = ok(root.symlink('l', 'f', admin));
  t.equal(l.setxattr('user.x', new Uint8Array(1), 0), EPERM, 'not symlinks');
  t.equal(l.getxattr('user.x'), ENODATA);
  t.equal(l.removexattr('user.x'), EPERM);
  t.equal(l.setxattr('trusted.x', new Uint8Array(1), 0), 0, 'other namespaces are fine');
  const fifo = ok(root.mknod('p', S_IFIFO | 0o600, 0, admin));
  t.equal(fifo.setxattr('user.x', new Uint8Array(1), 0), EPERM, 'nor special files');
  t.same(fifo.listxattr(), []);
});
