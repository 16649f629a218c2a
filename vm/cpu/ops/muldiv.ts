// Multiply and divide at every width: mul/imul/div/idiv (group 3 /4-/7), imul r, r/m (0F AF) and
// imul r, r/m, imm (69, 6B). 64-bit forms use the limb arithmetic of int64.ts, never BigInt.

import type { Cpu } from '../cpu.js';
import { defOp, Imm } from '../decoder.js';
import { Vector } from '../exception.js';
import { ARITH_FLAGS, CF, FlagOp, OF, PF, SF, ZF } from '../flags.js';
import type { Insn } from '../insn.js';
import { divu128, muls64, mulu64, neg128, out } from '../int64.js';
import { readE, readE64, readG, signExtend, writeReg } from './operand.js';

const PARITY_EVEN = (v: number) => { let p = 1; for (let b = v & 0xff; b; b >>= 1) p ^= b & 1; return p; };

/** MUL/IMUL: CF = OF = overflow; SF/ZF/PF (undefined by the SDM) follow the low result; AF = 0. */
function setMulFlags(c: Cpu, overflow: boolean, low: number, sizeBits: number): void {
  let f = overflow ? CF | OF : 0;
  const top = sizeBits === 32 ? low : low << (32 - sizeBits);
  if (top < 0) f |= SF;
  if (top === 0) f |= ZF;
  if (PARITY_EVEN(low)) f |= PF;
  c.flags = (c.flags & ~ARITH_FLAGS) | f;
  c.fop = FlagOp.EAGER;
}

/** mul / imul with one operand: rDX:rAX = rAX * E */
function mul1(c: Cpu, i: Insn): void {
  const signed = (i.reg & 7) === 5;
  const r = c.r;
  switch (i.osz) {
    case 1: {
      const b = readE(c, i);
      const p = signed ? signExtend(r[0] & 0xff, 1) * signExtend(b, 1) : (r[0] & 0xff) * b;
      c.r16[0] = p;
      const hiPart = (p >> 8) & 0xff;
      setMulFlags(c, signed ? p !== signExtend(p & 0xff, 1) : hiPart !== 0, p & 0xff, 8);
      return;
    }
    case 2: {
      const b = readE(c, i);
      const p = signed ? signExtend(c.r16[0], 2) * signExtend(b, 2) : c.r16[0] * b;
      c.r16[0] = p; c.r16[8] = p >> 16;
      setMulFlags(c, signed ? p !== signExtend(p & 0xffff, 2) : (p >>> 16) !== 0, p & 0xffff, 16);
      return;
    }
    case 4: {
      const b = readE(c, i);
      const a = r[0];
      if (signed) {
        muls64(a, a >> 31, b, b >> 31);
      } else {
        mulu64(a, 0, b, 0);
      }
      r[0] = out[0]; r[1] = 0; r[4] = out[1]; r[5] = 0;
      setMulFlags(c, signed ? out[1] !== (out[0] >> 31) : out[1] !== 0, out[0], 32);
      return;
    }
    default: {
      const blo = readE64(c, i), bhi = c.hi;
      if (signed) muls64(r[0], r[1], blo, bhi); else mulu64(r[0], r[1], blo, bhi);
      r[0] = out[0]; r[1] = out[1]; r[4] = out[2]; r[5] = out[3];
      const overflow = signed ? (out[2] !== (out[1] >> 31) || out[3] !== (out[1] >> 31)) : (out[2] | out[3]) !== 0;
      setMulFlags(c, overflow, out[1], 32);
      c.flags = (c.flags & ~(ZF)) | ((out[0] | out[1]) === 0 ? ZF : 0);
    }
  }
}

/** imul G, E, imm (and 0F AF imul G, E with imm taken from G): G = truncated signed product. */
function imulTruncated(c: Cpu, i: Insn, a: number, ahi: number, b: number, bhi: number): void {
  switch (i.osz) {
    case 2: {
      const p = signExtend(a, 2) * signExtend(b, 2);
      writeReg(c, 2, i.reg, i.regB, p);
      setMulFlags(c, p !== signExtend(p & 0xffff, 2), p & 0xffff, 16);
      return;
    }
    case 4: {
      const p = (a | 0) * (b | 0);
      const lo = Math.imul(a, b);
      c.r[i.reg * 2] = lo; c.r[i.reg * 2 + 1] = 0;
      setMulFlags(c, p !== lo, lo, 32);
      return;
    }
    default: {
      muls64(a, ahi, b, bhi);
      c.r[i.reg * 2] = out[0]; c.r[i.reg * 2 + 1] = out[1];
      const s = out[1] >> 31;
      setMulFlags(c, out[2] !== s || out[3] !== s, out[1], 32);
      c.flags = (c.flags & ~ZF) | ((out[0] | out[1]) === 0 ? ZF : 0);
    }
  }
}

function imulGE(c: Cpu, i: Insn): void {
  if (i.osz === 8) {
    const blo = readE64(c, i), bhi = c.hi;
    imulTruncated(c, i, c.r[i.reg * 2], c.r[i.reg * 2 + 1], blo, bhi);
    return;
  }
  imulTruncated(c, i, readG(c, i), 0, readE(c, i), 0);
}

function imulGEI(c: Cpu, i: Insn): void {
  if (i.osz === 8) {
    const alo = readE64(c, i), ahi = c.hi;
    imulTruncated(c, i, alo, ahi, i.imm, i.imm >> 31);
    return;
  }
  imulTruncated(c, i, readE(c, i), 0, i.imm, 0);
}

