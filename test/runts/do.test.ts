// `runts do` as a user sees it: exit statuses, the errors for missing and non-ELF programs,
// faults ending the guest with the right signal status, --strace, the --memory limit, and
// --pids-limit bounding a fork bomb. Freestanding guest programs (test/guest/freestanding) keep
// most of these independent of libc; test/guest/runts holds the ones that use it.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';

const root = join(import.meta.dirname, '..', '..', '..');
// TSVISOR_CLI tests another build of runts (e.g. one made with `tsc --outDir`).
const cli = process.env.TSVISOR_CLI ?? join(root, 'dist', 'container-runtime', 'main.js');
const src = join(root, 'test', 'guest', 'freestanding');
const out = mkdtempSync(join(tmpdir(), 'runts-do-'));

function build(name: string): string {
  const bin = join(out, name);
  execFileSync('gcc', ['-O2', '-static', '-nostdlib', '-fno-stack-protector', '-fno-builtin', '-o', bin, join(src, `${name}.c`)]);
  return bin;
}
function buildWithLibc(name: string): string {
  const bin = join(out, name);
  execFileSync('gcc', ['-O2', '-static', '-Wall', '-o', bin, join(root, 'test', 'guest', 'runts', `${name}.c`)]);
  return bin;
}
function runts(args: string[]) {
  const r = spawnSync(process.execPath, [cli, 'do', ...args], { encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const exitStatus = build('exit_status');
const fault = build('fault');
const hog = build('memory_hog');
const enosys = build('enosys');
const spin = build('spin');

t.test('the exit status and argv pass through', async (t) => {
  const r = runts(['--', exitStatus, '7', 'x']);
  t.equal(r.status, 7);
  t.equal(r.stdout, 'argc=3\n');
});

t.test('PROG is found on PATH like a shell does', async (t) => {
  const r = spawnSync(process.execPath, [cli, 'do', '--', 'exit_status', '3'], { encoding: 'utf8', env: { ...process.env, PATH: `/nonexistent:${out}` } });
  t.equal(r.status, 3);
});

t.test('a missing program is 127 with a clear message', async (t) => {
  const r = runts(['--', 'no-such-program-here']);
  t.equal(r.status, 127);
  t.match(r.stderr, /no-such-program-here: command not found/);
});

t.test('a #! script runs through its interpreter', async (t) => {
  const script = join(out, 'script.sh');
  writeFileSync(script, '#!/bin/sh -e\necho "hi from $0 $1"\n');
  chmodSync(script, 0o755);
  const r = runts(['--', script, 'arg']);
  t.equal(r.status, 0, r.stderr);
  t.equal(r.stdout, `hi from ${script} arg\n`);
});

t.test('a file that is not an x86-64 ELF is 126 with a clear message', async (t) => {
  const text = join(out, 'text');
  writeFileSync(text, 'echo hi\n');
  chmodSync(text, 0o755);
  const r = runts(['--', text]);
  t.equal(r.status, 126);
  t.match(r.stderr, /cannot execute: not an ELF file/);
  const arm = join(out, 'arm.elf');
  const hdr = new Uint8Array(64); hdr.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]); hdr[18] = 183; // EM_AARCH64
  writeFileSync(arm, hdr); chmodSync(arm, 0o755);
  t.match(runts(['--', arm]).stderr, /not an x86-64 ELF/);
  t.equal(runts(['--', arm]).status, 126);
});

t.test('a truncated ELF is refused without crashing', async (t) => {
  const bin = join(out, 'truncated');
  writeFileSync(bin, readFileSync(exitStatus).subarray(0, 300)); chmodSync(bin, 0o755);
  const r = runts(['--', bin]);
  t.equal(r.status, 126);
  t.match(r.stderr, /cannot execute: .*(past the end|truncated)/);
});

t.test('faults end the guest as killed by the right signal', async (t) => {
  const cases: [string, number][] = [['ud2', 128 + 4], ['segv', 128 + 11], ['div0', 128 + 8], ['int3', 128 + 5], ['wild', 128 + 11]];
  for (const [what, status] of cases) t.equal(runts(['--', fault, what]).status, status, what);
  const r = runts(['--debug', '--', fault, 'ud2']);
  t.match(r.stderr, /CPU exception 6 at rip 0x[0-9a-f]+: ud2 \[0f 0b/, 'the address and bytes are logged');
});

t.test('--strace logs syscalls with arguments and results to the debug log', async (t) => {
  const log = join(out, 'strace.log');
  const r = runts(['--strace', '--debug-log', log, '--', exitStatus, '0']);
  t.equal(r.status, 0);
  t.equal(r.stderr, '', 'nothing on the guest stderr');
  const text = readFileSync(log, 'utf8');
  t.match(text, /E write\(1, 0x[0-9a-f]+, 5\)/);
  t.match(text, /X write = 5/);
  t.match(text, /E exit_group\(0\)/);
});

t.test('--memory bounds the guest: mmap and brk fail with ENOMEM, Node survives', async (t) => {
  const r = runts(['--memory', '64m', '--', hog]);
  t.equal(r.status, 0);
  t.match(r.stdout, /mmap failed: errno 12\nbrk refused\nmapped MiB: (\d+)\n/);
  const mib = Number(/mapped MiB: (\d+)/.exec(r.stdout)?.[1]);
  t.ok(mib >= 32 && mib <= 64, `got ${mib} MiB under a 64 MiB limit`);
  t.equal(runts(['--memory', 'lots', '--', hog]).status, 125, 'a bad --memory is a usage error');
});

t.test('an unimplemented syscall returns ENOSYS and is logged once by name', async (t) => {
  const r = runts(['--debug', '--', enosys]);
  t.equal(r.status, 0);
  t.equal(r.stdout, '-38 -38\n');
  t.equal(r.stderr.match(/unimplemented syscall rseq/g)?.length, 1);
});

t.test('--pids-limit bounds a fork bomb: fork fails with EAGAIN, the sandbox stays responsive', async (t) => {
  const bomb = buildWithLibc('fork_bomb');
  // Children that wait, and children that exit unreaped: zombies hold their pids too.
  for (const mode of ['pause', 'zombie']) {
    const start = Date.now();
    const r = runts(['--pids-limit', '64', '--', bomb, mode]);
    t.equal(r.status, 0, `${mode}: ${r.stderr}`);
    t.equal(r.stdout, 'forked 63 children\nfork failed: EAGAIN\nkilled and reaped 63\nfork after cleanup: ok\n', `${mode}: PID 1 and 63 children`);
    t.ok(Date.now() - start < 60_000, `${mode}: over in ${Date.now() - start} ms`);
  }
  t.equal(runts(['--pids-limit', 'lots', '--', bomb]).status, 125, 'a bad --pids-limit is a usage error');
});

t.test('SIGTERM, SIGINT, SIGHUP and SIGQUIT sent to runts reach the guest', async (t) => {
  for (const [sig, n] of [['SIGTERM', 15], ['SIGINT', 2], ['SIGHUP', 1], ['SIGQUIT', 3]] as const) {
    const child = spawn(process.execPath, [cli, 'do', '--', spin], { stdio: ['ignore', 'pipe', 'ignore'] });
    await new Promise((r) => child.stdout.once('data', r)); // the guest runs: runts has its handlers
    child.kill(sig);
    const status = await new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    t.equal(status, 128 + n, sig);
  }
});

mkdirSync(out, { recursive: true });

t.test('a guest writing to a closed host pipe dies of SIGPIPE, even as PID 1 (status 141)', async (t) => {
  // bash reports each stage's status; the native pipeline says what to expect.
  const script = `"${process.execPath}" "${cli}" do -- /bin/busybox yes | head -1; echo "status \${PIPESTATUS[0]}"`;
  const r = spawnSync('bash', ['-c', script], { encoding: 'utf8', timeout: 120_000 });
  t.equal(r.stdout, 'y\nstatus 141\n', r.stderr);
  const native = spawnSync('bash', ['-c', '/bin/busybox yes | head -1; echo "status ${PIPESTATUS[0]}"'], { encoding: 'utf8' });
  t.equal(native.stdout, r.stdout, 'as the same pipeline natively');
});
