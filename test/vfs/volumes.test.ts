// Volumes (`runts do --volume`): test/guest/files/volume_ops.c runs natively and in the sandbox on
// the same layout, and the outputs must be identical: a writable volume where every call works
// and reaches the host, a read-only one where every write call is EROFS, and EXDEV for rename and
// link between a volume and the root overlay. Natively the volumes are bind mounts (the read-only
// one remounted ro) inside `unshare --mount`, which needs root; without it the native half is
// skipped and the sandbox's output is checked against the errnos Linux gives.

import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { baseEnv, compile, describeMismatch, describeRun, repoRoot, runProcess, runSandbox, type PlatformName, type RunResult } from '../differential/harness.js';

const platform = (process.env.TSVISOR_PLATFORM ?? 'kvm') as PlatformName;
const isRoot = process.getuid?.() === 0;
const hasUnshare = spawnSync('unshare', ['--version']).status === 0;
const nativeSkip = !isRoot ? 'needs root (bind mounts in a private mount namespace)' : !hasUnshare ? 'needs unshare (util-linux)' : false;
const top = mkdtempSync(path.join(os.tmpdir(), 'tsvisor-volumes-'));
t.teardown(() => rmSync(top, { recursive: true, force: true }));

interface Layout { rw: string; ro: string; other: string }

/** RW (empty), RO (the file f and the directory d), OTHER (empty, on the root filesystem). */
function layout(name: string): Layout {
  const base = path.join(top, name);
  const l = { rw: path.join(base, 'rw'), ro: path.join(base, 'ro'), other: path.join(base, 'other') };
  mkdirSync(l.rw, { recursive: true });
  mkdirSync(path.join(l.ro, 'd'), { recursive: true });
  mkdirSync(l.other, { recursive: true });
  writeFileSync(path.join(l.ro, 'f'), 'ro data\n');
  return l;
}

const { binary } = await compile(path.join(repoRoot, 'test', 'guest', 'files', 'volume_ops.c'), 'gcc');
const env = baseEnv();

function runSandboxLayout(l: Layout): Promise<RunResult> {
  // GUEST defaults to HOST: the guest sees the volumes at the host's paths, as natively.
  return runSandbox(binary, { args: [l.rw, l.ro, l.other], env, timeoutMs: 120_000 },
    { platform, extraFlags: ['--volume', l.rw, '--volume', `${l.ro}:ro`] });
}

const sandboxLayout = layout('sandbox');
const sandbox = await runSandboxLayout(sandboxLayout);
const sandboxOut = sandbox.stdout.toString('utf8');

t.test('the same output natively (bind mounts) and in the sandbox (volumes)', { skip: nativeSkip }, async (t) => {
  const l = layout('native');
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const script = [
    `mount --bind ${q(l.rw)} ${q(l.rw)}`,
    `mount --bind ${q(l.ro)} ${q(l.ro)}`,
    `mount -o remount,ro,bind ${q(l.ro)}`,
    `exec ${q(binary)} ${q(l.rw)} ${q(l.ro)} ${q(l.other)}`,
  ].join(' && ');
  const native = await runProcess(['unshare', '--mount', '--propagation', 'private', 'sh', '-c', script], { env });
  t.equal(native.status, 0, `native run: ${describeRun(native)} ${native.stderr.toString()}`);
  t.equal(sandbox.status, 0, `sandbox run: ${describeRun(sandbox)} ${sandbox.stderr.toString()}`);
  const diff = describeMismatch('stdout', native.stdout, sandbox.stdout);
  t.equal(diff, null, diff ? diff.message : 'same output');
});

/** The result column of the sandbox's line for `call` in `section`. */
function resultOf(section: string, call: string): string | undefined {
  const line = sandboxOut.split('\n').find((l) => l.startsWith(`${section} ${call} `));
  return line?.slice(section.length + 1 + call.length).trim();
}

