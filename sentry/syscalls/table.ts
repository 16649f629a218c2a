// The syscall table (gVisor linux64.go): number -> handler and argument kinds. Every Linux x86-64
// syscall number has a row; a row without a handler answers ENOSYS and is logged once by name.

import type { SyscallHandler, SyscallRow } from './handler.js';
import { SYSCALL_NAMES } from './names.js';
import * as attr from './sys_attr.js';
import * as creds from './sys_creds.js';
import * as epoll from './sys_epoll.js';
import * as eventfd from './sys_eventfd.js';
import * as exec from './sys_exec.js';
import * as file from './sys_file.js';
import * as names from './sys_names.js';
import * as futex from './sys_futex.js';
import * as identity from './sys_identity.js';
import * as lock from './sys_lock.js';
import * as mmap from './sys_mmap.js';
import * as proc from './sys_process.js';
import * as pipe from './sys_pipe.js';
import * as poll from './sys_poll.js';
import * as random from './sys_random.js';
import * as rw from './sys_read_write.js';
import * as rusage from './sys_rusage.js';
import * as sched from './sys_sched.js';
import * as signal from './sys_signal.js';
import * as signalfd from './sys_signalfd.js';
import * as splice from './sys_splice.js';
import * as thread from './sys_thread.js';
import * as time from './sys_time.js';
import * as timerfd from './sys_timerfd.js';
import * as timer from './sys_timer.js';
import * as xattr from './sys_xattr.js';

