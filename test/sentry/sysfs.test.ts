// sysfs: the CPU list glibc reads, the cgroup mount point and the hugepage mode; read-only.
import t from 'tap';
import { Errno } from '../../sentry/abi/errno.js';
import { DT_DIR, DT_REG, O_RDONLY } from '../../sentry/vfs/file.js';
import type { Inode } from '../../sentry/vfs/inode.js';
import { S_IFDIR, S_IFREG, type Stat } from '../../sentry/vfs/stat.js';
import { SysFs } from '../../sentry/vfs/fs/sysfs.js';

const NOW = { sec: 1_700_000_000, nsec: 0 };
const dec = new TextDecoder();

async function walk(fs: SysFs, path: string): Promise<Inode | number> {
  let i: Inode = fs.root;
  for (const name of path.split('/').filter((c) => c !== '')) {
    const r = await i.lookup(name);
    if (typeof r === 'number') return r;
    i = r;
  }
  return i;
}

async function inode(fs: SysFs, path: string): Promise<Inode> {
  const i = await walk(fs, path);
  if (typeof i === 'number') throw new Error(`${path}: ${i}`);
  return i;
}

async function read(fs: SysFs, path: string): Promise<string> {
  const f = await (await inode(fs, path)).open(O_RDONLY, { fsuid: 0, fsgid: 0, groups: [], caps: 0 });
  if (f === null || typeof f === 'number') throw new Error(`${path}: ${f}`);
  const buf = new Uint8Array(256);
  const n = await f.read(buf, -1);
  if (typeof n !== 'number' || n < 0) throw new Error(`${path}: read ${n}`);
  return dec.decode(buf.subarray(0, n));
}

async function names(fs: SysFs, path: string): Promise<string[]> {
  const l = await (await inode(fs, path)).readdir();
  if (typeof l === 'number') throw new Error(`${path}: ${l}`);
  return l.map((e) => dec.decode(e.name));
}

async function statOf(fs: SysFs, path: string): Promise<Stat> {
  const st = await (await inode(fs, path)).stat();
  if (typeof st === 'number') throw new Error(`${path}: ${st}`);
  return st;
}

t.test('CPUs', async (t) => {
  const fs = new SysFs({ dev: 22, cpus: 4, now: () => NOW });
  t.equal(await read(fs, '/devices/system/cpu/online'), '0-3\n');
  t.equal(await read(fs, '/devices/system/cpu/possible'), '0-3\n');
  t.equal(await read(fs, '/devices/system/cpu/present'), '0-3\n');
  t.equal(await read(fs, '/devices/system/cpu/offline'), '\n');
  const cpu = await names(fs, '/devices/system/cpu');
  t.same(cpu.filter((n) => /^cpu\d+$/.test(n)), ['cpu0', 'cpu1', 'cpu2', 'cpu3']);
  t.equal((await statOf(fs, '/devices/system/cpu/cpu3')).mode, S_IFDIR | 0o755);
  t.equal(await walk(fs, '/devices/system/cpu/cpu4'), -Errno.ENOENT);

  const one = new SysFs({ dev: 22, cpus: 1, now: () => NOW });
  t.equal(await read(one, '/devices/system/cpu/online'), '0\n');
  t.same((await names(one, '/devices/system/cpu')).filter((n) => /^cpu\d+$/.test(n)), ['cpu0']);
});

t.test('cgroup, hugepages, the top level', async (t) => {
  const fs = new SysFs({ dev: 22, cpus: 2, now: () => NOW });
  t.same(await names(fs, '/fs/cgroup'), []);
  t.equal(await read(fs, '/kernel/mm/transparent_hugepage/enabled'), 'always [madvise] never\n');
  t.same(await names(fs, '/'), ['block', 'bus', 'class', 'dev', 'devices', 'firmware', 'fs', 'kernel', 'module', 'power']);
  const list = await (await inode(fs, '/devices/system/cpu')).readdir();
  if (typeof list === 'number') throw new Error('readdir');
  t.equal(list.find((e) => dec.decode(e.name) === 'online')?.type, DT_REG);
  t.equal(list.find((e) => dec.decode(e.name) === 'cpu0')?.type, DT_DIR);
});

t.test('attributes and refusals', async (t) => {
  const fs = new SysFs({ dev: 22, cpus: 2, now: () => NOW });
  t.equal(fs.type, 'sysfs');
  t.equal(fs.readOnly, true);
  const st = await statOf(fs, '/devices/system/cpu/online');
  t.equal(st.mode, S_IFREG | 0o444);
  t.equal(st.size, 4096, 'sysfs attributes show a page as their size');
  t.equal(st.dev, 22);
  t.equal((await statOf(fs, '/kernel/mm/transparent_hugepage/enabled')).mode, S_IFREG | 0o644);
  const root = await statOf(fs, '/');
  t.equal(root.mode, S_IFDIR | 0o755);
  t.equal(root.nlink, 12);
  const a = await inode(fs, '/devices/system/cpu/online'), b = await inode(fs, '/devices/system/cpu/online');
  t.equal(a.ino, b.ino);
  t.not(a.ino, (await inode(fs, '/devices/system/cpu/possible')).ino);
  t.equal(await a.write(new Uint8Array(1), 0), -Errno.EACCES);
  t.equal(await fs.root.mkdir('x', 0o755, { fsuid: 0, fsgid: 0, groups: [], caps: 0 }), -Errno.EPERM);
  const f = await a.open(O_RDONLY, { fsuid: 0, fsgid: 0, groups: [], caps: 0 });
  t.equal(f !== null && typeof f !== 'number' && f.path, '/sys/devices/system/cpu/online');
});
