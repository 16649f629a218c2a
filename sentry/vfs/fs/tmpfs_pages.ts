// The contents of a tmpfs regular file: a sparse map of 4 KiB pages, so holes cost nothing and a
// 1 TB sparse file is an empty map. Every page present is charged to the filesystem's budget
// (tmpfs's size= limit counts pages, as Linux's shmem does); the file size lives with the inode.
// A page that is mmapped moves into a guest frame (the page itself, not a copy), so the mapping
// and read/write see the same bytes; pages never mapped stay ordinary memory.

import { Errno } from '../../abi/errno.js';
import type { Mappable, PageMemory } from '../../mm/mappable.js';

export const PAGE_SIZE = 4096;

/** Where page charges go: the filesystem's block count, refused when full (ENOSPC). */
export interface PageBudget {
  /** Takes `pages` more pages; false, with nothing taken, when they do not fit. */
  charge(pages: number): boolean;
  uncharge(pages: number): void;
}

/** An allocated page never written (fallocate): charged, but zeros without memory behind them. */
const UNWRITTEN = null;
type Page = Uint8Array | typeof UNWRITTEN;

export class SparsePages {
  private readonly pages = new Map<number, Page>();
  /** Pages that live in guest frames (mapped at least once), and where those come from. */
  private readonly frames = new Map<number, number>();
  private memory: PageMemory | null = null;
  private mapping: Mappable | null = null;

  constructor(private readonly budget: PageBudget) {}

  /** The pages as frames for mmap; `size` is the file's current size (pages past it are SIGBUS). */
  mappable(memory: PageMemory, size: () => number): Mappable {
    this.memory ??= memory;
    return this.mapping ??= { prepare: () => 0, frameAt: (index) => this.frameAt(index, size()) };
  }

  /** Pages allocated (st_blocks is this times 8). */
  get count(): number { return this.pages.size; }

  /** Copies bytes [offset, min(offset + dst.length, size)) into dst; holes read as zeros. */
  read(dst: Uint8Array, offset: number, size: number): number {
    const n = Math.max(0, Math.min(dst.length, size - offset));
    for (let done = 0; done < n;) {
      const pos = offset + done;
      const index = Math.floor(pos / PAGE_SIZE), at = pos % PAGE_SIZE;
      const chunk = Math.min(PAGE_SIZE - at, n - done);
      const page = this.pages.get(index);
      if (page) dst.set(page.subarray(at, at + chunk), done);
      else dst.fill(0, done, done + chunk);
      done += chunk;
    }
    return n;
  }

  /**
   * Copies src to `offset`, page by page. When the budget runs out part-way the write is short,
   * as in Linux: the bytes written so far, or -ENOSPC when none.
   */
  write(src: Uint8Array, offset: number): number {
    let done = 0;
    while (done < src.length) {
      const pos = offset + done;
      const index = Math.floor(pos / PAGE_SIZE), at = pos % PAGE_SIZE;
      const chunk = Math.min(PAGE_SIZE - at, src.length - done);
      const page = this.writablePage(index);
      if (!page) return done > 0 ? done : -Errno.ENOSPC;
      page.set(src.subarray(done, done + chunk), at);
      this.touched(index);
      done += chunk;
    }
    return done;
  }

  /** Allocates every missing page in [first, end), all or nothing (fallocate undoes a partial one). */
  allocate(first: number, end: number): number {
    // Charge first, from a count that never walks the range, so a hopeless request is cheap.
    if (!this.budget.charge(end - first - this.presentIn(first, end))) return -Errno.ENOSPC;
    for (let i = first; i < end; i++) if (!this.pages.has(i)) this.pages.set(i, UNWRITTEN);
    return 0;
  }

  /** Zeroes bytes [start, end): pages wholly inside are freed, partial ones zeroed in place. */
  zeroRange(start: number, end: number): void {
    if (end <= start) return;
    const firstWhole = Math.ceil(start / PAGE_SIZE), endWhole = Math.floor(end / PAGE_SIZE);
    this.zeroWithinPage(start, Math.min(end, firstWhole * PAGE_SIZE));
    if (endWhole >= firstWhole) this.zeroWithinPage(Math.max(start, endWhole * PAGE_SIZE), end);
    this.freePages(firstWhole, endWhole);
  }

