// Event files without a guest: timerfd against a fake clock (expirations counted exactly, a
// periodic timer re-armed only by reads), eventfd's counter, epoll's level/edge/one-shot rules,
// entries dropped at the last close and loop detection, and host stdin's read-ahead readiness.
import t from 'tap';
import { Errno } from '../../sentry/abi/errno.js';
import { DEFAULT_POLLMASK, EPOLLET, EPOLLONESHOT, POLLHUP, POLLIN, POLLOUT, POLLRDNORM, POLLWRNORM } from '../../sentry/abi/poll.js';
import { EpollFile } from '../../sentry/kernel/epoll.js';
import { EventFd } from '../../sentry/kernel/eventfd.js';
import { TimerFd, type TimerHost } from '../../sentry/kernel/timerfd.js';
import type { HostStream } from '../../sentry/host.js';
import { FdTable } from '../../sentry/vfs/fd_table.js';
import { O_NONBLOCK, O_RDONLY, O_RDWR } from '../../sentry/vfs/file.js';
import { S_IFCHR, S_IFIFO, S_IFREG, type Stat } from '../../sentry/vfs/stat.js';
import { StreamFile } from '../../sentry/vfs/stream_file.js';

const MS = 1_000_000n;

/** A clock that moves only when told, with the timers it runs. */
function fakeTimers() {
  let now = 0n;
  const timers = new Set<{ at: bigint; fn: () => void }>();
  const host: TimerHost = {
    now: () => now,
    setTimer: (ms, fn) => {
      const timer = { at: now + BigInt(Math.ceil(ms * 1e6)), fn };
      timers.add(timer);
      return () => { timers.delete(timer); };
    },
    currentTask: () => null,
  };
  const advance = (ms: number) => {
    const end = now + BigInt(ms) * MS;
    for (;;) {
      const due = [...timers].filter((x) => x.at <= end).sort((a, b) => (a.at < b.at ? -1 : 1))[0];
      if (!due) break;
      timers.delete(due);
      now = due.at;
      due.fn();
    }
    now = end;
  };
  return { host, advance, pending: () => timers.size };
}

function readU64(f: { read(dst: Uint8Array): number | Promise<number> }): bigint | number {
  const b = new Uint8Array(8);
  const r = f.read(b);
  if (typeof r !== 'number') throw new Error('would block');
  return r < 0 ? r : new DataView(b.buffer).getBigUint64(0, true);
}

function writeU64(f: EventFd, v: bigint): number {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, v, true);
  const r = f.write(b);
  if (typeof r !== 'number') throw new Error('would block');
  return r;
}

/** Everything an epoll instance reports now, as [revents, first data byte]. */
function collect(ep: EpollFile, max = 8): [number, number][] {
  const out: [number, number][] = [];
  const n = ep.collect(max, (_i, revents, data) => { out.push([revents, data[0]]); return true; });
  if (n !== out.length) throw new Error(`collect said ${n}`);
  return out;
}

const data = (v: number) => Uint8Array.of(v, 0, 0, 0, 0, 0, 0, 0);

t.test('timerfd: one-shot, periodic overruns counted at the read, old settings', async (t) => {
  const clock = fakeTimers();
  const tf = new TimerFd(O_RDWR | O_NONBLOCK, clock.host);
  t.equal(readU64(tf), -Errno.EAGAIN, 'disarmed');
  t.same(tf.get(), { value: 0n, interval: 0n });
  tf.set({ value: 30n * MS, interval: 0n }, false);
  clock.advance(10);
  t.same(tf.get(), { value: 20n * MS, interval: 0n }, 'time left');
  t.equal(tf.readiness(), 0);
  clock.advance(20);
  t.equal(tf.readiness(), POLLIN, 'expired');
  t.equal(readU64(tf), 1n);
  t.same(tf.get(), { value: 0n, interval: 0n }, 'a fired one-shot shows 0');

  tf.set({ value: 10n * MS, interval: 10n * MS }, false);
  clock.advance(35);
  t.equal(clock.pending(), 0, 'an expired periodic timer waits for a read to be re-armed');
  t.equal(readU64(tf), 3n, 'expiries at 10, 20 and 30 ms');
  t.equal(clock.pending(), 1, 're-armed by the read');
  t.same(tf.get(), { value: 5n * MS, interval: 10n * MS });
  clock.advance(5);
  t.equal(readU64(tf), 1n);
  const old = tf.set({ value: 0n, interval: 0n }, false);
  t.same(old, { value: 10n * MS, interval: 10n * MS }, 'the old setting');
  t.equal(clock.pending(), 0, 'disarmed: no host timer left');

  tf.set({ value: 1n * MS, interval: 0n }, true);
  clock.advance(0);
  t.equal(readU64(tf), 1n, 'absolute and past: at once');
  tf.set({ value: 1000n * MS, interval: 0n }, false);
  tf.release();
  t.equal(clock.pending(), 0, 'closing cancels the host timer');
  t.equal(tf.read(new Uint8Array(4)), -Errno.EINVAL);
});

