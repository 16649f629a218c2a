// Opening a path in the interim VFS: the built-in devices, /dev/fd and /proc/self/fd aliases, and
// read-only host files. Anything that would write a host file fails with EROFS (the writable
// overlay arrives with the VFS issue).

import { Errno } from '../abi/errno.js';
import type { Host } from '../host.js';
import type { Task } from '../kernel/task.js';
import { DeviceFile } from './devices.js';
import { O_ACCMODE, O_CREAT, O_DIRECTORY, O_NOFOLLOW, O_RDONLY, O_TRUNC, O_PATH, type FileDescription } from './file.js';
import { HostFileDescription } from './host_file.js';
import { S_IFDIR, S_IFLNK, S_IFMT } from './stat.js';

/** /dev/stdin, /dev/fd/N, /proc/self/fd/N: the open file behind an fd, or null. */
export function fdAlias(t: Task, path: string): FileDescription | null | undefined {
  const std: Record<string, number> = { '/dev/stdin': 0, '/dev/stdout': 1, '/dev/stderr': 2 };
  let fd = std[path];
  const m = /^\/(?:dev\/fd|proc\/self\/fd|proc\/\d+\/fd)\/(\d+)$/.exec(path);
  if (m) fd = Number(m[1]);
  if (fd === undefined) return undefined;
  return t.fds.get(fd) ?? null;
}

export async function openPath(t: Task, host: Host, path: string, flags: number): Promise<FileDescription | number> {
  const dev = DeviceFile.byPath(path);
  if (dev) return new DeviceFile(dev, flags, (n) => host.randomBytes(n));
  const alias = fdAlias(t, path);
  if (alias === null) return -Errno.ENOENT;
  if (alias) return alias;

  const st = await host.fs.stat(path, !(flags & O_NOFOLLOW));
  const wantsWrite = (flags & O_ACCMODE) !== O_RDONLY || (flags & O_TRUNC) !== 0;
  if (typeof st === 'number') {
    if (st === -Errno.ENOENT && (flags & O_CREAT)) return -Errno.EROFS;
    return st;
  }
  const type = st.mode & S_IFMT;
  if (type === S_IFLNK) return (flags & O_PATH) ? -Errno.EROFS : -Errno.ELOOP; // O_NOFOLLOW on a symlink
  if ((flags & O_DIRECTORY) && type !== S_IFDIR) return -Errno.ENOTDIR;
  if (type === S_IFDIR && (flags & O_ACCMODE) !== O_RDONLY) return -Errno.EISDIR;
  if (wantsWrite) return -Errno.EROFS;
  const f = await host.fs.open(path, type === S_IFDIR);
  if (typeof f === 'number') return f;
  return new HostFileDescription(f, flags, path);
}
