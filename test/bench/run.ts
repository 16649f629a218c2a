// `npm run bench`: speed and memory, measured side by side (DESIGN.md, "The machine" and "Testing").
//
// Each benchmark is a C program under test/bench/guest/, compiled once with `gcc -O2 -static` into
// test/build/bench/ (cached by source, flags and compiler version). Every program runs under every
// runner: natively (the reference), under qemu-x86_64 (another emulator, for scale) and in the
// sandbox (`runts do`, one column per platform). The best wall time of N runs is reported with its
// ratio to native, with the maximum RSS of each run, and the outputs are checked: every runner must
// print exactly what an independent oracle in this file predicts (or, without one, what the native
// run printed), and exit 0. A failure or a timeout in one cell never stops the bench; results also
// go to test/build/bench/results.json.
//
// Environment:
//   BENCH_SCALE          size multiplier for every benchmark (float, default 1; 0.1 for a quick run)
//   BENCH_RUNS           runs per cell, best one kept (default 3)
//   BENCH_SANDBOX_RUNS   runs per sandbox cell (default BENCH_RUNS; unless set, a sandbox cell stops
//                        after one run that took longer than BENCH_SLOW_S, default 5)
//   BENCH_TIMEOUT_S      limit for one run, after which it is killed (default 600)
//   BENCH_PLATFORMS      sandbox platforms, comma-separated, one column each (default kvm)
//   BENCH_SANDBOX_ARGS   extra `runts do` options, whitespace-separated (e.g. "--memory 4g")
//   BENCH_ONLY           benchmarks to run, comma-separated (also: positional arguments)
//   BENCH_RUNNERS        runners to run, comma-separated (native always runs: it is the reference)
//   BENCH_SANDBOX_CLI    the runts main.js to measure (default dist/container-runtime/main.js)
//
// Adding a benchmark: a C file under guest/ plus one entry in BENCHMARKS. Adding a runner: one
// entry in RUNNERS (or one more platform name in BENCH_PLATFORMS).

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NATIVE_GLIBC_TUNABLES, repoRoot } from '../differential/harness.js';

// ---------------------------------------------------------------------------------------------
// Locations

const guestDir = path.join(repoRoot, 'test', 'bench', 'guest');
const cacheDir = path.join(repoRoot, 'test', 'build', 'bench');
const resultsFile = path.join(cacheDir, 'results.json');
/** The sandbox CLI; BENCH_SANDBOX_CLI can point at another build (e.g. a saved copy of dist/). */
const sandboxCli = path.resolve(process.env.BENCH_SANDBOX_CLI || path.join(repoRoot, 'dist', 'container-runtime', 'main.js'));


// ---------------------------------------------------------------------------------------------
// Settings

function envNumber(name: string, fallback: number, min = 0): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const v = Number(raw);
  if (!Number.isFinite(v) || v <= min) throw new Error(`${name} must be a number > ${min}, not '${raw}'`);
  return v;
}

function envList(name: string): string[] | null {
  const raw = process.env[name];
  if (!raw) return null;
  return raw.split(',').map((s) => s.trim()).filter(Boolean);
}

const SCALE = envNumber('BENCH_SCALE', 1);
const RUNS = Math.floor(envNumber('BENCH_RUNS', 3));
const SANDBOX_RUNS_SET = !!process.env.BENCH_SANDBOX_RUNS;
const SANDBOX_RUNS = Math.floor(envNumber('BENCH_SANDBOX_RUNS', RUNS));
const SLOW_S = envNumber('BENCH_SLOW_S', 5);
const TIMEOUT_S = envNumber('BENCH_TIMEOUT_S', 600);
const PLATFORMS = envList('BENCH_PLATFORMS') ?? ['kvm'];
const SANDBOX_ARGS = (process.env.BENCH_SANDBOX_ARGS ?? '').split(/\s+/).filter(Boolean);

/** Makes the native side use glibc's baseline routines, as the guest does (DESIGN.md, Testing). */
const GLIBC_TUNABLES = NATIVE_GLIBC_TUNABLES;
const COMPILER = 'gcc';
const COMPILE_FLAGS = ['-O2', '-static', '-Wall'];

// ---------------------------------------------------------------------------------------------
// Benchmarks

interface Size {
  /** The program's arguments. */
  args: string[];
  /** A human-readable size for the table. */
  label: string;
  /** When set, the table adds a row with time per unit (e.g. microseconds per syscall). */
  perUnit?: { count: number; unit: string };
}

