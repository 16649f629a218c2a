// What procfs needs from the kernel, as plain data (gVisor's fsimpl/proc reads kernel.Task; here the
// kernel is behind this interface so procfs is tested with a fake and the kernel owns one adapter).
// Times are clock ticks (USER_HZ), sizes are bytes, signal and capability sets are bigints with
// bit n-1 for signal n and bit n for capability n. Nothing here may import the kernel.

import type { Location } from '../dentry.js';
import type { FileDescription } from '../file.js';
import type { Timespec } from '../stat.js';

/** Clock ticks per second of every time below (sysconf(_SC_CLK_TCK) on Linux x86-64). */
export const CLK_TCK = 100;

export interface ProcSource {
  /** Thread-group ids of the live processes (zombies included), ascending. */
  pids(): number[];
  /** Any thread by its tid (a leader or not), or null when there is none. */
  task(tid: number): ProcTask | null;
  /** Who is asking (the task making the current syscall); null outside a syscall. */
  caller(): ProcCaller | null;
  /** Wall-clock time, for the timestamps of proc inodes. */
  now(): Timespec;

  /** Time since boot and summed idle time of all CPUs, in ticks (/proc/uptime). */
  uptime(): { up: number; idle: number };
  meminfo(): ProcMemInfo;
  loadavg(): ProcLoadAvg;
  /** The whole /proc/cpuinfo text, matching what CPUID tells the guest. */
  cpuinfo(): string;
  /** /proc/stat figures. */
  stat(): ProcSystemStat;
  /** uname(2)'s strings (hostname and domainname change with sethostname). */
  uts(): ProcUts;
  /** /proc/filesystems, in registration order. */
  filesystems(): ProcFilesystem[];
  /** CPUs the guest sees (Cpus_allowed, the cpu lines of /proc/stat). */
  readonly cpus: number;
  /** /proc/sys/kernel/pid_max. */
  readonly pidMax: number;
}

export interface ProcCaller {
  pid: number;
  tid: number;
  /** The caller's root: paths of magic links (cwd, exe, root) are shown from it, as Linux's d_path. */
  root: Location;
}

/** real, effective, saved and filesystem ids, in the order /proc/PID/status prints them. */
export interface ProcIds { real: number; effective: number; saved: number; fs: number }

export interface ProcCpuTimes { user: number; system: number }

/** Task states as the third field of /proc/PID/stat shows them (fs/proc/array.c task_state_array). */
export type ProcState = 'R' | 'S' | 'D' | 'T' | 't' | 'X' | 'Z' | 'P' | 'I';

export interface ProcSignals {
  /** This thread's pending signals. */
  pending: bigint;
  /** The thread group's pending signals. */
  sharedPending: bigint;
  blocked: bigint;
  ignored: bigint;
  /** Signals with a handler. */
  caught: bigint;
  /** Signals queued for the real user, and its RLIMIT_SIGPENDING (SigQ). */
  queued: number;
  queueLimit: number;
}

export interface ProcCaps { inheritable: bigint; permitted: bigint; effective: bigint; bounding: bigint; ambient: bigint }

/** One thread. A process directory (/proc/PID) shows its thread-group leader. */
export interface ProcTask {
  readonly tid: number;
  readonly tgid: number;
  /** The parent's tgid (0 for PID 1). */
  readonly ppid: number;
  readonly pgid: number;
  readonly sid: number;
  /** The controlling terminal's device number (0: none) and its foreground process group (-1: none). */
  readonly ttyNr: number;
  readonly ttyPgid: number;
  readonly comm: string;
  readonly state: ProcState;
  readonly uid: ProcIds;
  readonly gid: ProcIds;
  readonly groups: readonly number[];
  readonly umask: number;
  readonly nice: number;
  /** Start time in ticks after boot. */
  readonly startTime: number;
  /** The signal sent to the parent at exit (17, SIGCHLD, for a process; -1 for a thread). */
  readonly exitSignal: number;
  /** The wait status once a zombie, else 0. */
  readonly exitCode: number;
  /** CPU time of this thread. */
  readonly cpu: ProcCpuTimes;
  /** CPU time of the whole thread group, exited threads included. */
  readonly groupCpu: ProcCpuTimes;
  /** CPU time of the waited-for children (cutime, cstime). */
  readonly childrenCpu: ProcCpuTimes;
  /** Page faults of the thread group (minflt, majflt) and of its waited-for children. */
  readonly faults: { minor: number; major: number; childMinor: number; childMajor: number };
  readonly signals: ProcSignals;
  readonly caps: ProcCaps;
  readonly noNewPrivs: boolean;
  /** 0 disabled, 1 strict, 2 filter; and the number of filters. */
  readonly seccompMode: number;
  readonly seccompFilters: number;
  readonly contextSwitches: { voluntary: number; involuntary: number };

