// The file tree a sandbox starts with, as `runsc do` builds it: the host's root, read-only,
// under a writable tmpfs overlay (writes never reach the host), devfs at /dev and a tmpfs at
// /dev/shm. The kernel adds procfs and sysfs over /proc and /sys (Kernel.mountSystemFilesystems),
// hiding the host's.

import { Errno } from '../abi/errno.js';
import type { HostFs } from '../host.js';
import { Mount, MountNamespace, MS_NODEV, MS_NOSUID, type Location } from './dentry.js';
import { HostLowerFs } from './fs/hostfs.js';
import { OverlayFs } from './fs/overlay.js';
import { DevFs } from './fs/devfs.js';
import { TmpFs } from './fs/tmpfs.js';
import type { Filesystem, FsCreds } from './inode.js';
import { resolve } from './resolve.js';
import type { Timespec } from './stat.js';

/** Root with every capability: the tree is built before any guest process exists. */
const BUILDER: FsCreds = { fsuid: 0, fsgid: 0, groups: [], caps: 2 ** 41 - 1 };

/** Device numbers for the sandbox's filesystems (anonymous devices 0:N, as Linux numbers them). */
let nextDev = 0x20;
export function anonDev(): number { return nextDev++; }

export interface TreeOptions {
  host: HostFs;
  now: () => Timespec;
}

/** Builds the tree; -errno when the host root cannot be read. */
export async function buildSandboxTree(opts: TreeOptions): Promise<MountNamespace | number> {
  const lower = await HostLowerFs.create(opts.host, anonDev());
  if (typeof lower === 'number') return lower;
  const upper = new TmpFs({ dev: anonDev(), now: opts.now, rootMode: 0o755 });
  // The upper root stands for the host's root: it shows the host root's owner, mode and times.
  const rootStat = await lower.root.stat();
  if (typeof rootStat === 'number') return rootStat;
  await upper.root.setattr({ mode: rootStat.mode & 0o7777, uid: rootStat.uid, gid: rootStat.gid, atime: rootStat.atime, mtime: rootStat.mtime });
  const ns = new MountNamespace(new Mount(new OverlayFs(upper, lower, anonDev()), null, 0, 'overlay'));

  const dev = await mountOn(ns, '/dev', new DevFs({ dev: anonDev(), now: opts.now }), MS_NOSUID, 'tmpfs');
  if (typeof dev === 'number') return dev;
  const shm = await mountOn(ns, '/dev/shm', new TmpFs({ dev: anonDev(), now: opts.now, rootMode: 0o1777 }), MS_NOSUID | MS_NODEV, 'tmpfs');
  if (typeof shm === 'number') return shm;
  return ns;
}

/** Mounts `fs` on the directory at `path` (made if missing). */
export async function mountOn(ns: MountNamespace, path: string, fs: Filesystem, flags: number, source: string): Promise<Mount | number> {
  const ctx = { root: ns.rootLocation, creds: BUILDER };
  let at: Location | number = await resolve(ctx, ns.rootLocation, path, true);
  if (at === -Errno.ENOENT) {
    const parent = await resolve(ctx, ns.rootLocation, path.slice(0, path.lastIndexOf('/')) || '/', true);
    if (typeof parent === 'number') return parent;
    const made = await parent.dentry.inode.mkdir(path.slice(path.lastIndexOf('/') + 1), 0o755, BUILDER);
    if (typeof made === 'number') return made;
    at = await resolve(ctx, ns.rootLocation, path, true);
  }
  if (typeof at === 'number') return at;
  if (!at.dentry.inode.isDir) return -Errno.ENOTDIR;
  return ns.mount(fs, at, flags, source);
}
