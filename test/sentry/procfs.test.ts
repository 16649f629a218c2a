// procfs over a fake ProcSource: the exact text of every file (Linux 6.1 formats), magic links
// (readlink and jump), listings with stable inode numbers, fdinfo, and the errors of missing tasks.
import t from 'tap';
import { Errno } from '../../sentry/abi/errno.js';
import { Mount, MountNamespace, type Dentry, type Location } from '../../sentry/vfs/dentry.js';
import {
  DT_DIR, DT_LNK, DT_REG, O_APPEND, O_LARGEFILE, O_RDONLY, O_WRONLY, type FileDescription,
} from '../../sentry/vfs/file.js';
import type { FsCreds, Inode } from '../../sentry/vfs/inode.js';
import { InodeFile } from '../../sentry/vfs/inode_file.js';
import { S_IFDIR, S_IFLNK, S_IFMT, S_IFREG, type Stat } from '../../sentry/vfs/stat.js';
import { makedev } from '../../sentry/vfs/fs/devfs.js';
import type { ProcCaller, ProcMount, ProcRlimit, ProcSource, ProcTask } from '../../sentry/vfs/fs/proc_source.js';
import { ProcFs } from '../../sentry/vfs/fs/procfs.js';
import { TmpFs } from '../../sentry/vfs/fs/tmpfs.js';

const ROOT: FsCreds = { fsuid: 0, fsgid: 0, groups: [], caps: 2 ** 41 - 1 };
const NOW = { sec: 1_700_000_000, nsec: 0 };
const KiB = 1024;
const dec = new TextDecoder();
const enc = new TextEncoder();

// --- a small file tree for the locations tasks point at ----------------------------------------

function tree() {
  const tmp = new TmpFs({ dev: 100, now: () => NOW });
  const rootMount = new Mount(tmp, null, 0, 'tmpfs');
  const ns = new MountNamespace(rootMount);
  const root: Location = ns.rootLocation;
  /** Makes `path` (directories along the way, a file at the end unless `dir`). */
  const make = (path: string, dir = false): Location => {
    let d: Dentry = root.dentry;
    const parts = path.split('/').filter((c) => c !== '');
    parts.forEach((name, i) => {
      const existing = d.cached(name);
      if (existing) { d = existing; return; }
      const isDir = dir || i < parts.length - 1;
      const made = isDir ? d.inode.mkdir(name, 0o755, ROOT) : d.inode.create(name, 0o644, ROOT);
      if (typeof made === 'number' || made instanceof Promise) throw new Error(`cannot make ${path}`);
      d = d.addChild(name, made);
    });
    return { mount: rootMount, dentry: d };
  };
  return { tmp, ns, root, rootMount, make };
}

/** A pipe-like description: no place in the file tree. */
function fakePipe(): FileDescription {
  const st: Stat = {
    dev: 9, ino: 7, mode: 0o010600, nlink: 1, uid: 1000, gid: 1000, rdev: 0, size: 0, blksize: 4096, blocks: 0,
    atime: NOW, mtime: NOW, ctime: NOW,
  };
  return {
    flags: O_RDONLY, path: 'pipe:[7]',
    read: () => 0, write: (s) => s.length, seek: () => -Errno.ESPIPE, stat: () => st,
    ioctl: () => -Errno.ENOTTY, readdir: () => -Errno.ENOTDIR, release: () => undefined,
  };
}

const HOST_RLIMITS: ProcRlimit[] = [
  [Infinity, Infinity], [Infinity, Infinity], [Infinity, Infinity], [8388608, Infinity], [0, Infinity],
  [Infinity, Infinity], [96365, 96365], [20000, 20000], [8388608, 8388608], [Infinity, Infinity],
  [Infinity, Infinity], [96365, 96365], [819200, 819200], [0, 0], [0, 0], [Infinity, Infinity],
].map(([soft, hard]) => ({ soft, hard }));

const MOUNTS: ProcMount[] = [
  { id: 1, parentId: 0, dev: makedev(0, 100), root: '/', mountPoint: '/', mountOptions: 'rw,relatime', optionalFields: '', fsType: 'tmpfs', source: 'none', superOptions: 'rw,mode=755' },
  { id: 2, parentId: 1, dev: makedev(0, 21), root: '/', mountPoint: '/proc', mountOptions: 'rw,nosuid,nodev,noexec,relatime', optionalFields: '', fsType: 'proc', source: 'proc', superOptions: 'rw' },
  { id: 3, parentId: 1, dev: makedev(0, 30), root: '/', mountPoint: '/home/my dir', mountOptions: 'ro,relatime', optionalFields: 'shared:1', fsType: '9p', source: 'host files', superOptions: 'rw,trans=fd' },
];

