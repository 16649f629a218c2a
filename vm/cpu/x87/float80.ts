// Soft-float for the x87 80-bit extended-precision format: arithmetic, compares, rounding,
// conversions and the x87-specific operations (fprem, fscale, fxtract, fxam), bit-exact with the
// hardware including flags. The transcendental instructions live in transcendental.ts.
// Pure ECMAScript: no BigInt, and no allocation on any path (see "Working storage" below).
//
// A value is three numbers: `lo` and `hi` hold the 64-bit significand (the integer bit J is bit 31
// of `hi`), `se` holds the sign (bit 15) and the biased exponent (bits 0..14), as in memory.
// Every operation returns a status accumulator: the exception flags (bits 0..5, as in the x87
// status word) OR the condition codes the instruction defines (C1 = "rounded up" for anything
// that rounds; C0/C2/C3 for compares and fxam; all four for fprem). The caller merges them
// into FSW. Intel SDM Vol. 1, 4.8 (encodings, NaNs), 4.9 (exceptions) and chapter 8 (x87).

/** An 80-bit extended-precision value; `lo`/`hi` are int32 halves of the significand. */
export class F80 {
  lo = 0;
  hi = 0;
  se = 0;
  constructor(se = 0, hi = 0, lo = 0) {
    this.se = se & 0xffff;
    this.hi = hi | 0;
    this.lo = lo | 0;
  }
  set(se: number, hi: number, lo: number): this {
    this.se = se & 0xffff;
    this.hi = hi | 0;
    this.lo = lo | 0;
    return this;
  }
  copyFrom(src: F80): this {
    this.se = src.se;
    this.hi = src.hi;
    this.lo = src.lo;
    return this;
  }
}

// Exception flags, as in the x87 status word (SDM Vol. 1, 8.1.3).
export const FLAG_IE = 0x01;
export const FLAG_DE = 0x02;
export const FLAG_ZE = 0x04;
export const FLAG_OE = 0x08;
export const FLAG_UE = 0x10;
export const FLAG_PE = 0x20;
export const FLAGS_ALL = 0x3f;
// Condition codes, at their status-word positions.
export const SW_C0 = 0x0100;
export const SW_C1 = 0x0200;
export const SW_C2 = 0x0400;
export const SW_C3 = 0x4000;
export const SW_CC = SW_C0 | SW_C1 | SW_C2 | SW_C3;

// Compare results (condition codes as fcom sets them, SDM Vol. 2, FCOM).
export const CMP_GREATER = 0;
export const CMP_LESS = SW_C0;
export const CMP_EQUAL = SW_C3;
export const CMP_UNORDERED = SW_C3 | SW_C2 | SW_C0;

// Rounding control (control word bits 10..11).
export const RC_NEAREST = 0;
export const RC_DOWN = 1;
export const RC_UP = 2;
export const RC_ZERO = 3;

/** Precision control (control word bits 8..9) as significand bits. The reserved 01 behaves as
 *  64 bits on the hardware. PC applies to fadd, fsub, fmul, fdiv and fsqrt only (SDM 8.1.5.2). */
const PRECISION_BITS = [24, 64, 53, 64];
export function precisionOf(cw: number): number {
  return PRECISION_BITS[(cw >> 8) & 3];
}
export function roundingOf(cw: number): number {
  return (cw >> 10) & 3;
}

// Operand classes (SDM Vol. 1, 8.2.2 and table 8-3: unnormals, pseudo-NaNs and
// pseudo-infinities are "unsupported" since the 387 and raise #IA as operands).
export const KIND_ZERO = 0;
export const KIND_DENORMAL = 1; // exponent 0 and J = 0, or a pseudo-denormal (J = 1)
export const KIND_NORMAL = 2;
export const KIND_INF = 3;
export const KIND_QNAN = 4;
export const KIND_SNAN = 5;
export const KIND_UNSUPPORTED = 6;

export function kindOf(a: F80): number {
  const exp = a.se & 0x7fff, hi = a.hi >>> 0;
  if (exp === 0) return (a.hi | a.lo) === 0 ? KIND_ZERO : KIND_DENORMAL;
  if (hi < 0x80000000) return KIND_UNSUPPORTED;
  if (exp !== 0x7fff) return KIND_NORMAL;
  if (hi === 0x80000000 && a.lo === 0) return KIND_INF;
  return hi >= 0xc0000000 ? KIND_QNAN : KIND_SNAN;
}
function isNaNKind(k: number): boolean {
  return k === KIND_QNAN || k === KIND_SNAN;
}

const TWO32 = 4294967296;
const INV_65536 = 1 / 65536; // multiplying by it is exact, and cheaper than dividing
const BIAS = 16383;

// ---------------------------------------------------------------------------------------------
// Working storage. Significand words are unsigned 32-bit numbers, mostly above V8's small-
// integer range, so V8 boxes them (allocates) whenever they are passed to or returned from a
// call that is not inlined, or stored in a module `let`. The helpers below therefore work in
// place on one Float64Array, `sig`, and only exponents, signs and flags (small integers) cross
// calls. `sig` holds a 96-bit significand, most significant word first: the value is
// sign x (sig / 2^95) x 2^(exp - 16383), so with sig[0] bit 31 set it is 1.f x 2^(exp - bias).

const sig = new Float64Array(3);

/** sig >>= n, every bit shifted out ORed into bit 0 ("jamming"). */
function shiftRightJam96(n: number): void {
  if (n <= 0) return;
  let a2 = sig[0], a1 = sig[1], a0 = sig[2];
  if (n >= 96) {
    sig[0] = 0; sig[1] = 0; sig[2] = a2 !== 0 || a1 !== 0 || a0 !== 0 ? 1 : 0;
    return;
  }
  let sticky = 0;
  while (n >= 32) {
    sticky |= a0;
    a0 = a1; a1 = a2; a2 = 0;
    n -= 32;
  }
  if (n > 0) {
    sticky |= a0 << (32 - n);
    a0 = ((a0 >>> n) | (a1 << (32 - n))) >>> 0;
    a1 = ((a1 >>> n) | (a2 << (32 - n))) >>> 0;
    a2 = a2 >>> n;
  }
  sig[0] = a2; sig[1] = a1; sig[2] = (a0 | (sticky !== 0 ? 1 : 0)) >>> 0;
}

/** Shifts sig left until bit 95 is set (sig nonzero); returns the shift. */
function normalize96(): number {
  let a2 = sig[0], a1 = sig[1], a0 = sig[2];
  let n = 0;
  while (a2 === 0) {
    a2 = a1; a1 = a0; a0 = 0;
    n += 32;
  }
  const k = Math.clz32(a2);
  if (k > 0) {
    a2 = ((a2 << k) | (a1 >>> (32 - k))) >>> 0;
    a1 = ((a1 << k) | (a0 >>> (32 - k))) >>> 0;
    a0 = (a0 << k) >>> 0;
  }
  sig[0] = a2; sig[1] = a1; sig[2] = a0;
  return n + k;
}

/**
 * Normalizes the finite nonzero 64-bit significand in sig[0]:sig[1] (sig[2] = 0) with biased
 * exponent `exp`, returning the new exponent: a denormal's exponent is taken as 1, so the
 * result may drop below 1; a pseudo-denormal comes out as exponent 1, J = 1.
 */
function normalize64(exp: number): number {
  if (exp === 0) exp = 1;
  let hi = sig[0], lo = sig[1];
  if (hi >= 0x80000000) return exp;
  let n: number;
  if (hi !== 0) {
    n = Math.clz32(hi);
    hi = ((hi << n) | (lo >>> (32 - n))) >>> 0;
    lo = (lo << n) >>> 0;
  } else {
    n = Math.clz32(lo);
    hi = (lo << n) >>> 0;
    lo = 0;
    n += 32;
  }
  sig[0] = hi; sig[1] = lo;
  return exp - n;
}

