// The memory manager of one address space (gVisor pkg/sentry/mm): the VMAs, the pages that back
// them (reference-counted frames), demand paging, brk, and copy-in/copy-out for syscalls.
// It owns the truth; the platform AddressSpace is a cache it fills on faults and flushes on changes.
// Committed memory (writable private pages) is accounted against the sandbox's limit, as Linux
// does with overcommit_memory=2, so a page fault never finds guest memory exhausted.

import type { Location } from '../vfs/dentry.js';
import { Errno } from '../abi/errno.js';
import { Access, PAGE_SIZE, Perm, USER_ADDRESS_LIMIT, type AddressSpace, type PhysicalMemory } from '../../platform/platform.js';
import type { FrameAllocator } from './frames.js';
import type { Mappable } from './mappable.js';
import { getU64 } from '../abi/bytes.js';

export const PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4;
export const MAP_SHARED = 0x01, MAP_PRIVATE = 0x02, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20,
  MAP_GROWSDOWN = 0x100, MAP_DENYWRITE = 0x800, MAP_EXECUTABLE = 0x1000, MAP_LOCKED = 0x2000,
  MAP_NORESERVE = 0x4000, MAP_POPULATE = 0x8000, MAP_NONBLOCK = 0x10000, MAP_STACK = 0x20000,
  MAP_HUGETLB = 0x40000, MAP_FIXED_NOREPLACE = 0x100000;

export interface Vma {
  start: number;
  end: number;
  prot: number;
  /** MAP_SHARED or MAP_PRIVATE, plus MAP_GROWSDOWN. */
  flags: number;
  /** For /proc/PID/maps: "[heap]", "[stack]", a path, or "". */
  name: string;
  /** The file whose pages back it; none for anonymous memory. */
  file?: FileMapping;
}

/** What a file-backed VMA maps. */
export interface FileMapping {
  mappable: Mappable;
  /** The file page at the VMA's start. */
  pgoff: number;
  /** The description was open for writing: a MAP_SHARED mapping may be made writable. */
  writable: boolean;
  /** For /proc/PID/maps. */
  dev: number;
  ino: number;
}

/** `v` cut to [start, end), its file offset moved along. */
function slice(v: Vma, start: number, end: number): Vma {
  const file = v.file && start !== v.start ? { ...v.file, pgoff: v.file.pgoff + (start - v.start) / PAGE_SIZE } : v.file;
  return { ...v, start, end, file };
}

/** Whether `b` continues `a` (adjacent, alike, and for files the next pages of the same file). */
function continues(a: Vma, b: Vma): boolean {
  if (a.end !== b.start || a.prot !== b.prot || a.flags !== b.flags || a.name !== b.name) return false;
  if (!a.file || !b.file) return !a.file && !b.file;
  return a.file.mappable === b.file.mappable && a.file.writable === b.file.writable
    && a.file.pgoff + (a.end - a.start) / PAGE_SIZE === b.file.pgoff;
}

/** pageFrame's failures: guest memory is exhausted, or the page lies beyond its file's end. */
const NO_MEMORY = -1, BEYOND_FILE = -2;

export const STACK_TOP = 0x7ffffffff000;
const MMAP_TOP = 0x7ffff7fff000;
const MMAP_BOTTOM = 0x10000;

export function pageAlignUp(v: number): number { return Math.ceil(v / PAGE_SIZE) * PAGE_SIZE; }
function isAligned(v: number): boolean { return v % PAGE_SIZE === 0; }

function toPerms(prot: number): number {
  // x86 has no write-only or exec-only pages: any access right implies read.
  let p = prot & (PROT_READ | PROT_WRITE | PROT_EXEC) ? Perm.READ : Perm.NONE;
  if (prot & PROT_WRITE) p |= Perm.WRITE;
  if (prot & PROT_EXEC) p |= Perm.EXEC;
  return p;
}

/** Pages that count against the commit limit: private and writable. */
function commitPages(v: { prot: number; flags: number }, pages: number): number {
  return (v.prot & PROT_WRITE) && !(v.flags & MAP_SHARED) ? pages : 0;
}

