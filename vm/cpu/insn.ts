// A decoded instruction: the compact descriptor the decoder fills once and the handler reads on
// every execution. One shape for all instructions keeps every property access monomorphic.

import type { Cpu } from './cpu.js';

export type Handler = (c: Cpu, i: Insn) => void;
export type EaFn = (c: Cpu, i: Insn) => number;

export const enum Seg { NONE = 0, FS = 1, GS = 2 }
export const enum Rep { NONE = 0, REPE = 1, REPNE = 2 }

export class Insn {
  fn: Handler;
  /** Virtual address of the first byte, and of the next instruction. */
  addr = 0;
  next = 0;
  len = 0;
  /** Opcode: 0x000-0x0ff one byte, 0x100-0x1ff 0F xx, 0x200-0x2ff 0F 38 xx, 0x300-0x3ff 0F 3A xx. */
  op = 0;
  /** Operand size in bytes (1, 2, 4, 8). */
  osz = 4;
  /** Address size in bytes (4 with 0x67, else 8). */
  asz = 8;
  /** 0x66, 0xf2, 0xf3 seen (they select SSE forms too). */
  p66 = false;
  rep: Rep = Rep.NONE;
  lock = false;
  rexW = false;
  /** The REX byte (0 if none): opcodes with a register in their low bits use REX.B from it. */
  rex = 0;
  seg: Seg = Seg.NONE;
  /** ModRM fields with REX applied: mod (3 = register operand), reg, rm. */
  mod = 3;
  reg = 0;
  rm = 0;
  /** Byte offsets of reg and rm as 8-bit registers in the register file (AH..BH without REX). */
  regB = 0;
  rmB = 0;
  /** Memory operand: base and index registers (-1 none), scale, displacement (absolute for RIP-relative). */
  base = -1;
  index = -1;
  scale = 1;
  disp = 0;
  /** RIP-relative: disp is already the absolute address. */
  ripRel = false;
  ea: EaFn;
  /** Sub-operation: the ALU op, the group's /digit, the condition code. */
  sub = 0;
  /** Immediates (imm2: the high half of a 64-bit immediate, or enter's second operand). */
  imm = 0;
  imm2 = 0;
  /** Whether a later instruction of the block (or a stop) may read the flags this one writes. */
  flagsLive = true;
  /** Flags read and written, for the liveness pass (vm/cpu/flags.ts bits). */
  flagsRead = 0;
  flagsWritten = 0;
  /** True for instructions that end a block (branches, traps, undefined opcodes). */
  endsBlock = false;
  /**
   * A side exit: the instruction may leave the block (a taken jcc, a syscall that changed rip or
   * stopped the CPU), which otherwise goes on with the next instruction. `rip` is set to `next`
   * before it runs, so a change of rip is how it says it left.
   */
  exits = false;

  constructor(fn: Handler, ea: EaFn) {
    this.fn = fn;
    this.ea = ea;
  }
}
