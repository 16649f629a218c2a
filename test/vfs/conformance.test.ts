// File-system conformance: C programs under test/guest/files/ run every file call with its error
// cases in an empty directory, natively and in the sandbox, and the outputs must be identical.
//   fs_ops.c  names, attributes, xattrs, sparse files; as root, and as uid 1000 (natively through
//             setpriv, in the sandbox with `runts do --user 1000:1000`): EACCES and EPERM paths.
//   creds.c   the setuid family and what a dropped uid may still do.
//   fd_ops.c  descriptors and open flags: dup family, fcntl flags, lseek, O_* flags, getdents64,
//             statx, read/write variants, sendfile/copy_file_range, close_range, cwd calls.
//   exec_ops.c  execve/execveat: errors, #! scripts (nested, with an argument), close-on-exec,
//             signal dispositions across exec, AT_EMPTY_PATH.
//   mmap_ops.c  file mappings: MAP_SHARED both ways, MAP_PRIVATE copy-on-write, msync, mprotect,
//             mremap and munmap of file mappings, /proc/self/maps, a host file's page cache.
//   locks.c   fcntl record locks (F_SETLK/F_GETLK, F_OFD_*) and flock between descriptions.
// In the sandbox the directory is on the root overlay: writes land in its tmpfs upper layer, and
// each case also checks that none of them reached the host.

import t from 'tap';
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { baseEnv, compile, describeMismatch, describeRun, repoRoot, runProcess, runSandbox, type PlatformName } from '../differential/harness.js';

const platform = (process.env.TSVISOR_PLATFORM ?? 'kvm') as PlatformName;
const guestDir = path.join(repoRoot, 'test', 'guest', 'files');
const isRoot = process.getuid?.() === 0;
const hasSetpriv = spawnSync('setpriv', ['--version']).status === 0;

interface Case { name: string; source: string; user?: string; needsRoot: boolean }
const cases: Case[] = [
  { name: 'fs_ops.c as root', source: 'fs_ops.c', needsRoot: false },
  { name: 'fs_ops.c as uid 1000', source: 'fs_ops.c', user: '1000:1000', needsRoot: true },
  { name: 'creds.c as root', source: 'creds.c', needsRoot: true },
  { name: 'fd_ops.c as root', source: 'fd_ops.c', needsRoot: false },
  { name: 'fd_ops.c as uid 1000', source: 'fd_ops.c', user: '1000:1000', needsRoot: true },
  { name: 'locks.c', source: 'locks.c', needsRoot: false },
  { name: 'mmap_ops.c', source: 'mmap_ops.c', needsRoot: false },
  { name: 'exec_ops.c', source: 'exec_ops.c', needsRoot: false },
];

for (const c of cases) {
  const skip = c.needsRoot && !isRoot ? 'needs root (to run natively as another user, or to drop root)'
    : c.user && !hasSetpriv ? 'needs setpriv (util-linux)' : false;
  t.test(c.name, { skip }, async (tt) => {
    const { binary } = await compile(path.join(guestDir, c.source), 'gcc');
    const nativeDir = mkdtempSync(path.join(os.tmpdir(), 'tsvisor-conf-native-'));
    const sandboxDir = mkdtempSync(path.join(os.tmpdir(), 'tsvisor-conf-sandbox-'));
    tt.teardown(() => { rmSync(nativeDir, { recursive: true, force: true }); rmSync(sandboxDir, { recursive: true, force: true }); });
    if (c.user) { chmodSync(nativeDir, 0o777); chmodSync(sandboxDir, 0o777); }
    const env = baseEnv();
    const [uid, gid] = (c.user ?? '').split(':');
    const nativeArgv = c.user ? ['setpriv', `--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', binary, nativeDir] : [binary, nativeDir];
    const native = await runProcess(nativeArgv, { env });
    tt.equal(native.status, 0, `native run: ${describeRun(native)}`);
    const sandbox = await runSandbox(binary, { args: [sandboxDir], env, timeoutMs: 120_000 }, { platform, extraFlags: c.user ? ['--user', c.user] : [] });
    tt.equal(sandbox.status, 0, `sandbox run: ${describeRun(sandbox)}`);
    const diff = describeMismatch('stdout', native.stdout, sandbox.stdout);
    tt.equal(diff, null, diff ? diff.message : 'same output');
    tt.same(readdirSync(sandboxDir), [], 'nothing the guest wrote reached the host directory');
  });
}
