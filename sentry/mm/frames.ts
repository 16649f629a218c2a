// Guest physical frames: allocation, reference counts (shared by copy-on-write and by page-cache
// users later) and the sandbox's memory limit. A frame is zeroed when it is handed out, and its
// decoded code is dropped when it is freed, so a reused frame never runs stale instructions.

import type { PhysicalMemory } from '../../platform/platform.js';

export class FrameAllocator {
  private readonly refs: Int32Array;
  private readonly free: Int32Array;
  private freeCount = 0;
  /** Frames never handed out yet start here (untouched memory costs the host nothing). */
  private nextFresh: number;
  private inUse = 0;

  constructor(private readonly memory: PhysicalMemory, reserved = 1) {
    this.refs = new Int32Array(memory.frameCount);
    this.free = new Int32Array(memory.frameCount);
    this.nextFresh = reserved; // frame 0 stays unused so that 0 never names a real frame
  }

  get used(): number { return this.inUse; }
  get capacity(): number { return this.memory.frameCount; }

  /** A zeroed frame with one reference, or -1 when guest memory is exhausted. */
  alloc(): number {
    let f: number;
    if (this.freeCount > 0) {
      f = this.free[--this.freeCount];
      this.memory.zeroFrame(f);
    } else if (this.nextFresh < this.memory.frameCount) {
      f = this.nextFresh++; // fresh host pages are already zero
    } else {
      return -1;
    }
    this.refs[f] = 1;
    this.inUse++;
    return f;
  }

  incRef(f: number): void { this.refs[f]++; }

  refCount(f: number): number { return this.refs[f]; }

  decRef(f: number): void {
    if (--this.refs[f] === 0) {
      this.memory.invalidateCode(f);
      this.free[this.freeCount++] = f;
      this.inUse--;
    }
  }
}
