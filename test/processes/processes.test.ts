// Processes, signals and shells, compared with native runs:
//   test/guest/processes/*.c   fork/vfork/exec/wait, orphans, process groups (fork_wait.c);
//                              handlers, frames, sigreturn, masks, faults, restart (signals.c);
//                              pipes, FIFOs, splice/tee/vmsplice, a 5-process pipeline (pipes.c);
//                              poll/ppoll/select/pselect6, epoll, eventfd, timerfd, signalfd and
//                              EINTR (events.c); an epoll server over six children's pipes
//                              (epoll_server.c); alarm, itimers, POSIX timers, getrusage/times,
//                              sched_*, nice, PDEATHSIG and CHILD_SUBREAPER (timers.c).
//                              pthreads: locks, condvars, cancellation, TLS, PI and robust
//                              mutexes, signals to threads, exit/exec/faults in threads
//                              (threads.c); queues on raw futexes, shared futexes across
//                              processes (futex_queue.c); futex(2) operation by operation, PI
//                              words, robust lists (futex_ops.c).
//                              Natively under `unshare --fork --pid` when root, so the program is
//                              PID 1 there too.
//   test/guest/shell/*.sh      scripts run by dash and by busybox sh: pipelines, subshells,
//                              command substitution, here-documents, jobs with wait and $!,
//                              traps, kill between jobs, hundreds of processes, xargs -P.
// Environment: PROCESSES_FILTER=substr runs only the cases whose name contains it.

import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { baseEnv, compile, describeMismatch, describeRun, repoRoot, runNative, runProcess, runSandbox, type PlatformName } from '../differential/harness.js';

const platform = (process.env.TSVISOR_PLATFORM ?? 'kvm') as PlatformName;
const filter = process.env.PROCESSES_FILTER ?? '';
const canUnshare = process.getuid?.() === 0 && spawnSync('unshare', ['--fork', '--pid', '--mount-proc', 'true']).status === 0;
const programs = path.join(repoRoot, 'test', 'guest', 'processes');
const scripts = path.join(repoRoot, 'test', 'guest', 'shell');

for (const source of readdirSync(programs).filter((f) => f.endsWith('.c')).sort()) {
  if (filter && !source.includes(filter)) continue;
  t.test(source, { skip: canUnshare ? false : 'needs root and unshare (the program must be PID 1 natively too)' }, async (tt) => {
    const { binary } = await compile(path.join(programs, source), 'gcc');
    const env = baseEnv();
    // Each run gets an empty scratch directory as its argument (programs that make files use it).
    const nativeDir = mkdtempSync(path.join(os.tmpdir(), 'tsvisor-proc-native-'));
    const sandboxDir = mkdtempSync(path.join(os.tmpdir(), 'tsvisor-proc-sandbox-'));
    tt.teardown(() => { rmSync(nativeDir, { recursive: true, force: true }); rmSync(sandboxDir, { recursive: true, force: true }); });
    const native = await runNative(binary, { env, args: [nativeDir], timeoutMs: 60_000 }, { pidNamespace: true });
    tt.ok(native.signal === null && native.status !== null, `native run: ${describeRun(native)}`);
    const sandbox = await runSandbox(binary, { env, args: [sandboxDir], timeoutMs: 180_000 }, { platform });
    tt.equal(sandbox.status, native.status, `same exit status: ${describeRun(sandbox)}`);
    const diff = describeMismatch('stdout', native.stdout, sandbox.stdout);
    tt.equal(diff, null, diff ? diff.message : 'same output');
  });
}

const shells: { name: string; argv: string[] }[] = [
  { name: 'dash', argv: ['/bin/sh'] },
  { name: 'busybox sh', argv: ['/bin/busybox', 'sh'] },
];

for (const script of readdirSync(scripts).filter((f) => f.endsWith('.sh')).sort()) {
  for (const shell of shells) {
    const name = `${shell.name} ${script}`;
    if (filter && !name.includes(filter)) continue;
    t.test(name, async (tt) => {
      const file = path.join(scripts, script);
      const env = { ...baseEnv(), LC_ALL: 'C' };
      const native = await runProcess([...shell.argv, file], { env, timeoutMs: 60_000 });
      tt.equal(native.status, 0, `native run: ${describeRun(native)}`);
      const sandbox = await runSandbox(shell.argv[0], { args: [...shell.argv.slice(1), file], env, timeoutMs: 300_000 }, { platform });
      tt.equal(sandbox.status, 0, `sandbox run: ${describeRun(sandbox)}`);
      for (const stream of ['stdout', 'stderr'] as const) {
        const diff = describeMismatch(stream, native[stream], sandbox[stream]);
        tt.equal(diff, null, diff ? diff.message : `same ${stream}`);
      }
    });
  }
}
