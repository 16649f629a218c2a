// `runts do`: run one program in a foreground sandbox, like `runsc do`: host cwd and environment,
// host uid/gid, the guest as PID 1, stdio passed through, the exit status passed back.

import { delimiter, isAbsolute, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { GoferClient } from '../../gofer/client.js';
import { KvmPlatform } from '../../platform/kvm/kvm_platform.js';
import { cpuidFeatures } from '../../platform/cpu_features.js';
import type { Host, HostFs } from '../../sentry/host.js';
import { Kernel } from '../../sentry/kernel/kernel.js';
import { ExecFailure } from '../../sentry/kernel/exec.js';
import { initialCredentials } from '../../sentry/kernel/task.js';
import { buildSandboxTree } from '../../sentry/vfs/sandbox_tree.js';
import { createNodeHost } from '../../sentry/node/host.js';
import { SocketTransport } from '../../sentry/node/gofer_transport.js';
import { GoferFs } from '../../sentry/vfs/gofer_fs.js';
import { S_IFMT, S_IFREG } from '../../sentry/vfs/stat.js';
import { GoferProcess, describeExit } from '../gofer_process.js';
import { parseSize } from '../size.js';

export const DEFAULT_MEMORY = '2g';
const MAX_MEMORY = 4 * 1024 ** 3;
/** After the Gofer dies, how long a guest may go on (seeing EIO) before the sandbox is killed. */
const GOFER_DEATH_GRACE_MS = 2000;
const SIGKILL = 9;
const X_OK = 1;

interface DoOptions {
  platform: string;
  strace?: boolean;
  debug?: boolean;
  debugLog?: string;
  memory: string;
  user?: string;
}

/** --user UID[:GID]: numeric ids (the group defaults to the user id, as runc's does for a bare uid). */
export function parseUser(spec: string): { uid: number; gid: number } {
  const m = /^(\d+)(?::(\d+))?$/.exec(spec);
  const ok = (v: number) => Number.isInteger(v) && v >= 0 && v < 0xffffffff;
  if (!m || !ok(Number(m[1])) || (m[2] !== undefined && !ok(Number(m[2])))) throw new Error(`--user must be UID or UID:GID (numbers), not '${spec}'`);
  return { uid: Number(m[1]), gid: m[2] === undefined ? Number(m[1]) : Number(m[2]) };
}

/**
 * Finds `prog` in the sandbox's files as a shell would: a path if it has a slash (relative to
 * `cwd`), else the first executable regular file on PATH.
 */
export async function findProgram(fs: HostFs, prog: string, cwd: string, path = process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin'): Promise<string | null> {
  const isExec = async (p: string) => {
    const st = await fs.stat(p, true);
    return typeof st !== 'number' && (st.mode & S_IFMT) === S_IFREG && (await fs.access(p, X_OK)) === 0;
  };
  if (prog.includes('/')) { const p = resolve(cwd, prog); return (await isExec(p)) ? p : null; }
  for (const dir of path.split(delimiter)) {
    const p = join(dir || '.', prog);
    const abs = isAbsolute(p) ? p : resolve(cwd, p);
    if (await isExec(abs)) return abs;
  }
  return null;
}

export async function runDo(argv: string[], opts: DoOptions): Promise<number> {
  const memory = parseSize(opts.memory);
  if (opts.user !== undefined) parseUser(opts.user); // a bad --user fails before anything starts
  if (memory < 16 << 20 || memory > MAX_MEMORY) throw new Error(`--memory must be between 16m and 4g, not ${opts.memory}`);
  if (opts.platform !== 'kvm') throw new Error(`unknown platform '${opts.platform}' (this build has: kvm)`);

  // Every host file reaches the sandbox through the Gofer, serving the host root read-only.
  const gofer = new GoferProcess(['root=/:ro'], opts.debugLog);
  try {
    return await runWithGofer(argv, opts, memory, gofer);
  } finally {
    await gofer.stop();
  }
}

async function runWithGofer(argv: string[], opts: DoOptions, memory: number, gofer: GoferProcess): Promise<number> {
  const [prog] = argv;
  const debugLog = opts.debugLog ?? (opts.debug || opts.strace ? 'stderr' : null);
  let host: Host | undefined;
  const log = (m: string) => host?.log(m);
  const client = new GoferClient(new SocketTransport(gofer.socket, log), log);
  // gVisor treats a Gofer crash as fatal: file calls fail with EIO at once, the guest gets a
  // moment to notice and report it, then the sandbox is killed. Never a hang.
  let kernel: Kernel | undefined;
  let goferDied = false;
  let killTimer: NodeJS.Timeout | undefined;
  gofer.onUnexpectedExit((e) => {
    goferDied = true;
    process.stderr.write(`runts: the Gofer (pid ${e.pid}) exited unexpectedly (${describeExit(e)}): file access fails with EIO\n`);
    client.close();
    killTimer = setTimeout(() => kernel?.hostSignal(SIGKILL), GOFER_DEATH_GRACE_MS);
    killTimer.unref(); // reported after the guest already ended: nothing left to wait for
  });
  try {
    // The guest runs as the host user, or as --user UID[:GID] (then with no supplementary groups).
    const user = opts.user === undefined ? null : parseUser(opts.user);
    const uid = user?.uid ?? process.getuid?.() ?? 0, gid = user?.gid ?? process.getgid?.() ?? 0;
    const groups = user ? [] : process.getgroups?.() ?? [];
    const fs = await GoferFs.mount(client, 'root', () => ({ uid, gid, groups }));
    if (typeof fs === 'number') {
      process.stderr.write(`runts: cannot attach to the Gofer (pid ${gofer.pid}): errno ${-fs}\n`);
      return 125;
    }
    host = createNodeHost({ debugLog, fs });

    const cwd = process.cwd();
    const path = await findProgram(fs, prog, cwd);
    if (!path) {
      // As a shell: a named file that exists but cannot be run is 126, a missing one 127.
      const st = prog.includes('/') ? await fs.stat(resolve(cwd, prog), true) : -1;
      const exists = typeof st !== 'number' && (st.mode & S_IFMT) === S_IFREG;
      process.stderr.write(`runts: ${prog}: ${exists ? 'Permission denied' : prog.includes('/') ? 'No such file or directory' : 'command not found'}\n`);
      return exists ? 126 : 127;
    }

    const mounts = await buildSandboxTree({ host: fs, now: () => host!.clock.realtime() });
    if (typeof mounts === 'number') {
      process.stderr.write(`runts: cannot build the sandbox's file tree: errno ${-mounts}\n`);
      return 125;
    }
    const platform = new KvmPlatform(Math.floor(memory / 4096) * 4096);
    kernel = new Kernel(platform, host, { strace: !!opts.strace, hwcap: cpuidFeatures().edx, mounts });
    const sysMounts = await kernel.mountSystemFilesystems(1);
    if (sysMounts < 0) {
      process.stderr.write(`runts: cannot mount /proc and /sys: errno ${-sysMounts}\n`);
      return 125;
    }
    const env = Object.entries(process.env).map(([k, v]) => `${k}=${v}`);
    const init = await kernel.createInit(path, argv, env, cwd, initialCredentials(uid, gid, groups));
    if (init instanceof ExecFailure) {
      process.stderr.write(`runts: ${prog}: cannot execute: ${init.message}\n`);
      return 126;
    }

    const k = kernel;
    const forward = (sig: NodeJS.Signals, n: number) => { const h = () => k.hostSignal(n); process.on(sig, h); return () => process.off(sig, h); };
    const unforward = [forward('SIGINT', 2), forward('SIGTERM', 15), forward('SIGHUP', 1), forward('SIGQUIT', 3)];
    try {
      await k.run(init);
    } finally {
      unforward.forEach((f) => f());
    }
    const status = init.tg.exitStatus ?? 0;
    // A sandbox that lost its files did not run as asked, whatever the guest made of it.
    return goferDied && status === 0 ? 1 : status;
  } finally {
    clearTimeout(killTimer);
  }
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
    .option('--user <uid[:gid]>', 'run the program as this user and group (numeric; capabilities only for 0)')
    .argument('<program>', 'program to run (found on PATH)')
    .argument('[args...]', 'its arguments')
    .passThroughOptions()
    .action(async (prog: string, args: string[], opts: DoOptions) => {
      const status = await runDo([prog, ...args], opts);
      // Let pending stdio writes finish before leaving with the guest's status.
      process.exitCode = status;
    });
}