function setup() {
  const fsTree = tree();
  const { root, make } = fsTree;
  const exe = make('/bin/sh');
  const cwd = make('/home/user', true);
  const out = new InodeFile(make('/home/user/out.txt'), O_WRONLY | O_APPEND, root);
  const passwd = new InodeFile(make('/etc/passwd'), O_RDONLY | O_LARGEFILE, root);
  const pipe = fakePipe();

  const leader: ProcTask = {
    tid: 42, tgid: 42, ppid: 1, pgid: 42, sid: 1, ttyNr: 0, ttyPgid: -1, comm: 'worker', state: 'S',
    uid: { real: 1000, effective: 1000, saved: 1000, fs: 1000 }, gid: { real: 1000, effective: 1000, saved: 1000, fs: 1000 },
    groups: [1000, 27], umask: 0o022, nice: 0, startTime: 1234, exitSignal: 17, exitCode: 0,
    cpu: { user: 5, system: 3 }, groupCpu: { user: 12, system: 7 }, childrenCpu: { user: 1, system: 2 },
    faults: { minor: 100, major: 2, childMinor: 10, childMajor: 0 },
    signals: { pending: 0n, sharedPending: 0x2000n, blocked: 0x2n, ignored: 0x1000n, caught: 0x100010000n, queued: 0, queueLimit: 63432 },
    caps: { inheritable: 0n, permitted: 0n, effective: 0n, bounding: 0x1ffffffffffn, ambient: 0n },
    noNewPrivs: false, seccompMode: 0, seccompFilters: 0, contextSwitches: { voluntary: 3, involuntary: 1 },
    tids: () => [42, 43],
    cmdline: () => enc.encode('worker\0--fast\0'),
    environ: () => enc.encode('HOME=/home/user\0'),
    auxv: () => new Uint8Array([6, 0, 0, 0, 0, 0, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0]),
    exe: () => exe, cwd: () => cwd, root: () => root,
    fds: () => [{ fd: 0, file: pipe, cloexec: false }, { fd: 1, file: out, cloexec: false }, { fd: 3, file: passwd, cloexec: true }],
    memory: () => ({
      vmPeak: 3060 * KiB, vmSize: 3060 * KiB, vmLocked: 0, vmPinned: 0, vmHWM: 1612 * KiB, vmRSS: 1612 * KiB,
      rssAnon: 112 * KiB, rssFile: 1500 * KiB, rssShmem: 0, vmData: 360 * KiB, vmStack: 132 * KiB, vmExe: 20 * KiB,
      vmLib: 1528 * KiB, vmPTE: 52 * KiB, vmSwap: 0,
      startCode: 0x400000, endCode: 0x404e00, startData: 0x405e10, endData: 0x406210, startBrk: 0x4b5000,
      startStack: 0x7ffd1000, argStart: 0x7ffd2000, argEnd: 0x7ffd200e, envStart: 0x7ffd200e, envEnd: 0x7ffd201e,
    }),
    maps: () => [
      { start: 0x555e93017000, end: 0x555e93038000, perms: 'rw-p', offset: 0, dev: 0, inode: 0, name: '[heap]', rss: 16 * KiB, anonymous: 16 * KiB },
      { start: 0x557a49178000, end: 0x557a4917a000, perms: 'r--p', offset: 0, dev: makedev(0xfe, 0), inode: 260386, name: '/usr/bin/head', rss: 8 * KiB, anonymous: 0 },
      { start: 0x557a4917a000, end: 0x557a49180000, perms: 'r-xp', offset: 0x2000, dev: makedev(0xfe, 0), inode: 260386, name: '/usr/bin/head', rss: 24 * KiB, anonymous: 0 },
      { start: 0x7ff63e35d000, end: 0x7ff63e360000, perms: 'rw-p', offset: 0, dev: 0, inode: 0, name: '', rss: 4 * KiB, anonymous: 4 * KiB },
    ],
    mounts: () => MOUNTS,
    rlimits: () => HOST_RLIMITS,
  };
  const thread: ProcTask = { ...leader, tid: 43, comm: 'worker-io', state: 'R', exitSignal: -1, cpu: { user: 7, system: 4 } };
  const zombie: ProcTask = {
    ...leader, tid: 50, tgid: 50, ppid: 42, pgid: 42, comm: 'gone', state: 'Z', exitCode: 256, tids: () => [50],
    exe: () => null, cwd: () => null, root: () => null, fds: () => [], memory: () => null, maps: () => [],
    cmdline: () => new Uint8Array(0),
  };
  const tasks = new Map<number, ProcTask>([[42, leader], [43, thread], [50, zombie]]);
  let caller: ProcCaller | null = { pid: 42, tid: 43, root };

  const source: ProcSource = {
    pids: () => [...tasks.values()].filter((x) => x.tid === x.tgid).map((x) => x.tid).sort((a, b) => a - b),
    task: (tid) => tasks.get(tid) ?? null,
    caller: () => caller,
    now: () => NOW,
    uptime: () => ({ up: 1090765, idle: 644671 }),
    meminfo: () => ({
      total: 24684084 * KiB, free: 24272660 * KiB, available: 24296176 * KiB, buffers: 1396 * KiB, cached: 163324 * KiB,
      shmem: 8872 * KiB, anon: 9220 * KiB, mapped: 10712 * KiB, commitLimit: 12342040 * KiB, committed: 55160 * KiB,
    }),
    loadavg: () => ({ load1: 0.1, load5: 1.61, load15: 2.61, running: 1, total: 83, lastPid: 14529 }),
    cpuinfo: () => 'processor\t: 0\nvendor_id\t: TsvisorCPU\n\n',
    stat: () => ({
      cpus: [
        { user: 735597, nice: 0, system: 48676, idle: 301901, iowait: 467, irq: 0, softirq: 135, steal: 166, guest: 0, guestNice: 0 },
        { user: 692697, nice: 0, system: 49741, idle: 342770, iowait: 1036, irq: 0, softirq: 475, steal: 129, guest: 0, guestNice: 0 },
      ],
      interrupts: 8750008, contextSwitches: 41182653, bootTime: 1795570617, processes: 176817, running: 1, blocked: 0,
    }),
    uts: () => ({ sysname: 'Linux', hostname: 'box', domainname: '(none)', release: '6.1.0-tsvisor', version: '#1 SMP PREEMPT_DYNAMIC' }),
    filesystems: () => [{ name: 'sysfs', nodev: true }, { name: 'tmpfs', nodev: true }, { name: 'ext4', nodev: false }],
    cpus: 2,
    pidMax: 4194304,
  };
  const proc = new ProcFs(source, { dev: 21 });
  return {
    proc, source, tasks, fsTree, exe, cwd, out, passwd, pipe,
    setCaller: (c: ProcCaller | null) => { caller = c; },
  };
}