/** Loads an operand's significand into sig (sig[2] = 0) and returns its normalized exponent. */
function loadNormalized(a: F80): number {
  sig[0] = a.hi >>> 0; sig[1] = a.lo >>> 0; sig[2] = 0;
  return normalize64(a.se & 0x7fff);
}

// Long division on 16-bit digits (Knuth, TAOCP 4.3.1 algorithm D, as in Hacker's Delight
// divmnu), on scratch arrays allocated once. Little-endian digits. Shared with transcendental.ts
// (argument reduction), like the other exports marked "shared".
export const divU = new Int32Array(16);
export const divV = new Int32Array(8);
export const divQ = new Int32Array(16);

/** divU[0..m-1] / divV[0..n-1], n >= 2, divV[n-1] >= 0x8000, divU[m] must be 0.
 *  Quotient digits in divQ[0..m-n], remainder in divU[0..n-1]. Shared. */
export function divideDigits(m: number, n: number): void {
  const vTop = divV[n - 1], vNext = divV[n - 2];
  for (let j = m - n; j >= 0; j--) {
    const num = divU[j + n] * 65536 + divU[j + n - 1];
    let qhat = Math.floor(num / vTop);
    let rhat = num - qhat * vTop;
    while (qhat >= 65536 || qhat * vNext > rhat * 65536 + divU[j + n - 2]) {
      qhat--;
      rhat += vTop;
      if (rhat >= 65536) break;
    }
    // Multiply and subtract; qhat < 2^16 so every product is below 2^32.
    let k = 0, t = 0;
    for (let i = 0; i < n; i++) {
      const p = qhat * divV[i];
      t = divU[i + j] - k - (p & 0xffff);
      divU[i + j] = t & 0xffff;
      k = (p >>> 16) - (t >> 16);
    }
    t = divU[j + n] - k;
    divU[j + n] = t & 0xffff;
    if (t < 0) {
      // qhat was one too large: add the divisor back.
      qhat--;
      k = 0;
      for (let i = 0; i < n; i++) {
        t = divU[i + j] + divV[i] + k;
        divU[i + j] = t & 0xffff;
        k = t >> 16;
      }
      divU[j + n] = (divU[j + n] + k) & 0xffff;
    }
    divQ[j] = qhat;
  }
}

// ---------------------------------------------------------------------------------------------
// Rounding. The finite nonzero value in sig (bit 95 set) with any integer `exp` is rounded to
// `precision` significant bits (24, 53 or 64) in an exponent field that saturates at `maxExp`
// (0x7fff; fst to double/single reuses this with 0x7ff and 0xff after rebiasing). Tininess is
// detected after rounding, and with underflow masked UE is raised only when the tiny result is
// also inexact (SDM Vol. 1, 4.9.1.5; Berkeley SoftFloat's 8086 specialisation makes the same
// choices). The result is left in sig[0]:sig[1] with its exponent field in `roundedExp`.

let roundedExp = 0; // small integer: safe in a module variable

/** 0: exact, 1: inexact and truncated, 2: inexact and rounded up (magnitude incremented). */
function roundDecision(sign: number, precision: number, rc: number): number {
  const w2 = sig[0], w1 = sig[1], w0 = sig[2];
  let discTop: number, halfTop: number, rest: boolean, lsb: number;
  if (precision === 64) {
    discTop = w0; halfTop = 0x80000000; rest = false; lsb = w1 & 1;
  } else if (precision === 53) {
    discTop = w1 & 0x7ff; halfTop = 0x400; rest = w0 !== 0; lsb = (w1 >>> 11) & 1;
  } else {
    discTop = w2 & 0xff; halfTop = 0x80; rest = w1 !== 0 || w0 !== 0; lsb = (w2 >>> 8) & 1;
  }
  if (discTop === 0 && !rest) return 0;
  let up: boolean;
  switch (rc) {
    case RC_NEAREST: up = discTop > halfTop || (discTop === halfTop && (rest || lsb !== 0)); break;
    case RC_DOWN: up = sign !== 0; break;
    case RC_UP: up = sign === 0; break;
    default: up = false;
  }
  return up ? 2 : 1;
}

function keptBitsAllOnes(precision: number): boolean {
  const w2 = sig[0], w1 = sig[1];
  if (precision === 64) return w2 === 0xffffffff && w1 === 0xffffffff;
  if (precision === 53) return w2 === 0xffffffff && (w1 >>> 11) === 0x1fffff;
  return (w2 >>> 8) === 0xffffff;
}

function roundPack(sign: number, exp: number, precision: number, maxExp: number, rc: number): number {
  let flags = 0;
  let tiny = false;
  if (exp <= 0) {
    // Tiny after rounding unless rounding with an unbounded exponent reaches 2^emin.
    tiny = exp < 0 || !(keptBitsAllOnes(precision) && roundDecision(sign, precision, rc) === 2);
    shiftRightJam96(1 - exp);
    exp = 0;
  }
  const decision = roundDecision(sign, precision, rc);
  let w2 = sig[0], w1 = sig[1];
  if (decision !== 0) {
    flags = FLAG_PE;
    if (tiny) flags |= FLAG_UE;
    // Clear the discarded bits, then add one unit in the last kept place if rounding up.
    if (precision === 53) {
      w1 = (w1 & 0xfffff800) >>> 0;
    } else if (precision === 24) {
      w2 = (w2 & 0xffffff00) >>> 0;
      w1 = 0;
    }
    if (decision === 2) {
      flags |= SW_C1;
      if (precision === 24) {
        w2 += 0x100;
      } else {
        w1 += precision === 64 ? 1 : 0x800;
        if (w1 >= TWO32) {
          w1 -= TWO32;
          w2 += 1;
        }
      }
      if (w2 >= TWO32) {
        // Carry out of the significand: 1.11..1 rounded up to 10.00..0.
        w2 = 0x80000000;
        exp++;
      }
    }
  }
  if (exp === 0) {
    // A denormal that rounded up into the normal range becomes the smallest normal.
    if (w2 >= 0x80000000) exp = 1;
  } else if (exp >= maxExp) {
    // Overflow (masked): infinity, or the largest finite value when rounding toward zero
    // from this side (SDM Vol. 1, 4.9.1.4 and table 4-10).
    flags = FLAG_OE | FLAG_PE;
    if (rc === RC_NEAREST || (rc === RC_UP && sign === 0) || (rc === RC_DOWN && sign !== 0)) {
      exp = maxExp; w2 = 0x80000000; w1 = 0;
      flags |= SW_C1;
    } else {
      exp = maxExp - 1;
      w2 = precision === 24 ? 0xffffff00 : 0xffffffff;
      w1 = precision === 64 ? 0xffffffff : precision === 53 ? 0xfffff800 : 0;
    }
  }
  sig[0] = w2; sig[1] = w1; sig[2] = 0;
  roundedExp = exp;
  return flags;
}

// Unmasked overflow or underflow with a register destination: the result is delivered with its
// exponent wrapped by 3 x 2^13 (the "bias adjust"), and UE is reported for any tiny result, exact
// or not (SDM Vol. 1, 8.5.4 and 8.5.5). Stores to memory never come here. Only fscale can go
// beyond even the adjusted range: then the hardware delivers infinity (OE PE C1, whatever the
// rounding) or zero (UE PE) of the result's sign, as measured on Intel hardware.
const BIAS_ADJUST = 24576;
let rangeTraps = 0;

/** Tells the 80-bit operations which of OE and UE the control word leaves unmasked. */
export function setRangeTraps(cw: number): void {
  rangeTraps = ~cw & (FLAG_OE | FLAG_UE);
}

