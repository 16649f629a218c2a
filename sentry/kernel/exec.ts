// execve (Linux fs/exec.c, binfmt_script.c, binfmt_elf.c): find the program, follow `#!`
// interpreter lines, load the ELF into a new address space, and only then, at the point of no
// return, replace the task's image. A failure before that point leaves the caller as it was and
// returns -errno; after it nothing can fail.

import { Errno, errnoName } from '../abi/errno.js';
import { Gpr } from '../../platform/platform.js';
import { LoadError, loadProgram, parseProgram, type ElfFile, type ExecArgs, type LoadedProgram } from '../loader/loader.js';
import { PAGE_SIZE } from '../mm/mappable.js';
import type { MemoryManager } from '../mm/mm.js';
import { MS_NOEXEC, pathOf, type Location } from '../vfs/dentry.js';
import { mayAccess, X_OK } from '../vfs/permissions.js';
import { S_IFMT, S_IFREG } from '../vfs/stat.js';
import { AT_FDCWD } from '../vfs/path.js';
import { lookupAt, type Caller } from '../vfs/vfs.js';
import type { Kernel } from './kernel.js';
import { endOtherThreads, notePeakRss, releaseMemory } from './exit.js';
import { SignalHandlers, type Credentials, type Task } from './task.js';

/** The first bytes of a file, where `#!` lines are looked for (BINPRM_BUF_SIZE). */
const HEAD_SIZE = 256;
/** Interpreters of interpreters Linux follows before ELOOP. */
const MAX_INTERP_DEPTH = 5;
/** The largest program file read whole (an executable or its ELF interpreter). */
export const MAX_EXECUTABLE = 256 << 20;
const SIG_IGN = 1;

export interface ExecImage {
  mm: MemoryManager;
  loaded: LoadedProgram;
  /** The ELF file that runs (for a script, its interpreter), for /proc/PID/exe. */
  exe: Location;
  /** argv after `#!` lines rewrote it. */
  argv: Uint8Array[];
}

/** Why a program cannot run: the errno for execve, and a message for runts and the log. */
export class ExecFailure {
  constructor(readonly errno: number, readonly message: string) {}
}

/**
 * Loads the program at `path` (relative to `dirfd`, or `at` when given: execveat's AT_EMPTY_PATH)
 * into a new memory manager. Nothing of the caller changes.
 */
export async function loadExecutable(k: Kernel, c: Caller, creds: Credentials, dirfd: number, path: string, follow: boolean,
  argv: Uint8Array[], envp: Uint8Array[], at?: Location): Promise<ExecImage | ExecFailure> {
  const image = await findAndLoad(k, c, creds, dirfd, path, follow, argv, envp, at);
  return typeof image === 'number' ? new ExecFailure(-image, `${path}: ${errnoName(-image)}`) : image;
}

async function findAndLoad(k: Kernel, c: Caller, creds: Credentials, dirfd: number, path: string, follow: boolean,
  argv: Uint8Array[], envp: Uint8Array[], at?: Location): Promise<ExecImage | ExecFailure | number> {
  const filename = new TextEncoder().encode(path);
  for (let depth = 0; ; depth++) {
    if (depth > MAX_INTERP_DEPTH) return -Errno.ELOOP;
    const loc = at ?? await lookupAt(c, dirfd, path, follow);
    at = undefined;
    if (typeof loc === 'number') return loc;
    if (loc.dentry.inode.isSymlink) return -Errno.ELOOP; // AT_SYMLINK_NOFOLLOW
    const checked = await checkExecutable(c, loc);
    if (checked < 0) return checked;
    const head = new Uint8Array(HEAD_SIZE);
    const n = await loc.dentry.inode.read(head, 0);
    if (n < 0) return n;
    if (n >= 2 && head[0] === 0x23 && head[1] === 0x21) { // "#!"
      const line = parseShebang(head.subarray(0, n));
      if (typeof line === 'number') return line;
      // argv[0] gives way to the interpreter, its argument, and the name the script was found by.
      const scriptName = depth === 0 ? filename : new TextEncoder().encode(path);
      argv = [line.interp, ...(line.arg ? [line.arg] : []), scriptName, ...argv.slice(1)];
      path = new TextDecoder().decode(line.interp);
      dirfd = -100; // AT_FDCWD: an interpreter is found from the working directory
      follow = true;
      continue;
    }
    const file = await readImage(k, loc);
    if (typeof file === 'number') return file;
    return loadElf(k, c, creds, file, filename, argv, envp, loc);
  }
}

