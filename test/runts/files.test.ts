// `runts do` and host files: every host file reaches the guest through the Gofer child. Busybox
// applets read host files; symlinks resolve inside the sandbox; the Sentry process opens no host
// file itself (checked under strace); killing the Gofer gives the guest EIO and ends the sandbox
// with a clear message, never a hang; and the Gofer never outlives runts.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';

const root = join(import.meta.dirname, '..', '..', '..');
// TSVISOR_CLI tests another build of runts (e.g. one made with `tsc --outDir`).
const cli = process.env.TSVISOR_CLI ?? join(root, 'dist', 'container-runtime', 'main.js');
const BUSYBOX = '/bin/busybox';
const ci = process.env.CI === 'true';
const out = mkdtempSync(join(tmpdir(), 'runts-files-'));
t.teardown(() => rmSync(out, { recursive: true, force: true }));

function runts(args: string[], opts: { timeout?: number } = {}) {
  const r = spawnSync(process.execPath, [cli, 'do', ...args], { encoding: 'utf8', timeout: opts.timeout ?? 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
function native(args: string[]) {
  const r = spawnSync(args[0], args.slice(1), { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
function need(what: string, ok: boolean): string | false {
  return ok ? false : `${what} is not installed${ci ? '' : ' (skipped; under CI=true this fails)'}`;
}
const hasBusybox = existsSync(BUSYBOX);
const hasStrace = spawnSync('strace', ['-V']).status === 0;
const noBusybox = need(BUSYBOX, hasBusybox);
if (ci && !hasBusybox) t.fail(`${BUSYBOX} is required under CI=true`);
if (ci && !hasStrace) t.fail('strace is required under CI=true');

/** A tree with relative, absolute, chained, looping and dangling symlinks. */
function symlinkTree(): string {
  const d = join(out, 'tree');
  if (existsSync(d)) return d;
  mkdirSync(join(d, 'sub', 'deep'), { recursive: true });
  writeFileSync(join(d, 'sub', 'deep', 'f.txt'), 'hello through the gofer\n');
  symlinkSync('sub/deep/f.txt', join(d, 'rel'));
  symlinkSync(join(d, 'sub', 'deep'), join(d, 'abs'));
  symlinkSync('../deep/../deep/f.txt', join(d, 'sub', 'deep', 'up'));
  symlinkSync('rel', join(d, 'chain'));
  symlinkSync('loop2', join(d, 'loop1'));
  symlinkSync('loop1', join(d, 'loop2'));
  symlinkSync('nothing-here', join(d, 'dangling'));
  symlinkSync('sub/deep/f.txt/x', join(d, 'notdir'));
  // `..` never climbs above the sandbox root: this lands on /etc/hostname.
  symlinkSync('../'.repeat(40) + 'etc/hostname', join(d, 'dotdot'));
  return d;
}

t.test('busybox applets read host files as natively', { skip: noBusybox }, async (t) => {
  for (const args of [['cat', '/etc/hostname'], ['wc', '/etc/passwd'], ['ls', '-l', '/etc'], ['ls', '-a', '/'], ['head', '-c', '100', BUSYBOX]]) {
    const s = runts(['--', BUSYBOX, ...args]);
    const n = native([BUSYBOX, ...args]);
    t.equal(s.status, n.status, `${args.join(' ')}: status`);
    t.equal(s.stdout, n.stdout, `${args.join(' ')}: stdout`);
  }
});

t.test('symlinks resolve inside the sandbox', { skip: noBusybox }, async (t) => {
  const d = symlinkTree();
  const hello = 'hello through the gofer\n';
  t.equal(runts(['--', BUSYBOX, 'cat', join(d, 'rel')]).stdout, hello, 'relative link');
  t.equal(runts(['--', BUSYBOX, 'cat', join(d, 'abs', 'f.txt')]).stdout, hello, 'absolute link to a directory, then a name');
  t.equal(runts(['--', BUSYBOX, 'cat', join(d, 'sub', 'deep', 'up')]).stdout, hello, '.. inside a target');
  t.equal(runts(['--', BUSYBOX, 'cat', join(d, 'chain')]).stdout, hello, 'a link to a link');
  t.equal(runts(['--', BUSYBOX, 'cat', join(d, 'dotdot')]).stdout, readFileSync('/etc/hostname', 'utf8'), '.. stops at the root');
  t.equal(runts(['--', BUSYBOX, 'readlink', join(d, 'rel')]).stdout, 'sub/deep/f.txt\n', 'readlink');
  t.equal(runts(['--', BUSYBOX, 'readlink', '-f', join(d, 'chain')]).stdout, join(d, 'sub', 'deep', 'f.txt') + '\n', 'readlink -f');
  t.equal(runts(['--', BUSYBOX, 'stat', '-c', '%F', join(d, 'rel')]).stdout, 'symbolic link\n', 'lstat does not follow');
  t.equal(runts(['--', BUSYBOX, 'stat', '-L', '-c', '%F %s', join(d, 'rel')]).stdout, `regular file ${hello.length}\n`, 'stat follows');
  for (const [name, msg] of [['loop1', /Too many levels of symbolic links/], ['dangling', /No such file or directory/], ['notdir', /Not a directory/]] as const) {
    const r = runts(['--', BUSYBOX, 'cat', join(d, name)]);
    t.equal(r.status, 1, `${name}: status`);
    t.match(r.stderr, msg, `${name}: error`);
  }
  const ls = runts(['--', BUSYBOX, 'ls', join(d, 'abs') + '/']);
  t.equal(ls.stdout, 'f.txt\nup\n', 'listing through a link');
});

/** One system call seen by strace -f: its thread and the text of the call. */
interface Call { tid: number; text: string }

/** strace -f -o output as whole calls (an `<unfinished ...>` line joined with its resumption). */
function straceCalls(text: string): Call[] {
  const pending = new Map<number, string>();
  const calls: Call[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\d+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const tid = Number(m[1]);
    let body = m[2];
    const resumed = /^<\.\.\. \w+ resumed>(.*)$/.exec(body);
    if (resumed) { body = (pending.get(tid) ?? '') + resumed[1]; pending.delete(tid); }
    if (body.endsWith('<unfinished ...>')) { pending.set(tid, body.slice(0, -'<unfinished ...>'.length)); continue; }
    calls.push({ tid, text: body });
  }
  return calls;
}

/** A plain environment for the traced runts (tap's variables kept out of the trace). */
function withoutTapHooks(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/', LANG: 'C' };
}

t.test('the Sentry process opens no host file: the Gofer does', { skip: noBusybox || need('strace', hasStrace) }, async (t) => {
  const d = symlinkTree();
  const trace = join(out, 'strace.txt');
  const debugLog = join(out, 'debug.log');
  const r = spawnSync('strace', ['-f', '-qq', '-e', 'signal=none', '-e', 'trace=openat,open,creat,openat2,execve,clone,clone3,fork,vfork',
    '-s', '512', '-o', trace, process.execPath, cli, 'do', '--debug-log', debugLog, '--', BUSYBOX, 'cat', join(d, 'rel'), '/etc/passwd'],
  { encoding: 'utf8', timeout: 180_000, env: withoutTapHooks() });
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /^hello through the gofer\nroot:/);

  // Which process each thread belongs to: a clone without CLONE_THREAD starts a new one.
  const calls = straceCalls(readFileSync(trace, 'utf8'));
  const proc = new Map<number, number>();
  const runtsPid = calls[0].tid;
  proc.set(runtsPid, runtsPid);
  let goferPid = -1;
  let goferSpawnedAt = -1;
  calls.forEach((c, i) => {
    const clone = /^(?:clone3?|v?fork)\(.*\)\s+=\s+(\d+)$/.exec(c.text);
    if (clone) {
      const child = Number(clone[1]);
      proc.set(child, c.text.includes('CLONE_THREAD') ? proc.get(c.tid) ?? c.tid : child);
      if (proc.get(c.tid) === runtsPid && !c.text.includes('CLONE_THREAD')) goferSpawnedAt = i;
    }
    if (/^execve\(.*gofer\/main\.js/.test(c.text)) goferPid = proc.get(c.tid) ?? c.tid;
  });
  t.not(goferPid, -1, 'the Gofer was spawned');
  t.ok(goferSpawnedAt > 0, 'runts spawned it');
  const opens = calls.map((c, i) => ({ ...c, i, path: /^(?:openat2?|open|creat)\((?:[^,]+, )?"([^"]*)"/.exec(c.text)?.[1] }))
    .filter((c) => c.path !== undefined);
  const bySentry = opens.filter((c) => proc.get(c.tid) === runtsPid);
  const byGofer = opens.filter((c) => proc.get(c.tid) === goferPid);
  // Before the Gofer starts, runts only loads Node and its own modules.
  t.same(bySentry.filter((c) => c.path!.startsWith(d) || c.path === '/etc/passwd' || c.path === BUSYBOX).map((c) => c.path), [],
    'the Sentry never opens a guest file');
  // (V8 reads the host's time zone for the log's first timestamp: Node's own data, not a guest
  // file. Under tap, its process-info hook, injected into every node child however the
  // environment is set, writes .tap/processinfo/*.json at exit: the test runner's, not ours.)
  const runnerOwn = (p: string) => p === debugLog || p === '/etc/localtime' || p.includes('/.tap/processinfo/');
  t.same(bySentry.filter((c) => c.i > goferSpawnedAt && !runnerOwn(c.path!)).map((c) => c.text), [],
    'after spawning the Gofer, the Sentry opens nothing but its debug log');
  t.ok(byGofer.some((c) => c.path!.endsWith('/f.txt')), 'the Gofer opened the guest\'s file');
  t.ok(byGofer.some((c) => c.path!.endsWith('/passwd')), 'and /etc/passwd');
  t.match(readFileSync(debugLog, 'utf8'), /gofer\[\d+\]: serving root=\/:ro/, '--debug-log reaches the Gofer');
});

/** The Gofer child of a runts process (found through /proc). */
function goferOf(pid: number): number | null {
  for (const ent of readdirSync('/proc')) {
    if (!/^\d+$/.test(ent)) continue;
    try {
      const stat = readFileSync(`/proc/${ent}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid && readFileSync(`/proc/${ent}/cmdline`, 'utf8').includes('gofer/main.js')) return Number(ent);
    } catch { /* gone meanwhile */ }
  }
  return null;
}
/** Running (not gone, not a zombie waiting for its new parent to reap it). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch { return false; }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts runts and waits for the guest's first line; collects stdout, stderr and the exit. */
async function startRunts(args: string[]) {
  const child: ChildProcess = spawn(process.execPath, [cli, 'do', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '', stderr = '';
  child.stdout!.on('data', (b: Buffer) => { stdout += b.toString(); });
  child.stderr!.on('data', (b: Buffer) => { stderr += b.toString(); });
  const exited = new Promise<{ code: number | null; signal: string | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));
  await new Promise((r) => child.stdout!.once('data', r));
  return { child, exited, out: () => stdout, err: () => stderr };
}

const readLoop = join(out, 'read_loop');
execFileSync('gcc', ['-O2', '-static', '-o', readLoop, join(root, 'test', 'guest', 'files', 'read_loop.c')]);
const spin = join(out, 'spin');
execFileSync('gcc', ['-O2', '-static', '-nostdlib', '-fno-stack-protector', '-fno-builtin', '-o', spin, join(root, 'test', 'guest', 'freestanding', 'spin.c')]);

t.test('killing the Gofer: the guest gets EIO, runts says why and exits', async (t) => {
  const r = await startRunts(['--', readLoop, '/etc/hostname']);
  t.equal(r.out(), 'ready\n');
  const gofer = goferOf(r.child.pid!);
  t.ok(gofer, 'the Gofer is a child of runts');
  const killedAt = Date.now();
  process.kill(gofer!, 'SIGKILL');
  const timer = setTimeout(() => r.child.kill('SIGKILL'), 20_000);
  const exit = await r.exited;
  clearTimeout(timer);
  t.ok(Date.now() - killedAt < 10_000, `runts ended ${Date.now() - killedAt} ms after the kill`);
  t.match(r.out(), /(open|read) failed: errno 5 \(Input\/output error\)/, 'the guest saw EIO');
  t.equal(exit.code, 3, 'the guest\'s own exit status');
  t.match(r.err(), new RegExp(`runts: the Gofer \\(pid ${gofer}\\) exited unexpectedly \\(signal SIGKILL\\): file access fails with EIO`));
});

t.test('killing the Gofer ends a guest that no longer touches files', async (t) => {
  const r = await startRunts(['--', spin]);
  const gofer = goferOf(r.child.pid!);
  t.ok(gofer, 'the Gofer is a child of runts');
  process.kill(gofer!, 'SIGKILL');
  const timer = setTimeout(() => r.child.kill('SIGKILL'), 20_000);
  const exit = await r.exited;
  clearTimeout(timer);
  t.equal(exit.code, 128 + 9, 'the sandbox is killed');
  t.match(r.err(), /the Gofer \(pid \d+\) exited unexpectedly/);
});

t.test('the Gofer never outlives runts', async (t) => {
  // Killed runts: the channel closes with it, and the Gofer exits on its own.
  const r = await startRunts(['--', spin]);
  const gofer = goferOf(r.child.pid!);
  t.ok(gofer, 'the Gofer is a child of runts');
  r.child.kill('SIGKILL');
  await r.exited;
  for (let i = 0; i < 100 && alive(gofer!); i++) await sleep(50);
  t.notOk(alive(gofer!), 'the Gofer exited after runts was killed');

  // A normal exit: runts waits for its Gofer, so no process is left behind.
  const n = spawn(process.execPath, [cli, 'do', '--', readLoop, '/no/such/file'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let goferPid: number | null = null;
  const poll = setInterval(() => { goferPid ??= goferOf(n.pid!); }, 5);
  const code = await new Promise((res) => n.on('exit', res));
  clearInterval(poll);
  t.equal(code, 3);
  if (goferPid !== null) t.notOk(alive(goferPid), 'the Gofer is gone when runts exits');
});
