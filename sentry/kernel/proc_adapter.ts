// The kernel as procfs sees it (sentry/vfs/fs/proc_source.ts): tasks, memory, mounts and system
// figures turned into plain data. Figures the Sentry does not keep (per-task CPU split, faults,
// context switches, load) are reported as 0, never made up.

import { cpuid as cpuidLeaf } from '../../platform/cpu_features.js';
import { getLimit, RLIM_INFINITY } from '../syscalls/sys_thread.js';
import { UTS_RELEASE, UTS_VERSION } from '../syscalls/sys_identity.js';
import { MS_NODEV, MS_NOEXEC, MS_NOSUID, pathOf, type Mount } from '../vfs/dentry.js';
import { CLK_TCK, type ProcMap, type ProcMemory, type ProcMount, type ProcSource, type ProcTask } from '../vfs/fs/proc_source.js';
import type { Timespec } from '../vfs/stat.js';
import { processCpuNs } from './clocks.js';
import type { Kernel } from './kernel.js';
import type { Task, ThreadGroup } from './task.js';
import { SigSet } from './sigset.js';

const PAGE = 4096;
const PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4, MAP_SHARED = 1;

const ticks = (ts: Timespec) => Math.floor(ts.sec * CLK_TCK + ts.nsec / (1e9 / CLK_TCK));
const bits = (n: number) => BigInt(Math.floor(n)); // capability sets are below 2^41: exact

/** The flags of a CPUID register as /proc/cpuinfo names them. */
const EDX_FLAGS: [number, string][] = [[0, 'fpu'], [4, 'tsc'], [8, 'cx8'], [15, 'cmov'], [23, 'mmx'], [24, 'fxsr'], [25, 'sse'], [26, 'sse2']];
const EXT_EDX_FLAGS: [number, string][] = [[11, 'syscall'], [20, 'nx'], [29, 'lm']];

function cpuinfoText(cpus: number): string {
  const [sig, , , edx] = cpuidLeaf(1, 0);
  const [, , extEcx, extEdx] = cpuidLeaf(0x80000001, 0);
  const brand = [0x80000002, 0x80000003, 0x80000004].flatMap((l) => cpuidLeaf(l, 0))
    .map((w) => String.fromCharCode(w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, w >>> 24)).join('').replace(/\0+$/, '');
  const flags = [...EDX_FLAGS.filter(([b]) => edx & (1 << b)), ...EXT_EDX_FLAGS.filter(([b]) => extEdx & (1 << b))].map(([, n]) => n);
  if (extEcx & 1) flags.push('lahf_lm');
  const family = (sig >> 8) & 0xf, model = ((sig >> 4) & 0xf) | (((sig >> 16) & 0xf) << 4), stepping = sig & 0xf;
  let out = '';
  for (let n = 0; n < cpus; n++) {
    out += `processor\t: ${n}\nvendor_id\t: GenuineIntel\ncpu family\t: ${family}\nmodel\t\t: ${model}\nmodel name\t: ${brand}\n`
      + `stepping\t: ${stepping}\ncpu MHz\t\t: 1000.000\ncache size\t: 8192 KB\nphysical id\t: 0\nsiblings\t: ${cpus}\ncore id\t\t: ${n}\n`
      + `cpu cores\t: ${cpus}\nfpu\t\t: yes\nfpu_exception\t: yes\ncpuid level\t: 7\nwp\t\t: yes\nflags\t\t: ${flags.join(' ')}\n`
      + `bogomips\t: 2000.00\nclflush size\t: 64\ncache_alignment\t: 64\naddress sizes\t: 48 bits physical, 48 bits virtual\npower management:\n\n`;
  }
  return out;
}

function permsOf(prot: number, flags: number): string {
  return `${prot & PROT_READ ? 'r' : '-'}${prot & PROT_WRITE ? 'w' : '-'}${prot & PROT_EXEC ? 'x' : '-'}${flags & MAP_SHARED ? 's' : 'p'}`;
}

function mountOptions(m: Mount): string {
  const o = [m.readOnly && !['proc', 'sysfs'].includes(m.fs.type) ? 'ro' : 'rw'];
  if (m.flags & MS_NOSUID) o.push('nosuid');
  if (m.flags & MS_NODEV) o.push('nodev');
  if (m.flags & MS_NOEXEC) o.push('noexec');
  o.push('relatime');
  return o.join(',');
}