// --- helpers ---------------------------------------------------------------------------------

async function walk(proc: ProcFs, path: string): Promise<Inode | number> {
  let i: Inode = proc.root;
  for (const name of path.split('/').filter((c) => c !== '')) {
    const r = await i.lookup(name);
    if (typeof r === 'number') return r;
    i = r;
  }
  return i;
}

async function inode(proc: ProcFs, path: string): Promise<Inode> {
  const i = await walk(proc, path);
  if (typeof i === 'number') throw new Error(`${path}: ${i}`);
  return i;
}

async function openFile(proc: ProcFs, path: string): Promise<FileDescription> {
  const f = await (await inode(proc, path)).open(O_RDONLY, ROOT);
  if (f === null || typeof f === 'number') throw new Error(`${path}: open gave ${f}`);
  return f;
}

/** Reads a whole file in small pieces (proc files must read at any offset). */
async function readBytes(proc: ProcFs, path: string): Promise<Uint8Array> {
  const f = await openFile(proc, path);
  const parts: number[] = [];
  const buf = new Uint8Array(7);
  for (;;) {
    const n = await f.read(buf, -1);
    if (typeof n !== 'number' || n < 0) throw new Error(`${path}: read ${n}`);
    if (n === 0) break;
    parts.push(...buf.subarray(0, n));
  }
  return new Uint8Array(parts);
}

async function read(proc: ProcFs, path: string): Promise<string> { return dec.decode(await readBytes(proc, path)); }

async function names(proc: ProcFs, path: string): Promise<string[]> {
  const list = await (await inode(proc, path)).readdir();
  if (typeof list === 'number') throw new Error(`${path}: readdir ${list}`);
  return list.map((e) => dec.decode(e.name));
}

async function statOf(proc: ProcFs, path: string): Promise<Stat> {
  const st = await (await inode(proc, path)).stat();
  if (typeof st === 'number') throw new Error(`${path}: stat ${st}`);
  return st;
}

const lines = (...l: string[]) => l.map((x) => x + '\n').join('');

// --- per-process files -----------------------------------------------------------------------

t.test('status', async (t) => {
  const { proc } = setup();
  const mems = [...Array(31).fill('00000000'), '00000001'].join(',');
  t.equal(await read(proc, '/42/status'), lines(
    'Name:\tworker', 'Umask:\t0022', 'State:\tS (sleeping)', 'Tgid:\t42', 'Ngid:\t0', 'Pid:\t42', 'PPid:\t1', 'TracerPid:\t0',
    'Uid:\t1000\t1000\t1000\t1000', 'Gid:\t1000\t1000\t1000\t1000', 'FDSize:\t64', 'Groups:\t1000 27 ',
    'NStgid:\t42', 'NSpid:\t42', 'NSpgid:\t42', 'NSsid:\t1',
    'VmPeak:\t    3060 kB', 'VmSize:\t    3060 kB', 'VmLck:\t       0 kB', 'VmPin:\t       0 kB', 'VmHWM:\t    1612 kB',
    'VmRSS:\t    1612 kB', 'RssAnon:\t     112 kB', 'RssFile:\t    1500 kB', 'RssShmem:\t       0 kB', 'VmData:\t     360 kB',
    'VmStk:\t     132 kB', 'VmExe:\t      20 kB', 'VmLib:\t    1528 kB', 'VmPTE:\t      52 kB', 'VmSwap:\t       0 kB',
    'HugetlbPages:\t       0 kB', 'CoreDumping:\t0', 'THP_enabled:\t1',
    'Threads:\t2', 'SigQ:\t0/63432', 'SigPnd:\t0000000000000000', 'ShdPnd:\t0000000000002000', 'SigBlk:\t0000000000000002',
    'SigIgn:\t0000000000001000', 'SigCgt:\t0000000100010000',
    'CapInh:\t0000000000000000', 'CapPrm:\t0000000000000000', 'CapEff:\t0000000000000000', 'CapBnd:\t000001ffffffffff',
    'CapAmb:\t0000000000000000', 'NoNewPrivs:\t0', 'Seccomp:\t0', 'Seccomp_filters:\t0',
    'Speculation_Store_Bypass:\tnot vulnerable', 'SpeculationIndirectBranch:\tnot affected',
    'Cpus_allowed:\t3', 'Cpus_allowed_list:\t0-1', `Mems_allowed:\t${mems}`, 'Mems_allowed_list:\t0',
    'voluntary_ctxt_switches:\t3', 'nonvoluntary_ctxt_switches:\t1',
  ));
  const thread = await read(proc, '/42/task/43/status');
  t.match(thread, /^Name:\tworker-io\n/);
  t.match(thread, /\nState:\tR \(running\)\nTgid:\t42\nNgid:\t0\nPid:\t43\n/);
  const zombie = await read(proc, '/50/status');
  t.match(zombie, /\nState:\tZ \(zombie\)\n/);
  t.notMatch(zombie, /VmSize/, 'a zombie has no memory lines');
});

