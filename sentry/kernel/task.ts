// A task (a guest thread) and the objects it may share with others, as in gVisor's kernel.Task:
// per-thread state (registers, signal mask, tid, robust list) apart from the shared, reference-
// counted objects (memory manager, fd table, fs context, signal handlers, thread group), so that
// clone's flags can choose what is shared.

import { RegisterFile, setPair, type Context } from '../../platform/platform.js';
import type { MemoryManager } from '../mm/mm.js';
import type { Location } from '../vfs/dentry.js';
import type { FdTable } from '../vfs/fd_table.js';
import type { FsCreds } from '../vfs/inode.js';
import type { Terminal } from './terminal.js';
import type { ITimers } from './itimers.js';
import type { KTimer } from './ktimer.js';
import type { PosixTimers } from './posix_timers.js';
import { WaitQueue } from './wait_queue.js';
import { NSIG, PendingSignals, SIG_DFL, SigSet, SIGCHLD } from './sigset.js';

export { SIGCHLD };

/** cwd, root and umask (CLONE_FS shares them). */
export class FsContext {
  constructor(public root: Location, public cwd: Location, public umask = 0o022) {}
}

/** A process's credentials (Linux struct cred): ids, supplementary groups, capabilities. */
export interface Credentials {
  uid: number; euid: number; suid: number; fsuid: number;
  gid: number; egid: number; sgid: number; fsgid: number;
  groups: number[];
  /** Capability sets, bit n for capability n (all below 41, so numbers hold them). */
  capEffective: number; capPermitted: number; capInheritable: number; capBounding: number;
}

/**
 * The capabilities a container's root gets by default (Docker's and runsc's default set):
 * CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, SETGID, SETUID, SETPCAP, NET_BIND_SERVICE, NET_RAW,
 * SYS_CHROOT, MKNOD, AUDIT_WRITE, SETFCAP.
 */
export const CONTAINER_CAPS = [0, 1, 3, 4, 5, 6, 7, 8, 10, 13, 18, 27, 29, 31].reduce((s, cap) => s + 2 ** cap, 0);

/** Credentials of a first process running as uid:gid (root gets the container capabilities). */
export function initialCredentials(uid: number, gid: number, groups: number[] = []): Credentials {
  const caps = uid === 0 ? CONTAINER_CAPS : 0;
  return {
    uid, euid: uid, suid: uid, fsuid: uid, gid, egid: gid, sgid: gid, fsgid: gid, groups: [...groups],
    capEffective: caps, capPermitted: caps, capInheritable: 0, capBounding: CONTAINER_CAPS,
  };
}

/** The part of the credentials file permission checks use. */
export function fsCreds(c: Credentials): FsCreds {
  return { fsuid: c.fsuid, fsgid: c.fsgid, groups: c.groups, caps: c.capEffective };
}

export interface Rlimit { cur: number; max: number }

/** A signal action as rt_sigaction sets it. */
export interface SigAction { handler: number; flags: number; restorer: number; mask: SigSet }

/** The signal actions of a process (shared by CLONE_SIGHAND), indexed by signal number. */
export class SignalHandlers {
  readonly actions: SigAction[] = Array.from({ length: NSIG + 1 }, () => ({ handler: SIG_DFL, flags: 0, restorer: 0, mask: new SigSet() }));

  copy(): SignalHandlers {
    const c = new SignalHandlers();
    this.actions.forEach((a, sig) => { c.actions[sig] = { ...a, mask: a.mask.copy() }; });
    return c;
  }
}

/** sigaltstack(2)'s state. */
export interface AltStack { sp: number; size: number; flags: number }
export const SS_ONSTACK = 1, SS_DISABLE = 2, SS_AUTODISARM = 1 << 31;

/** A process: the thread group and what its threads share. */
export class ThreadGroup {
  /** The status runts exits with (the code, or 128+N when killed by signal N); null while it runs. */
  exitStatus: number | null = null;
  /** Set when the group was killed by a signal. */
  termSignal = 0;
  /** wait(2)'s status word once the group has exited: code << 8, or the signal (| 0x80 for a core dump). */
  waitStatus = 0;
  /** Exited and not yet reaped by its parent. */
  zombie = false;
  readonly tasks = new Set<Task>();
  /** The leader after it exited while other threads go on (a zombie thread, as /proc shows it). */
  zombieLeader: Task | null = null;
  readonly rlimits = new Map<number, Rlimit>();
  comm = '';
  dumpable = 1;
  noNewPrivs = false;
  /** The processes it forked, until reaped; a dying process gives its own to init. */
  readonly children = new Set<ThreadGroup>();
  /** Signals sent to the process, for whichever thread does not block them. */
  readonly pending = new PendingSignals();
  /** Where wait4/waitid sleep until a child changes state. */
  readonly childEvents = new WaitQueue();
  /** Notified whenever a signal is queued for the process or one of its threads (signalfd polls it). */
  readonly signalEvents = new WaitQueue();
  /** The signal its parent gets when it exits (clone's low byte; SIGCHLD for fork). */
  exitSignal = SIGCHLD;
  /** Stopped by a stop signal (job control), and by which; its threads wait on `resumed`. */
  stopped = false;
  stopSignal = 0;
  readonly resumed = new WaitQueue();
  /** wait(WUNTRACED) has seen the current stop; wait(WCONTINUED) has yet to see a continue. */
  stopReported = true;
  continuedToReport = false;
  /** Its session's controlling terminal, if any (inherited by fork, dropped by setsid). */
  ctty: Terminal | null = null;
  /** It has called execve since it was forked (setpgid on it then fails with EACCES). */
  didExec = false;
  /** PR_SET_CHILD_SUBREAPER: orphaned descendants are given to it rather than to init. */
  subreaper = false;
  /** Instructions run by its exited threads, and by its reaped children (getrusage, times). */
  exitedInstructions = 0;
  childInstructions = 0;
  /** The largest resident set of its address spaces so far (exec replaces one), and of its reaped children's, in pages. */
  maxRssPages = 0;
  childMaxRssPages = 0;
  /** The thread that forked it (Linux real_parent): its exit sends the PR_SET_PDEATHSIG signals. */
  parentThread: Task | null = null;
  /** alarm/setitimer and timer_create state, made on first use (a fork starts without). */
  itimers: ITimers | null = null;
  posixTimers: PosixTimers | null = null;
  /** CPU timers on this process's CPU clock (whoever owns them), checked by its threads' loops. */
  cpuTimers: Set<KTimer> | null = null;

