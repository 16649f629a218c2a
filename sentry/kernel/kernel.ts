// The kernel: owns guest memory (frames and the commit limit), the tasks and their PID namespace,
// and the task loop that runs each task on its platform context and answers its stops: syscalls
// go to the syscall table, faults to the memory manager, exceptions become signals.

import { Errno } from '../abi/errno.js';
import { Vector, type Platform, type Stop } from '../../platform/platform.js';
import type { Host, HostStream, HostTimer } from '../host.js';
import { LoadError } from '../loader/loader.js';
import { FrameAllocator } from '../mm/frames.js';
import type { PageMemory } from '../mm/mappable.js';
import { FramePageMemory } from '../mm/page_memory.js';
import { FutexTable } from './futex.js';
import { HostTimers } from './host_timers.js';
import { checkCpuTimers } from './ktimer.js';
import { ExecFailure, installImage, loadExecutable } from './exec.js';
import { endGroup, exitedStatus, killedStatus } from './exit.js';
import { Pipe, type PipeHost } from './pipe.js';
import { groupExists, orphanedGroup, waitWhileStopped } from './job_control.js';
import { Terminal, type TtyHost } from './terminal.js';
import { deliverSignals, forceSignal, hasDeliverable, isRestart, raiseSignal, sendToProcess } from './signals.js';
import { BUS_ADRERR, FPE_INTDIV, ILL_ILLOPN, SEGV_ACCERR, SEGV_MAPERR, sigInfo, SI_KERNEL, SI_USER } from './sigset.js';
import { KEEP_REGISTERS } from '../syscalls/handler.js';
import { MemoryManager } from '../mm/mm.js';
import { SYSCALL_NAMES } from '../syscalls/names.js';
import { SYSCALL_TABLE } from '../syscalls/table.js';
import { formatSyscall, formatResult } from '../syscalls/strace.js';
import { FdTable } from '../vfs/fd_table.js';
import { O_RDONLY, O_RDWR, O_WRONLY } from '../vfs/file.js';
import { StreamFile } from '../vfs/stream_file.js';
import { FsContext, fsCreds, SignalHandlers, Task, ThreadGroup, type Credentials } from './task.js';
import { MS_NODEV, MS_NOEXEC, MS_NOSUID, type Location, type MountNamespace } from '../vfs/dentry.js';
import { ProcFs } from '../vfs/fs/procfs.js';
import { SysFs } from '../vfs/fs/sysfs.js';
import { anonDev, mountOn } from '../vfs/sandbox_tree.js';
import { KernelProcSource } from './proc_adapter.js';
import { AT_FDCWD } from '../vfs/path.js';
import { lookupAt, type Caller } from '../vfs/vfs.js';

export const SIGILL = 4, SIGTRAP = 5, SIGBUS = 7, SIGFPE = 8, SIGKILL = 9, SIGSEGV = 11, SIGPIPE = 13;


/** Instructions a task runs before the event loop gets a turn (2 ms of guest CPU time). */
export const SLICE_INSTRUCTIONS = 2_000_000;
const SLICE = SLICE_INSTRUCTIONS;

export interface KernelOptions {
  strace: boolean;
  /** Advertised by AT_HWCAP: CPUID.1:EDX. */
  hwcap: number;
  /** The sandbox's file tree (built by runts: the root overlay, /dev, /proc, volumes). */
  mounts: MountNamespace;
}

export class Kernel {
  readonly frames: FrameAllocator;
  readonly commitPool: { used: number; limit: number };
  /** Frames for file pages (tmpfs, the page cache), charged like guest memory. */
  readonly pageMemory: PageMemory;
  /** Live tasks by tid. */
  readonly tasks = new Map<number, Task>();
  /** Processes by pid, running or zombie (the PID namespace; the first process is 1). */
  readonly groups = new Map<number, ThreadGroup>();
  /** The most pids the sandbox may use, tasks and zombies (cgroup pids.max: a fork bomb stops at EAGAIN). */
  pidsLimit = 4096;
  /** Processes that have exited and wait to be reaped: they still hold their pid. */
  private zombies = 0;
  private lastPid = 0;
  /** The guest's tty, when runts runs in a terminal. */
  terminal: Terminal | null = null;
  private restoreTerminal: (() => void) | null = null;
  /** CPUs the sandbox shows (procfs, sysfs, sched_getaffinity). */
  cpus = 1;
  /** Every wait on host time; all cancelled when PID 1 exits. */
  readonly hostTimers: HostTimers;
  /** Resolves when PID 1 has exited: the sandbox is over. */
  private initDone: (() => void) | null = null;
  private readonly loggedUnimplemented = new Set<number>();
  private readonly loggedOnce = new Set<string>();
  /** Futex wait queues, shared by every task. */
  readonly futexes: FutexTable;
  readonly bootTime: { sec: number; nsec: number };
  readonly bootRealtime: { sec: number; nsec: number };
  /** The task whose syscall is being answered (procfs's "self"). */
  currentTask: Task | null = null;
  /** Instructions run by all tasks since one last gave the event loop a turn. */
  private unyielded = 0;

