// File locks (sentry/vfs/locks.ts): POSIX range split and merge, conflicts between POSIX, OFD and
// flock owners, release on close and on a description's last reference, the order waiters are
// woken in, deadlock detection between owners, and cancelling waits. Owners are plain objects,
// as a process's fd table and a description are to the lock table.
import t from 'tap';
import type { Location } from '../../sentry/vfs/dentry.js';
import { FdTable } from '../../sentry/vfs/fd_table.js';
import type { FileDescription } from '../../sentry/vfs/file.js';
import { F_RDLCK, F_UNLCK, F_WRLCK, FileLocks, OFFSET_MAX, fileLocks, lockKey, type FileLock } from '../../sentry/vfs/locks.js';

const EAGAIN = -11, EDEADLK = -35, EINTR = -4;
const R = F_RDLCK, W = F_WRLCK, U = F_UNLCK;

/** A request: `len` 0 means to OFFSET_MAX, as l_len 0 does. */
function lock(owner: object, type: number, start: number, len: number, opts: { ofd?: boolean; pid?: number } = {}): FileLock {
  const s = BigInt(start);
  return { type, start: s, end: len === 0 ? OFFSET_MAX : s + BigInt(len) - 1n, owner, ofd: opts.ofd ?? false, pid: opts.pid ?? 1 };
}

/** The locks on `key` as "owner:type start-end" strings, in list order. */
function show(locks: FileLocks, key: object, names: Map<object, string>): string[] {
  return locks.held(key).posix.map((l) =>
    `${names.get(l.owner)}:${l.type === R ? 'R' : 'W'} ${l.start}-${l.end === OFFSET_MAX ? 'max' : l.end}`);
}

function setup() {
  const locks = new FileLocks();
  const inode = {};
  const a = {}, b = {}, c = {};
  const names = new Map<object, string>([[a, 'a'], [b, 'b'], [c, 'c']]);
  const set = (l: FileLock) => locks.setPosix(inode, l) as number;
  return { locks, inode, a, b, c, names, set, list: () => show(locks, inode, names) };
}

/** Lets promise callbacks run. */
const settle = () => new Promise<void>((r) => setImmediate(r));

t.test('POSIX ranges: split, merge, upgrade and downgrade within one owner', async (t) => {
  const { a, set, list } = setup();
  t.equal(set(lock(a, W, 0, 100)), 0);
  t.same(list(), ['a:W 0-99']);
  t.equal(set(lock(a, U, 40, 20)), 0, 'unlocking the middle splits the lock');
  t.same(list(), ['a:W 0-39', 'a:W 60-99']);
  t.equal(set(lock(a, W, 40, 20)), 0);
  t.same(list(), ['a:W 0-99'], 'filling the hole merges the three');
  set(lock(a, W, 100, 10));
  t.same(list(), ['a:W 0-109'], 'an adjacent lock of the same type merges');
  set(lock(a, R, 20, 10));
  t.same(list(), ['a:W 0-19', 'a:R 20-29', 'a:W 30-109'], 'a downgrade in the middle cuts the lock in three');
  set(lock(a, R, 30, 5));
  t.same(list(), ['a:W 0-19', 'a:R 20-34', 'a:W 35-109'], 'the read lock grows, the write lock shrinks');
  set(lock(a, W, 20, 15));
  t.same(list(), ['a:W 0-109'], 'an upgrade merges back');
  set(lock(a, R, 200, 0));
  set(lock(a, R, 110, 0));
  t.same(list(), ['a:W 0-109', 'a:R 110-max'], 'locks to EOF merge');
  set(lock(a, W, 150, 10));
  t.same(list(), ['a:W 0-109', 'a:R 110-149', 'a:W 150-159', 'a:R 160-max']);
  set(lock(a, U, 0, 0));
  t.same(list(), [], 'F_UNLCK to EOF removes everything');
  t.equal(set(lock(a, U, 5, 5)), 0, 'unlocking nothing succeeds');
});

t.test('POSIX ranges at OFFSET_MAX stay exact', async (t) => {
  const { a, set, list } = setup();
  const top = { ...lock(a, W, 0, 1), start: OFFSET_MAX - 4n, end: OFFSET_MAX };
  set(top);
  set({ ...top, type: R, start: OFFSET_MAX - 9n, end: OFFSET_MAX - 5n });
  t.same(list(), ['a:R 9223372036854775798-9223372036854775802', 'a:W 9223372036854775803-max']);
  set({ ...top, type: W, start: OFFSET_MAX - 9n, end: OFFSET_MAX - 5n });
  t.same(list(), ['a:W 9223372036854775798-max']);
});

