// mmap, munmap, mprotect, mremap, msync, brk, madvise (gVisor sys_mmap.go). A file whose inode
// lends its pages (tmpfs, the read-only host layer's page cache) is mapped frame for frame:
// MAP_SHARED stores are the file's data, MAP_PRIVATE pages are copied on their first write.
// Other files are read into private memory, and MAP_SHARED of them is ENODEV.

import { Errno } from '../abi/errno.js';
import type { Kernel } from '../kernel/kernel.js';
import type { Task } from '../kernel/task.js';
import { MAP_ANONYMOUS, MAP_FIXED, MAP_PRIVATE, MAP_SHARED, PROT_WRITE, pageAlignUp } from '../mm/mm.js';
import { O_ACCMODE, O_PATH, O_RDWR, O_WRONLY, type FileDescription } from '../vfs/file.js';
import { S_IFMT, S_IFREG } from '../vfs/stat.js';
import type { SyscallResult } from './handler.js';

const MAP_SHARED_VALIDATE = 0x03;
const PAGE_SIZE = 4096;

export async function sys_mmap(t: Task, k: Kernel): Promise<number> {
  const addr = t.arg(0), length = t.arg(1), prot = t.argInt(2), flags = t.argInt(3), fd = t.argInt(4), offset = t.argSigned(5);
  if (length === 0) return -Errno.EINVAL;
  if (addr % PAGE_SIZE !== 0 && (flags & MAP_FIXED)) return -Errno.EINVAL;
  const type = flags & MAP_SHARED_VALIDATE;
  if (type !== MAP_SHARED && type !== MAP_PRIVATE && type !== MAP_SHARED_VALIDATE) return -Errno.EINVAL;
  const mapFlags = flags & ~MAP_SHARED_VALIDATE | (type === MAP_PRIVATE ? MAP_PRIVATE : MAP_SHARED);
  if (flags & MAP_ANONYMOUS) return t.mm.mmap(addr, length, prot, mapFlags);

  const f = t.fds.get(fd);
  if (!f || (f.flags & O_PATH)) return -Errno.EBADF;
  if (offset % PAGE_SIZE !== 0) return -Errno.EINVAL;
  // Linux takes the offset as unsigned: a negative one lies beyond any file's largest size.
  if (offset < 0 || offset + pageAlignUp(length) > Number.MAX_SAFE_INTEGER) return -Errno.EOVERFLOW;
  const mode = f.flags & O_ACCMODE;
  if (mode === O_WRONLY) return -Errno.EACCES;
  const shared = type !== MAP_PRIVATE;
  if (shared && (prot & PROT_WRITE) && mode !== O_RDWR) return -Errno.EACCES;
  const st = await f.stat();
  if (typeof st === 'number') return st;
  if ((st.mode & S_IFMT) !== S_IFREG) return -Errno.ENODEV;

  const mappable = f.location?.dentry.inode.mappable(k.pageMemory) ?? null;
  if (!mappable) return shared ? -Errno.ENODEV : mapCopy(t, f, addr, length, prot, mapFlags, offset, st.size);
  const first = offset / PAGE_SIZE;
  const prepared = await mappable.prepare(first, first + pageAlignUp(length) / PAGE_SIZE);
  if (prepared < 0) return prepared;
  return t.mm.mmap(addr, length, prot, mapFlags, f.path, { mappable, pgoff: first, writable: mode === O_RDWR, dev: st.dev, ino: st.ino });
}

/** A private mapping of a file that cannot lend its pages: a copy of its contents at mmap time. */
async function mapCopy(t: Task, f: FileDescription, addr: number, length: number, prot: number, flags: number, offset: number, size: number): Promise<number> {
  const a = t.mm.mmap(addr, length, prot, flags, f.path);
  if (a < 0) return a;
  const want = Math.max(0, Math.min(pageAlignUp(length), size - offset));
  const buf = new Uint8Array(Math.min(want, 1 << 20));
  for (let done = 0; done < want;) {
    const n = await f.read(buf.subarray(0, Math.min(buf.length, want - done)), offset + done);
    if (n < 0) { t.mm.munmap(a, pageAlignUp(length)); return n; }
    if (n === 0) break;
    if (!t.mm.pokeBytes(a + done, buf.subarray(0, n))) { t.mm.munmap(a, pageAlignUp(length)); return -Errno.ENOMEM; }
    done += n;
  }
  return a;
}

export function sys_munmap(t: Task): SyscallResult { return t.mm.munmap(t.arg(0), t.arg(1)); }
export function sys_mprotect(t: Task): SyscallResult { return t.mm.mprotect(t.arg(0), t.arg(1), t.argInt(2)); }
export function sys_mremap(t: Task): SyscallResult { return t.mm.mremap(t.arg(0), t.arg(1), t.arg(2), t.argInt(3), t.arg(4)); }
export function sys_msync(t: Task): SyscallResult { return t.mm.msync(t.arg(0), t.arg(1), t.argInt(2)); }
export function sys_brk(t: Task): SyscallResult { return t.mm.brk(t.arg(0)); }
export function sys_madvise(t: Task): SyscallResult { return t.mm.madvise(t.arg(0), t.arg(1), t.argInt(2)); }
