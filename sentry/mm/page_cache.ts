// The page cache of files that cannot change while the sandbox runs (the read-only host layer
// under the root overlay): each page is read from the Gofer once, into a frame that every
// mapping of the file shares, so libc mapped by a hundred processes is one copy read once.
// Pages stay cached for the inode's life; the cache is found through the inode (a WeakMap), so
// it goes when the inode does.

import { Errno } from '../abi/errno.js';
import type { Inode } from '../vfs/inode.js';
import type { Mappable, PageMemory } from './mappable.js';
import { PAGE_SIZE } from './mappable.js';

/** How much one read asks of the file (a Gofer round trip each). */
const READ_CHUNK = 256 << 10;

const caches = new WeakMap<Inode, ReadOnlyPageCache>();

/** The page cache of `inode`, whose contents must never change behind it. */
export function readOnlyPageCache(inode: Inode, memory: PageMemory): ReadOnlyPageCache {
  let c = caches.get(inode);
  if (!c) { c = new ReadOnlyPageCache(inode, memory); caches.set(inode, c); }
  return c;
}

export class ReadOnlyPageCache implements Mappable {
  private readonly frames = new Map<number, number>();
  /** Pages in the file (its size rounded up), known after the first prepare. */
  private pageCount = -1;
  /** Reads from the file, for tests and the bench: a mapped-again file costs none. */
  reads = 0;

  constructor(private readonly inode: Inode, private readonly memory: PageMemory) {}

  async prepare(first: number, end: number): Promise<number> {
    if (this.pageCount < 0) {
      const st = await this.inode.stat();
      if (typeof st === 'number') return st;
      this.pageCount = Math.ceil(st.size / PAGE_SIZE);
    }
    end = Math.min(end, this.pageCount);
    // Read each run of missing pages in large chunks.
    for (let i = first; i < end;) {
      if (this.frames.has(i)) { i++; continue; }
      let runEnd = i + 1;
      while (runEnd < end && !this.frames.has(runEnd) && (runEnd - i) * PAGE_SIZE < READ_CHUNK) runEnd++;
      const r = await this.readRun(i, runEnd);
      if (r < 0) return r;
      i = runEnd;
    }
    return 0;
  }

  frameAt(index: number): number {
    const f = this.frames.get(index);
    if (f === undefined) return index >= this.pageCount ? -Errno.EFAULT : -Errno.EIO;
    this.memory.incRef(f);
    return f;
  }

  /** Pages held (for tests). */
  get cachedPages(): number { return this.frames.size; }

  private async readRun(first: number, end: number): Promise<number> {
    const buf = new Uint8Array((end - first) * PAGE_SIZE);
    let got = 0;
    while (got < buf.length) {
      this.reads++;
      const n = await this.inode.read(buf.subarray(got), first * PAGE_SIZE + got);
      if (n < 0) return n;
      if (n === 0) break; // the tail of the last page stays zero, as Linux shows it
      got += n;
    }
    for (let i = first; i < end; i++) {
      if (this.frames.has(i)) continue; // another prepare got there while we waited
      const f = this.memory.alloc();
      if (f < 0) return -Errno.ENOMEM;
      this.memory.bytes(f).set(buf.subarray((i - first) * PAGE_SIZE, (i - first + 1) * PAGE_SIZE));
      this.frames.set(i, f);
    }
    return 0;
  }
}