/** Execute permission as exec checks it: a regular file, on a mount that allows exec, with an x bit. */
async function checkExecutable(c: Caller, loc: Location): Promise<number> {
  const st = await loc.dentry.inode.stat();
  if (typeof st === 'number') return st;
  if ((st.mode & S_IFMT) !== S_IFREG || (loc.mount.flags & MS_NOEXEC)) return -Errno.EACCES;
  return mayAccess(c.creds, st, X_OK) ? 0 : -Errno.EACCES;
}

/**
 * The interpreter and its optional single argument from a `#!` line (binfmt_script): blanks
 * separate them, the argument runs to the end of the line with trailing blanks cut. ENOEXEC for
 * an empty interpreter or one cut off by the 256-byte limit.
 */
export function parseShebang(head: Uint8Array): { interp: Uint8Array; arg: Uint8Array | null } | number {
  const blank = (b: number) => b === 0x20 || b === 0x09;
  let end = head.indexOf(0x0a);
  const complete = end >= 0;
  if (!complete) end = head.length;
  let i = 2;
  while (i < end && blank(head[i])) i++;
  const start = i;
  while (i < end && !blank(head[i]) && head[i] !== 0) i++;
  if (i === start) return -Errno.ENOEXEC;
  if (!complete && i === end) return -Errno.ENOEXEC; // the interpreter's name may go on past the buffer
  const interp = head.slice(start, i);
  while (i < end && blank(head[i])) i++;
  let argEnd = end;
  while (argEnd > i && (blank(head[argEnd - 1]) || head[argEnd - 1] === 0)) argEnd--;
  const nul = head.subarray(i, argEnd).indexOf(0);
  if (nul >= 0) argEnd = i + nul;
  return { interp, arg: argEnd > i ? head.slice(i, argEnd) : null };
}

/**
 * An executable's bytes, and where its segments can be mapped from: a file whose inode lends its
 * pages (the host layer's page cache, tmpfs) is read through them, so a program run again costs
 * no Gofer read and every process maps the same frames (with the code already decoded).
 */
async function readImage(k: Kernel, loc: Location): Promise<ElfFile | number> {
  const inode = loc.dentry.inode;
  const st = await inode.stat();
  if (typeof st === 'number') return st;
  if (st.size > MAX_EXECUTABLE) return -Errno.ENOMEM;
  const bytes = new Uint8Array(st.size);
  const pages = Math.ceil(st.size / PAGE_SIZE);
  const mappable = inode.mappable(k.pageMemory);
  if (mappable && (await mappable.prepare(0, pages)) === 0) {
    let whole = true;
    for (let i = 0; i < pages && whole; i++) {
      const f = mappable.frameAt(i);
      if (f < 0) { whole = false; break; }
      bytes.set(k.pageMemory.bytes(f).subarray(0, Math.min(PAGE_SIZE, st.size - i * PAGE_SIZE)), i * PAGE_SIZE);
      k.frames.decRef(f); // frameAt's reference was for a mapping; we only looked
    }
    if (whole) return { bytes, source: { mappable, dev: st.dev, ino: st.ino, name: pathOf(loc, k.rootLocation) } };
  }
  for (let off = 0; off < bytes.length;) {
    const n = await inode.read(bytes.subarray(off), off);
    if (n < 0) return n;
    if (n === 0) return { bytes: bytes.subarray(0, off), source: null };
    off += n;
  }
  return { bytes, source: null };
}