function roundPackTrapping(sign: number, exp: number, precision: number, rc: number): number {
  if ((rangeTraps & FLAG_UE) && exp <= 0
    && (exp < 0 || !(keptBitsAllOnes(precision) && roundDecision(sign, precision, rc) === 2))) {
    if (exp + BIAS_ADJUST <= 0) return packBeyondAdjust(0, 0) | FLAG_UE | FLAG_PE; // zero
    return roundPack(sign, exp + BIAS_ADJUST, precision, 0x7fff, rc) | FLAG_UE;
  }
  const s0 = sig[0], s1 = sig[1], s2 = sig[2];
  const flags = roundPack(sign, exp, precision, 0x7fff, rc);
  if (!(flags & FLAG_OE) || !(rangeTraps & FLAG_OE)) return flags;
  if (exp - BIAS_ADJUST >= 0x7fff) return packBeyondAdjust(0x7fff, 0x80000000) | FLAG_OE | FLAG_PE | SW_C1; // infinity
  sig[0] = s0; sig[1] = s1; sig[2] = s2;
  return roundPack(sign, exp - BIAS_ADJUST, precision, 0x7fff, rc) | FLAG_OE;
}

/** A result beyond the bias-adjusted range: zero or infinity (the caller adds the sign). */
function packBeyondAdjust(exp: number, w2: number): number {
  sig[0] = w2; sig[1] = 0; sig[2] = 0;
  roundedExp = exp;
  return 0;
}

/** Normalizes, rounds and stores the value in sig (sig[2] carrying sticky bits in bit 0); a
 *  zero significand stores a zero of that sign. `trapping` false: the masked response even when
 *  OE or UE is unmasked (an operand passed through unchanged). */
function roundPackF80(out: F80, sign: number, exp: number, precision: number, rc: number, trapping = true): number {
  if (sig[0] === 0 && sig[1] === 0 && sig[2] === 0) {
    out.se = sign << 15; out.hi = 0; out.lo = 0;
    return 0;
  }
  if (sig[0] < 0x80000000) exp -= normalize96();
  const flags = rangeTraps === 0 || !trapping
    ? roundPack(sign, exp, precision, 0x7fff, rc) : roundPackTrapping(sign, exp, precision, rc);
  out.se = (sign << 15) | roundedExp;
  out.hi = sig[0] | 0;
  out.lo = sig[1] | 0;
  return flags;
}

/**
 * Rounds sign x (w2:w1:w0 / 2^95) x 2^(exp - 16383) to the 80-bit format and stores it; w0
 * carries sticky bits in its low bit. Shared with transcendental.ts.
 */
export function packF80(out: F80, sign: number, exp: number, w2: number, w1: number, w0: number,
  precision: number, rc: number): number {
  sig[0] = w2; sig[1] = w1; sig[2] = w0;
  return roundPackF80(out, sign, exp, precision, rc);
}

// ---------------------------------------------------------------------------------------------
// Special results.

/** The "real indefinite" QNaN: sign 1, exponent 0x7fff, significand 0xC000000000000000. */
export function setIndefinite(out: F80): number {
  out.se = 0xffff; out.hi = 0xc0000000 | 0; out.lo = 0;
  return FLAG_IE;
}
function setInfinity(out: F80, sign: number): void {
  out.se = (sign << 15) | 0x7fff; out.hi = 0x80000000 | 0; out.lo = 0;
}
function setZero(out: F80, sign: number): void {
  out.se = sign << 15; out.hi = 0; out.lo = 0;
}
function setQuieted(out: F80, nan: F80): void {
  out.se = nan.se; out.hi = nan.hi | 0x40000000; out.lo = nan.lo;
}

/** A NaN operand (SDM Vol. 1, 4.8.3.5 and table 4-7): an SNaN is quieted with IE. Shared. */
export function propagateNaN1(a: F80, kind: number, out: F80): number {
  setQuieted(out, a);
  return kind === KIND_SNAN ? FLAG_IE : 0;
}

/**
 * Two operands, at least one a NaN (table 4-7, x87 column): an SNaN and a QNaN give the QNaN;
 * two NaNs of one kind give the one with the larger significand (the positive one if equal);
 * one NaN gives that NaN. The result is quiet; any SNaN raises IE. Shared.
 */
export function propagateNaN2(a: F80, aKind: number, b: F80, bKind: number, out: F80): number {
  const flags = aKind === KIND_SNAN || bKind === KIND_SNAN ? FLAG_IE : 0;
  let pickA: boolean;
  if (isNaNKind(aKind) && isNaNKind(bKind)) {
    if (aKind !== bKind) {
      pickA = aKind === KIND_QNAN;
    } else {
      const aMag = a.hi & 0x7fffffff, bMag = b.hi & 0x7fffffff;
      const aLo = a.lo >>> 0, bLo = b.lo >>> 0;
      if (aMag !== bMag) pickA = aMag > bMag;
      else if (aLo !== bLo) pickA = aLo > bLo;
      else pickA = a.se <= b.se;
    }
  } else {
    pickA = isNaNKind(aKind);
  }
  setQuieted(out, pickA ? a : b);
  return flags;
}

// ---------------------------------------------------------------------------------------------
// fadd / fsub (fsubr, fiadd, fadd m64... by swapping or converting operands first)

export function f80Add(a: F80, b: F80, cw: number, out: F80): number {
  return addSub(a, b, 0, cw, out);
}

/** a - b. */
export function f80Sub(a: F80, b: F80, cw: number, out: F80): number {
  return addSub(a, b, 1, cw, out);
}

function addSub(a: F80, b: F80, negateB: number, cw: number, out: F80): number {
  const aKind = kindOf(a), bKind = kindOf(b);
  let aSign = a.se >>> 15;
  let bSign = (b.se >>> 15) ^ negateB;
  const rc = (cw >> 10) & 3;
  if (aKind >= KIND_INF || bKind >= KIND_INF) {
    if (aKind === KIND_UNSUPPORTED || bKind === KIND_UNSUPPORTED) return setIndefinite(out);
    // A NaN keeps its own sign: fsub does not negate it.
    if (isNaNKind(aKind) || isNaNKind(bKind)) return propagateNaN2(a, aKind, b, bKind, out);
    const flags = aKind === KIND_DENORMAL || bKind === KIND_DENORMAL ? FLAG_DE : 0;
    if (aKind === KIND_INF && bKind === KIND_INF) {
      if (aSign !== bSign) return flags | setIndefinite(out); // inf - inf
      setInfinity(out, aSign);
      return flags;
    }
    setInfinity(out, aKind === KIND_INF ? aSign : bSign);
    return flags;
  }
  const flags = aKind === KIND_DENORMAL || bKind === KIND_DENORMAL ? FLAG_DE : 0;
  if (aKind === KIND_ZERO && bKind === KIND_ZERO) {
    // IEEE 754 6.3: x + x keeps the sign; a sum of opposite zeros is +0 except rounding down.
    setZero(out, aSign === bSign ? aSign : rc === RC_DOWN ? 1 : 0);
    return flags;
  }
  const precision = PRECISION_BITS[(cw >> 8) & 3];
  // Denormals and zeros have the scale of exponent 1; they are added unnormalized.
  let ea = a.se & 0x7fff, eb = b.se & 0x7fff;
  if (ea === 0) ea = 1;
  if (eb === 0) eb = 1;
  let aHi = a.hi >>> 0, aLo = a.lo >>> 0, bHi = b.hi >>> 0, bLo = b.lo >>> 0;
  // Order so that |a| >= |b|.
  if (ea < eb || (ea === eb && (aHi < bHi || (aHi === bHi && aLo < bLo)))) {
    let t = ea; ea = eb; eb = t;
    t = aHi; aHi = bHi; bHi = t;
    t = aLo; aLo = bLo; bLo = t;
    t = aSign; aSign = bSign; bSign = t;
  }
  sig[0] = bHi; sig[1] = bLo; sig[2] = 0;
  shiftRightJam96(ea - eb);
  const b2 = sig[0], b1 = sig[1], b0 = sig[2];
  let t2: number, t1: number, t0: number;
  let exp = ea;
  if (aSign === bSign) {
    t0 = b0;
    t1 = aLo + b1;
    let carry = 0;
    if (t1 >= TWO32) { t1 -= TWO32; carry = 1; }
    t2 = aHi + b2 + carry;
    if (t2 >= TWO32) {
      // Carry out: shift right one place, keeping the lost bit sticky.
      t2 -= TWO32;
      t0 = ((t0 >>> 1) | (t1 << 31) | (t0 & 1)) >>> 0;
      t1 = ((t1 >>> 1) | (t2 << 31)) >>> 0;
      t2 = ((t2 >>> 1) | 0x80000000) >>> 0;
      exp++;
    }
  } else {
    // At most one place of cancellation loses guard bits when ea > eb, so 32 guard bits plus
    // sticky are plenty; when ea = eb the difference is exact.
    let borrow = 0;
    t0 = -b0;
    if (t0 < 0) { t0 += TWO32; borrow = 1; }
    t1 = aLo - b1 - borrow;
    borrow = 0;
    if (t1 < 0) { t1 += TWO32; borrow = 1; }
    t2 = aHi - b2 - borrow;
    if (t2 === 0 && t1 === 0 && t0 === 0) {
      setZero(out, rc === RC_DOWN ? 1 : 0);
      return flags;
    }
  }
  sig[0] = t2; sig[1] = t1; sig[2] = t0;
  return flags | roundPackF80(out, aSign, exp, precision, rc);
}