t.test('every write call on a read-only volume is EROFS', async (t) => {
  t.equal(sandbox.status, 0, describeRun(sandbox));
  const calls = sandboxOut.split('\n').filter((l) => /^ro \w+\(/.test(l));
  // Linux finds an existing name (EEXIST) and a read permission before the read-only mount.
  const notEROFS: Record<string, string> = {
    'open(P(ro, "f"), O_WRONLY | O_CREAT | O_EXCL, 0644)': '-1 EEXIST',
    'mkdir(P(ro, "d"), 0755)': '-1 EEXIST',
    'access(P(ro, "f"), R_OK)': '0',
    'statvfs(ro, &sv)': '0',
  };
  t.ok(calls.length >= 30, `${calls.length} calls`);
  for (const line of calls) {
    const call = line.slice(3).replace(/\s+(-1 \w+|\d+)$/, '');
    t.equal(line.slice(3 + call.length).trim(), notEROFS[call] ?? '-1 EROFS', call);
  }
  t.match(sandboxOut, /^ro statvfs ST_RDONLY 1$/m, 'statvfs says read-only');
  t.match(sandboxOut, /^ro cat f \(unchanged\): 8 'ro data$/m);
  t.equal(readFileSync(path.join(sandboxLayout.ro, 'f'), 'utf8'), 'ro data\n', 'the host file is unchanged');
  t.same(readdirSync(sandboxLayout.ro).sort(), ['d', 'f'], 'nothing was made in the host directory');
});

t.test('rename and link between a volume and the root overlay are EXDEV', async (t) => {
  for (const call of [
    'rename(P(rw, "x"), P(other, "x"))', 'rename(P(other, "y"), P(rw, "y"))', 'link(P(rw, "x"), P(other, "lx"))',
    'link(P(other, "y"), P(rw, "ly"))', 'rename(P(rw, "x"), P(ro, "x"))', 'rename(P(ro, "f"), P(rw, "f"))',
    'link(P(ro, "f"), P(rw, "lf"))', 'rename(P(rw, "xd"), P(other, "xd"))',
  ]) t.equal(resultOf('xdev', call), '-1 EXDEV', call);
});

t.test('what the guest writes in a writable volume reaches the host; the root overlay keeps its own', async (t) => {
  const { rw, other } = sandboxLayout;
  t.equal(readFileSync(path.join(rw, 'written.txt'), 'utf8'), 'written in the sandbox\n');
  t.same(readdirSync(rw).sort(), ['victim', 'written.txt'], 'names made and removed on the host');
  const victim = statSync(path.join(rw, 'victim'));
  t.equal(victim.mode & 0o7777, 0o600, 'chmod');
  t.equal(victim.size, 0, 'O_TRUNC');
  if (isRoot) t.same([victim.uid, victim.gid], [1234, 4321], 'chown');
  t.same(readdirSync(other), [], 'the root overlay\'s writes stayed in the sandbox');
});

// busybox (static) appends through a shell redirection: no fork needed for a builtin.
const noBusybox = spawnSync('/bin/busybox', ['true']).status === 0 ? false : 'needs /bin/busybox';

t.test('a single file as a volume, writable or read-only', { skip: noBusybox }, async (t) => {
  const file = path.join(top, 'single.txt');
  writeFileSync(file, 'one\n');
  const run = (extra: string[], script: string) => runSandbox('/bin/busybox', { args: ['sh', '-c', script], env, timeoutMs: 60_000 }, { platform, extraFlags: extra });
  const w = await run(['--volume', `${file}:/etc/single`], 'echo two >> /etc/single; read -r a < /etc/single; echo "$a"');
  t.equal(w.status, 0, describeRun(w));
  t.equal(w.stdout.toString(), 'one\n');
  t.equal(readFileSync(file, 'utf8'), 'one\ntwo\n', 'the write reached the host file');
  const r = await run(['--volume', `${file}:/etc/single:ro`], 'echo three >> /etc/single');
  t.not(r.status, 0);
  t.match(r.stderr.toString(), /Read-only file system/);
  t.equal(readFileSync(file, 'utf8'), 'one\ntwo\n', 'unchanged');
});