/** 'bus': a file page beyond the end of the file (SIGBUS). */
export type FaultResult = 'ok' | 'maperr' | 'accerr' | 'oom' | 'bus';

export class MemoryManager {
  /** Sorted, non-overlapping. */
  private vmas: Vma[] = [];
  /** Present pages: virtual page number -> frame. */
  private readonly pages = new Map<number, number>();
  /** The most pages it has had present at once (Linux hiwater_rss, getrusage's ru_maxrss). */
  private peakPages = 0;
  brkStart = 0;
  brkEnd = 0;
  /** The ELF program's data for /proc/self/exe and AT_EXECFN. */
  exePath = '';
  /** What exec gave the process, for /proc/PID/{exe,cmdline,environ,auxv}. */
  exe: Location | null = null;
  cmdline: Uint8Array = new Uint8Array(0);
  environ: Uint8Array = new Uint8Array(0);
  auxv: Uint8Array = new Uint8Array(0);
  private committed = 0;
  /** Tasks using it (threads, a vfork child before it execs). */
  private users = 1;

  constructor(
    readonly as: AddressSpace,
    private readonly frames: FrameAllocator,
    private readonly memory: PhysicalMemory,
    /** Pages the whole sandbox may commit; shared with other memory managers through `commitPool`. */
    private readonly commitPool: { used: number; limit: number },
  ) {}

  // --- VMAs ------------------------------------------------------------------------------------