// ---------------------------------------------------------------------------------------------
// fmul

export function f80Mul(a: F80, b: F80, cw: number, out: F80): number {
  const aKind = kindOf(a), bKind = kindOf(b);
  const sign = (a.se ^ b.se) >>> 15;
  if (aKind >= KIND_INF || bKind >= KIND_INF) {
    if (aKind === KIND_UNSUPPORTED || bKind === KIND_UNSUPPORTED) return setIndefinite(out);
    if (isNaNKind(aKind) || isNaNKind(bKind)) return propagateNaN2(a, aKind, b, bKind, out);
    const flags = aKind === KIND_DENORMAL || bKind === KIND_DENORMAL ? FLAG_DE : 0;
    if (aKind === KIND_ZERO || bKind === KIND_ZERO) return flags | setIndefinite(out); // 0 x inf
    setInfinity(out, sign);
    return flags;
  }
  const flags = aKind === KIND_DENORMAL || bKind === KIND_DENORMAL ? FLAG_DE : 0;
  if (aKind === KIND_ZERO || bKind === KIND_ZERO) {
    setZero(out, sign);
    return flags;
  }
  const ea = loadNormalized(a);
  const aHi = sig[0], aLo = sig[1];
  const eb = loadNormalized(b);
  const bHi = sig[0], bLo = sig[1];
  // The 128-bit product from 16-bit pieces: every partial product and column sum stays exact
  // in a double (a column is below 2^35), and `& 0xffff` takes a column's low digit exactly
  // even above 2^32, since ToInt32 reduces modulo 2^32.
  const a0 = aLo & 0xffff, a1 = aLo >>> 16, a2 = aHi & 0xffff, a3 = aHi >>> 16;
  const b0 = bLo & 0xffff, b1 = bLo >>> 16, b2 = bHi & 0xffff, b3 = bHi >>> 16;
  let t = a0 * b0;
  const d0 = t & 0xffff;
  t = (t - d0) * INV_65536 + a0 * b1 + a1 * b0;
  const d1 = t & 0xffff;
  t = (t - d1) * INV_65536 + a0 * b2 + a1 * b1 + a2 * b0;
  const d2 = t & 0xffff;
  t = (t - d2) * INV_65536 + a0 * b3 + a1 * b2 + a2 * b1 + a3 * b0;
  const d3 = t & 0xffff;
  t = (t - d3) * INV_65536 + a1 * b3 + a2 * b2 + a3 * b1;
  const d4 = t & 0xffff;
  t = (t - d4) * INV_65536 + a2 * b3 + a3 * b2;
  const d5 = t & 0xffff;
  t = (t - d5) * INV_65536 + a3 * b3;
  const d6 = t & 0xffff;
  const d7 = (t - d6) * INV_65536;
  // Top 96 bits, the low 32 as sticky. The product of two significands in [1, 2) is in
  // [1, 4): exponent ea + eb - bias + 1 when bit 127 is set, which roundPackF80 adjusts.
  sig[0] = d7 * 65536 + d6;
  sig[1] = d5 * 65536 + d4;
  sig[2] = d1 !== 0 || d0 !== 0 ? ((d3 << 16) | d2 | 1) >>> 0 : d3 * 65536 + d2;
  const rc = (cw >> 10) & 3;
  const precision = PRECISION_BITS[(cw >> 8) & 3];
  return flags | roundPackF80(out, sign, ea + eb - 16382, precision, rc);
}

// ---------------------------------------------------------------------------------------------
// fdiv (fdivr is the argument swap)

/** a / b. */
export function f80Div(a: F80, b: F80, cw: number, out: F80): number {
  const aKind = kindOf(a), bKind = kindOf(b);
  const sign = (a.se ^ b.se) >>> 15;
  if (aKind >= KIND_INF || bKind >= KIND_INF) {
    if (aKind === KIND_UNSUPPORTED || bKind === KIND_UNSUPPORTED) return setIndefinite(out);
    if (isNaNKind(aKind) || isNaNKind(bKind)) return propagateNaN2(a, aKind, b, bKind, out);
    const flags = aKind === KIND_DENORMAL || bKind === KIND_DENORMAL ? FLAG_DE : 0;
    if (aKind === KIND_INF) {
      if (bKind === KIND_INF) return flags | setIndefinite(out);
      setInfinity(out, sign);
    } else {
      setZero(out, sign); // finite / inf
    }
    return flags;
  }
  if (bKind === KIND_ZERO) {
    // Divide-by-zero outranks the denormal-operand exception (SDM Vol. 1, 4.9.2): a denormal
    // dividend raises only ZE.
    if (aKind === KIND_ZERO) return setIndefinite(out);
    setInfinity(out, sign);
    return FLAG_ZE;
  }
  const flags = aKind === KIND_DENORMAL || bKind === KIND_DENORMAL ? FLAG_DE : 0;
  if (aKind === KIND_ZERO) {
    setZero(out, sign);
    return flags;
  }
  const ea = loadNormalized(a);
  const aHi = sig[0], aLo = sig[1];
  const eb = loadNormalized(b);
  // q = floor(A * 2^96 / B): 96 or 97 significant bits, the remainder sticky.
  divU.fill(0);
  divU[6] = aLo & 0xffff; divU[7] = aLo >>> 16; divU[8] = aHi & 0xffff; divU[9] = aHi >>> 16;
  divV[0] = sig[1] & 0xffff; divV[1] = sig[1] >>> 16; divV[2] = sig[0] & 0xffff; divV[3] = sig[0] >>> 16;
  divideDigits(10, 4);
  const sticky = (divU[0] | divU[1] | divU[2] | divU[3]) !== 0 ? 1 : 0;
  // 96 or 97 bits: the low 96 first, then the top bit (divQ[6] is 0 or 1) shifted in.
  sig[0] = divQ[5] * 65536 + divQ[4];
  sig[1] = divQ[3] * 65536 + divQ[2];
  sig[2] = ((divQ[1] << 16) | divQ[0] | sticky) >>> 0;
  let exp = ea - eb + 16382;
  if (divQ[6] !== 0) {
    shiftRightJam96(1);
    sig[0] += 0x80000000;
    exp++;
  }
  const rc = (cw >> 10) & 3;
  const precision = PRECISION_BITS[(cw >> 8) & 3];
  return flags | roundPackF80(out, sign, exp, precision, rc);
}