interface Benchmark {
  name: string;
  /** C source file under test/bench/guest/. */
  source: string;
  /** Arguments and size for a given BENCH_SCALE. */
  size(scale: number): Size;
  /** The exact stdout the program must print, computed independently in JavaScript; when absent,
   *  the native run's stdout is the reference. */
  expected?(size: Size): string;
  /** What it measures, for the JSON and the notes. */
  note: string;
}

const MiB = 1024 * 1024;

const BENCHMARKS: Benchmark[] = [
  {
    name: 'startup',
    source: 'startup.c',
    size: () => ({ args: [], label: '1 process' }),
    expected: () => 'hello\n',
    note: 'exec + libc start-up + exit: the fixed cost under every other figure',
  },
  {
    name: 'sha256',
    source: 'sha256.c',
    size: (s) => {
      const bytes = Math.max(4, Math.round((64 * MiB * s) / 4) * 4);
      return { args: [String(bytes)], label: fmtBytes(bytes) };
    },
    expected: (size) => {
      const bytes = Number(size.args[0]);
      return `sha256 ${bytes} ${createHash('sha256').update(xorshiftData(bytes)).digest('hex')}\n`;
    },
    note: 'plain-C SHA-256 of xorshift32 data generated in memory: 32-bit ALU, rotates, loads/stores',
  },
  {
    name: 'sieve',
    source: 'sieve.c',
    size: (s) => {
      const n = Math.max(10, Math.round(50_000_000 * s));
      return { args: [String(n)], label: `n=${n.toLocaleString('en-US')}` };
    },
    expected: (size) => {
      const n = Number(size.args[0]);
      return `primes <= ${n}: ${countPrimes(n)}\n`;
    },
    note: 'sieve of Eratosthenes, one byte per number: memory-bound loops, fresh pages (calloc)',
  },
  getppidLoop('getppid', 'getppid', 'getppid() in a loop: the syscall round trip (per call: net of the startup benchmark)'),
  {
    name: 'futex',
    source: 'futex_pingpong.c',
    size: (s) => {
      const rounds = Math.max(1, Math.round(100_000 * s));
      return { args: [String(rounds)], label: `${rounds.toLocaleString('en-US')} round trips`, perUnit: { count: rounds, unit: 'µs/round trip' } };
    },
    expected: (size) => `pingpong rounds=${size.args[0]} turns=${2 * Number(size.args[0])}\n`,
    note: 'two threads taking turns on one futex word (FUTEX_WAIT/FUTEX_WAKE): thread wake-up latency',
  },
  getppidLoop('syscall', 'syscall', 'syscall(SYS_getppid) in a loop: the round trip plus the generic wrapper (per call: net of startup)'),
  {
    name: 'stat',
    source: 'fileio.c',
    size: (s) => {
      const n = Math.max(1, Math.round(100_000 * s));
      return { args: ['stat', fixtures().small + '/f0', String(n)], label: `${n.toLocaleString('en-US')} stats`, perUnit: { count: n, unit: 'µs/stat' } };
    },
    expected: (size) => `stat ${size.args[2]} ok\n`,
    note: 'stat(2) of one host file again and again: path resolution through the VFS and the Gofer',
  },
  {
    name: 'smallfiles',
    source: 'fileio.c',
    size: () => ({ args: ['small', fixtures().small, String(SMALL_FILES)], label: `${SMALL_FILES} files`, perUnit: { count: SMALL_FILES, unit: 'µs/file' } }),
    expected: () => `small ${SMALL_FILES} files ${SMALL_FILES * SMALL_FILE_BYTES} bytes\n`,
    note: 'open+read+close of 1,000 small host files',
  },
  {
    name: 'bigread',
    source: 'fileio.c',
    size: () => ({ args: ['read', fixtures().big], label: fmtBytes(BIG_FILE_BYTES) }),
    expected: () => `read ${BIG_FILE_BYTES} bytes sum ${fixtureSum()}\n`,
    note: 'a 64 MiB host file read sequentially in 1 MiB reads',
  },
  procsBench('forkexit', 'forkexit', 1000, 'µs/fork', 'fork + _exit + waitpid, one child at a time: copy-on-write address space copy, task start and reaping'),
  procsBench('forkexec', 'forkexec', 200, 'µs/spawn', 'fork + exec of a tiny static program (this one) + wait: the cost of spawning a command (under qemu-x86_64 the exec\'d child runs natively, so that column flatters qemu)'),
  procsBench('pipepingpong', 'pingpong', 20000, 'µs/round trip', 'two processes bouncing one byte through two pipes: blocking pipe reads and waking the other task'),
];

