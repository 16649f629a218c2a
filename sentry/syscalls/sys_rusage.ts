// Resource usage: getrusage and times (Linux kernel/sys.c; gVisor sys_rusage.go), and the struct
// rusage that wait4 and waitid fill. CPU time is guest instructions, one per nanosecond, all of it
// user time; the peak resident set comes from the memory manager. Counters the Sentry does not keep
// (faults, block I/O, context switches) are 0.

import { Errno } from '../abi/errno.js';
import { setU64 } from '../abi/bytes.js';
import { processCpuNs } from '../kernel/clocks.js';
import type { Kernel } from '../kernel/kernel.js';
import type { Task, ThreadGroup } from '../kernel/task.js';
import type { SyscallResult } from './handler.js';
import { copyOut, u64Bytes } from './memory_io.js';

const RUSAGE_SELF = 0, RUSAGE_CHILDREN = -1, RUSAGE_THREAD = 1;
const PAGE_KIB = 4;
/** clock_t ticks per second (USER_HZ). */
export const CLK_TCK = 100;
/**
 * Linux starts its tick count five minutes before the 32-bit wrap (INITIAL_JIFFIES) so that
 * wraparound bugs show early; times() counts from there too.
 */
const INITIAL_TICKS = 2 ** 32 - 300 * CLK_TCK;

/** struct rusage: ru_utime, ru_stime (timevals), then ru_maxrss in KiB and thirteen more longs. */
export function rusageBytes(cpuNs: number, maxRssPages: number): Uint8Array {
  const b = new Uint8Array(144);
  const dv = new DataView(b.buffer);
  const sec = Math.floor(cpuNs / 1e9);
  setU64(dv, 0, sec);
  setU64(dv, 8, Math.floor((cpuNs - sec * 1e9) / 1e3));
  setU64(dv, 32, maxRssPages * PAGE_KIB);
  return b;
}

/** A reaped (or waited-for) child's usage, its own and its descendants' (RUSAGE_BOTH). */
export function childRusage(child: ThreadGroup): Uint8Array {
  return rusageBytes(child.exitedInstructions + child.childInstructions, Math.max(child.maxRssPages, child.childMaxRssPages));
}

/** The peak resident set of `t`'s process: of its earlier images, and of the one it runs now. */
function selfMaxRss(t: Task): number {
  return Math.max(t.tg.maxRssPages, t.mm.peakResidentPages);
}

export function sys_getrusage(t: Task): SyscallResult {
  const who = t.argInt(0), addr = t.arg(1);
  let b: Uint8Array;
  switch (who) {
    case RUSAGE_SELF: b = rusageBytes(processCpuNs(t.tg), selfMaxRss(t)); break;
    case RUSAGE_CHILDREN: b = rusageBytes(t.tg.childInstructions, t.tg.childMaxRssPages); break;
    case RUSAGE_THREAD: b = rusageBytes(t.ctx.instructions, selfMaxRss(t)); break;
    default: return -Errno.EINVAL;
  }
  return copyOut(t, addr, b) ? 0 : -Errno.EFAULT;
}

const ticks = (ns: number) => Math.floor(ns / (1e9 / CLK_TCK));

/** times(2): the process's and its reaped children's CPU time in ticks; returns the tick count. */
export function sys_times(t: Task, k: Kernel): SyscallResult {
  const addr = t.arg(0);
  if (addr !== 0) {
    const tms = u64Bytes([ticks(processCpuNs(t.tg)), 0, ticks(t.tg.childInstructions), 0]);
    if (!copyOut(t, addr, tms)) return -Errno.EFAULT;
  }
  const now = k.host.clock.monotonic(), boot = k.bootTime;
  return INITIAL_TICKS + ticks((now.sec - boot.sec) * 1e9 + (now.nsec - boot.nsec));
}