t.test('stat: 52 fields in order, process and thread views', async (t) => {
  const { proc } = setup();
  const whole = await read(proc, '/42/stat');
  t.equal(whole, '42 (worker) S 1 42 1 0 -1 0 100 10 2 0 12 7 1 2 20 0 2 0 1234 3133440 403 18446744073709551615 '
    + '4194304 4214272 2147291136 0 0 0 2 4096 65536 0 0 0 17 0 0 0 0 0 0 '
    + '4218384 4219408 4935680 2147295232 2147295246 2147295246 2147295262 0\n');
  t.equal(whole.trim().split(' ').length, 52);
  const thread = await read(proc, '/42/task/43/stat');
  t.match(thread, /^43 \(worker-io\) R 1 42 1 0 -1 0 100 10 2 0 7 4 1 2 20 0 2 0 1234 /);
  t.match(thread, / 0 0 0 -1 0 0 0 0 0 0 4218384 /, 'wchan 0 (running), exit_signal -1');
  const sleeper = await read(proc, '/42/task/42/stat');
  t.match(sleeper, / 65536 1 0 0 17 /, 'a sleeping thread shows wchan 1');
  t.equal(await read(proc, '/50/stat'), '50 (gone) Z 42 42 1 0 -1 0 100 10 2 0 12 7 1 2 20 0 1 0 1234 0 0 '
    + '18446744073709551615 0 0 0 0 0 0 2 4096 65536 1 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 256\n');
});

t.test('statm, cmdline, environ, comm, auxv, cgroup', async (t) => {
  const { proc } = setup();
  t.equal(await read(proc, '/42/statm'), '765 403 375 5 0 123 0\n');
  t.equal(await read(proc, '/50/statm'), '0 0 0 0 0 0 0\n');
  t.equal(await read(proc, '/42/cmdline'), 'worker\0--fast\0');
  t.equal(await read(proc, '/50/cmdline'), '');
  t.equal(await read(proc, '/42/environ'), 'HOME=/home/user\0');
  t.equal(await read(proc, '/42/comm'), 'worker\n');
  t.equal(await read(proc, '/42/task/43/comm'), 'worker-io\n');
  t.same([...await readBytes(proc, '/42/auxv')], [6, 0, 0, 0, 0, 0, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0]);
  t.equal(await read(proc, '/42/cgroup'), '0::/\n');
  t.equal(await read(proc, '/42/oom_score_adj'), '0\n');
});

t.test('maps and smaps', async (t) => {
  const { proc } = setup();
  t.equal(await read(proc, '/42/maps'), lines(
    '555e93017000-555e93038000 rw-p 00000000 00:00 0                          [heap]',
    '557a49178000-557a4917a000 r--p 00000000 fe:00 260386                     /usr/bin/head',
    '557a4917a000-557a49180000 r-xp 00002000 fe:00 260386                     /usr/bin/head',
    '7ff63e35d000-7ff63e360000 rw-p 00000000 00:00 0 ',
  ));
  const smaps = await read(proc, '/42/smaps');
  const heap = lines(
    '555e93017000-555e93038000 rw-p 00000000 00:00 0                          [heap]',
    'Size:                132 kB', 'KernelPageSize:        4 kB', 'MMUPageSize:           4 kB',
    'Rss:                  16 kB', 'Pss:                  16 kB', 'Pss_Dirty:            16 kB',
    'Shared_Clean:          0 kB', 'Shared_Dirty:          0 kB', 'Private_Clean:         0 kB', 'Private_Dirty:        16 kB',
    'Referenced:           16 kB', 'Anonymous:            16 kB', 'LazyFree:              0 kB', 'AnonHugePages:         0 kB',
    'ShmemPmdMapped:        0 kB', 'FilePmdMapped:         0 kB', 'Shared_Hugetlb:        0 kB', 'Private_Hugetlb:       0 kB',
    'Swap:                  0 kB', 'SwapPss:               0 kB', 'Locked:                0 kB', 'THPeligible:    0',
    'VmFlags: rd wr mr mw me ac ',
  );
  t.ok(smaps.startsWith(heap), 'the heap block is exact');
  const blocks = smaps.split(/(?=^[0-9a-f]+-[0-9a-f]+ )/m);
  t.equal(blocks.length, 4);
  t.match(blocks[2], /\nPrivate_Clean:        24 kB\n/);
  t.match(blocks[2], /\nAnonymous:             0 kB\n/);
  t.match(blocks[2], /\nVmFlags: rd ex mr mw me \n$/);
  t.match(blocks[3], /^7ff63e35d000-7ff63e360000 rw-p 00000000 00:00 0 \nSize:                 12 kB\n/);
});

