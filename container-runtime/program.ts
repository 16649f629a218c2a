// Finding and reading the program `runts do` runs, in the sandbox's own file tree (through the
// VFS, so in --rootfs and the volumes, with the guest's permissions), never on the host.

import { posix } from 'node:path';
import { Errno, errnoName } from '../sentry/abi/errno.js';
import { O_RDONLY } from '../sentry/vfs/file.js';
import { AT_FDCWD } from '../sentry/vfs/path.js';
import { S_IFMT, S_IFREG } from '../sentry/vfs/stat.js';
import { accessAt, openAt, statAt, type Caller } from '../sentry/vfs/vfs.js';

/** The largest program file read into the sandbox. */
const MAX_PROGRAM = 256 << 20;
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

/** Reads a whole program file; an error message on failure. */
export async function readProgram(c: Caller, path: string): Promise<Uint8Array | string> {
  const f = await openAt(c, AT_FDCWD, path, O_RDONLY, 0, () => -Errno.EACCES);
  if (typeof f === 'number') return `cannot open: ${errnoName(-f)}`;
  try {
    const st = await f.stat();
    if (typeof st === 'number') return `cannot stat: ${errnoName(-st)}`;
    if (st.size > MAX_PROGRAM) return `too large (${st.size} bytes)`;
    const buf = new Uint8Array(st.size);
    let off = 0;
    while (off < buf.length) {
      const n = await f.read(buf.subarray(off), off);
      if (n < 0) return `cannot read: ${errnoName(-n)}`;
      if (n === 0) break;
      off += n;
    }
    return buf.subarray(0, off);
  } finally { f.release(); }
}
