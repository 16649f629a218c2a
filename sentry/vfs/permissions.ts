// Permission checks on inodes (Linux generic_permission): the owner, group or other class of the
// mode bits, overridden by CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH as for a root process.

import { CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER, hasCap, type FsCreds } from './inode.js';
import { S_IFDIR, S_IFMT, type Stat } from './stat.js';

export const R_OK = 4, W_OK = 2, X_OK = 1;

export function inGroup(c: FsCreds, gid: number): boolean {
  return c.fsgid === gid || c.groups.includes(gid);
}

/** May `c` access a file with attributes `st` for `mask` (R_OK | W_OK | X_OK)? */
export function mayAccess(c: FsCreds, st: Pick<Stat, 'mode' | 'uid' | 'gid'>, mask: number): boolean {
  const isDir = (st.mode & S_IFMT) === S_IFDIR;
  const bits = c.fsuid === st.uid ? st.mode >> 6 : inGroup(c, st.gid) ? st.mode >> 3 : st.mode;
  if ((bits & mask & 7) === (mask & 7)) return true;
  if (hasCap(c, CAP_DAC_OVERRIDE)) {
    // Even root may execute only what someone may execute; directories are always searchable.
    return !(mask & X_OK) || isDir || (st.mode & 0o111) !== 0;
  }
  if (hasCap(c, CAP_DAC_READ_SEARCH)) {
    if (!(mask & W_OK) && (isDir || !(mask & X_OK))) return true;
  }
  return false;
}

/** Owner-only operations (chmod, utimes with explicit times): the owner or CAP_FOWNER. */
export function isOwner(c: FsCreds, st: Pick<Stat, 'uid'>): boolean {
  return c.fsuid === st.uid || hasCap(c, CAP_FOWNER);
}

/** The sticky-bit rule for removing or replacing `child` in `dir` (Linux check_sticky). */
export function stickyAllows(c: FsCreds, dir: Pick<Stat, 'mode' | 'uid'>, child: Pick<Stat, 'uid'>): boolean {
  if (!(dir.mode & 0o1000)) return true;
  return c.fsuid === child.uid || c.fsuid === dir.uid || hasCap(c, CAP_FOWNER);
}
