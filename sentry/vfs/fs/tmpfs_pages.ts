// The contents of a tmpfs regular file: a sparse map of 4 KiB pages, so holes cost nothing and a
// 1 TB sparse file is an empty map. Every page present is charged to the filesystem's budget
// (tmpfs's size= limit counts pages, as Linux's shmem does); the file size lives with the inode.

import { Errno } from '../../abi/errno.js';

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

  constructor(private readonly budget: PageBudget) {}

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
    const page = this.pages.get(Math.floor(start / PAGE_SIZE));
    if (page) page.fill(0, start % PAGE_SIZE, (end - 1) % PAGE_SIZE + 1);
  }

  /** Frees the pages with index in [first, end), walking the range or the map, whichever is smaller. */
  private freePages(first: number, end: number): void {
    if (end <= first) return;
    const doomed = end - first < this.pages.size
      ? Array.from({ length: end - first }, (_, k) => first + k).filter((i) => this.pages.has(i))
      : [...this.pages.keys()].filter((i) => i >= first && i < end);
    for (const i of doomed) this.pages.delete(i);
    this.budget.uncharge(doomed.length);
  }
}
