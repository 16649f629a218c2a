// clone, fork and vfork (Linux kernel/fork.c copy_process): a new task that shares with its
// parent what the flags say (address space, fd table, cwd/root/umask, signal handlers, thread
// group) and has copies of the rest. A fork's memory is shared copy-on-write.

import { Errno } from '../abi/errno.js';
import type { Kernel } from './kernel.js';
import { FsContext, Task, ThreadGroup } from './task.js';

export const CLONE_VM = 0x100, CLONE_FS = 0x200, CLONE_FILES = 0x400, CLONE_SIGHAND = 0x800,
  CLONE_PIDFD = 0x1000, CLONE_PTRACE = 0x2000, CLONE_VFORK = 0x4000, CLONE_PARENT = 0x8000,
  CLONE_THREAD = 0x10000, CLONE_NEWNS = 0x20000, CLONE_SYSVSEM = 0x40000, CLONE_SETTLS = 0x80000,
  CLONE_PARENT_SETTID = 0x100000, CLONE_CHILD_CLEARTID = 0x200000, CLONE_DETACHED = 0x400000,
  CLONE_UNTRACED = 0x800000, CLONE_CHILD_SETTID = 0x1000000, CLONE_NEWCGROUP = 0x2000000,
  CLONE_NEWUTS = 0x4000000, CLONE_NEWIPC = 0x8000000, CLONE_NEWUSER = 0x10000000,
  CLONE_NEWPID = 0x20000000, CLONE_NEWNET = 0x40000000, CLONE_IO = 0x80000000;
const NAMESPACES = CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET;

export interface CloneArgs {
  flags: number;
  /** The child's stack pointer (0: the parent's). */
  stack: number;
  parentTid: number;
  childTid: number;
  tls: number;
  /** Signal to the parent when a new process exits (clone's low byte, clone3's exit_signal). */
  exitSignal: number;
}

/** Creates the child and starts it; returns its tid (after it exec'd or exited, for vfork) or -errno. */
export function cloneTask(k: Kernel, t: Task, a: CloneArgs): number | Promise<number> {
  const f = a.flags;
  if ((f & CLONE_THREAD) && !(f & CLONE_SIGHAND)) return -Errno.EINVAL;
  if ((f & CLONE_SIGHAND) && !(f & CLONE_VM)) return -Errno.EINVAL;
  if ((f & CLONE_NEWNS) && (f & CLONE_FS)) return -Errno.EINVAL;
  if ((f & CLONE_THREAD) && a.exitSignal !== 0) return -Errno.EINVAL;
  if ((f & CLONE_PARENT) && t.tg.pid === 1) return -Errno.EINVAL; // init has no parent to share
  if (f & NAMESPACES) return -Errno.EPERM; // needs CAP_SYS_ADMIN, which no container process has
  if (f & CLONE_PIDFD) { k.logOnce('clone-pidfd', 'warning: clone with CLONE_PIDFD: pidfds are not implemented (EINVAL)'); return -Errno.EINVAL; }
  if (a.exitSignal < 0 || a.exitSignal > 64) return -Errno.EINVAL;
  if (k.pidsInUse >= k.pidsLimit) return -Errno.EAGAIN;

  const tid = k.allocatePid();
  if (tid < 0) return -Errno.EAGAIN;
  let mm = t.mm;
  if (f & CLONE_VM) mm.retain();
  else {
    mm = k.newMemoryManager();
    const r = t.mm.forkInto(mm);
    if (r < 0) { mm.release(); return r; }
  }
  const fds = f & CLONE_FILES ? (t.fds.retain(), t.fds) : t.fds.fork();
  const fs = f & CLONE_FS ? t.fs : new FsContext(t.fs.root, t.fs.cwd, t.fs.umask);
  let tg = t.tg;
  if (!(f & CLONE_THREAD)) {
    const handlers = f & CLONE_SIGHAND ? t.tg.handlers : t.tg.handlers.copy();
    const parent = f & CLONE_PARENT ? t.tg.parent : t.tg;
    tg = new ThreadGroup(tid, parent, { ...t.tg.creds, groups: [...t.tg.creds.groups] }, handlers, t.tg.pgid, t.tg.sid);
    for (const [r, l] of t.tg.rlimits) tg.rlimits.set(r, { ...l });
    tg.comm = t.tg.comm;
    tg.dumpable = t.tg.dumpable;
    tg.noNewPrivs = t.tg.noNewPrivs;
    tg.exitSignal = a.exitSignal;
    tg.ctty = t.tg.ctty;
    tg.parentThread = f & CLONE_PARENT ? t.tg.parentThread : t;
    parent?.children.add(tg);
    k.groups.set(tid, tg);
  }
  const child = new Task(tid, tg, mm, fds, fs, k.platform.newContext());
  child.regs.copyFrom(t.regs);
  child.setReturn(0);
  if (a.stack !== 0) child.regs.setNumber(4 /* RSP */, a.stack);
  if (f & CLONE_SETTLS) child.regs.fsBase = a.tls;
  child.sigmask = t.sigmask.copy();
  inheritScheduling(t, child);
  // A new thread adds to its process's CPU time: it checks the process's CPU timers too.
  if (tg === t.tg && tg.cpuTimers?.size) child.cpuCheckAt = 0;
  // A new thread starts off its parent's signal stack; a forked process keeps it (its own copy of the memory).
  if (!(f & CLONE_VM) || (f & CLONE_VFORK)) child.altStack = { ...t.altStack };
  if (f & CLONE_CHILD_CLEARTID) child.clearChildTid = a.childTid;
  if (f & CLONE_CHILD_SETTID) child.mm.copyOut(a.childTid, u32(tid));
  if (f & CLONE_PARENT_SETTID) t.mm.copyOut(a.parentTid, u32(tid));
  k.tasks.set(tid, child);
  if (!(f & CLONE_VFORK)) { k.start(child); return tid; }
  // vfork: the parent sleeps until the child execs or exits (it borrows our memory until then).
  const done = new Promise<number>((resolve) => { child.vforkDone = () => resolve(tid); });
  k.start(child);
  return done;
}

/** Nice value and policy pass to the child; SCHED_RESET_ON_FORK gives it the defaults instead. */
function inheritScheduling(parent: Task, child: Task): void {
  child.nice = parent.nice;
  child.schedPolicy = parent.schedPolicy;
  child.rtPriority = parent.rtPriority;
  if (parent.schedResetOnFork) {
    // A real-time policy becomes SCHED_OTHER at nice 0; otherwise a negative nice value becomes 0.
    if (child.schedPolicy === 1 || child.schedPolicy === 2) { child.schedPolicy = 0; child.rtPriority = 0; child.nice = 0; }
    if (child.nice < 0) child.nice = 0;
  }
}

function u32(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v >>> 0, true);
  return b;
}
