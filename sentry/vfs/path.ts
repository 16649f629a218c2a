// The *at() conventions: AT_FDCWD and the AT_ flags (include/uapi/linux/fcntl.h). Resolution
// itself is sentry/vfs/resolve.ts.

export const AT_FDCWD = -100;
export const AT_SYMLINK_NOFOLLOW = 0x100, AT_REMOVEDIR = 0x200, AT_SYMLINK_FOLLOW = 0x400, AT_EACCESS = 0x200,
  AT_NO_AUTOMOUNT = 0x800, AT_EMPTY_PATH = 0x1000;