  constructor(readonly platform: Platform, readonly host: Host, readonly options: KernelOptions) {
    this.frames = new FrameAllocator(platform.memory);
    // Keep a little headroom for the kernel's own frames (page tables later, page cache).
    this.commitPool = { used: 0, limit: platform.memory.frameCount - 16 };
    this.pageMemory = new FramePageMemory(this.frames, platform.memory, this.commitPool);
    this.bootTime = host.clock.monotonic();
    this.bootRealtime = host.clock.realtime();
    this.hostTimers = new HostTimers(host);
    const nowMs = (realtime: boolean) => {
      const ts = realtime ? host.clock.realtime() : host.clock.monotonic();
      return ts.sec * 1000 + ts.nsec / 1e6;
    };
    const setTimer = (ms: number, fire: () => void) => { const timer = this.hostTimers.after(ms, fire); return () => timer.cancel(); };
    this.futexes = new FutexTable(platform.memory, { nowMs, setTimer }, (t) => t.exited || hasDeliverable(t));
  }

  log(line: string): void { this.host.log(line); }

  /** Logs `line` the first time `key` is seen (warnings that would otherwise repeat). */
  logOnce(key: string, line: string): void {
    if (this.loggedOnce.has(key)) return;
    this.loggedOnce.add(key);
    this.log(line);
  }

  newMemoryManager(): MemoryManager {
    return new MemoryManager(this.platform.newAddressSpace(), this.frames, this.platform.memory, this.commitPool);
  }

  /** Mounts procfs at /proc and sysfs at /sys (over the host's, which the guest never sees). */
  async mountSystemFilesystems(cpus: number): Promise<number> {
    this.cpus = cpus;
    const ns = this.options.mounts, now = () => this.host.clock.realtime();
    const proc = await mountOn(ns, '/proc', new ProcFs(new KernelProcSource(this, cpus), { dev: anonDev() }), MS_NOSUID | MS_NODEV | MS_NOEXEC, 'proc');
    if (typeof proc === 'number') return proc;
    const sys = await mountOn(ns, '/sys', new SysFs({ dev: anonDev(), cpus, now }), MS_NOSUID | MS_NODEV | MS_NOEXEC, 'sysfs');
    return typeof sys === 'number' ? sys : 0;
  }

  /** The root of the sandbox's file tree. */
  get rootLocation(): Location { return this.options.mounts.rootLocation; }

  /**
   * Creates PID 1 running the program at `execPath` (an ELF file or a `#!` script, found in the
   * sandbox's files as execve finds it), with host stdio on fds 0-2 and `cwd` as its working
   * directory (the root when the sandbox has no such directory). An ExecFailure when it cannot run.
   */
  async createInit(execPath: string, argv: string[], envp: string[], cwd: string, creds: Credentials): Promise<Task | ExecFailure> {
    const enc = new TextEncoder();
    const root = this.rootLocation;
    let cwdLoc = await lookupAt(this.caller(root, root, creds), AT_FDCWD, cwd, true);
    if (typeof cwdLoc === 'number' || !cwdLoc.dentry.inode.isDir) {
      this.log(`warning: the working directory ${cwd} is not a directory in the sandbox: using /`);
      cwdLoc = root;
    }
    const env = envp.map((s) => enc.encode(s));
    const image = await loadExecutable(this, this.caller(root, cwdLoc, creds), creds, AT_FDCWD, execPath, true, argv.map((s) => enc.encode(s)), env);
    if (image instanceof ExecFailure) return image;
    const fds = new FdTable();
    const [stdin, stdout, stderr] = this.host.stdio;
    fds.install(0, new StreamFile(stdin, O_RDONLY, 'pipe:[stdin]'), false);
    // The host reader of runts' stdout going away is a signal from outside the sandbox: even
    // PID 1 dies of it (`runts do -- yes | head -1` ends with 141, as the same pipeline natively).
    const hostPipeBroken = () => { const t = this.currentTask; if (t) raiseSignal(this, t, SIGPIPE, 'host'); };
    fds.install(1, new StreamFile(stdout, O_WRONLY, 'pipe:[stdout]', hostPipeBroken), false);
    fds.install(2, new StreamFile(stderr, O_WRONLY, 'pipe:[stderr]', hostPipeBroken), false);
    const terminal = this.host.terminal && stdin.isTty ? this.openTerminal(stdout) : null;
    if (terminal) {
      fds.install(0, terminal.open(O_RDWR, '/dev/tty'), false);
      if (stdout.isTty) fds.install(1, terminal.open(O_RDWR, '/dev/tty'), false);
      if (stderr.isTty) fds.install(2, terminal.open(O_RDWR, '/dev/tty'), false);
    }
    const tid = this.allocatePid();
    const tg = new ThreadGroup(tid, null, creds, new SignalHandlers());
    this.groups.set(tid, tg);
    terminal?.attach(tg);
    const t = new Task(tid, tg, image.mm, fds, new FsContext(root, cwdLoc), this.platform.newContext());
    installImage(t, image, execPath, env);
    this.tasks.set(tid, t);
    return t;
  }

