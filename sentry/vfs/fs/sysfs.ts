// sysfs, the little of it programs read: the CPU list (glibc's get_nprocs reads
// devices/system/cpu/online, get_nprocs_conf counts its cpuN directories), an empty cgroup mount
// point and the transparent hugepage mode. Read-only, fixed at construction.

import type { StatFs } from '../inode.js';
import type { Timespec } from '../stat.js';
import { StaticDir, SynthFile, type SynthFs } from './procfs_nodes.js';

export const SYSFS_MAGIC = 0x62656572;

export interface SysFsOptions {
  dev: number;
  /** CPUs the guest sees. */
  cpus: number;
  now: () => Timespec;
  /** Where it is mounted, for the paths of open files (default "/sys"). */
  mountPath?: string;
}

/** sysfs attribute files show the page size as their size, whatever they hold. */
class SysAttr extends SynthFile {
  protected override size(): number { return 4096; }
}

export class SysFs implements SynthFs {
  readonly type = 'sysfs';
  readonly readOnly = true;
  readonly blksize = 4096;
  readonly dev: number;
  readonly mountPath: string;
  readonly root: StaticDir;
  private readonly clock: () => Timespec;
  private nextIno = 1;

  constructor(opts: SysFsOptions) {
    this.dev = opts.dev;
    this.clock = opts.now;
    this.mountPath = opts.mountPath ?? '/sys';
    this.root = this.dir('/');
    this.build(Math.max(1, opts.cpus));
  }

  now(): Timespec { return this.clock(); }

  statfs(): StatFs {
    return { type: SYSFS_MAGIC, bsize: 4096, blocks: 0, bfree: 0, bavail: 0, files: 0, ffree: 0, namelen: 255, frsize: 4096, flags: 0 };
  }

  private dir(path: string): StaticDir { return new StaticDir(this, this.nextIno++, 0o755, path); }

  /** Makes (or finds) the directory at `path`, creating its parents. */
  private mkdirs(path: string): StaticDir {
    let d = this.root;
    for (const name of path.split('/').filter((c) => c !== '')) {
      const found = d.child(name);
      if (found instanceof StaticDir) { d = found; continue; }
      const made = this.dir(d.path === '/' ? `/${name}` : `${d.path}/${name}`);
      d.add(name, made);
      d = made;
    }
    return d;
  }

  private file(path: string, text: string, perm = 0o444): void {
    const at = path.lastIndexOf('/');
    const d = this.mkdirs(path.slice(0, at));
    d.add(path.slice(at + 1), new SysAttr(this, this.nextIno++, perm, path, undefined, () => text));
  }

  private build(cpus: number): void {
    // The top level of a Linux sysfs, most of it empty here.
    for (const top of ['block', 'bus', 'class', 'dev', 'devices', 'firmware', 'fs', 'kernel', 'module', 'power']) this.mkdirs(top);
    const list = cpus === 1 ? '0\n' : `0-${cpus - 1}\n`;
    for (const name of ['kernel_max', 'offline', 'online', 'possible', 'present']) {
      const text = name === 'kernel_max' ? '8191\n' : name === 'offline' ? '\n' : list;
      this.file(`/devices/system/cpu/${name}`, text);
    }
    for (let i = 0; i < cpus; i++) this.mkdirs(`/devices/system/cpu/cpu${i}`);
    this.mkdirs('/fs/cgroup');
    this.file('/kernel/mm/transparent_hugepage/enabled', 'always [madvise] never\n', 0o644);
  }
}