  /** Cuts the contents to `size` bytes: later pages are freed, the tail of the last one zeroed. */
  truncate(size: number): void {
    this.zeroWithinPage(size, Math.ceil(size / PAGE_SIZE) * PAGE_SIZE);
    this.freePages(Math.ceil(size / PAGE_SIZE), Infinity);
  }

  /** Frees everything (the inode is gone). */
  clear(): void {
    this.budget.uncharge(this.pages.size);
    this.pages.clear();
    for (const f of this.frames.values()) this.memory!.decRef(f);
    this.frames.clear();
  }

  /** The first offset >= `offset` inside an allocated page, or -1. */
  nextData(offset: number): number {
    let best = -1;
    for (const i of this.pages.keys()) {
      const start = Math.max(offset, i * PAGE_SIZE);
      if (start < (i + 1) * PAGE_SIZE && (best < 0 || start < best)) best = start;
    }
    return best;
  }

  /** The first offset >= `offset` not inside an allocated page. */
  nextHole(offset: number): number {
    let index = Math.floor(offset / PAGE_SIZE);
    while (this.pages.has(index)) index++;
    return Math.max(offset, index * PAGE_SIZE);
  }

  private presentIn(first: number, end: number): number {
    let present = 0;
    for (const i of this.pages.keys()) if (i >= first && i < end) present++;
    return present;
  }

  /** The page at `index` as memory, allocating (and charging) it if absent; null when full. */
  private writablePage(index: number): Uint8Array | null {
    const page = this.pages.get(index);
    if (page) return page;
    if (page === undefined && !this.budget.charge(1)) return null;
    const fresh = new Uint8Array(PAGE_SIZE);
    this.pages.set(index, fresh);
    return fresh;
  }

  /** Zeroes [start, end), which lie within one page. */
  private zeroWithinPage(start: number, end: number): void {
    if (end <= start) return;
    const index = Math.floor(start / PAGE_SIZE);
    const page = this.pages.get(index);
    if (page) { page.fill(0, start % PAGE_SIZE, (end - 1) % PAGE_SIZE + 1); this.touched(index); }
  }

  /** Page `index` in a frame, with a reference for the mapping; see Mappable.frameAt. */
  private frameAt(index: number, size: number): number {
    if (index * PAGE_SIZE >= size) return -Errno.EFAULT;
    const memory = this.memory!;
    let f = this.frames.get(index);
    if (f === undefined) {
      const page = this.pages.get(index);
      if (page === undefined && !this.budget.charge(1)) return -Errno.ENOMEM;
      f = memory.alloc();
      if (f < 0) { if (page === undefined) this.budget.uncharge(1); return -Errno.ENOMEM; }
      const bytes = memory.bytes(f);
      if (page) bytes.set(page);
      this.pages.set(index, bytes);
      this.frames.set(index, f);
    }
    memory.incRef(f);
    return f;
  }

  /** The kernel wrote page `index`: code decoded from its frame is stale. */
  private touched(index: number): void {
    const f = this.frames.get(index);
    if (f !== undefined) this.memory!.written(f);
  }

  /** Frees the pages with index in [first, end), walking the range or the map, whichever is smaller. */
  private freePages(first: number, end: number): void {
    if (end <= first) return;
    const doomed = end - first < this.pages.size
      ? Array.from({ length: end - first }, (_, k) => first + k).filter((i) => this.pages.has(i))
      : [...this.pages.keys()].filter((i) => i >= first && i < end);
    for (const i of doomed) {
      this.pages.delete(i);
      const f = this.frames.get(i);
      // A mapping may still hold the frame: it keeps the old bytes, the file forgets them.
      if (f !== undefined) { this.frames.delete(i); this.memory!.decRef(f); }
    }
    this.budget.uncharge(doomed.length);
  }
}