  findVma(addr: number): Vma | undefined {
    let lo = 0, hi = this.vmas.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.vmas[mid];
      if (addr < v.start) hi = mid - 1;
      else if (addr >= v.end) lo = mid + 1;
      else return v;
    }
    return undefined;
  }

  get mappings(): readonly Vma[] { return this.vmas; }

  /** Whether every page of [start, end) is mapped. */
  private isMapped(start: number, end: number): boolean {
    let cursor = start;
    for (const v of this.vmas) {
      if (v.end <= cursor || v.start >= end) continue;
      if (v.start > cursor) return false;
      cursor = v.end;
      if (cursor >= end) break;
    }
    return cursor >= end;
  }

  private overlaps(start: number, end: number): boolean {
    return this.vmas.some((v) => v.start < end && v.end > start);
  }

  /** Highest free range of `len` bytes below `top`, or -1. */
  private findGap(len: number, top = MMAP_TOP): number {
    let end = top;
    for (let k = this.vmas.length - 1; k >= -1; k--) {
      const v = k >= 0 ? this.vmas[k] : undefined;
      if (v && v.start >= end) continue;
      const gapStart = v ? v.end : MMAP_BOTTOM;
      if (end - gapStart >= len) return end - len;
      if (!v) break;
      end = Math.min(end, v.start);
    }
    return -1;
  }

  private charge(pages: number): boolean {
    if (pages <= 0) return true;
    if (this.commitPool.used + pages > this.commitPool.limit) return false;
    this.commitPool.used += pages;
    this.committed += pages;
    return true;
  }

  private uncharge(pages: number): void {
    this.commitPool.used -= pages;
    this.committed -= pages;
  }

  /** Removes [start, end) from the VMA list and frees its pages (munmap, MAP_FIXED, mremap). */
  private removeRange(start: number, end: number): void {
    const out: Vma[] = [];
    for (const v of this.vmas) {
      if (v.end <= start || v.start >= end) { out.push(v); continue; }
      const cutStart = Math.max(v.start, start), cutEnd = Math.min(v.end, end);
      this.uncharge(commitPages(v, (cutEnd - cutStart) / PAGE_SIZE));
      if (v.start < start) out.push(slice(v, v.start, start));
      if (v.end > end) out.push(slice(v, end, v.end));
    }
    this.vmas = out;
    this.dropPages(start, end);
  }

  private dropPages(start: number, end: number): void {
    const n = (end - start) / PAGE_SIZE;
    const first = start / PAGE_SIZE;
    if (n < this.pages.size) {
      for (let k = 0; k < n; k++) {
        const f = this.pages.get(first + k);
        if (f !== undefined) { this.pages.delete(first + k); this.frames.decRef(f); }
      }
    } else {
      for (const [vpn, f] of this.pages) {
        if (vpn >= first && vpn < first + n) { this.pages.delete(vpn); this.frames.decRef(f); }
      }
    }
    this.as.unmap(start, end - start);
  }

  private insertVma(v: Vma): void {
    let k = 0;
    while (k < this.vmas.length && this.vmas[k].start < v.start) k++;
    this.vmas.splice(k, 0, v);
  }

  // --- mmap and friends --------------------------------------------------------------------

  /** mmap of anonymous memory, or of `file`'s pages. Returns the address or -errno. */
  mmap(addr: number, length: number, prot: number, flags: number, name = '', file?: FileMapping): number {
    if (length <= 0) return -Errno.EINVAL;
    const len = pageAlignUp(length);
    if (len > USER_ADDRESS_LIMIT) return -Errno.ENOMEM;
    if (!(flags & (MAP_SHARED | MAP_PRIVATE))) return -Errno.EINVAL;
    let start: number;
    if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
      if (!isAligned(addr)) return -Errno.EINVAL;
      if (addr < MMAP_BOTTOM || addr + len > USER_ADDRESS_LIMIT) return (flags & MAP_FIXED) ? -Errno.EPERM : -Errno.ENOMEM;
      if ((flags & MAP_FIXED_NOREPLACE) && !(flags & MAP_FIXED) && this.overlaps(addr, addr + len)) return -Errno.EEXIST;
      start = addr;
    } else {
      // A hint is used when the range is free, as Linux does.
      const hint = pageAlignUp(addr);
      if (hint >= MMAP_BOTTOM && hint + len <= USER_ADDRESS_LIMIT && !this.overlaps(hint, hint + len)) start = hint;
      else start = this.findGap(len);
      if (start < 0) return -Errno.ENOMEM;
    }
    const vma: Vma = { start, end: start + len, prot, flags: flags & (MAP_SHARED | MAP_PRIVATE | MAP_GROWSDOWN), name, file };
    if (!this.charge(commitPages(vma, len / PAGE_SIZE))) return -Errno.ENOMEM;
    if (this.overlaps(start, start + len)) {
      this.removeRange(start, start + len);
    }
    this.insertVma(vma);
    this.mergeAround(start, start + len);
    return start;
  }

  munmap(addr: number, length: number): number {
    if (!isAligned(addr) || length <= 0 || addr + length > USER_ADDRESS_LIMIT) return -Errno.EINVAL;
    this.removeRange(addr, addr + pageAlignUp(length));
    return 0;
  }

  mprotect(addr: number, length: number, prot: number): number {
    if (!isAligned(addr)) return -Errno.EINVAL;
    if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | 0x01000000 | 0x02000000)) return -Errno.EINVAL;
    const end = addr + pageAlignUp(length);
    if (end === addr) return 0;
    if (!this.isMapped(addr, end)) return -Errno.ENOMEM;
    const p = prot & (PROT_READ | PROT_WRITE | PROT_EXEC);
    // A shared file mapping can be made writable only through a description open for writing.
    if ((p & PROT_WRITE) && this.vmas.some((v) => v.start < end && v.end > addr && (v.flags & MAP_SHARED) && v.file && !v.file.writable)) {
      return -Errno.EACCES;
    }
    // Account for pages that become (or stop being) committed before changing anything.
    let delta = 0;
    for (const v of this.vmas) {
      if (v.end <= addr || v.start >= end) continue;
      const pages = (Math.min(v.end, end) - Math.max(v.start, addr)) / PAGE_SIZE;
      delta += commitPages({ prot: p, flags: v.flags }, pages) - commitPages(v, pages);
    }
    if (delta > 0 && !this.charge(delta)) return -Errno.ENOMEM;
    if (delta < 0) this.uncharge(-delta);
    const out: Vma[] = [];
    for (const v of this.vmas) {
      if (v.end <= addr || v.start >= end) { out.push(v); continue; }
      if (v.start < addr) out.push(slice(v, v.start, addr));
      out.push({ ...slice(v, Math.max(v.start, addr), Math.min(v.end, end)), prot: p });
      if (v.end > end) out.push(slice(v, end, v.end));
    }
    this.vmas = out;
    this.as.unmap(addr, end - addr); // refaults install the new permissions
    this.mergeAround(addr, end);
    return 0;
  }

  /** Joins neighbouring VMAs that are alike, so /proc/self/maps and lookups stay small. */
  private mergeAround(start: number, end: number): void {
    const out: Vma[] = [];
    for (const v of this.vmas) {
      const prev = out[out.length - 1];
      if (prev && continues(prev, v) && v.start <= end && prev.end >= start) {
        prev.end = v.end;
      } else out.push(v);
    }
    this.vmas = out;
  }

  brk(addr: number): number {
    if (addr === 0 || addr < this.brkStart) return this.brkEnd;
    const oldTop = pageAlignUp(this.brkEnd), newTop = pageAlignUp(addr);
    if (newTop > oldTop) {
      if (this.overlaps(oldTop, newTop)) return this.brkEnd;
      const heap = this.findVma(oldTop - 1);
      const vma: Vma = { start: oldTop, end: newTop, prot: PROT_READ | PROT_WRITE, flags: MAP_PRIVATE, name: '[heap]' };
      if (!this.charge(commitPages(vma, (newTop - oldTop) / PAGE_SIZE))) return this.brkEnd;
      if (heap && heap.name === '[heap]' && heap.end === oldTop) heap.end = newTop;
      else this.insertVma(vma);
    } else if (newTop < oldTop) {
      this.removeRange(newTop, oldTop);
    }
    this.brkEnd = addr;
    return addr;
  }

  mremap(oldAddr: number, oldLen: number, newLen: number, flags: number, newAddr: number): number {
    const MREMAP_MAYMOVE = 1, MREMAP_FIXED = 2;
    if (!isAligned(oldAddr) || newLen <= 0 || (flags & ~3) || ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))) return -Errno.EINVAL;
    const oldSize = pageAlignUp(oldLen), newSize = pageAlignUp(newLen);
    const v = this.findVma(oldAddr);
    if (!v || oldAddr + oldSize > v.end) return -Errno.EFAULT;
    if (!(flags & MREMAP_FIXED)) {
      if (newSize <= oldSize) {
        if (newSize < oldSize) this.removeRange(oldAddr + newSize, oldAddr + oldSize);
        return oldAddr;
      }
      // Grow in place when the following range is free.
      if (oldAddr + oldSize === v.end && !this.overlaps(v.end, oldAddr + newSize) && oldAddr + newSize <= USER_ADDRESS_LIMIT) {
        if (!this.charge(commitPages(v, (newSize - oldSize) / PAGE_SIZE))) return -Errno.ENOMEM;
        v.end = oldAddr + newSize;
        return oldAddr;
      }
      if (!(flags & MREMAP_MAYMOVE)) return -Errno.ENOMEM;
    }
    let dest: number;
    if (flags & MREMAP_FIXED) {
      if (!isAligned(newAddr) || (newAddr < oldAddr + oldSize && newAddr + newSize > oldAddr)) return -Errno.EINVAL;
      dest = newAddr;
    } else {
      dest = this.findGap(newSize);
      if (dest < 0) return -Errno.ENOMEM;
    }
    const moved: Vma = { ...slice(v, oldAddr, oldAddr + oldSize), start: dest, end: dest + newSize };
    if (!this.charge(commitPages(moved, newSize / PAGE_SIZE))) return -Errno.ENOMEM;
    if (flags & MREMAP_FIXED) this.removeRange(dest, dest + newSize);
    // Move the frames, not their contents.
    const keep = Math.min(oldSize, newSize) / PAGE_SIZE;
    const firstOld = oldAddr / PAGE_SIZE, firstNew = dest / PAGE_SIZE;
    for (let k = 0; k < keep; k++) {
      const f = this.pages.get(firstOld + k);
      if (f !== undefined) { this.pages.delete(firstOld + k); this.pages.set(firstNew + k, f); }
    }
    this.as.unmap(oldAddr, oldSize);
    this.removeRange(oldAddr, oldAddr + oldSize);
    this.insertVma(moved);
    return dest;
  }

  /**
   * MADV_DONTNEED: private anonymous pages read back as zero, private file pages as the file's
   * (the private copies are dropped). Other advice is a hint.
   */
  madvise(addr: number, length: number, advice: number): number {
    if (!isAligned(addr) || length < 0) return -Errno.EINVAL;
    const MADV_DONTNEED = 4, MADV_FREE = 8, MADV_REMOVE = 9;
    const end = addr + pageAlignUp(length);
    if (advice === MADV_DONTNEED || advice === MADV_FREE) {
      for (const v of this.vmas) {
        if (v.end <= addr || v.start >= end) continue;
        this.dropPages(Math.max(v.start, addr), Math.min(v.end, end));
      }
      return 0;
    }
    if (advice === MADV_REMOVE) return -Errno.EOPNOTSUPP;
    if (advice < 0 || advice > 100) return -Errno.EINVAL;
    return 0;
  }

  /**
   * msync: the flags and the range are checked as Linux does. There is nothing to write back: a
   * MAP_SHARED page is the file's own page (tmpfs, the overlay's upper layer), never a copy.
   */
  msync(addr: number, length: number, flags: number): number {
    const MS_ASYNC = 1, MS_INVALIDATE = 2, MS_SYNC = 4;
    if (!isAligned(addr) || (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) || ((flags & MS_ASYNC) && (flags & MS_SYNC))) return -Errno.EINVAL;
    const end = addr + pageAlignUp(length);
    if (end > USER_ADDRESS_LIMIT) return -Errno.ENOMEM;
    return this.isMapped(addr, end) ? 0 : -Errno.ENOMEM;
  }

  // --- paging --------------------------------------------------------------------------------

  /** Makes the page at `addr` present for `access` and installs it in the address space. */
  handleFault(addr: number, access: Access): FaultResult {
    const v = this.findVma(addr);
    if (!v) return 'maperr';
    const ok = access === Access.WRITE ? (v.prot & PROT_WRITE) : access === Access.EXEC ? (v.prot & PROT_EXEC) : (v.prot & (PROT_READ | PROT_WRITE | PROT_EXEC));
    if (!ok) return 'accerr';
    const vpn = Math.floor(addr / PAGE_SIZE);
    const frame = this.pageFrame(vpn, v, access === Access.WRITE);
    if (frame < 0) return frame === BEYOND_FILE ? 'bus' : 'oom';
    // A private page still shared (with its file, or after fork) is mapped read-only: the first
    // write faults again and copies it.
    let perms = toPerms(v.prot);
    if ((v.flags & MAP_PRIVATE) && this.frames.refCount(frame) > 1) perms &= ~Perm.WRITE;
    this.as.map(vpn * PAGE_SIZE, [frame], perms);
    return 'ok';
  }

  /**
   * The frame backing page `vpn` of `v`: on first touch a zero page, or the file's page; for a
   * write to a private page that is shared, a private copy. NO_MEMORY or BEYOND_FILE on failure.
   */
  private pageFrame(vpn: number, v: Vma, write: boolean): number {
    let f = this.pages.get(vpn);
    if (f === undefined) {
      if (v.file) {
        f = v.file.mappable.frameAt(v.file.pgoff + vpn - v.start / PAGE_SIZE);
        if (f < 0) return f === -Errno.ENOMEM ? NO_MEMORY : BEYOND_FILE;
      } else {
        f = this.frames.alloc();
        if (f < 0) return NO_MEMORY;
      }
      this.pages.set(vpn, f);
      if (this.pages.size > this.peakPages) this.peakPages = this.pages.size;
    }
    if (write && (v.flags & MAP_PRIVATE) && this.frames.refCount(f) > 1) {
      const copy = this.frames.alloc();
      if (copy < 0) return NO_MEMORY;
      this.memory.u8.copyWithin(copy * PAGE_SIZE, f * PAGE_SIZE, (f + 1) * PAGE_SIZE);
      this.frames.decRef(f);
      this.pages.set(vpn, copy);
      this.as.unmap(vpn * PAGE_SIZE, PAGE_SIZE); // the CPU may hold the shared frame read-only
      f = copy;
    }
    return f;
  }

  /**
   * Physical address of guest `addr` for a kernel access, faulting the page in; -1 if the guest
   * could not make that access itself (the syscall then fails with EFAULT).
   */
  private kernelAddr(addr: number, write: boolean): number {
    if (!(addr >= 0 && addr < USER_ADDRESS_LIMIT)) return -1;
    const v = this.findVma(addr);
    if (!v) return -1;
    if (write ? !(v.prot & PROT_WRITE) : !(v.prot & (PROT_READ | PROT_WRITE | PROT_EXEC))) return -1;
    const f = this.pageFrame(Math.floor(addr / PAGE_SIZE), v, write);
    if (f < 0) return -1;
    if (write) this.memory.invalidateCode(f);
    return f * PAGE_SIZE + (addr % PAGE_SIZE);
  }

  /**
   * The physical address of the aligned 32-bit word at `addr`, for the kernel's atomic accesses
   * (futexes), with its page faulted in as a guest access would; -1 when that fails (EFAULT).
   */
  wordAddress(addr: number, write: boolean): number {
    return this.kernelAddr(addr, write);
  }

  /**
   * What names a shared futex at `addr` (Linux get_futex_key): the frame of a MAP_SHARED page or
   * of a read-only file page, so that every process mapping it meets there; 'anon' for this
   * process's own memory (named by address, after a private page was made this process's own by
   * a write fault, as get_user_pages(FOLL_WRITE) does); null when the page cannot be had: EFAULT.
   * A read-only page serves only `write` false, and never a read-only anonymous one.
   */
  futexPage(addr: number, write: boolean): number | 'anon' | null {
    if (!(addr >= 0 && addr < USER_ADDRESS_LIMIT)) return null;
    const v = this.findVma(addr);
    if (!v || !(v.prot & (PROT_READ | PROT_WRITE | PROT_EXEC))) return null;
    const writable = (v.prot & PROT_WRITE) !== 0;
    if (write && !writable) return null;
    const f = this.pageFrame(Math.floor(addr / PAGE_SIZE), v, writable);
    if (f < 0) return null;
    if (v.flags & MAP_SHARED) return f;
    if (writable) return 'anon';
    return v.file ? f : null;
  }

  /** Copies guest memory into `out`; false on EFAULT. */
  copyIn(addr: number, out: Uint8Array): boolean {
    let done = 0;
    while (done < out.length) {
      const p = this.kernelAddr(addr + done, false);
      if (p < 0) return false;
      const n = Math.min(out.length - done, PAGE_SIZE - ((addr + done) % PAGE_SIZE));
      out.set(this.memory.u8.subarray(p, p + n), done);
      done += n;
    }
    return true;
  }

  /** Copies `data` into guest memory; false on EFAULT (a prefix may have been written). */
  copyOut(addr: number, data: Uint8Array): boolean {
    let done = 0;
    while (done < data.length) {
      const p = this.kernelAddr(addr + done, true);
      if (p < 0) return false;
      const n = Math.min(data.length - done, PAGE_SIZE - ((addr + done) % PAGE_SIZE));
      this.memory.u8.set(data.subarray(done, done + n), p);
      done += n;
    }
    return true;
  }

  /** Writes into mapped memory whatever its protection (the loader filling read-only segments). */
  pokeBytes(addr: number, data: Uint8Array): boolean {
    let done = 0;
    while (done < data.length) {
      const a = addr + done;
      const v = this.findVma(a);
      if (!v) return false;
      const f = this.pageFrame(Math.floor(a / PAGE_SIZE), v, true);
      if (f < 0) return false;
      this.memory.invalidateCode(f);
      const n = Math.min(data.length - done, PAGE_SIZE - (a % PAGE_SIZE));
      this.memory.u8.set(data.subarray(done, done + n), f * PAGE_SIZE + (a % PAGE_SIZE));
      done += n;
    }
    return true;
  }

  /** Checks that [addr, addr+len) is accessible, without copying. */
  checkRange(addr: number, len: number, write: boolean): boolean {
    for (let a = addr; a < addr + len; a = (Math.floor(a / PAGE_SIZE) + 1) * PAGE_SIZE) {
      if (this.kernelAddr(a, write) < 0) return false;
    }
    return true;
  }

  /** A NUL-terminated string of at most `max` bytes; null on EFAULT or when too long. */
  readCString(addr: number, max: number): Uint8Array | null {
    const parts: number[] = [];
    for (let k = 0; k < max; k++) {
      const p = this.kernelAddr(addr + k, false);
      if (p < 0) return null;
      const b = this.memory.u8[p];
      if (b === 0) return Uint8Array.from(parts);
      parts.push(b);
    }
    return null;
  }

  readU64(addr: number): number | null {
    const b = new Uint8Array(8);
    if (!this.copyIn(addr, b)) return null;
    return getU64(new DataView(b.buffer), 0);
  }

  /** Releases every page and mapping (exit, exec). */
  release(): void {
    this.removeRange(0, USER_ADDRESS_LIMIT);
    this.as.release();
  }

  /** Another task uses this address space (clone with CLONE_VM). */
  retain(): void { this.users++; }

  /** A task stops using it (exit, exec); the last one releases it. */
  drop(): void { if (--this.users === 0) this.release(); }

  /** Tasks using it (Linux mm_users): more than one tells an exiting thread that others remain. */
  get userCount(): number { return this.users; }

  /**
   * Copies this address space into `child` (fork): every page is shared, and private pages are
   * copied on the first write by either side (a private page whose frame has more than one
   * reference is mapped read-only). -ENOMEM when the child's private memory cannot be committed.
   */
  forkInto(child: MemoryManager): number {
    let commit = 0;
    for (const v of this.vmas) commit += commitPages(v, (v.end - v.start) / PAGE_SIZE);
    // A MAP_SHARED anonymous page must be one frame for both: pages never touched get theirs now
    // (they have no file to find them in later).
    for (const v of this.vmas) {
      if (!(v.flags & MAP_SHARED) || v.file) continue;
      for (let vpn = v.start / PAGE_SIZE; vpn < v.end / PAGE_SIZE; vpn++) {
        if (this.pages.has(vpn)) continue;
        const f = this.frames.alloc();
        if (f < 0) return -Errno.ENOMEM;
        this.pages.set(vpn, f);
      }
    }
    if (!child.charge(commit)) return -Errno.ENOMEM;
    child.vmas = this.vmas.map((v) => ({ ...v }));
    for (const [vpn, f] of this.pages) { this.frames.incRef(f); child.pages.set(vpn, f); }
    child.peakPages = child.pages.size;
    // The parent's writable private pages must fault again to be copied.
    for (const v of this.vmas) if ((v.flags & MAP_PRIVATE) && (v.prot & PROT_WRITE)) this.as.unmap(v.start, v.end - v.start);
    child.brkStart = this.brkStart;
    child.brkEnd = this.brkEnd;
    child.exePath = this.exePath;
    child.exe = this.exe;
    child.cmdline = this.cmdline;
    child.environ = this.environ;
    child.auxv = this.auxv;
    return 0;
  }

  get residentPages(): number { return this.pages.size; }
  get peakResidentPages(): number { return Math.max(this.peakPages, this.pages.size); }
  get committedPages(): number { return this.committed; }
}
