// Kernel timers with a fake clock (no sleeping): host timers that never fire early and all end
// when the sandbox does (sentry/kernel/host_timers.ts); an expiry's forwarding by whole intervals,
// and CPU-clock timers that the task loop checks at instruction counts (sentry/kernel/ktimer.ts).
import t from 'tap';
import type { Host, HostTimer } from '../../sentry/host.js';
import { HostTimers } from '../../sentry/kernel/host_timers.js';
import type { Kernel } from '../../sentry/kernel/kernel.js';
import { checkCpuTimers, KTimer } from '../../sentry/kernel/ktimer.js';
import type { Task } from '../../sentry/kernel/task.js';

/** A host whose clock and timers move only when the test says. */
function fakeHost() {
  let nowMs = 1000;
  const pending = new Set<{ at: number; fire: () => void }>();
  const host = {
    clock: {
      monotonic: () => ({ sec: Math.floor(nowMs / 1000), nsec: Math.round((nowMs % 1000) * 1e6) }),
      realtime: () => ({ sec: 1_700_000_000 + Math.floor(nowMs / 1000), nsec: Math.round((nowMs % 1000) * 1e6) }),
    },
    setTimer(ms: number, fire: () => void): HostTimer {
      const entry = { at: nowMs + ms, fire };
      pending.add(entry);
      return { cancel: () => { pending.delete(entry); } };
    },
  } as unknown as Host;
  return {
    host,
    pending,
    /** Moves the clock to `ms` from the start; `earlyBy` fires host timers that much before their time, as Node's may. */
    advance(ms: number, earlyBy = 0): void {
      nowMs += ms;
      for (const e of [...pending]) if (e.at - earlyBy <= nowMs) { pending.delete(e); e.fire(); }
    },
  };
}

t.test('host timers never fire early, and all end with the sandbox', async (t) => {
  const h = fakeHost();
  const timers = new HostTimers(h.host);
  let fired = 0;
  timers.after(10, () => fired++);
  h.advance(8, 3); // the host's timer comes 2 ms early: it is set again for the rest
  t.equal(fired, 0, 'not before its time');
  t.equal(h.pending.size, 1, 'waiting again');
  h.advance(2);
  t.equal(fired, 1, 'then it fires');
  t.equal(timers.size, 0);

  const cancelled = timers.after(5, () => fired++);
  cancelled.cancel();
  h.advance(10);
  t.equal(fired, 1, 'a cancelled timer stays quiet');
  t.equal(h.pending.size, 0, 'and holds no host timer');

  timers.after(1000, () => fired++);
  void timers.sleep(2000).then(() => fired++);
  t.equal(h.pending.size, 2);
  timers.closeAll();
  t.equal(h.pending.size, 0, 'closing cancels every host timer: none keeps the process alive');
  timers.after(1, () => fired++);
  t.equal(h.pending.size, 0, 'and no new one starts');
  h.advance(5000);
  t.equal(fired, 1);
});

/** A kernel with only what timers use, and a thread whose instruction count the test sets. */
function fakeKernel() {
  const h = fakeHost();
  const k = { host: h.host, hostTimers: new HostTimers(h.host), bootTime: h.host.clock.monotonic(), bootRealtime: h.host.clock.realtime() } as unknown as Kernel;
  const tg = { tasks: new Set<Task>(), cpuTimers: null, exitedInstructions: 0 };
  const task = { ctx: { instructions: 0 }, cpuCheckAt: Infinity, cpuTimers: null, exited: false, tg } as unknown as Task & { ctx: { instructions: number } };
  tg.tasks.add(task);
  return { h, k, task };
}

t.test('forwarding moves an expiry past now by whole intervals and counts them', async (t) => {
  const { k } = fakeKernel();
  const timer = new KTimer(k, { kind: 'mono' }, () => undefined);
  timer.expires = 100;
  t.equal(timer.forward(50, 10), 0, 'not yet due: unchanged');
  t.equal(timer.expires, 100);
  t.equal(timer.forward(100, 10), 1, 'due now: one interval');
  t.equal(timer.expires, 110);
  t.equal(timer.forward(135, 10), 3, '25 past: three intervals (hrtimer_forward)');
  t.equal(timer.expires, 140);
});

t.test('a host-clock timer fires after its time; one already due fires at once', async (t) => {
  const { h, k } = fakeKernel();
  let fired = 0;
  const timer = new KTimer(k, { kind: 'mono' }, () => fired++);
  timer.start(timer.now() + 5e6);
  t.ok(timer.active);
  h.advance(4);
  t.equal(fired, 0);
  h.advance(1);
  t.equal(fired, 1);
  t.notOk(timer.active, 'fired: inactive, expiry kept');
  timer.start(timer.now() - 1);
  t.equal(fired, 2, 'a past expiry fires inside start()');
  timer.start(timer.now() + 1e9);
  timer.stop();
  h.advance(2000);
  t.equal(fired, 2, 'stopped');
});

t.test('CPU-clock timers fire when the thread has run long enough', async (t) => {
  const { k, task } = fakeKernel();
  let fired = 0;
  const timer = new KTimer(k, { kind: 'thread', task }, () => fired++);
  timer.start(5_000_000);
  t.equal(task.cpuCheckAt, 5_000_000, 'the task loop stops the thread at the expiry');
  task.ctx.instructions = 4_999_999;
  checkCpuTimers(task);
  t.equal(fired, 0, 'not yet');
  task.ctx.instructions = 5_000_100;
  checkCpuTimers(task);
  t.equal(fired, 1, 'fired at the check');
  t.equal(task.cpuCheckAt, Infinity, 'nothing left to check');

  // A timer re-armed in the past from its own expiry fires at the next check, not in a loop.
  let refired = 0;
  const periodic: KTimer = new KTimer(k, { kind: 'process', group: task.tg }, () => {
    refired++;
    periodic.start(periodic.expires + 1, false);
  });
  periodic.start(task.ctx.instructions + 1000);
  task.ctx.instructions += 50_000;
  checkCpuTimers(task);
  t.equal(refired, 1, 'one expiry per check');
  t.ok(task.cpuCheckAt > task.ctx.instructions, 'the next check is later');
  periodic.stop();
  checkCpuTimers(task);
  t.equal(task.cpuCheckAt, Infinity);
});
