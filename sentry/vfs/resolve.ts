// Path resolution inside the sandbox (Linux path_resolution(7), gVisor vfs resolving_path.go):
// one component at a time from the root or a starting directory, with search permission on
// every directory crossed, `..` that never climbs above the task's root and crosses mounts,
// symlinks followed inside the sandbox (at most 40 per lookup), and Linux's errors.

import { Errno } from '../abi/errno.js';
import { Dentry, mountedAt, type Location } from './dentry.js';
import type { FsCreds, Inode } from './inode.js';
import { mayAccess, X_OK } from './permissions.js';

export const PATH_MAX = 4096, NAME_MAX = 255, MAX_SYMLINKS = 40;

/** Where and as whom a lookup runs. */
export interface ResolveContext {
  root: Location;
  creds: FsCreds;
}

const enc = new TextEncoder();

/** Path components, with "" components (repeated slashes) dropped. */
function split(path: string): string[] {
  return path.split('/').filter((c) => c !== '');
}

/** Longer than NAME_MAX bytes in UTF-8 (at most 3 bytes per UTF-16 unit: short names are fine). */
function nameTooLong(name: string): boolean {
  return name.length > NAME_MAX / 3 && enc.encode(name).length > NAME_MAX;
}

/** Checks a path argument's length (and emptiness): 0 or -errno. */
export function checkPath(path: string): number {
  if (path === '') return -Errno.ENOENT;
  if (path.length >= PATH_MAX / 3 && enc.encode(path).length >= PATH_MAX) return -Errno.ENAMETOOLONG;
  return 0;
}

/** The child `name` of directory `dir` (cached or looked up), with mounts on it followed. */
export async function child(dir: Location, name: string): Promise<Location | number> {
  const d = await dir.dentry.child(name);
  return typeof d === 'number' ? d : mountedAt({ mount: dir.mount, dentry: d });
}

/** `..` of `dir`: the task's root stays put; a mount's root goes up through its mountpoint. */
export function parentOf(dir: Location, root: Location): Location {
  let { mount, dentry } = dir;
  for (;;) {
    if (mount === root.mount && dentry === root.dentry) return { mount, dentry };
    if (dentry !== mount.root) break;
    if (mount.parent === null) return { mount, dentry };
    ({ mount, dentry } = mount.parent);
  }
  const up: Dentry = dentry.parent ?? dentry;
  return mountedAt({ mount, dentry: up });
}

async function searchable(ctx: ResolveContext, dir: Inode): Promise<number> {
  const st = await dir.stat();
  if (typeof st === 'number') return st;
  return mayAccess(ctx.creds, st, X_OK) ? 0 : -Errno.EACCES;
}

/** One step of a walk: "." and ".." handled here, names through the filesystem. */
async function step(ctx: ResolveContext, dir: Location, name: string): Promise<Location | number> {
  if (!dir.dentry.inode.isDir) return -Errno.ENOTDIR;
  const perm = await searchable(ctx, dir.dentry.inode);
  if (perm < 0) return perm;
  if (name === '.') return dir;
  if (name === '..') return parentOf(dir, ctx.root);
  if (nameTooLong(name)) return -Errno.ENAMETOOLONG;
  return child(dir, name);
}

export interface Walk {
  /** Follow a symlink in the last component. */
  follow: boolean;
  /** Stop before the last component and return it by name (creating and removing calls). */
  parent?: boolean;
}

/** The result of a walk that stopped at the parent: where, and the last name ("" for "/"). */
export interface ParentAndName {
  dir: Location;
  name: string;
  /** The path ended with "/" (the last component must be a directory). */
  trailingSlash: boolean;
}

/** Resolves `path` from `start` (or the root, for an absolute path) to the location it names. */
export async function resolve(ctx: ResolveContext, start: Location, path: string, follow: boolean): Promise<Location | number> {
  const r = await walk(ctx, start, path, { follow });
  return typeof r === 'number' ? r : (r as Location);
}

/** Resolves all of `path` but its last component (which is returned by name). */
export async function resolveParent(ctx: ResolveContext, start: Location, path: string): Promise<ParentAndName | number> {
  const r = await walk(ctx, start, path, { follow: false, parent: true });
  return typeof r === 'number' ? r : (r as ParentAndName);
}

async function walk(ctx: ResolveContext, start: Location, path: string, how: Walk): Promise<Location | ParentAndName | number> {
  const bad = checkPath(path);
  if (bad < 0) return bad;
  let cur = path.startsWith('/') ? ctx.root : start;
  let comps = split(path);
  let trailingSlash = path.endsWith('/');
  let links = 0;
  for (let i = 0; i < comps.length; i++) {
    const name = comps[i];
    const last = i === comps.length - 1;
    if (last && how.parent) {
      if (!cur.dentry.inode.isDir) return -Errno.ENOTDIR;
      if (nameTooLong(name)) return -Errno.ENAMETOOLONG;
      return { dir: cur, name, trailingSlash };
    }
    const next = await step(ctx, cur, name);
    if (typeof next === 'number') return next;
    if (next.dentry.inode.isSymlink && (!last || how.follow || trailingSlash)) {
      if (++links > MAX_SYMLINKS) return -Errno.ELOOP;
      const jumped = await next.dentry.inode.jump(); // a procfs magic link: straight to its object
      if (typeof jumped === 'number') return jumped;
      if (jumped !== null) { cur = jumped; continue; }
      const target = await next.dentry.inode.readlink();
      if (typeof target === 'number') return target;
      if (target === '') return -Errno.ENOENT;
      if (target.startsWith('/')) cur = ctx.root;
      if (last && target.endsWith('/')) trailingSlash = true;
      comps = [...split(target), ...comps.slice(i + 1)];
      i = -1;
      if (comps.length === 0) { // the link named "/" (or only slashes)
        if (how.parent) return { dir: cur, name: '', trailingSlash };
        break;
      }
      continue;
    }
    cur = next;
  }
  if (how.parent) return { dir: cur, name: '', trailingSlash }; // "/" or only dots resolved away
  if (trailingSlash && !cur.dentry.inode.isDir) return -Errno.ENOTDIR;
  return cur;
}