// ---------------------------------------------------------------------------------------------
// fsqrt

export function f80Sqrt(a: F80, cw: number, out: F80): number {
  const kind = kindOf(a);
  const sign = a.se >>> 15;
  if (kind === KIND_UNSUPPORTED) return setIndefinite(out);
  if (isNaNKind(kind)) return propagateNaN1(a, kind, out);
  if (kind === KIND_ZERO) {
    setZero(out, sign); // sqrt(-0) = -0
    return 0;
  }
  // An invalid operation outranks the denormal-operand exception (SDM Vol. 1, 4.9.2).
  if (sign !== 0) return setIndefinite(out);
  const flags = kind === KIND_DENORMAL ? FLAG_DE : 0;
  if (kind === KIND_INF) {
    setInfinity(out, 0);
    return 0;
  }
  // value = M/2^63 x 2^t. With t made even (M doubled when t is odd), the root's significand is
  // R = floor(sqrt(N)), N = M x 2^(69 + odd): 67 bits (two guard bits past 64), and N = R^2
  // decides the sticky bit. N's top 64 bits are M (a leading 0 bit and M's last bit left over
  // when the shift 69 is odd): their root, the first 32 bits of R, comes from Math.sqrt and an
  // exact check; the other 35 bits digit by digit, with root and remainder in 34-bit limbs.
  const t = loadNormalized(a) - BIAS;
  const odd = t & 1;
  let hi = sig[0], lo = sig[1], extra = 0;
  if (odd === 0) {
    extra = (lo & 1) << 31;
    lo = ((lo >>> 1) | (hi << 31)) >>> 0;
    hi = hi >>> 1;
  }
  // r = floor(sqrt(hi:lo)) within one of Math.sqrt's estimate; rem = hi:lo - r^2 exactly.
  let r = Math.floor(Math.sqrt(hi * TWO32 + lo));
  if (r >= TWO32) r = TWO32 - 1;
  const rh = Math.floor(r / 65536), rl = r - rh * 65536;
  // r^2 = rh^2 2^32 + 2 rh rl 2^16 + rl^2, as a high and a low word.
  const mid = 2 * rh * rl;
  const midHi = Math.floor(mid / 65536);
  let sqLo = rl * rl + (mid - midHi * 65536) * 65536;
  let sqHi = rh * rh + midHi;
  if (sqLo >= TWO32) { sqLo -= TWO32; sqHi += 1; }
  let rem = (hi - sqHi) * TWO32 + (lo - sqLo);
  if (rem < 0) { r -= 1; rem += 2 * r + 1; }
  else if (rem > 2 * r) { rem -= 2 * r + 1; r += 1; }
  const LIMB = 17179869184, INV_LIMB = 1 / LIMB; // 2^34, 2^-34 (exact)
  let rootH = 0, rootL = r, remH = 0, remL = rem;
  for (let i = 0; i < 35; i++) {
    const pair = extra >>> 30;
    extra = (extra << 2) >>> 0;
    // rem = 4 rem + pair; trial = 4 root + 1; root = 2 root (+1 when rem >= trial).
    remL = remL * 4 + pair;
    let carry = Math.floor(remL * INV_LIMB);
    remL -= carry * LIMB;
    remH = remH * 4 + carry;
    let trialL = rootL * 4 + 1;
    carry = Math.floor(trialL * INV_LIMB);
    trialL -= carry * LIMB;
    const trialH = rootH * 4 + carry;
    rootL *= 2;
    if (rootL >= LIMB) { rootL -= LIMB; rootH = rootH * 2 + 1; } else { rootH *= 2; }
    if (remH > trialH || (remH === trialH && remL >= trialL)) {
      remL -= trialL;
      remH -= trialH;
      if (remL < 0) { remL += LIMB; remH -= 1; }
      rootL += 1;
    }
  }
  // The root, bits 66..0 (rootH holds 66..34), goes to sig bits 95..29.
  const low35 = (rootH % 2) * LIMB + rootL; // root bits 34..0
  sig[0] = Math.floor(rootH / 2);
  sig[1] = Math.floor(low35 / 8);
  sig[2] = (low35 % 8) * 0x20000000 + (remH !== 0 || remL !== 0 ? 1 : 0);
  const rc = (cw >> 10) & 3;
  const precision = PRECISION_BITS[(cw >> 8) & 3];
  return flags | roundPackF80(out, 0, (t >> 1) + BIAS, precision, rc);
}

// ---------------------------------------------------------------------------------------------
// fcom / fucom / fcomi / fucomi / ftst

/**
 * Compares a with b. Returns CMP_* condition codes plus flags: IE for an unsupported operand,
 * an SNaN, or (unless `quiet`, i.e. fucom) any NaN; DE for a denormal operand.
 */
export function f80Compare(a: F80, b: F80, quiet: boolean): number {
  const aKind = kindOf(a), bKind = kindOf(b);
  if (aKind === KIND_UNSUPPORTED || bKind === KIND_UNSUPPORTED) return CMP_UNORDERED | FLAG_IE;
  if (isNaNKind(aKind) || isNaNKind(bKind)) {
    const signaling = aKind === KIND_SNAN || bKind === KIND_SNAN;
    return CMP_UNORDERED | (signaling || !quiet ? FLAG_IE : 0);
  }
  const flags = aKind === KIND_DENORMAL || bKind === KIND_DENORMAL ? FLAG_DE : 0;
  if (aKind === KIND_ZERO && bKind === KIND_ZERO) return CMP_EQUAL | flags;
  const aSign = a.se >>> 15, bSign = b.se >>> 15;
  if (aSign !== bSign) {
    // Different signs and not both zero (a zero's sign does not matter against a nonzero).
    return (aSign ? CMP_LESS : CMP_GREATER) | flags;
  }
  // Same sign: compare magnitudes as (effective exponent, significand); a pseudo-denormal has
  // the scale of exponent 1, like a denormal, so this order is the numeric order.
  let ea = a.se & 0x7fff, eb = b.se & 0x7fff;
  if (ea === 0) ea = 1;
  if (eb === 0) eb = 1;
  const aHi = a.hi >>> 0, bHi = b.hi >>> 0, aLo = a.lo >>> 0, bLo = b.lo >>> 0;
  let mag: number;
  if (aKind === KIND_ZERO) mag = -1;
  else if (bKind === KIND_ZERO) mag = 1;
  else if (ea !== eb) mag = ea > eb ? 1 : -1;
  else if (aHi !== bHi) mag = aHi > bHi ? 1 : -1;
  else if (aLo !== bLo) mag = aLo > bLo ? 1 : -1;
  else return CMP_EQUAL | flags;
  if (aSign) mag = -mag;
  return (mag > 0 ? CMP_GREATER : CMP_LESS) | flags;
}

// ---------------------------------------------------------------------------------------------
// frndint and the integer conversions share one "round to integer" step.

/**
 * Rounds |value| to an integer per rc: the value's normalized significand is in sig[0]:sig[1]
 * with exponent `exp`, below 2^64. Leaves the integer in sig[0]:sig[1] (it may reach 2^64,
 * sig[0] = 2^32) and returns the roundDecision code.
 */
function roundToInteger(exp: number, sign: number, rc: number): number {
  const fracBits = BIAS + 63 - exp;
  if (fracBits <= 0) return 0;
  // As a fixed-point number with the binary point between sig[1] and sig[2].
  sig[2] = 0;
  shiftRightJam96(fracBits);
  const decision = roundDecision(sign, 64, rc);
  if (decision === 2) {
    sig[1] += 1;
    if (sig[1] >= TWO32) { sig[1] -= TWO32; sig[0] += 1; }
  }
  return decision;
}

