// Priority-inheritance futexes (Linux kernel/futex/pi.c and the PI half of requeue.c): the word
// holds the owner's tid, FUTEX_WAITERS while the kernel has waiters queued (so the owner must come
// to the kernel to unlock) and FUTEX_OWNER_DIED once an owner died holding it; on unlock the kernel
// hands the lock straight to the first waiter and writes that waiter's tid. With one scheduler
// there is no priority to inherit, but the word protocol is Linux's, so glibc's PI mutexes and PI
// condition variables work unchanged.

import { Errno } from '../abi/errno.js';
import type { MemoryManager } from '../mm/mm.js';
import {
  FUTEX_OWNER_DIED, FUTEX_TID_MASK, FUTEX_WAITERS, Waiter, WaiterKind, WakeReason, type Deadline, type FutexTable,
} from './futex.js';
import { ERESTARTNOINTR } from './signals.js';
import type { Task } from './task.js';

/** A live task by tid (the sandbox's one PID namespace). */
export type TaskLookup = (tid: number) => Task | undefined;

/** lockPiAtomic's outcomes besides -errno: taken, or queued behind the current owner. */
const ACQUIRED = 1, CONTENDED = 0;

/**
 * Tries to take the PI futex at (mm, addr) for `taker` (futex_lock_pi_atomic): ACQUIRED;
 * CONTENDED, FUTEX_WAITERS then being set and the kernel's PI state naming the owner; or -errno:
 * EDEADLK when `taker` holds it, ESRCH when the tid in the word is no live task, EINVAL when the
 * word and the kernel's state disagree. `setWaiters` (a requeue) takes it with FUTEX_WAITERS set
 * and the PI state made, since more waiters will queue behind the new owner.
 */
function lockPiAtomic(ft: FutexTable, findTask: TaskLookup, mm: MemoryManager, addr: number, key: string,
  taker: Task, setWaiters: boolean): number {
  for (;;) {
    const uval = ft.load(mm, addr);
    if (uval === null) return -Errno.EFAULT;
    const tid = uval & FUTEX_TID_MASK;
    if (tid === taker.tid) return -Errno.EDEADLK;
    const top = ft.top(key);
    if (top) return attachToPiState(ft, key, top, uval);
    if (tid === 0) {
      // Free (perhaps left by a dead owner: OWNER_DIED stays for the new owner to see).
      const next = (uval & FUTEX_OWNER_DIED) | taker.tid | (setWaiters ? FUTEX_WAITERS : 0);
      const old = ft.cmpxchg(mm, addr, uval, next);
      if (old === null) return -Errno.EFAULT;
      if (old !== uval) continue;
      if (setWaiters) ft.setPiOwner(key, taker);
      return ACQUIRED;
    }
    // The first waiter: mark the word, then find the owner (attach_to_pi_owner).
    const marked = uval | FUTEX_WAITERS;
    const old = ft.cmpxchg(mm, addr, uval, marked);
    if (old === null) return -Errno.EFAULT;
    if (old !== uval) continue;
    const owner = findTask(tid);
    if (!owner || owner.exited) {
      // handle_exit_race: a word that changed meanwhile is tried again; else the tid is bogus.
      const again = ft.load(mm, addr);
      if (again === null) return -Errno.EFAULT;
      if (again !== marked) continue;
      return -Errno.ESRCH;
    }
    ft.setPiOwner(key, owner);
    return CONTENDED;
  }
}

/** Checks the word against the PI state that waiters already share (attach_to_pi_state). */
function attachToPiState(ft: FutexTable, key: string, top: Waiter, uval: number): number {
  if (top.kind !== WaiterKind.PI) return -Errno.EINVAL; // PI and non-PI operations mixed on one word
  const owner = ft.piOwner(key);
  const tid = uval & FUTEX_TID_MASK;
  if (uval & FUTEX_OWNER_DIED) {
    if (!owner) return tid ? -Errno.EINVAL : CONTENDED;
    if (!tid) return CONTENDED;
  } else if (!owner) {
    return -Errno.EINVAL;
  }
  return owner && tid === owner.tid ? CONTENDED : -Errno.EINVAL;
}

/**
 * FUTEX_LOCK_PI, LOCK_PI2 and TRYLOCK_PI: 0 once `t` holds the lock; EAGAIN for a trylock that
 * would wait; ETIMEDOUT at the deadline; interrupted, it is restarted even after a handler
 * (ERESTARTNOINTR), as Linux does.
 */
export function lockPi(ft: FutexTable, findTask: TaskLookup, t: Task, addr: number, key: string,
  deadline: Deadline | null, trylock: boolean): number | Promise<number> {
  const r = lockPiAtomic(ft, findTask, t.mm, addr, key, t, false);
  if (r === ACQUIRED) return 0;
  if (r < 0) return r;
  if (trylock) {
    ft.prunePi(key);
    return -Errno.EAGAIN;
  }
  const w = new Waiter(t, t.mm, addr, key, -1, WaiterKind.PI);
  return ft.wait(w, deadline).then((why) => {
    if (w.locked) return 0;
    return why === WakeReason.TIMEOUT ? -Errno.ETIMEDOUT : -ERESTARTNOINTR;
  });
}

