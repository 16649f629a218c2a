// Differential test of the guest C corpus (test/guest/corpus/*.c): every program, compiled with
// gcc and musl-gcc, must print byte-identical stdout and exit with the same status natively and
// in the sandbox.
//
// Environment:
//   CORPUS_FILTER=substr     only pairs whose "name [compiler]" contains substr
//   TSVISOR_PLATFORM=kvm     sandbox platform (kvm | ptrace)
//   CORPUS_TIMEOUT_MS=n      sandbox time budget per run (default 120000)
//   CORPUS_JOBS=n            runs in parallel within this file (default 1)
//   CI=true                  a missing compiler fails instead of skipping

import t from 'tap';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { corpusDir, corpusInputsDir, registerDifferentialTests, type GuestProgram, type PlatformName } from './harness.js';

// The whole file may take this long on an emulated CPU (tap's per-file timeout; DESIGN.md, Testing).
t.setTimeout(20 * 60 * 1000);

const input = (name: string): string => path.join(corpusInputsDir, name);

/** What each program needs beyond "no arguments, stdin from /dev/null"; every program runs with
 *  test/guest/corpus/inputs/ as its working directory. expectStatus is checked on the native
 *  run, for programs whose status is deliberate rather than a checksum. */
const config: Record<string, Omit<GuestProgram, 'source'>> = {
  hello: { expectStatus: 0 },
  argv_echo: {
    args: ['', 'two words', 'caf\u00e9', '-x', '--long=1', 'tab\there', '*', '$HOME', '\u2603'],
    expectStatus: 10,
  },
  exit_return: { expectStatus: 44 },
  exit_atexit: { expectStatus: 42 },
  stderr_mix: { expectStatus: 3, compareStderr: true },
  file_read: { args: ['text.txt'], expectStatus: 45 },
  file_multi: {
    args: [input('text.txt'), input('binary.bin'), '../inputs/noeol.txt', 'empty.txt', 'longlines.txt', 'missing.txt', '.'],
    expectStatus: 2,
  },
  stdin_filter: { stdinFile: input('text.txt'), expectStatus: 28 },
  big_output_printf: { expectStatus: 7 },
  big_output_write: { expectStatus: 0 },
  sprintf_strftime: { expectStatus: 17 },
  sorting: { expectStatus: 22 },
};

const sources = readdirSync(corpusDir).filter((f) => f.endsWith('.c')).sort();
const programs: GuestProgram[] = sources.map((f) => ({
  cwd: corpusInputsDir,
  ...config[f.slice(0, -2)],
  source: path.join(corpusDir, f),
}));

t.test('corpus is complete', async (tt) => {
  tt.ok(programs.length >= 34, `at least 34 programs (found ${programs.length})`);
  for (const name of Object.keys(config)) tt.ok(sources.includes(`${name}.c`), `configured program ${name}.c exists`);
});

const platform = (process.env.TSVISOR_PLATFORM ?? 'kvm') as PlatformName;
if (platform !== 'kvm' && platform !== 'ptrace') throw new Error(`TSVISOR_PLATFORM must be kvm or ptrace, not ${platform}`);

const opts: Parameters<typeof registerDifferentialTests>[2] = {
  platform,
  timeoutMs: Number(process.env.CORPUS_TIMEOUT_MS ?? 120_000),
  jobs: Number(process.env.CORPUS_JOBS ?? 1),
};
if (process.env.CORPUS_FILTER) opts.filter = process.env.CORPUS_FILTER;
registerDifferentialTests(t, programs, opts);
