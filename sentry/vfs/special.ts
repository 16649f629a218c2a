// Opening special files found in the file tree: character devices by their device number (so a
// node made by mknod opens the same device as /dev's), FIFOs and sockets.

import { Errno } from '../abi/errno.js';
import { MS_NODEV, type Location } from './dentry.js';
import { DeviceFile, type DeviceKind } from './devices.js';
import type { FileDescription } from './file.js';
import { S_IFCHR, S_IFIFO, S_IFMT, type Stat } from './stat.js';

const MEM_DEVICES: Record<number, DeviceKind> = { 3: 'null', 5: 'zero', 7: 'full', 8: 'random', 9: 'urandom' };

export interface SpecialHost {
  randomBytes(n: number): Uint8Array;
  logOnce(key: string, line: string): void;
}

export function openSpecial(host: SpecialHost, loc: Location, st: Stat, flags: number): FileDescription | number {
  const type = st.mode & S_IFMT;
  if (type === S_IFIFO) {
    host.logOnce('fifo-open', 'warning: opening a FIFO is not implemented yet (pipes arrive with processes): ENOSYS');
    return -Errno.ENOSYS;
  }
  if (loc.mount.flags & MS_NODEV) return -Errno.EACCES;
  if (type !== S_IFCHR) return -Errno.ENXIO;
  const major = Math.floor(st.rdev / 256) & 0xfff, minor = (st.rdev & 0xff) | ((st.rdev >> 12) & 0xfff00);
  const kind = major === 1 ? MEM_DEVICES[minor] : undefined;
  if (kind === undefined) return -Errno.ENXIO;
  return new DeviceFile(kind, flags, (n) => host.randomBytes(n));
}