/** procs.c in mode `mode`, `count` times at scale 1. */
function procsBench(name: string, mode: 'forkexit' | 'forkexec' | 'pingpong', count: number, unit: string, note: string): Benchmark {
  return {
    name,
    source: 'procs.c',
    size: (s) => {
      const n = Math.max(1, Math.round(count * s));
      return { args: [mode, String(n)], label: `${n.toLocaleString('en-US')} ${mode === 'pingpong' ? 'round trips' : 'children'}`, perUnit: { count: n, unit } };
    },
    expected: (size) => `${mode} ${size.args[1]} ok\n`,
    note,
  };
}

/** 1,000,000 getppid calls through getppid.c, calling getppid() or syscall() (`mode`). */
function getppidLoop(name: string, mode: 'getppid' | 'syscall', note: string): Benchmark {
  return {
    name,
    source: 'getppid.c',
    size: (s) => {
      const calls = Math.max(1, Math.round(1_000_000 * s));
      return { args: [String(calls), mode], label: `${calls.toLocaleString('en-US')} calls`, perUnit: { count: calls, unit: 'µs/call' } };
    },
    expected: (size) => `getppid calls=${size.args[0]} consistent=yes\n`,
    note,
  };
}

// The files the file benchmarks read, made once under test/build/bench/files/ (host files: the
// sandbox reaches them through the Gofer).
const SMALL_FILES = 1000, SMALL_FILE_BYTES = 512, BIG_FILE_BYTES = 64 * MiB;

function fixtureByte(i: number): number { return (i * 2654435761) >>> 24; }

function fixtureSum(): number {
  let sum = 0;
  for (let i = 0; i < BIG_FILE_BYTES; i++) sum = (sum + fixtureByte(i)) >>> 0;
  return sum;
}

let fixtureDirs: { small: string; big: string } | null = null;
function fixtures(): { small: string; big: string } {
  if (fixtureDirs) return fixtureDirs;
  const root = path.join(cacheDir, 'files');
  const small = path.join(root, 'small'), big = path.join(root, 'big.bin');
  if (!existsSync(path.join(small, `f${SMALL_FILES - 1}`))) {
    mkdirSync(small, { recursive: true });
    for (let i = 0; i < SMALL_FILES; i++) writeFileSync(path.join(small, `f${i}`), Buffer.alloc(SMALL_FILE_BYTES, i & 0xff));
  }
  if (!existsSync(big)) {
    const data = Buffer.alloc(BIG_FILE_BYTES);
    for (let i = 0; i < BIG_FILE_BYTES; i++) data[i] = fixtureByte(i);
    writeFileSync(`${big}.tmp`, data);
    renameSync(`${big}.tmp`, big);
  }
  return fixtureDirs = { small, big };
}

/** The data sha256.c hashes: xorshift32 from seed 0x12345678, each word little-endian. */
function xorshiftData(bytes: number): Uint8Array {
  const words = new Int32Array(Math.ceil(bytes / 4));
  let x = 0x12345678;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    words[i] = x;
  }
  if (os.endianness() !== 'LE') throw new Error('bench: the sha256 oracle assumes a little-endian host');
  return new Uint8Array(words.buffer, 0, bytes);
}

function countPrimes(n: number): number {
  const composite = new Uint8Array(n + 1);
  for (let i = 2; i * i <= n; i++) {
    if (!composite[i]) for (let j = i * i; j <= n; j += i) composite[j] = 1;
  }
  let count = 0;
  for (let i = 2; i <= n; i++) if (!composite[i]) count++;
  return count;
}

// ---------------------------------------------------------------------------------------------
// Runners