/**
 * FUTEX_UNLOCK_PI: only the owner may unlock (EPERM). With waiters the lock goes to the first of
 * them (the word becomes FUTEX_WAITERS | its tid); without, the word becomes 0 (EAGAIN if it
 * changed meanwhile). `keyOf` names the futex once the owner is checked, as Linux orders it.
 */
export function unlockPi(ft: FutexTable, t: Task, addr: number, keyOf: () => string | number): number {
  for (;;) {
    const uval = ft.load(t.mm, addr);
    if (uval === null) return -Errno.EFAULT;
    if ((uval & FUTEX_TID_MASK) !== t.tid) return -Errno.EPERM;
    const key = keyOf();
    if (typeof key === 'number') return key;
    const top = ft.top(key);
    if (!top) {
      const old = ft.cmpxchg(t.mm, addr, uval, 0);
      if (old === null) return -Errno.EFAULT;
      return old === uval ? 0 : -Errno.EAGAIN;
    }
    if (top.kind !== WaiterKind.PI || ft.piOwner(key) !== t) return -Errno.EINVAL;
    const old = ft.cmpxchg(t.mm, addr, uval, FUTEX_WAITERS | top.task.tid);
    if (old === null) return -Errno.EFAULT;
    if (old !== uval) {
      if ((old & FUTEX_TID_MASK) === uval) continue; // a waiter set FUTEX_WAITERS meanwhile
      return -Errno.EINVAL;
    }
    handOver(ft, key, top);
    return 0;
  }
}

/** `w` now owns PI futex `key`: it wakes with the lock. */
function handOver(ft: FutexTable, key: string, w: Waiter): void {
  ft.setPiOwner(key, w.task);
  w.locked = true;
  ft.finish(w, WakeReason.WOKEN);
}

/**
 * FUTEX_WAIT_REQUEUE_PI (the caller checked the word and the keys): waits on the condition word
 * until a CMP_REQUEUE_PI either gives it the PI lock or requeues it to wait for that lock; 0 once
 * it holds the lock. Interrupted before the requeue it restarts (ERESTARTNOINTR); after it, the
 * condition has changed and the answer is EAGAIN (EWOULDBLOCK), as in Linux.
 */
export async function waitRequeuePi(ft: FutexTable, t: Task, addr: number, key: string, bitset: number,
  piKey: string, piAddr: number, deadline: Deadline | null): Promise<number> {
  const w = new Waiter(t, t.mm, addr, key, bitset, WaiterKind.REQUEUE_PI, piKey, piAddr);
  const why = await ft.wait(w, deadline);
  if (w.locked) return 0;
  if (why === WakeReason.TIMEOUT) return -Errno.ETIMEDOUT;
  return w.kind === WaiterKind.REQUEUE_PI && why === WakeReason.CANCELLED ? -ERESTARTNOINTR : -Errno.EAGAIN;
}

/**
 * FUTEX_CMP_REQUEUE_PI (the caller checked counts, keys and the compared value): takes the PI
 * futex for the first waiter if it is free (waking it with the lock), then requeues up to
 * `nRequeue` more to wait for the lock, one more when the lock was not free. Returns how many were
 * woken or requeued, or -errno.
 */
export function cmpRequeuePi(ft: FutexTable, findTask: TaskLookup, t: Task, key: string, piKey: string,
  piAddr: number, nRequeue: number): number {
  let count = 0;
  const top = ft.top(key);
  if (top) {
    if (top.kind !== WaiterKind.REQUEUE_PI || top.requeueKey !== piKey) return -Errno.EINVAL;
    const r = lockPiAtomic(ft, findTask, t.mm, piAddr, piKey, top.task, nRequeue > 0);
    if (r < 0) return r;
    if (r === ACQUIRED) {
      top.locked = true;
      ft.finish(top, WakeReason.WOKEN);
      count++;
    }
  }
  let error = 0;
  for (const w of ft.waitersOn(key)) {
    if (count - 1 >= nRequeue) break;
    if (w.kind !== WaiterKind.REQUEUE_PI || w.requeueKey !== piKey) { error = -Errno.EINVAL; break; }
    if (ft.piOwner(piKey) === w.task) { error = -Errno.EDEADLK; break; }
    w.kind = WaiterKind.PI;
    ft.move(w, piKey, w.requeueAddr);
    count++;
  }
  ft.prunePi(piKey);
  return error || count;
}

/**
 * `t` is exiting (exit_pi_state_list): each PI futex it still owns goes to its first waiter,
 * which writes its own tid into the word, keeping FUTEX_OWNER_DIED if the robust list set it.
 */
export function exitPiState(ft: FutexTable, t: Task): void {
  for (const key of ft.piKeysOwnedBy(t)) {
    const w = ft.waitersOn(key).find((x) => x.kind === WaiterKind.PI);
    if (!w) { ft.prunePi(key); continue; }
    ft.update(w.mm, w.addr, (uval) => (uval & FUTEX_OWNER_DIED) | FUTEX_WAITERS | w.task.tid);
    handOver(ft, key, w);
  }
}
