// The futex table (sentry/kernel/futex.ts, futex_pi.ts, robust_list.ts) without guest code: keys
// for private and shared futexes, Linux's wake counts, requeue, deadlines on a fake clock,
// cancellation, the PI handover and the robust list walk.
import t from 'tap';
import { KvmPlatform } from '../../platform/kvm/kvm_platform.js';
import {
  FUTEX_OWNER_DIED, FUTEX_WAITERS, FutexTable, Waiter, WaiterKind, WakeReason, type FutexTimers,
} from '../../sentry/kernel/futex.js';
import { exitPiState, lockPi, unlockPi } from '../../sentry/kernel/futex_pi.js';
import { releaseFutexes } from '../../sentry/kernel/robust_list.js';
import type { Task } from '../../sentry/kernel/task.js';
import { FrameAllocator } from '../../sentry/mm/frames.js';
import { MAP_ANONYMOUS, MAP_PRIVATE, MAP_SHARED, MemoryManager, PROT_READ, PROT_WRITE } from '../../sentry/mm/mm.js';

const EINVAL = -22, EFAULT = -14, EDEADLK = -35, EPERM = -1, ESRCH = -3;
const RW = PROT_READ | PROT_WRITE;

/** A clock that moves only when told, with timers that fire as it passes them. */
class FakeTimers implements FutexTimers {
  now = 1000;
  private timers: { at: number; fire: () => void }[] = [];
  nowMs(): number { return this.now; }
  setTimer(ms: number, fire: () => void): () => void {
    const timer = { at: this.now + ms, fire };
    this.timers.push(timer);
    return () => { this.timers = this.timers.filter((x) => x !== timer); };
  }
  advance(ms: number): void {
    this.now += ms;
    const due = this.timers.filter((x) => x.at <= this.now);
    this.timers = this.timers.filter((x) => x.at > this.now);
    for (const x of due) x.fire();
  }
  get pending(): number { return this.timers.length; }
}

function setup() {
  const p = new KvmPlatform(16 << 20);
  const frames = new FrameAllocator(p.memory);
  const pool = { used: 0, limit: p.memory.frameCount - 16 };
  const newMm = () => new MemoryManager(p.newAddressSpace(), frames, p.memory, pool);
  const timers = new FakeTimers();
  const interrupted = new Set<Task>();
  const ft = new FutexTable(p.memory, timers, (task) => interrupted.has(task));
  return { ft, newMm, timers, interrupted };
}

/** The little of a Task the futex code reads. */
function task(tid: number, mm: MemoryManager): Task {
  return { tid, mm, exited: false, robustList: 0 } as unknown as Task;
}

function word(mm: MemoryManager, addr: number): number {
  const b = new Uint8Array(4);
  mm.copyIn(addr, b);
  return new DataView(b.buffer).getInt32(0, true);
}

function setWord(mm: MemoryManager, addr: number, v: number): void {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, v, true);
  mm.copyOut(addr, b);
}

const flush = () => new Promise((r) => setImmediate(r));

t.test('keys: private per address space, shared by page, errors as get_futex_key', async (t) => {
  const { ft, newMm } = setup();
  const a = newMm(), b = newMm();
  const priv = a.mmap(0, 4096, RW, MAP_PRIVATE | MAP_ANONYMOUS);
  const shared = a.mmap(0, 4096, RW, MAP_SHARED | MAP_ANONYMOUS);
  const ro = a.mmap(0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS);
  t.equal(a.forkInto(b), 0);
  t.not(ft.key(a, priv, false, false), ft.key(b, priv, false, false), 'private keys differ between processes');
  t.not(ft.key(a, priv, true, false), ft.key(a, priv, false, false), 'shared and private keys of one address differ');
  t.not(ft.key(a, priv, true, false), ft.key(b, priv, true, false), 'private memory is not shared after fork');
  t.equal(ft.key(a, shared + 8, true, false), ft.key(b, shared + 8, true, false), 'an untouched MAP_SHARED page is shared after fork');
  t.equal(ft.key(a, priv + 1, false, false), EINVAL);
  t.equal(ft.key(a, 0x7ffffffff004, false, false), EFAULT);
  t.equal(ft.key(a, 0, false, false), 'p1:0', 'a private key needs no memory');
  t.equal(ft.key(a, 0, true, false), EFAULT);
  t.equal(ft.key(a, ro, true, false), EFAULT, 'a read-only anonymous page has no shared key');
  t.equal(ft.key(a, ro, false, false).toString().startsWith('p'), true);
});