interface Command {
  file: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** A log the runner writes besides stderr (the Sentry's --debug-log), shown when a run fails. */
  logFile?: string;
}

interface Runner {
  name: string;
  /** null when it can run, else why not (the column is skipped with that note). */
  unavailable(): string | null;
  /** `scratch` is a file name the command may use for a log. */
  command(binary: string, args: string[], scratch: string): Command;
  runs: number;
  /** Stop repeating a cell after one run slower than this (seconds). */
  slowCutoffS: number;
}

const NATIVE: Runner = {
  name: 'native',
  unavailable: () => null,
  command: (binary, args) => ({ file: binary, args, env: { ...process.env, GLIBC_TUNABLES } }),
  runs: RUNS,
  slowCutoffS: Infinity,
};

function qemuRunner(): Runner {
  let probed: string | null | undefined;
  return {
    name: 'qemu',
    unavailable: () => {
      if (probed !== undefined) return probed;
      const r = spawnSync('qemu-x86_64', ['--version'], { encoding: 'utf8', timeout: 30_000 });
      probed = r.error
        ? `qemu-x86_64 not found (install Debian's qemu-user): ${r.error.message}`
        : r.status !== 0 ? `qemu-x86_64 --version exited with ${r.status ?? r.signal}` : null;
      return probed;
    },
    // qemu passes its environment on to the guest. (`-E VAR=VALUE` would set it for the guest
    // alone, but it splits its argument at commas, and the tunable's value is a comma list.)
    // qemu's own glibc then also uses baseline string routines, which barely matters to it.
    command: (binary, args) => ({ file: 'qemu-x86_64', args: [binary, ...args], env: { ...process.env, GLIBC_TUNABLES } }),
    runs: RUNS,
    slowCutoffS: Infinity,
  };
}

function sandboxRunner(platform: string, named: boolean): Runner {
  return {
    name: named ? `tsvisor/${platform}` : 'tsvisor',
    unavailable: () => (existsSync(sandboxCli) ? null : `${path.relative(repoRoot, sandboxCli)} missing (run npm run build)`),
    // GLIBC_TUNABLES is not set here: the sandbox's environment is also node's, whose own glibc it
    // would slow down. The guest's CPUID advertises only what the CPU implements, so its glibc
    // picks routines from that.
    // The Sentry's log (warnings, why the guest got a signal) goes to a file, shown on failure.
    command: (binary, args, scratch) => ({
      file: process.execPath,
      args: [sandboxCli, 'do', '--platform', platform, '--debug-log', scratch, ...SANDBOX_ARGS, '--', binary, ...args],
      env: process.env,
      logFile: scratch,
    }),
    runs: SANDBOX_RUNS,
    slowCutoffS: SANDBOX_RUNS_SET ? Infinity : SLOW_S,
  };
}

const RUNNERS: Runner[] = [
  NATIVE,
  qemuRunner(),
  ...PLATFORMS.map((p) => sandboxRunner(p, PLATFORMS.length > 1)),
];

// ---------------------------------------------------------------------------------------------
// Compiling (cached)

interface Compiled { binary: string | null; error: string }

let compilerVersion: string | undefined;

function compile(bench: Benchmark): Compiled {
  if (compilerVersion === undefined) {
    const r = spawnSync(COMPILER, ['--version'], { encoding: 'utf8', timeout: 30_000 });
    compilerVersion = r.status === 0 ? r.stdout.split('\n')[0]!.trim() : '';
  }
  if (!compilerVersion) return { binary: null, error: `${COMPILER} not available` };
  const src = path.join(guestDir, bench.source);
  let text: Buffer;
  try { text = readFileSync(src); } catch (e) { return { binary: null, error: `cannot read ${src}: ${(e as Error).message}` }; }
  const key = createHash('sha256').update(text).update('\0').update(COMPILE_FLAGS.join(' ')).update('\0').update(compilerVersion)
    .digest('hex').slice(0, 16);
  mkdirSync(cacheDir, { recursive: true });
  const out = path.join(cacheDir, `${bench.name}.${key}`);
  if (existsSync(out)) return { binary: out, error: '' };
  const tmp = `${out}.tmp${process.pid}`;
  const r = spawnSync(COMPILER, [...COMPILE_FLAGS, '-o', tmp, src], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) {
    rmSync(tmp, { force: true });
    return { binary: null, error: `${COMPILER} failed: ${(r.stderr || r.error?.message || '').trim().split('\n').slice(-3).join(' | ')}` };
  }
  renameSync(tmp, out);
  return { binary: out, error: '' };
}

// ---------------------------------------------------------------------------------------------
// Measuring one run

interface RunResult {
  wallS: number;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  /** Maximum resident set size in KiB, when it could be measured. */
  maxRssKiB: number | null;
  /** Spawning itself failed. */
  spawnError?: string;
}

const TIME_BIN = '/usr/bin/time';
const haveGnuTime = (() => {
  const r = spawnSync(TIME_BIN, ['-f', '%M', 'true'], { encoding: 'utf8', timeout: 10_000 });
  return r.status === 0 && /^\d+\s*$/.test(r.stderr.trim().split('\n').pop() ?? '');
})();

const OUTPUT_CAP = 1 << 20;
/** The process group of the run in progress, so Ctrl-C can end it too. */
let currentGroup: number | null = null;

process.on('SIGINT', () => {
  if (currentGroup !== null) try { process.kill(-currentGroup, 'SIGKILL'); } catch { /* gone already */ }
  process.exit(130);
});

function runOnce(cmd: Command, timeoutS: number): Promise<RunResult> {
  const rssFile = path.join(cacheDir, `.rss.${process.pid}`);
  rmSync(rssFile, { force: true });
  const file = haveGnuTime ? TIME_BIN : cmd.file;
  const args = haveGnuTime ? ['-f', '%M', '-o', rssFile, cmd.file, ...cmd.args] : cmd.args;
  return new Promise((resolve) => {
    const start = process.hrtime.bigint();
    let end: bigint | null = null;
    // Its own process group, so that a timeout kills the program and not only /usr/bin/time.
    const child = spawn(file, args, { env: cmd.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '', stderr = '', timedOut = false, hwmKiB: number | null = null;
    child.stdout.setEncoding('utf8').on('data', (d: string) => { if (stdout.length < OUTPUT_CAP) stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr = (stderr + d).slice(-OUTPUT_CAP); });
    if (child.pid !== undefined) currentGroup = child.pid;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) try { process.kill(-child.pid, 'SIGKILL'); } catch { /* exited meanwhile */ }
    }, timeoutS * 1000);
    // Without GNU time: sample the high-water mark while it runs (may miss a peak in the last 20 ms).
    const poll = haveGnuTime || child.pid === undefined ? null : setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) hwmKiB = Math.max(hwmKiB ?? 0, Number(m[1]));
      } catch { /* exited */ }
    }, 20);
    child.on('exit', () => { end = process.hrtime.bigint(); });
    let spawnError: string | undefined;
    child.on('error', (e) => { spawnError = e.message; });
    child.on('close', (code, signal) => {
      end ??= process.hrtime.bigint();
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      currentGroup = null;
      let exitCode = code, sig: string | null = signal;
      let maxRssKiB = hwmKiB;
      if (haveGnuTime) {
        // GNU time exits with the program's status (128+n after a signal) and notes the signal
        // in its output file, above the %M line.
        let text = '';
        try { text = readFileSync(rssFile, 'utf8'); } catch { /* killed before writing it */ }
        rmSync(rssFile, { force: true });
        const lines = text.trim().split('\n');
        const last = lines.pop() ?? '';
        if (/^\d+$/.test(last)) maxRssKiB = Number(last);
        const m = /terminated by signal (\d+)/.exec(text);
        if (m) { sig = signalName(Number(m[1])); exitCode = null; }
        if (code === 127 && !text && !sig) spawnError = `cannot run ${cmd.file}`;
      }
      resolve({ wallS: Number(end - start) / 1e9, exitCode, signal: sig, timedOut, stdout, stderr, maxRssKiB, spawnError });
    });
  });
}

