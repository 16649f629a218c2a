// signalfd (Linux fs/signalfd.c): reading takes pending signals of the set (the reading thread's
// own, then its process's) as 128-byte struct signalfd_siginfo records. Readable while one of
// them is pending; the process's signalEvents queue (sentry/kernel/signals.ts) wakes pollers when
// one is queued. Users block those signals, or they would be delivered before being read.
// Linux looks at the task that reads or polls; pollers here are the task whose syscall runs.

import { Errno } from '../abi/errno.js';
import { POLLIN } from '../abi/poll.js';
import { O_NONBLOCK } from '../vfs/file.js';
import type { Waitable } from '../vfs/waitable.js';
import { AnonFile } from './anon_file.js';
import { dequeueSignal, ERESTARTSYS } from './signals.js';
import { SIGCHLD, SigSet, UNBLOCKABLE, type SigInfo } from './sigset.js';
import type { Task } from './task.js';

export const SIGNALFD_SIGINFO_SIZE = 128;

const SI_TIMER = -2, SI_SIGIO = -5, SI_USER = 0, SI_KERNEL = 0x80;
const SIGILL = 4, SIGTRAP = 5, SIGBUS = 7, SIGFPE = 8, SIGSEGV = 11, SIGPOLL = 29, SIGSYS = 31;

export class SignalFd extends AnonFile {
  /** The signals it reads (never SIGKILL or SIGSTOP). */
  private mask: SigSet;

  constructor(mask: SigSet, flags: number, private readonly owner: Task, private readonly currentTask: () => Task | null) {
    super('signalfd', flags);
    this.mask = withoutKillStop(mask);
  }

  /** signalfd4 on an existing signalfd: a new set; waiters look again. */
  setMask(mask: SigSet): void {
    this.mask = withoutKillStop(mask);
    this.reader().tg.signalEvents.notifyAll();
  }

  private reader(): Task { return this.currentTask() ?? this.owner; }

  /** dequeueSignal takes what is not blocked: block everything outside the set. */
  private get blocked(): SigSet { return new SigSet(~this.mask.lo, ~this.mask.hi); }

  get events(): Waitable { return this.reader().tg.signalEvents; }

  readiness(): number {
    const t = this.reader(), b = this.blocked;
    return t.pending.next(b) !== 0 || t.tg.pending.next(b) !== 0 ? POLLIN : 0;
  }

  /** As many records as fit; only the first may wait (signalfd_read). */
  override read(dst: Uint8Array): number | Promise<number> {
    const count = Math.floor(dst.length / SIGNALFD_SIGINFO_SIZE);
    if (count === 0) return -Errno.EINVAL;
    const t = this.reader();
    const first = dequeueSignal(t, this.blocked);
    if (first) return this.fill(dst, t, first, count);
    if (this.flags & O_NONBLOCK) return -Errno.EAGAIN;
    return this.readSlow(dst, t, count);
  }

  private async readSlow(dst: Uint8Array, t: Task, count: number): Promise<number> {
    for (;;) {
      if (!(await t.tg.signalEvents.wait(t))) {
        const info = dequeueSignal(t, this.blocked);
        return info ? this.fill(dst, t, info, count) : -ERESTARTSYS;
      }
      const info = dequeueSignal(t, this.blocked);
      if (info) return this.fill(dst, t, info, count);
    }
  }

  private fill(dst: Uint8Array, t: Task, first: SigInfo, count: number): number {
    dst.set(signalfdSiginfo(first), 0);
    let n = 1;
    for (; n < count; n++) {
      const info = dequeueSignal(t, this.blocked);
      if (!info) break;
      dst.set(signalfdSiginfo(info), n * SIGNALFD_SIGINFO_SIZE);
    }
    return n * SIGNALFD_SIGINFO_SIZE;
  }
}

function withoutKillStop(s: SigSet): SigSet { return new SigSet(s.lo & ~UNBLOCKABLE.lo, s.hi & ~UNBLOCKABLE.hi); }

type Layout = 'kill' | 'timer' | 'poll' | 'fault' | 'chld' | 'rt' | 'sys';

/** Which union member of siginfo_t a signal's si_code selects (Linux siginfo_layout). */
function layoutOf(sig: number, code: number): Layout {
  if (code > SI_USER && code < SI_KERNEL) {
    const limits: Record<number, [number, Layout]> = {
      [SIGILL]: [11, 'fault'], [SIGFPE]: [15, 'fault'], [SIGSEGV]: [10, 'fault'], [SIGBUS]: [5, 'fault'],
      [SIGTRAP]: [6, 'fault'], [SIGCHLD]: [6, 'chld'], [SIGPOLL]: [6, 'poll'], [SIGSYS]: [1, 'sys'],
    };
    const l = limits[sig];
    if (l && code <= l[0]) return l[1];
    return code <= 6 /* NSIGPOLL */ ? 'poll' : 'kill';
  }
  if (code === SI_TIMER) return 'timer';
  if (code === SI_SIGIO) return 'poll';
  return code < 0 ? 'rt' : 'kill';
}

/** struct signalfd_siginfo from a queued siginfo_t (signalfd_copyinfo). */
export function signalfdSiginfo(info: SigInfo): Uint8Array {
  const out = new Uint8Array(SIGNALFD_SIGINFO_SIZE);
  const o = new DataView(out.buffer);
  const i = new DataView(info.bytes.buffer, info.bytes.byteOffset, 128);
  const code = i.getInt32(8, true);
  o.setUint32(0, info.signo, true);
  o.setInt32(4, i.getInt32(4, true), true); // errno
  o.setInt32(8, code, true);
  const copy32 = (from: number, to: number) => o.setUint32(to, i.getUint32(from, true), true);
  const copy64 = (from: number, to: number) => o.setBigUint64(to, i.getBigUint64(from, true), true);
  switch (layoutOf(info.signo, code)) {
    case 'kill': copy32(16, 12); copy32(20, 16); break;                                   // pid, uid
    case 'timer': copy32(16, 24); copy32(20, 32); copy64(24, 48); copy32(24, 44); break; // tid, overrun, ptr, int
    case 'poll': copy32(16, 28); copy32(24, 20); break;                                  // band, fd
    case 'fault': copy64(16, 72); break;                                                 // addr
    case 'chld': copy32(16, 12); copy32(20, 16); copy32(24, 40); copy64(32, 56); copy64(40, 64); break; // pid, uid, status, utime, stime
    case 'rt': copy32(16, 12); copy32(20, 16); copy64(24, 48); copy32(24, 44); break;    // pid, uid, ptr, int
    case 'sys': copy64(16, 88); copy32(24, 84); copy32(28, 96); break;                   // call_addr, syscall, arch
  }
  return out;
}