t.test('eventfd: counter, semaphore, the maximum', async (t) => {
  const ev = new EventFd(5n, O_RDWR | O_NONBLOCK, false, () => null);
  t.equal(ev.readiness(), POLLIN | POLLOUT);
  t.equal(readU64(ev), 5n);
  t.equal(readU64(ev), -Errno.EAGAIN);
  t.equal(ev.readiness(), POLLOUT);
  t.equal(writeU64(ev, 0xfffffffffffffffen), 8);
  t.equal(ev.readiness(), POLLIN, 'full: not writable');
  t.equal(writeU64(ev, 1n), -Errno.EAGAIN);
  t.equal(writeU64(ev, 0xffffffffffffffffn), -Errno.EINVAL);
  t.equal(ev.write(new Uint8Array(7)), -Errno.EINVAL);
  const sem = new EventFd(2n, O_RDWR | O_NONBLOCK, true, () => null);
  t.equal(readU64(sem), 1n);
  t.equal(readU64(sem), 1n);
  t.equal(readU64(sem), -Errno.EAGAIN);
});

t.test('epoll: level, edge and one-shot entries', async (t) => {
  const ep = new EpollFile(O_RDWR);
  const ev = new EventFd(0n, O_RDWR | O_NONBLOCK, false, () => null);
  ep.add(ev, 3, POLLIN, data(1));
  t.same(collect(ep), []);
  writeU64(ev, 1n);
  t.same(collect(ep), [[POLLIN, 1]]);
  t.same(collect(ep), [[POLLIN, 1]], 'level-triggered: again');
  t.equal(ep.readiness(), POLLIN | POLLRDNORM, 'the instance is readable');

  ep.modify(ev, 3, POLLIN | EPOLLET, data(2));
  t.same(collect(ep), [[POLLIN, 2]], 'MOD of a ready entry reports it');
  t.same(collect(ep), [], 'edge-triggered: once');
  readU64(ev);
  t.same(collect(ep), [], 'a read is not a new edge for POLLIN');
  writeU64(ev, 1n);
  t.same(collect(ep), [[POLLIN, 2]]);

  ep.modify(ev, 3, POLLIN | EPOLLONESHOT, data(3));
  t.same(collect(ep), [[POLLIN, 3]]);
  writeU64(ev, 1n);
  t.same(collect(ep), [], 'one-shot: disabled until MOD');
  t.equal(ep.readiness(), 0);
  ep.modify(ev, 3, POLLIN, data(4));
  t.same(collect(ep), [[POLLIN, 4]]);
  ep.delete(ev, 3);
  t.same(collect(ep), []);
});

t.test('epoll: maxevents keeps the rest first in line', async (t) => {
  const ep = new EpollFile(O_RDWR);
  for (let i = 0; i < 3; i++) {
    const ev = new EventFd(1n, O_RDWR, false, () => null);
    ep.add(ev, i, POLLIN, data(i));
  }
  t.same(collect(ep, 2).map(([, d]) => d), [0, 1]);
  t.same(collect(ep, 2).map(([, d]) => d), [2, 0]);
  t.same(collect(ep, 2).map(([, d]) => d), [1, 2]);
  let calls = 0;
  t.equal(ep.collect(2, () => { calls++; return false; }), -Errno.EFAULT, 'the first cannot be written');
  t.same(collect(ep, 1).map(([, d]) => d), [0], 'it stayed first');
  t.equal(calls, 1);
});

t.test('epoll: entries go with the last close; loops and depth', async (t) => {
  const fds = new FdTable();
  const ep = new EpollFile(O_RDWR);
  const ev = new EventFd(1n, O_RDWR, false, () => null);
  const a = fds.add(ev), b = fds.add(ev);
  ep.add(ev, a, POLLIN, data(1));
  fds.close(a);
  t.same(collect(ep), [[POLLIN, 1]], 'another fd keeps the description');
  fds.close(b);
  t.same(collect(ep), [], 'gone with the last reference');
  t.notOk(ep.has(ev, a));

  const inner = new EpollFile(O_RDWR);
  t.ok(inner.wouldLoop(inner), 'itself');
  ep.add(inner, 9, POLLIN, data(2));
  t.ok(inner.wouldLoop(ep), 'a cycle');
  const ev2 = new EventFd(0n, O_RDWR | O_NONBLOCK, false, () => null);
  inner.add(ev2, 1, POLLIN, data(3));
  t.same(collect(ep), []);
  writeU64(ev2, 1n);
  t.same(collect(ep), [[POLLIN, 2]], 'the inner instance woke the outer');
  readU64(ev2);
  t.same(collect(ep), [], 'not ready once drained');
  const chain = [ep];
  for (let i = 1; i < 5; i++) {
    const next = new EpollFile(O_RDWR);
    t.equal(next.wouldLoop(chain[i - 1]), i === 4, `a chain of ${i + 2} instances`);
    if (i < 4) { next.add(chain[i - 1], 0, POLLIN, data(0)); chain.push(next); }
  }
});