t.test('mounts and mountinfo', async (t) => {
  const { proc } = setup();
  const mounts = lines(
    'none / tmpfs rw,relatime,mode=755 0 0',
    'proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0',
    'host\\040files /home/my\\040dir 9p ro,relatime,trans=fd 0 0',
  );
  t.equal(await read(proc, '/42/mounts'), mounts);
  t.equal(await read(proc, '/42/mountinfo'), lines(
    '1 0 0:100 / / rw,relatime - tmpfs none rw,mode=755',
    '2 1 0:21 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw',
    '3 1 0:30 / /home/my\\040dir ro,relatime shared:1 - 9p host\\040files rw,trans=fd',
  ));
  const link = await inode(proc, '/mounts');
  t.equal(await link.readlink(), 'self/mounts');
  t.equal((await statOf(proc, '/mounts')).size, 11);
});

t.test('limits', async (t) => {
  const { proc } = setup();
  t.equal(await read(proc, '/42/limits'), lines(
    'Limit                     Soft Limit           Hard Limit           Units     ',
    'Max cpu time              unlimited            unlimited            seconds   ',
    'Max file size             unlimited            unlimited            bytes     ',
    'Max data size             unlimited            unlimited            bytes     ',
    'Max stack size            8388608              unlimited            bytes     ',
    'Max core file size        0                    unlimited            bytes     ',
    'Max resident set          unlimited            unlimited            bytes     ',
    'Max processes             96365                96365                processes ',
    'Max open files            20000                20000                files     ',
    'Max locked memory         8388608              8388608              bytes     ',
    'Max address space         unlimited            unlimited            bytes     ',
    'Max file locks            unlimited            unlimited            locks     ',
    'Max pending signals       96365                96365                signals   ',
    'Max msgqueue size         819200               819200               bytes     ',
    'Max nice priority         0                    0                    ',
    'Max realtime priority     0                    0                    ',
    'Max realtime timeout      unlimited            unlimited            us        ',
  ));
});

// --- links -----------------------------------------------------------------------------------

t.test('exe, cwd, root: readlink from the caller root, jump to the location', async (t) => {
  const { proc, exe, cwd, fsTree, setCaller } = setup();
  const link = await inode(proc, '/42/exe');
  t.equal(link.type, S_IFLNK);
  t.equal(await link.readlink(), '/bin/sh');
  t.equal(await link.jump(), exe);
  t.equal(await (await inode(proc, '/42/cwd')).readlink(), '/home/user');
  t.equal(await (await inode(proc, '/42/cwd')).jump(), cwd);
  t.equal(await (await inode(proc, '/42/root')).readlink(), '/');
  t.equal(await (await inode(proc, '/42/root')).jump(), fsTree.root);
  const st = await statOf(proc, '/42/exe');
  t.equal(st.mode, S_IFLNK | 0o777);
  t.equal(st.uid, 1000);

  // A caller chrooted into /home sees the cwd from there.
  setCaller({ pid: 42, tid: 42, root: fsTree.make('/home', true) });
  t.equal(await (await inode(proc, '/42/cwd')).readlink(), '/user');
  // Without a caller, paths are shown from the top of the mount tree.
  setCaller(null);
  t.equal(await (await inode(proc, '/42/exe')).readlink(), '/bin/sh');

  const gone = await inode(proc, '/50/exe');
  t.equal(await gone.readlink(), -Errno.ENOENT, 'a zombie has no exe');
  t.equal(await gone.jump(), -Errno.ENOENT);
});

t.test('self and thread-self follow the caller', async (t) => {
  const { proc, setCaller, fsTree } = setup();
  t.equal(await (await inode(proc, '/self')).readlink(), '42');
  t.equal(await (await inode(proc, '/thread-self')).readlink(), '42/task/43');
  t.equal(await (await inode(proc, '/self')).jump(), null, 'an ordinary symlink');
  setCaller({ pid: 50, tid: 50, root: fsTree.root });
  t.equal(await (await inode(proc, '/self')).readlink(), '50');
  setCaller(null);
  t.equal(await (await inode(proc, '/self')).readlink(), -Errno.ENOENT);
  t.equal((await statOf(proc, '/self')).mode, S_IFLNK | 0o777);
});

