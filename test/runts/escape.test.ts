// Escapes through the whole sandbox (`runts do --rootfs DIR --volume ...`): a guest
// (test/guest/files/escape.c) tries to read and write host files outside its root and volume
// through absolute and relative symlinks planted in both, `..` beyond / and beyond the volume's
// root, /proc/self/root, /proc/self/cwd and /proc/self/fd/N of a directory, hard links it tries
// to make, and a race: the host keeps swapping a directory of the volume with a symlink to an
// outside directory while the guest opens files under it (and renames it). The outside files'
// contents must never appear in the guest's output, and they must be unchanged afterwards.
// (test/gofer/escape.test.ts tests the Gofer alone.)
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, linkSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { describeRun, runProcess, sandboxCli } from '../differential/harness.js';

t.setTimeout(600_000);
const root = join(import.meta.dirname, '..', '..', '..');
const top = mkdtempSync(join(tmpdir(), 'runts-escape-'));
t.teardown(() => rmSync(top, { recursive: true, force: true }));

const secret = `SECRET-${randomBytes(8).toString('hex')}`;
const outside = join(top, 'outside');
const rootfs = join(top, 'rootfs');
const vol = join(top, 'vol');
mkdirSync(join(outside, 'dir'), { recursive: true });
writeFileSync(join(outside, 'secret'), `${secret} file\n`);
for (let i = 0; i < 100; i++) writeFileSync(join(outside, 'dir', `f${i}`), `${secret} dir ${i}\n`);
writeFileSync(join(outside, 'dir', 'secret'), `${secret} in dir\n`);
// A file the host links into the root beforehand: the operator's choice, readable by the guest.
writeFileSync(join(outside, 'hostlinked'), 'HARDLINKED by the host\n');

mkdirSync(join(rootfs, 'vol'), { recursive: true });
execFileSync('gcc', ['-O2', '-static', '-o', join(top, 'escape'), join(root, 'test', 'guest', 'files', 'escape.c')]);
copyFileSync(join(top, 'escape'), join(rootfs, 'escape'));
const dots = '../'.repeat(16);
symlinkSync(join(outside, 'secret'), join(rootfs, 'abs-link'));
symlinkSync(`${dots}${outside.slice(1)}/secret`, join(rootfs, 'rel-link'));
symlinkSync(outside, join(rootfs, 'dir-link'));
linkSync(join(outside, 'hostlinked'), join(rootfs, 'hardlink'));

for (let k = 0; k < 50; k++) {
  mkdirSync(join(vol, `s${k}`), { recursive: true });
  for (let i = 0; i < 10; i++) writeFileSync(join(vol, `s${k}`, `f${i}`), 'INSIDE');
}
symlinkSync(join(outside, 'secret'), join(vol, 'abs-link'));
symlinkSync(`${dots}${outside.slice(1)}/secret`, join(vol, 'rel-link'));
symlinkSync(outside, join(vol, 'dir-link'));

/** What the outside tree looks like: names, contents, link counts and times. */
function snapshot(): string {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const s = statSync(p);
      if (s.isDirectory()) { out.push(`${p}/ ${s.mtimeMs}`); walk(p); } else out.push(`${p} ${s.nlink} ${s.mtimeMs} ${readFileSync(p, 'utf8')}`);
    }
  };
  walk(outside);
  return out.join('\n');
}
const before = snapshot();

