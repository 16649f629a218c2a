// Signal numbers, sets and siginfo (Linux include/uapi/asm-generic/signal.h, siginfo.h). A set
// of the 64 signals is two 32-bit words, as the guest's sigset_t holds it, so no BigInt is needed.

export const SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGILL = 4, SIGTRAP = 5, SIGABRT = 6, SIGBUS = 7,
  SIGFPE = 8, SIGKILL = 9, SIGUSR1 = 10, SIGSEGV = 11, SIGUSR2 = 12, SIGPIPE = 13, SIGALRM = 14,
  SIGTERM = 15, SIGSTKFLT = 16, SIGCHLD = 17, SIGCONT = 18, SIGSTOP = 19, SIGTSTP = 20, SIGTTIN = 21,
  SIGTTOU = 22, SIGURG = 23, SIGXCPU = 24, SIGXFSZ = 25, SIGVTALRM = 26, SIGPROF = 27, SIGWINCH = 28,
  SIGIO = 29, SIGPWR = 30, SIGSYS = 31, SIGRTMIN = 32;
export const NSIG = 64;

export const SIG_DFL = 0, SIG_IGN = 1;
export const SA_NOCLDSTOP = 1, SA_NOCLDWAIT = 2, SA_SIGINFO = 4, SA_RESTORER = 0x04000000,
  SA_ONSTACK = 0x08000000, SA_RESTART = 0x10000000, SA_NODEFER = 0x40000000, SA_RESETHAND = 0x80000000;

/** si_code values. */
export const SI_USER = 0, SI_KERNEL = 0x80, SI_QUEUE = -1, SI_TIMER = -2, SI_TKILL = -6;
export const CLD_EXITED = 1, CLD_KILLED = 2, CLD_DUMPED = 3;
export const SEGV_MAPERR = 1, SEGV_ACCERR = 2, BUS_ADRERR = 2, FPE_INTDIV = 1, ILL_ILLOPN = 2, TRAP_BRKPT = 1;

export class SigSet {
  constructor(public lo = 0, public hi = 0) {}

  static of(...sigs: number[]): SigSet { const s = new SigSet(); for (const n of sigs) s.add(n); return s; }

  has(sig: number): boolean { return sig <= 32 ? ((this.lo >>> (sig - 1)) & 1) === 1 : ((this.hi >>> (sig - 33)) & 1) === 1; }
  add(sig: number): void { if (sig <= 32) this.lo |= 1 << (sig - 1); else this.hi |= 1 << (sig - 33); }
  delete(sig: number): void { if (sig <= 32) this.lo &= ~(1 << (sig - 1)); else this.hi &= ~(1 << (sig - 33)); }
  copy(): SigSet { return new SigSet(this.lo, this.hi); }
  get empty(): boolean { return this.lo === 0 && this.hi === 0; }
  equals(o: SigSet): boolean { return this.lo === o.lo && this.hi === o.hi; }
}

/** SIGKILL and SIGSTOP are never blocked, caught or ignored. */
export const UNBLOCKABLE = SigSet.of(SIGKILL, SIGSTOP);
export function withoutUnblockable(s: SigSet): SigSet { return new SigSet(s.lo & ~UNBLOCKABLE.lo, s.hi); }

/** Signals that are the result of what the task itself just did: delivered before others. */
const SYNCHRONOUS = [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGSYS];

export type DefaultAction = 'terminate' | 'core' | 'ignore' | 'stop' | 'continue';

export function defaultAction(sig: number): DefaultAction {
  switch (sig) {
    case SIGCHLD: case SIGURG: case SIGWINCH: return 'ignore';
    case SIGCONT: return 'continue';
    case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU: return 'stop';
    case SIGQUIT: case SIGILL: case SIGTRAP: case SIGABRT: case SIGBUS: case SIGFPE: case SIGSEGV:
    case SIGXCPU: case SIGXFSZ: case SIGSYS: return 'core';
    default: return 'terminate';
  }
}

/** A queued signal: its number, and the 128-byte siginfo the handler (or sigtimedwait) gets. */
export interface SigInfo {
  signo: number;
  code: number;
  bytes: Uint8Array;
  /** For a fault: the address (the frame's cr2). */
  faultAddr?: number;
  /** Sent by the host (runts forwarding its own signals): even init's default action applies. */
  fromHost?: boolean;
  /**
   * A POSIX timer's signal (SI_TIMER): queued even when its standard signal is already pending,
   * as Linux's preallocated timer sigqueue is, and told when it is taken (periodic timers re-arm then).
   */
  timer?: TimerSignalHook;
  /** Which expiry of a periodic timer queued it (a re-arm only answers the latest). */
  timerToken?: number;
}

export interface TimerSignalHook {
  dequeued(info: SigInfo): void;
}

/** Fields of siginfo's union, by kind; offsets from the start of the 128-byte structure. */
export interface SigInfoFields { pid?: number; uid?: number; status?: number; addr?: number; value?: number }

export function sigInfo(signo: number, code: number, f: SigInfoFields = {}): SigInfo {
  const bytes = new Uint8Array(128);
  const dv = new DataView(bytes.buffer);
  dv.setInt32(0, signo, true);
  dv.setInt32(8, code, true);
  if (f.addr !== undefined) {
    dv.setUint32(16, f.addr % 4294967296, true);
    dv.setUint32(20, Math.floor(f.addr / 4294967296), true);
  } else {
    if (f.pid !== undefined) dv.setInt32(16, f.pid, true);
    if (f.uid !== undefined) dv.setUint32(20, f.uid, true);
    if (f.status !== undefined) dv.setInt32(24, f.status, true);
    if (f.value !== undefined) dv.setUint32(24, f.value >>> 0, true);
  }
  return { signo, code, bytes, faultAddr: f.addr };
}

/** Pending signals: standard ones at most once each, real-time ones queued in order. */
export class PendingSignals {
  private readonly queues = new Map<number, SigInfo[]>();
  readonly set = new SigSet();

  /** Queues `info`; false when a standard signal was already pending (it merges). */
  add(info: SigInfo): boolean {
    const q = this.queues.get(info.signo);
    if (q && info.signo < SIGRTMIN && !info.timer) return false;
    if (q) q.push(info); else this.queues.set(info.signo, [info]);
    this.set.add(info.signo);
    return true;
  }

  /** The first pending signal not in `blocked` (synchronous ones first, then the lowest), or 0. */
  next(blocked: SigSet): number {
    // Asked on every return to the guest: nothing pending must cost two ANDs.
    const lo = this.set.lo & ~blocked.lo, hi = this.set.hi & ~blocked.hi;
    if ((lo | hi) === 0) return 0;
    for (const s of SYNCHRONOUS) if (lo & (1 << (s - 1))) return s;
    return lo !== 0 ? 32 - Math.clz32(lo & -lo) : 64 - Math.clz32(hi & -hi);
  }

  take(sig: number): SigInfo | undefined {
    const q = this.queues.get(sig);
    if (!q) return undefined;
    const info = q.shift()!;
    if (q.length === 0) { this.queues.delete(sig); this.set.delete(sig); }
    return info;
  }

  discard(sig: number): void { this.queues.delete(sig); this.set.delete(sig); }

  /** Whether this very siginfo is still waiting here. */
  holds(info: SigInfo): boolean { return this.queues.get(info.signo)?.includes(info) ?? false; }
}