t.test('fd links: text like Linux, jump to the description', async (t) => {
  const { proc, out, passwd, pipe } = setup();
  t.same(await names(proc, '/42/fd'), ['0', '1', '3']);
  t.equal(await (await inode(proc, '/42/fd/0')).readlink(), 'pipe:[7]');
  t.equal(await (await inode(proc, '/42/fd/1')).readlink(), '/home/user/out.txt');
  t.equal(await (await inode(proc, '/42/fd/3')).readlink(), '/etc/passwd');
  t.equal(await (await inode(proc, '/42/fd/1')).jump(), out.location, 'an InodeFile is reached at its location');
  t.equal(await (await inode(proc, '/42/fd/3')).jump(), passwd.location);
  t.equal(await walk(proc, '/42/fd/2'), -Errno.ENOENT);

  // A pipe has no location: the link jumps to a place whose inode opens the same description.
  const loc = await (await inode(proc, '/42/fd/0')).jump();
  if (loc === null || typeof loc === 'number') throw new Error('no jump');
  t.equal(await loc.dentry.inode.open(O_RDONLY, ROOT), pipe);
  const st = await loc.dentry.inode.stat();
  t.equal(typeof st !== 'number' && st.ino, 7);
  t.equal(loc.dentry.inode.type, 0o010000, 'a FIFO');

  const r = await statOf(proc, '/42/fd/0'), w = await statOf(proc, '/42/fd/1');
  t.equal(r.mode, S_IFLNK | 0o500, 'lr-x------ for reading');
  t.equal(w.mode, S_IFLNK | 0o300, 'l-wx------ for writing');
  t.equal(r.size, 64);
  t.equal((await statOf(proc, '/42/fd')).mode, S_IFDIR | 0o500);
});

t.test('fdinfo', async (t) => {
  const { proc, out, passwd, fsTree } = setup();
  await out.write(enc.encode('hello'), -1);
  const outIno = out.inode.ino, pwIno = passwd.inode.ino, mnt = fsTree.rootMount.id;
  t.same(await names(proc, '/42/fdinfo'), ['0', '1', '3']);
  t.equal(await read(proc, '/42/fdinfo/1'), `pos:\t5\nflags:\t02001\nmnt_id:\t${mnt}\nino:\t${outIno}\n`);
  t.equal(await read(proc, '/42/fdinfo/3'), `pos:\t0\nflags:\t02100000\nmnt_id:\t${mnt}\nino:\t${pwIno}\n`, 'close-on-exec shows as O_CLOEXEC');
  t.equal(await read(proc, '/42/fdinfo/0'), 'pos:\t0\nflags:\t00\nmnt_id:\t0\nino:\t7\n');
  t.equal((await statOf(proc, '/42/fdinfo/0')).mode, S_IFREG | 0o444);
});

// --- directories -----------------------------------------------------------------------------

const TASK_ENTRIES = ['task', 'fd', 'fdinfo', 'environ', 'auxv', 'status', 'limits', 'comm', 'cmdline', 'stat', 'statm',
  'maps', 'cwd', 'root', 'exe', 'mounts', 'mountinfo', 'smaps', 'cgroup', 'oom_score_adj'];

t.test('listings with types and stable inode numbers', async (t) => {
  const { proc } = setup();
  t.same(await names(proc, '/'), ['sys', 'stat', 'mounts', 'uptime', 'cpuinfo', 'loadavg', 'meminfo', 'version',
    'filesystems', 'self', 'thread-self', '42', '50'], 'threads are not listed, only processes');
  t.same(await names(proc, '/42'), TASK_ENTRIES);
  t.same(await names(proc, '/42/task'), ['42', '43']);
  t.same(await names(proc, '/42/task/43'), TASK_ENTRIES.slice(1), 'a thread has no task directory');
  t.same(await names(proc, '/sys'), ['fs', 'kernel', 'vm']);

  const list = await (await inode(proc, '/42')).readdir();
  if (typeof list === 'number') throw new Error('readdir');
  const type = (n: string) => list.find((e) => dec.decode(e.name) === n)?.type;
  t.equal(type('task'), DT_DIR);
  t.equal(type('fd'), DT_DIR);
  t.equal(type('exe'), DT_LNK);
  t.equal(type('status'), DT_REG);
  const inos = list.map((e) => e.ino);
  t.equal(new Set(inos).size, inos.length, 'inode numbers differ');
  t.equal(list.find((e) => dec.decode(e.name) === 'status')?.ino, (await inode(proc, '/42/status')).ino, 'listing and lookup agree');
  t.equal((await inode(proc, '/42/status')).ino, (await inode(proc, '/42/status')).ino, 'stable across lookups');
  t.not((await inode(proc, '/42/status')).ino, (await inode(proc, '/42/task/42/status')).ino, 'process and thread views differ');
  t.not((await inode(proc, '/42/fd/1')).ino, (await inode(proc, '/42/fdinfo/1')).ino);

  const root = await (await inode(proc, '/')).readdir();
  if (typeof root === 'number') throw new Error('readdir');
  t.equal(root.find((e) => dec.decode(e.name) === 'self')?.type, DT_LNK);
  t.equal(root.find((e) => dec.decode(e.name) === '42')?.type, DT_DIR);
});