t.test('list order: owners in the order of their first lock, each sorted by start', async (t) => {
  const { a, b, set, list } = setup();
  set(lock(b, R, 50, 10));
  set(lock(a, R, 30, 5));
  set(lock(b, R, 10, 5));
  set(lock(a, R, 0, 5));
  t.same(list(), ['b:R 10-14', 'b:R 50-59', 'a:R 0-4', 'a:R 30-34']);
});

t.test('conflicts: other owners, overlapping, one of them writing', async (t) => {
  const { locks, inode, a, b, c, set } = setup();
  t.equal(set(lock(a, W, 0, 10)), 0);
  t.equal(set(lock(a, R, 5, 10)), 0, 'an owner never conflicts with itself');
  t.equal(set(lock(b, R, 0, 1)), EAGAIN);
  t.equal(set(lock(b, R, 5, 1)), 0, 'read locks share');
  t.equal(set(lock(b, W, 20, 0)), 0, 'no overlap, no conflict');
  t.equal(set(lock(c, W, 14, 1)), EAGAIN);
  const hit = locks.testPosix(inode, lock(c, R, 0, 0));
  t.match(hit, { owner: a, type: W, start: 0n, end: 4n }, 'F_GETLK reports the first conflicting lock in list order');
  t.match(locks.testPosix(inode, lock(c, W, 6, 1)), { owner: a, type: R, start: 5n, end: 14n });
  t.equal(locks.testPosix(inode, lock(a, W, 0, 0))?.owner, b, "the owner's own locks are not conflicts");
  t.equal(locks.testPosix(inode, lock(c, R, 15, 5)), null);
  t.equal(locks.testPosix({}, lock(c, W, 0, 0)), null, 'an inode without locks');
  hit!.start = 99n;
  t.equal(locks.held(inode).posix[0].start, 0n, 'F_GETLK answers a copy');
});

t.test('OFD and POSIX locks share one list; F_OFD_GETLK with F_UNLCK finds its own', async (t) => {
  const { locks, inode, a, b, set } = setup();
  const ofd = {};
  t.equal(set(lock(ofd, W, 0, 10, { ofd: true })), 0);
  t.equal(set(lock(a, R, 5, 1)), EAGAIN, 'an OFD lock blocks a POSIX one');
  t.equal(set(lock(a, R, 10, 10)), 0);
  t.equal(set(lock(b, W, 15, 1, { ofd: true })), EAGAIN, 'and the other way round');
  t.match(locks.testPosix(inode, lock(ofd, U, 3, 1, { ofd: true })), { owner: ofd, ofd: true, start: 0n, end: 9n });
  t.equal(locks.testPosix(inode, lock(b, U, 3, 1, { ofd: true })), null);
});

t.test('flock: shared, exclusive, conversion that drops the old lock first', async (t) => {
  const locks = new FileLocks();
  const inode = {}, a = {}, b = {};
  t.equal(locks.flock(inode, a, W, 1), 0);
  t.equal(locks.flock(inode, a, W, 1), 0, 'relocking the same type');
  t.equal(locks.flock(inode, b, R, 1), EAGAIN);
  t.equal(locks.flock(inode, a, R, 1), 0, 'downgrade');
  t.equal(locks.flock(inode, b, R, 1), 0, 'shared');
  t.equal(locks.flock(inode, a, W, 1), EAGAIN, 'upgrade blocked by the other reader');
  t.same(locks.held(inode).flock.map((l) => l.owner), [b], "the failed upgrade dropped a's lock");
  t.equal(locks.flock(inode, b, W, 1), 0);
  t.equal(locks.flock(inode, b, U, 1), 0);
  t.equal(locks.flock(inode, b, U, 1), 0, 'unlocking nothing');
  t.same(locks.held(inode).posix, [], 'flock never touches the POSIX list');
  t.equal(locks.setPosix(inode, lock(a, W, 0, 0)), 0);
  t.equal(locks.flock(inode, b, W, 1), 0, 'and POSIX locks never block flock');
});

