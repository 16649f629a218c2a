// /proc/PID and /proc/PID/task/TID: a task's directory, its files (generated from the ProcSource
// when opened), its magic links (cwd, root, exe, fd/N) and its fd, fdinfo and task directories.
// Inode numbers are derived from the tid, the view and a per-entry slot, so they stay the same
// across lookups (the filesystem caches nothing).

import { Errno } from '../../abi/errno.js';
import { pathOf, type Location } from '../dentry.js';
import { O_ACCMODE, O_CLOEXEC, O_PATH, O_RDONLY, O_WRONLY, type FileDescription, type MaybeAsync } from '../file.js';
import type { Inode } from '../inode.js';
import type { ProcSource, ProcTask } from './proc_source.js';
import { octal } from './procfs_format.js';
import { SynthDir, SynthFile, SynthLink, type Child, type Content, type Owner, type SynthFs } from './procfs_nodes.js';
import {
  limitsText, mapsText, mountinfoText, mountsText, smapsText, statmText, statText, statusText,
} from './procfs_task_text.js';

/** What task directories need from the proc filesystem. */
export interface TaskFs extends SynthFs {
  readonly source: ProcSource;
  /** The place to open a description that has no location (a pipe, a host stream). */
  openFileLocation(file: FileDescription): MaybeAsync<Location | number>;
}

// Inode numbers: above every static proc inode, 2^24 per tid, half for each view.
const TASK_INO_BASE = 2 ** 32;
const VIEW_SPAN = 2 ** 23;
const FD_SLOT = 1024, FDINFO_SLOT = FD_SLOT + 2 ** 21;

function taskIno(tid: number, whole: boolean, slot: number): number {
  return TASK_INO_BASE + tid * 2 ** 24 + (whole ? 0 : VIEW_SPAN) + slot;
}

const SEEK_CUR = 1;

/** Shows `loc` as the caller sees it (from its root), or from the top of its mount tree. */
export function showPath(src: ProcSource, loc: Location): string {
  const caller = src.caller();
  if (caller) return pathOf(loc, caller.root);
  let mount = loc.mount;
  while (mount.parent !== null) mount = mount.parent.mount;
  return pathOf(loc, { mount, dentry: mount.root });
}

/** The location behind an InodeFile (or any description that has one). */
export function locationOf(file: FileDescription): Location | null {
  const loc = (file as { location?: unknown }).location;
  return typeof loc === 'object' && loc !== null && 'mount' in loc && 'dentry' in loc ? (loc as Location) : null;
}

/** fd link permissions: r-x for reading, -wx for writing (proc_fd_link's i_mode). */
function fdLinkPerm(flags: number): number {
  if (flags & O_PATH) return 0;
  const acc = flags & O_ACCMODE;
  return (acc !== O_WRONLY ? 0o500 : 0) | (acc !== O_RDONLY ? 0o300 : 0);
}

async function fdinfoText(file: FileDescription, cloexec: boolean): Promise<string> {
  const pos = await file.seek(0, SEEK_CUR);
  const st = await file.stat();
  const loc = locationOf(file);
  const flags = file.flags | (cloexec ? O_CLOEXEC : 0);
  return `pos:\t${Math.max(0, pos)}\nflags:\t${octal(flags)}\nmnt_id:\t${loc ? loc.mount.id : 0}\nino:\t${typeof st === 'number' ? 0 : st.ino}\n`;
}

type Make = (dir: TaskDir, ino: number, path: string) => Inode;

/** A file generated from the live task (ESRCH once it is gone). */
function taskFile(perm: number, text: (t: ProcTask, dir: TaskDir) => MaybeAsync<Content>): Make {
  return (dir, ino, path) => new SynthFile(dir.fs, ino, perm, path, dir.ownerFn, () => {
    const t = dir.task();
    return t === null ? -Errno.ESRCH : text(t, dir);
  });
}

/** cwd, root, exe: magic links to a location of the task. */
function taskLink(which: (t: ProcTask) => Location | null): Make {
  return (dir, ino, path) => {
    const target = (): Location | number => {
      const t = dir.task();
      if (t === null) return -Errno.ESRCH;
      return which(t) ?? -Errno.ENOENT;
    };
    const text = (): string | number => {
      const loc = target();
      return typeof loc === 'number' ? loc : showPath(dir.fs.source, loc);
    };
    return new SynthLink(dir.fs, ino, 0o777, path, dir.ownerFn, text, target);
  };
}