  /** Threads of the group, ascending. */
  tids(): number[];
  /** The argument strings, each ending with NUL (empty for a zombie). */
  cmdline(): Uint8Array;
  /** The environment strings, each ending with NUL. */
  environ(): Uint8Array;
  /** The auxiliary vector as the loader wrote it (pairs of 64-bit words). */
  auxv(): Uint8Array;
  /** The executable, the working directory and the root: null when gone (a zombie, a kernel thread). */
  exe(): Location | null;
  cwd(): Location | null;
  root(): Location | null;
  /** Open fds, ascending (the whole process's table). */
  fds(): ProcFd[];
  /** null for a zombie: its memory is gone. */
  memory(): ProcMemory | null;
  /** Mappings, ascending by address. */
  maps(): ProcMap[];
  /** The task's mount namespace as seen from its root, in mount order (parents first). */
  mounts(): ProcMount[];
  /** RLIMIT_* in Linux's order (RLIMIT_CPU ... RLIMIT_RTTIME, 16 entries); Infinity = unlimited. */
  rlimits(): ProcRlimit[];
}

export interface ProcFd {
  fd: number;
  /** The open description: its path for the link, its flags, position and inode for fdinfo. An
   *  InodeFile (with a `location`) is reached directly by following the link. */
  file: FileDescription;
  cloexec: boolean;
}

/** Memory figures for status, stat and statm, in bytes; the layout addresses for stat. */
export interface ProcMemory {
  vmPeak: number;
  vmSize: number;
  vmLocked: number;
  vmPinned: number;
  vmHWM: number;
  vmRSS: number;
  rssAnon: number;
  rssFile: number;
  rssShmem: number;
  /** Private writable mappings that are not stack (mm->data_vm). */
  vmData: number;
  vmStack: number;
  /** The executable's text: PAGE_ALIGN(end_code) - start_code. */
  vmExe: number;
  /** Other executable mappings (shared libraries). */
  vmLib: number;
  vmPTE: number;
  vmSwap: number;
  startCode: number;
  endCode: number;
  startData: number;
  endData: number;
  startBrk: number;
  startStack: number;
  argStart: number;
  argEnd: number;
  envStart: number;
  envEnd: number;
}

export interface ProcMap {
  start: number;
  end: number;
  /** "r-xp": read, write, execute, and p (private) or s (shared). */
  perms: string;
  /** File offset of `start`. */
  offset: number;
  /** Device and inode of the mapped file (0 for anonymous memory). */
  dev: number;
  inode: number;
  /** The file's path, "[heap]", "[stack]", "[vdso]", or "" for anonymous memory. */
  name: string;
  /** Resident bytes, and how many of them are anonymous (copied on write, or anonymous memory). */
  rss: number;
  anonymous: number;
}

/** One mount, as /proc/PID/mountinfo shows it (proc(5)). */
export interface ProcMount {
  id: number;
  parentId: number;
  /** st_dev of the filesystem. */
  dev: number;
  /** The directory of the filesystem that is mounted ("/" for a whole filesystem). */
  root: string;
  /** Where, relative to the task's root. */
  mountPoint: string;
  /** Per-mount options: "rw" or "ro", then nosuid, nodev, noexec, relatime... ("rw,nosuid,relatime"). */
  mountOptions: string;
  /** Propagation fields ("shared:1 master:2"); "" for a private mount. */
  optionalFields: string;
  fsType: string;
  source: string;
  /** Per-superblock options: "rw" or "ro", then the filesystem's own ("rw,size=65536k,mode=755"). */
  superOptions: string;
}

export interface ProcRlimit { soft: number; hard: number }

export interface ProcUts { sysname: string; hostname: string; domainname: string; release: string; version: string }

export interface ProcMemInfo {
  total: number;
  free: number;
  available: number;
  buffers: number;
  cached: number;
  shmem: number;
  /** Anonymous pages, file pages mapped into processes. */
  anon: number;
  mapped: number;
  /** The commit limit and what is committed (Committed_AS). */
  commitLimit: number;
  committed: number;
}

export interface ProcLoadAvg {
  load1: number;
  load5: number;
  load15: number;
  /** Runnable tasks and all tasks (threads count). */
  running: number;
  total: number;
  /** The most recently allocated pid. */
  lastPid: number;
}

/** One CPU's time in ticks, the columns of a "cpu" line of /proc/stat. */
export interface ProcCpuStat {
  user: number; nice: number; system: number; idle: number; iowait: number;
  irq: number; softirq: number; steal: number; guest: number; guestNice: number;
}

export interface ProcSystemStat {
  /** One entry per CPU; the "cpu" line is their sum. */
  cpus: ProcCpuStat[];
  interrupts: number;
  contextSwitches: number;
  /** Boot time, seconds since the epoch. */
  bootTime: number;
  /** Forks since boot. */
  processes: number;
  running: number;
  blocked: number;
}

export interface ProcFilesystem { name: string; nodev: boolean }
