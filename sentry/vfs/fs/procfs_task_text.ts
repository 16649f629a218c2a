// The text of /proc/PID files about one task, formatted exactly as Linux 6.1 does (fs/proc/array.c,
// fs/proc/task_mmu.c, fs/proc/base.c, fs/proc_namespace.c; proc(5)). `whole` is the process view
// (/proc/PID) rather than the thread view (/proc/PID/task/TID): it sums CPU time over the group.

import type { ProcMap, ProcMount, ProcSource, ProcState, ProcTask } from './proc_source.js';
import {
  bitmapMask, field, hex16, kb, kbLine, major, mangle, minor, pages, PAGE_SIZE, rangeList, u64,
} from './procfs_format.js';

const STATE_NAMES: Record<ProcState, string> = {
  R: 'R (running)', S: 'S (sleeping)', D: 'D (disk sleep)', T: 'T (stopped)', t: 't (tracing stop)',
  X: 'X (dead)', Z: 'Z (zombie)', P: 'P (parked)', I: 'I (idle)',
};

/** Nodes in Mems_allowed: the MAX_NUMNODES of a distribution kernel (CONFIG_NODES_SHIFT=10). */
const MAX_NUMNODES = 1024;

/** The fd table size FDSize shows: 64, then grown as expand_fdtable does (powers of two of 128). */
function fdTableSize(maxFd: number): number {
  if (maxFd < 64) return 64;
  let n = 1;
  while (n < Math.floor(maxFd / 128) + 1) n *= 2;
  return n * 128;
}

