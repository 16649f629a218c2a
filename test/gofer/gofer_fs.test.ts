// The Sentry's HostFs over a real Gofer process (sentry/vfs/gofer_fs.ts): path resolution inside
// the sandbox root (symlinks, `..`, ELOOP, ENOTDIR, ENAMETOOLONG), stat and lstat, access by mode
// bits, reading, directory listings, handles given back, and EIO once the Gofer is gone.
import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { GoferFs, MAX_SYMLINKS, type FsCredentials } from '../../sentry/vfs/gofer_fs.js';
import { Errno, dec, spawnGofer, stopGofer, tmpTree } from './harness.js';

t.setTimeout(120_000);

const ENOENT = -Errno.ENOENT, ENOTDIR = -Errno.ENOTDIR, ELOOP = -Errno.ELOOP, EIO = -Errno.EIO, EACCES = -Errno.EACCES,
  EINVAL = -Errno.EINVAL, EROFS = -Errno.EROFS, ENAMETOOLONG = -Errno.ENAMETOOLONG, EISDIR = -Errno.EISDIR;

const top = tmpTree('gofer-fs-');
// The sandbox root: absolute symlinks inside it must land inside it, never on the host's files.
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
// A chain of exactly MAX_SYMLINKS links works; one more is ELOOP.
for (let i = 0; i < MAX_SYMLINKS; i++) fs.symlinkSync(i === MAX_SYMLINKS - 1 ? 'etc/hostname' : `l${i + 1}`, path.join(root, `l${i}`));
fs.symlinkSync('l0', path.join(root, 'l-1'));
fs.writeFileSync(path.join(root, 'secret'), 'x', { mode: 0o600 });
fs.writeFileSync(path.join(root, 'script'), 'x', { mode: 0o754 });
t.teardown(() => fs.rmSync(top, { recursive: true, force: true }));

const me = process.getuid!(), myGid = process.getgid!();
let creds: FsCredentials = { uid: me, gid: myGid, groups: [] };

async function attach() {
  const g = spawnGofer([`root=${root}:ro`]);
  const gfs = await GoferFs.mount(g.client, 'root', () => creds);
  if (typeof gfs === 'number') throw new Error(`mount: ${gfs}`);
  return { g, gfs };
}
const { g, gfs } = await attach();
t.teardown(() => stopGofer(g));

async function cat(p: string): Promise<string | number> {
  const f = await gfs.open(p, false);
  if (typeof f === 'number') return f;
  const buf = new Uint8Array(4096);
  const n = await f.read(buf, 0);
  f.close();
  return n < 0 ? n : dec(buf.subarray(0, n));
}

t.test('symlinks resolve from the sandbox root or the link\'s directory', async (t) => {
  t.equal(await cat('/abs'), 'inside\n', 'an absolute target restarts at the sandbox root');
  t.equal(await cat('/a/rel'), 'deep file', 'a relative target starts at the link\'s directory');
  t.equal(await cat('/escape'), ENOENT, '`..` in a target stops at the root (no /outside there)');
  t.equal(await cat('/dirlink/c/file'), 'deep file', 'a link in the middle of a path');
  t.equal(await cat('/a/self/self/rel'), 'deep file', 'a link to `.`');
  t.equal(await cat('/through-file'), ENOTDIR);
  t.equal(await cat('/dangling'), ENOENT);
  t.equal(await cat('/l1'), 'inside\n', `${MAX_SYMLINKS - 1} links`);
  t.equal(await cat('/l0'), 'inside\n', `${MAX_SYMLINKS} links`);
  t.equal(await cat('/l-1'), ELOOP, `${MAX_SYMLINKS + 1} links`);
  t.equal(await cat('/a/b/c/file/more'), ENOTDIR);
  t.equal(await cat('/nope/file'), ENOENT);
  t.equal(await cat('/' + 'x'.repeat(256)), ENAMETOOLONG);
  t.equal(await cat('/a'), EISDIR);
});