t.test('wake counts as Linux: 0 and negative wake one; requeue wakes then moves', async (t) => {
  const { ft, newMm } = setup();
  const mm = newMm();
  const results: WakeReason[] = [];
  const waiters = [1, 2, 3, 4].map((n) => new Waiter(task(n, mm), mm, 0x1000, 'k', -1, WaiterKind.PLAIN));
  for (const w of waiters) void ft.wait(w, null).then((r) => results.push(r));
  t.equal(ft.wake('k', 0), 1);
  t.equal(ft.wake('k', -5), 1);
  t.equal(ft.requeue('k', 'k2', 0, 1), 1);
  t.equal(ft.requeue('k', 'k2', 5, 5), 1, 'the last one on k is woken');
  t.equal(ft.wake('k2', 10), 1);
  await flush();
  t.same(results, [WakeReason.WOKEN, WakeReason.WOKEN, WakeReason.WOKEN, WakeReason.WOKEN]);
  const bits = [1, 2, 4].map((b, n) => new Waiter(task(10 + n, mm), mm, 0x1000, 'b', b, WaiterKind.PLAIN));
  for (const w of bits) void ft.wait(w, null);
  t.equal(ft.wake('b', 10, 6), 2);
  t.equal(ft.wake('b', 10, 6), 0);
  const pi = new Waiter(task(20, mm), mm, 0x1000, 'b', -1, WaiterKind.PI);
  void ft.wait(pi, null);
  t.equal(ft.wake('b', 10), EINVAL, 'wakes the plain waiter ahead of the PI one, then meets the PI waiter');
  t.same(ft.waitersOn('b'), [pi]);
});

t.test('deadlines on the fake clock, cancellation, and no timer left behind', async (t) => {
  const { ft, newMm, timers, interrupted } = setup();
  const mm = newMm();
  const a = task(1, mm), b = task(2, mm), c = task(3, mm);
  const ra = ft.wait(new Waiter(a, mm, 0, 'k', -1, WaiterKind.PLAIN), { realtime: false, ms: 1050 });
  const rb = ft.wait(new Waiter(b, mm, 0, 'k', -1, WaiterKind.PLAIN), { realtime: false, ms: 5000 });
  t.equal(timers.pending, 2);
  timers.advance(49);
  t.equal(ft.wake('x', 1), 0);
  timers.advance(1);
  t.equal(await ra, WakeReason.TIMEOUT);
  ft.cancel(b);
  t.equal(await rb, WakeReason.CANCELLED);
  t.equal(timers.pending, 0, 'a cancelled wait leaves no timer');
  interrupted.add(c);
  t.equal(await ft.wait(new Waiter(c, mm, 0, 'k', -1, WaiterKind.PLAIN), null), WakeReason.CANCELLED, 'a task with a signal pending does not sleep');
  t.equal(ft.wake('k', 10), 0);
});

