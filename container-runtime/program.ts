// Finding the program `runts do` runs (the kernel then loads it as execve would), in the sandbox's own file tree (through the
// VFS, so in --rootfs and the volumes, with the guest's permissions), never on the host.

import { posix } from 'node:path';
import { AT_FDCWD } from '../sentry/vfs/path.js';
import { S_IFMT, S_IFREG } from '../sentry/vfs/stat.js';
import { accessAt, statAt, type Caller } from '../sentry/vfs/vfs.js';

const X_OK = 1;

/** Is `path` a regular file the caller may execute? */
async function isExecutable(c: Caller, path: string): Promise<boolean> {
  const st = await statAt(c, AT_FDCWD, path, 0);
  return typeof st !== 'number' && (st.mode & S_IFMT) === S_IFREG && (await accessAt(c, c.creds, AT_FDCWD, path, X_OK, 0)) === 0;
}

/**
 * Finds `prog` as a shell would: a path if it has a slash (relative to `cwd`), else the first
 * executable regular file in `searchPath`. Returns an absolute path in the sandbox, or null.
 */
export async function findProgram(c: Caller, prog: string, cwd: string, searchPath: string): Promise<string | null> {
  if (prog.includes('/')) {
    const p = posix.resolve(cwd, prog);
    return (await isExecutable(c, p)) ? p : null;
  }
  for (const dir of searchPath.split(':')) {
    const p = posix.resolve(cwd, dir || '.', prog);
    if (await isExecutable(c, p)) return p;
  }
  return null;
}

/** Whether `path` names a regular file (for telling "cannot run" from "missing"). */
export async function isRegularFile(c: Caller, path: string): Promise<boolean> {
  const st = await statAt(c, AT_FDCWD, path, 0);
  return typeof st !== 'number' && (st.mode & S_IFMT) === S_IFREG;
}
