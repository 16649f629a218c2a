// Opening special files found in the file tree: character devices by their device number (so a
// node made by mknod opens the same device as /dev's, sentry/vfs/fs/devfs.ts), FIFOs (a pipe
// per inode, sentry/kernel/fifo.ts) and sockets.

import { Errno } from '../abi/errno.js';
import { MS_NODEV, pathOf, type Location } from './dentry.js';
import type { FileDescription } from './file.js';
import { openDevice, type DeviceHost } from './fs/devfs.js';
import { openFifo } from '../kernel/fifo.js';
import type { PipeHost } from '../kernel/pipe.js';
import { S_IFCHR, S_IFIFO, S_IFMT, type Stat } from './stat.js';

/** What opening special files needs from the kernel: devices' needs, and pipes' for FIFOs. */
export interface SpecialHost extends DeviceHost {
  pipes: PipeHost;
}

export async function openSpecial(host: SpecialHost, loc: Location, st: Stat, flags: number, root: Location): Promise<FileDescription | number> {
  const type = st.mode & S_IFMT;
  if (type === S_IFIFO) return openFifo(host.pipes, loc.dentry.inode, st, flags, pathOf(loc, root));
  if (loc.mount.flags & MS_NODEV) return -Errno.EACCES;
  if (type !== S_IFCHR) return -Errno.ENXIO; // block devices have no driver here
  return openDevice(st.rdev, flags, host, { path: pathOf(loc, root), stat: () => loc.dentry.inode.stat() });
}
