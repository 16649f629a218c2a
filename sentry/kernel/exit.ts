// How tasks and processes end (Linux kernel/exit.c): a thread's exit releases what it used
// (its robust and PI futexes, clear_child_tid, its share of the address space and fd table; a
// leader stays as a zombie thread until the last thread ends); the last thread's exit makes
// the process a zombie, gives its children to a subreaper or init, and tells its parent, which
// reaps it with wait4/waitid, or lets it go at once when it ignores SIGCHLD.

import type { Kernel } from './kernel.js';
import { releaseFutexes } from './robust_list.js';
import { sendToProcess } from './signals.js';
import { CLD_DUMPED, CLD_EXITED, CLD_KILLED, SA_NOCLDWAIT, SI_USER, SIG_IGN, SIGCHLD, sigInfo } from './sigset.js';
import type { Task, ThreadGroup } from './task.js';


/** wait(2)'s status word for an exit code. */
export function exitedStatus(code: number): number { return (code & 0xff) << 8; }
/** wait(2)'s status word for death by signal `sig` (never with the core bit: no core is dumped, as in gVisor). */
export function killedStatus(sig: number): number { return sig; }

/** exit(2): this thread ends; the process ends with `code` when it was the last one. */
export function exitThread(k: Kernel, t: Task, code: number): void {
  if (t.tg.tasks.size === 1) { endGroup(k, t.tg, exitedStatus(code)); return; }
  endTask(k, t);
}

/**
 * Ends every thread of `tg`, which exits with `waitStatus` (the first reason wins: a group
 * already dying keeps its status).
 */
export function endGroup(k: Kernel, tg: ThreadGroup, waitStatus: number): void {
  if (tg.exitStatus === null) {
    tg.waitStatus = waitStatus;
    const sig = waitStatus & 0x7f;
    tg.termSignal = sig;
    tg.exitStatus = sig ? 128 + sig : (waitStatus >> 8) & 0xff;
  }
  for (const t of [...tg.tasks]) endTask(k, t);
}

/**
 * execve from a multi-threaded process (de_thread): the other threads end, and a thread other
 * than the leader takes the leader's place, with the process's pid as its tid.
 */
export function endOtherThreads(k: Kernel, t: Task): void {
  for (const other of [...t.tg.tasks]) if (other !== t) endTask(k, other);
  const tg = t.tg;
  if (t.tid !== tg.pid) {
    k.tasks.delete(t.tid);
    t.tid = tg.pid;
    k.tasks.set(t.tid, t);
  }
  tg.zombieLeader = null;
}

/**
 * A task lets go of its address space (Linux exit_mm_release, exec_mm_release): its robust and
 * PI futexes first, then CLONE_CHILD_CLEARTID: tasks still sharing the memory learn of the exit
 * (pthread_join waits there, with a shared futex).
 */
export function releaseMemory(k: Kernel, t: Task): void {
  releaseFutexes(k.futexes, t);
  if (t.clearChildTid !== 0) {
    if (t.mm.userCount > 1 && t.mm.copyOut(t.clearChildTid, new Uint8Array(4))) {
      const key = k.futexes.key(t.mm, t.clearChildTid, true, false);
      if (typeof key === 'string') k.futexes.wake(key, 1);
    }
    t.clearChildTid = 0;
  }
}

/** One task stops: its loop ends at the next check, and what it held is released. */
function endTask(k: Kernel, t: Task): void {
  if (t.exited) return;
  t.exited = true;
  t.ctx.interrupt();
  t.wakeup?.();
  k.futexes.cancel(t);
  const tg = t.tg;
  releaseMemory(k, t);
  t.vforkDone?.();
  t.vforkDone = null;
  tg.exitedInstructions += t.ctx.instructions;
  t.cpuTimers = null;
  notePeakRss(tg, t);
  t.fds.drop();
  t.mm.drop();
  tg.tasks.delete(t);
  k.tasks.delete(t.tid);
  if (tg.tasks.size === 0) { groupGone(k, tg, t); return; }
  // A leader that ends before its threads stays, a zombie, until the last one (/proc shows it).
  if (t.tid === tg.pid) tg.zombieLeader = t;
  // Children it forked pass to a sibling thread, and learn of it if they asked (PR_SET_PDEATHSIG).
  const sibling = tg.leader ?? tg.tasks.values().next().value!;
  for (const child of tg.children) {
    if (child.parentThread !== t) continue;
    child.parentThread = sibling;
    parentDied(k, child, t);
  }
}