export function f80RoundToInt(a: F80, cw: number, out: F80): number {
  const kind = kindOf(a);
  const sign = a.se >>> 15;
  if (kind === KIND_UNSUPPORTED) return setIndefinite(out);
  if (isNaNKind(kind)) return propagateNaN1(a, kind, out);
  if (kind === KIND_ZERO || kind === KIND_INF) {
    out.copyFrom(a);
    return 0;
  }
  const flags = kind === KIND_DENORMAL ? FLAG_DE : 0;
  if ((a.se & 0x7fff) >= BIAS + 63) {
    out.copyFrom(a); // already an integer
    return flags;
  }
  const rc = (cw >> 10) & 3;
  const decision = roundToInteger(loadNormalized(a), sign, rc); // below 2^63: no carry out
  sig[2] = 0;
  roundPackF80(out, sign, BIAS + 63, 64, rc); // exact; a zero keeps its sign
  return flags | (decision === 0 ? 0 : decision === 1 ? FLAG_PE : FLAG_PE | SW_C1);
}

// ---------------------------------------------------------------------------------------------
// fist / fistp / fisttp and fild

/**
 * Converts to a 16-, 32- or 64-bit signed integer, rounding per the control word (fist) or
 * toward zero (fisttp, `truncate`). The result is left in out.lo (and out.hi for 64 bits,
 * sign-extended otherwise). NaNs, infinities, unsupported values and out-of-range values give
 * the "integer indefinite" (the most negative value) with IE and nothing else.
 */
export function f80ToInt(a: F80, cw: number, bits: 16 | 32 | 64, truncate: boolean, out: F80): number {
  const kind = kindOf(a);
  const sign = a.se >>> 15;
  out.se = 0;
  if (kind >= KIND_INF) return setIntegerIndefinite(out, bits);
  if (kind === KIND_ZERO) {
    out.hi = 0; out.lo = 0;
    return 0;
  }
  // At least 2^64 in magnitude: out of range for every width.
  if ((a.se & 0x7fff) >= BIAS + 64) return setIntegerIndefinite(out, bits);
  const decision = roundToInteger(loadNormalized(a), sign, truncate ? RC_ZERO : (cw >> 10) & 3);
  const iHi = sig[0], iLo = sig[1];
  let ok: boolean;
  if (bits === 64) {
    ok = iHi < 0x80000000 || (sign !== 0 && iHi === 0x80000000 && iLo === 0);
  } else {
    const limit = bits === 32 ? 0x80000000 : 0x8000;
    ok = iHi === 0 && (iLo < limit || (sign !== 0 && iLo === limit));
  }
  if (!ok) return setIntegerIndefinite(out, bits);
  let rh = iHi, rl = iLo;
  if (sign !== 0 && (rh !== 0 || rl !== 0)) {
    // Two's complement negation of the 64-bit magnitude.
    rl = TWO32 - rl;
    rh = TWO32 - 1 - rh;
    if (rl === TWO32) { rl = 0; rh += 1; }
  }
  out.hi = rh | 0;
  out.lo = rl | 0;
  if (bits === 16) out.lo = (rl << 16) >> 16;
  if (bits !== 64) out.hi = out.lo >> 31;
  return decision === 0 ? 0 : decision === 1 ? FLAG_PE : FLAG_PE | SW_C1;
}

function setIntegerIndefinite(out: F80, bits: number): number {
  out.se = 0;
  if (bits === 64) {
    out.hi = 0x80000000 | 0; out.lo = 0;
  } else {
    out.hi = -1;
    out.lo = bits === 32 ? 0x80000000 | 0 : -32768;
  }
  return FLAG_IE;
}

/** fild m16/m32: exact. */
export function f80FromInt32(v: number, out: F80): void {
  v |= 0;
  if (v === 0) {
    setZero(out, 0);
    return;
  }
  const sign = v < 0 ? 1 : 0;
  const mag = sign ? -v : v; // up to 2^31, exact as a number
  const n = Math.clz32(mag);
  out.se = (sign << 15) | (BIAS + 31 - n);
  out.hi = (mag << n) | 0;
  out.lo = 0;
}

/** fild m64: exact; the value is hi:lo as a signed 64-bit integer. */
export function f80FromInt64(lo: number, hi: number, out: F80): void {
  let h = hi >>> 0, l = lo >>> 0;
  const sign = h >>> 31;
  if (sign) {
    l = TWO32 - l;
    h = TWO32 - 1 - h;
    if (l === TWO32) { l = 0; h += 1; }
  }
  if (h === 0 && l === 0) {
    setZero(out, 0);
    return;
  }
  sig[0] = h; sig[1] = l; sig[2] = 0;
  const exp = normalize64(BIAS + 63);
  out.se = (sign << 15) | exp;
  out.hi = sig[0] | 0;
  out.lo = sig[1] | 0;
}

// ---------------------------------------------------------------------------------------------
// fld m32/m64 and fst/fstp m32/m64

/**
 * fld m64 (the double's bit pattern as int32 halves): exact widening. A denormal source raises
 * DE; an SNaN is quieted with IE. With `keepSignaling` (an arithmetic memory operand, fadd m64
 * and the like) an SNaN stays signaling and raises nothing here, so the operation applies the
 * two-NaN rules to it; then merge the returned DE with mergeMemoryOperandFlags.
 */
export function f80FromFloat64(lo: number, hi: number, out: F80, keepSignaling = false): number {
  const h = hi >>> 0, l = lo >>> 0;
  const sign = h >>> 31;
  const exp = (h >>> 20) & 0x7ff;
  const fracHi = h & 0xfffff;
  // The fraction left-aligned below J: frac << 11.
  const mHi = ((fracHi << 11) | (l >>> 21)) >>> 0;
  const mLo = (l << 11) >>> 0;
  if (exp === 0x7ff) {
    out.se = (sign << 15) | 0x7fff;
    out.hi = mHi | 0x80000000;
    out.lo = mLo | 0;
    if ((fracHi | l) === 0 || keepSignaling || (mHi & 0x40000000) !== 0) return 0;
    out.hi = mHi | 0xc0000000;
    return FLAG_IE;
  }
  if (exp === 0) {
    if ((fracHi | l) === 0) {
      setZero(out, sign);
      return 0;
    }
    // A denormal double is normal in the wider format; its scale is that of exponent 1.
    sig[0] = mHi; sig[1] = mLo; sig[2] = 0;
    const e = normalize64(1 - 1023 + BIAS);
    out.se = (sign << 15) | e;
    out.hi = sig[0] | 0;
    out.lo = sig[1] | 0;
    return FLAG_DE;
  }
  out.se = (sign << 15) | (exp - 1023 + BIAS);
  out.hi = mHi | 0x80000000;
  out.lo = mLo | 0;
  return 0;
}

/** fld m32; `keepSignaling` as for f80FromFloat64. */
export function f80FromFloat32(bits: number, out: F80, keepSignaling = false): number {
  const b = bits >>> 0;
  const sign = b >>> 31;
  const exp = (b >>> 23) & 0xff;
  const frac = b & 0x7fffff;
  const mHi = (frac << 8) >>> 0;
  out.lo = 0;
  if (exp === 0xff) {
    out.se = (sign << 15) | 0x7fff;
    out.hi = mHi | 0x80000000;
    if (frac === 0 || keepSignaling || (mHi & 0x40000000) !== 0) return 0;
    out.hi = mHi | 0xc0000000;
    return FLAG_IE;
  }
  if (exp === 0) {
    if (frac === 0) {
      setZero(out, sign);
      return 0;
    }
    const n = Math.clz32(mHi);
    out.se = (sign << 15) | (1 - 127 + BIAS - n);
    out.hi = mHi << n;
    return FLAG_DE;
  }
  out.se = (sign << 15) | (exp - 127 + BIAS);
  out.hi = mHi | 0x80000000;
  return 0;
}