  /** Runs `t` until it exits. */
  async runTask(t: Task): Promise<void> {
    // A slice is counted across stops: a task making a syscall every few instructions must still
    // give the event loop (timers, host I/O, host signals) its turn.
    let sliceEnd = t.ctx.instructions + SLICE;
    // A syscall that must wait: started from the syscall hook, awaited by this loop.
    let waiting: Promise<number> | null = null;
    let answered = false;
    let as = t.mm.as;
    // Where this run of guest code must stop: the slice's end, or sooner for a CPU timer.
    let runEnd = sliceEnd;
    // Where the platform can, syscalls are answered inside switch(): the guest goes on unless the
    // handler must wait, the task ended, or its address space changed (exec).
    const onSyscall = (): boolean => {
      answered = true;
      const r = this.syscall(t);
      if (typeof r !== 'number') { waiting = r; return false; }
      // Leave switch() to deliver a signal, settle an interrupted syscall, stop for job control,
      // or stop sooner for a CPU timer the syscall armed.
      return !t.exited && t.mm.as === as && t.restartCode === 0 && !hasDeliverable(t) && !t.tg.stopped && t.cpuCheckAt >= runEnd;
    };
    while (!t.exited) {
      if (t.restartCode !== 0 || hasDeliverable(t)) {
        deliverSignals(this, t);
        if (t.exited) break;
      }
      if (t.tg.stopped) {
        await waitWhileStopped(t);
        continue; // a signal may have come meanwhile (SIGKILL ends the loop)
      }
      as = t.mm.as;
      runEnd = Math.min(sliceEnd, t.cpuCheckAt);
      const before = t.ctx.instructions;
      let stop: Stop | Promise<Stop> = t.ctx.switch(as, t.regs, Math.max(runEnd - t.ctx.instructions, 1), onSyscall);
      if (stop instanceof Promise) stop = await stop;
      this.unyielded += t.ctx.instructions - before;
      switch (stop.kind) {
        case 'syscall': {
          // Answered by the hook (maybe still waiting), or by us here for platforms without it.
          const pending: number | Promise<number> = answered ? waiting ?? 0 : this.syscall(t);
          answered = false;
          waiting = null;
          if (typeof pending !== 'number') { await pending; sliceEnd = t.ctx.instructions + SLICE; }
          break;
        }
        case 'fault': this.pageFault(t, stop.addr, stop.access); break;
        case 'exception': this.exception(t, stop.vector, stop.detail); break;
        case 'interrupted': break;
      }
      if (t.ctx.instructions >= t.cpuCheckAt && !t.exited) checkCpuTimers(t);
      // Tasks that wake each other (a futex ping-pong) hand over in promise callbacks, which
      // never let the event loop in: instructions run by any task since it last ran count too.
      if (t.ctx.instructions >= sliceEnd || this.unyielded >= SLICE) {
        this.unyielded = 0;
        await this.host.yield();
        sliceEnd = t.ctx.instructions + SLICE;
      }
    }
  }

  /** A VFS caller for kernel-side file access (exec) on behalf of `creds`. */
  private caller(root: Location, cwd: Location, creds: Credentials): Caller {
    return { root, cwd, umask: 0o022, creds: fsCreds(creds), fdLocation: () => undefined, fdFile: () => undefined };
  }

  // --- syscalls ------------------------------------------------------------------------------