/** div / idiv: #DE on a zero divisor or a quotient that does not fit (SDM: DIV, IDIV). */
function div1(c: Cpu, i: Insn): void {
  const signed = (i.reg & 7) === 7;
  const r = c.r;
  switch (i.osz) {
    case 1: {
      const d = readE(c, i);
      if (d === 0) c.raise(Vector.DE, 'divide by zero');
      const n = c.r16[0];
      let q: number, m: number;
      if (signed) {
        const sn = signExtend(n, 2), sd = signExtend(d, 1);
        q = Math.trunc(sn / sd); m = sn - q * sd;
        if (q > 127 || q < -128) c.raise(Vector.DE, 'quotient overflow');
      } else {
        q = Math.floor(n / d); m = n - q * d;
        if (q > 255) c.raise(Vector.DE, 'quotient overflow');
      }
      c.r8[0] = q; c.r8[1] = m;
      return;
    }
    case 2: {
      const d = readE(c, i);
      if (d === 0) c.raise(Vector.DE, 'divide by zero');
      const n = c.r16[8] * 65536 + c.r16[0];
      let q: number, m: number;
      if (signed) {
        const sn = n | 0, sd = signExtend(d, 2);
        q = Math.trunc(sn / sd); m = sn - q * sd;
        if (q > 32767 || q < -32768) c.raise(Vector.DE, 'quotient overflow');
      } else {
        q = Math.floor(n / d); m = n - q * d;
        if (q > 65535) c.raise(Vector.DE, 'quotient overflow');
      }
      c.r16[0] = q; c.r16[8] = m;
      return;
    }
    case 4: {
      const d = readE(c, i);
      if (d === 0) c.raise(Vector.DE, 'divide by zero');
      if (!signed) {
        if ((r[4] >>> 0) >= (d >>> 0)) c.raise(Vector.DE, 'quotient overflow');
        divu128(r[0], r[4], 0, 0, d, 0);
        r[0] = out[0]; r[1] = 0; r[4] = out[2]; r[5] = 0;
        return;
      }
      // Signed: divide magnitudes as a 64/32 divide, then fix the signs.
      const w = scratch; w[0] = r[0]; w[1] = r[4]; w[2] = r[4] >> 31; w[3] = w[2];
      const nNeg = r[4] < 0, dNeg = d < 0;
      if (nNeg) neg128(w);
      const ad = dNeg ? -d >>> 0 : d >>> 0;
      if ((w[1] >>> 0) >= ad) c.raise(Vector.DE, 'quotient overflow');
      divu128(w[0], w[1], 0, 0, ad | 0, 0);
      let q = out[0] >>> 0, m = out[2] >>> 0;
      const qNeg = nNeg !== dNeg;
      if (qNeg ? q > 0x80000000 : q > 0x7fffffff) c.raise(Vector.DE, 'quotient overflow');
      r[0] = qNeg ? -q | 0 : q | 0; r[1] = 0;
      r[4] = nNeg ? -m | 0 : m | 0; r[5] = 0;
      return;
    }
    default: {
      const dlo = readE64(c, i), dhi = c.hi;
      if ((dlo | dhi) === 0) c.raise(Vector.DE, 'divide by zero');
      if (!signed) {
        if ((r[5] >>> 0) > (dhi >>> 0) || (r[5] === dhi && (r[4] >>> 0) >= (dlo >>> 0))) c.raise(Vector.DE, 'quotient overflow');
        divu128(r[0], r[1], r[4], r[5], dlo, dhi);
        r[0] = out[0]; r[1] = out[1]; r[4] = out[2]; r[5] = out[3];
        return;
      }
      const w = scratch; w[0] = r[0]; w[1] = r[1]; w[2] = r[4]; w[3] = r[5];
      const nNeg = r[5] < 0, dNeg = dhi < 0;
      if (nNeg) neg128(w);
      const dv = scratch2; dv[0] = dlo; dv[1] = dhi; dv[2] = dhi >> 31; dv[3] = dv[2];
      if (dNeg) neg128(dv);
      const ad0 = dv[0], ad1 = dv[1];
      if ((w[3] >>> 0) > (ad1 >>> 0) || (w[3] === ad1 && (w[2] >>> 0) >= (ad0 >>> 0))) c.raise(Vector.DE, 'quotient overflow');
      divu128(w[0], w[1], w[2], w[3], ad0, ad1);
      const q0 = out[0], q1 = out[1], m0 = out[2], m1 = out[3];
      const qNeg = nNeg !== dNeg;
      // |q| must be <= 2^63 when negative, < 2^63 when positive
      if (q1 < 0 && !(qNeg && q1 === (0x80000000 | 0) && q0 === 0)) c.raise(Vector.DE, 'quotient overflow');
      w[0] = q0; w[1] = q1; w[2] = 0; w[3] = 0;
      if (qNeg) neg128(w);
      r[0] = w[0]; r[1] = w[1];
      w[0] = m0; w[1] = m1; w[2] = 0; w[3] = 0;
      if (nNeg) neg128(w);
      r[4] = w[0]; r[5] = w[1];
    }
  }
}
const scratch = new Int32Array(4);
const scratch2 = new Int32Array(4);

defOp(0x1af, { modrm: true, imm: Imm.NONE, flagsRead: 0, flagsWritten: ARITH_FLAGS, pick: () => imulGE });
defOp(0x69, { modrm: true, imm: Imm.Z, flagsRead: 0, flagsWritten: ARITH_FLAGS, pick: () => imulGEI });
defOp(0x6b, { modrm: true, imm: Imm.B, flagsRead: 0, flagsWritten: ARITH_FLAGS, pick: () => imulGEI });

export const group3MulDiv = { mul1, div1 };