/** A host stream whose reads are answered by the test. */
function fakeStream(mode: number, isTty = false) {
  const reads: { dst: Uint8Array; resolve: (n: number) => void }[] = [];
  const st: Stat = { dev: 0, ino: 0, mode, nlink: 1, uid: 0, gid: 0, rdev: 0, size: 0, blksize: 4096, blocks: 0, atime: { sec: 0, nsec: 0 }, mtime: { sec: 0, nsec: 0 }, ctime: { sec: 0, nsec: 0 } };
  const stream: HostStream = {
    isTty,
    read: (dst) => new Promise((resolve) => { reads.push({ dst, resolve }); }),
    write: async (src) => src.length,
    stat: () => st,
  };
  const answer = (bytes: number[] | number) => {
    const r = reads.shift()!;
    if (typeof bytes === 'number') r.resolve(bytes);
    else { r.dst.set(bytes); r.resolve(bytes.length); }
  };
  return { stream, reads, answer };
}

t.test('host stdin: readiness reads ahead', async (t) => {
  const pipe = fakeStream(S_IFIFO | 0o600);
  const f = new StreamFile(pipe.stream, O_RDONLY, 'pipe:[stdin]');
  t.ok(f.events, 'a pipe can be polled');
  let woken = 0;
  const stop = f.events!.subscribe(() => { woken++; });
  t.equal(f.readiness(), 0, 'nothing yet');
  t.equal(pipe.reads.length, 1, 'a read-ahead started');
  t.equal(f.readiness(), 0);
  t.equal(pipe.reads.length, 1, 'only one at a time');
  pipe.answer([104, 105]);
  await new Promise((r) => setImmediate(r));
  t.equal(woken, 1, 'pollers woken');
  t.equal(f.readiness(), POLLIN | POLLRDNORM);
  const buf = new Uint8Array(1);
  t.equal(f.read(buf), 1);
  t.equal(buf[0], 104);
  t.equal(f.readable(), 1);
  t.equal(f.read(new Uint8Array(8)), 1, 'the rest of the buffer');
  t.equal(f.readiness(), 0);
  pipe.answer(0);
  await new Promise((r) => setImmediate(r));
  t.equal(f.readiness(), POLLHUP, 'end of a pipe: hangup');
  t.equal(f.read(new Uint8Array(8)), 0);
  stop();

  f.flags |= O_NONBLOCK;
  t.equal(f.read(new Uint8Array(8)), -Errno.EAGAIN, 'non-blocking with nothing buffered');
  pipe.answer([1]);
  await new Promise((r) => setImmediate(r));
  t.equal(f.read(new Uint8Array(8)), 1);

  const file = new StreamFile(fakeStream(S_IFREG | 0o644).stream, O_RDONLY, 'stdin');
  t.notOk(file.events, 'a regular file cannot be polled');
  t.equal(file.readiness(), DEFAULT_POLLMASK);
  const devnull = new StreamFile(fakeStream(S_IFCHR | 0o666).stream, O_RDONLY, 'stdin');
  t.notOk(devnull.events, '/dev/null cannot be polled');
  const tty = fakeStream(S_IFCHR | 0o620, true);
  const ttyFile = new StreamFile(tty.stream, O_RDWR, 'tty');
  t.ok(ttyFile.events, 'a terminal can be polled');
  t.equal(ttyFile.readiness(), POLLOUT | POLLWRNORM, 'writable at once');
  tty.answer(0);
  await new Promise((r) => setImmediate(r));
  t.equal(ttyFile.readiness() & POLLIN, POLLIN, 'end of input on a terminal reads as input');
});

t.test('host stdin: closing abandons a read-ahead', async (t) => {
  const pipe = fakeStream(S_IFIFO | 0o600);
  let cancelled = 0;
  pipe.stream.readAhead = (dst) => ({ done: pipe.stream.read(dst), cancel: () => { cancelled++; } });
  const f = new StreamFile(pipe.stream, O_RDONLY, 'pipe:[stdin]');
  t.equal(f.readiness(), 0);
  const reader = f.read(new Uint8Array(8));
  f.release();
  t.equal(cancelled, 1, 'the host read is abandoned');
  t.equal(await reader, 0, 'a reader still waiting sees the end of input');
  pipe.answer([7]);
  await new Promise((r) => setImmediate(r));
  t.equal(f.readable(), 0, 'what the abandoned read brings is dropped');
});