  /** Dispatches the syscall in t's registers and stores its result; a promise when it waits. */
  private syscall(t: Task): number | Promise<number> {
    const i32 = t.regs.i32;
    const nr = i32[1] === 0 ? i32[0] : -1;
    t.syscallNr = nr;
    this.currentTask = t;
    const row = nr >= 0 ? SYSCALL_TABLE[nr] : undefined;
    if (this.options.strace) this.log(formatSyscall(t, nr));
    let r: number | Promise<number>;
    if (!row || !row.handler) {
      if (!this.loggedUnimplemented.has(nr)) {
        this.loggedUnimplemented.add(nr);
        this.log(`warning: unimplemented syscall ${row ? nameOf(nr) : nr}${row?.note ? ` (${row.note})` : ''}: ENOSYS`);
      }
      r = -Errno.ENOSYS;
    } else {
      try {
        r = row.handler(t, this);
      } catch (e) {
        r = this.handlerBug(nr, e);
      }
    }
    if (typeof r === 'number') {
      this.finishSyscall(t, nr, r);
      return r;
    }
    return r.then(
      (v) => { this.finishSyscall(t, nr, v); return v; },
      (e) => { const v = this.handlerBug(nr, e); this.finishSyscall(t, nr, v); return v; },
    );
  }

  private finishSyscall(t: Task, nr: number, r: number): void {
    if (t.exited || r === KEEP_REGISTERS) return;
    t.setReturn(r);
    if (isRestart(r)) t.restartCode = -r;
    if (this.options.strace) this.log(formatResult(t, nr, r));
  }

