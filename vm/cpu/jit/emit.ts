// What the emitters share: the shape of emitted code, the compile-time state of a block (which
// instruction last set the flags, with its operands held in the block's locals), and the JS for
// register and memory operands.
//
// A generated block is one function. Its locals: `r` (GPR halves as int32), `r8` (their bytes),
// `m` (the MMU), `x` (XMM lanes as int32), and `fa fah fb fbh fx fxh`: the operands and result
// of the last inlined flag-setting instruction, so that a jcc, setcc or cmovcc after it in the
// same block compares them directly instead of going through the lazy-flag state.

import { FlagOp } from '../flags.js';
import type { Insn } from '../insn.js';
import { Seg } from '../insn.js';

export interface Emitted {
  code: string;
  /** May throw (a memory access): the block records which instruction before running it. */
  throws: boolean;
}

/** The last flag-setting instruction, when it was inlined and its operands are in the locals. */
export interface FlagProducer {
  op: FlagOp;
  size: 4 | 8;
}

export class BlockState {
  producer: FlagProducer | null = null;
}

export const reg = (code: string | null): Emitted | null => (code === null ? null : { code, throws: false });
export const mem = (code: string | null): Emitted | null => (code === null ? null : { code, throws: true });

/** A register's low-half slot in `r` (the high half is the next one). */
export const lo = (n: number): number => 2 * n;

/**
 * The effective address of a memory operand as a JS number, or null where only the handler's
 * exact path applies (0x67 address size). Registers with small high halves add exactly as
 * doubles; otherwise the instruction's own exact `ea` runs.
 */
export function eaExpr(i: Insn, k: number): string | null {
  if (i.asz !== 8) return null;
  let e: string;
  if (i.ripRel || (i.base < 0 && i.index < 0)) {
    e = `${i.disp}`;
  } else {
    const guard: string[] = [];
    const terms: string[] = [];
    if (i.base >= 0) {
      guard.push(`((r[${lo(i.base) + 1}] + 0x100000) >>> 0) < 0x200000`);
      terms.push(`r[${lo(i.base) + 1}] * 4294967296 + (r[${lo(i.base)}] >>> 0)`);
    }
    if (i.index >= 0) {
      guard.push(`((r[${lo(i.index) + 1}] + 0x100000) >>> 0) < 0x200000`);
      terms.push(`(r[${lo(i.index) + 1}] * 4294967296 + (r[${lo(i.index)}] >>> 0)) * ${i.scale}`);
    }
    // The fallback already adds the segment base.
    const seg = i.seg === Seg.FS ? ' + c.fsBase' : i.seg === Seg.GS ? ' + c.gsBase' : '';
    return `(${guard.join(' && ')} ? ${terms.join(' + ')} + ${i.disp}${seg} : I[${k}].ea(c, I[${k}]))`;
  }
  if (i.seg === Seg.FS) return `(${e} + c.fsBase)`;
  if (i.seg === Seg.GS) return `(${e} + c.gsBase)`;
  return e;
}

/**
 * An integer operand of 4 or 8 bytes: the E operand of a ModRM instruction (register or memory).
 * For memory, `setup` computes the address into `A` once; reads and writes use it.
 */
export interface IntOperand {
  setup: string;
  isMem: boolean;
  /** The low (or only) 32 bits, and the high 32 bits. */
  readLo: string;
  readHi: string;
  write32(v: string): string;
  write64(vl: string, vh: string): string;
}

export function regOperand(n: number): IntOperand {
  const s = lo(n);
  return {
    setup: '',
    isMem: false,
    readLo: `r[${s}]`,
    readHi: `r[${s + 1}]`,
    write32: (v) => `r[${s}] = ${v}; r[${s + 1}] = 0;`,
    write64: (vl, vh) => `r[${s}] = ${vl}; r[${s + 1}] = ${vh};`,
  };
}

/** The E operand (register or memory), or null when its address cannot be inlined. */
export function eOperand(i: Insn, k: number): IntOperand | null {
  if (i.mod === 3) return regOperand(i.rm);
  const ea = eaExpr(i, k);
  if (ea === null) return null;
  return {
    setup: `const A = ${ea};`,
    isMem: true,
    readLo: 'm.read32(A)',
    readHi: 'm.read32(A + 4)',
    write32: (v) => `m.write32(A, ${v});`,
    write64: (vl, vh) => `m.write64(A, ${vl}, ${vh});`,
  };
}