/** The entries of a task directory, in Linux's order (tgid_base_stuff); the index is the ino slot. */
const ENTRIES: readonly { name: string; processOnly?: boolean; make: Make }[] = [
  { name: 'task', processOnly: true, make: (d, ino, path) => new TaskListDir(d.fs, ino, path, d.tid, d.ownerFn) },
  { name: 'fd', make: (d, ino, path) => new FdDir(d.fs, ino, path, d, false) },
  { name: 'fdinfo', make: (d, ino, path) => new FdDir(d.fs, ino, path, d, true) },
  { name: 'environ', make: taskFile(0o400, (t) => t.environ()) },
  { name: 'auxv', make: taskFile(0o400, (t) => t.auxv()) },
  { name: 'status', make: taskFile(0o444, (t, d) => statusText(d.fs.source, t)) },
  { name: 'limits', make: taskFile(0o444, (t) => limitsText(t)) },
  { name: 'comm', make: taskFile(0o644, (t) => `${t.comm}\n`) },
  { name: 'cmdline', make: taskFile(0o444, (t) => t.cmdline()) },
  { name: 'stat', make: taskFile(0o444, (t, d) => statText(t, d.whole)) },
  { name: 'statm', make: taskFile(0o444, (t) => statmText(t)) },
  { name: 'maps', make: taskFile(0o444, (t) => mapsText(t)) },
  { name: 'cwd', make: taskLink((t) => t.cwd()) },
  { name: 'root', make: taskLink((t) => t.root()) },
  { name: 'exe', make: taskLink((t) => t.exe()) },
  { name: 'mounts', make: taskFile(0o444, (t) => mountsText(t.mounts())) },
  { name: 'mountinfo', make: taskFile(0o444, (t) => mountinfoText(t.mounts())) },
  { name: 'smaps', make: taskFile(0o444, (t) => smapsText(t)) },
  { name: 'cgroup', make: taskFile(0o444, () => '0::/\n') }, // one cgroup v2 hierarchy, at its root
  { name: 'oom_score_adj', make: taskFile(0o644, () => '0\n') },
];

/** /proc/PID (whole: the process view) or /proc/PID/task/TID (a thread's view). */
export class TaskDir extends SynthDir {
  readonly ownerFn: () => Owner;

  constructor(override readonly fs: TaskFs, readonly tid: number, readonly whole: boolean, path: string) {
    const ownerFn = (): Owner => {
      const t = fs.source.task(tid);
      return t === null ? { uid: 0, gid: 0 } : { uid: t.uid.effective, gid: t.gid.effective };
    };
    super(fs, taskIno(tid, whole, 0), 0o555, path, ownerFn);
    this.ownerFn = ownerFn;
  }

  task(): ProcTask | null { return this.fs.source.task(this.tid); }

  protected children(): readonly Child[] | number {
    if (this.task() === null) return -Errno.ENOENT;
    const kids: Child[] = [];
    ENTRIES.forEach((e, i) => {
      if (e.processOnly && !this.whole) return;
      kids.push([e.name, () => e.make(this, taskIno(this.tid, this.whole, i + 1), this.sub(e.name))]);
    });
    return kids;
  }
}

/** /proc/PID/task: a directory per thread of the group. */
class TaskListDir extends SynthDir {
  constructor(override readonly fs: TaskFs, ino: number, path: string, private readonly tid: number, owner: () => Owner) {
    super(fs, ino, 0o555, path, owner);
  }

  protected children(): readonly Child[] | number {
    const t = this.fs.source.task(this.tid);
    if (t === null) return -Errno.ENOENT;
    return t.tids().map((tid): Child => [String(tid), () => new TaskDir(this.fs, tid, false, this.sub(String(tid)))]);
  }
}

/** /proc/PID/fd (magic links to the open descriptions) or /proc/PID/fdinfo (their state). */
class FdDir extends SynthDir {
  constructor(override readonly fs: TaskFs, ino: number, path: string, private readonly dir: TaskDir, private readonly info: boolean) {
    super(fs, ino, info ? 0o555 : 0o500, path, dir.ownerFn);
  }

  protected children(): readonly Child[] | number {
    const t = this.dir.task();
    if (t === null) return -Errno.ENOENT;
    return t.fds().map(({ fd, file, cloexec }): Child => {
      const path = this.sub(String(fd));
      if (this.info) {
        const ino = taskIno(this.dir.tid, this.dir.whole, FDINFO_SLOT + fd);
        return [String(fd), () => new SynthFile(this.fs, ino, 0o444, path, this.dir.ownerFn, () => fdinfoText(file, cloexec))];
      }
      const ino = taskIno(this.dir.tid, this.dir.whole, FD_SLOT + fd);
      // Linux shows 64 as the size of every fd link.
      return [String(fd), () => new SynthLink(this.fs, ino, fdLinkPerm(file.flags), path, this.dir.ownerFn,
        () => file.path, () => locationOf(file) ?? this.fs.openFileLocation(file), 64)];
    });
  }

  /** An fd dir has no subdirectories: its link count is 2 without listing it. */
  protected override nlink(): number { return 2; }
}
