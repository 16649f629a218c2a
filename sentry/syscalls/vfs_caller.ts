// The calling task as the VFS sees it (sentry/vfs/vfs.ts Caller), and path arguments read from
// guest memory.

import { Errno } from '../abi/errno.js';
import { fsCreds, type Task } from '../kernel/task.js';
import type { FsCreds } from '../vfs/inode.js';
import type { Caller } from '../vfs/vfs.js';
import { readPath } from './memory_io.js';

export function callerOf(t: Task): Caller {
  return {
    root: t.fs.root,
    cwd: t.fs.cwd,
    umask: t.fs.umask,
    creds: fsCreds(t.tg.creds),
    fdLocation: (fd) => {
      const f = t.fds.get(fd);
      if (!f) return undefined;
      return f.location ?? null;
    },
    fdFile: (fd) => t.fds.get(fd),
  };
}

/** access(2) checks with the real ids; a real root keeps its permitted capabilities. */
export function realCreds(t: Task): FsCreds {
  const c = t.tg.creds;
  return { fsuid: c.uid, fsgid: c.gid, groups: c.groups, caps: c.uid === 0 ? c.capPermitted : 0 };
}

/** A path argument as a string, or -errno (EFAULT, ENAMETOOLONG). */
export function pathArg(t: Task, addr: number): string | number {
  const p = readPath(t, addr);
  if (p === null) return -Errno.EFAULT;
  if (p === undefined) return -Errno.ENAMETOOLONG;
  return p;
}
