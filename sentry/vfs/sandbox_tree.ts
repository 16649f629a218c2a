// The file tree a sandbox starts with, as `runsc do` builds it: the root the Gofer serves (the
// host's, or --rootfs), read-only, under a writable tmpfs overlay (writes never reach the host),
// devfs at /dev, a tmpfs at /dev/shm, and the volumes: Gofer mounts of their own, writable or
// read-only, grafted where the guest asked. The kernel adds procfs and sysfs over /proc and /sys
// (Kernel.mountSystemFilesystems), hiding the root's.

import type { GoferClient } from '../../gofer/client.js';
import { Errno } from '../abi/errno.js';
import { Mount, MountNamespace, MS_NODEV, MS_NOSUID, MS_RDONLY, type Location } from './dentry.js';
import { GoferFs } from './fs/goferfs.js';
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

/** A host directory or file bound into the sandbox, served by the Gofer as mount `name`. */
export interface VolumeSpec {
  /** The Gofer's mount name. */
  name: string;
  /** Where the guest sees it (absolute, normalized, not "/"). */
  guest: string;
  readOnly: boolean;
}

export interface TreeOptions {
  client: GoferClient;
  /** The Gofer's mount that serves the root (read-only: the overlay takes the writes). */
  rootMount: string;
  volumes?: readonly VolumeSpec[];
  now: () => Timespec;
}

/** Why the tree could not be built: an errno and what was being done. */
export interface TreeError { errno: number; what: string }

/** Builds the tree; a TreeError when the root or a volume cannot be mounted. */
export async function buildSandboxTree(opts: TreeOptions): Promise<MountNamespace | TreeError> {
  const lower = await GoferFs.mount(opts.client, opts.rootMount, { dev: anonDev(), readOnly: true });
  if (typeof lower === 'number') return { errno: -lower, what: 'attaching to the root' };
  if (!lower.root.isDir) return { errno: Errno.ENOTDIR, what: 'attaching to the root' };
  const upper = new TmpFs({ dev: anonDev(), now: opts.now, rootMode: 0o755 });
  // The upper root stands for the lower root: it shows its owner, mode and times.
  const rootStat = await lower.root.stat();
  if (typeof rootStat === 'number') return { errno: -rootStat, what: 'reading the root' };
  await upper.root.setattr({ mode: rootStat.mode & 0o7777, uid: rootStat.uid, gid: rootStat.gid, atime: rootStat.atime, mtime: rootStat.mtime });
  const ns = new MountNamespace(new Mount(new OverlayFs(upper, lower, anonDev()), null, 0, 'overlay'));

  const dev = await mountOn(ns, '/dev', new DevFs({ dev: anonDev(), now: opts.now }), MS_NOSUID, 'tmpfs');
  if (typeof dev === 'number') return { errno: -dev, what: 'mounting /dev' };
  const shm = await mountOn(ns, '/dev/shm', new TmpFs({ dev: anonDev(), now: opts.now, rootMode: 0o1777 }), MS_NOSUID | MS_NODEV, 'tmpfs');
  if (typeof shm === 'number') return { errno: -shm, what: 'mounting /dev/shm' };
  // Outer volumes first, so that one inside another lands in it.
  const volumes = [...(opts.volumes ?? [])].sort((a, b) => depth(a.guest) - depth(b.guest));
  for (const v of volumes) {
    const r = await mountVolume(ns, opts.client, v, opts.now);
    if (typeof r === 'number') return { errno: -r, what: `mounting the volume at ${v.guest}` };
  }
  return ns;
}

function depth(path: string): number { return path.split('/').filter(Boolean).length; }

/** Mounts the Gofer's mount `v.name` at `v.guest`, making the mount point (and its parents) if missing. */
export async function mountVolume(ns: MountNamespace, client: GoferClient, v: VolumeSpec, now: () => Timespec): Promise<Mount | number> {
  const fs = await GoferFs.mount(client, v.name, { dev: anonDev(), readOnly: v.readOnly, now });
  if (typeof fs === 'number') return fs;
  const at = await mountPoint(ns, v.guest, fs.root.isDir);
  if (typeof at === 'number') return at;
  return ns.mount(fs, at, v.readOnly ? MS_RDONLY : 0, 'none');
}

/** The directory (or, for a file volume, the file) at `path`, made if missing, parents included. */
async function mountPoint(ns: MountNamespace, path: string, isDir: boolean): Promise<Location | number> {
  const ctx = { root: ns.rootLocation, creds: BUILDER };
  let cur = ns.rootLocation;
  const names = path.split('/').filter(Boolean);
  for (let i = 0; i < names.length; i++) {
    const last = i === names.length - 1;
    let next: Location | number = await resolve(ctx, cur, names[i], true);
    if (next === -Errno.ENOENT) {
      const inode = cur.dentry.inode;
      const made = last && !isDir ? await inode.create(names[i], 0o644, BUILDER) : await inode.mkdir(names[i], 0o755, BUILDER);
      if (typeof made === 'number') return made;
      next = await resolve(ctx, cur, names[i], true);
    }
    if (typeof next === 'number') return next;
    const want = last ? isDir : true;
    if (next.dentry.inode.isDir !== want) return want ? -Errno.ENOTDIR : -Errno.EISDIR;
    cur = next;
  }
  return cur;
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
