// `runts do`'s file-tree and process options: --rootfs (the program is found in it; /proc, /sys
// and /dev as usual; host files outside it are absent), --volume (mount points made, nested
// volumes, :ro), --cwd (and the default: the host's cwd, else /), --env and --clear-env, and a
// clear error with status 125 for every bad value, before anything starts.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import t from 'tap';

const root = join(import.meta.dirname, '..', '..', '..');
// TSVISOR_CLI tests another build of runts (e.g. one made with `tsc --outDir`).
const cli = resolve(process.env.TSVISOR_CLI ?? join(root, 'dist', 'container-runtime', 'main.js'));
const BUSYBOX = '/bin/busybox';
const ci = process.env.CI === 'true';
const hasBusybox = existsSync(BUSYBOX);
if (ci && !hasBusybox) t.fail(`${BUSYBOX} is required under CI=true`);
const noBusybox = hasBusybox ? false : `${BUSYBOX} is not installed (skipped; under CI=true this fails)`;

const top = mkdtempSync(join(tmpdir(), 'runts-options-'));
t.teardown(() => rmSync(top, { recursive: true, force: true }));

function runts(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(process.execPath, [cli, 'do', ...args], { encoding: 'utf8', timeout: 120_000, cwd: opts.cwd, env: opts.env ?? process.env });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// A small root: busybox, one file of its own, and nothing of the host's.
const rootfs = join(top, 'rootfs');
mkdirSync(join(rootfs, 'bin'), { recursive: true });
mkdirSync(join(rootfs, 'etc'));
mkdirSync(join(rootfs, 'work'));
if (hasBusybox) copyFileSync(BUSYBOX, join(rootfs, 'bin', 'busybox'));
writeFileSync(join(rootfs, 'etc', 'motd'), 'from the rootfs\n');
const data = join(top, 'data');
mkdirSync(join(data, 'inner'), { recursive: true });
writeFileSync(join(data, 'in-data'), 'volume file\n');
const more = join(top, 'more');
mkdirSync(more);
writeFileSync(join(more, 'in-more'), 'nested volume\n');

t.test('--rootfs: the sandbox root, where the program is found', { skip: noBusybox }, async (t) => {
  const ls = runts(['--rootfs', rootfs, '--', '/bin/busybox', 'ls', '-a', '/']);
  t.equal(ls.status, 0, ls.stderr);
  t.equal(ls.stdout, ['.', '..', 'bin', 'dev', 'etc', 'proc', 'sys', 'work', ''].join('\n'), 'its entries, and /dev, /proc, /sys');
  const cat = runts(['--rootfs', rootfs, '--env', 'PATH=/bin', '--', 'busybox', 'cat', '/etc/motd']);
  t.equal(cat.stdout, 'from the rootfs\n', 'found on the guest\'s PATH, in the rootfs');
  const host = runts(['--rootfs', rootfs, '--', '/bin/busybox', 'cat', '/etc/passwd']);
  t.equal(host.status, 1);
  t.match(host.stderr, /No such file or directory/, 'the host\'s files are not there');
  const mounts = runts(['--rootfs', rootfs, '--', '/bin/busybox', 'cat', '/proc/self/mounts']);
  t.match(mounts.stdout, /^proc \/proc proc /m, '/proc is the sandbox\'s');
  const missing = runts(['--rootfs', rootfs, '--', '/no/such/program']);
  t.equal(missing.status, 127);
  t.match(missing.stderr, /\/no\/such\/program: No such file or directory/);
  t.same(runts(['--rootfs', rootfs, '--', 'sh']).status, 127, 'PATH from the host finds nothing there');
});

t.test('--volume: mount points are made; a volume inside another; :ro', { skip: noBusybox }, async (t) => {
  const r = runts(['--rootfs', rootfs, '--volume', `${data}:/mnt/data`, '--volume', `${more}:/mnt/data/inner/more:ro`, '--',
    '/bin/busybox', 'cat', '/mnt/data/in-data', '/mnt/data/inner/more/in-more']);
  t.equal(r.status, 0, r.stderr);
  t.equal(r.stdout, 'volume file\nnested volume\n');
  t.notOk(existsSync(join(rootfs, 'mnt')), 'the mount point was made in the overlay, not in the rootfs');
  const w = runts(['--rootfs', rootfs, '--volume', `${data}:/mnt/data`, '--volume', `${more}:/mnt/data/inner/more:ro`, '--',
    '/bin/busybox', 'sh', '-c', 'echo new > /mnt/data/new; echo x > /mnt/data/inner/more/x']);
  t.equal(w.status, 1);
  t.match(w.stderr, /Read-only file system/);
  t.equal(readFileSync(join(data, 'new'), 'utf8'), 'new\n', 'the writable volume is written on the host');
  t.notOk(existsSync(join(more, 'x')));
  const mounts = runts(['--volume', `${data}:/mnt/data`, '--volume', `${more}:/mnt/more:ro`, '--', '/bin/busybox', 'cat', '/proc/self/mounts']);
  t.match(mounts.stdout, /^none \/mnt\/data 9p rw,/m);
  t.match(mounts.stdout, /^none \/mnt\/more 9p ro,/m);
  const same = runts(['--volume', data, '--', '/bin/busybox', 'cat', join(data, 'in-data')]);
  t.equal(same.stdout, 'volume file\n', 'GUEST defaults to HOST');
});

t.test('--cwd, and the default: the host\'s cwd, else /', { skip: noBusybox }, async (t) => {
  t.equal(runts(['--rootfs', rootfs, '--cwd', '/work', '--', '/bin/busybox', 'pwd']).stdout, '/work\n');
  t.equal(runts(['--rootfs', rootfs, '--cwd', '/work', '--', '/bin/busybox', 'cat', '../etc/motd']).stdout, 'from the rootfs\n', 'relative paths start there');
  t.equal(runts(['--rootfs', rootfs, '--cwd', '/etc', '--', '../bin/busybox', 'pwd']).stdout, '/etc\n', 'a relative program too');
  t.equal(runts(['--', '/bin/busybox', 'pwd'], { cwd: data }).stdout, `${data}\n`, 'the host\'s cwd by default');
  t.equal(runts(['--rootfs', rootfs, '--', '/bin/busybox', 'pwd'], { cwd: data }).stdout, '/\n', '/ when the sandbox has no such directory');
  t.equal(runts(['--volume', `${data}:/v`, '--cwd', '/v/inner', '--', '/bin/busybox', 'pwd']).stdout, '/v/inner\n', 'inside a volume');
  const bad = runts(['--rootfs', rootfs, '--cwd', '/nowhere', '--', '/bin/busybox', 'pwd']);
  t.equal(bad.status, 125);
  t.match(bad.stderr, /--cwd \/nowhere: ENOENT in the sandbox/);
  const file = runts(['--rootfs', rootfs, '--cwd', '/etc/motd', '--', '/bin/busybox', 'pwd']);
  t.equal(file.status, 125);
  t.match(file.stderr, /--cwd \/etc\/motd: ENOTDIR/);
});

t.test('--env and --clear-env', { skip: noBusybox }, async (t) => {
  const env = { PATH: '/usr/bin:/bin', KEEP: 'kept', OVER: 'host' };
  const r = runts(['--env', 'OVER=sandbox', '--env', 'NEW=a=b', '--env', 'EMPTY=', '--', '/bin/busybox', 'env'], { env });
  const lines = r.stdout.split('\n').filter(Boolean);
  t.ok(lines.includes('KEEP=kept'), 'the host\'s environment');
  t.ok(lines.includes('OVER=sandbox') && !lines.includes('OVER=host'), 'overridden');
  t.ok(lines.includes('NEW=a=b'), 'a value may hold =');
  t.ok(lines.includes('EMPTY='), 'or nothing');
  const c = runts(['--clear-env', '--env', 'A=1', '--env', 'B=2', '--env', 'A=3', '--', '/bin/busybox', 'env'], { env });
  t.equal(c.stdout, 'B=2\nA=3\n', 'only what was given; a later one wins');
  t.equal(runts(['--clear-env', '--', 'busybox', 'true'], { env: { PATH: '/bin' } }).status, 0, 'without PATH the default one finds the program');
});

t.test('bad values: a clear error and status 125, before anything starts', async (t) => {
  const cases: Array<[string[], RegExp]> = [
    [['--rootfs', join(top, 'nope')], /--rootfs .*nope: no such directory/],
    [['--rootfs', join(data, 'in-data')], /--rootfs .*in-data: not a directory/],
    [['--volume', join(top, 'nope')], /--volume .*nope: .*nope does not exist/],
    [['--volume', `${data}:relative`], /the path in the sandbox must be absolute, not 'relative'/],
    [['--volume', `${data}:/`], /cannot mount over \//],
    [['--volume', `${data}:/proc/x`], /\/proc is the sandbox's own/],
    [['--volume', `${data}:/sys`], /\/sys is the sandbox's own/],
    [['--volume', `${data}:/a:/b:ro`], /--volume must be HOST\[:GUEST\]\[:ro\]/],
    [['--volume', ':/x'], /--volume must be HOST\[:GUEST\]\[:ro\]/],
    [['--volume', `${data}:/x`, '--volume', `${more}:/x/`], /two volumes at \/x/],
    [['--volume', '/dev/null:/x'], /neither a directory nor a regular file/],
    [['--env', 'NOEQUALS'], /--env must be KEY=VALUE, not 'NOEQUALS'/],
    [['--env', '=value'], /--env must be KEY=VALUE/],
    [['--cwd', 'relative'], /--cwd must be an absolute path in the sandbox/],
    [['--memory', 'lots'], /invalid size 'lots'/],
    [['--pids-limit', '0'], /--pids-limit must be a whole number from 1 to 4194304, not '0'/],
    [['--pids-limit', '1.5'], /--pids-limit must be a whole number/],
    [['--pids-limit', 'many'], /--pids-limit must be a whole number/],
    [['--pids-limit', '4194305'], /--pids-limit must be a whole number/],
  ];
  for (const [args, msg] of cases) {
    const r = runts([...args, '--', '/bin/true']);
    t.equal(r.status, 125, `${args.join(' ')}: status`);
    t.match(r.stderr, msg, `${args.join(' ')}: message`);
    t.equal(r.stdout, '', `${args.join(' ')}: nothing ran`);
  }
});
