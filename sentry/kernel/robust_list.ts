// What a task's futexes need when it exits or execs (Linux futex_exit_release, exit_robust_list,
// handle_futex_death): each robust mutex on its robust list that it still holds gets
// FUTEX_OWNER_DIED and one waiter is woken, so the next owner learns of the death (EOWNERDEAD);
// the PI futexes it owns go to their waiters (futex_pi.ts).
//
// The list lives in guest memory (struct robust_list_head: the list's first entry, the offset
// from an entry to its futex word, and the entry being locked or unlocked right now); bit 0 of an
// entry pointer marks a PI futex. The walk is bounded, so a circular list cannot hang the exit.

import { getI64, getU64 } from '../abi/bytes.js';
import type { MemoryManager } from '../mm/mm.js';
import { FUTEX_OWNER_DIED, FUTEX_TID_MASK, FUTEX_WAITERS, type FutexTable } from './futex.js';
import { exitPiState } from './futex_pi.js';
import type { Task } from './task.js';

/** At most this many entries are walked (ROBUST_LIST_LIMIT). */
const ROBUST_LIST_LIMIT = 2048;

/** Releases t's futexes (before its memory goes): the robust list, then the PI futexes it owns. */
export function releaseFutexes(ft: FutexTable, t: Task): void {
  if (t.robustList !== 0) {
    exitRobustList(ft, t, t.mm, t.robustList);
    t.robustList = 0;
  }
  exitPiState(ft, t);
}

function exitRobustList(ft: FutexTable, t: Task, mm: MemoryManager, head: number): void {
  const headBytes = new Uint8Array(24);
  if (!mm.copyIn(head, headBytes)) return;
  const dv = new DataView(headBytes.buffer);
  const first = getU64(dv, 0), futexOffset = getI64(dv, 8), pendingRaw = getU64(dv, 16);
  const pending = pendingRaw - (pendingRaw % 2), pendingPi = pendingRaw % 2 === 1;
  let entry = first - (first % 2), pi = first % 2 === 1;
  for (let limit = ROBUST_LIST_LIMIT; entry !== head;) {
    // The next entry is fetched first: waking a waiter lets the entry be reused.
    const nextRaw = mm.readU64(entry);
    if (entry !== pending && !handleFutexDeath(ft, t, mm, entry + futexOffset, pi, false)) return;
    if (nextRaw === null) return;
    entry = nextRaw - (nextRaw % 2);
    pi = nextRaw % 2 === 1;
    if (--limit === 0) break;
  }
  if (pending !== 0) handleFutexDeath(ft, t, mm, pending + futexOffset, pendingPi, true);
}

/**
 * One futex of the dying `t`: if t owns it, the owner part becomes 0 with FUTEX_OWNER_DIED set
 * (FUTEX_WAITERS kept), and a waiter of a non-PI futex is woken. An entry whose operation was
 * pending and that nobody owns may have lost a wake: one waiter is woken. False stops the walk.
 */
function handleFutexDeath(ft: FutexTable, t: Task, mm: MemoryManager, addr: number, pi: boolean, pendingOp: boolean): boolean {
  if (addr % 4 !== 0) return false;
  for (;;) {
    const uval = ft.load(mm, addr);
    if (uval === null) return false;
    const owner = uval & FUTEX_TID_MASK;
    if (pendingOp && !pi && owner === 0) {
      wakeOne(ft, mm, addr);
      return true;
    }
    if (owner !== t.tid) return true;
    const old = ft.cmpxchg(mm, addr, uval, (uval & FUTEX_WAITERS) | FUTEX_OWNER_DIED);
    if (old === null) return false;
    if (old !== uval) continue;
    // PI futexes are handed over by exitPiState instead.
    if (!pi && (uval & FUTEX_WAITERS)) wakeOne(ft, mm, addr);
    return true;
  }
}

/** The kernel wakes robust futexes as shared ones (glibc waits on them so, even in private mutexes). */
function wakeOne(ft: FutexTable, mm: MemoryManager, addr: number): void {
  const key = ft.key(mm, addr, true, false);
  if (typeof key === 'string') ft.wake(key, 1);
}