/** name -> [handler, argument kinds] (kinds: see handler.ts). */
const IMPLEMENTED: Record<string, [SyscallHandler, string]> = {
  read: [rw.sys_read, 'fpu'], write: [rw.sys_write, 'fpu'], readv: [rw.sys_readv, 'fpd'], writev: [rw.sys_writev, 'fpd'],
  pread64: [rw.sys_pread64, 'fpud'], pwrite64: [rw.sys_pwrite64, 'fpud'],
  preadv: [rw.sys_preadv, 'fpddd'], pwritev: [rw.sys_pwritev, 'fpddd'], preadv2: [rw.sys_preadv2, 'fpdddx'], pwritev2: [rw.sys_pwritev2, 'fpdddx'],
  sendfile: [splice.sys_sendfile, 'ffpu'], copy_file_range: [splice.sys_copy_file_range, 'fpfpux'], lseek: [rw.sys_lseek, 'fdd'], ioctl: [rw.sys_ioctl, 'fxx'],
  open: [file.sys_open, 'som'], openat: [file.sys_openat, 'fsom'], creat: [file.sys_creat, 'sm'], close: [file.sys_close, 'f'],
  close_range: [file.sys_close_range, 'uux'], umask: [file.sys_umask, 'm'],
  statfs: [file.sys_statfs, 'sp'], fstatfs: [file.sys_fstatfs, 'fp'],
  mkdir: [names.sys_mkdir, 'sm'], mkdirat: [names.sys_mkdirat, 'fsm'], mknod: [names.sys_mknod, 'smx'], mknodat: [names.sys_mknodat, 'fsmx'],
  unlink: [names.sys_unlink, 's'], unlinkat: [names.sys_unlinkat, 'fsx'], rmdir: [names.sys_rmdir, 's'],
  rename: [names.sys_rename, 'ss'], renameat: [names.sys_renameat, 'fsfs'], renameat2: [names.sys_renameat2, 'fsfsx'],
  link: [names.sys_link, 'ss'], linkat: [names.sys_linkat, 'fsfsx'], symlink: [names.sys_symlink, 'ss'], symlinkat: [names.sys_symlinkat, 'sfs'],
  chmod: [attr.sys_chmod, 'sm'], fchmod: [attr.sys_fchmod, 'fm'], fchmodat: [attr.sys_fchmodat, 'fsm'],
  chown: [attr.sys_chown, 'sdd'], fchown: [attr.sys_fchown, 'fdd'], lchown: [attr.sys_lchown, 'sdd'], fchownat: [attr.sys_fchownat, 'fsddx'],
  utime: [attr.sys_utime, 'sp'], utimes: [attr.sys_utimes, 'sp'], futimesat: [attr.sys_futimesat, 'fsp'], utimensat: [attr.sys_utimensat, 'fspx'],
  truncate: [attr.sys_truncate, 'sd'], ftruncate: [attr.sys_ftruncate, 'fd'], fallocate: [attr.sys_fallocate, 'fxdd'],
  fsync: [attr.sys_fsync, 'f'], fdatasync: [attr.sys_fdatasync, 'f'], sync: [attr.sys_sync, ''], syncfs: [attr.sys_syncfs, 'f'],
  stat: [file.sys_stat, 'sp'], fstat: [file.sys_fstat, 'fp'], lstat: [file.sys_lstat, 'sp'], newfstatat: [file.sys_newfstatat, 'fspx'],
  statx: [file.sys_statx, 'fsxxp'], getdents64: [file.sys_getdents64, 'fpu'], getcwd: [file.sys_getcwd, 'pu'],
  chdir: [file.sys_chdir, 's'], fchdir: [file.sys_fchdir, 'f'],
  access: [file.sys_access, 'sx'], faccessat: [file.sys_faccessat, 'fsx'], faccessat2: [file.sys_faccessat2, 'fsxx'],
  readlink: [file.sys_readlink, 'spu'], readlinkat: [file.sys_readlinkat, 'fspu'], fcntl: [file.sys_fcntl, 'fdx'],
  dup: [file.sys_dup, 'f'], dup2: [file.sys_dup2, 'ff'], dup3: [file.sys_dup3, 'ffx'], flock: [lock.sys_flock, 'fx'],
  mmap: [mmap.sys_mmap, 'puxxfx'], munmap: [mmap.sys_munmap, 'pu'], mprotect: [mmap.sys_mprotect, 'pux'],
  mremap: [mmap.sys_mremap, 'puuxp'], brk: [mmap.sys_brk, 'p'], madvise: [mmap.sys_madvise, 'pud'], msync: [mmap.sys_msync, 'pux'],
  exit: [thread.sys_exit, 'd'], exit_group: [thread.sys_exit_group, 'd'], getpid: [thread.sys_getpid, ''],
  getppid: [thread.sys_getppid, ''], gettid: [thread.sys_gettid, ''], set_tid_address: [thread.sys_set_tid_address, 'p'],
  arch_prctl: [thread.sys_arch_prctl, 'xp'],
  prlimit64: [thread.sys_prlimit64, 'ddpp'], getrlimit: [thread.sys_getrlimit, 'dp'], setrlimit: [thread.sys_setrlimit, 'dp'],
  prctl: [thread.sys_prctl, 'dxxxx'],
  sched_yield: [sched.sys_sched_yield, ''], sched_getaffinity: [sched.sys_sched_getaffinity, 'dup'], sched_setaffinity: [sched.sys_sched_setaffinity, 'dup'],
  sched_getscheduler: [sched.sys_sched_getscheduler, 'd'], sched_setscheduler: [sched.sys_sched_setscheduler, 'dxp'],
  sched_getparam: [sched.sys_sched_getparam, 'dp'], sched_setparam: [sched.sys_sched_setparam, 'dp'],
  sched_get_priority_max: [sched.sys_sched_get_priority_max, 'd'], sched_get_priority_min: [sched.sys_sched_get_priority_min, 'd'],
  sched_rr_get_interval: [sched.sys_sched_rr_get_interval, 'dp'],
  getpriority: [sched.sys_getpriority, 'dd'], setpriority: [sched.sys_setpriority, 'ddd'],
  getrusage: [rusage.sys_getrusage, 'dp'], times: [rusage.sys_times, 'p'],
  getuid: [identity.sys_getuid, ''], geteuid: [identity.sys_geteuid, ''], getgid: [identity.sys_getgid, ''],
  getegid: [identity.sys_getegid, ''],
  setuid: [creds.sys_setuid, 'd'], setgid: [creds.sys_setgid, 'd'], setreuid: [creds.sys_setreuid, 'dd'], setregid: [creds.sys_setregid, 'dd'],
  setresuid: [creds.sys_setresuid, 'ddd'], setresgid: [creds.sys_setresgid, 'ddd'], getresuid: [creds.sys_getresuid, 'ppp'], getresgid: [creds.sys_getresgid, 'ppp'],
  setfsuid: [creds.sys_setfsuid, 'd'], setfsgid: [creds.sys_setfsgid, 'd'], getgroups: [creds.sys_getgroups, 'dp'], setgroups: [creds.sys_setgroups, 'dp'],
  capget: [creds.sys_capget, 'pp'], capset: [creds.sys_capset, 'pp'], uname: [identity.sys_uname, 'p'], sysinfo: [identity.sys_sysinfo, 'p'],
  clock_gettime: [time.sys_clock_gettime, 'dp'], clock_getres: [time.sys_clock_getres, 'dp'],
  gettimeofday: [time.sys_gettimeofday, 'pp'], time: [time.sys_time, 'p'], nanosleep: [time.sys_nanosleep, 'pp'],
  clock_nanosleep: [time.sys_clock_nanosleep, 'ddpp'],
  alarm: [timer.sys_alarm, 'u'], getitimer: [timer.sys_getitimer, 'dp'], setitimer: [timer.sys_setitimer, 'dpp'],
  timer_create: [timer.sys_timer_create, 'dpp'], timer_settime: [timer.sys_timer_settime, 'dxpp'],
  timer_gettime: [timer.sys_timer_gettime, 'dp'], timer_getoverrun: [timer.sys_timer_getoverrun, 'd'],
  timer_delete: [timer.sys_timer_delete, 'd'],
  rt_sigaction: [signal.sys_rt_sigaction, 'dppu'], rt_sigprocmask: [signal.sys_rt_sigprocmask, 'dppu'],
  rt_sigreturn: [signal.sys_rt_sigreturn, ''], sigaltstack: [signal.sys_sigaltstack, 'pp'],
  rt_sigpending: [signal.sys_rt_sigpending, 'pu'], rt_sigsuspend: [signal.sys_rt_sigsuspend, 'pu'],
  rt_sigtimedwait: [signal.sys_rt_sigtimedwait, 'pppu'], pause: [signal.sys_pause, ''],
  restart_syscall: [signal.sys_restart_syscall, ''],
  kill: [signal.sys_kill, 'dd'], tkill: [signal.sys_tkill, 'dd'], tgkill: [signal.sys_tgkill, 'ddd'],
  rt_sigqueueinfo: [signal.sys_rt_sigqueueinfo, 'ddp'], rt_tgsigqueueinfo: [signal.sys_rt_tgsigqueueinfo, 'dddp'],
  getrandom: [random.sys_getrandom, 'pux'],
  futex: [futex.sys_futex, 'pxdppx'], get_robust_list: [futex.sys_get_robust_list, 'dpp'],
  set_robust_list: [futex.sys_set_robust_list, 'pu'],
  getxattr: [xattr.sys_getxattr, 'sspu'], lgetxattr: [xattr.sys_lgetxattr, 'sspu'], fgetxattr: [xattr.sys_fgetxattr, 'fspu'],
  setxattr: [xattr.sys_setxattr, 'sspux'], lsetxattr: [xattr.sys_lsetxattr, 'sspux'], fsetxattr: [xattr.sys_fsetxattr, 'fspux'],
  listxattr: [xattr.sys_listxattr, 'spu'], llistxattr: [xattr.sys_llistxattr, 'spu'], flistxattr: [xattr.sys_flistxattr, 'fpu'],
  removexattr: [xattr.sys_removexattr, 'ss'], lremovexattr: [xattr.sys_lremovexattr, 'ss'], fremovexattr: [xattr.sys_fremovexattr, 'fs'],
  poll: [poll.sys_poll, 'pud'], ppoll: [poll.sys_ppoll, 'puppu'],
  select: [poll.sys_select, 'dpppp'], pselect6: [poll.sys_pselect6, 'dppppp'],
  epoll_create: [epoll.sys_epoll_create, 'd'], epoll_create1: [epoll.sys_epoll_create1, 'x'],
  epoll_ctl: [epoll.sys_epoll_ctl, 'fdfp'], epoll_wait: [epoll.sys_epoll_wait, 'fpdd'],
  epoll_pwait: [epoll.sys_epoll_pwait, 'fpddpu'], epoll_pwait2: [epoll.sys_epoll_pwait2, 'fpdppu'],
  eventfd: [eventfd.sys_eventfd, 'u'], eventfd2: [eventfd.sys_eventfd2, 'ux'],
  timerfd_create: [timerfd.sys_timerfd_create, 'dx'], timerfd_settime: [timerfd.sys_timerfd_settime, 'fxpp'],
  timerfd_gettime: [timerfd.sys_timerfd_gettime, 'fp'],
  signalfd: [signalfd.sys_signalfd, 'dpu'], signalfd4: [signalfd.sys_signalfd4, 'dpux'],
  execve: [exec.sys_execve, 'spp'], execveat: [exec.sys_execveat, 'fsppx'],
  fork: [proc.sys_fork, ''], vfork: [proc.sys_vfork, ''], clone: [proc.sys_clone, 'xpppx'], clone3: [proc.sys_clone3, 'pu'],
  wait4: [proc.sys_wait4, 'dpxp'], waitid: [proc.sys_waitid, 'ddpxp'],
  getpgid: [proc.sys_getpgid, 'd'], getpgrp: [proc.sys_getpgrp, ''], getsid: [proc.sys_getsid, 'd'],
  setpgid: [proc.sys_setpgid, 'dd'], setsid: [proc.sys_setsid, ''],
  pipe: [pipe.sys_pipe, 'p'], pipe2: [pipe.sys_pipe2, 'px'],
  splice: [splice.sys_splice, 'fpfpux'], tee: [splice.sys_tee, 'ffux'], vmsplice: [splice.sys_vmsplice, 'fpux'],
};

/** Unimplemented on purpose, with the reason shown in the log. */
const NOTES: Record<string, string> = {
  rseq: 'restartable sequences are optional; glibc falls back',
  epoll_ctl_old: 'never implemented on x86-64 Linux either',
  epoll_wait_old: 'never implemented on x86-64 Linux either',
};

export const SYSCALL_TABLE: SyscallRow[] = [];
for (const [nr, name] of SYSCALL_NAMES) {
  const impl = IMPLEMENTED[name];
  SYSCALL_TABLE[nr] = impl ? { handler: impl[0], args: impl[1] } : { handler: null, args: '', note: NOTES[name] };
}

/** Names of implemented syscalls that are not Linux syscalls (a typo in IMPLEMENTED). */
export function unknownImplementedNames(): string[] {
  const known = new Set(SYSCALL_NAMES.values());
  return Object.keys(IMPLEMENTED).filter((n) => !known.has(n));
}
