// Lazy condition flags. A flag-setting instruction records what it did (operation, size, operands,
// result) and the flags are computed only when something reads them: a jcc, setcc, pushf, a stop.
// Intel SDM Vol. 1, 3.4.3 (EFLAGS) and Appendix A (which instruction affects which flag).

import type { Cpu } from './cpu.js';

export const CF = 0x1, PF = 0x4, AF = 0x10, ZF = 0x40, SF = 0x80, TF = 0x100, IF = 0x200, DF = 0x400, OF = 0x800;
export const ARITH_FLAGS = CF | PF | AF | ZF | SF | OF;

/** What the last flag-setting operation was. EAGER: `c.flags` holds the arithmetic flags. */
export const enum FlagOp {
  EAGER = 0, ADD, ADC, SUB, SBB, LOGIC, INC, DEC, SHL, SHR, SAR,
}

const PARITY = new Uint8Array(256);
for (let v = 0; v < 256; v++) {
  let p = 1;
  for (let b = v; b; b >>= 1) p ^= b & 1;
  PARITY[v] = p ? PF : 0;
}

/** The value as it sits in the top bits of an int32: sign tests and comparisons become size-free. */
function top(v: number, size: number): number { return size === 4 ? v | 0 : v << (32 - size * 8); }

function hiOf(c: Cpu, lo: number, hi: number): number { return c.fsize === 8 ? hi : top(lo, c.fsize); }

/** Unsigned a < b for (hi, lo) pairs. */
function below64(ahi: number, alo: number, bhi: number, blo: number): boolean {
  return (ahi >>> 0) < (bhi >>> 0) || (ahi === bhi && (alo >>> 0) < (blo >>> 0));
}

export function getCF(c: Cpu): number {
  const size = c.fsize;
  switch (c.fop) {
    case FlagOp.EAGER: return c.flags & CF;
    case FlagOp.LOGIC: return 0;
    case FlagOp.INC: case FlagOp.DEC: return c.fcin;
    case FlagOp.ADD: case FlagOp.ADC: {
      // carry out iff res < a, or res == a with a carry in (adding all-ones + 1)
      const inc = c.fop === FlagOp.ADC ? c.fcin : 0;
      if (size === 8) {
        const lt = below64(c.fresHi, c.fres, c.faHi, c.fa);
        return (lt || (inc && c.fresHi === c.faHi && c.fres === c.fa)) ? 1 : 0;
      }
      const r = top(c.fres, size) >>> 0, a = top(c.fa, size) >>> 0;
      return (r < a || (inc && r === a)) ? 1 : 0;
    }
    case FlagOp.SUB: case FlagOp.SBB: {
      const inc = c.fop === FlagOp.SBB ? c.fcin : 0;
      if (size === 8) {
        const lt = below64(c.faHi, c.fa, c.fbHi, c.fb);
        return (lt || (inc && c.faHi === c.fbHi && c.fa === c.fb)) ? 1 : 0;
      }
      const a = top(c.fa, size) >>> 0, b = top(c.fb, size) >>> 0;
      return (a < b || (inc && a === b)) ? 1 : 0;
    }
    case FlagOp.SHL: {
      const n = c.fb, bits = size * 8;
      if (size === 8) return n <= 32 ? (c.faHi >>> (32 - n)) & 1 : (c.fa >>> (64 - n)) & 1;
      return n > bits ? 0 : (c.fa >>> (bits - n)) & 1;
    }
    case FlagOp.SHR: case FlagOp.SAR: {
      const n = c.fb - 1;
      if (size === 8) {
        if (n < 32) return (c.fa >>> n) & 1;
        return c.fop === FlagOp.SAR ? (c.faHi >> (n - 32)) & 1 : (c.faHi >>> (n - 32)) & 1;
      }
      if (c.fop === FlagOp.SAR) return (top(c.fa, size) >> Math.min(n + 32 - size * 8, 31)) & 1;
      return n >= size * 8 ? 0 : (c.fa >>> n) & 1;
    }
  }
  return 0;
}

export function getZF(c: Cpu): number {
  if (c.fop === FlagOp.EAGER) return c.flags & ZF;
  if (c.fsize === 8) return (c.fres | c.fresHi) === 0 ? ZF : 0;
  return top(c.fres, c.fsize) === 0 ? ZF : 0;
}

export function getSF(c: Cpu): number {
  if (c.fop === FlagOp.EAGER) return c.flags & SF;
  return hiOf(c, c.fres, c.fresHi) < 0 ? SF : 0;
}

export function getPF(c: Cpu): number {
  if (c.fop === FlagOp.EAGER) return c.flags & PF;
  return PARITY[c.fres & 0xff];
}

export function getAF(c: Cpu): number {
  switch (c.fop) {
    case FlagOp.EAGER: return c.flags & AF;
    case FlagOp.LOGIC: case FlagOp.SHL: case FlagOp.SHR: case FlagOp.SAR: return 0;
    default: return (c.fa ^ c.fb ^ c.fres) & AF;
  }
}