t.test('release: a close drops the POSIX locks of the process; the last reference drops OFD and flock', async (t) => {
  const { locks, inode, a, b, c: desc, set, list } = setup();
  set(lock(a, W, 0, 5));
  set(lock(b, R, 10, 5));
  set(lock(desc, R, 20, 5, { ofd: true }));
  locks.flock(inode, desc, W, 1);
  locks.releasePosix(inode, a);
  t.same(list(), ['b:R 10-14', 'c:R 20-24']);
  t.equal(locks.held(inode).flock.length, 1);
  locks.releaseDescription(inode, desc);
  t.same(list(), ['b:R 10-14']);
  t.same(locks.held(inode).flock, []);
});

t.test('waiters: woken when the lock goes, retried in the order they blocked', async (t) => {
  const { locks, inode, a, b, c } = setup();
  const who = (o: object) => ({ proc: o, task: o });
  locks.setPosix(inode, lock(a, W, 0, 10));
  const order: string[] = [];
  const pb = (locks.setPosix(inode, lock(b, W, 0, 10), who(b)) as Promise<number>).then((r) => { order.push(`b ${r}`); return r; });
  const pc = (locks.setPosix(inode, lock(c, W, 5, 1), who(c)) as Promise<number>).then((r) => { order.push(`c ${r}`); return r; });
  t.ok(pb instanceof Promise);
  t.equal(locks.waiting(inode), 2);
  locks.setPosix(inode, lock(a, U, 0, 5));
  await settle();
  t.same(order, [], 'still blocked: a keeps 5-9');
  locks.releasePosix(inode, a);
  await settle();
  t.same(order, ['b 0'], 'the first waiter gets the lock; the second now waits for it');
  t.equal(locks.waiting(inode), 1);
  locks.setPosix(inode, lock(b, R, 0, 10));
  await settle();
  t.same(order, ['b 0'], 'a read lock still blocks a write');
  locks.setPosix(inode, lock(b, U, 5, 1));
  t.equal(await pc, 0);
  t.same(order, ['b 0', 'c 0']);
  t.equal(await pb, 0);
});

t.test('waiters: several readers are granted at once; flock waiters too', async (t) => {
  const locks = new FileLocks();
  const inode = {}, a = {}, b = {}, c = {};
  const who = (o: object) => ({ proc: o, task: o });
  locks.setPosix(inode, lock(a, W, 0, 0));
  const r1 = locks.setPosix(inode, lock(b, R, 0, 0), who(b));
  const r2 = locks.setPosix(inode, lock(c, R, 0, 0), who(c));
  locks.setPosix(inode, lock(a, U, 0, 0));
  t.same(await Promise.all([r1, r2]), [0, 0]);
  locks.flock(inode, a, W, 1);
  const f1 = locks.flock(inode, b, R, 1, who(b));
  const f2 = locks.flock(inode, c, W, 1, who(c));
  locks.flock(inode, a, U, 1);
  t.equal(await f1, 0);
  t.equal(locks.waiting(inode), 1, 'the exclusive request waits for the shared one');
  locks.releaseDescription(inode, b);
  t.equal(await f2, 0);
});

t.test('deadlock detection: a POSIX wait that closes a cycle of owners is EDEADLK', async (t) => {
  const { locks, inode, a, b, c } = setup();
  const who = (o: object) => ({ proc: o, task: o });
  locks.setPosix(inode, lock(a, W, 0, 10));
  locks.setPosix(inode, lock(b, W, 10, 10));
  locks.setPosix(inode, lock(c, W, 20, 10));
  const aWaits = locks.setPosix(inode, lock(a, W, 10, 1), who(a)); // a waits for b
  t.ok(aWaits instanceof Promise);
  t.equal(locks.setPosix(inode, lock(b, W, 0, 1), who(b)), EDEADLK, 'b would wait for a, which waits for b');
  t.equal(locks.setPosix(inode, lock(b, W, 0, 1)), EAGAIN, 'without waiting it is only a conflict');
  const bWaits = locks.setPosix(inode, lock(b, W, 20, 1), who(b)); // b waits for c
  t.ok(bWaits instanceof Promise, 'no cycle: b waits for c');
  t.equal(locks.setPosix(inode, lock(c, R, 5, 1), who(c)), EDEADLK, 'c -> a -> b -> c');
  const ofd = {};
  locks.setPosix(inode, lock(ofd, R, 40, 1, { ofd: true }));
  const ofdWaits = locks.setPosix(inode, lock(ofd, W, 5, 1, { ofd: true }), who(ofd));
  t.ok(ofdWaits instanceof Promise, 'OFD requests are not checked');
  // Unwind: c lets go, b gets 20, a still waits for b.
  locks.releasePosix(inode, c);
  t.equal(await bWaits, 0);
  locks.releasePosix(inode, b);
  t.equal(await aWaits, 0);
  locks.releasePosix(inode, a);
  t.equal(await ofdWaits, 0);
});

