// Decoded basic blocks keyed by guest physical address, so the same bytes are decoded once however
// many times (and from however many address spaces) they run. A block is dropped when its frame is
// written, unmapped or reused (PhysicalMemory.invalidateCode).

import type { PhysicalMemory } from '../memory/physical.js';
import { PAGE_SIZE } from '../memory/physical.js';
import type { Insn } from './insn.js';
import type { CompiledBlock } from './block_compiler.js';

export class Block {
  valid = true;
  /** Times interpreted so far; at HOT_BLOCK_RUNS the block gets a compiled runner. */
  runs = 0;
  /** The compiled runner (vm/cpu/block_compiler.ts). */
  run: CompiledBlock | null = null;
  /**
   * Chaining: two blocks that ran after this one (a branch's two ways), tried before a cache
   * lookup. They hold while the MMU's translation epoch is `linkEpoch`.
   */
  link0: Block | null = null;
  link1: Block | null = null;
  linkEpoch = 0;
  constructor(
    /** Virtual address the block was decoded at (RIP-relative operands were resolved against it). */
    readonly addr: number,
    readonly phys: number,
    readonly insns: Insn[],
    /** Virtual address just past the last instruction: the fall-through rip. */
    readonly end: number,
    /** Frames the block's bytes come from (two when the last instruction straddles a page). */
    readonly frames: number[],
  ) {}
}

export class CodeCache {
  private readonly blocks = new Map<number, Block>();
  private readonly byFrame = new Map<number, Block[]>();

  constructor(private readonly phys: PhysicalMemory) {
    phys.onCodeWrite((frame) => this.dropFrame(frame));
  }

  get(physAddr: number): Block | undefined { return this.blocks.get(physAddr); }

  add(b: Block): void {
    const old = this.blocks.get(b.phys);
    if (old) old.valid = false;
    this.blocks.set(b.phys, b);
    for (const f of b.frames) {
      let list = this.byFrame.get(f);
      if (!list) this.byFrame.set(f, list = []);
      list.push(b);
      this.phys.codeFrames[f] = 1;
    }
  }

  private dropFrame(frame: number): void {
    const list = this.byFrame.get(frame);
    if (!list) return;
    this.byFrame.delete(frame);
    for (const b of list) {
      b.valid = false;
      if (this.blocks.get(b.phys) === b) this.blocks.delete(b.phys);
    }
  }

  get blockCount(): number { return this.blocks.size; }
}

export function frameOf(physAddr: number): number { return Math.floor(physAddr / PAGE_SIZE); }
