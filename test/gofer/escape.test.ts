// Escape attempts against the Gofer: symlinks out of the root, `..`, hard links, and a symlink
// swapped for a directory while the Gofer walks. Nothing outside the root may be read or changed.
import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { O_RDWR, S_IFLNK, S_IFMT, SetStatMask, UTIME_OMIT, WalkStatus } from '../../gofer/protocol.js';
import { Errno, Ops, dec, enc, spawnGofer, stopGofer, tmpTree } from './harness.js';

t.setTimeout(120_000);

const top = tmpTree();
const root = path.join(top, 'root');
const outside = path.join(top, 'outside');
fs.mkdirSync(path.join(root, 'dir/sub'), { recursive: true });
fs.mkdirSync(outside);
fs.writeFileSync(path.join(outside, 'secret'), 'OUTSIDE');
fs.chmodSync(path.join(outside, 'secret'), 0o600);
fs.writeFileSync(path.join(root, 'inside'), 'inside');
fs.symlinkSync(path.join(outside, 'secret'), path.join(root, 'abs'));
fs.symlinkSync(outside, path.join(root, 'absdir'));
fs.symlinkSync('../outside/secret', path.join(root, 'rel'));
fs.symlinkSync('../../../outside', path.join(root, 'dir/sub/reldir'));
fs.symlinkSync('/proc/self/root', path.join(root, 'procroot'));
fs.symlinkSync(path.join(outside, 'newfile'), path.join(root, 'dangling'));
t.teardown(() => fs.rmSync(top, { recursive: true, force: true }));

const g = spawnGofer([`root=${root}`, `other=${outside}`]);
const o = new Ops(g.client);
t.teardown(() => stopGofer(g));
const secretBefore = fs.statSync(path.join(outside, 'secret'));
const none = 0xffffffff;
const omit = { sec: 0, nsec: UTIME_OMIT };

t.test('symlinks out of the root are returned, never followed', async (t) => {
  const r = await o.root();
  for (const name of ['abs', 'rel', 'absdir', 'procroot']) {
    const w = await o.must('Walk', { dir: r.handle, names: [enc(name), enc('secret')] });
    t.equal(w.status, WalkStatus.ComponentSymlink, `${name}: walk stops at the symlink`);
    t.equal(w.inodes.length, 1);
    const h = w.inodes[0];
    t.equal(h.stat.mode & S_IFMT, S_IFLNK, `${name}: the handle is the link itself`);
    t.equal(await o.errno('OpenAt', { handle: h.handle, flags: 0 }), Errno.ELOOP, `${name}: cannot be opened`);
    t.equal(await o.errno('Walk', { dir: h.handle, names: [enc('secret')] }), Errno.ENOTDIR, `${name}: cannot be walked through`);
    t.ok((await o.must('ReadLinkAt', { handle: h.handle })).target.length > 0);
    // Changing the link's attributes never reaches its target.
    t.equal(await o.errno('SetStat', { handle: h.handle, mask: SetStatMask.Mode, mode: 0o777, uid: 0, gid: 0, size: 0, atime: omit, mtime: omit }), Errno.EOPNOTSUPP);
    await o.call('SetStat', { handle: h.handle, mask: SetStatMask.Uid | SetStatMask.Gid | SetStatMask.Mtime, mode: 0, uid: 4242, gid: 4242, size: 0, atime: omit, mtime: { sec: 12345, nsec: 0 } });
    t.equal(await o.errno('SetStat', { handle: h.handle, mask: SetStatMask.Size, mode: 0, uid: 0, gid: 0, size: 0, atime: omit, mtime: omit }), Errno.EINVAL);
  }
  const deep = await o.must('Walk', { dir: r.handle, names: [enc('dir'), enc('sub'), enc('reldir'), enc('secret')] });
  t.equal(deep.status, WalkStatus.ComponentSymlink);
  t.equal(dec((await o.must('ReadLinkAt', { handle: deep.inodes[2].handle })).target), '../../../outside');
  const after = fs.statSync(path.join(outside, 'secret'));
  t.equal(after.mode, secretBefore.mode); t.equal(after.uid, secretBefore.uid); t.equal(after.mtimeMs, secretBefore.mtimeMs);
  t.equal(fs.readFileSync(path.join(outside, 'secret'), 'utf8'), 'OUTSIDE');
});

t.test('creating over a symlink never writes through it', async (t) => {
  const r = await o.root();
  t.equal(await o.errno('OpenCreateAt', { dir: r.handle, name: enc('dangling'), flags: O_RDWR, mode: 0o644, uid: none, gid: none }), Errno.EEXIST);
  t.equal(await o.errno('MkdirAt', { dir: r.handle, name: enc('dangling'), mode: 0o755, uid: none, gid: none }), Errno.EEXIST);
  t.equal(await o.errno('MknodAt', { dir: r.handle, name: enc('dangling'), mode: 0o010644, rdev: 0, uid: none, gid: none }), Errno.EEXIST);
  t.notOk(fs.existsSync(path.join(outside, 'newfile')));
  // Renaming and unlinking a symlink act on the link, not its target.
  await o.must('RenameAt', { oldDir: r.handle, oldName: enc('dangling'), newDir: r.handle, newName: enc('dangling2'), flags: 0 });
  await o.must('UnlinkAt', { dir: r.handle, name: enc('dangling2'), flags: 0 });
  t.ok(fs.existsSync(path.join(outside, 'secret')));
});

