// What a file mapping is made of (gVisor's memmap.Mappable): a file lends the memory manager its
// pages as guest physical frames, so every process that maps the file shares one copy, and a
// MAP_SHARED store is the file's data at once. Frames come from PageMemory, the sandbox's guest
// memory, which filesystems reach only through this interface (they never see the platform).

import type { MaybeAsync } from '../vfs/file.js';

export const PAGE_SIZE = 4096;

/** Guest physical frames for file pages, charged to the sandbox's memory like any other page. */
export interface PageMemory {
  /** A zeroed frame with one reference, its owner's, or -1 when guest memory is exhausted. */
  alloc(): number;
  /** Another reference, for a mapping (the memory manager drops it when the page is unmapped). */
  incRef(frame: number): void;
  /** The owner lets the frame go; it is free once no mapping holds it either. */
  decRef(frame: number): void;
  /** The frame's 4 KiB, as a view into guest memory (writes through it are seen by the guest). */
  bytes(frame: number): Uint8Array;
  /** The kernel changed the frame's bytes: instructions decoded from it are stale. */
  written(frame: number): void;
}

/** A file's pages as frames, for mmap. */
export interface Mappable {
  /**
   * Makes pages [first, end) available to `frameAt` (reading them from a slow file); called by
   * mmap, because page faults cannot wait for the Gofer. Returns 0 or -errno.
   */
  prepare(first: number, end: number): MaybeAsync<number>;
  /**
   * The frame of page `index` with a new reference for the caller; -EFAULT when the page lies
   * wholly beyond the end of the file (the access is a SIGBUS), -ENOMEM when memory is exhausted.
   */
  frameAt(index: number): number;
}
