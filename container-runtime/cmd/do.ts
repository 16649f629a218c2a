// `runts do`: run one program in a foreground sandbox, like `runsc do`: the host's root (or
// --rootfs) read-only under a writable overlay, --volume bind mounts, the host cwd (or --cwd) and
// environment (with --env, --clear-env), host uid/gid, the guest as PID 1, stdio passed through,
// the exit status passed back.

import { posix } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { GoferClient } from '../../gofer/client.js';
import { KvmPlatform } from '../../platform/kvm/kvm_platform.js';
import { cpuidFeatures } from '../../platform/cpu_features.js';
import { errnoName } from '../../sentry/abi/errno.js';
import type { Host } from '../../sentry/host.js';
import { Kernel } from '../../sentry/kernel/kernel.js';
import { ExecFailure } from '../../sentry/kernel/exec.js';
import { fsCreds, initialCredentials } from '../../sentry/kernel/task.js';
import type { MountNamespace } from '../../sentry/vfs/dentry.js';
import { AT_FDCWD } from '../../sentry/vfs/path.js';
import { buildSandboxTree } from '../../sentry/vfs/sandbox_tree.js';
import { lookupAt, type Caller } from '../../sentry/vfs/vfs.js';
import { createNodeHost } from '../../sentry/node/host.js';
import { SocketTransport } from '../../sentry/node/gofer_transport.js';
import { buildEnv, parseCwd, parsePidsLimit, parseRootfs, parseVolumes, searchPath, type Volume } from '../do_options.js';
import { GoferProcess, describeExit, goferMount } from '../gofer_process.js';
import { findProgram, isRegularFile } from '../program.js';
import { parseSize } from '../size.js';

export const DEFAULT_MEMORY = '2g';
export const DEFAULT_PIDS_LIMIT = 4096;
const MAX_MEMORY = 4 * 1024 ** 3;
/** After the Gofer dies, how long a guest may go on (seeing EIO) before the sandbox is killed. */
const GOFER_DEATH_GRACE_MS = 2000;
const SIGKILL = 9;
/** The Gofer's mount name of the sandbox's root; volumes are vol1, vol2, ... */
const ROOT_MOUNT = 'root';

interface DoOptions {
  platform: string;
  strace?: boolean;
  debug?: boolean;
  debugLog?: string;
  memory: string;
  user?: string;
  rootfs?: string;
  volume: string[];
  cwd?: string;
  env: string[];
  clearEnv?: boolean;
  pidsLimit: string;
}

/** Everything the options say, checked before anything starts. */
interface Plan {
  memory: number;
  user: { uid: number; gid: number } | null;
  rootfs: string;
  volumes: Volume[];
  /** --cwd, or null for the host's cwd (the root if the sandbox has no such directory). */
  cwd: string | null;
  env: string[];
  /** The most tasks and zombies the sandbox may hold (fork fails with EAGAIN beyond). */
  pidsLimit: number;
}

/** --user UID[:GID]: numeric ids (the group defaults to the user id, as runc's does for a bare uid). */
export function parseUser(spec: string): { uid: number; gid: number } {
  const m = /^(\d+)(?::(\d+))?$/.exec(spec);
  const ok = (v: number) => Number.isInteger(v) && v >= 0 && v < 0xffffffff;
  if (!m || !ok(Number(m[1])) || (m[2] !== undefined && !ok(Number(m[2])))) throw new Error(`--user must be UID or UID:GID (numbers), not '${spec}'`);
  return { uid: Number(m[1]), gid: m[2] === undefined ? Number(m[1]) : Number(m[2]) };
}

/** Checks every option; throws an Error saying which one is bad (runts exits 125). */
function plan(opts: DoOptions): Plan {
  const memory = parseSize(opts.memory);
  if (memory < 16 << 20 || memory > MAX_MEMORY) throw new Error(`--memory must be between 16m and 4g, not ${opts.memory}`);
  if (opts.platform !== 'kvm') throw new Error(`unknown platform '${opts.platform}' (this build has: kvm)`);
  return {
    memory,
    user: opts.user === undefined ? null : parseUser(opts.user),
    rootfs: opts.rootfs === undefined ? '/' : parseRootfs(opts.rootfs),
    volumes: parseVolumes(opts.volume ?? []),
    cwd: opts.cwd === undefined ? null : parseCwd(opts.cwd),
    env: buildEnv(process.env, !!opts.clearEnv, opts.env ?? []),
    pidsLimit: parsePidsLimit(opts.pidsLimit),
  };
}

export async function runDo(argv: string[], opts: DoOptions): Promise<number> {
  const p = plan(opts);
  // Every host file reaches the sandbox through the Gofer: the root read-only, each volume as
  // its own mount.
  const mounts = [goferMount(ROOT_MOUNT, p.rootfs, true), ...p.volumes.map((v, i) => goferMount(`vol${i + 1}`, v.host, v.readOnly))];
  const gofer = new GoferProcess(mounts, opts.debugLog);
  try {
    return await runWithGofer(argv, opts, p, gofer);
  } finally {
    await gofer.stop();
  }
}

