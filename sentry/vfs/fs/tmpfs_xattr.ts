// Extended attributes of one tmpfs inode (Linux's simple_xattr list behind shmem's handlers):
// the namespaces tmpfs accepts, the name and value limits of xattr(7), XATTR_CREATE/REPLACE.
// Who may read or write which namespace is the VFS's check (trusted.* needs CAP_SYS_ADMIN).

import { Errno } from '../../abi/errno.js';

export const XATTR_CREATE = 1, XATTR_REPLACE = 2;
/** Longest name and largest value (include/uapi/linux/limits.h). */
export const XATTR_NAME_MAX = 255, XATTR_SIZE_MAX = 65536;

const NAMESPACES = ['user.', 'trusted.', 'security.'];
const USER_PREFIX = 'user.';

const enc = new TextEncoder();

/**
 * Checks a name: -ERANGE when empty or too long, -EOPNOTSUPP for a namespace tmpfs does not keep,
 * -EINVAL for a bare prefix ("user."), else 0.
 */
export function checkXattrName(name: string): number {
  if (name === '' || enc.encode(name).length > XATTR_NAME_MAX) return -Errno.ERANGE;
  const prefix = NAMESPACES.find((p) => name.startsWith(p));
  if (prefix === undefined) return -Errno.EOPNOTSUPP;
  return name.length === prefix.length ? -Errno.EINVAL : 0;
}

export function isUserXattr(name: string): boolean { return name.startsWith(USER_PREFIX); }

export class Xattrs {
  private readonly values = new Map<string, Uint8Array>();

  /**
   * `userAllowed`: whether the inode may carry user.* attributes; Linux keeps them to regular
   * files and directories (xattr_permission), answering ENODATA to reads and EPERM to writes.
   */
  constructor(private readonly userAllowed: boolean) {}

  get(name: string): Uint8Array | number {
    const bad = checkXattrName(name);
    if (bad) return bad;
    const value = this.values.get(name);
    return value ? value.slice() : -Errno.ENODATA;
  }

  /** Returns -errno, or 0 when stored (the caller updates ctime). */
  set(name: string, value: Uint8Array, flags: number): number {
    const bad = checkXattrName(name);
    if (bad) return bad;
    if (flags & ~(XATTR_CREATE | XATTR_REPLACE)) return -Errno.EINVAL;
    if (value.length > XATTR_SIZE_MAX) return -Errno.E2BIG;
    if (!this.userAllowed && isUserXattr(name)) return -Errno.EPERM;
    const exists = this.values.has(name);
    if (exists && (flags & XATTR_CREATE)) return -Errno.EEXIST;
    if (!exists && (flags & XATTR_REPLACE)) return -Errno.ENODATA;
    this.values.set(name, value.slice());
    return 0;
  }

  list(): string[] { return [...this.values.keys()]; }

  remove(name: string): number {
    const bad = checkXattrName(name);
    if (bad) return bad;
    if (!this.userAllowed && isUserXattr(name)) return -Errno.EPERM;
    return this.values.delete(name) ? 0 : -Errno.ENODATA;
  }
}
