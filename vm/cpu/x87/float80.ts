// Soft-float for the x87 80-bit extended-precision format: arithmetic, compares, rounding,
// conversions and the x87-specific operations (fprem, fscale, fxtract, fxam), bit-exact with the
// hardware including flags. The transcendental instructions live in transcendental.ts.
// Pure ECMAScript: no BigInt, no allocation on any path (results go through caller-owned F80s).
//
// A value is three numbers: `lo` and `hi` hold the 64-bit significand (the integer bit J is bit 31
// of `hi`), `se` holds the sign (bit 15) and the biased exponent (bits 0..14), as in memory.
// Every operation returns a status accumulator: the exception flags (bits 0..5, as in the x87
// status word) OR the condition codes the instruction defines (C1 = rounded up for arithmetic;
// C0/C2/C3 for compares and fxam; all four for fprem). The caller merges them into FSW.
// Intel SDM Vol. 1 chapter 4.8 (encodings, NaNs) and 4.9 (exceptions), chapter 8 (x87).

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

// Compare results (condition codes as fcom sets them, SDM Vol. 2 FCOM table).
export const CMP_GREATER = 0;
export const CMP_LESS = SW_C0;
export const CMP_EQUAL = SW_C3;
export const CMP_UNORDERED = SW_C3 | SW_C2 | SW_C0;

// Rounding control (control word bits 10..11).
export const RC_NEAREST = 0;
export const RC_DOWN = 1;
export const RC_UP = 2;
export const RC_ZERO = 3;

/** The control word's precision control (bits 8..9) as significand bits; 01 is reserved. */
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

/** hi/lo must be unsigned here (>>> 0). */
export function kindOf(exp: number, hi: number, lo: number): number {
  if (exp === 0) return (hi | lo) === 0 ? KIND_ZERO : KIND_DENORMAL;
  if (hi < 0x80000000) return KIND_UNSUPPORTED;
  if (exp !== 0x7fff) return KIND_NORMAL;
  if (hi === 0x80000000 && lo === 0) return KIND_INF;
  return hi >= 0xc0000000 ? KIND_QNAN : KIND_SNAN;
}
function isNaNKind(k: number): boolean {
  return k === KIND_QNAN || k === KIND_SNAN;
}

const TWO32 = 4294967296;
const BIAS = 16383;

// ---------------------------------------------------------------------------------------------
// Multi-word helpers. JS has no multiple return values, so helpers leave results in small
// module-level Float64Arrays (read them right after the call). Not module `let`s: V8 boxes a
// number stored in a module variable, allocating, unless it is a small integer, and these are
// full 32-bit words. Words are unsigned numbers in [0, 2^32).

/** shiftRightJam96 / shiftLeft96 result: [w2, w1, w0]. */
const sh = new Float64Array(3);

