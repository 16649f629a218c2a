// devfs: the nodes, links and directories of /dev, and opening character devices by number
// (the same way for /dev's nodes and for nodes made by mknod anywhere).
import t from 'tap';
import { Errno } from '../../sentry/abi/errno.js';
import { DT_CHR, DT_DIR, DT_LNK, O_RDONLY, O_RDWR, O_WRONLY, type FileDescription } from '../../sentry/vfs/file.js';
import type { FsCreds, Inode } from '../../sentry/vfs/inode.js';
import { S_IFCHR, S_IFDIR, S_IFLNK, type Stat } from '../../sentry/vfs/stat.js';
import { DevFs, makedev, openDevice, type DeviceHost } from '../../sentry/vfs/fs/devfs.js';
import { TmpFs } from '../../sentry/vfs/fs/tmpfs.js';

const NOW = { sec: 1_700_000_000, nsec: 0 };
const dec = new TextDecoder();
const ROOT: FsCreds = { fsuid: 0, fsgid: 0, groups: [], caps: 2 ** 41 - 1 };

function host(extra: Partial<DeviceHost> = {}) {
  const logged: string[] = [];
  const h: DeviceHost = {
    randomBytes: (n) => new Uint8Array(n).fill(0xab),
    logOnce: (key, line) => { logged.push(`${key}: ${line}`); },
    ...extra,
  };
  return { h, logged };
}

async function child(dir: Inode, name: string): Promise<Inode> {
  const i = await dir.lookup(name);
  if (typeof i === 'number') throw new Error(`${name}: ${i}`);
  return i;
}

async function statOf(i: Inode): Promise<Stat> {
  const st = await i.stat();
  if (typeof st === 'number') throw new Error(`stat: ${st}`);
  return st;
}

async function open(rdev: number, flags: number, h: DeviceHost): Promise<FileDescription> {
  const f = await openDevice(rdev, flags, h);
  if (typeof f === 'number') throw new Error(`open ${rdev}: ${f}`);
  return f;
}

t.test('the nodes of /dev', async (t) => {
  const dev = new DevFs({ dev: 6, now: () => NOW });
  t.equal(dev.type, 'tmpfs');
  const root = await statOf(dev.root);
  t.equal(root.mode, S_IFDIR | 0o755);
  const expect: [string, number, number, number][] = [
    ['null', 1, 3, 0o666], ['zero', 1, 5, 0o666], ['full', 1, 7, 0o666], ['random', 1, 8, 0o666], ['urandom', 1, 9, 0o666],
    ['tty', 5, 0, 0o666], ['console', 5, 1, 0o600], ['ptmx', 5, 2, 0o666],
  ];
  for (const [name, maj, min, perm] of expect) {
    const st = await statOf(await child(dev.root, name));
    t.equal(st.mode, S_IFCHR | perm, `${name} mode`);
    t.equal(st.rdev, makedev(maj, min), `${name} rdev`);
    t.equal(st.uid, 0);
    t.equal(st.dev, 6);
  }
  const list = await dev.root.readdir();
  if (typeof list === 'number') throw new Error('readdir');
  const types = new Map(list.map((e) => [dec.decode(e.name), e.type]));
  t.same([...types.keys()].sort(), ['console', 'fd', 'full', 'null', 'ptmx', 'pts', 'random', 'shm', 'stderr', 'stdin', 'stdout', 'tty', 'urandom', 'zero']);
  t.equal(types.get('null'), DT_CHR);
  t.equal(types.get('fd'), DT_LNK);
  t.equal(types.get('shm'), DT_DIR);
});

t.test('links and directories', async (t) => {
  const dev = new DevFs({ dev: 6, now: () => NOW });
  const links: [string, string][] = [['fd', '/proc/self/fd'], ['stdin', '/proc/self/fd/0'], ['stdout', '/proc/self/fd/1'], ['stderr', '/proc/self/fd/2']];
  for (const [name, target] of links) {
    const l = await child(dev.root, name);
    t.equal(l.type, S_IFLNK);
    t.equal(await l.readlink(), target, name);
  }
  const pts = await child(dev.root, 'pts'), shm = await child(dev.root, 'shm');
  t.equal((await statOf(pts)).mode, S_IFDIR | 0o755);
  t.equal((await statOf(shm)).mode, S_IFDIR | 0o1777);
  t.same(await pts.readdir(), []);
  t.same(await shm.readdir(), []);
  t.type(await dev.root.create('log', 0o644, ROOT), 'object', '/dev is writable, as devtmpfs');
});