  constructor(
    readonly pid: number,
    public parent: ThreadGroup | null,
    public creds: Credentials,
    public handlers: SignalHandlers,
    public pgid = pid,
    public sid = pid,
  ) {}

  get ppid(): number { return this.parent?.pid ?? 0; }
  get leader(): Task | undefined { for (const t of this.tasks) if (t.tid === this.pid) return t; return undefined; }

  /** Its threads for /proc (PID/task, Threads:): the live ones and a zombie leader. */
  get threadList(): Task[] { return this.zombieLeader ? [this.zombieLeader, ...this.tasks] : [...this.tasks]; }
}

export class Task {
  readonly regs = new RegisterFile();
  /** Blocked signals. */
  sigmask = new SigSet();
  /** The mask to restore after a handler interrupts sigsuspend/pselect (set while they wait). */
  savedMask: SigSet | null = null;
  /** The mask sigtimedwait set aside while it waits with its signals unblocked (real_blocked). */
  realBlocked: SigSet | null = null;
  /** Signals sent to this thread (tkill, faults). */
  readonly pending = new PendingSignals();
  altStack: AltStack = { sp: 0, size: 0, flags: SS_DISABLE };
  /** Set when a syscall was interrupted (-ERESTART*): delivery decides between restart and EINTR. */
  restartCode = 0;
  clearChildTid = 0;
  /** set_robust_list's head (walked at exit and exec), 0 for none. */
  robustList = 0;
  /** What restart_syscall runs after a syscall returned ERESTART_RESTARTBLOCK (a timed wait). */
  restartBlock: (() => number | Promise<number>) | null = null;
  exited = false;
  /** Syscall-restart bookkeeping and the name of the syscall in progress (for --strace). */
  syscallNr = -1;
  /** Set while the task sleeps in a WaitQueue: ends the sleep early (kill; later signals). */
  wakeup: (() => void) | null = null;
  /** A kill is on its way: blocking waits end at once. */
  interrupted = false;
  /** A vfork parent sleeps here until this child execs or exits (CLONE_VFORK). */
  vforkDone: (() => void) | null = null;
  /** The instruction count at which the task loop checks CPU timers (Infinity: none to check). */
  cpuCheckAt = Infinity;
  /** CPU timers on this thread's CPU clock. */
  cpuTimers: Set<KTimer> | null = null;
  /** PR_SET_PDEATHSIG: the signal this thread's process gets when its parent thread exits. */
  pdeathSignal = 0;
  /** Scheduling as sched_setscheduler and setpriority set it: nice (-20..19), policy, real-time priority, SCHED_RESET_ON_FORK. */
  nice = 0;
  schedPolicy = 0;
  rtPriority = 0;
  schedResetOnFork = false;

  constructor(
    /** Its thread id; execve from another thread makes that thread's tid the process's pid. */
    public tid: number,
    readonly tg: ThreadGroup,
    public mm: MemoryManager,
    public fds: FdTable,
    public fs: FsContext,
    readonly ctx: Context,
  ) {
    tg.tasks.add(this);
  }

  // --- syscall arguments: rdi, rsi, rdx, r10, r8, r9 ----------------------------------------

  /** Argument n as an unsigned 64-bit JS number (exact below 2^53; pointers and sizes). */
  arg(n: number): number {
    const s = ARG_SLOTS[n];
    return (this.regs.i32[s + 1] >>> 0) * 4294967296 + (this.regs.i32[s] >>> 0);
  }
  /** Argument n as a signed 64-bit JS number (offsets). */
  argSigned(n: number): number {
    const s = ARG_SLOTS[n];
    return this.regs.i32[s + 1] * 4294967296 + (this.regs.i32[s] >>> 0);
  }
  /** Argument n's low 32 bits as a signed int (fds, flags, ints). */
  argInt(n: number): number { return this.regs.i32[ARG_SLOTS[n]]; }
  argLo(n: number): number { return this.regs.i32[ARG_SLOTS[n]]; }
  argHi(n: number): number { return this.regs.i32[ARG_SLOTS[n] + 1]; }

  setReturn(v: number): void { setPair(this.regs.i32, 0, v); }
}

// Register-file slots of the syscall argument registers (Gpr * 2).
const ARG_SLOTS = [14, 12, 4, 20, 16, 18];