t.test('.. and slashes are refused everywhere', async (t) => {
  const r = await o.root();
  const d = await o.walk(r.handle, 'dir/sub');
  const chains = [['..'], ['..', '..', 'outside'], ['dir', '..', '..'], ['.', '..'], ['../outside'], ['dir/../../outside'], ['/etc'], ['']];
  for (const c of chains) {
    t.equal(await o.errno('Walk', { dir: d.handle, names: c.map(enc) }), Errno.EINVAL, `Walk ${c.join(',')}`);
    t.equal(await o.errno('WalkStat', { dir: r.handle, names: c.map(enc) }), Errno.EINVAL, `WalkStat ${c.join(',')}`);
  }
  t.equal(await o.errno('OpenCreateAt', { dir: d.handle, name: enc('../../x'), flags: 0, mode: 0o644, uid: none, gid: none }), Errno.EINVAL);
  t.equal(await o.errno('UnlinkAt', { dir: d.handle, name: enc('..'), flags: 0x200 }), Errno.EINVAL);
  t.equal(await o.errno('RenameAt', { oldDir: r.handle, oldName: enc('inside'), newDir: d.handle, newName: enc('../../../outside/pwn'), flags: 0 }), Errno.EINVAL);
  t.equal(await o.errno('SymlinkAt', { dir: d.handle, name: enc('..'), target: enc('x'), uid: none, gid: none }), Errno.EINVAL);
  t.equal(await o.errno('LinkAt', { dir: r.handle, name: enc('stolen'), oldDir: d.handle, oldName: enc('../../../outside/secret') }), Errno.EINVAL);
  t.notOk(fs.existsSync(path.join(outside, 'pwn')));
});

t.test('hard links stay inside the root', async (t) => {
  const r = await o.root();
  const out = await o.root('other');
  t.equal(await o.errno('LinkAt', { dir: r.handle, name: enc('stolen'), oldDir: out.handle, oldName: enc('secret') }), Errno.EXDEV, 'not across mounts');
  // Linking a symlink that points outside links the symlink itself.
  const l = await o.must('LinkAt', { dir: r.handle, name: enc('abs2'), oldDir: r.handle, oldName: enc('abs') });
  t.equal(l.child.stat.mode & S_IFMT, S_IFLNK);
  t.equal(l.child.stat.nlink, 2);
  t.equal(await o.errno('OpenAt', { handle: l.child.handle, flags: 0 }), Errno.ELOOP);
  t.equal(fs.statSync(path.join(outside, 'secret')).nlink, 1, 'the outside file got no new link');
});

t.test('a held directory handle keeps naming its directory after a swap', async (t) => {
  const r = await o.root();
  fs.mkdirSync(path.join(root, 'swap'));
  fs.writeFileSync(path.join(root, 'swap/secret'), 'inside');
  const held = await o.walk(r.handle, 'swap');
  const file = await o.walk(held.handle, 'secret');
  fs.renameSync(path.join(root, 'swap'), path.join(root, 'swap.old'));
  fs.symlinkSync(outside, path.join(root, 'swap'));
  t.equal(dec((await o.must('PRead', { fd: (await o.must('OpenAt', { handle: file.handle, flags: 0 })).fd, offset: 0, count: 100 })).data), 'inside');
  t.equal(await o.readAll((await o.walk(held.handle, 'secret')).handle), 'inside', 'walks from the held fd, not the name');
  const again = await o.must('Walk', { dir: r.handle, names: [enc('swap'), enc('secret')] });
  t.equal(again.status, WalkStatus.ComponentSymlink, 'a fresh walk sees the symlink and stops');
});

t.test('a symlink swapped for a directory in a loop never leaks the outside', async (t) => {
  const r = await o.root();
  fs.mkdirSync(path.join(root, 'race.dir'));
  fs.writeFileSync(path.join(root, 'race.dir/secret'), 'inside');
  fs.symlinkSync(outside, path.join(root, 'race.link'));
  // A separate process swaps `race` between the directory and the symlink as fast as it can.
  const swapper = spawn(process.execPath, ['-e', `
    const fs = require('fs'); const p = require('path'); const d = ${JSON.stringify(root)};
    const end = Date.now() + 3000;
    while (Date.now() < end) {
      for (const src of ['race.dir', 'race.link']) {
        try { fs.renameSync(p.join(d, src), p.join(d, 'race')); fs.renameSync(p.join(d, 'race'), p.join(d, src)); } catch {}
      }
    }`], { stdio: 'ignore' });
  const done = new Promise((res) => swapper.on('exit', res));
  const seen = { inside: 0, symlink: 0, missing: 0, errors: 0 };
  let stop = false;
  void done.then(() => { stop = true; });
  while (!stop) {
    const w = await o.call('Walk', { dir: r.handle, names: [enc('race'), enc('secret')] });
    if (!w.ok) { seen.errors++; continue; }
    const handles = w.value.inodes.map((i) => i.handle);
    if (w.value.status === WalkStatus.Success) {
      const h = w.value.inodes[1].handle;
      const op = await o.call('OpenAt', { handle: h, flags: 0 });
      if (op.ok) {
        const rd = await o.must('PRead', { fd: op.value.fd, offset: 0, count: 100 });
        if (dec(rd.data) !== 'inside') t.fail(`read ${JSON.stringify(dec(rd.data))} through the swapped name`);
        else seen.inside++;
        handles.push(op.value.fd);
      }
    } else if (w.value.status === WalkStatus.ComponentSymlink) {
      seen.symlink++;
      const op = await o.call('OpenAt', { handle: w.value.inodes[0].handle, flags: 0 });
      if (op.ok) t.fail('opened a symlink');
    } else seen.missing++;
    await o.must('Close', { handles });
  }
  await done;
  t.comment(`outcomes: ${JSON.stringify(seen)}`);
  t.ok(seen.inside + seen.symlink + seen.missing > 50, 'the loop ran');
  t.equal(fs.readFileSync(path.join(outside, 'secret'), 'utf8'), 'OUTSIDE');
});