export class KernelProcSource implements ProcSource {
  readonly pidMax = 4194304;

  constructor(private readonly k: Kernel, readonly cpus: number) {}

  pids(): number[] {
    return [...new Set([...this.k.tasks.values()].map((t) => t.tg.pid))].sort((a, b) => a - b);
  }

  task(tid: number): ProcTask | null {
    // A leader that exited before its threads is still there, a zombie, until the last one.
    const t = this.k.tasks.get(tid) ?? this.k.groups.get(tid)?.zombieLeader;
    return t ? this.describe(t) : null;
  }

  caller(): { pid: number; tid: number; root: import('../vfs/dentry.js').Location } | null {
    const t = this.k.currentTask;
    return t ? { pid: t.tg.pid, tid: t.tid, root: t.fs.root } : null;
  }

  now(): Timespec { return this.k.host.clock.realtime(); }

  uptime(): { up: number; idle: number } {
    const now = this.k.host.clock.monotonic(), boot = this.k.bootTime;
    const up = ticks({ sec: now.sec - boot.sec, nsec: now.nsec - boot.nsec });
    return { up, idle: 0 };
  }

  meminfo() {
    const total = this.k.commitPool.limit * PAGE, used = this.k.commitPool.used * PAGE;
    return { total, free: total - used, available: total - used, buffers: 0, cached: 0, shmem: 0, anon: used, mapped: 0, commitLimit: total, committed: used };
  }

  loadavg() {
    const n = this.k.tasks.size;
    return { load1: 0, load5: 0, load15: 0, running: 1, total: n, lastPid: Math.max(0, ...this.k.tasks.keys()) };
  }

  cpuinfo(): string { return cpuinfoText(this.cpus); }

  stat() {
    const zero = { user: 0, nice: 0, system: 0, idle: 0, iowait: 0, irq: 0, softirq: 0, steal: 0, guest: 0, guestNice: 0 };
    return { cpus: Array.from({ length: this.cpus }, () => ({ ...zero })), interrupts: 0, contextSwitches: 0, bootTime: this.k.bootRealtime.sec, processes: this.k.tasks.size, running: 1, blocked: 0 };
  }

  uts() { return { sysname: 'Linux', hostname: this.k.host.hostname, domainname: '(none)', release: UTS_RELEASE, version: UTS_VERSION }; }

  filesystems() {
    return [{ name: 'sysfs', nodev: true }, { name: 'tmpfs', nodev: true }, { name: 'proc', nodev: true }, { name: 'overlay', nodev: true }, { name: '9p', nodev: true }];
  }

