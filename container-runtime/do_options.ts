// `runts do`'s file-tree and process options, checked before anything starts: --rootfs,
// --volume, --cwd, --env, --clear-env and --pids-limit. A bad value is an Error whose message says which
// option and why (main.ts prints it and exits 125).

import { statSync } from 'node:fs';
import { posix, resolve } from 'node:path';

/** A host directory or file bound into the sandbox (`--volume HOST[:GUEST][:ro]`). */
export interface Volume {
  /** Absolute host path. */
  host: string;
  /** Absolute, normalized path in the sandbox. */
  guest: string;
  readOnly: boolean;
  /** A directory (else a regular file). */
  isDir: boolean;
}

/** Where the sandbox's own filesystems sit: a volume there would be hidden or refused. */
const RESERVED = ['/proc', '/sys'];

function kind(path: string): 'dir' | 'file' | 'other' | null {
  try {
    const st = statSync(path);
    return st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'other';
  } catch { return null; }
}

/** --rootfs DIR: an existing host directory, as an absolute path. */
export function parseRootfs(dir: string, cwd = process.cwd()): string {
  const abs = resolve(cwd, dir);
  const k = kind(abs);
  if (k === null) throw new Error(`--rootfs ${dir}: no such directory`);
  if (k !== 'dir') throw new Error(`--rootfs ${dir}: not a directory`);
  return abs;
}

/** A guest path: absolute, normalized, without a trailing slash. */
function guestPath(p: string): string {
  const n = posix.normalize(p);
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
}

/**
 * --volume HOST[:GUEST][:ro|:rw]: HOST must exist (a directory or a regular file); GUEST, which
 * defaults to HOST, must be absolute and not / nor under /proc or /sys.
 */
export function parseVolume(spec: string, cwd = process.cwd()): Volume {
  const parts = spec.split(':');
  let readOnly = false;
  const opt = parts[parts.length - 1];
  if (parts.length > 1 && (opt === 'ro' || opt === 'rw')) { readOnly = opt === 'ro'; parts.pop(); }
  if (parts.length > 2 || parts[0] === '' || parts[1] === '') throw new Error(`--volume must be HOST[:GUEST][:ro], not '${spec}'`);
  const host = resolve(cwd, parts[0]);
  const k = kind(host);
  if (k === null) throw new Error(`--volume ${spec}: ${host} does not exist`);
  if (k === 'other') throw new Error(`--volume ${spec}: ${host} is neither a directory nor a regular file`);
  const rawGuest = parts[1] ?? host;
  if (!rawGuest.startsWith('/')) throw new Error(`--volume ${spec}: the path in the sandbox must be absolute, not '${rawGuest}'`);
  const guest = guestPath(rawGuest);
  if (guest === '/') throw new Error(`--volume ${spec}: cannot mount over / (use --rootfs)`);
  const reserved = RESERVED.find((r) => guest === r || guest.startsWith(`${r}/`));
  if (reserved) throw new Error(`--volume ${spec}: ${reserved} is the sandbox's own`);
  return { host, guest, readOnly, isDir: k === 'dir' };
}

/** Every --volume, checked, with no two at the same place. */
export function parseVolumes(specs: readonly string[], cwd = process.cwd()): Volume[] {
  const out = specs.map((s) => parseVolume(s, cwd));
  const seen = new Set<string>();
  for (const v of out) {
    if (seen.has(v.guest)) throw new Error(`--volume: two volumes at ${v.guest}`);
    seen.add(v.guest);
  }
  return out;
}

/** --cwd DIR: an absolute path in the sandbox. */
export function parseCwd(dir: string): string {
  if (!dir.startsWith('/')) throw new Error(`--cwd must be an absolute path in the sandbox, not '${dir}'`);
  if (dir.includes('\0')) throw new Error('--cwd must not contain NUL');
  return guestPath(dir);
}

/**
 * The guest's environment: the host's (none with --clear-env), then each --env KEY=VALUE in
 * order, a later one replacing an earlier one of the same KEY.
 */
export function buildEnv(base: NodeJS.ProcessEnv, clear: boolean, sets: readonly string[]): string[] {
  const env = new Map<string, string>();
  if (!clear) for (const [k, v] of Object.entries(base)) if (v !== undefined) env.set(k, v);
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new Error(`--env must be KEY=VALUE, not '${s}'`);
    if (s.includes('\0')) throw new Error(`--env ${s.slice(0, eq)}: must not contain NUL`);
    const key = s.slice(0, eq);
    env.delete(key); // a replaced variable moves to the end, where it was given
    env.set(key, s.slice(eq + 1));
  }
  return [...env].map(([k, v]) => `${k}=${v}`);
}

/** PATH as the guest's environment has it (a shell's default when it has none). */
export function searchPath(env: readonly string[]): string {
  const p = env.find((e) => e.startsWith('PATH='));
  return p === undefined ? '/usr/local/bin:/usr/bin:/bin' : p.slice(5);
}

/** The most pids a sandbox may hold, as Linux's pid_max. */
export const PID_MAX = 4194304;

/** --pids-limit N: how many tasks (threads and unreaped processes) the sandbox may hold, 1..PID_MAX. */
export function parsePidsLimit(spec: string): number {
  const n = /^\d+$/.test(spec) ? Number(spec) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > PID_MAX) throw new Error(`--pids-limit must be a whole number from 1 to ${PID_MAX}, not '${spec}'`);
  return n;
}