function signalName(n: number): string {
  for (const [name, num] of Object.entries(os.constants.signals)) if (num === n) return name;
  return `signal ${n}`;
}

// ---------------------------------------------------------------------------------------------
// A cell: one benchmark under one runner, best of N

type Status = 'ok' | 'mismatch' | 'failed' | 'timeout' | 'skipped';

interface Cell {
  status: Status;
  /** Short reason for the table (failed/timeout/skipped/mismatch). */
  reason: string;
  /** Longer detail for the notes below the table (stderr tail, diff). */
  detail: string;
  bestS: number | null;
  timesS: number[];
  maxRssKiB: number | null;
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderrTail: string;
}

function tail(text: string, lines: number, width = 200): string {
  return text.trimEnd().split('\n').slice(-lines).map((l) => (l.length > width ? `${l.slice(0, width)}…` : l)).join('\n');
}

function describeExit(r: RunResult): string {
  if (r.spawnError) return `cannot start: ${r.spawnError}`;
  if (r.timedOut) return `timed out after ${TIMEOUT_S} s`;
  if (r.signal) return `killed by ${r.signal}`;
  const c = r.exitCode ?? -1;
  if (c > 128 && c < 128 + 65) return `exit ${c} (128+${signalName(c - 128)})`;
  return `exit ${c}`;
}