t.test('attributes', async (t) => {
  const { proc } = setup();
  const dir = await statOf(proc, '/42');
  t.equal(dir.mode, S_IFDIR | 0o555);
  t.equal(dir.uid, 1000);
  t.equal(dir.gid, 1000);
  t.equal(dir.nlink, 5, 'task, fd, fdinfo and the two dots');
  t.equal(dir.dev, 21);
  const status = await statOf(proc, '/42/status');
  t.equal(status.mode, S_IFREG | 0o444);
  t.equal(status.size, 0);
  t.equal(status.uid, 1000);
  t.equal(status.blksize, 1024);
  t.same(status.mtime, NOW);
  t.equal((await statOf(proc, '/42/environ')).mode, S_IFREG | 0o400);
  t.equal((await statOf(proc, '/42/comm')).mode, S_IFREG | 0o644);
  const root = await statOf(proc, '/');
  t.equal(root.mode, S_IFDIR | 0o555);
  t.equal(root.nlink, 2 + 1 + 2, 'sys and one per process');
  t.equal((await statOf(proc, '/meminfo')).uid, 0);
  t.equal(proc.type, 'proc');
  t.equal(proc.cacheable, false);
});

t.test('missing tasks and names', async (t) => {
  const { proc, tasks } = setup();
  t.equal(await walk(proc, '/99'), -Errno.ENOENT);
  t.equal(await walk(proc, '/042'), -Errno.ENOENT, 'no leading zeros');
  t.equal(await walk(proc, '/42/nope'), -Errno.ENOENT);
  t.equal(await walk(proc, '/42/task/50'), -Errno.ENOENT, 'not a thread of 42');
  t.equal(await walk(proc, '/nope'), -Errno.ENOENT);
  t.equal((await inode(proc, '/43')).isDir, true, 'a thread is found by its tid (proc_pid_lookup)');
  t.equal(await read(proc, '/43/comm'), 'worker-io\n');

  const status = await inode(proc, '/42/status');
  const dir = await inode(proc, '/42');
  tasks.delete(42);
  t.equal(await status.open(O_RDONLY, ROOT), -Errno.ESRCH, 'the task went away');
  t.equal(await dir.lookup('status'), -Errno.ENOENT);
  t.equal(await dir.readdir(), -Errno.ENOENT);
  t.equal(await walk(proc, '/42'), -Errno.ENOENT);
});

t.test('open files: snapshot, offsets, seek, writes refused', async (t) => {
  const { proc } = setup();
  const f = await openFile(proc, '/42/comm');
  t.equal(f.path, '/proc/42/comm');
  const buf = new Uint8Array(3);
  t.equal(await f.read(buf, 2), 3);
  t.equal(dec.decode(buf), 'rke');
  t.equal(await f.read(buf, 100), 0, 'beyond the end');
  t.equal(await f.seek(4, 0), 4);
  t.equal(await f.read(buf, -1), 3);
  t.equal(dec.decode(buf), 'er\n');
  t.equal(await f.seek(-1, 1), 6);
  t.equal(await f.seek(0, 2), -Errno.EINVAL, 'seq_lseek has no SEEK_END');
  t.equal(await f.seek(-10, 0), -Errno.EINVAL);
  t.equal(await f.write(enc.encode('x'), -1), -Errno.EBADF);
  const status = await inode(proc, '/42/status');
  t.equal(await status.write(enc.encode('x'), 0), -Errno.EACCES);
  t.equal(await status.setattr({ mode: 0o777 }), -Errno.EPERM);
  t.equal(await (await inode(proc, '/42')).open(O_RDONLY, ROOT), null, 'directories use the generic description');
  // Inode-level reads (the generic description's path) see the same text.
  const b = new Uint8Array(64);
  const n = await status.read(b, 0);
  t.equal(dec.decode(b.subarray(0, n as number)).slice(0, 12), 'Name:\tworker');
});

// --- system files ----------------------------------------------------------------------------

t.test('uptime, loadavg, version, stat, filesystems, cpuinfo', async (t) => {
  const { proc } = setup();
  t.equal(await read(proc, '/uptime'), '10907.65 6446.71\n');
  t.equal(await read(proc, '/loadavg'), '0.10 1.61 2.61 1/83 14529\n');
  t.equal(await read(proc, '/version'), 'Linux version 6.1.0-tsvisor (root@tsvisor) (tsvisor) #1 SMP PREEMPT_DYNAMIC\n');
  t.equal(await read(proc, '/stat'), lines(
    'cpu  1428294 0 98417 644671 1503 0 610 295 0 0',
    'cpu0 735597 0 48676 301901 467 0 135 166 0 0',
    'cpu1 692697 0 49741 342770 1036 0 475 129 0 0',
    'intr 8750008', 'ctxt 41182653', 'btime 1795570617', 'processes 176817', 'procs_running 1', 'procs_blocked 0',
    'softirq 0 0 0 0 0 0 0 0 0 0 0',
  ));
  t.equal(await read(proc, '/filesystems'), 'nodev\tsysfs\nnodev\ttmpfs\n\text4\n');
  t.equal(await read(proc, '/cpuinfo'), 'processor\t: 0\nvendor_id\t: TsvisorCPU\n\n');
});