t.test('stat, lstat, readlink, access', async (t) => {
  const l = await gfs.stat('/abs', false);
  const s = await gfs.stat('/abs', true);
  if (typeof l === 'number' || typeof s === 'number') throw new Error('stat failed');
  t.equal(l.mode & 0o170000, 0o120000, 'lstat sees the link');
  t.equal(s.ino, fs.statSync(path.join(root, 'etc/hostname')).ino, 'stat follows it');
  t.equal(s.size, 7);
  const r = await gfs.stat('/', true);
  t.equal(typeof r !== 'number' && r.ino, fs.statSync(root).ino, '/ is the sandbox root');
  t.equal(await gfs.readlink('/a/rel'), 'b/c/file');
  t.equal(await gfs.readlink('/dirlink/c/file'), EINVAL, 'not a link');
  t.equal(await gfs.readlink('/dangling'), 'missing');
  t.equal(await gfs.access('/secret', 4), 0, 'the owner may read');
  t.equal(await gfs.access('/secret', 1), EACCES, 'but not execute');
  t.equal(await gfs.access('/secret', 2), EROFS, 'a read-only root');
  t.equal(await gfs.access('/script', 1), 0);
  creds = { uid: me + 1, gid: myGid + 1, groups: [myGid] };
  t.equal(await gfs.access('/script', 1), 0, 'a supplementary group gets r-x');
  t.equal(await gfs.access('/secret', 4), EACCES, 'others get nothing of 0600');
  creds = { uid: me + 1, gid: myGid + 1, groups: [] };
  t.equal(await gfs.access('/script', 5), EACCES, 'others get r-- of 0754');
  t.equal(await gfs.access('/script', 4), 0);
  creds = { uid: 0, gid: 0, groups: [] };
  t.equal(await gfs.access('/secret', 4), 0, 'root reads anything');
  t.equal(await gfs.access('/secret', 1), EACCES, 'but executes only what has an x bit');
  creds = { uid: me, gid: myGid, groups: [] };
  t.equal(await gfs.access('/missing', 0), ENOENT);
});

t.test('directories list every entry with . and ..', async (t) => {
  const d = await gfs.open('/dirlink', true);
  if (typeof d === 'number') throw new Error(`open: ${d}`);
  const ents = await d.readdir();
  if (typeof ents === 'number') throw new Error(`readdir: ${ents}`);
  t.same(ents.map((e) => dec(e.name)), ['.', '..', 'c']);
  t.equal(ents[2].ino, fs.statSync(path.join(root, 'a/b/c')).ino);
  t.equal(ents[2].type, 4, 'DT_DIR');
  d.close();
  const big = await gfs.open('/', true);
  if (typeof big === 'number') throw new Error(`open: ${big}`);
  const all = await big.readdir();
  t.equal(typeof all !== 'number' && all.length, fs.readdirSync(root).length + 2);
  big.close();
});

t.test('handles are given back', async (t) => {
  // Each Gofer handle is a host fd of the Gofer process: count them around many lookups.
  const fds = () => fs.readdirSync(`/proc/${g.child.pid}/fd`).length;
  const settle = () => gfs.stat('/', true); // replies come in order: earlier Closes are done
  await settle();
  const before = fds();
  for (let i = 0; i < 20; i++) {
    await cat('/dirlink/c/file');
    await gfs.stat('/l0', true);
    await gfs.readlink('/abs');
    await cat('/l-1');
    const d = await gfs.open('/a', true);
    if (typeof d !== 'number') { await d.readdir(); d.close(); }
  }
  await settle();
  t.equal(fds(), before, 'no handle left open');
  t.equal(g.client.inFlight, 0, 'no call left waiting');
});

t.test('a dead Gofer gives EIO at once, never a hang', async (t) => {
  const other = await attach();
  const f = await other.gfs.open('/etc/hostname', false);
  if (typeof f === 'number') throw new Error(`open: ${f}`);
  other.g.child.kill('SIGKILL');
  await other.g.exited;
  t.equal(await f.read(new Uint8Array(10), 0), EIO);
  t.equal(await other.gfs.stat('/etc/hostname', true), EIO);
  t.equal(await other.gfs.open('/etc/hostname', false), EIO);
  f.close();
});
