// One x86-64 CPU in user mode: the hot register state, the fetch-decode-execute loop over cached
// blocks, and how execution stops (syscall, fault, exception, budget). The platform drives it.

import { Slot, setPair as writePair, type RegisterFile } from '../regfile.js';
import { PageFault } from '../memory/fault.js';
import type { Mmu } from '../memory/mmu.js';
import { PAGE_SIZE } from '../memory/physical.js';
import { Block, CodeCache, frameOf } from './code_cache.js';
import { compileBlock, HOT_BLOCK_RUNS } from './block_compiler.js';
import { decodeBlock } from './decoder.js';
import { CpuException, Vector } from './exception.js';
import { FlagOp, getRflags } from './flags.js';
import type { Insn } from './insn.js';

export const enum StopReason {
  NONE = 0,
  SYSCALL,
  FAULT,
  EXCEPTION,
  BUDGET,
  INTERRUPTED,
}

export class Cpu {
  // Register state. GPRs and vectors live in the shared register file; rip, flags and segment
  // bases are hot JS fields, written back to it at every stop (syncOut) and read at entry (syncIn).
  regs!: RegisterFile;
  r!: Int32Array;
  r8!: Uint8Array;
  r16!: Uint16Array;
  xi32!: Int32Array;
  xu8!: Uint8Array;
  xf32!: Float32Array;
  xf64!: Float64Array;
  rip = 0;
  flags = 0x202;
  fsBase = 0;
  gsBase = 0;
  // Lazy flags (vm/cpu/flags.ts).
  fop: FlagOp = FlagOp.EAGER;
  fsize = 4;
  fres = 0; fresHi = 0;
  fa = 0; faHi = 0;
  fb = 0; fbHi = 0;
  fcin = 0;
  /** Scratch high half returned by 64-bit helpers, to avoid allocating pairs. */
  hi = 0;

  // Why the last run stopped.
  stop = StopReason.NONE;
  fault: PageFault | null = null;
  exception: CpuException | null = null;
  /** Executed-instruction counter (blocks are counted whole). */
  instructions = 0;
  private interruptRequested = false;
  /** Interpreted runs of a block before it is compiled (0: compile at once, as tests do). */
  compileAfter = HOT_BLOCK_RUNS;
  /**
   * Called at a `syscall` with the register file in sync: true means the syscall was answered
   * and the guest continues; false stops the run with StopReason.SYSCALL.
   */
  syscallHook: (() => boolean) | null = null;
  /** The instruction that threw: set by a compiled block's catch, or by the interpreter as it goes. */
  faultInsn: Insn | null = null;

  /** Cycle counter for rdtsc: advances with executed instructions. */
  tscOffset = 0;

  constructor(regs: RegisterFile, public m: Mmu, readonly code: CodeCache) {
    this.attach(regs);
    this.syncIn();
  }

  /** Runs on another register file from now on (the platform switching tasks); no copying. */
  attach(regs: RegisterFile): void {
    if (regs === this.regs) return;
    this.regs = regs;
    this.r = regs.i32;
    this.r8 = regs.u8;
    this.r16 = regs.u16;
    this.xi32 = regs.xi32;
    this.xu8 = regs.xu8;
    this.xf32 = regs.xf32;
    this.xf64 = regs.xf64;
  }

  /** Loads the hot fields from the register file (after the kernel changed registers). */
  syncIn(): void {
    const r = this.r;
    this.rip = r[Slot.RIP + 1] * 4294967296 + (r[Slot.RIP] >>> 0);
    this.fsBase = r[Slot.FS_BASE + 1] * 4294967296 + (r[Slot.FS_BASE] >>> 0);
    this.gsBase = r[Slot.GS_BASE + 1] * 4294967296 + (r[Slot.GS_BASE] >>> 0);
    this.fop = r[Slot.FLAGS_OP];
    this.flags = r[Slot.RFLAGS];
    this.fsize = r[Slot.FLAGS_SIZE] || 4;
    this.fres = r[Slot.FLAGS_RES]; this.fresHi = r[Slot.FLAGS_RES + 1];
    this.fa = r[Slot.FLAGS_A]; this.faHi = r[Slot.FLAGS_A + 1];
    this.fb = r[Slot.FLAGS_B]; this.fbHi = r[Slot.FLAGS_B + 1];
    this.fcin = r[Slot.FLAGS_CF_IN];
  }

  /** Writes the hot fields back, with the flags materialised, so any reader sees plain RFLAGS. */
  syncOut(): void {
    const r = this.r;
    this.flags = getRflags(this);
    this.fop = FlagOp.EAGER;
    writePair(r, Slot.RIP, this.rip);
    // fs and gs bases only change from the kernel side (arch_prctl): syncIn reads them.
    r[Slot.RFLAGS] = this.flags;
    r[Slot.FLAGS_OP] = FlagOp.EAGER;
  }