/** status's Name: backslash and newline escaped (proc_task_name with ESCAPE_SPACE|ESCAPE_SPECIAL). */
function escapeName(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

export function statusText(src: ProcSource, t: ProcTask): string {
  const fds = t.fds();
  const ids = (i: { real: number; effective: number; saved: number; fs: number }) => `${i.real}\t${i.effective}\t${i.saved}\t${i.fs}`;
  let s = `Name:\t${escapeName(t.comm)}\n`;
  s += `Umask:\t${('0' + t.umask.toString(8)).padStart(4, '0')}\n`;
  s += `State:\t${STATE_NAMES[t.state]}\n`;
  s += `Tgid:\t${t.tgid}\nNgid:\t0\nPid:\t${t.tid}\nPPid:\t${t.ppid}\nTracerPid:\t0\n`;
  s += `Uid:\t${ids(t.uid)}\nGid:\t${ids(t.gid)}\n`;
  s += `FDSize:\t${fdTableSize(fds.length ? fds[fds.length - 1].fd : 0)}\n`;
  s += `Groups:\t${t.groups.join(' ')} \n`;
  s += `NStgid:\t${t.tgid}\nNSpid:\t${t.tid}\nNSpgid:\t${t.pgid}\nNSsid:\t${t.sid}\n`;
  const m = t.memory();
  if (m !== null) {
    const vm: [string, number][] = [
      ['VmPeak', m.vmPeak], ['VmSize', m.vmSize], ['VmLck', m.vmLocked], ['VmPin', m.vmPinned],
      ['VmHWM', m.vmHWM], ['VmRSS', m.vmRSS], ['RssAnon', m.rssAnon], ['RssFile', m.rssFile],
      ['RssShmem', m.rssShmem], ['VmData', m.vmData], ['VmStk', m.vmStack], ['VmExe', m.vmExe],
      ['VmLib', m.vmLib], ['VmPTE', m.vmPTE], ['VmSwap', m.vmSwap], ['HugetlbPages', 0],
    ];
    s += vm.map(([k, v]) => `${k}:\t${field('', kb(v))} kB\n`).join('');
    s += 'CoreDumping:\t0\nTHP_enabled:\t1\n';
  }
  const g = t.signals;
  s += `Threads:\t${t.tids().length}\nSigQ:\t${g.queued}/${g.queueLimit}\n`;
  s += `SigPnd:\t${hex16(g.pending)}\nShdPnd:\t${hex16(g.sharedPending)}\nSigBlk:\t${hex16(g.blocked)}\n`;
  s += `SigIgn:\t${hex16(g.ignored)}\nSigCgt:\t${hex16(g.caught)}\n`;
  const c = t.caps;
  s += `CapInh:\t${hex16(c.inheritable)}\nCapPrm:\t${hex16(c.permitted)}\nCapEff:\t${hex16(c.effective)}\n`;
  s += `CapBnd:\t${hex16(c.bounding)}\nCapAmb:\t${hex16(c.ambient)}\n`;
  s += `NoNewPrivs:\t${t.noNewPrivs ? 1 : 0}\nSeccomp:\t${t.seccompMode}\nSeccomp_filters:\t${t.seccompFilters}\n`;
  // The emulated CPU does not speculate (PR_SPEC_NOT_AFFECTED).
  s += 'Speculation_Store_Bypass:\tnot vulnerable\nSpeculationIndirectBranch:\tnot affected\n';
  s += `Cpus_allowed:\t${bitmapMask(src.cpus, src.cpus)}\nCpus_allowed_list:\t${rangeList(src.cpus)}\n`;
  s += `Mems_allowed:\t${bitmapMask(1, MAX_NUMNODES)}\nMems_allowed_list:\t0\n`;
  s += `voluntary_ctxt_switches:\t${t.contextSwitches.voluntary}\nnonvoluntary_ctxt_switches:\t${t.contextSwitches.involuntary}\n`;
  return s;
}

/** /proc/PID/stat: the 52 fields of proc(5), in order. */
export function statText(t: ProcTask, whole: boolean): string {
  const m = t.memory();
  const cpu = whole ? t.groupCpu : t.cpu;
  const threads = t.tids().length;
  // wchan is now a flag: 1 when the task sleeps (and, for a process, has one thread).
  const wchan = t.state !== 'R' && (!whole || threads < 2) ? 1 : 0;
  const low31 = (v: bigint) => String(Number(BigInt.asUintN(64, v) & 0x7fffffffn));
  const rss = t.rlimits()[5]; // RLIMIT_RSS
  const f: (string | number)[] = [
    t.tid, `(${t.comm})`, t.state, t.ppid, t.pgid, t.sid, t.ttyNr, t.ttyPgid,
    0, // flags (PF_*)
    t.faults.minor, t.faults.childMinor, t.faults.major, t.faults.childMajor,
    cpu.user, cpu.system, t.childrenCpu.user, t.childrenCpu.system,
    20 + t.nice, t.nice, threads,
    0, // itrealvalue
    t.startTime,
    m ? m.vmSize : 0, m ? pages(m.vmRSS) : 0, u64(rss ? rss.soft : Infinity),
    m ? m.startCode : 0, m ? m.endCode : 0, m ? m.startStack : 0,
    0, 0, // kstkesp, kstkeip: only for a dumping task
    low31(t.signals.pending), low31(t.signals.blocked), low31(t.signals.ignored), low31(t.signals.caught),
    wchan, 0, 0, // wchan, nswap, cnswap
    t.exitSignal,
    0, 0, 0, 0, // processor, rt_priority, policy (SCHED_OTHER), delayacct_blkio_ticks
    0, 0, // guest_time, cguest_time
    m ? m.startData : 0, m ? m.endData : 0, m ? m.startBrk : 0,
    m ? m.argStart : 0, m ? m.argEnd : 0, m ? m.envStart : 0, m ? m.envEnd : 0,
    t.exitCode,
  ];
  return f.join(' ') + '\n';
}

/** /proc/PID/statm: size resident shared text lib data dt, in pages. */
export function statmText(t: ProcTask): string {
  const m = t.memory();
  if (m === null) return '0 0 0 0 0 0 0\n';
  const shared = m.rssFile + m.rssShmem;
  const text = Math.ceil(m.vmExe / PAGE_SIZE);
  return [pages(m.vmSize), pages(shared + m.rssAnon), pages(shared), text, 0, pages(m.vmData + m.vmStack), 0].join(' ') + '\n';
}

/** A maps line up to the name: the name starts at column 73 (seq_pad to 25 + 6 * 8 - 1, then ' '). */
function mapHeader(v: ProcMap): string {
  const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');
  const head = `${hex(v.start, 8)}-${hex(v.end, 8)} ${v.perms} ${hex(v.offset, 8)} ${hex(major(v.dev), 2)}:${hex(minor(v.dev), 2)} ${v.inode} `;
  if (v.name === '') return head + '\n';
  return head.padEnd(72) + ' ' + v.name.replace(/\n/g, '\\012') + '\n';
}

export function mapsText(t: ProcTask): string {
  return t.maps().map(mapHeader).join('');
}

/** VmFlags mnemonics in bit order (show_smap_vma_flags): what a mapping's permissions imply. */
function vmFlags(v: ProcMap): string {
  const [r, w, x, p] = v.perms;
  const shared = p === 's';
  const flags: string[] = [];
  if (r === 'r') flags.push('rd');
  if (w === 'w') flags.push('wr');
  if (x === 'x') flags.push('ex');
  if (shared) flags.push('sh');
  flags.push('mr');
  if (!shared || w === 'w') flags.push('mw');
  flags.push('me');
  if (shared) flags.push('ms');
  if (v.name === '[stack]') flags.push('gd');
  if (!shared && (w === 'w' || v.inode === 0)) flags.push('ac');
  return flags.map((f) => f + ' ').join('');
}

export function smapsText(t: ProcTask): string {
  let s = '';
  for (const v of t.maps()) {
    const clean = v.rss - v.anonymous;
    s += mapHeader(v);
    s += kbLine('Size', v.end - v.start) + kbLine('KernelPageSize', PAGE_SIZE) + kbLine('MMUPageSize', PAGE_SIZE);
    s += kbLine('Rss', v.rss) + kbLine('Pss', v.rss) + kbLine('Pss_Dirty', v.anonymous);
    s += kbLine('Shared_Clean', 0) + kbLine('Shared_Dirty', 0);
    s += kbLine('Private_Clean', clean) + kbLine('Private_Dirty', v.anonymous);
    s += kbLine('Referenced', v.rss) + kbLine('Anonymous', v.anonymous) + kbLine('LazyFree', 0);
    s += kbLine('AnonHugePages', 0) + kbLine('ShmemPmdMapped', 0) + kbLine('FilePmdMapped', 0);
    s += kbLine('Shared_Hugetlb', 0);
    s += field('Private_Hugetlb: ', 0, 7) + ' kB\n';
    s += kbLine('Swap', 0) + kbLine('SwapPss', 0) + kbLine('Locked', 0);
    s += 'THPeligible:    0\n'; // unpadded until Linux 6.6
    s += `VmFlags: ${vmFlags(v)}\n`;
  }
  return s;
}

/** The first option ("rw" or "ro") and the rest of an option list. */
function splitOptions(opts: string): [string, string[]] {
  const [first, ...rest] = opts.split(',').filter((o) => o !== '');
  return [first ?? 'rw', rest];
}

/** /proc/PID/mounts (the fstab format): per-mount and filesystem options together. */
export function mountsText(mounts: ProcMount[]): string {
  return mounts.map((m) => {
    const [mntRw, mntRest] = splitOptions(m.mountOptions);
    const [sbRw, sbRest] = splitOptions(m.superOptions);
    const rw = mntRw === 'ro' || sbRw === 'ro' ? 'ro' : 'rw';
    const opts = [rw, ...mntRest, ...sbRest].join(',');
    return `${mangle(m.source || 'none')} ${mangle(m.mountPoint)} ${m.fsType} ${opts} 0 0\n`;
  }).join('');
}

/** /proc/PID/mountinfo (proc(5)): id, parent, major:minor, root, mount point, options, tags, fs. */
export function mountinfoText(mounts: ProcMount[]): string {
  return mounts.map((m) => {
    const tags = m.optionalFields ? ` ${m.optionalFields}` : '';
    return `${m.id} ${m.parentId} ${major(m.dev)}:${minor(m.dev)} ${mangle(m.root)} ${mangle(m.mountPoint)} ${m.mountOptions}${tags} - ${m.fsType} ${mangle(m.source || 'none')} ${m.superOptions}\n`;
  }).join('');
}

const LIMITS: readonly (readonly [string, string])[] = [
  ['Max cpu time', 'seconds'], ['Max file size', 'bytes'], ['Max data size', 'bytes'],
  ['Max stack size', 'bytes'], ['Max core file size', 'bytes'], ['Max resident set', 'bytes'],
  ['Max processes', 'processes'], ['Max open files', 'files'], ['Max locked memory', 'bytes'],
  ['Max address space', 'bytes'], ['Max file locks', 'locks'], ['Max pending signals', 'signals'],
  ['Max msgqueue size', 'bytes'], ['Max nice priority', ''], ['Max realtime priority', ''],
  ['Max realtime timeout', 'us'],
];

/** /proc/PID/limits (proc_pid_limits: "%-25s %-20s %-20s %-10s"). */
export function limitsText(t: ProcTask): string {
  const lim = t.rlimits();
  const v = (n: number | undefined) => (n === undefined || n === Infinity ? 'unlimited' : String(n));
  let s = `${'Limit'.padEnd(25)} ${'Soft Limit'.padEnd(20)} ${'Hard Limit'.padEnd(20)} ${'Units'.padEnd(10)}\n`;
  LIMITS.forEach(([name, unit], i) => {
    s += `${name.padEnd(25)} ${v(lim[i]?.soft).padEnd(20)} ${v(lim[i]?.hard).padEnd(20)} `;
    s += unit ? `${unit.padEnd(10)}\n` : '\n';
  });
  return s;
}
