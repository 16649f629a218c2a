// `runts do`: run one program in a foreground sandbox, like `runsc do`: host cwd and environment,
// host uid/gid, the guest as PID 1, stdio passed through, the exit status passed back.

import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { KvmPlatform } from '../../platform/kvm/kvm_platform.js';
import { cpuidFeatures } from '../../platform/cpu_features.js';
import { Kernel, LoadError } from '../../sentry/kernel/kernel.js';
import { createNodeHost } from '../../sentry/node/host.js';
import { parseSize } from '../size.js';

export const DEFAULT_MEMORY = '2g';
const MAX_MEMORY = 4 * 1024 ** 3;

interface DoOptions {
  platform: string;
  strace?: boolean;
  debug?: boolean;
  debugLog?: string;
  memory: string;
}

/** Finds `prog` as a shell would: a path if it has a slash, else the first executable on PATH. */
export function findProgram(prog: string, path = process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin'): string | null {
  const isExec = (p: string) => {
    try { return statSync(p).isFile() && (accessSync(p, constants.X_OK), true); } catch { return false; }
  };
  if (prog.includes('/')) return isExec(prog) ? resolve(prog) : null;
  for (const dir of path.split(delimiter)) {
    const p = join(dir || '.', prog);
    if (isExec(p)) return isAbsolute(p) ? p : resolve(p);
  }
  return null;
}

export async function runDo(argv: string[], opts: DoOptions): Promise<number> {
  const [prog] = argv;
  const path = findProgram(prog);
  if (!path) {
    // As a shell: a named file that exists but cannot be run is 126, a missing one 127.
    const exists = prog.includes('/') && (() => { try { return statSync(prog).isFile(); } catch { return false; } })();
    process.stderr.write(`runts: ${prog}: ${exists ? 'Permission denied' : prog.includes('/') ? 'No such file or directory' : 'command not found'}\n`);
    return exists ? 126 : 127;
  }
  const memory = parseSize(opts.memory);
  if (memory < 16 << 20 || memory > MAX_MEMORY) throw new Error(`--memory must be between 16m and 4g, not ${opts.memory}`);
  if (opts.platform !== 'kvm') throw new Error(`unknown platform '${opts.platform}' (this build has: kvm)`);

  const debugLog = opts.debugLog ?? (opts.debug || opts.strace ? 'stderr' : null);
  const host = createNodeHost({ debugLog });
  const platform = new KvmPlatform(Math.floor(memory / 4096) * 4096);
  const kernel = new Kernel(platform, host, { strace: !!opts.strace, hwcap: cpuidFeatures().edx });

  let file: Uint8Array;
  try { file = readFileSync(path); } catch (e) {
    process.stderr.write(`runts: ${prog}: ${(e as Error).message}\n`);
    return 126;
  }
  const env = Object.entries(process.env).map(([k, v]) => `${k}=${v}`);
  const uid = process.getuid?.() ?? 0, gid = process.getgid?.() ?? 0;
  let init;
  try {
    init = await kernel.createInit(file, path, argv, env, process.cwd(), { uid, euid: uid, suid: uid, gid, egid: gid, sgid: gid });
  } catch (e) {
    if (e instanceof LoadError) {
      process.stderr.write(`runts: ${prog}: cannot execute: ${e.message}\n`);
      return 126;
    }
    throw e;
  }

  const forward = (sig: NodeJS.Signals, n: number) => { const h = () => kernel.hostSignal(n); process.on(sig, h); return () => process.off(sig, h); };
  const unforward = [forward('SIGINT', 2), forward('SIGTERM', 15), forward('SIGHUP', 1), forward('SIGQUIT', 3)];
  try {
    await kernel.runTask(init);
  } finally {
    unforward.forEach((f) => f());
  }
  return init.tg.exitStatus ?? 0;
}

export function registerDo(program: Command): void {
  program
    .command('do')
    .description('run a program in a new sandbox in the foreground')
    .addOption(new Option('--platform <name>', 'how guest code runs').choices(['kvm']).default('kvm'))
    .option('--strace', 'log every syscall with its arguments and result')
    .option('--debug', 'write the Sentry log to stderr')
    .option('--debug-log <file>', 'write the Sentry log (warnings, --strace) to FILE')
    .option('--memory <size>', 'guest memory limit', DEFAULT_MEMORY)
    .argument('<program>', 'program to run (found on PATH)')
    .argument('[args...]', 'its arguments')
    .passThroughOptions()
    .action(async (prog: string, args: string[], opts: DoOptions) => {
      const status = await runDo([prog, ...args], opts);
      // Let pending stdio writes finish before leaving with the guest's status.
      process.exitCode = status;
    });
}