/** A VFS caller for runts' own lookups, as the guest will be (its ids, its root as cwd). */
function callerFor(ns: MountNamespace, creds: ReturnType<typeof initialCredentials>): Caller {
  const root = ns.rootLocation;
  return { root, cwd: root, umask: 0o022, creds: fsCreds(creds), fdLocation: () => undefined, fdFile: () => undefined };
}

async function runWithGofer(argv: string[], opts: DoOptions, p: Plan, gofer: GoferProcess): Promise<number> {
  const [prog] = argv;
  const debugLog = opts.debugLog ?? (opts.debug || opts.strace ? 'stderr' : null);
  const host: Host = createNodeHost({ debugLog });
  const log = (m: string) => host.log(m);
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
    const uid = p.user?.uid ?? process.getuid?.() ?? 0, gid = p.user?.gid ?? process.getgid?.() ?? 0;
    const groups = p.user ? [] : process.getgroups?.() ?? [];
    const creds = initialCredentials(uid, gid, groups);

    const volumes = p.volumes.map((v, i) => ({ name: `vol${i + 1}`, guest: v.guest, readOnly: v.readOnly }));
    const mounts = await buildSandboxTree({ client, rootMount: ROOT_MOUNT, volumes, now: () => host.clock.realtime() });
    if ('errno' in mounts) {
      process.stderr.write(`runts: cannot build the sandbox's file tree: ${mounts.what}: ${errnoName(mounts.errno)} (Gofer pid ${gofer.pid})\n`);
      return 125;
    }
    const caller = callerFor(mounts, creds);

    // The working directory: --cwd must exist in the sandbox; the host's falls back to / there.
    let cwd = p.cwd ?? process.cwd();
    const at = await lookupAt(caller, AT_FDCWD, cwd, true);
    const isDir = typeof at !== 'number' && at.dentry.inode.isDir;
    if (!isDir) {
      if (p.cwd !== null) {
        process.stderr.write(`runts: --cwd ${cwd}: ${typeof at === 'number' ? errnoName(-at) : 'ENOTDIR'} in the sandbox\n`);
        return 125;
      }
      host.log(`the working directory ${cwd} is not a directory in the sandbox: using /`);
      cwd = '/';
    }

    const path = await findProgram(caller, prog, cwd, searchPath(p.env));
    if (!path) {
      // As a shell: a named file that exists but cannot be run is 126, a missing one 127.
      const exists = prog.includes('/') && await isRegularFile(caller, posix.resolve(cwd, prog));
      process.stderr.write(`runts: ${prog}: ${exists ? 'Permission denied' : prog.includes('/') ? 'No such file or directory' : 'command not found'}\n`);
      return exists ? 126 : 127;
    }

    const platform = new KvmPlatform(Math.floor(p.memory / 4096) * 4096);
    kernel = new Kernel(platform, host, { strace: !!opts.strace, hwcap: cpuidFeatures().edx, mounts });
    kernel.pidsLimit = p.pidsLimit;
    const sysMounts = await kernel.mountSystemFilesystems(1);
    if (sysMounts < 0) {
      process.stderr.write(`runts: cannot mount /proc and /sys: errno ${-sysMounts}\n`);
      return 125;
    }
    const init = await kernel.createInit(path, argv, p.env, cwd, creds);
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

/** Collects a repeatable option's values. */
const collect = (v: string, all: string[]): string[] => [...all, v];

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
    .option('--rootfs <dir>', 'host directory to use as the sandbox root (read-only, under a writable overlay)')
    .option('--volume <host[:guest][:ro]>', 'bind a host directory or file into the sandbox (writable unless :ro; repeatable)', collect, [])
    .option('--cwd <dir>', 'working directory in the sandbox (default: the current directory, else /)')
    .option('--env <key=value>', 'set an environment variable (repeatable)', collect, [])
    .option('--clear-env', 'start from an empty environment instead of the host\'s')
    .option('--pids-limit <n>', 'most tasks the sandbox may hold, threads and unreaped processes (fork fails with EAGAIN beyond)', String(DEFAULT_PIDS_LIMIT))
    .argument('<program>', 'program to run (found on PATH)')
    .argument('[args...]', 'its arguments')
    .passThroughOptions()
    .action(async (prog: string, args: string[], opts: DoOptions) => {
      const status = await runDo([prog, ...args], opts);
      // Let pending stdio writes finish before leaving with the guest's status; but the sandbox is
      // over, so a host read a killed guest left pending (fd 0 read on the thread pool, which
      // cannot be cancelled) must not hold runts.
      process.exitCode = status;
      setTimeout(() => process.exit(status), 0).unref();
    });
}
