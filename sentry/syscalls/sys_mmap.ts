// mmap, munmap, mprotect, mremap, brk, madvise (gVisor sys_mmap.go). File mappings are read into
// private anonymous memory for now; MAP_SHARED file mappings arrive with the page cache.

import { Errno } from '../abi/errno.js';
import type { Task } from '../kernel/task.js';
import { MAP_ANONYMOUS, MAP_FIXED, MAP_PRIVATE, MAP_SHARED, PROT_WRITE, pageAlignUp } from '../mm/mm.js';
import { O_ACCMODE, O_RDONLY, O_WRONLY } from '../vfs/file.js';
import type { SyscallResult } from './handler.js';

const MAP_SHARED_VALIDATE = 0x03;

export async function sys_mmap(t: Task): Promise<number> {
  const addr = t.arg(0), length = t.arg(1), prot = t.argInt(2), flags = t.argInt(3), fd = t.argInt(4), offset = t.argSigned(5);
  if (length === 0) return -Errno.EINVAL;
  if (addr % 4096 !== 0 && (flags & MAP_FIXED)) return -Errno.EINVAL;
  const type = flags & MAP_SHARED_VALIDATE;
  if (type !== MAP_SHARED && type !== MAP_PRIVATE && type !== MAP_SHARED_VALIDATE) return -Errno.EINVAL;
  if (flags & MAP_ANONYMOUS) {
    return t.mm.mmap(addr, length, prot, flags & ~MAP_SHARED_VALIDATE | (type === MAP_PRIVATE ? MAP_PRIVATE : MAP_SHARED));
  }
  const f = t.fds.get(fd);
  if (!f) return -Errno.EBADF;
  if (offset < 0 || offset % 4096 !== 0) return -Errno.EINVAL;
  if ((f.flags & O_ACCMODE) === O_WRONLY) return -Errno.EACCES;
  if (type !== MAP_PRIVATE) {
    if ((prot & PROT_WRITE) && (f.flags & O_ACCMODE) === O_RDONLY) return -Errno.EACCES;
    return -Errno.ENODEV; // shared file mappings need the page cache
  }
  const st = await f.stat();
  if (typeof st === 'number') return st;
  const a = t.mm.mmap(addr, length, prot, flags | MAP_PRIVATE);
  if (a < 0) return a;
  // Fill the private copy from the file, up to its end; the rest of the mapping stays zero.
  const want = Math.max(0, Math.min(pageAlignUp(length), st.size - offset));
  const buf = new Uint8Array(Math.min(want, 1 << 20));
  let done = 0;
  while (done < want) {
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
export function sys_brk(t: Task): SyscallResult { return t.mm.brk(t.arg(0)); }
export function sys_madvise(t: Task): SyscallResult { return t.mm.madvise(t.arg(0), t.arg(1), t.argInt(2)); }