  /** A handler threw: a Sentry bug. The guest gets EINVAL; the sandbox goes on. */
  private handlerBug(nr: number, e: unknown): number {
    this.log(`error: syscall ${nameOf(nr)} handler failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    return -Errno.EINVAL;
  }

  // --- faults and exceptions -----------------------------------------------------------------

  private pageFault(t: Task, addr: number, access: number): void {
    const r = t.mm.handleFault(addr, access);
    if (r === 'ok') return;
    if (r === 'bus') {
      this.log(`pid ${t.tg.pid}: SIGBUS (BUS_ADRERR) at 0x${addr.toString(16)}: beyond the end of the mapped file`);
      forceSignal(this, t, sigInfo(SIGBUS, BUS_ADRERR, { addr }));
      return;
    }
    if (r === 'oom') {
      this.log(`error: out of guest memory at 0x${addr.toString(16)}: killing pid ${t.tg.pid}`);
      this.killGroup(t, SIGKILL);
      return;
    }
    const rip = t.regs.rip;
    this.log(`pid ${t.tg.pid}: SIGSEGV (${r === 'maperr' ? 'SEGV_MAPERR' : 'SEGV_ACCERR'}) ${['read', 'write', 'exec'][access]} at 0x${addr.toString(16)}, rip 0x${rip.toString(16)}`);
    forceSignal(this, t, sigInfo(SIGSEGV, r === 'maperr' ? SEGV_MAPERR : SEGV_ACCERR, { addr }));
  }

  private exception(t: Task, vector: number, detail: string): void {
    const sig = vector === Vector.DE || vector === Vector.MF || vector === Vector.XM ? SIGFPE
      : vector === Vector.UD ? SIGILL
        : vector === Vector.BP || vector === Vector.DB ? SIGTRAP
          : SIGSEGV;
    const rip = t.regs.rip;
    const bytes = new Uint8Array(15);
    const shown = t.mm.copyIn(rip, bytes) ? ` [${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ')}]` : '';
    this.log(`pid ${t.tg.pid}: CPU exception ${vector} at rip 0x${rip.toString(16)}: ${detail}${shown}`);
    const code = sig === SIGFPE ? FPE_INTDIV : sig === SIGILL ? ILL_ILLOPN : sig === SIGTRAP ? SI_KERNEL : SI_KERNEL;
    forceSignal(this, t, sigInfo(sig, code, sig === SIGTRAP ? {} : { addr: rip }));
  }

  /** Ends the whole thread group as killed by `sig` (catchable signals arrive with signal delivery). */
  killGroup(t: Task, sig: number): void {
    endGroup(this, t.tg, killedStatus(sig));
  }

  /** exit_group(2): every thread of t's process ends, with `code`. */
  exitGroup(t: Task, code: number): void {
    endGroup(this, t.tg, exitedStatus(code));
  }

  /** What pipe ends need from the kernel. */
  readonly pipeHost: PipeHost = {
    currentTask: () => this.currentTask,
    brokenPipe: (t) => raiseSignal(this, t, SIGPIPE),
    now: () => this.host.clock.realtime(),
  };
  private readonly pipeDev = anonDev();
  private nextPipeIno = 1;

  /** A new pipe, owned by t's user (pipefs). */
  newPipe(t: Task): Pipe {
    return new Pipe(this.pipeDev, this.nextPipeIno++, this.host.clock.realtime(), t.tg.creds.euid, t.tg.creds.egid);
  }

  /**
   * Sleeps `ms` (forever when negative) unless a signal for `t` or its death comes first;
   * false when interrupted.
   */
  interruptibleSleep(t: Task, ms: number): Promise<boolean> {
    if (t.exited || hasDeliverable(t)) return Promise.resolve(false);
    return new Promise((resolve) => {
      let done = false;
      let timer: HostTimer | null = null;
      const finish = (slept: boolean) => {
        if (done) return;
        done = true;
        timer?.cancel();
        if (t.wakeup === interrupt) t.wakeup = null;
        resolve(slept);
      };
      const interrupt = () => finish(false);
      t.wakeup = interrupt;
      if (ms >= 0) timer = this.hostTimers.after(ms, () => finish(true));
    });
  }

  /** Waits `ms` of host time (uninterruptibly; never ends once the sandbox is over). */
  sleep(ms: number): Promise<void> { return this.hostTimers.sleep(ms); }

  /** Pids in use: live tasks and unreaped zombies (what pidsLimit bounds). */
  get pidsInUse(): number { return this.tasks.size + this.zombies; }

  /** `tg` has just become a zombie. */
  zombieMade(): void { this.zombies++; }

  /** The process `tg` leaves the PID namespace (reaped, or never to be). */
  releaseGroup(tg: ThreadGroup): void {
    if (this.groups.get(tg.pid) !== tg) return;
    this.groups.delete(tg.pid);
    if (tg.zombie) this.zombies--;
  }

  /** The next free pid (they wrap at pid_max, as Linux's do), or -1. */
  allocatePid(): number {
    const PID_MAX = 4194304;
    for (let n = 0; n < PID_MAX; n++) {
      this.lastPid = this.lastPid % (PID_MAX - 1) + 1;
      if (!this.tasks.has(this.lastPid) && !this.groups.has(this.lastPid)) return this.lastPid;
    }
    return -1;
  }

  /** Runs `t` beside the others: each task is its own loop on the event loop. */
  start(t: Task): void {
    void Promise.resolve().then(() => this.runTask(t)).catch((e: unknown) => {
      this.log(`error: task ${t.tid} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      this.killGroup(t, SIGKILL);
    });
  }

  /** Runs the sandbox from PID 1 until PID 1 exits; whatever else still runs is then killed. */
  async run(init: Task): Promise<void> {
    const done = new Promise<void>((resolve) => { this.initDone = resolve; });
    this.start(init);
    await done;
  }

  /** PID 1 has exited: as in a PID namespace, every other process is killed. */
  initExited(_init: ThreadGroup): void {
    for (const tg of [...this.groups.values()]) if (tg.pid !== 1 && !tg.zombie) endGroup(this, tg, killedStatus(SIGKILL));
    this.terminal?.close();
    this.restoreTerminal?.();
    // No timer may keep the host process alive now.
    this.hostTimers.closeAll();
    this.initDone?.();
  }

  /** The guest's own tty over the host terminal, which goes into raw mode until the sandbox ends. */
  private openTerminal(out: HostStream): Terminal {
    const host = this.host.terminal!;
    const tty: TtyHost = {
      currentTask: () => this.currentTask,
      signalGroup: (pgid, sig) => {
        for (const tg of this.groups.values()) if (tg.pgid === pgid && !tg.zombie) sendToProcess(this, tg, sigInfo(sig, SI_KERNEL), 'kernel');
      },
      orphaned: (pgid, sid) => orphanedGroup(this, pgid, sid),
      groupExists: (pgid, sid) => groupExists(this, pgid, sid),
      sleep: (ms) => this.host.sleep(ms),
    };
    this.terminal = new Terminal(out, host, tty, () => this.host.stdio[0].stat());
    this.restoreTerminal = host.makeRaw();
    return this.terminal;
  }

  /** A signal from the host (runts was sent SIGINT etc.): until delivery exists, it terminates. */
  hostSignal(sig: number): void {
    const init = this.groups.get(1);
    if (!init || init.zombie) return;
    this.log(`host signal ${sig}: sent to PID 1`);
    sendToProcess(this, init, sigInfo(sig, SI_USER, { pid: 0, uid: 0 }), 'host');
  }

}

function nameOf(nr: number): string {
  return SYSCALL_NAMES.get(nr) ?? `#${nr}`;
}

export { LoadError };