export function getOF(c: Cpu): number {
  switch (c.fop) {
    case FlagOp.EAGER: return c.flags & OF;
    case FlagOp.LOGIC: case FlagOp.SAR: return 0;
    case FlagOp.ADD: case FlagOp.ADC: case FlagOp.INC: {
      const a = hiOf(c, c.fa, c.faHi), b = hiOf(c, c.fb, c.fbHi), r = hiOf(c, c.fres, c.fresHi);
      return ((a ^ r) & (b ^ r)) < 0 ? OF : 0;
    }
    case FlagOp.SUB: case FlagOp.SBB: case FlagOp.DEC: {
      const a = hiOf(c, c.fa, c.faHi), b = hiOf(c, c.fb, c.fbHi), r = hiOf(c, c.fres, c.fresHi);
      return ((a ^ b) & (a ^ r)) < 0 ? OF : 0;
    }
    case FlagOp.SHL: // defined for a count of 1: the result's sign differs from the carry out
      return ((hiOf(c, c.fres, c.fresHi) < 0 ? 1 : 0) ^ getCF(c)) ? OF : 0;
    case FlagOp.SHR: // defined for a count of 1: the original sign
      return hiOf(c, c.fa, c.faHi) < 0 ? OF : 0;
  }
  return 0;
}

/** The arithmetic flags, materialised. */
export function arithFlags(c: Cpu): number {
  if (c.fop === FlagOp.EAGER) return c.flags & ARITH_FLAGS;
  if (c.fop === FlagOp.LOGIC && c.fsize !== 8) {
    const r = top(c.fres, c.fsize);
    return (r === 0 ? ZF : 0) | (r < 0 ? SF : 0) | PARITY[c.fres & 0xff];
  }
  return getCF(c) | getPF(c) | getAF(c) | getZF(c) | getSF(c) | getOF(c);
}

/** The whole RFLAGS value (bit 1 always set). */
export function getRflags(c: Cpu): number {
  return (c.flags & ~ARITH_FLAGS) | arithFlags(c) | 2;
}

/** Materialises the lazy flags, then replaces the bits in `mask` with those of `value`. */
export function setFlagBits(c: Cpu, value: number, mask: number): void {
  const cur = getRflags(c);
  c.flags = (cur & ~mask) | (value & mask) | 2;
  c.fop = FlagOp.EAGER;
}

/** Evaluates condition code `cc` (the low nibble of jcc/setcc/cmovcc). SDM Vol. 1, Appendix B. */
export function cond(c: Cpu, cc: number): boolean {
  // Fast path: after cmp/sub, compare the operands directly.
  if (c.fop === FlagOp.SUB && c.fsize !== 8) {
    const a = top(c.fa, c.fsize), b = top(c.fb, c.fsize);
    switch (cc) {
      case 2: return (a >>> 0) < (b >>> 0);
      case 3: return (a >>> 0) >= (b >>> 0);
      case 4: return a === b;
      case 5: return a !== b;
      case 6: return (a >>> 0) <= (b >>> 0);
      case 7: return (a >>> 0) > (b >>> 0);
      case 12: return a < b;
      case 13: return a >= b;
      case 14: return a <= b;
      case 15: return a > b;
    }
  } else if (c.fop === FlagOp.SUB) {
    // 64-bit cmp: compare the (hi, lo) pairs directly.
    const ah = c.faHi, bh = c.fbHi, al = c.fa >>> 0, bl = c.fb >>> 0;
    switch (cc) {
      case 2: return (ah >>> 0) < (bh >>> 0) || (ah === bh && al < bl);
      case 3: return (ah >>> 0) > (bh >>> 0) || (ah === bh && al >= bl);
      case 4: return ah === bh && al === bl;
      case 5: return ah !== bh || al !== bl;
      case 6: return (ah >>> 0) < (bh >>> 0) || (ah === bh && al <= bl);
      case 7: return (ah >>> 0) > (bh >>> 0) || (ah === bh && al > bl);
      case 12: return ah < bh || (ah === bh && al < bl);
      case 13: return ah > bh || (ah === bh && al >= bl);
      case 14: return ah < bh || (ah === bh && al <= bl);
      case 15: return ah > bh || (ah === bh && al > bl);
    }
  } else if (c.fop === FlagOp.LOGIC && c.fsize !== 8) {
    const r = top(c.fres, c.fsize);
    switch (cc) {
      case 4: return r === 0;
      case 5: return r !== 0;
      case 8: case 12: return r < 0;
      case 9: case 13: return r >= 0;
      case 14: return r <= 0;
      case 15: return r > 0;
    }
  }
  let v: boolean;
  switch (cc >> 1) {
    case 0: v = getOF(c) !== 0; break;
    case 1: v = getCF(c) !== 0; break;
    case 2: v = getZF(c) !== 0; break;
    case 3: v = (getCF(c) | getZF(c)) !== 0; break;
    case 4: v = getSF(c) !== 0; break;
    case 5: v = getPF(c) !== 0; break;
    case 6: v = (getSF(c) !== 0) !== (getOF(c) !== 0); break;
    default: v = getZF(c) !== 0 || ((getSF(c) !== 0) !== (getOF(c) !== 0)); break;
  }
  return (cc & 1) ? !v : v;
}