/** The largest resident set the process has had, as getrusage's ru_maxrss tells it. */
export function notePeakRss(tg: ThreadGroup, t: Task): void {
  tg.maxRssPages = Math.max(tg.maxRssPages, t.mm.peakResidentPages);
}

/** `child`'s parent thread `father` has exited: each of its threads that set a death signal sends it. */
function parentDied(k: Kernel, child: ThreadGroup, father: Task): void {
  for (const t of child.tasks) {
    if (t.pdeathSignal === 0) continue;
    sendToProcess(k, child, sigInfo(t.pdeathSignal, SI_USER, { pid: father.tg.pid, uid: father.tg.creds.uid }), 'kernel');
  }
}

/** The last thread (`last`) is gone: the process becomes a zombie for its parent to reap. */
function groupGone(k: Kernel, tg: ThreadGroup, last: Task): void {
  if (tg.exitStatus === null) { tg.exitStatus = 0; tg.waitStatus = 0; }
  tg.zombie = true;
  k.zombieMade();
  // Its timers die with it.
  tg.itimers?.stopAll();
  tg.posixTimers?.deleteAll();
  tg.zombieLeader = null;
  k.log(`pid ${tg.pid} exited with ${tg.termSignal ? `signal ${tg.termSignal}` : `status ${tg.exitStatus}`}`);
  const heir = reaperFor(k, tg);
  const heirThread = heir ? heir.leader ?? heir.tasks.values().next().value ?? null : null;
  for (const child of tg.children) {
    child.parent = heir;
    if (child.parentThread === last || child.parentThread?.tg === tg) {
      child.parentThread = heirThread;
      parentDied(k, child, last);
    }
    if (heir) {
      heir.children.add(child);
      if (child.zombie) childChanged(k, child);
    } else {
      k.releaseGroup(child);
    }
  }
  tg.children.clear();
  if (tg.pid === 1) k.initExited(tg);
  childChanged(k, tg);
}

/** Who adopts the children of `tg`: the nearest living subreaper above it, else init. */
function reaperFor(k: Kernel, tg: ThreadGroup): ThreadGroup | null {
  for (let p = tg.parent; p; p = p.parent) if (p.subreaper && !p.zombie) return p;
  const init = k.groups.get(1);
  return init && !init.zombie && init !== tg ? init : null;
}

/** `child` exited: wake its parent's waits, or reap it now if the parent does not want it. */
function childChanged(k: Kernel, child: ThreadGroup): void {
  const parent = child.parent;
  if (!parent) { k.releaseGroup(child); return; }
  const action = parent.handlers.actions[SIGCHLD];
  if (child.exitSignal === SIGCHLD && (action.handler === SIG_IGN || (action.flags & SA_NOCLDWAIT))) {
    reap(k, child);
    return;
  }
  if (child.exitSignal !== 0) {
    const sig = child.waitStatus & 0x7f;
    const code = sig === 0 ? CLD_EXITED : (child.waitStatus & 0x80) ? CLD_DUMPED : CLD_KILLED;
    sendToProcess(k, parent, sigInfo(child.exitSignal, code, { pid: child.pid, uid: child.creds.uid, status: sig === 0 ? (child.waitStatus >> 8) & 0xff : sig }), 'kernel');
  }
  parent.childEvents.notifyAll();
}

/** The zombie `child` is gone for good: its pid is free and its time is its parent's. */
export function reap(k: Kernel, child: ThreadGroup): void {
  const parent = child.parent;
  if (parent) {
    parent.children.delete(child);
    parent.childInstructions += child.exitedInstructions + child.childInstructions;
    parent.childMaxRssPages = Math.max(parent.childMaxRssPages, child.maxRssPages, child.childMaxRssPages);
  }
  k.releaseGroup(child);
}