/** (a2:a1:a0) >> n, with every bit shifted out ORed into bit 0 ("jamming"). */
function shiftRightJam96(a2: number, a1: number, a0: number, n: number): void {
  if (n <= 0) {
    sh[0] = a2; sh[1] = a1; sh[2] = a0;
    return;
  }
  if (n >= 96) {
    sh[0] = 0; sh[1] = 0; sh[2] = (a2 | a1 | a0) !== 0 ? 1 : 0;
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
  sh[0] = a2; sh[1] = a1; sh[2] = (a0 | (sticky !== 0 ? 1 : 0)) >>> 0;
}

/** (a2:a1:a0) << n for 0 <= n < 96, nothing shifted out. */
function shiftLeft96(a2: number, a1: number, a0: number, n: number): void {
  while (n >= 32) {
    a2 = a1; a1 = a0; a0 = 0;
    n -= 32;
  }
  if (n > 0) {
    a2 = ((a2 << n) | (a1 >>> (32 - n))) >>> 0;
    a1 = ((a1 << n) | (a0 >>> (32 - n))) >>> 0;
    a0 = (a0 << n) >>> 0;
  }
  sh[0] = a2; sh[1] = a1; sh[2] = a0;
}

function clz96(a2: number, a1: number, a0: number): number {
  if (a2 !== 0) return Math.clz32(a2);
  if (a1 !== 0) return 32 + Math.clz32(a1);
  return 64 + Math.clz32(a0);
}

/** mul64 result: 128 bits as four words, least significant first. */
const pr = new Float64Array(4);

/** 64 x 64 -> 128-bit product into pr[3]:pr[2]:pr[1]:pr[0], from 16-bit pieces so every partial product
 *  and column sum stays exact in a double (each column < 2^35). `& 0xffff` takes a column's
 *  low digit exactly even above 2^32, since ToInt32 reduces modulo 2^32. */
function mul64(aHi: number, aLo: number, bHi: number, bLo: number): void {
  const a0 = aLo & 0xffff, a1 = aLo >>> 16, a2 = aHi & 0xffff, a3 = aHi >>> 16;
  const b0 = bLo & 0xffff, b1 = bLo >>> 16, b2 = bHi & 0xffff, b3 = bHi >>> 16;
  let t = a0 * b0;
  const d0 = t & 0xffff;
  t = (t - d0) / 65536 + a0 * b1 + a1 * b0;
  const d1 = t & 0xffff;
  t = (t - d1) / 65536 + a0 * b2 + a1 * b1 + a2 * b0;
  const d2 = t & 0xffff;
  t = (t - d2) / 65536 + a0 * b3 + a1 * b2 + a2 * b1 + a3 * b0;
  const d3 = t & 0xffff;
  t = (t - d3) / 65536 + a1 * b3 + a2 * b2 + a3 * b1;
  const d4 = t & 0xffff;
  t = (t - d4) / 65536 + a2 * b3 + a3 * b2;
  const d5 = t & 0xffff;
  t = (t - d5) / 65536 + a3 * b3;
  const d6 = t & 0xffff;
  const d7 = (t - d6) / 65536;
  pr[0] = d1 * 65536 + d0;
  pr[1] = d3 * 65536 + d2;
  pr[2] = d5 * 65536 + d4;
  pr[3] = d7 * 65536 + d6;
}

// Long division on 16-bit digits (Knuth, TAOCP 4.3.1 algorithm D, as in Hacker's Delight
// divmnu), on scratch arrays allocated once. Little-endian digits. Shared with transcendental.ts
// (argument reduction), like the other exports marked "shared".
export const divU = new Int32Array(16);
export const divV = new Int32Array(8);
export const divQ = new Int32Array(16);

/** divU[0..m-1] / divV[0..n-1], n >= 2, divV[n-1] >= 0x8000, divU[m] must be 0.
 *  Quotient digits in divQ[0..m-n], remainder in divU[0..n-1]. */
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

function putDigits(arr: Int32Array, at: number, word: number): void {
  arr[at] = word & 0xffff;
  arr[at + 1] = word >>> 16;
}
function getWord(arr: Int32Array, at: number): number {
  return arr[at + 1] * 65536 + arr[at];
}

// ---------------------------------------------------------------------------------------------
// Rounding. A finite nonzero value is sign x (w2:w1:w0 / 2^95) x 2^(exp - bias), w2 bit 31 set,
// `exp` any integer. It is rounded to `precision` significant bits (24, 53 or 64) within an
// exponent field that saturates at `maxExp` (0x7fff here; 0x7ff and 0xff reuse this for fst to
// double/single after rebiasing). Tininess is detected after rounding and, with underflow masked,
// UE is raised only when the tiny result is also inexact (SDM Vol. 1, 4.9.1.5; the same choice
// as Berkeley SoftFloat's 8086 specialisation). The result is left in rnd[0], rnd[1], rnd[2].

/** roundPack result: [exponent field, significand hi, significand lo]. */
const rnd = new Float64Array(3);

/** 0: exact, 1: inexact and truncated, 2: inexact and rounded up (magnitude incremented). */
function roundDecision(sign: number, w2: number, w1: number, w0: number, precision: number, rc: number): number {
  let discTop: number, halfTop: number, rest: number, lsb: number;
  if (precision === 64) {
    discTop = w0; halfTop = 0x80000000; rest = 0; lsb = w1 & 1;
  } else if (precision === 53) {
    discTop = w1 & 0x7ff; halfTop = 0x400; rest = w0; lsb = (w1 >>> 11) & 1;
  } else {
    discTop = w2 & 0xff; halfTop = 0x80; rest = (w1 | w0); lsb = (w2 >>> 8) & 1;
  }
  if (discTop === 0 && rest === 0) return 0;
  let up: boolean;
  switch (rc) {
    case RC_NEAREST: up = discTop > halfTop || (discTop === halfTop && (rest !== 0 || lsb !== 0)); break;
    case RC_DOWN: up = sign !== 0; break;
    case RC_UP: up = sign === 0; break;
    default: up = false;
  }
  return up ? 2 : 1;
}

function keptBitsAllOnes(w2: number, w1: number, precision: number): boolean {
  if (precision === 64) return w2 === 0xffffffff && w1 === 0xffffffff;
  if (precision === 53) return w2 === 0xffffffff && (w1 >>> 11) === 0x1fffff;
  return (w2 >>> 8) === 0xffffff;
}

function roundPack(sign: number, exp: number, w2: number, w1: number, w0: number,
  precision: number, maxExp: number, rc: number): number {
  let flags = 0;
  let tiny = false;
  if (exp <= 0) {
    // Tiny after rounding unless rounding with an unbounded exponent reaches 2^emin.
    tiny = exp < 0 || !(keptBitsAllOnes(w2, w1, precision) &&
      roundDecision(sign, w2, w1, w0, precision, rc) === 2);
    shiftRightJam96(w2, w1, w0, 1 - exp);
    w2 = sh[0]; w1 = sh[1]; w0 = sh[2];
    exp = 0;
  }
  const decision = roundDecision(sign, w2, w1, w0, precision, rc);
  if (decision !== 0) {
    flags = FLAG_PE;
    if (tiny) flags |= FLAG_UE;
    // Clear the discarded bits, then add one unit in the last kept place if rounding up.
    let ulp: number;
    if (precision === 64) {
      ulp = 1;
    } else if (precision === 53) {
      w1 = (w1 & 0xfffff800) >>> 0;
      ulp = 0x800;
    } else {
      w2 = (w2 & 0xffffff00) >>> 0;
      w1 = 0;
      ulp = 0x100;
    }
    w0 = 0;
    if (decision === 2) {
      flags |= SW_C1;
      if (precision === 24) {
        w2 += ulp;
      } else {
        w1 += ulp;
        if (w1 >= TWO32) {
          w1 -= TWO32;
          w2 += 1;
        }
      }
      if (w2 >= TWO32) {
        // Carry out of the significand: 1.111..1 rounded up to 10.000..0.
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
    // from this side (SDM Vol. 1, 4.9.1.4, table 4-10).
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
  rnd[0] = exp; rnd[1] = w2; rnd[2] = w1;
  return flags;
}

/** Rounds to the x87 format and stores into `out`. `w2` bit 31 must be set. */
function packRounded(out: F80, sign: number, exp: number, w2: number, w1: number, w0: number,
  precision: number, rc: number): number {
  const flags = roundPack(sign, exp, w2, w1, w0, precision, 0x7fff, rc);
  out.se = (sign << 15) | rnd[0];
  out.hi = rnd[1] | 0;
  out.lo = rnd[2] | 0;
  return flags;
}

/**
 * Normalizes, rounds and stores sign x (w2:w1:w0 / 2^95) x 2^(exp - 16383), where w0 carries
 * sticky bits in its low bit. A zero significand stores a zero of that sign. Shared with
 * transcendental.ts.
 */
export function roundPackF80(out: F80, sign: number, exp: number, w2: number, w1: number, w0: number,
  precision: number, rc: number): number {
  if (w2 === 0 && w1 === 0 && w0 === 0) {
    out.se = sign << 15; out.hi = 0; out.lo = 0;
    return 0;
  }
  const n = clz96(w2, w1, w0);
  if (n !== 0) {
    shiftLeft96(w2, w1, w0, n);
    w2 = sh[0]; w1 = sh[1]; w0 = sh[2];
    exp -= n;
  }
  return packRounded(out, sign, exp, w2, w1, w0, precision, rc);
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
function setQuieted(out: F80, se: number, hi: number, lo: number): void {
  out.se = se; out.hi = (hi | 0x40000000) | 0; out.lo = lo | 0;
}

/** A NaN operand (SDM Vol. 1, 4.8.3.5 and table 4-7): an SNaN is quieted with IE. Shared. */
export function propagateNaN1(se: number, hi: number, lo: number, kind: number, out: F80): number {
  setQuieted(out, se, hi, lo);
  return kind === KIND_SNAN ? FLAG_IE : 0;
}

/**
 * Two operands, at least one a NaN (table 4-7, x87 column): an SNaN and a QNaN give the QNaN;
 * two NaNs of one kind give the one with the larger significand (the positive one if equal);
 * one NaN gives that NaN. The result is quiet; any SNaN raises IE. Shared.
 */
export function propagateNaN2(aSe: number, aHi: number, aLo: number, aKind: number,
  bSe: number, bHi: number, bLo: number, bKind: number, out: F80): number {
  const flags = aKind === KIND_SNAN || bKind === KIND_SNAN ? FLAG_IE : 0;
  let pickA: boolean;
  const aNaN = isNaNKind(aKind), bNaN = isNaNKind(bKind);
  if (aNaN && bNaN) {
    if (aKind !== bKind) {
      pickA = aKind === KIND_QNAN;
    } else {
      const aMag = aHi & 0x7fffffff, bMag = bHi & 0x7fffffff;
      if (aMag !== bMag) pickA = aMag > bMag;
      else if (aLo !== bLo) pickA = aLo > bLo;
      else pickA = aSe <= bSe;
    }
  } else {
    pickA = aNaN;
  }
  if (pickA) setQuieted(out, aSe, aHi, aLo);
  else setQuieted(out, bSe, bHi, bLo);
  return flags;
}

/** normalize result: [biased exponent (below 1 for denormals), significand hi, lo]. */
const nrm = new Float64Array(3);

/** Normalizes a finite nonzero significand; a denormal's exponent is taken as 1, so the
 *  result exponent may drop below 1. Pseudo-denormals come out as exponent 1, J = 1. */
function normalize(exp: number, hi: number, lo: number): void {
  if (exp === 0) exp = 1;
  if (hi >= 0x80000000) {
    nrm[1] = hi; nrm[2] = lo; nrm[0] = exp;
    return;
  }
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
  nrm[1] = hi; nrm[2] = lo; nrm[0] = exp - n;
}

// ---------------------------------------------------------------------------------------------
// fadd / fsub (and fsubr, fiadd... by swapping or converting operands first).

export function f80Add(a: F80, b: F80, cw: number, out: F80): number {
  return addSub(a.se, a.hi >>> 0, a.lo >>> 0, b.se, b.hi >>> 0, b.lo >>> 0, 0, cw, out);
}

/** a - b. */
export function f80Sub(a: F80, b: F80, cw: number, out: F80): number {
  return addSub(a.se, a.hi >>> 0, a.lo >>> 0, b.se, b.hi >>> 0, b.lo >>> 0, 1, cw, out);
}

function addSub(aSe: number, aHi: number, aLo: number, bSe: number, bHi: number, bLo: number,
  negateB: number, cw: number, out: F80): number {
  const aExp = aSe & 0x7fff, bExp = bSe & 0x7fff;
  const aKind = kindOf(aExp, aHi, aLo), bKind = kindOf(bExp, bHi, bLo);
  let aSign = aSe >>> 15;
  let bSign = (bSe >>> 15) ^ negateB;
  const rc = (cw >> 10) & 3;
  if (aKind >= KIND_INF || bKind >= KIND_INF) {
    if (aKind === KIND_UNSUPPORTED || bKind === KIND_UNSUPPORTED) return setIndefinite(out);
    // A NaN keeps its own sign: fsub does not negate it.
    if (isNaNKind(aKind) || isNaNKind(bKind)) return propagateNaN2(aSe, aHi, aLo, aKind, bSe, bHi, bLo, bKind, out);
    const flags = aKind === KIND_DENORMAL || bKind === KIND_DENORMAL ? FLAG_DE : 0;
    if (aKind === KIND_INF && bKind === KIND_INF) {
      if (aSign !== bSign) return flags | setIndefinite(out);
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
  // Denormals and zeros take exponent 1 (their scale), unnormalized.
  let ea = aExp === 0 ? 1 : aExp, eb = bExp === 0 ? 1 : bExp;
  // Order so that |a| >= |b|.
  if (ea < eb || (ea === eb && (aHi < bHi || (aHi === bHi && aLo < bLo)))) {
    let t = ea; ea = eb; eb = t;
    t = aHi; aHi = bHi; bHi = t;
    t = aLo; aLo = bLo; bLo = t;
    t = aSign; aSign = bSign; bSign = t;
  }
  shiftRightJam96(bHi, bLo, 0, ea - eb);
  const b2 = sh[0], b1 = sh[1], b0 = sh[2];
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
  return flags | roundPackF80(out, aSign, exp, t2, t1, t0, precision, rc);
}

// ---------------------------------------------------------------------------------------------
// fmul

export function f80Mul(a: F80, b: F80, cw: number, out: F80): number {
  const aSe = a.se, aHi = a.hi >>> 0, aLo = a.lo >>> 0;
  const bSe = b.se, bHi = b.hi >>> 0, bLo = b.lo >>> 0;
  const aExp = aSe & 0x7fff, bExp = bSe & 0x7fff;
  const aKind = kindOf(aExp, aHi, aLo), bKind = kindOf(bExp, bHi, bLo);
  const sign = (aSe ^ bSe) >>> 15;
  if (aKind >= KIND_INF || bKind >= KIND_INF) {
    if (aKind === KIND_UNSUPPORTED || bKind === KIND_UNSUPPORTED) return setIndefinite(out);
    if (isNaNKind(aKind) || isNaNKind(bKind)) return propagateNaN2(aSe, aHi, aLo, aKind, bSe, bHi, bLo, bKind, out);
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
  normalize(aExp, aHi, aLo);
  const ea = nrm[0], ah = nrm[1], al = nrm[2];
  normalize(bExp, bHi, bLo);
  mul64(ah, al, nrm[1], nrm[2]);
  const rc = (cw >> 10) & 3;
  const precision = PRECISION_BITS[(cw >> 8) & 3];
  return flags | roundPackF80(out, sign, ea + nrm[0] - 16382, pr[3], pr[2], (pr[1] | (pr[0] !== 0 ? 1 : 0)) >>> 0, precision, rc);
}

// ---------------------------------------------------------------------------------------------
// fdiv (fdivr is the argument swap)

/** a / b. */
export function f80Div(a: F80, b: F80, cw: number, out: F80): number {
  const aSe = a.se, aHi = a.hi >>> 0, aLo = a.lo >>> 0;
  const bSe = b.se, bHi = b.hi >>> 0, bLo = b.lo >>> 0;
  const aExp = aSe & 0x7fff, bExp = bSe & 0x7fff;
  const aKind = kindOf(aExp, aHi, aLo), bKind = kindOf(bExp, bHi, bLo);
  const sign = (aSe ^ bSe) >>> 15;
  if (aKind >= KIND_INF || bKind >= KIND_INF) {
    if (aKind === KIND_UNSUPPORTED || bKind === KIND_UNSUPPORTED) return setIndefinite(out);
    if (isNaNKind(aKind) || isNaNKind(bKind)) return propagateNaN2(aSe, aHi, aLo, aKind, bSe, bHi, bLo, bKind, out);
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
  let flags = aKind === KIND_DENORMAL || bKind === KIND_DENORMAL ? FLAG_DE : 0;
  if (aKind === KIND_ZERO) {
    setZero(out, sign);
    return flags;
  }
  normalize(aExp, aHi, aLo);
  const ea = nrm[0], ah = nrm[1], al = nrm[2];
  normalize(bExp, bHi, bLo);
  const eb = nrm[0];
  // q = floor(A * 2^96 / B): 96 or 97 significant bits, the rest sticky.
  divU.fill(0);
  putDigits(divU, 6, al);
  putDigits(divU, 8, ah);
  putDigits(divV, 0, nrm[2]);
  putDigits(divV, 2, nrm[1]);
  divideDigits(10, 4);
  const sticky = (divU[0] | divU[1] | divU[2] | divU[3]) !== 0 ? 1 : 0;
  let q3 = divQ[6];
  let q2 = getWord(divQ, 4), q1 = getWord(divQ, 2), q0 = (getWord(divQ, 0) | sticky) >>> 0;
  let exp = ea - eb + 16382;
  if (q3 !== 0) {
    q0 = ((q0 >>> 1) | (q1 << 31) | (q0 & 1)) >>> 0;
    q1 = ((q1 >>> 1) | (q2 << 31)) >>> 0;
    q2 = ((q2 >>> 1) | (q3 << 31)) >>> 0;
    q3 = 0;
    exp++;
  }
  const rc = (cw >> 10) & 3;
  const precision = PRECISION_BITS[(cw >> 8) & 3];
  flags |= roundPackF80(out, sign, exp, q2, q1, q0, precision, rc);
  return flags;
}

// ---------------------------------------------------------------------------------------------
// fsqrt

export function f80Sqrt(a: F80, cw: number, out: F80): number {
  const se = a.se, hi = a.hi >>> 0, lo = a.lo >>> 0;
  const exp = se & 0x7fff;
  const kind = kindOf(exp, hi, lo);
  const sign = se >>> 15;
  if (kind === KIND_UNSUPPORTED) return setIndefinite(out);
  if (isNaNKind(kind)) return propagateNaN1(se, hi, lo, kind, out);
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
  normalize(exp, hi, lo);
  // value = m * 2^t, m in [1,2). Make t even, m in [1,4), and take R = floor(sqrt(m * 2^132)),
  // a 67-bit root (2 guard bits past 64 plus sticky), two bits of the radicand per step.
  const t = nrm[0] - BIAS;
  const odd = t & 1;
  // Radicand N = M * 2^(69 + odd), M the 64-bit significand: bits of N are read as pairs.
  const shift = 69 + odd;
  const mHi = nrm[1], mLo = nrm[2];
  // Root and remainder as pairs of 34-bit limbs held in doubles.
  const LIMB = 17179869184; // 2^34
  let rootH = 0, rootL = 0, remH = 0, remL = 0;
  for (let i = 66; i >= 0; i--) {
    // Radicand bits 2i+1 and 2i are significand bits 2i+1-shift and 2i-shift.
    const bitPos = 2 * i - shift;
    const pair = significandBit(mHi, mLo, bitPos + 1) * 2 + significandBit(mHi, mLo, bitPos);
    // rem = rem * 4 + pair
    remL = remL * 4 + pair;
    let carry = Math.floor(remL / LIMB);
    remL -= carry * LIMB;
    remH = remH * 4 + carry;
    // trial = root * 4 + 1
    let trialL = rootL * 4 + 1;
    carry = Math.floor(trialL / LIMB);
    trialL -= carry * LIMB;
    const trialH = rootH * 4 + carry;
    // root = root * 2 (+1 if rem >= trial)
    rootL *= 2;
    carry = rootL >= LIMB ? 1 : 0;
    rootL -= carry * LIMB;
    rootH = rootH * 2 + carry;
    if (remH > trialH || (remH === trialH && remL >= trialL)) {
      remL -= trialL;
      remH -= trialH;
      if (remL < 0) { remL += LIMB; remH -= 1; }
      rootL += 1;
    }
  }
  const sticky = remH !== 0 || remL !== 0 ? 1 : 0;
  // root = rootH * 2^34 + rootL, 67 bits with its top bit at bit 66: place it at bit 95.
  // bits 66..34 are rootH (33 bits), 33..0 rootL.
  const w2 = Math.floor(rootH / 2) >>> 0; // root bits 66..35
  const low35 = (rootH % 2) * LIMB + rootL; // root bits 34..0
  const w1 = Math.floor(low35 / 8) >>> 0; // top 32 of those 35 bits
  const w0 = (((low35 % 8) << 29) | sticky) >>> 0;
  const rc = (cw >> 10) & 3;
  const precision = PRECISION_BITS[(cw >> 8) & 3];
  return flags | roundPackF80(out, 0, (t >> 1) + BIAS, w2, w1, w0, precision, rc);
}

function significandBit(hi: number, lo: number, bit: number): number {
  if (bit < 0 || bit > 63) return 0;
  return bit >= 32 ? (hi >>> (bit - 32)) & 1 : (lo >>> bit) & 1;
}

// ---------------------------------------------------------------------------------------------
// fcom / fucom / fcomi / fucomi / ftst

/**
 * Compares a with b. Returns CMP_* condition codes plus flags: IE for an unsupported operand,
 * an SNaN, or (unless `quiet`, i.e. fucom) any NaN; DE for a denormal operand.
 */
export function f80Compare(a: F80, b: F80, quiet: boolean): number {
  const aSe = a.se, aHi = a.hi >>> 0, aLo = a.lo >>> 0;
  const bSe = b.se, bHi = b.hi >>> 0, bLo = b.lo >>> 0;
  const aExp = aSe & 0x7fff, bExp = bSe & 0x7fff;
  const aKind = kindOf(aExp, aHi, aLo), bKind = kindOf(bExp, bHi, bLo);
  if (aKind === KIND_UNSUPPORTED || bKind === KIND_UNSUPPORTED) return CMP_UNORDERED | FLAG_IE;
  if (isNaNKind(aKind) || isNaNKind(bKind)) {
    const signaling = aKind === KIND_SNAN || bKind === KIND_SNAN;
    return CMP_UNORDERED | (signaling || !quiet ? FLAG_IE : 0);
  }
  const flags = aKind === KIND_DENORMAL || bKind === KIND_DENORMAL ? FLAG_DE : 0;
  if (aKind === KIND_ZERO && bKind === KIND_ZERO) return CMP_EQUAL | flags;
  const aSign = aSe >>> 15, bSign = bSe >>> 15;
  if (aSign !== bSign) {
    // Different signs and not both zero (a zero's sign does not matter against a nonzero).
    return (aSign ? CMP_LESS : CMP_GREATER) | flags;
  }
  // Same sign: compare magnitudes as (effective exponent, significand); a pseudo-denormal has
  // the scale of exponent 1, like a denormal, so this order is the numeric order.
  const ea = aExp === 0 ? 1 : aExp, eb = bExp === 0 ? 1 : bExp;
  let mag: number;
  if (ea !== eb) mag = ea > eb ? 1 : -1;
  else if (aHi !== bHi) mag = aHi > bHi ? 1 : -1;
  else if (aLo !== bLo) mag = aLo > bLo ? 1 : -1;
  else mag = 0;
  if (aKind === KIND_ZERO) mag = -1;
  else if (bKind === KIND_ZERO) mag = 1;
  if (mag === 0) return CMP_EQUAL | flags;
  if (aSign) mag = -mag;
  return (mag > 0 ? CMP_GREATER : CMP_LESS) | flags;
}

// ---------------------------------------------------------------------------------------------
// frndint and the integer conversions share one "round to integer" step.

/** fracRound result: the rounded integer magnitude, [hi, lo]. */
const ip = new Float64Array(2);

export function f80RoundToInt(a: F80, cw: number, out: F80): number {
  const se = a.se, hi = a.hi >>> 0, lo = a.lo >>> 0;
  const exp = se & 0x7fff;
  const kind = kindOf(exp, hi, lo);
  const sign = se >>> 15;
  if (kind === KIND_UNSUPPORTED) return setIndefinite(out);
  if (isNaNKind(kind)) return propagateNaN1(se, hi, lo, kind, out);
  if (kind === KIND_ZERO || kind === KIND_INF) {
    out.copyFrom(a);
    return 0;
  }
  const flags = kind === KIND_DENORMAL ? FLAG_DE : 0;
  if (exp >= BIAS + 63) {
    out.copyFrom(a); // already an integer
    return flags;
  }
  normalize(exp, hi, lo);
  const rc = (cw >> 10) & 3;
  // The value is below 2^63 here: the 96-bit shift leaves the integer in sh[0]:sh[1].
  const decision = fracRound(sign, rc);
  if (ip[0] === 0 && ip[1] === 0) {
    setZero(out, sign);
  } else {
    roundPackF80(out, sign, BIAS + 63, ip[0], ip[1], 0, 64, rc);
  }
  return flags | (decision === 0 ? 0 : decision === 1 ? FLAG_PE : FLAG_PE | SW_C1);
}

/** Integer part of the normalized value in nrm[1]/nrm[2]/nrm[0] (exponent below 2^64) rounded per rc
 *  into ip[0]:ip[1]; returns the roundDecision code. */
function fracRound(sign: number, rc: number): number {
  // value = N * 2^(nrm[0] - BIAS - 63); as a 96-bit fixed-point number with 32 fraction bits:
  // (N:0) >> (BIAS + 63 - nrm[0]).
  const shift = BIAS + 63 - nrm[0];
  if (shift <= 0) {
    ip[0] = nrm[1]; ip[1] = nrm[2];
    return 0;
  }
  shiftRightJam96(nrm[1], nrm[2], 0, shift);
  let hi = sh[0], lo = sh[1];
  const decision = roundDecision(sign, hi, lo, sh[2], 64, rc);
  if (decision === 2) {
    lo += 1;
    if (lo >= TWO32) { lo -= TWO32; hi += 1; }
  }
  ip[0] = hi; ip[1] = lo;
  return decision;
}

// ---------------------------------------------------------------------------------------------
// fist / fistp / fisttp and fild

/**
 * Converts to a 16-, 32- or 64-bit signed integer, rounding per the control word (fist) or
 * toward zero (fisttp, `truncate`). The result is left in out.lo (and out.hi for 64 bits,
 * sign-extended otherwise). NaNs, infinities, unsupported values and out-of-range values give
 * the "integer indefinite" (the most negative value) with IE.
 */
export function f80ToInt(a: F80, cw: number, bits: 16 | 32 | 64, truncate: boolean, out: F80): number {
  const se = a.se, hi = a.hi >>> 0, lo = a.lo >>> 0;
  const exp = se & 0x7fff;
  const kind = kindOf(exp, hi, lo);
  const sign = se >>> 15;
  out.se = 0;
  if (kind >= KIND_INF) return setIntegerIndefinite(out, bits);
  if (kind === KIND_ZERO) {
    out.hi = 0; out.lo = 0;
    return 0;
  }
  // The value is at least 2^64 in magnitude: out of range for every width.
  if (exp >= BIAS + 64) return setIntegerIndefinite(out, bits);
  normalize(exp, hi, lo);
  const decision = fracRound(sign, truncate ? RC_ZERO : (cw >> 10) & 3);
  // Range check on the rounded magnitude (ip[0]:ip[1] may be 2^64 after rounding up: ip[0] = 2^32).
  let ok: boolean;
  if (bits === 64) {
    ok = ip[0] < 0x80000000 || (sign !== 0 && ip[0] === 0x80000000 && ip[1] === 0);
  } else {
    const limit = bits === 32 ? 0x80000000 : 0x8000;
    ok = ip[0] === 0 && (ip[1] < limit || (sign !== 0 && ip[1] === limit));
  }
  if (!ok) return setIntegerIndefinite(out, bits);
  let rh = ip[0], rl = ip[1];
  if (sign !== 0) {
    // Two's complement negation of the 64-bit magnitude.
    rl = TWO32 - rl;
    rh = TWO32 - 1 - rh;
    if (rl === TWO32) { rl = 0; rh += 1; }
  }
  out.hi = rh | 0; out.lo = rl | 0;
  if (bits !== 64) {
    out.hi = sign !== 0 && (ip[0] | ip[1]) !== 0 ? -1 : 0;
    if (bits === 16) out.lo = (out.lo << 16) >> 16;
  }
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
    h >>>= 0;
  }
  if (h === 0 && l === 0) {
    setZero(out, 0);
    return;
  }
  normalize(BIAS + 63, h, l);
  out.se = (sign << 15) | nrm[0];
  out.hi = nrm[1] | 0;
  out.lo = nrm[2] | 0;
}

// ---------------------------------------------------------------------------------------------
// fld m32/m64 and fst/fstp m32/m64

/**
 * fld m64: exact widening. A denormal source raises DE; an SNaN is quieted with IE.
 * With `keepSignaling` (for an arithmetic memory operand, fadd m64 and the like) an SNaN stays
 * signaling and raises nothing here, so the operation applies the two-NaN rules to it; merge
 * the returned DE with mergeMemoryOperandFlags.
 */
export function f80FromFloat64(lo: number, hi: number, out: F80, keepSignaling = false): number {
  const h = hi >>> 0, l = lo >>> 0;
  const sign = h >>> 31;
  const exp = (h >>> 20) & 0x7ff;
  const fracHi = h & 0xfffff;
  // Significand without the hidden bit, left-aligned to bit 62: frac << 11.
  const mHi = ((fracHi << 11) | (l >>> 21)) >>> 0;
  const mLo = (l << 11) >>> 0;
  if (exp === 0x7ff) {
    out.se = (sign << 15) | 0x7fff;
    out.hi = (mHi | 0x80000000) | 0;
    out.lo = mLo | 0;
    if ((fracHi | l) === 0 || keepSignaling) return 0;
    if ((mHi & 0x40000000) === 0) {
      out.hi = (mHi | 0xc0000000) | 0;
      return FLAG_IE;
    }
    return 0;
  }
  if (exp === 0) {
    if ((fracHi | l) === 0) {
      setZero(out, sign);
      return 0;
    }
    // Denormal double: normal in the wider format. Its scale is 2^(1 - 1023).
    normalize(1 - 1023 + BIAS, mHi, mLo);
    out.se = (sign << 15) | nrm[0];
    out.hi = nrm[1] | 0;
    out.lo = nrm[2] | 0;
    return FLAG_DE;
  }
  out.se = (sign << 15) | (exp - 1023 + BIAS);
  out.hi = (mHi | 0x80000000) | 0;
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
  if (exp === 0xff) {
    out.se = (sign << 15) | 0x7fff;
    out.hi = (mHi | 0x80000000) | 0;
    out.lo = 0;
    if (frac === 0 || keepSignaling) return 0;
    if ((mHi & 0x40000000) === 0) {
      out.hi = (mHi | 0xc0000000) | 0;
      return FLAG_IE;
    }
    return 0;
  }
  if (exp === 0) {
    if (frac === 0) {
      setZero(out, sign);
      return 0;
    }
    normalize(1 - 127 + BIAS, mHi, 0);
    out.se = (sign << 15) | nrm[0];
    out.hi = nrm[1] | 0;
    out.lo = nrm[2] | 0;
    return FLAG_DE;
  }
  out.se = (sign << 15) | (exp - 127 + BIAS);
  out.hi = (mHi | 0x80000000) | 0;
  out.lo = 0;
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
  const kind = kindOf(other.se & 0x7fff, other.hi >>> 0, other.lo >>> 0);
  if (kind === KIND_UNSUPPORTED || isNaNKind(kind)) return opFlags;
  return opFlags | FLAG_DE;
}

/**
 * fst m64: rounds to double per RC (PC does not apply). The bit pattern goes to out.lo/out.hi.
 * An SNaN is quieted with IE, an unsupported value stores the double indefinite with IE.
 */
export function f80ToFloat64(a: F80, cw: number, out: F80): number {
  const se = a.se, hi = a.hi >>> 0, lo = a.lo >>> 0;
  const exp = se & 0x7fff;
  const kind = kindOf(exp, hi, lo);
  const sign = se >>> 15;
  out.se = 0;
  switch (kind) {
    case KIND_UNSUPPORTED:
      out.hi = 0xfff80000 | 0; out.lo = 0;
      return FLAG_IE;
    case KIND_QNAN:
    case KIND_SNAN:
      out.hi = ((sign << 31) | 0x7ff80000 | ((hi & 0x7fffffff) >>> 11)) | 0;
      out.lo = ((hi << 21) | (lo >>> 11)) | 0;
      return kind === KIND_SNAN ? FLAG_IE : 0;
    case KIND_INF:
      out.hi = ((sign << 31) | 0x7ff00000) | 0; out.lo = 0;
      return 0;
    case KIND_ZERO:
      out.hi = (sign << 31) | 0; out.lo = 0;
      return 0;
  }
  normalize(exp, hi, lo);
  const flags = roundPack(sign, nrm[0] - BIAS + 1023, nrm[1], nrm[2], 0, 53, 0x7ff, (cw >> 10) & 3);
  out.hi = ((sign << 31) | (rnd[0] << 20) | ((rnd[1] & 0x7fffffff) >>> 11)) | 0;
  out.lo = ((rnd[1] << 21) | (rnd[2] >>> 11)) | 0;
  return flags;
}

/** fst m32: as f80ToFloat64, the bit pattern in out.lo. */
export function f80ToFloat32(a: F80, cw: number, out: F80): number {
  const se = a.se, hi = a.hi >>> 0, lo = a.lo >>> 0;
  const exp = se & 0x7fff;
  const kind = kindOf(exp, hi, lo);
  const sign = se >>> 15;
  out.se = 0; out.hi = 0;
  switch (kind) {
    case KIND_UNSUPPORTED:
      out.lo = 0xffc00000 | 0;
      return FLAG_IE;
    case KIND_QNAN:
    case KIND_SNAN:
      out.lo = ((sign << 31) | 0x7fc00000 | ((hi & 0x7fffffff) >>> 8)) | 0;
      return kind === KIND_SNAN ? FLAG_IE : 0;
    case KIND_INF:
      out.lo = ((sign << 31) | 0x7f800000) | 0;
      return 0;
    case KIND_ZERO:
      out.lo = (sign << 31) | 0;
      return 0;
  }
  normalize(exp, hi, lo);
  const flags = roundPack(sign, nrm[0] - BIAS + 127, nrm[1], nrm[2], 0, 24, 0xff, (cw >> 10) & 3);
  out.lo = ((sign << 31) | (rnd[0] << 23) | ((rnd[1] & 0x7fffffff) >>> 8)) | 0;
  return flags;
}

// ---------------------------------------------------------------------------------------------
// fxam

/** fxam's C3/C2/C0 class codes with C1 = sign (SDM Vol. 2, FXAM). An empty register (101) is
 *  the caller's to report from the tag word. */
export function f80Examine(a: F80): number {
  const se = a.se;
  const c1 = se & 0x8000 ? SW_C1 : 0;
  switch (kindOf(se & 0x7fff, a.hi >>> 0, a.lo >>> 0)) {
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

/** ST0 x 2^trunc(ST1), at full precision per RC (PC does not apply). */
export function f80Scale(a: F80, b: F80, cw: number, out: F80): number {
  const aSe = a.se, aHi = a.hi >>> 0, aLo = a.lo >>> 0;
  const bSe = b.se, bHi = b.hi >>> 0, bLo = b.lo >>> 0;
  const aExp = aSe & 0x7fff, bExp = bSe & 0x7fff;
  const aKind = kindOf(aExp, aHi, aLo), bKind = kindOf(bExp, bHi, bLo);
  if (aKind === KIND_UNSUPPORTED || bKind === KIND_UNSUPPORTED) return setIndefinite(out);
  if (isNaNKind(aKind) || isNaNKind(bKind)) return propagateNaN2(aSe, aHi, aLo, aKind, bSe, bHi, bLo, bKind, out);
  const aSign = aSe >>> 15, bSign = bSe >>> 15;
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
  // n = trunc(ST1); beyond +-2^16 every result over/underflows alike, so saturate there.
  let n = 0;
  if (bKind !== KIND_ZERO && bExp >= BIAS) {
    if (bExp >= BIAS + 16) n = 0x10000;
    else n = bHi >>> (31 - (bExp - BIAS));
    if (bSign) n = -n;
  }
  normalize(aExp, aHi, aLo);
  return flags | roundPackF80(out, aSign, nrm[0] + n, nrm[1], nrm[2], 0, 64, (cw >> 10) & 3);
}

// ---------------------------------------------------------------------------------------------
// fxtract

/**
 * Splits ST0 into its unbiased exponent (as a value, into `outExponent`, which becomes ST1) and
 * its significand with exponent 0 (`outSignificand`, the new ST0). Zero gives -inf with ZE.
 */
export function f80Extract(a: F80, outExponent: F80, outSignificand: F80): number {
  const se = a.se, hi = a.hi >>> 0, lo = a.lo >>> 0;
  const exp = se & 0x7fff;
  const kind = kindOf(exp, hi, lo);
  const sign = se >>> 15;
  switch (kind) {
    case KIND_UNSUPPORTED:
      setIndefinite(outExponent);
      return setIndefinite(outSignificand);
    case KIND_QNAN:
    case KIND_SNAN: {
      const flags = propagateNaN1(se, hi, lo, kind, outSignificand);
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
  normalize(exp, hi, lo);
  f80FromInt32(nrm[0] - BIAS, outExponent);
  outSignificand.se = (sign << 15) | BIAS;
  outSignificand.hi = nrm[1] | 0;
  outSignificand.lo = nrm[2] | 0;
  return kind === KIND_DENORMAL ? FLAG_DE : 0;
}

// ---------------------------------------------------------------------------------------------
// fprem / fprem1

/** fprem: partial remainder with the quotient truncated (C0/C3/C1 = quotient bits 2/1/0). */
export function f80Prem(a: F80, b: F80, out: F80): number {
  return remainder(a, b, false, out);
}

/** fprem1: IEEE remainder, quotient rounded to nearest-even. */
export function f80Prem1(a: F80, b: F80, out: F80): number {
  return remainder(a, b, true, out);
}

function remainder(a: F80, b: F80, nearest: boolean, out: F80): number {
  const aSe = a.se, aHi = a.hi >>> 0, aLo = a.lo >>> 0;
  const bSe = b.se, bHi = b.hi >>> 0, bLo = b.lo >>> 0;
  const aExp = aSe & 0x7fff, bExp = bSe & 0x7fff;
  const aKind = kindOf(aExp, aHi, aLo), bKind = kindOf(bExp, bHi, bLo);
  if (aKind === KIND_UNSUPPORTED || bKind === KIND_UNSUPPORTED) return setIndefinite(out);
  if (isNaNKind(aKind) || isNaNKind(bKind)) return propagateNaN2(aSe, aHi, aLo, aKind, bSe, bHi, bLo, bKind, out);
  if (aKind === KIND_INF || bKind === KIND_ZERO) return setIndefinite(out); // no DE: IE outranks it
  const flags = aKind === KIND_DENORMAL || bKind === KIND_DENORMAL ? FLAG_DE : 0;
  let sign = aSe >>> 15;
  if (aKind === KIND_ZERO) {
    out.copyFrom(a);
    return flags;
  }
  normalize(aExp, aHi, aLo);
  const ea = nrm[0], ah = nrm[1], al = nrm[2];
  if (bKind === KIND_INF) {
    // Quotient 0, remainder ST0 (a pseudo-denormal comes back normalized).
    return flags | roundPackF80(out, sign, ea, ah, al, 0, 64, RC_NEAREST);
  }
  normalize(bExp, bHi, bLo);
  const bh = nrm[1], bl = nrm[2];
  let eb = nrm[0];
  let diff = ea - eb;
  let cc = 0;
  if (diff >= 64) {
    // Partial remainder: reduce the exponent difference to 32..63 (the number AMD documents
    // and Intel hardware follows), so the last step still yields the low quotient bits. C2 = 1
    // tells software to loop; the quotient bits are cleared. fprem1 also truncates here.
    const n = 32 + (diff % 32);
    eb += diff - n;
    diff = n;
    nearest = false;
    cc = SW_C2;
  }
  let rHiW: number, rLoW: number, q = 0;
  if (diff < 0) {
    rHiW = ah; rLoW = al;
    if (nearest && diff === -1 && (ah > bh || (ah === bh && al > bl))) {
      // |a| in (|b|/2, |b|): quotient rounds to 1, remainder a - b = -(2B - A) at a's scale.
      q = 1;
      let l = bl * 2 - al, h = bh * 2 - ah;
      if (l < 0) { l += TWO32; h -= 1; }
      if (l >= TWO32) { l -= TWO32; h += 1; }
      rHiW = h; rLoW = l;
      sign ^= 1;
    }
    const rexp = ea;
    cc |= quotientBits(q);
    return flags | cc | roundPackF80(out, sign, rexp, rHiW, rLoW, 0, 64, RC_NEAREST);
  }
  // X = A << diff (up to 127 bits) divided by B.
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
  putDigits(divU, 0, x0);
  putDigits(divU, 2, x1);
  putDigits(divU, 4, x2);
  putDigits(divU, 6, x3);
  putDigits(divV, 0, bl);
  putDigits(divV, 2, bh);
  divideDigits(8, 4);
  q = divQ[0] & 7;
  rLoW = getWord(divU, 0);
  rHiW = getWord(divU, 2);
  if (nearest) {
    // Compare 2R with B: round the quotient up when 2R > B, or on a tie when q is odd.
    const halfHi = bh >>> 1, halfLo = ((bl >>> 1) | (bh << 31)) >>> 0;
    let cmp: number;
    if (rHiW !== halfHi) cmp = rHiW > halfHi ? 1 : -1;
    else if (rLoW !== halfLo) cmp = rLoW > halfLo ? 1 : -1;
    else cmp = (bl & 1) === 0 ? 0 : -1;
    if (cmp > 0 || (cmp === 0 && (q & 1) !== 0)) {
      q += 1;
      let l = bl - rLoW, h = bh - rHiW;
      if (l < 0) { l += TWO32; h -= 1; }
      rHiW = h; rLoW = l;
      sign ^= 1;
    }
  }
  if (cc === 0) cc = quotientBits(q);
  if (rHiW === 0 && rLoW === 0) {
    setZero(out, aSe >>> 15);
    return flags | cc;
  }
  return flags | cc | roundPackF80(out, sign, eb, rHiW, rLoW, 0, 64, RC_NEAREST);
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

/** Loads a constant, rounded per RC as the hardware does (SDM Vol. 1, 8.3.8). */
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