async function runCell(runner: Runner, binary: string, size: Size, reference: string | null): Promise<Cell> {
  const cmd = runner.command(binary, size.args, path.join(cacheDir, `.log.${process.pid}`));
  const times: number[] = [];
  let maxRss: number | null = null;
  let last: RunResult | null = null;
  let log = '';
  for (let i = 0; i < runner.runs; i++) {
    if (cmd.logFile) rmSync(cmd.logFile, { force: true });
    const r = await runOnce(cmd, TIMEOUT_S);
    if (cmd.logFile) {
      try { log = readFileSync(cmd.logFile, 'utf8'); } catch { log = ''; }
      rmSync(cmd.logFile, { force: true });
    }
    last = r;
    const good = !r.spawnError && !r.timedOut && !r.signal && r.exitCode === 0;
    process.stderr.write(`  ${runner.name.padEnd(12)} run ${i + 1}/${runner.runs}: ${good ? fmtSeconds(r.wallS) : describeExit(r)}` +
      `${r.maxRssKiB !== null ? `, max RSS ${fmtKiB(r.maxRssKiB)}` : ''}\n`);
    if (!good) break;
    if (reference !== null && r.stdout !== reference) break;
    times.push(r.wallS);
    if (r.maxRssKiB !== null) maxRss = Math.max(maxRss ?? 0, r.maxRssKiB);
    if (r.wallS > runner.slowCutoffS) break;
  }
  const r = last!;
  const base = {
    timesS: times, maxRssKiB: maxRss ?? r.maxRssKiB, exitCode: r.exitCode, signal: r.signal,
    stdout: r.stdout.slice(0, 4096), stderrTail: tail(r.stderr, 20),
  };
  if (r.spawnError || r.timedOut || r.signal || r.exitCode !== 0) {
    // The last lines of stderr, without a JavaScript stack trace's frames (so that the error
    // message above them shows); stdout when stderr is empty.
    const meaningful = r.stderr.split('\n').filter((l) => l.trim() && !/^\s+at /.test(l) && !/^Node\.js v\d/.test(l)).join('\n');
    const stderrTail = tail(meaningful, 6);
    const stdoutTail = tail(r.stdout, 3);
    const logTail = tail(log, 4);
    return {
      ...base, status: r.timedOut ? 'timeout' : 'failed', reason: describeExit(r), bestS: null,
      detail: (stderrTail ? `stderr (last lines, stack frames left out):\n${stderrTail}`
        : stdoutTail ? `nothing on stderr; stdout ends with:\n${stdoutTail}` : '(nothing on stdout or stderr)')
        + (logTail ? `\nSentry log (last lines):\n${logTail}` : ''),
    };
  }
  if (reference !== null && r.stdout !== reference) {
    return {
      ...base, status: 'mismatch', reason: 'OUTPUT MISMATCH', bestS: r.wallS,
      detail: `expected: ${JSON.stringify(tail(reference, 3))}\n     got: ${JSON.stringify(tail(r.stdout, 3))}`,
    };
  }
  return { ...base, status: 'ok', reason: '', detail: '', bestS: Math.min(...times) };
}

function skippedCell(reason: string): Cell {
  return { status: 'skipped', reason, detail: '', bestS: null, timesS: [], maxRssKiB: null, exitCode: null, signal: null, stdout: '', stderrTail: '' };
}

// ---------------------------------------------------------------------------------------------
// Formatting

function fmtSeconds(s: number): string {
  return s >= 100 ? `${s.toFixed(1)} s` : s >= 1 ? `${s.toFixed(2)} s` : `${(s * 1000).toFixed(s >= 0.1 ? 0 : 1)} ms`;
}

function fmtSig(v: number): string {
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : a >= 1 ? v.toFixed(2) : v.toPrecision(2);
}

function fmtRatio(r: number): string {
  return `${r >= 100 ? r.toFixed(0) : r >= 10 ? r.toFixed(1) : r.toFixed(2)}x`;
}

function fmtKiB(k: number): string {
  return k >= 1024 ? `${(k / 1024).toFixed(1)} MiB` : `${k} KiB`;
}

function fmtBytes(b: number): string {
  return b >= MiB ? `${+(b / MiB).toFixed(2)} MiB` : b >= 1024 ? `${+(b / 1024).toFixed(2)} KiB` : `${b} B`;
}