t.test('deadlock detection across inodes', async (t) => {
  const locks = new FileLocks();
  const f1 = {}, f2 = {}, a = {}, b = {};
  const who = (o: object) => ({ proc: o, task: o });
  locks.setPosix(f1, lock(a, W, 0, 0));
  locks.setPosix(f2, lock(b, W, 0, 0));
  const aWaits = locks.setPosix(f2, lock(a, W, 0, 0), who(a));
  t.equal(locks.setPosix(f1, lock(b, R, 0, 0), who(b)), EDEADLK);
  locks.cancelWaits(a);
  t.equal(await aWaits, EINTR);
  const bWaits = locks.setPosix(f1, lock(b, R, 0, 0), who(b));
  t.ok(bWaits instanceof Promise, 'once a stopped waiting there is no cycle');
  locks.cancelWaits(b, -99);
  t.equal(await bWaits, -99);
});

t.test('cancelWaits ends the waits of a task or a process', async (t) => {
  const locks = new FileLocks();
  const inode = {}, holder = {}, proc = {}, task = {};
  locks.setPosix(inode, lock(holder, W, 0, 0));
  locks.flock(inode, holder, W, 1);
  const p1 = locks.setPosix(inode, lock(proc, R, 0, 1), { proc, task });
  const p2 = locks.flock(inode, {}, R, 1, { proc, task: {} });
  locks.cancelWaits(task);
  t.equal(await p1, EINTR);
  t.equal(locks.waiting(inode), 1);
  locks.cancelWaits(proc);
  t.equal(await p2, EINTR);
  t.equal(locks.waiting(inode), 0);
  locks.releasePosix(inode, holder);
  t.same(locks.held(inode).posix, [], 'a cancelled request takes nothing');
});

/** A description of `inode` whose release is counted. */
function desc(inode: object, flags = 2): FileDescription & { released: number } {
  const location = { dentry: { inode } } as unknown as Location;
  return {
    flags, path: '/f', location, released: 0,
    read: () => 0, write: () => 0, seek: () => 0, stat: () => -1, ioctl: () => -25, readdir: () => -20,
    release() { this.released++; },
  };
}

t.test('FdTable: close, dup2 over a fd and closeAll release locks', async (t) => {
  const inode = {};
  const fds = new FdTable();
  const f1 = desc(inode), f2 = desc(inode), other = desc({});
  t.equal(lockKey(f1), inode);
  const fd1 = fds.add(f1), fd2 = fds.add(f2), fdOther = fds.add(other);
  const posix = () => fileLocks.held(inode).posix.length;
  fileLocks.setPosix(inode, lock(fds, W, 0, 10));
  fileLocks.setPosix(inode, lock(f2, R, 20, 1, { ofd: true }));
  fileLocks.flock(inode, f2, W, 1);
  fds.close(fdOther);
  t.equal(posix(), 2, 'closing a fd of another file keeps the locks');
  const dup = fds.add(f1);
  fds.close(dup);
  t.equal(posix(), 1, "closing any fd of the file drops the process's POSIX locks");
  fileLocks.setPosix(inode, lock(fds, W, 0, 10));
  fds.install(fd1, desc({}), false);
  t.equal(posix(), 1, 'so does installing over one (dup2)');
  t.equal(f1.released, 1);
  t.equal(fileLocks.held(inode).flock.length, 1);
  const held = fds.add(f2);
  fds.close(fd2);
  t.equal(posix(), 1, "the OFD lock stays while the description has a fd");
  fds.close(held);
  t.equal(posix(), 0, 'its last reference drops its OFD lock');
  t.equal(fileLocks.held(inode).flock.length, 0, 'and its flock');
  const f3 = desc(inode);
  fds.add(f3);
  fileLocks.flock(inode, {}, W, 1);
  const waiting = fileLocks.flock(inode, f3, W, 1, { proc: fds, task: {} });
  fds.closeAll();
  t.equal(await waiting, EINTR, 'the process exiting ends its waits');
  t.equal(f3.released, 1);
});

t.test('a description without an inode is its own lock key', async (t) => {
  const f = desc({});
  const bare: FileDescription = { ...f, location: undefined };
  t.equal(lockKey(bare), bare);
});