t.test('null, zero, full, random, urandom', async (t) => {
  const { h } = host();
  const buf = new Uint8Array(8).fill(7);
  const nul = await open(makedev(1, 3), O_RDWR, h);
  t.equal(await nul.read(buf, -1), 0, 'null reads end of file');
  t.equal(await nul.write(new Uint8Array(100), -1), 100, 'null swallows writes');
  const zero = await open(makedev(1, 5), O_RDWR, h);
  t.equal(await zero.read(buf, -1), 8);
  t.same([...buf], [0, 0, 0, 0, 0, 0, 0, 0]);
  t.equal(await zero.write(new Uint8Array(3), -1), 3);
  const full = await open(makedev(1, 7), O_RDWR, h);
  buf.fill(7);
  t.equal(await full.read(buf, -1), 8);
  t.same([...buf], [0, 0, 0, 0, 0, 0, 0, 0]);
  t.equal(await full.write(new Uint8Array(3), -1), -Errno.ENOSPC, 'full is full');
  for (const min of [8, 9]) {
    const r = await open(makedev(1, min), O_RDONLY, h);
    t.equal(await r.read(buf, -1), 8);
    t.same([...buf], Array(8).fill(0xab), 'bytes from the host source');
  }
  const st = await nul.stat();
  t.equal(typeof st !== 'number' && st.rdev, makedev(1, 3));
});

t.test('a node made by mknod in any tmpfs opens the same device', async (t) => {
  const { h } = host();
  const tmp = new TmpFs({ dev: 30, now: () => NOW });
  const node = tmp.root.mknod('mynull', S_IFCHR | 0o600, makedev(1, 3), ROOT);
  if (typeof node === 'number') throw new Error('mknod');
  const st = await statOf(node);
  const f = await openDevice(st.rdev, O_WRONLY, h, { path: '/tmp/mynull', stat: () => node.stat() });
  if (typeof f === 'number') throw new Error(`open: ${f}`);
  t.equal(f.path, '/tmp/mynull');
  t.equal(await f.write(new Uint8Array(5), -1), 5);
  t.equal(await f.read(new Uint8Array(5), -1), -Errno.EBADF, 'opened write-only');
  const fst = await f.stat();
  t.equal(typeof fst !== 'number' && fst.ino, st.ino, 'fstat shows the node');
  t.equal(typeof fst !== 'number' && fst.dev, 30);
});

t.test('unknown devices, tty, console, ptmx', async (t) => {
  const { h, logged } = host();
  t.equal(await openDevice(makedev(1, 1), O_RDWR, h), -Errno.ENXIO, '/dev/mem has no driver');
  t.equal(await openDevice(makedev(0, 0), O_RDWR, h), -Errno.ENXIO);
  t.equal(await openDevice(makedev(4, 1), O_RDWR, h), -Errno.ENXIO, 'no virtual consoles');
  t.equal(await openDevice(makedev(5, 0), O_RDWR, h), -Errno.ENXIO, 'no controlling terminal');
  t.equal(await openDevice(makedev(5, 1), O_RDWR, h), -Errno.ENXIO, 'no console');
  t.equal(await openDevice(makedev(5, 2), O_RDWR, h), -Errno.ENOSYS);
  t.same(logged, ['ptmx: ptmx: pseudo-terminals arrive with the terminal work']);

  const term = (await open(makedev(1, 3), O_RDWR, h));
  let askedFlags = -1;
  const withTty = host({
    controllingTerminal: (flags) => { askedFlags = flags; return term; },
    console: async () => term,
  }).h;
  t.equal(await openDevice(makedev(5, 0), O_RDWR, withTty), term, 'the terminal the callback supplies');
  t.equal(askedFlags, O_RDWR);
  t.equal(await openDevice(makedev(5, 1), O_RDONLY, withTty), term);
  const noTty = host({ controllingTerminal: () => null }).h;
  t.equal(await openDevice(makedev(5, 0), O_RDWR, noTty), -Errno.ENXIO);
});