t.test('meminfo', async (t) => {
  const { proc } = setup();
  const text = await read(proc, '/meminfo');
  const keys = text.split('\n').filter((l) => l).map((l) => l.split(':')[0]);
  t.same(keys, ['MemTotal', 'MemFree', 'MemAvailable', 'Buffers', 'Cached', 'SwapCached', 'Active', 'Inactive',
    'Active(anon)', 'Inactive(anon)', 'Active(file)', 'Inactive(file)', 'Unevictable', 'Mlocked', 'SwapTotal', 'SwapFree',
    'Zswap', 'Zswapped', 'Dirty', 'Writeback', 'AnonPages', 'Mapped', 'Shmem', 'KReclaimable', 'Slab', 'SReclaimable',
    'SUnreclaim', 'KernelStack', 'PageTables', 'NFS_Unstable', 'Bounce', 'WritebackTmp', 'CommitLimit', 'Committed_AS',
    'VmallocTotal', 'VmallocUsed', 'VmallocChunk', 'Percpu', 'HardwareCorrupted', 'AnonHugePages', 'ShmemHugePages',
    'ShmemPmdMapped', 'FileHugePages', 'FilePmdMapped', 'HugePages_Total', 'HugePages_Free', 'HugePages_Rsvd',
    'HugePages_Surp', 'Hugepagesize', 'Hugetlb', 'DirectMap4k', 'DirectMap2M', 'DirectMap1G'], 'Linux 6.1 order');
  t.ok(text.startsWith(lines(
    'MemTotal:       24684084 kB', 'MemFree:        24272660 kB', 'MemAvailable:   24296176 kB', 'Buffers:            1396 kB',
    'Cached:           163324 kB', 'SwapCached:            0 kB', 'Active:           172544 kB',
  )));
  t.match(text, /\nShmem:              8872 kB\n/);
  t.match(text, /\nCommitLimit:    12342040 kB\nCommitted_AS:      55160 kB\nVmallocTotal:   34359738367 kB\n/);
  t.match(text, /\nHugePages_Total:       0\nHugePages_Free:        0\n/);
  t.match(text, /\nHugepagesize:       2048 kB\nHugetlb:               0 kB\n/);
});

t.test('/proc/sys', async (t) => {
  const { proc } = setup();
  t.equal(await read(proc, '/sys/kernel/hostname'), 'box\n');
  t.equal(await read(proc, '/sys/kernel/domainname'), '(none)\n');
  t.equal(await read(proc, '/sys/kernel/osrelease'), '6.1.0-tsvisor\n');
  t.equal(await read(proc, '/sys/kernel/ostype'), 'Linux\n');
  t.equal(await read(proc, '/sys/kernel/version'), '#1 SMP PREEMPT_DYNAMIC\n');
  t.equal(await read(proc, '/sys/kernel/pid_max'), '4194304\n');
  t.equal(await read(proc, '/sys/kernel/cap_last_cap'), '40\n');
  t.equal(await read(proc, '/sys/vm/overcommit_memory'), '0\n');
  t.equal(await read(proc, '/sys/fs/nr_open'), '1048576\n');
  t.same(await names(proc, '/sys/kernel'), ['cap_last_cap', 'domainname', 'hostname', 'ngroups_max', 'osrelease', 'ostype', 'pid_max', 'version']);
  t.equal((await statOf(proc, '/sys/kernel/hostname')).mode, S_IFREG | 0o644);
  t.equal((await statOf(proc, '/sys/kernel/osrelease')).mode, S_IFREG | 0o444);
  t.equal((await statOf(proc, '/sys')).mode & S_IFMT, S_IFDIR);
  t.equal((await statOf(proc, '/sys')).nlink, 5);
  const f = await openFile(proc, '/sys/kernel/hostname');
  t.equal(f.path, '/proc/sys/kernel/hostname');
});

t.test('through the VFS: an InodeFile over a proc mount', async (t) => {
  const { proc, fsTree } = setup();
  const procDir = fsTree.make('/proc', true);
  const m = fsTree.ns.mount(proc, procDir, 0, 'proc');
  const self = m.root.addChild('42', await inode(proc, '/42'));
  const dirFile = new InodeFile({ mount: m, dentry: self }, O_RDONLY, fsTree.root);
  t.equal(dirFile.path, '/proc/42');
  const list = await dirFile.readdir(0);
  if (typeof list === 'number') throw new Error('readdir');
  t.same(list.slice(0, 3).map((e) => dec.decode(e.name)), ['.', '..', 'task']);
  t.notOk(self.cached('status'), 'procfs children are never cached');
});
