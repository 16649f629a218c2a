// Dynamically linked Debian programs from the host root, run natively and through `runts do` on
// the same fixture files: stdout and exit status must match. They exercise the ELF interpreter
// (PT_INTERP, AT_BASE), ld.so's file mappings, locale loading and futex calls in glibc.
// Programs that need fork (sh pipelines, tar -z, xargs) wait for the processes issue.
//
// Environment: DYNAMIC_FILTER=substr runs only cases whose command line contains substr;
// TSVISOR_PLATFORM selects the sandbox platform (default kvm).

import t from 'tap';
import { existsSync, mkdtempSync, rmSync, writeFileSync, mkdirSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { baseEnv, describeMismatch, describeRun, runDifferential, type PlatformName } from '../differential/harness.js';

const platform = (process.env.TSVISOR_PLATFORM ?? 'kvm') as PlatformName;
const filter = process.env.DYNAMIC_FILTER ?? '';

const dir = mkdtempSync(path.join(os.tmpdir(), 'tsvisor-dynamic-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

// A small fixture tree with fixed contents and times (ls -l shows them).
const lines = Array.from({ length: 300 }, (_, k) => `line ${(k * 7919) % 300} ${k % 3 === 0 ? 'alpha' : 'beta'} ${(k * 31) % 17}`);
writeFileSync(path.join(dir, 'data.txt'), lines.join('\n') + '\n');
mkdirSync(path.join(dir, 'sub'));
writeFileSync(path.join(dir, 'sub', 'a.txt'), 'alpha one\nbeta two\nalpha three\n');
writeFileSync(path.join(dir, 'sub', 'b.txt'), 'gamma\n');
symlinkSync('sub/a.txt', path.join(dir, 'link'));

/** `sorted`: compare the lines sorted (directory order differs between filesystems). */
interface Case { argv: string[]; stdin?: string; sorted?: boolean }

const cases: Case[] = [
  { argv: ['/bin/echo', 'hello', 'dynamic', 'world'] },
  { argv: ['/bin/true'] },
  { argv: ['/bin/false'] },
  { argv: ['/bin/cat', 'data.txt', 'link'] },
  { argv: ['/bin/ls', '-la', '--time-style=+%s', 'sub'] },
  { argv: ['/bin/ls', '-l', '--time-style=+%s', 'link', 'data.txt'] },
  { argv: ['/usr/bin/sort', '-k3,3n', '-k1,1', 'data.txt'] },
  { argv: ['/usr/bin/sort', '-u', '-r', 'sub/a.txt', 'sub/b.txt'] },
  { argv: ['/usr/bin/md5sum', 'data.txt', 'sub/a.txt'] },
  { argv: ['/usr/bin/sha256sum', 'data.txt'] },
  { argv: ['/usr/bin/wc', 'data.txt', 'sub/a.txt'] },
  { argv: ['/bin/grep', '-rn', 'alpha', 'sub'] },
  { argv: ['/bin/grep', '-c', 'beta', 'data.txt'] },
  { argv: ['/bin/sed', '-n', 's/alpha/ALPHA/p', 'sub/a.txt'] },
  { argv: ['/usr/bin/head', '-n', '5', 'data.txt'] },
  { argv: ['/usr/bin/tail', '-n', '3', 'data.txt'] },
  { argv: ['/usr/bin/cut', '-d', ' ', '-f', '2,3', 'sub/a.txt'] },
  { argv: ['/usr/bin/tr', 'a-z', 'A-Z'], stdin: 'mixed Case input\n' },
  { argv: ['/usr/bin/uniq', '-c'], stdin: 'a\na\nb\nc\nc\nc\n' },
  { argv: ['/usr/bin/basename', '/usr/lib/x86_64-linux-gnu/libc.so.6'] },
  { argv: ['/usr/bin/stat', '-c', '%n %s %F %a', 'data.txt', 'sub', 'link'] },
  { argv: ['/usr/bin/expr', '12345', '*', '6789'] },
  { argv: ['/usr/bin/seq', '-s', ',', '1', '3', '40'] },
  { argv: ['/usr/bin/printf', '%08.3f|%x|%s\\n', '3.14159', '255', 'str'] },
  { argv: ['/bin/cat', 'missing-file'] },
];
const PY = [
  'import hashlib, json',
  'class Point:',
  '    def __init__(self, x, y): self.x, self.y = x, y',
  '    def __repr__(self): return f"Point({self.x}, {self.y})"',
  'print(hashlib.sha256(open("data.txt", "rb").read()).hexdigest())',
  'print(json.dumps({"points": [repr(Point(i, i * i)) for i in range(4)]}, sort_keys=True))',
].join('\n');
cases.push(
  { argv: ['/usr/bin/perl', '-e', 'my %h; $h{$_ % 7}++ for 1..1000; print join(",", map { "$_=$h{$_}" } sort keys %h), "\n"; printf "%.6f\n", atan2(1, 1) * 4'] },
  { argv: ['/usr/bin/python3', '-c', PY] },
  { argv: ['/usr/bin/find', '.', '-type', 'f'], sorted: true },
  { argv: ['/usr/bin/find', '/usr/share/doc/bash', '-type', 'f', '-name', '*.gz'], sorted: true },
);
if (existsSync('/usr/bin/gawk')) {
  cases.push({ argv: ['/usr/bin/gawk', '{ s[$3] += $4 } END { n = asorti(s, k); for (i = 1; i <= n; i++) print k[i], s[k[i]] }', 'data.txt'] });
}

/** Two programs connected by a pipe, as `a | b`: the first one's stdout is the second one's stdin. */
interface PipeCase { name: string; first: string[]; second: string[] }
const pipes: PipeCase[] = [
  { name: 'tar c | tar t', first: ['/bin/tar', 'cf', '-', '--sort=name', 'sub', 'data.txt'], second: ['/bin/tar', 'tf', '-'] },
  { name: 'gzip | gzip -d', first: ['/bin/gzip', '-c', 'data.txt'], second: ['/bin/gzip', '-dc'] },
  // gunzip is a #! shell script that execs gzip -d.
  { name: 'gzip | gunzip', first: ['/bin/gzip', '-c', 'data.txt'], second: ['/bin/gunzip', '-c'] },
];

for (const p of pipes) {
  if (filter && !p.name.includes(filter)) continue;
  t.test(p.name, async (tt) => {
    const env = { ...baseEnv(), LC_ALL: 'C.UTF-8' };
    const spec = { cwd: dir, env, timeoutMs: 120_000 };
    const a = await runDifferential(p.first[0], { ...spec, args: p.first.slice(1), stdin: '' }, { platform });
    tt.equal(a.sandbox.status, 0, `${p.first.join(' ')} in the sandbox: ${describeRun(a.sandbox)}`);
    const b = await runDifferential(p.second[0], { ...spec, args: p.second.slice(1), stdin: a.sandbox.stdout }, { platform });
    const diff = describeMismatch('stdout', b.native.stdout, b.sandbox.stdout);
    tt.equal(diff, null, diff ? diff.message : 'the sandbox pipeline gives what the native second stage makes of it');
    tt.ok(b.native.stdout.length > 0, 'the native second stage understood the sandbox\'s output');
  });
}

for (const c of cases) {
  const name = c.argv.join(' ');
  if (filter && !name.includes(filter)) continue;
  t.test(name, { skip: existsSync(c.argv[0]) ? false : `${c.argv[0]} not installed` }, async (tt) => {
    const env = { ...baseEnv(), LC_ALL: 'C.UTF-8' };
    const { native, sandbox } = await runDifferential(c.argv[0], { args: c.argv.slice(1), cwd: dir, env, stdin: c.stdin ?? '', timeoutMs: 120_000 }, { platform });
    const sort = (b: Buffer) => (c.sorted ? Buffer.from(b.toString('latin1').split('\n').sort().join('\n'), 'latin1') : b);
    const diff = describeMismatch('stdout', sort(native.stdout), sort(sandbox.stdout));
    tt.equal(diff, null, diff ? `${diff.message}\nsandbox: ${describeRun(sandbox)}` : 'same stdout');
    tt.equal(sandbox.status, native.status, `exit status (sandbox: ${describeRun(sandbox)})`);
  });
}
