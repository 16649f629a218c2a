// The kernel's PageMemory: frames from the sandbox's allocator, each charged to the commit pool
// while a file holds it, so page-cache and tmpfs pages count against --memory like anonymous
// memory and a page fault never finds guest memory exhausted.

import type { PhysicalMemory } from '../../platform/platform.js';
import type { FrameAllocator } from './frames.js';
import type { PageMemory } from './mappable.js';
import { PAGE_SIZE } from './mappable.js';

export class FramePageMemory implements PageMemory {
  constructor(
    private readonly frames: FrameAllocator,
    private readonly memory: PhysicalMemory,
    private readonly commitPool: { used: number; limit: number },
  ) {}

  alloc(): number {
    if (this.commitPool.used + 1 > this.commitPool.limit) return -1;
    const f = this.frames.alloc();
    if (f >= 0) this.commitPool.used++;
    return f;
  }

  incRef(frame: number): void { this.frames.incRef(frame); }

  /** The owner's reference goes, and its charge with it (mappings may keep the frame a while longer). */
  decRef(frame: number): void {
    this.commitPool.used--;
    this.frames.decRef(frame);
  }

  bytes(frame: number): Uint8Array { return this.memory.u8.subarray(frame * PAGE_SIZE, (frame + 1) * PAGE_SIZE); }

  written(frame: number): void { this.memory.invalidateCode(frame); }
}
