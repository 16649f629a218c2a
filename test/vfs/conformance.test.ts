// File-system conformance: test/guest/files/fs_ops.c runs every name- and attribute-changing call
// (with its error cases) in an empty directory, natively and in the sandbox, and the two outputs
// must be identical. In the sandbox the directory is on the root overlay: the writes land in its
// tmpfs upper layer, and the test also checks that none of them reached the host.

import t from 'tap';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { baseEnv, compile, describeMismatch, describeRun, repoRoot, runNative, runSandbox, type PlatformName } from '../differential/harness.js';

const platform = (process.env.TSVISOR_PLATFORM ?? 'kvm') as PlatformName;
const source = path.join(repoRoot, 'test', 'guest', 'files', 'fs_ops.c');

t.test('fs_ops.c: the same results natively and in the sandbox', async (tt) => {
  const { binary } = await compile(source, 'gcc');
  const nativeDir = mkdtempSync(path.join(os.tmpdir(), 'tsvisor-fsops-native-'));
  const sandboxDir = mkdtempSync(path.join(os.tmpdir(), 'tsvisor-fsops-sandbox-'));
  tt.teardown(() => { rmSync(nativeDir, { recursive: true, force: true }); rmSync(sandboxDir, { recursive: true, force: true }); });
  const env = baseEnv();
  const native = await runNative(binary, { args: [nativeDir], env });
  tt.equal(native.status, 0, `native run: ${describeRun(native)}`);
  const sandbox = await runSandbox(binary, { args: [sandboxDir], env, timeoutMs: 120_000 }, { platform });
  tt.equal(sandbox.status, 0, `sandbox run: ${describeRun(sandbox)}`);
  const diff = describeMismatch('stdout', native.stdout, sandbox.stdout);
  tt.equal(diff, null, diff ? diff.message : 'same output');
  tt.same(readdirSync(sandboxDir), [], 'nothing the guest wrote reached the host directory');
});