function renderTable(header: string[], rows: string[][], rightAlign: (col: number) => boolean): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (rightAlign(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Main

interface BenchResult {
  bench: Benchmark;
  size: Size;
  compileError: string;
  reference: string | null;
  referenceSource: 'oracle' | 'native' | 'none';
  cells: Map<string, Cell>;
}

async function main(): Promise<number> {
  const only = new Set([...(envList('BENCH_ONLY') ?? []), ...process.argv.slice(2)]);
  const unknown = [...only].filter((n) => !BENCHMARKS.some((b) => b.name === n));
  if (unknown.length) throw new Error(`unknown benchmark(s): ${unknown.join(', ')} (have: ${BENCHMARKS.map((b) => b.name).join(', ')})`);
  const benches = BENCHMARKS.filter((b) => only.size === 0 || only.has(b.name));
  const runnerFilter = envList('BENCH_RUNNERS');
  const runners = RUNNERS.filter((r) => r === NATIVE || !runnerFilter || runnerFilter.includes(r.name));
  const skippedRunners = new Map<string, string>();
  for (const r of runners) { const why = r.unavailable(); if (why) skippedRunners.set(r.name, why); }

  process.stderr.write(`bench: scale ${SCALE}, runs ${RUNS} (sandbox ${SANDBOX_RUNS}${SANDBOX_RUNS_SET ? '' : `, 1 if a run takes > ${SLOW_S} s`}), ` +
    `timeout ${TIMEOUT_S} s, max RSS via ${haveGnuTime ? TIME_BIN : '/proc/<pid>/status VmHWM sampling'}\n`);
  for (const [name, why] of skippedRunners) process.stderr.write(`bench: skipping ${name}: ${why}\n`);

  const results: BenchResult[] = [];
  for (const bench of benches) {
    const size = bench.size(SCALE);
    process.stderr.write(`${bench.name} (${size.label}):\n`);
    const compiled = compile(bench);
    const res: BenchResult = { bench, size, compileError: compiled.error, reference: null, referenceSource: 'none', cells: new Map() };
    results.push(res);
    if (!compiled.binary) {
      process.stderr.write(`  compile FAILED: ${compiled.error}\n`);
      for (const r of runners) res.cells.set(r.name, { ...skippedCell('not compiled'), status: 'failed' });
      continue;
    }
    if (bench.expected) {
      res.reference = bench.expected(size);
      res.referenceSource = 'oracle';
    }
    for (const runner of runners) {
      const why = skippedRunners.get(runner.name);
      if (why) { res.cells.set(runner.name, skippedCell('not installed')); continue; }
      const cell = await runCell(runner, compiled.binary, size, res.reference);
      res.cells.set(runner.name, cell);
      if (runner === NATIVE && res.reference === null && cell.status === 'ok') {
        res.reference = cell.stdout;
        res.referenceSource = 'native';
      }
    }
  }

  // --- time table
  const native = NATIVE.name;
  const others = runners.filter((r) => r !== NATIVE).map((r) => r.name);
  const header = ['benchmark', 'size', native, ...others.flatMap((n) => [n, 'vs native']), 'output'];
  const rows: string[][] = [];
  const notes: string[] = [];
  const cellText = (c: Cell | undefined, name: string, benchName: string): string => {
    if (!c) return '-';
    if (c.status === 'ok') return fmtSeconds(c.bestS!);
    if (c.status === 'skipped') return `- (${c.reason})`;
    notes.push(`[${notes.length + 1}] ${benchName} under ${name}: ${c.reason}\n${c.detail.replace(/^/gm, '    ')}`);
    return c.status === 'mismatch' ? `MISMATCH [${notes.length}]` : `${c.status === 'timeout' ? 'TIMEOUT' : 'FAILED'}: ${c.reason} [${notes.length}]`;
  };
  const startup = results.find((r) => r.bench.name === 'startup');
  const perUnitNotes = new Set<string>();
  for (const res of results) {
    const n = res.cells.get(native);
    const nativeS = n?.status === 'ok' ? n.bestS : null;
    const bad = [...res.cells].filter(([, c]) => c.status === 'mismatch').map(([name]) => name);
    const failed = [...res.cells].filter(([, c]) => c.status === 'failed' || c.status === 'timeout').map(([name]) => name);
    const output = res.compileError ? 'NOT COMPILED'
      : bad.length ? `!!! MISMATCH: ${bad.join(', ')} !!!`
      : failed.length ? `ok where it ran (${res.referenceSource === 'oracle' ? 'matches oracle' : 'same as native'})`
      : res.referenceSource === 'oracle' ? 'ok (all match oracle)' : 'ok (all same)';
    const row = [res.bench.name, res.size.label, cellText(n, native, res.bench.name)];
    for (const name of others) {
      const c = res.cells.get(name);
      row.push(cellText(c, name, res.bench.name));
      row.push(c?.status === 'ok' && nativeS ? fmtRatio(c.bestS! / nativeS) : '');
    }
    row.push(output);
    rows.push(row);
    // Time per unit (e.g. per syscall), net of the same runner's startup time when known.
    const pu = res.size.perUnit;
    if (pu) {
      let gross = false;
      const per = (name: string): number | null => {
        const c = res.cells.get(name);
        if (c?.status !== 'ok') return null;
        const s = startup?.cells.get(name);
        const base = s?.status === 'ok' ? s.bestS! : 0;
        if (!s || s.status !== 'ok') {
          gross = true;
          perUnitNotes.add(`${res.bench.name} per call under ${name} includes process startup (no startup figure to subtract)`);
        }
        return ((c.bestS! - base) / pu.count) * 1e6;
      };
      const nu = per(native);
      const prow = ['', `  per call`, nu !== null ? `${fmtSig(nu)} ${pu.unit}` : ''];
      for (const name of others) {
        const u = per(name);
        prow.push(u !== null ? `${fmtSig(u)} ${pu.unit}` : '', u !== null && nu ? fmtRatio(u / nu) : '');
      }
      prow.push(gross ? '(see note)' : '(net of startup)');
      rows.push(prow);
    }
  }
  const out: string[] = [];
  out.push('');
  out.push(`wall time, best of N (scale ${SCALE}; ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} CPUs, node ${process.version})`);
  out.push(renderTable(header, rows, (i) => i >= 2 && i < header.length - 1));
  if (notes.length) { out.push(''); out.push(...notes); }
  for (const n of perUnitNotes) out.push(`note: ${n}`);
  for (const [name, why] of skippedRunners) out.push(`note: ${name} skipped: ${why}`);

  // --- memory table
  const memRows = results.map((res) => [
    res.bench.name,
    ...runners.map((r) => {
      const c = res.cells.get(r.name);
      return c?.maxRssKiB != null ? fmtKiB(c.maxRssKiB) + (c.status === 'ok' ? '' : c.status === 'mismatch' ? ' (bad output)' : ' (failed run)') : '-';
    }),
  ]);
  out.push('');
  out.push(`maximum RSS (${haveGnuTime ? 'GNU time %M' : 'VmHWM sampled every 20 ms'}; the sandbox figure is the whole node process)`);
  out.push(renderTable(['benchmark', ...runners.map((r) => r.name)], memRows, (i) => i >= 1));

  const mismatches = results.filter((r) => [...r.cells.values()].some((c) => c.status === 'mismatch'));
  if (mismatches.length) {
    out.push('');
    out.push(`!!! OUTPUT MISMATCH in: ${mismatches.map((r) => r.bench.name).join(', ')} (see notes above) !!!`);
  }
  process.stdout.write(out.join('\n') + '\n');

  // --- JSON
  const json = {
    date: new Date().toISOString(),
    host: {
      cpu: os.cpus()[0]?.model ?? null, cpus: os.cpus().length, node: process.version,
      compiler: compilerVersion ?? null, qemu: qemuVersion(), kernel: os.release(),
    },
    settings: { scale: SCALE, runs: RUNS, sandboxRuns: SANDBOX_RUNS, timeoutS: TIMEOUT_S, platforms: PLATFORMS, sandboxArgs: SANDBOX_ARGS, compileFlags: COMPILE_FLAGS, glibcTunables: GLIBC_TUNABLES },
    runners: runners.map((r) => ({ name: r.name, skipped: skippedRunners.get(r.name) ?? null })),
    benchmarks: results.map((res) => ({
      name: res.bench.name, source: res.bench.source, note: res.bench.note, args: res.size.args, size: res.size.label,
      perUnit: res.size.perUnit ?? null, compileError: res.compileError || null,
      reference: res.reference, referenceSource: res.referenceSource,
      results: Object.fromEntries([...res.cells].map(([name, c]) => [name, {
        status: c.status, reason: c.reason || null, bestS: c.bestS, timesS: c.timesS, maxRssKiB: c.maxRssKiB,
        ratioToNative: c.status === 'ok' && res.cells.get(native)?.status === 'ok' ? c.bestS! / res.cells.get(native)!.bestS! : null,
        exitCode: c.exitCode, signal: c.signal, stdout: c.stdout, stderrTail: c.stderrTail,
      }])),
    })),
  };
  mkdirSync(path.join(cacheDir, 'history'), { recursive: true });
  const text = JSON.stringify(json, null, 2) + '\n';
  writeFileSync(`${resultsFile}.tmp`, text);
  renameSync(`${resultsFile}.tmp`, resultsFile);
  writeFileSync(path.join(cacheDir, 'history', `results-${json.date.replace(/[:.]/g, '-')}.json`), text);
  process.stdout.write(`\nresults: ${path.relative(process.cwd(), resultsFile) || resultsFile}\n`);

  // The sandbox failing is a result, not an error; a broken native reference means the bench
  // itself is broken.
  const nativeBroken = results.some((r) => { const c = r.cells.get(native); return !c || c.status !== 'ok'; });
  if (nativeBroken) process.stderr.write('bench: the native reference failed or mismatched for some benchmark (see above)\n');
  return nativeBroken ? 1 : 0;
}

function qemuVersion(): string | null {
  const r = spawnSync('qemu-x86_64', ['--version'], { encoding: 'utf8', timeout: 30_000 });
  return r.status === 0 ? r.stdout.split('\n')[0]!.trim() : null;
}

main().then((code) => { process.exitCode = code; }, (e) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exitCode = 2;
});