/**
 * The flags of an arithmetic instruction with a float32/float64 memory operand: the flags of
 * the operation on the widened operand (converted with keepSignaling) plus the conversion's DE
 * for a denormal source, which the hardware drops when the other operand is a NaN or
 * unsupported, or when the operation divides by zero (fdivr with a denormal m64 and ST0 = 0).
 */
export function mergeMemoryOperandFlags(conversionFlags: number, other: F80, opFlags: number): number {
  if ((conversionFlags & FLAG_DE) === 0 || (opFlags & FLAG_ZE) !== 0) return opFlags;
  const kind = kindOf(other);
  if (kind === KIND_UNSUPPORTED || isNaNKind(kind)) return opFlags;
  return opFlags | FLAG_DE;
}

/**
 * fst m64: rounds to double per RC (PC does not apply); the bit pattern goes to out.lo/out.hi.
 * An SNaN is quieted with IE; an unsupported value stores the double indefinite with IE. No DE:
 * the source is not checked for denormals (SDM Vol. 2, FST exceptions).
 */
export function f80ToFloat64(a: F80, cw: number, out: F80): number {
  const kind = kindOf(a);
  const sign = a.se >>> 15;
  const hi = a.hi >>> 0, lo = a.lo >>> 0;
  out.se = 0;
  switch (kind) {
    case KIND_UNSUPPORTED:
      out.hi = 0xfff80000 | 0; out.lo = 0;
      return FLAG_IE;
    case KIND_QNAN:
    case KIND_SNAN:
      out.hi = (sign << 31) | 0x7ff80000 | ((hi & 0x7fffffff) >>> 11);
      out.lo = (hi << 21) | (lo >>> 11);
      return kind === KIND_SNAN ? FLAG_IE : 0;
    case KIND_INF:
      out.hi = (sign << 31) | 0x7ff00000; out.lo = 0;
      return 0;
    case KIND_ZERO:
      out.hi = sign << 31; out.lo = 0;
      return 0;
  }
  const exp = loadNormalized(a);
  const flags = roundPack(sign, exp - BIAS + 1023, 53, 0x7ff, (cw >> 10) & 3);
  out.hi = (sign << 31) | (roundedExp << 20) | ((sig[0] & 0x7fffffff) >>> 11);
  out.lo = (sig[0] << 21) | (sig[1] >>> 11);
  return flags;
}

/** fst m32: as f80ToFloat64, the bit pattern in out.lo. */
export function f80ToFloat32(a: F80, cw: number, out: F80): number {
  const kind = kindOf(a);
  const sign = a.se >>> 15;
  out.se = 0; out.hi = 0;
  switch (kind) {
    case KIND_UNSUPPORTED:
      out.lo = 0xffc00000 | 0;
      return FLAG_IE;
    case KIND_QNAN:
    case KIND_SNAN:
      out.lo = (sign << 31) | 0x7fc00000 | ((a.hi & 0x7fffffff) >>> 8);
      return kind === KIND_SNAN ? FLAG_IE : 0;
    case KIND_INF:
      out.lo = (sign << 31) | 0x7f800000;
      return 0;
    case KIND_ZERO:
      out.lo = sign << 31;
      return 0;
  }
  const exp = loadNormalized(a);
  const flags = roundPack(sign, exp - BIAS + 127, 24, 0xff, (cw >> 10) & 3);
  out.lo = (sign << 31) | (roundedExp << 23) | ((sig[0] & 0x7fffffff) >>> 8);
  return flags;
}

// ---------------------------------------------------------------------------------------------
// fxam

/** fxam's C3/C2/C0 class codes with C1 = sign (SDM Vol. 2, FXAM). An empty register (101) is
 *  the caller's to report from the tag word. */
export function f80Examine(a: F80): number {
  const c1 = a.se & 0x8000 ? SW_C1 : 0;
  switch (kindOf(a)) {
    case KIND_UNSUPPORTED: return c1;
    case KIND_QNAN:
    case KIND_SNAN: return c1 | SW_C0;
    case KIND_NORMAL: return c1 | SW_C2;
    case KIND_INF: return c1 | SW_C2 | SW_C0;
    case KIND_ZERO: return c1 | SW_C3;
    default: return c1 | SW_C3 | SW_C2; // denormal, pseudo-denormal
  }
}

// ---------------------------------------------------------------------------------------------
// fscale

/** ST0 (a) x 2^trunc(ST1 (b)), at full precision per RC (PC does not apply). */
export function f80Scale(a: F80, b: F80, cw: number, out: F80): number {
  const aKind = kindOf(a), bKind = kindOf(b);
  if (aKind === KIND_UNSUPPORTED || bKind === KIND_UNSUPPORTED) return setIndefinite(out);
  if (isNaNKind(aKind) || isNaNKind(bKind)) return propagateNaN2(a, aKind, b, bKind, out);
  const aSign = a.se >>> 15, bSign = b.se >>> 15;
  const flags = aKind === KIND_DENORMAL || bKind === KIND_DENORMAL ? FLAG_DE : 0;
  if (bKind === KIND_INF) {
    // x * 2^-inf = 0 and x * 2^+inf = inf, but inf * 2^-inf and 0 * 2^+inf are invalid.
    if (bSign) {
      if (aKind === KIND_INF) return flags | setIndefinite(out);
      setZero(out, aSign);
    } else {
      if (aKind === KIND_ZERO) return flags | setIndefinite(out);
      setInfinity(out, aSign);
    }
    return flags;
  }
  if (aKind === KIND_ZERO || aKind === KIND_INF) {
    out.copyFrom(a);
    return flags;
  }
  if (bKind === KIND_ZERO) {
    // ST0 passes through (a pseudo-denormal normalized): a denormal does not underflow.
    return flags | roundPackF80(out, aSign, loadNormalized(a), 64, RC_NEAREST, false);
  }
  // n = trunc(ST1); beyond +-2^16 every result over- or underflows alike, so saturate there.
  const bExp = b.se & 0x7fff;
  let n = 0;
  if (bKind !== KIND_ZERO && bExp >= BIAS) {
    n = bExp >= BIAS + 16 ? 0x10000 : (b.hi >>> 0) >>> (31 - (bExp - BIAS));
    if (bSign) n = -n;
  }
  const exp = loadNormalized(a);
  return flags | roundPackF80(out, aSign, exp + n, 64, (cw >> 10) & 3);
}

// ---------------------------------------------------------------------------------------------
// fxtract

/**
 * Splits ST0 into its unbiased exponent (as a value, into `outExponent`, which becomes ST1) and
 * its significand with exponent 0 (`outSignificand`, the new ST0). Zero gives -inf with ZE.
 */
export function f80Extract(a: F80, outExponent: F80, outSignificand: F80): number {
  const kind = kindOf(a);
  const sign = a.se >>> 15;
  switch (kind) {
    case KIND_UNSUPPORTED:
      setIndefinite(outExponent);
      return setIndefinite(outSignificand);
    case KIND_QNAN:
    case KIND_SNAN: {
      const flags = propagateNaN1(a, kind, outSignificand);
      outExponent.copyFrom(outSignificand);
      return flags;
    }
    case KIND_INF:
      setInfinity(outExponent, 0);
      setInfinity(outSignificand, sign);
      return 0;
    case KIND_ZERO:
      setInfinity(outExponent, 1);
      setZero(outSignificand, sign);
      return FLAG_ZE;
  }
  const exp = loadNormalized(a);
  f80FromInt32(exp - BIAS, outExponent);
  outSignificand.se = (sign << 15) | BIAS;
  outSignificand.hi = sig[0] | 0;
  outSignificand.lo = sig[1] | 0;
  return kind === KIND_DENORMAL ? FLAG_DE : 0;
}

