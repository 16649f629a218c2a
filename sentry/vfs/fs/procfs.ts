// procfs (proc(5)): the kernel's view of processes and of itself, as a filesystem of the VFS. All
// data comes from a ProcSource (proc_source.ts), so this file knows no kernel class. The root
// holds the system files, /proc/sys, the self and thread-self links and a directory per process
// (procfs_task.ts). Nothing is cached: the VFS asks again on every lookup (cacheable: false).

import { Errno } from '../../abi/errno.js';
import type { Location } from '../dentry.js';
import type { FileDescription, MaybeAsync } from '../file.js';
import type { Inode, StatFs } from '../inode.js';
import type { Timespec } from '../stat.js';
import type { ProcSource } from './proc_source.js';
import { OpenFileLocations } from './procfs_open_file.js';
import { StaticDir, SynthDir, SynthFile, SynthLink, type Child, type Content } from './procfs_nodes.js';
import { filesystemsText, loadavgText, meminfoText, statText, uptimeText, versionText } from './procfs_system_text.js';
import { TaskDir, type TaskFs } from './procfs_task.js';

export const PROC_SUPER_MAGIC = 0x9fa0;

/** Options for a proc mount. */
export interface ProcFsOptions {
  /** st_dev of every inode. */
  dev: number;
  /** Where it is mounted, for the paths open proc files report (default "/proc"). */
  mountPath?: string;
}

export class ProcFs implements TaskFs {
  readonly type = 'proc';
  readonly readOnly = true;
  readonly cacheable = false;
  readonly blksize = 1024;
  readonly dev: number;
  readonly mountPath: string;
  readonly root: ProcRoot;
  private readonly openFiles: OpenFileLocations;
  private nextStaticIno = 1;

  constructor(readonly source: ProcSource, opts: ProcFsOptions) {
    this.dev = opts.dev;
    this.mountPath = opts.mountPath ?? '/proc';
    this.openFiles = new OpenFileLocations(opts.dev);
    this.root = new ProcRoot(this, this.staticIno());
    this.root.build();
  }

  now(): Timespec { return this.source.now(); }

  /** Inode numbers of the fixed entries: small, below every task inode. */
  staticIno(): number { return this.nextStaticIno++; }

  openFileLocation(file: FileDescription): Promise<Location | number> { return this.openFiles.locate(file); }

  statfs(): StatFs {
    return { type: PROC_SUPER_MAGIC, bsize: 4096, blocks: 0, bfree: 0, bavail: 0, files: 0, ffree: 0, namelen: 255, frsize: 4096, flags: 0 };
  }
}

/** A decimal pid as Linux's name_to_int reads it: digits, no leading zero. */
function pidOf(name: string): number | null {
  if (!/^[1-9][0-9]{0,9}$/.test(name)) return null;
  const n = Number(name);
  return n <= 0x7fffffff ? n : null;
}

class ProcRoot extends SynthDir {
  /** The fixed entries, sorted as proc_match keeps them: by length, then by name. */
  private fixed: Child[] = [];

  constructor(override readonly fs: ProcFs, ino: number) {
    super(fs, ino, 0o555, '/');
  }

  build(): void {
    const fs = this.fs, src = fs.source;
    const file = (name: string, text: () => Content, perm = 0o444): [string, Inode] =>
      [name, new SynthFile(fs, fs.staticIno(), perm, `/${name}`, undefined, text)];
    const entries: [string, Inode][] = [
      file('cpuinfo', () => src.cpuinfo()),
      file('meminfo', () => meminfoText(src)),
      file('uptime', () => uptimeText(src)),
      file('loadavg', () => loadavgText(src)),
      file('version', () => versionText(src)),
      file('stat', () => statText(src)),
      file('filesystems', () => filesystemsText(src)),
      ['mounts', new SynthLink(fs, fs.staticIno(), 0o777, '/mounts', undefined, () => 'self/mounts', null, 'self/mounts'.length)],
      ['sys', buildSys(fs)],
    ];
    entries.sort(([a], [b]) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
    const self = new SynthLink(fs, fs.staticIno(), 0o777, '/self', undefined, () => {
      const c = src.caller();
      return c ? String(c.pid) : -Errno.ENOENT;
    });
    const threadSelf = new SynthLink(fs, fs.staticIno(), 0o777, '/thread-self', undefined, () => {
      const c = src.caller();
      return c ? `${c.pid}/task/${c.tid}` : -Errno.ENOENT;
    });
    this.fixed = [...entries, ['self', self], ['thread-self', threadSelf]].map(([n, i]): Child => [n as string, () => i as Inode]);
  }

  private taskDir(pid: number): TaskDir { return new TaskDir(this.fs, pid, true, `/${pid}`); }

  protected children(): readonly Child[] {
    const pids = this.fs.source.pids().map((pid): Child => [String(pid), () => this.taskDir(pid)]);
    return [...this.fixed, ...pids];
  }

  /** Any live thread's id is found (as Linux's proc_pid_lookup), though only processes are listed. */
  override lookup(name: string): MaybeAsync<Inode | number> {
    const pid = pidOf(name);
    if (pid !== null) return this.fs.source.task(pid) !== null ? this.taskDir(pid) : -Errno.ENOENT;
    const f = this.fixed.find(([n]) => n === name);
    return f ? f[1]() : -Errno.ENOENT;
  }

  /** 2 + fixed subdirectories + one per process, as proc_root_getattr. */
  protected override nlink(): number {
    return 2 + this.fixed.filter(([, make]) => make().isDir).length + this.fs.source.pids().length;
  }
}

/** The capability numbers end at CAP_CHECKPOINT_RESTORE (40) in Linux 6.1. */
const CAP_LAST_CAP = 40;

/** /proc/sys: the sysctls programs read. Writable ones in Linux (0644) are read-only here. */
function buildSys(fs: ProcFs): StaticDir {
  const src = fs.source;
  const dir = (path: string) => new StaticDir(fs, fs.staticIno(), 0o555, path);
  const sysctl = (d: StaticDir, name: string, perm: number, value: () => string | number) =>
    d.add(name, new SynthFile(fs, fs.staticIno(), perm, `${d.path}/${name}`, undefined, () => `${value()}\n`));

  const sys = dir('/sys');
  const kernel = dir('/sys/kernel');
  sysctl(kernel, 'cap_last_cap', 0o444, () => CAP_LAST_CAP);
  sysctl(kernel, 'domainname', 0o644, () => src.uts().domainname);
  sysctl(kernel, 'hostname', 0o644, () => src.uts().hostname);
  sysctl(kernel, 'ngroups_max', 0o444, () => 65536);
  sysctl(kernel, 'osrelease', 0o444, () => src.uts().release);
  sysctl(kernel, 'ostype', 0o444, () => src.uts().sysname);
  sysctl(kernel, 'pid_max', 0o644, () => src.pidMax);
  sysctl(kernel, 'version', 0o444, () => src.uts().version);
  const vm = dir('/sys/vm');
  sysctl(vm, 'max_map_count', 0o644, () => 65530);
  sysctl(vm, 'mmap_min_addr', 0o644, () => 65536);
  sysctl(vm, 'overcommit_memory', 0o644, () => 0); // heuristic overcommit, Linux's default
  const fsDir = dir('/sys/fs');
  sysctl(fsDir, 'file-max', 0o644, () => '9223372036854775807');
  sysctl(fsDir, 'nr_open', 0o644, () => 1048576);
  return sys.add('fs', fsDir).add('kernel', kernel).add('vm', vm);
}