/** The ELF interpreter a program names (PT_INTERP), found from the root as Linux's open_exec does. */
async function readInterpreter(k: Kernel, c: Caller, path: string): Promise<ElfFile> {
  const loc = await lookupAt({ ...c, cwd: c.root }, AT_FDCWD, path, true);
  if (typeof loc === 'number') throw new LoadError(`cannot open ${path}: ${errnoName(-loc)}`, -loc);
  const st = await loc.dentry.inode.stat();
  if (typeof st === 'number') throw new LoadError(`cannot stat ${path}: ${errnoName(-st)}`, -st);
  if ((st.mode & S_IFMT) !== S_IFREG) throw new LoadError(`${path} is not a regular file`, Errno.EACCES);
  if (st.size > MAX_EXECUTABLE) throw new LoadError(`${path} is too large (${st.size} bytes)`, Errno.ENOEXEC);
  const file = await readImage(k, loc);
  if (typeof file === 'number') throw new LoadError(`cannot read ${path}: ${errnoName(-file)}`, -file);
  return file;
}

async function loadElf(k: Kernel, c: Caller, creds: Credentials, file: ElfFile, execfn: Uint8Array, argv: Uint8Array[], envp: Uint8Array[], exe: Location): Promise<ExecImage | ExecFailure> {
  const args: ExecArgs = {
    argv, envp, execfn,
    uid: creds.uid, euid: creds.euid, gid: creds.gid, egid: creds.egid,
    random16: k.host.randomBytes(16),
    hwcap: k.options.hwcap,
  };
  const mm = k.newMemoryManager();
  try {
    const interpPath = parseProgram(file.bytes).interp;
    const interp = interpPath === null ? null : await readInterpreter(k, c, interpPath);
    return { mm, loaded: loadProgram(mm, file, args, interp), exe, argv };
  } catch (e) {
    mm.release();
    if (e instanceof LoadError) return new ExecFailure(e.errno, e.message);
    throw e;
  }
}

/**
 * The point of no return: `t` becomes the loaded program. Close-on-exec fds close, caught
 * signals go back to their default action (ignored ones stay ignored).
 */
export function commitExec(k: Kernel, t: Task, image: ExecImage, filename: string, envp: Uint8Array[]): void {
  endOtherThreads(k, t);
  notePeakRss(t.tg, t);
  releaseMemory(k, t);
  t.mm.drop();
  t.mm = image.mm;
  // A vfork parent waits for this moment: we no longer use its memory.
  t.vforkDone?.();
  t.vforkDone = null;
  // An fd table shared with another process (CLONE_FILES) is copied (unshare_files).
  if (t.fds.shared) { const own = t.fds.fork(); t.fds.drop(); t.fds = own; }
  for (const fd of t.fds.fds()) if (t.fds.getCloexec(fd)) t.fds.close(fd);
  const handlers = new SignalHandlers();
  t.tg.handlers.actions.forEach((a, sig) => { if (a.handler === SIG_IGN) handlers.actions[sig].handler = SIG_IGN; });
  t.tg.handlers = handlers;
  t.tg.didExec = true;
  // POSIX timers end at exec (exit_itimers); alarm and setitimer's timers go on.
  t.tg.posixTimers?.deleteAll();
  installImage(t, image, filename, envp);
}

/** Starts `t` at the image's entry point; the command name becomes the file's base name. */
export function installImage(t: Task, image: ExecImage, filename: string, envp: Uint8Array[]): void {
  t.tg.comm = filename.split('/').pop()!.slice(0, 15);
  const mm = image.mm;
  mm.exe = image.exe;
  mm.exePath = filename;
  mm.cmdline = joinNul(image.argv);
  mm.environ = joinNul(envp);
  t.regs.reset();
  t.regs.rip = image.loaded.entry;
  t.regs.setNumber(Gpr.RSP, image.loaded.sp);
}

function joinNul(list: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(list.reduce((n, s) => n + s.length + 1, 0));
  let at = 0;
  for (const s of list) { out.set(s, at); at += s.length + 1; }
  return out;
}
