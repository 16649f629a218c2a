// The shared differential harness: compiles guest C programs (cached under test/build/), runs
// each one natively and in the sandbox with the same argv, stdin, cwd and environment, and
// compares the results byte for byte. Platform and time budget are parameters (DESIGN.md, Testing).

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Test } from 'tap';

// ---------------------------------------------------------------------------------------------
// Locations

/** The repository root: the nearest ancestor holding the project's package.json. Works both from
 *  the compiled file (dist/test/differential/) and from the source (test/differential/). */
export const repoRoot: string = findRepoRoot(path.dirname(fileURLToPath(import.meta.url)));

function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name === 'tsvisor') return dir;
      } catch {
        // not ours; keep walking up
      }
    }
    if (path.dirname(dir) === dir) throw new Error(`differential harness: no tsvisor package.json above ${start}`);
  }
}

/** Where compiled guest binaries are cached (gitignored). */
export const buildDir: string = path.join(repoRoot, 'test', 'build');
/** The guest C program corpus and its input files. */
export const corpusDir: string = path.join(repoRoot, 'test', 'guest', 'corpus');
export const corpusInputsDir: string = path.join(corpusDir, 'inputs');
/** The sandbox CLI (`runts`) as built by `npm run build`; TSVISOR_CLI points at another build. */
export const sandboxCli: string = process.env.TSVISOR_CLI
  ? path.resolve(process.env.TSVISOR_CLI)
  : path.join(repoRoot, 'dist', 'container-runtime', 'main.js');

// ---------------------------------------------------------------------------------------------
// Compilers

export type Compiler = 'gcc' | 'musl-gcc';
export const COMPILERS: readonly Compiler[] = ['gcc', 'musl-gcc'];

/** Flags for every guest program: the design's `-O2 -static`, plus -Wall (it only adds warnings). */
export const COMPILE_FLAGS: readonly string[] = ['-O2', '-static', '-Wall'];

export interface CompilerInfo {
  compiler: Compiler;
  available: boolean;
  /** First line of `<compiler> --version` (part of the cache key). */
  version: string;
  /** Why it is unavailable. */
  reason: string;
}

const compilerInfoCache = new Map<Compiler, CompilerInfo>();

/** Whether the compiler can be run; probed once per process (synchronously, so tests can be
 *  registered as skipped or failing before any of them runs). */
export function probeCompiler(compiler: Compiler): CompilerInfo {
  const cached = compilerInfoCache.get(compiler);
  if (cached) return cached;
  const r = spawnSync(compiler, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  let info: CompilerInfo;
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    info = {
      compiler, available: false, version: '',
      reason: code === 'ENOENT' ? `${compiler} not found on PATH` : `${compiler} --version failed: ${r.error.message}`,
    };
  } else if (r.status !== 0) {
    info = { compiler, available: false, version: '', reason: `${compiler} --version exited with ${r.status ?? r.signal}: ${r.stderr.trim()}` };
  } else {
    info = { compiler, available: true, version: r.stdout.split('\n')[0]?.trim() ?? '', reason: '' };
  }
  compilerInfoCache.set(compiler, info);
  return info;
}

export class CompileError extends Error {
  constructor(readonly source: string, readonly compiler: Compiler, readonly command: string[], readonly output: string) {
    super(`${compiler} failed to compile ${path.relative(repoRoot, source)}:\n${output}`);
    this.name = 'CompileError';
  }
}

export interface CompileOptions {
  /** Extra flags after COMPILE_FLAGS (part of the cache key). */
  flags?: readonly string[];
  /** Defaults to test/build/. */
  cacheDir?: string;
}

export interface CompileResult {
  binary: string;
  /** True when the binary came from the cache. */
  cached: boolean;
  /** The compiler's diagnostics (empty for a clean build); kept with the cached binary. */
  warnings: string;
  command: string[];
}

const compileInFlight = new Map<string, Promise<CompileResult>>();

/** Compiles `source` with `compiler -O2 -static -Wall ... -lm` into the cache directory, keyed by
 *  the compiler, its version, the flags and a hash of the source. Concurrent callers (and
 *  concurrent test processes) share or atomically replace the same file. */