  private describe(t: Task): ProcTask {
    const k = this.k, tg = t.tg, c = tg.creds;
    const mm = t.mm;
    // One instruction counts as a nanosecond of user time.
    const toTicks = (ns: number) => Math.floor(ns / 1e9 * CLK_TCK);
    const cpuTicks = toTicks(t.ctx.instructions);
    const adapter = this;
    return {
      tid: t.tid, tgid: tg.pid, ppid: tg.ppid, pgid: tg.pgid, sid: tg.sid, ttyNr: 0, ttyPgid: -1,
      comm: tg.comm, state: t.exited ? 'Z' : (k.currentTask === t ? 'R' : 'S'),
      uid: { real: c.uid, effective: c.euid, saved: c.suid, fs: c.fsuid },
      gid: { real: c.gid, effective: c.egid, saved: c.sgid, fs: c.fsgid },
      groups: c.groups, umask: t.fs.umask, nice: t.nice, startTime: 0,
      exitSignal: t.tid === tg.pid ? 17 : -1, exitCode: 0,
      cpu: { user: cpuTicks, system: 0 }, groupCpu: { user: toTicks(processCpuNs(tg)), system: 0 },
      childrenCpu: { user: toTicks(tg.childInstructions), system: 0 },
      faults: { minor: 0, major: 0, childMinor: 0, childMajor: 0 },
      signals: {
        pending: setBits(t.pending.set), sharedPending: setBits(tg.pending.set), blocked: setBits(t.sigmask),
        ignored: actionBits(tg, (h) => h === 1), caught: actionBits(tg, (h) => h > 1), queued: 0, queueLimit: 63432,
      },
      caps: { inheritable: bits(c.capInheritable), permitted: bits(c.capPermitted), effective: bits(c.capEffective), bounding: bits(c.capBounding), ambient: 0n },
      noNewPrivs: tg.noNewPrivs, seccompMode: 0, seccompFilters: 0, contextSwitches: { voluntary: 0, involuntary: 0 },
      tids: () => tg.threadList.map((x) => x.tid).sort((a, b) => a - b),
      // A zombie has let go of its memory, files and directories.
      cmdline: () => t.exited ? new Uint8Array(0) : mm.cmdline,
      environ: () => t.exited ? new Uint8Array(0) : mm.environ,
      auxv: () => t.exited ? new Uint8Array(0) : mm.auxv,
      exe: () => t.exited ? null : mm.exe,
      cwd: () => t.exited ? null : t.fs.cwd,
      root: () => t.exited ? null : t.fs.root,
      fds: () => t.exited ? [] : t.fds.fds().map((fd) => ({ fd, file: t.fds.get(fd)!, cloexec: t.fds.getCloexec(fd) })),
      memory: () => adapter.memory(t),
      maps: () => t.exited ? [] : adapter.maps(t),
      mounts: () => adapter.mounts(t),
      rlimits: () => Array.from({ length: 16 }, (_, r) => {
        const l = getLimit(t, r);
        return { soft: l.cur >= RLIM_INFINITY ? Infinity : l.cur, hard: l.max >= RLIM_INFINITY ? Infinity : l.max };
      }),
    };
  }

  private memory(t: Task): ProcMemory | null {
    if (t.exited) return null;
    const mm = t.mm;
    let size = 0, data = 0, stack = 0, exe = 0, lib = 0;
    for (const v of mm.mappings) {
      const len = v.end - v.start;
      size += len;
      if (v.name === '[stack]') stack += len;
      else if ((v.prot & PROT_WRITE) && !(v.flags & MAP_SHARED)) data += len;
      else if (v.prot & PROT_EXEC) { if (v.name === mm.exePath) exe += len; else lib += len; }
    }
    const rss = mm.residentPages * PAGE;
    return {
      vmPeak: size, vmSize: size, vmLocked: 0, vmPinned: 0, vmHWM: rss, vmRSS: rss, rssAnon: rss, rssFile: 0, rssShmem: 0,
      vmData: data, vmStack: stack, vmExe: exe, vmLib: lib, vmPTE: 0, vmSwap: 0,
      startCode: 0, endCode: 0, startData: 0, endData: 0, startBrk: mm.brkStart, startStack: 0,
      argStart: 0, argEnd: 0, envStart: 0, envEnd: 0,
    };
  }

  private maps(t: Task): ProcMap[] {
    return t.mm.mappings.map((v) => ({
      start: v.start, end: v.end, perms: permsOf(v.prot, v.flags), offset: (v.file?.pgoff ?? 0) * 4096,
      dev: v.file?.dev ?? 0, inode: v.file?.ino ?? 0, name: v.name, rss: 0, anonymous: 0,
    }));
  }

  private mounts(t: Task): ProcMount[] {
    return this.k.options.mounts.mounts.map((m) => ({
      id: m.id,
      parentId: m.parent ? m.parent.mount.id : m.id,
      dev: m.fs.dev,
      root: '/',
      mountPoint: m.parent ? pathOf(m.parent, t.fs.root) : '/',
      mountOptions: mountOptions(m),
      optionalFields: '',
      fsType: m.fs.type,
      source: m.source,
      superOptions: mountOptions(m).split(',')[0],
    }));
  }
}

function setBits(s: SigSet): bigint { return (BigInt(s.hi >>> 0) << 32n) | BigInt(s.lo >>> 0); }

/** The signals whose handler `pick` selects (SigIgn, SigCgt in /proc/PID/status). */
function actionBits(tg: ThreadGroup, pick: (handler: number) => boolean): bigint {
  const s = new SigSet();
  tg.handlers.actions.forEach((a, sig) => { if (sig > 0 && pick(a.handler)) s.add(sig); });
  return setBits(s);
}