// ---------------------------------------------------------------------------------------------
// fprem / fprem1

/** fprem: partial remainder of a (ST0) by b (ST1), quotient truncated; C0/C3/C1 = quotient
 *  bits 2/1/0, C2 = 1 when the reduction is incomplete. */
export function f80Prem(a: F80, b: F80, out: F80): number {
  return remainder(a, b, false, out);
}

/** fprem1: IEEE remainder, quotient rounded to nearest-even; condition codes as fprem. */
export function f80Prem1(a: F80, b: F80, out: F80): number {
  return remainder(a, b, true, out);
}

function remainder(a: F80, b: F80, nearest: boolean, out: F80): number {
  const aKind = kindOf(a), bKind = kindOf(b);
  if (aKind === KIND_UNSUPPORTED || bKind === KIND_UNSUPPORTED) return setIndefinite(out);
  if (isNaNKind(aKind) || isNaNKind(bKind)) return propagateNaN2(a, aKind, b, bKind, out);
  if (aKind === KIND_INF || bKind === KIND_ZERO) return setIndefinite(out); // no DE: IE outranks it
  const flags = aKind === KIND_DENORMAL || bKind === KIND_DENORMAL ? FLAG_DE : 0;
  const aSign = a.se >>> 15;
  if (aKind === KIND_ZERO) {
    out.copyFrom(a);
    return flags;
  }
  const ea = loadNormalized(a);
  if (bKind === KIND_INF) {
    // Quotient 0, remainder ST0 (a pseudo-denormal comes back normalized; a denormal does
    // not underflow).
    return flags | roundPackF80(out, aSign, ea, 64, RC_NEAREST, false);
  }
  const ah = sig[0], al = sig[1];
  let eb = loadNormalized(b);
  const bh = sig[0], bl = sig[1];
  let diff = ea - eb;
  let cc = 0;
  if (diff >= 64) {
    // Partial remainder: reduce the exponent difference to 32..63 (the count AMD documents
    // and Intel hardware follows), so that the last step still yields the low quotient bits.
    // C2 = 1 tells software to loop; the quotient bits read 0. fprem1 truncates here too.
    const n = 32 + (diff % 32);
    eb += diff - n;
    diff = n;
    nearest = false;
    cc = SW_C2;
  }
  let sign = aSign, rHi: number, rLo: number, q = 0;
  if (diff < 0) {
    rHi = ah; rLo = al;
    if (nearest && diff === -1 && (ah > bh || (ah === bh && al > bl))) {
      // |a| in (|b|/2, |b|): the quotient rounds to 1, remainder a - b = -(2B - A) at a's scale.
      q = 1;
      let l = bl * 2 - al, h = bh * 2 - ah;
      if (l < 0) { l += TWO32; h -= 1; }
      if (l >= TWO32) { l -= TWO32; h += 1; }
      rHi = h; rLo = l;
      sign ^= 1;
    }
    sig[0] = rHi; sig[1] = rLo; sig[2] = 0;
    return flags | quotientBits(q) | roundPackF80(out, sign, ea, 64, RC_NEAREST);
  }
  // X = A << diff (up to 127 bits) divided by B, as 16-bit digits.
  let x3 = 0, x2 = 0, x1 = ah, x0 = al, k = diff;
  if (k >= 32) {
    x2 = x1; x1 = x0; x0 = 0;
    k -= 32;
  }
  if (k > 0) {
    x3 = x2 >>> (32 - k);
    x2 = ((x2 << k) | (x1 >>> (32 - k))) >>> 0;
    x1 = ((x1 << k) | (x0 >>> (32 - k))) >>> 0;
    x0 = (x0 << k) >>> 0;
  }
  divU.fill(0);
  divU[0] = x0 & 0xffff; divU[1] = x0 >>> 16; divU[2] = x1 & 0xffff; divU[3] = x1 >>> 16;
  divU[4] = x2 & 0xffff; divU[5] = x2 >>> 16; divU[6] = x3 & 0xffff; divU[7] = x3 >>> 16;
  divV[0] = bl & 0xffff; divV[1] = bl >>> 16; divV[2] = bh & 0xffff; divV[3] = bh >>> 16;
  divideDigits(8, 4);
  q = divQ[0] & 7;
  rLo = divU[1] * 65536 + divU[0];
  rHi = divU[3] * 65536 + divU[2];
  if (nearest) {
    // Compare 2R with B: round the quotient up when 2R > B, or on a tie when q is odd.
    const halfHi = bh >>> 1, halfLo = ((bl >>> 1) | (bh << 31)) >>> 0;
    let cmp: number;
    if (rHi !== halfHi) cmp = rHi > halfHi ? 1 : -1;
    else if (rLo !== halfLo) cmp = rLo > halfLo ? 1 : -1;
    else cmp = (bl & 1) === 0 ? 0 : -1;
    if (cmp > 0 || (cmp === 0 && (q & 1) !== 0)) {
      q += 1;
      let l = bl - rLo, h = bh - rHi;
      if (l < 0) { l += TWO32; h -= 1; }
      rHi = h; rLo = l;
      sign ^= 1;
    }
  }
  if (cc === 0) cc = quotientBits(q);
  if (rHi === 0 && rLo === 0) {
    setZero(out, aSign); // an exact remainder is zero with the dividend's sign
    return flags | cc;
  }
  sig[0] = rHi; sig[1] = rLo; sig[2] = 0;
  return flags | cc | roundPackF80(out, sign, eb, 64, RC_NEAREST); // exact
}

function quotientBits(q: number): number {
  return ((q & 4) ? SW_C0 : 0) | ((q & 2) ? SW_C3 : 0) | ((q & 1) ? SW_C1 : 0);
}

// ---------------------------------------------------------------------------------------------
// Constants (fld1, fldl2t, fldl2e, fldpi, fldlg2, fldln2, fldz)

export const CONST_ONE = 0;
export const CONST_L2T = 1;
export const CONST_L2E = 2;
export const CONST_PI = 3;
export const CONST_LG2 = 4;
export const CONST_LN2 = 5;
export const CONST_ZERO = 6;

// Nearest 64-bit significands and whether the true value lies above them (so rounding up
// adds one) or below (so rounding down or toward zero subtracts one).
const CONST_SE = [0x3fff, 0x4000, 0x3fff, 0x4000, 0x3ffd, 0x3ffe, 0];
const CONST_HI = [0x80000000, 0xd49a784b, 0xb8aa3b29, 0xc90fdaa2, 0x9a209a84, 0xb17217f7, 0];
const CONST_LO = [0, 0xcd1b8afe, 0x5c17f0bc, 0x2168c235, 0xfbcff799, 0xd1cf79ac, 0];
const CONST_TRUE_ABOVE = [0, 1, -1, -1, -1, -1, 0];

/** Loads a constant, rounded per RC as the hardware does (SDM Vol. 1, 8.3.8); no flags. */
export function f80LoadConstant(which: number, cw: number, out: F80): number {
  let lo = CONST_LO[which];
  const rc = (cw >> 10) & 3;
  const above = CONST_TRUE_ABOVE[which];
  if (above > 0 && rc === RC_UP) lo += 1;
  else if (above < 0 && (rc === RC_DOWN || rc === RC_ZERO)) lo -= 1;
  out.se = CONST_SE[which];
  out.hi = CONST_HI[which] | 0;
  out.lo = lo | 0;
  return 0;
}

// ---------------------------------------------------------------------------------------------
// fabs / fchs: sign only, no flags, NaNs included (SDM Vol. 2, FABS/FCHS).

export function f80Abs(a: F80, out: F80): void {
  out.se = a.se & 0x7fff; out.hi = a.hi; out.lo = a.lo;
}
export function f80Neg(a: F80, out: F80): void {
  out.se = a.se ^ 0x8000; out.hi = a.hi; out.lo = a.lo;
}