  /** Makes a running `run` return soon (between blocks). */
  interrupt(): void { this.interruptRequested = true; }

  /**
   * Runs guest code until it stops or `budget` instructions have run (checked between blocks).
   * The register file is in sync on return.
   */
  run(budget: number): StopReason {
    this.syncIn();
    this.stop = StopReason.NONE;
    this.fault = null;
    this.exception = null;
    let executed = 0;
    this.faultInsn = null;
    const m = this.m;
    try {
      let b = this.lookup(this.rip);
      for (;;) {
        this.rip = b.end;
        let run = b.run;
        if (run === null && ++b.runs > this.compileAfter) run = b.run = compileBlock(b.insns);
        if (run !== null) {
          executed += run(this, budget - executed);
        } else {
          executed += this.interpret(b.insns);
          this.faultInsn = null;
        }
        if (this.stop !== StopReason.NONE) break;
        if (executed >= budget) { this.stop = StopReason.BUDGET; break; }
        if (this.interruptRequested) { this.interruptRequested = false; this.stop = StopReason.INTERRUPTED; break; }
        // Chaining: a block's last successors, while the translations they were found under hold.
        const rip = this.rip;
        let next: Block | null = null;
        if (b.linkEpoch === m.epoch) {
          const l0 = b.link0, l1 = b.link1;
          if (l0 !== null && l0.addr === rip) next = l0;
          else if (l1 !== null && l1.addr === rip) next = l1;
          if (next !== null && !next.valid) next = null;
        } else {
          b.link0 = b.link1 = null;
          b.linkEpoch = m.epoch;
        }
        if (next === null) {
          next = this.lookup(rip);
          if (b.link0 === null || !b.link0.valid) b.link0 = next; else b.link1 = next;
        }
        b = next;
      }
    } catch (e) {
      // The faulting instruction has not completed: resume at it.
      const at = this.faultInsn as Insn | null; // set by whatever threw (TS cannot know)
      if (at !== null) this.rip = at.addr;
      if (e instanceof PageFault && e.nonCanonical) {
        this.stop = StopReason.EXCEPTION;
        this.exception = new CpuException(Vector.GP, `non-canonical address 0x${e.addr.toString(16)}`);
      } else if (e instanceof PageFault) {
        this.stop = StopReason.FAULT;
        this.fault = e;
      } else if (e instanceof CpuException) {
        this.stop = StopReason.EXCEPTION;
        this.exception = e;
      } else {
        throw e;
      }
    }
    this.instructions += executed;
    this.syncOut();
    return this.stop;
  }

  /**
   * Runs a block's instructions through their handlers; returns how many ran. A side exit gets
   * rip preset to its next instruction and ends the block if it changed rip or stopped the CPU.
   * The instruction running is in `faultInsn`, for the fault path.
   */
  private interpret(insns: Insn[]): number {
    const last = insns.length - 1;
    for (let k = 0; k <= last; k++) {
      const i = insns[k];
      this.faultInsn = i;
      if (i.exits) {
        this.rip = i.next;
        i.fn(this, i);
        if (this.rip !== i.next || this.stop !== StopReason.NONE) return k + 1;
      } else {
        if (k === last) this.rip = i.next; // a cut block (no branch at its end) falls through
        i.fn(this, i);
      }
    }
    return insns.length;
  }

  /** The block at `rip` from the cache, decoded on a miss (a fetch fault throws). */
  private lookup(rip: number): Block {
    const phys = this.m.fetchAddr(rip);
    const b = this.code.get(phys);
    if (b !== undefined && b.addr === rip && b.valid) return b;
    return this.decodeAt(rip, phys);
  }

  private decodeAt(rip: number, phys: number): Block {
    const { insns, seenEnd } = decodeBlock(this, rip);
    const end = insns[insns.length - 1].next;
    // The block depends on every byte the decoder looked at, including those it read ahead.
    const frames = [frameOf(phys)];
    const lastByte = Math.max(end, seenEnd) - 1;
    if (Math.floor(lastByte / PAGE_SIZE) !== Math.floor(rip / PAGE_SIZE)) frames.push(frameOf(this.m.fetchAddr(lastByte)));
    const b = new Block(rip, phys, insns, end, frames);
    this.code.add(b);
    for (const f of frames) this.m.flushWritesTo(f);
    return b;
  }

  /** Reads one instruction byte for the decoder (checks execute permission). */
  fetchByte(addr: number): number {
    return this.m.u8[this.m.fetchAddr(addr)];
  }


  // --- register helpers ----------------------------------------------------------------------

  /** A 64-bit register as a JS number (exact below 2^53). */
  reg64(n: number): number { return this.r[2 * n + 1] * 4294967296 + (this.r[2 * n] >>> 0); }

  setReg64(n: number, v: number): void { writePair(this.r, 2 * n, v); }

  raise(vector: Vector, detail = ''): never { throw new CpuException(vector, detail); }
}