export async function compile(source: string, compiler: Compiler, opts: CompileOptions = {}): Promise<CompileResult> {
  const info = probeCompiler(compiler);
  if (!info.available) throw new Error(info.reason);
  const flags = [...COMPILE_FLAGS, ...(opts.flags ?? [])];
  const cacheDir = opts.cacheDir ?? buildDir;
  const text = readFileSync(source);
  const hash = createHash('sha256')
    .update(`${compiler}\0${info.version}\0${flags.join('\0')}\0`)
    .update(text)
    .digest('hex')
    .slice(0, 16);
  const base = path.basename(source).replace(/\.c$/, '');
  const binary = path.join(cacheDir, `${base}.${compiler}.${hash}`);
  const warningsFile = `${binary}.log`;
  const command = [compiler, ...flags, '-o', binary, source, '-lm'];
  if (existsSync(binary) && existsSync(warningsFile)) {
    return { binary, cached: true, warnings: readFileSync(warningsFile, 'utf8'), command };
  }
  const pending = compileInFlight.get(binary);
  if (pending) return pending;
  const job = (async (): Promise<CompileResult> => {
    mkdirSync(cacheDir, { recursive: true });
    const tmp = `${binary}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
    const r = await runProcess([compiler, ...flags, '-o', tmp, source, '-lm'], { timeoutMs: 300_000, env: { ...process.env } as Record<string, string> });
    const output = r.stderr.toString('utf8') + r.stdout.toString('utf8');
    if (r.status !== 0 || !existsSync(tmp)) {
      rmSync(tmp, { force: true });
      const why = r.timedOut ? `timed out after ${r.elapsedMs.toFixed(0)} ms` : r.spawnError ?? `status ${r.status ?? r.signal}`;
      throw new CompileError(source, compiler, command, `${why}\n${output}`);
    }
    writeFileSync(`${warningsFile}.tmp-${process.pid}`, output);
    renameSync(`${warningsFile}.tmp-${process.pid}`, warningsFile);
    renameSync(tmp, binary);
    return { binary, cached: false, warnings: output, command };
  })();
  compileInFlight.set(binary, job);
  try {
    return await job;
  } finally {
    compileInFlight.delete(binary);
  }
}

// ---------------------------------------------------------------------------------------------
// Running

/** Native reference runs use glibc's baseline routines, as the guest does (DESIGN.md, Testing);
 *  otherwise libm's FMA variants round differently. */
export const NATIVE_GLIBC_TUNABLES =
  'glibc.cpu.hwcaps=-AVX512F,-AVX2,-AVX,-FMA,-FMA4,-SSE4_2,-SSE4_1,-SSSE3,-POPCNT,-BMI1,-BMI2';

/** The environment both sides get unless a spec adds to it: nothing from the test runner leaks in. */
export function baseEnv(): Record<string, string> {
  return {
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    LANG: 'C',
    LC_ALL: 'C',
    TZ: 'UTC',
    GLIBC_TUNABLES: NATIVE_GLIBC_TUNABLES,
  };
}

export interface RunSpec {
  /** Arguments after argv[0]. */
  args?: readonly string[];
  /** Bytes fed to stdin through a pipe. */
  stdin?: Buffer | string;
  /** A file opened as stdin (instead of `stdin`). With neither, stdin is /dev/null. */
  stdinFile?: string;
  /** Working directory; defaults to the repository root. */
  cwd?: string;
  /** The whole environment; defaults to baseEnv(). */
  env?: Record<string, string>;
  /** Wall-clock budget; on expiry the process group is killed with SIGKILL. Default 60 s. */
  timeoutMs?: number;
  /** Output beyond this many bytes per stream kills the run (default 64 MiB). */
  maxOutputBytes?: number;
}

export interface RunResult {
  /** The argv that was spawned. */
  command: string[];
  stdout: Buffer;
  stderr: Buffer;
  /** Exit status, or null when killed by a signal. */
  status: number | null;
  signal: NodeJS.Signals | null;
  elapsedMs: number;
  /** Killed because the time budget ran out. */
  timedOut: boolean;
  /** Killed because an output stream exceeded maxOutputBytes. */
  outputOverflow: boolean;
  /** The process exited but something it started kept stdout/stderr open past the grace
   *  period, so the group was killed to collect the output. */
  lingered: boolean;
  /** The process could not be started (ENOENT, EACCES, ...). */
  spawnError?: string;
}

/** How long stdout/stderr may stay open after the process itself has exited. */
const LINGER_GRACE_MS = 5_000;

const liveGroups = new Set<number>();
let exitHookInstalled = false;
function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // If the test process dies (tap's file timeout), take still-running runs with it.
  process.on('exit', () => { for (const pid of liveGroups) killGroup(pid); });
}

/** Spawns argv in its own process group and collects everything. Never rejects. */
export function runProcess(argv: readonly string[], spec: RunSpec = {}): Promise<RunResult> {
  const timeoutMs = spec.timeoutMs ?? 60_000;
  const maxOutput = spec.maxOutputBytes ?? 64 * 1024 * 1024;
  const command = [...argv];
  installExitHook();
  return new Promise<RunResult>((resolve) => {
    const started = process.hrtime.bigint();
    const elapsed = (): number => Number(process.hrtime.bigint() - started) / 1e6;
    let stdinFd: number | undefined;
    let child: ChildProcess;
    try {
      if (spec.stdinFile !== undefined) stdinFd = openSync(spec.stdinFile, 'r');
      child = spawn(command[0]!, command.slice(1), {
        cwd: spec.cwd ?? repoRoot,
        env: spec.env ?? baseEnv(),
        stdio: [stdinFd ?? (spec.stdin !== undefined ? 'pipe' : 'ignore'), 'pipe', 'pipe'],
        detached: true, // own process group, so a timeout kills the sandbox's helpers too
      });
    } catch (e) {
      if (stdinFd !== undefined) closeSync(stdinFd);
      resolve({
        command, stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), status: null, signal: null,
        elapsedMs: elapsed(), timedOut: false, outputOverflow: false, lingered: false, spawnError: (e as Error).message,
      });
      return;
    }
    if (stdinFd !== undefined) closeSync(stdinFd);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let timedOut = false;
    let outputOverflow = false;
    let spawnError: string | undefined;
    let settled = false;
    const pid = child.pid;
    if (pid !== undefined) liveGroups.add(pid);
    const kill = (): void => {
      if (pid !== undefined) killGroup(pid);
      else child.kill('SIGKILL');
    };
    const timer = setTimeout(() => { timedOut = true; kill(); }, timeoutMs);
    child.stdout!.on('data', (b: Buffer) => {
      outBytes += b.length;
      if (outBytes > maxOutput) { if (!outputOverflow) { outputOverflow = true; kill(); } return; }
      out.push(b);
    });
    child.stderr!.on('data', (b: Buffer) => {
      errBytes += b.length;
      if (errBytes > maxOutput) { if (!outputOverflow) { outputOverflow = true; kill(); } return; }
      err.push(b);
    });
    if (child.stdin) {
      child.stdin.on('error', () => { /* EPIPE: the program did not read all of its input */ });
      child.stdin.end(spec.stdin);
    }
    child.on('error', (e) => {
      spawnError = e.message;
      // 'close' does not follow a failed spawn
      if (pid === undefined) finish(null, null);
    });
    // 'close' waits for stdout/stderr to reach EOF; a leftover process of the group that holds
    // them open must not turn a finished run into a timeout.
    let lingered = false;
    let lingerTimer: NodeJS.Timeout | undefined;
    let exitedAt = 0;
    child.on('exit', () => {
      exitedAt = elapsed();
      lingerTimer = setTimeout(() => { lingered = true; kill(); }, LINGER_GRACE_MS);
    });
    child.on('close', (code, signal) => finish(code, signal));
    function finish(code: number | null, signal: NodeJS.Signals | null): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(lingerTimer);
      if (pid !== undefined) {
        liveGroups.delete(pid);
        killGroup(pid); // whatever else of the group is still running (never the harness itself)
      }
      const r: RunResult = {
        command, stdout: Buffer.concat(out), stderr: Buffer.concat(err), status: code, signal,
        elapsedMs: lingered ? exitedAt : elapsed(), timedOut, outputOverflow, lingered,
      };
      if (spawnError !== undefined) r.spawnError = spawnError;
      resolve(r);
    }
  });
}

/** Runs the binary directly on the host, with the baseline-hwcaps GLIBC_TUNABLES. When
 *  `pidNamespace` is set, under `unshare --fork --pid --mount-proc` so that it is PID 1 as in
 *  the sandbox (for tests where PID-1 rules matter). */
export function runNative(binary: string, spec: RunSpec = {}, opts: { pidNamespace?: boolean } = {}): Promise<RunResult> {
  const argv = [binary, ...(spec.args ?? [])];
  return runProcess(opts.pidNamespace ? ['unshare', '--fork', '--pid', '--mount-proc', ...argv] : argv, spec);
}

export type PlatformName = 'kvm' | 'ptrace';

export interface SandboxOptions {
  platform: PlatformName;
  /** Extra runts flags placed after `do` (e.g. ['--debug-log', file]). */
  extraFlags?: readonly string[];
  /** Replaces the whole sandbox command line; for tests of the harness itself. */
  command?: (binary: string, args: readonly string[], platform: PlatformName) => string[];
}

/** `node dist/container-runtime/main.js do --platform P [flags] -- BINARY ARGS...` (the
 *  platform flag after `do` parses whether runts declares it globally or on `do`). */
export function sandboxCommand(binary: string, args: readonly string[], opts: SandboxOptions): string[] {
  if (opts.command) return opts.command(binary, args, opts.platform);
  return [process.execPath, sandboxCli, 'do', '--platform', opts.platform, ...(opts.extraFlags ?? []), '--', binary, ...args];
}

export function runSandbox(binary: string, spec: RunSpec, opts: SandboxOptions): Promise<RunResult> {
  return runProcess(sandboxCommand(binary, spec.args ?? [], opts), spec);
}

export interface DifferentialResult {
  native: RunResult;
  sandbox: RunResult;
}

/** The native run first (it is quick), then the sandbox run, with identical argv/stdin/cwd/env. */
export async function runDifferential(
  binary: string,
  spec: RunSpec,
  opts: SandboxOptions & { nativeTimeoutMs?: number; nativePidNamespace?: boolean },
): Promise<DifferentialResult> {
  const native = await runNative(binary, { ...spec, timeoutMs: opts.nativeTimeoutMs ?? spec.timeoutMs }, { pidNamespace: opts.nativePidNamespace ?? false });
  const sandbox = await runSandbox(binary, spec, opts);
  return { native, sandbox };
}

// ---------------------------------------------------------------------------------------------
// Comparing and describing

/** Offset of the first differing byte, or -1 when the buffers are identical (a strict prefix
 *  differs at the shorter one's length). */
export function firstDifference(a: Buffer, b: Buffer): number {
  const n = Math.min(a.length, b.length);
  // compare in 64 KiB blocks first: the common case is identical multi-megabyte output
  const block = 65536;
  let i = 0;
  for (; i + block <= n; i += block) {
    if (a.compare(b, i, i + block, i, i + block) !== 0) break;
  }
  for (; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

/** Printable ASCII as is; everything else escaped (\n, \t, \xNN). */
export function escapeBytes(b: Buffer): string {
  let s = '';
  for (const c of b) {
    if (c === 0x0a) s += '\\n';
    else if (c === 0x09) s += '\\t';
    else if (c === 0x0d) s += '\\r';
    else if (c === 0x5c) s += '\\\\';
    else if (c >= 0x20 && c < 0x7f) s += String.fromCharCode(c);
    else s += `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return s;
}

export interface Mismatch {
  offset: number;
  /** 1-based line and column of the offset (in the expected output). */
  line: number;
  column: number;
  expectedLength: number;
  actualLength: number;
  /** Escaped bytes around the offset, with `>>>` just before the first differing byte. */
  expectedContext: string;
  actualContext: string;
  /** One line: where and how long. */
  summary: string;
  /** The summary plus both contexts, on three lines. */
  message: string;
}

/** Describes where `actual` departs from `expected`, or returns null when they are identical. */
export function describeMismatch(what: string, expected: Buffer, actual: Buffer, context = 40): Mismatch | null {
  const offset = firstDifference(expected, actual);
  if (offset < 0) return null;
  let line = 1;
  let lineStart = 0;
  for (let i = expected.indexOf(0x0a); i !== -1 && i < offset; i = expected.indexOf(0x0a, i + 1)) {
    line++;
    lineStart = i + 1;
  }
  const from = Math.max(0, offset - context);
  const show = (b: Buffer): string => {
    const before = escapeBytes(b.subarray(from, Math.min(offset, b.length)));
    const after = offset < b.length ? escapeBytes(b.subarray(offset, Math.min(b.length, offset + context))) : '<end>';
    return `${from > 0 ? '...' : ''}${before}>>>${after}${offset + context < b.length ? '...' : ''}`;
  };
  const expectedContext = show(expected);
  const actualContext = show(actual);
  const summary =
    `${what} differs at byte ${offset} (line ${line}, column ${offset - lineStart + 1}; ` +
    `native ${expected.length} bytes, sandbox ${actual.length} bytes)`;
  const message = `${summary}\n  native : ${expectedContext}\n  sandbox: ${actualContext}`;
  return {
    offset, line, column: offset - lineStart + 1, expectedLength: expected.length, actualLength: actual.length,
    expectedContext, actualContext, summary, message,
  };
}

/** One line about how a run ended. */
export function describeRun(r: RunResult): string {
  const ms = `${(r.elapsedMs / 1000).toFixed(2)} s`;
  if (r.spawnError !== undefined) return `could not start ${r.command[0]}: ${r.spawnError}`;
  if (r.timedOut) return `TIMED OUT after ${ms} (time budget exhausted; process group killed with SIGKILL)`;
  if (r.outputOverflow) return `killed after ${ms}: output exceeded the harness limit`;
  const held = r.lingered ? ' (then its leftover processes held stdout/stderr open and were killed)' : '';
  if (r.signal) return `killed by ${r.signal} after ${ms}${held}`;
  return `exited with status ${r.status} after ${ms}${held}`;
}

function tail(b: Buffer, n: number): string {
  return escapeBytes(b.subarray(Math.max(0, b.length - n)));
}

// ---------------------------------------------------------------------------------------------
// tap glue

export interface GuestProgram {
  /** Test name; defaults to the source's basename without `.c`. */
  name?: string;
  /** Path of the C source. */
  source: string;
  args?: readonly string[];
  stdin?: Buffer | string;
  stdinFile?: string;
  cwd?: string;
  /** Added to baseEnv() on both sides. */
  env?: Record<string, string>;
  /** Also require byte-identical stderr. */
  compareStderr?: boolean;
  /** The native run must end with this status (a check of the program and the harness). */
  expectStatus?: number;
  /** Overrides the suite's sandbox time budget for this program. */
  timeoutMs?: number;
  /** Only these compilers (default: the suite's). */
  compilers?: readonly Compiler[];
}

export interface DifferentialSuiteOptions {
  platform: PlatformName;
  /** Sandbox time budget per run. */
  timeoutMs: number;
  /** Native time budget per run (default 30 s). */
  nativeTimeoutMs?: number;
  compilers?: readonly Compiler[];
  /** Substring matched against "name [compiler]"; non-matching pairs are not registered. */
  filter?: string;
  /** Compiler warnings fail the test (default true). */
  failOnWarnings?: boolean;
  /** Missing prerequisites fail instead of skipping (default: process.env.CI === 'true'). */
  ci?: boolean;
  /** Subtests run in parallel, this many at a time (default 1). */
  jobs?: number;
  sandbox?: Omit<SandboxOptions, 'platform'>;
}

/** Registers one tap subtest per (program, compiler) pair. Each compiles the program (cached),
 *  runs it natively and in the sandbox, and asserts identical stdout (reporting the first
 *  differing byte with context), identical exit status and signal, and optionally stderr. */
export function registerDifferentialTests(t: Test, programs: readonly GuestProgram[], opts: DifferentialSuiteOptions): void {
  const ci = opts.ci ?? process.env.CI === 'true';
  const compilers = opts.compilers ?? COMPILERS;
  const failOnWarnings = opts.failOnWarnings ?? true;
  const sandboxOpts: SandboxOptions = { ...opts.sandbox, platform: opts.platform };
  const nativeTimeoutMs = opts.nativeTimeoutMs ?? 30_000;
  const jobs = Math.max(1, opts.jobs ?? 1);
  if (jobs > 1) t.jobs = jobs;

  const pairs: { program: GuestProgram; name: string; compiler: Compiler }[] = [];
  for (const program of programs) {
    const name = program.name ?? path.basename(program.source).replace(/\.c$/, '');
    for (const compiler of program.compilers ?? compilers) {
      if (!compilers.includes(compiler)) continue;
      if (opts.filter && !`${name} [${compiler}]`.includes(opts.filter)) continue;
      pairs.push({ program, name, compiler });
    }
  }
  if (pairs.length === 0) {
    t.comment(`no (program, compiler) pairs match filter ${JSON.stringify(opts.filter ?? '')}`);
    t.pass('nothing to run');
    return;
  }

  // The sandbox CLI is a build product of this repository: its absence is a failure, reported
  // once rather than once per program.
  if (!opts.sandbox?.command && !existsSync(sandboxCli)) {
    t.fail(`sandbox CLI not found at ${path.relative(repoRoot, sandboxCli)} (run \`npm run build\`); ` +
      `${pairs.length} differential tests not run`);
    return;
  }

  for (const { program, name, compiler } of pairs) {
    const testName = `${name} [${compiler}]`;
    const info = probeCompiler(compiler);
    if (!info.available) {
      if (ci) {
        t.test(testName, async (tt) => {
          tt.fail(`${info.reason}: required under CI=true (install it; see DESIGN.md, Testing)`);
        });
      } else {
        t.test(testName, { skip: `${info.reason} (skipped; under CI=true this fails)` }, () => {});
      }
      continue;
    }
    const budget = program.timeoutMs ?? opts.timeoutMs;
    const testOpts = {
      // tap's own timeout is only a backstop; the harness kills runs at their budget first
      timeout: budget + nativeTimeoutMs + 300_000,
      ...(jobs > 1 ? { buffered: true } : {}),
    };
    t.test(testName, testOpts, async (tt) => {
      let built: CompileResult;
      try {
        built = await compile(program.source, compiler);
      } catch (e) {
        tt.fail(e instanceof CompileError ? `compile failed: ${e.output}` : `compile failed: ${(e as Error).message}`);
        return;
      }
      if (built.warnings.trim() !== '') {
        if (failOnWarnings) tt.fail(`compiler warnings:\n${built.warnings}`);
        else tt.comment(`compiler warnings:\n${built.warnings}`);
      }
      const env = { ...baseEnv(), ...(program.env ?? {}) };
      const spec: RunSpec = { args: program.args ?? [], env, timeoutMs: budget };
      if (program.stdin !== undefined) spec.stdin = program.stdin;
      if (program.stdinFile !== undefined) spec.stdinFile = program.stdinFile;
      if (program.cwd !== undefined) spec.cwd = program.cwd;

      const { native, sandbox } = await runDifferential(built.binary, spec, { ...sandboxOpts, nativeTimeoutMs });
      tt.comment(`native: ${describeRun(native)}, ${native.stdout.length} bytes of stdout`);
      tt.comment(`sandbox (${opts.platform}): ${describeRun(sandbox)}, ${sandbox.stdout.length} bytes of stdout`);

      // The native side is the reference: if it misbehaves, the program or the host is wrong.
      if (native.spawnError !== undefined || native.timedOut || native.outputOverflow) {
        tt.fail(`native run: ${describeRun(native)}`, { command: native.command.join(' ') });
        return;
      }
      if (program.expectStatus !== undefined) {
        tt.equal(native.status, program.expectStatus, 'native exit status is the one the program documents');
      }
      if (sandbox.spawnError !== undefined || sandbox.timedOut || sandbox.outputOverflow) {
        tt.fail(`sandbox run: ${describeRun(sandbox)}`, {
          command: sandbox.command.join(' '),
          budgetMs: budget,
          partialStdoutBytes: sandbox.stdout.length,
          stderrTail: tail(sandbox.stderr, 2000),
        });
        return;
      }
      if (sandbox.lingered) {
        tt.fail('sandbox left processes behind that kept its stdout/stderr open after it exited', {
          command: sandbox.command.join(' '),
        });
      }
      const outDiff = describeMismatch('stdout', native.stdout, sandbox.stdout);
      if (outDiff) {
        tt.fail(outDiff.summary, {
          firstDifference: outDiff.offset,
          line: outDiff.line,
          column: outDiff.column,
          native: outDiff.expectedContext,
          sandbox: outDiff.actualContext,
          sandboxStatus: sandbox.status,
          sandboxSignal: sandbox.signal,
          sandboxStderrTail: tail(sandbox.stderr, 2000),
          command: sandbox.command.join(' '),
        });
      } else {
        tt.pass(`stdout identical (${native.stdout.length} bytes)`);
      }
      tt.equal(sandbox.signal, native.signal, 'same terminating signal');
      tt.equal(sandbox.status, native.status, 'same exit status', {
        ...(sandbox.status !== native.status ? { sandboxStderrTail: tail(sandbox.stderr, 2000) } : {}),
      });
      if (program.compareStderr) {
        const errDiff = describeMismatch('stderr', native.stderr, sandbox.stderr);
        if (errDiff) {
          tt.fail(errDiff.summary, { firstDifference: errDiff.offset, native: errDiff.expectedContext, sandbox: errDiff.actualContext });
        } else {
          tt.pass(`stderr identical (${native.stderr.length} bytes)`);
        }
      }
    });
  }
}
