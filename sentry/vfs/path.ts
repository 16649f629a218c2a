// Path arithmetic for the interim VFS: turning (dirfd, path) into a normalised absolute path.
// (Component-wise resolution with symlinks inside the sandbox arrives with the real VFS.)

import { Errno } from '../abi/errno.js';
import type { Task } from '../kernel/task.js';

export const AT_FDCWD = -100;
export const AT_SYMLINK_NOFOLLOW = 0x100, AT_REMOVEDIR = 0x200, AT_SYMLINK_FOLLOW = 0x400, AT_EACCESS = 0x200,
  AT_NO_AUTOMOUNT = 0x800, AT_EMPTY_PATH = 0x1000;

export function normalize(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return '/' + out.join('/');
}

/** The absolute path named by `path` relative to `dirfd`, or -errno. */
export function resolveAt(t: Task, dirfd: number, path: string): string | number {
  if (path === '') return -Errno.ENOENT;
  if (path.length >= 4096) return -Errno.ENAMETOOLONG;
  if (path.split('/').some((c) => c.length > 255)) return -Errno.ENAMETOOLONG;
  if (path.startsWith('/')) return normalize(path);
  let base: string;
  if (dirfd === AT_FDCWD) base = t.fs.cwd;
  else {
    const f = t.fds.get(dirfd);
    if (!f) return -Errno.EBADF;
    base = f.path;
  }
  return normalize(base + '/' + path);
}