// The host's swapper: every VOL/sK becomes a symlink to OUTSIDE/dir, then a directory again, for
// a couple of milliseconds each, until the guest is done.
const swapper = spawn(process.execPath, ['-e', `
  const fs = require('fs'), path = require('path');
  const [vol, target] = process.argv.slice(1);
  const dirs = Array.from({ length: 50 }, (_, k) => path.join(vol, 's' + k));
  let swaps = 0;
  process.on('SIGTERM', () => { console.log(swaps); process.exit(0); });
  const toLinks = () => {
    for (const d of dirs) { try { fs.renameSync(d, d + '.tmp'); fs.symlinkSync(target, d); swaps++; } catch {} }
    setTimeout(toDirs, 2);
  };
  const toDirs = () => {
    for (const d of dirs) { try { fs.unlinkSync(d); fs.renameSync(d + '.tmp', d); } catch {} }
    setTimeout(toLinks, 2);
  };
  toLinks();
`, vol, join(outside, 'dir')], { stdio: ['ignore', 'pipe', 'inherit'] });
let swaps = '';
swapper.stdout!.on('data', (b: Buffer) => { swaps += b.toString(); });
const swapperDone = new Promise((r) => swapper.on('exit', r));

const run = await runProcess([process.execPath, sandboxCli, 'do', '--rootfs', rootfs, '--volume', `${vol}:/vol`, '--cwd', '/',
  '--', '/escape', outside, '/vol', '500'], { timeoutMs: 300_000 });
swapper.kill('SIGTERM');
const killer = setTimeout(() => swapper.kill('SIGKILL'), 5000);
await swapperDone;
clearTimeout(killer);
const out = run.stdout.toString('utf8');
const err = run.stderr.toString('utf8');

t.test('the guest ran every attempt', async (t) => {
  t.equal(run.status, 0, `${describeRun(run)}\n${err}`);
  t.match(out, /^race: 500 opens, \d+ read INSIDE, \d+ failed, 0 read something else$/m, 'the race never read another file');
  t.comment(out.split('\n').find((l) => l.startsWith('race:')) ?? '');
  t.comment(`the host swapped ${swaps.trim() || '?'} times`);
});

t.test('no outside content ever reached the guest', async (t) => {
  t.notMatch(out, secret, 'not on stdout');
  t.notMatch(err, secret, 'not on stderr');
  t.notMatch(out, /got '.*(dir \d+|in dir|file)'/, 'no read returned an outside file');
});

t.test('every path out ends inside the sandbox', async (t) => {
  // What each read and write through a link or `..` found: nothing at the host's path in the root.
  const lines = out.split('\n').filter((l) => /^(read|write) /.test(l) && !/hardlink/.test(l));
  t.ok(lines.length >= 25, `${lines.length} attempts`);
  for (const l of lines) t.match(l, /-1 (ENOENT|ENOTDIR|EXDEV|EROFS)$/, l.replace(/\s+/g, ' '));
  t.match(out, /^cwd after chdir\(\.\.\) x20\s+\/$/m, '`..` stops at the root');
  t.match(out, /^read \/hardlink\s+got 'HARDLINKED by the host '$/m, 'a hard link the host made is readable');
  t.match(out, /^write \/hardlink\s+6$/m, 'and writable in the overlay');
  t.match(out, /^read \/hardlink\s+got 'PWNED '$/m, 'the guest sees its copy');
  for (const what of ['link following a symlink out', 'link following a relative symlink out', 'link from the fd of a directory']) {
    t.match(out, new RegExp(`^${what}\\s+-1 ENOENT$`, 'm'), what);
  }
  t.match(out, /^link the root's hard link into the volume\s+-1 EXDEV$/m);
  t.match(out, /^mkdir through a link to the outside\s+-1 ENOENT$/m);
});

t.test('the outside files are unchanged, and nothing appeared there', async (t) => {
  t.equal(snapshot(), before);
  t.equal(statSync(join(outside, 'secret')).nlink, 1, 'no new hard link to the secret');
  t.equal(readFileSync(join(outside, 'hostlinked'), 'utf8'), 'HARDLINKED by the host\n', 'the overlay kept the write');
  // What the guest made in the volume are links inside it (a symlink is only text).
  const made = readdirSync(vol).filter((n) => n.startsWith('hl-')).sort();
  t.same(made, ['hl-symlink'], 'the only hard link made is of a symlink in the volume');
});