t.test('PI: owner tid, FUTEX_WAITERS, handover on unlock and on the owner\'s death', async (t) => {
  const { ft, newMm } = setup();
  const mm = newMm();
  const addr = mm.mmap(0, 4096, RW, MAP_PRIVATE | MAP_ANONYMOUS);
  const owner = task(100, mm), w1 = task(101, mm), w2 = task(102, mm);
  const tasks = new Map([owner, w1, w2].map((x) => [x.tid, x]));
  const find = (tid: number) => tasks.get(tid);
  const key = ft.key(mm, addr, false, true) as string;
  t.equal(lockPi(ft, find, owner, addr, key, null, false), 0);
  t.equal(word(mm, addr), 100);
  t.equal(lockPi(ft, find, owner, addr, key, null, false), EDEADLK);
  const p1 = lockPi(ft, find, w1, addr, key, null, false) as Promise<number>;
  const p2 = lockPi(ft, find, w2, addr, key, null, false) as Promise<number>;
  t.equal(word(mm, addr), 100 | FUTEX_WAITERS);
  t.equal(lockPi(ft, find, w1, addr, key, null, true), -11, 'a trylock would wait: EAGAIN');
  t.equal(unlockPi(ft, w2, addr, () => key), EPERM);
  t.equal(unlockPi(ft, owner, addr, () => key), 0);
  t.equal(await p1, 0);
  t.equal(word(mm, addr), 101 | FUTEX_WAITERS, 'the first waiter owns it');
  // The new owner dies holding it: the robust list marks it, the last waiter gets it.
  exitPiState(ft, w1);
  t.equal(await p2, 0);
  t.equal(word(mm, addr) & ~FUTEX_OWNER_DIED, 102 | FUTEX_WAITERS);
  t.equal(unlockPi(ft, w2, addr, () => key), 0);
  t.equal(word(mm, addr), 0);
  setWord(mm, addr, 555);
  t.equal(lockPi(ft, find, owner, addr, key, null, false), ESRCH, 'a tid that is no task');
  t.equal(word(mm, addr), 555 | FUTEX_WAITERS);
});

t.test('robust list: owned words get OWNER_DIED and wake a waiter; the walk is bounded', async (t) => {
  const { ft, newMm } = setup();
  const mm = newMm();
  const base = mm.mmap(0, 4096, RW, MAP_PRIVATE | MAP_ANONYMOUS);
  const head = base, e1 = base + 64, e2 = base + 128, pending = base + 192;
  const ptr = (at: number, v: number) => {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setUint32(0, v, true);
    new DataView(b.buffer).setUint32(4, Math.floor(v / 2 ** 32), true);
    mm.copyOut(at, b);
  };
  // head -> e1 -> e2 -> head; the futex word is 8 bytes after each entry.
  ptr(head, e1); ptr(head + 8, 8); ptr(head + 16, pending);
  ptr(e1, e2); ptr(e2, head);
  setWord(mm, e1 + 8, 7 | FUTEX_WAITERS);
  setWord(mm, e2 + 8, 8);
  setWord(mm, pending + 8, 0);
  const dying = task(7, mm);
  dying.robustList = head;
  const key = ft.key(mm, e1 + 8, true, false) as string;
  const pendingKey = ft.key(mm, pending + 8, true, false) as string;
  const r1 = ft.wait(new Waiter(task(9, mm), mm, e1 + 8, key, -1, WaiterKind.PLAIN), null);
  const r2 = ft.wait(new Waiter(task(10, mm), mm, pending + 8, pendingKey, -1, WaiterKind.PLAIN), null);
  releaseFutexes(ft, dying);
  t.equal(word(mm, e1 + 8), FUTEX_WAITERS | FUTEX_OWNER_DIED);
  t.equal(word(mm, e2 + 8), 8, 'another owner\'s word is left alone');
  t.equal(await r1, WakeReason.WOKEN);
  t.equal(await r2, WakeReason.WOKEN, 'a pending operation on a free word wakes one');
  t.equal(dying.robustList, 0);
  // A cycle: the walk stops after ROBUST_LIST_LIMIT entries.
  ptr(head, e1); ptr(e1, e1);
  setWord(mm, e1 + 8, 7);
  dying.robustList = head;
  releaseFutexes(ft, dying);
  t.equal(word(mm, e1 + 8), FUTEX_OWNER_DIED);
});
