// Opening special files found in the file tree: character devices by their device number (so a
// node made by mknod opens the same device as /dev's, sentry/vfs/fs/devfs.ts), FIFOs and sockets.

import { Errno } from '../abi/errno.js';
import { MS_NODEV, pathOf, type Location } from './dentry.js';
import type { FileDescription } from './file.js';
import { openDevice, type DeviceHost } from './fs/devfs.js';
import { S_IFCHR, S_IFIFO, S_IFMT, type Stat } from './stat.js';

export type SpecialHost = DeviceHost;

export async function openSpecial(host: SpecialHost, loc: Location, st: Stat, flags: number, root: Location): Promise<FileDescription | number> {
  const type = st.mode & S_IFMT;
  if (type === S_IFIFO) {
    host.logOnce('fifo-open', 'warning: opening a FIFO is not implemented yet (pipes arrive with processes): ENOSYS');
    return -Errno.ENOSYS;
  }
  if (loc.mount.flags & MS_NODEV) return -Errno.EACCES;
  if (type !== S_IFCHR) return -Errno.ENXIO; // block devices have no driver here
  return openDevice(st.rdev, flags, host, { path: pathOf(loc, root), stat: () => loc.dentry.inode.stat() });
}
