// The SSE floating-point core: IEEE 754 binary32 and binary64 arithmetic, comparison and
// conversion as MXCSR directs it (rounding control, DAZ, FTZ, the six sticky exception flags and
// #XM), computed with JS doubles. SDM Vol. 1, 4.8-4.9 (formats, exceptions), 10.2.3 (MXCSR),
// 11.5 (SIMD exceptions); Vol. 2 per instruction for the NaN and special-case rules.
//
// JS arithmetic rounds to nearest only, so every operation first computes its result rounded to
// 53 bits (hi) and the sign of the exact remainder (tail): two-sum for +/-, Dekker's product for *,
// the exact residual for / and sqrt. The fast path (round to nearest, normal result) then costs a
// comparison; directed rounding, tiny and huge results go through roundPack, which rounds the exact
// value to 24 or 53 bits and sets the flags as the hardware does:
// - tininess is detected after rounding (as if the exponent range were unbounded);
// - a masked underflow sets UE only when the result is also inexact; FTZ flushes every tiny result
//   to zero and sets UE and PE;
// - an unmasked overflow or underflow sets OE or UE, plus PE when rounding to the unbounded
//   exponent range is inexact, and writes no result;
// - pre-computation exceptions (IE, DE, ZE), when one is unmasked, are reported alone: the
//   post-computation flags (OE, UE, PE) of the instruction are then not set (SDM Vol. 1, 11.5.2);
// - a denormal operand is not reported beside a NaN operand, an invalid operation or a division
//   by zero in the same lane (the priorities of SDM Vol. 1, 4.9.2);
// - DAZ also zeroes the operand min/max return for a NaN; conversions to integer never report DE.
// These were checked against hardware by test/vm/sse.test.ts.
// Single precision is computed exactly in double (products are exact) or rounded twice, which is
// correct for + - * / sqrt since 53 >= 2 * 24 + 2 (Figueroa).

import { Slot } from '../../regfile.js';
import type { Cpu } from '../cpu.js';
import { Vector } from '../exception.js';
import { A, B, R } from './sse_operand.js';

export const IE = 1, DE = 2, ZE = 4, OE = 8, UE = 16, PE = 32;
export const enum Rc { NEAREST = 0, DOWN = 1, UP = 2, ZERO = 3 }

const AF32 = new Float32Array(A.buffer), AF64 = new Float64Array(A.buffer);
const BF32 = new Float32Array(B.buffer), BF64 = new Float64Array(B.buffer);
export const RF32 = new Float32Array(R.buffer), RF64 = new Float64Array(R.buffer);

const F = new Float64Array(1), FI = new Int32Array(F.buffer);
const S = new Float32Array(2), SI = new Int32Array(S.buffer);

/** 2^e for e in [-1074, 1023], at index e + 1074. */
const P2 = new Float64Array(2098);
{
  let v = 1;
  for (let e = 0; e <= 1023; e++) { P2[e + 1074] = v; v *= 2; }
  v = 1;
  for (let e = 0; e >= -1074; e--) { P2[e + 1074] = v; v /= 2; }
}
const MAX32 = 3.4028234663852886e38;
const MAX64 = Number.MAX_VALUE;
const MIN_NORMAL32 = 1.1754943508222875e-38;
const MIN_NORMAL64 = 2.2250738585072014e-308;
export const DEFAULT_NAN32 = 0xffc00000 | 0;
export const DEFAULT_NAN64_HI = 0xfff80000 | 0;

// --- MXCSR of the instruction in flight ------------------------------------------------------------

let mx = 0;
let rc = 0;
let daz = false;
let ftz = false;
let uMasked = true;
let oMasked = true;
/** Exception flags raised so far by this instruction: before computation (IE DE ZE) and after (OE UE PE). */
let pre = 0;
let post = 0;

/** Starts an instruction that reads MXCSR. */
export function begin(c: Cpu): void {
  mx = c.r[Slot.MXCSR];
  rc = (mx >> 13) & 3;
  daz = (mx & 0x40) !== 0;
  ftz = (mx & 0x8000) !== 0;
  uMasked = (mx & 0x800) !== 0;
  oMasked = (mx & 0x400) !== 0;
  pre = 0;
  post = 0;
}

/**
 * Ends it: ORs the flags into MXCSR and raises #XM for an unmasked one. Called before the result
 * is written, so a faulting instruction leaves its destination unchanged.
 */
export function finish(c: Cpu): void {
  if ((pre | post) === 0) return;
  const unmasked = ~(mx >> 7) & 0x3f;
  if ((pre & unmasked) !== 0) {
    c.r[Slot.MXCSR] = mx | pre;
    c.raise(Vector.XM, 'SIMD floating-point exception');
  }
  const all = pre | post;
  c.r[Slot.MXCSR] = mx | all;
  if ((all & unmasked) !== 0) c.raise(Vector.XM, 'SIMD floating-point exception');
}


// --- exact arithmetic helpers ----------------------------------------------------------------------

/** The exact error of s = fl(a + b) (Knuth's two-sum; exact unless the sum overflows). */
function twoSumErr(a: number, b: number, s: number): number {
  const bb = s - a;
  return (a - (s - bb)) + (b - bb);
}

const SPLIT = 134217729; // 2^27 + 1
/** The exact error of p = fl(a * b) (Dekker; exact when nothing overflows or underflows). */
function twoProdErr(a: number, b: number, p: number): number {
  let t = SPLIT * a;
  const ah = t - (t - a), al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b), bl = b - bh;
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}

let dexp = 0;
/** |x| = m * 2^dexp with m in [1, 2); x finite and nonzero (denormals too). */
function decompose(x: number): number {
  F[0] = x < 0 ? -x : x;
  let be = (FI[1] >>> 20) & 0x7ff, adj = 0;
  if (be === 0) { F[0] *= 18446744073709551616; be = (FI[1] >>> 20) & 0x7ff; adj = 64; }
  dexp = be - 1023 - adj;
  FI[1] = (FI[1] & 0xfffff) | 0x3ff00000;
  return F[0];
}

// --- rounding --------------------------------------------------------------------------------------

let inexact = false;

/**
 * Rounds m * 2^sh (m in [1, 2), sh >= -2), refined by a tail of sign ls (the part below m's last
 * bit), to an integer by the rounding mode, for a value of sign `neg`. Sets `inexact`.
 */
function roundInt(m: number, sh: number, ls: number, neg: boolean): number {
  const h = m * P2[sh + 1074];
  let n = Math.floor(h);
  const f = h - n;
  let cat: number; // 0 exact, 1 below half, 2 half, 3 above half
  if (f === 0) {
    if (ls === 0) cat = 0;
    else if (ls > 0) cat = 1;
    else { n -= 1; cat = 3; }
  } else {
    const g = f - 0.5;
    cat = g < 0 ? 1 : g > 0 ? 3 : ls === 0 ? 2 : ls > 0 ? 3 : 1;
  }
  inexact = cat !== 0;
  if (cat === 0) return n;
  switch (rc) {
    case Rc.NEAREST: return cat === 3 || (cat === 2 && n % 2 !== 0) ? n + 1 : n;
    case Rc.DOWN: return neg ? n + 1 : n;
    case Rc.UP: return neg ? n : n + 1;
    default: return n;
  }
}

function overflow(m: number, e0: number, e: number, ls: number, neg: boolean, p: number, f32: boolean): number {
  if (!oMasked) {
    post |= OE;
    roundInt(m, e0 - (e - p + 1), ls, neg);
    if (inexact) post |= PE;
    return 0;
  }
  post |= OE | PE;
  const toInf = rc === Rc.NEAREST || (rc === Rc.UP && !neg) || (rc === Rc.DOWN && neg);
  const r = toInf ? Infinity : f32 ? MAX32 : MAX64;
  return neg ? -r : r;
}

/**
 * Rounds the exact value (hi + tail) * 2^k to binary32 (f32) or binary64 by MXCSR, setting
 * OE/UE/PE. hi is nonzero, finite, and the exact value rounded to nearest at 53 bits; only the
 * sign of tail (the rest) matters.
 */
function roundPack(hi: number, tail: number, k: number, f32: boolean): number {
  const p = f32 ? 24 : 53, emin = f32 ? -126 : -1022, emax = f32 ? 127 : 1023;
  const neg = hi < 0;
  F[0] = neg ? -hi : hi;
  let be = (FI[1] >>> 20) & 0x7ff;
  if (be === 0) { F[0] *= 18446744073709551616; k -= 64; be = (FI[1] >>> 20) & 0x7ff; }
  const e0 = be - 1023 + k;
  const ls = tail === 0 ? 0 : (tail > 0) !== neg ? 1 : -1;
  const pow2 = (FI[1] & 0xfffff) === 0 && FI[0] === 0;
  FI[1] = (FI[1] & 0xfffff) | 0x3ff00000;
  const m = F[0];
  // The exponent of the exact value: a power of two minus a little is in the binade below.
  const e = pow2 && ls < 0 ? e0 - 1 : e0;
  const top = P2[p + 1074];
  if (e > emax) return overflow(m, e0, e, ls, neg, p, f32);
  if (e >= emin) {
    const q = e - p + 1;
    const n = roundInt(m, e0 - q, ls, neg);
    if (n === top && e === emax) return overflow(m, e0, e, ls, neg, p, f32);
    if (inexact) post |= PE;
    const r = n * P2[q + 1074];
    return neg ? -r : r;
  }
  // Below the normal range. Tiny means: still below 2^emin when rounded to p bits with an
  // unbounded exponent.
  const nu = roundInt(m, p - 1 + e0 - e, ls, neg);
  const tiny = !(e === emin - 1 && nu === top);
  if (tiny && !uMasked) {
    post |= UE;
    if (inexact) post |= PE;
    return 0;
  }
  const q = emin - p + 1;
  let n: number;
  if (e < q - 2) {
    inexact = true;
    n = (rc === Rc.UP && !neg) || (rc === Rc.DOWN && neg) ? 1 : 0;
  } else n = roundInt(m, e0 - q, ls, neg);
  if (tiny) {
    if (ftz) { post |= UE | PE; return neg ? -0 : 0; }
    if (inexact) post |= UE | PE;
  } else if (inexact) post |= PE;
  const r = n * P2[q + 1074];
  return neg ? -r : r;
}

/** Finishes a binary64 result: hi rounded to nearest, tail the sign of the rest. */
function fin64(hi: number, tail: number): number {
  if (rc === Rc.NEAREST) {
    // 2^emin itself may be the rounding of a tiny value: the slow path decides.
    const a = hi < 0 ? -hi : hi;
    if (a > MIN_NORMAL64) {
      if (tail !== 0) post |= PE;
      return hi;
    }
  }
  return roundPack(hi, tail, 0, false);
}

/** Finishes a binary32 result from the exact value's binary64 rounding hi and tail. */
function fin32(hi: number, tail: number): number {
  if (rc === Rc.NEAREST) {
    const r = Math.fround(hi);
    const a = r < 0 ? -r : r;
    if (a > MIN_NORMAL32 && a <= MAX32) {
      if (r !== hi || tail !== 0) post |= PE;
      return r;
    }
  }
  return roundPack(hi, tail, 0, true);
}

// --- arithmetic on values (NaN operands, DAZ and the denormal flag are handled by the lane code) ---

/** An exact zero sum: x + -x is +0 except when rounding down; zeros of one sign keep it. */
function zeroSum(a: number, b: number): number {
  if (a === 0 && b === 0 && 1 / a === 1 / b) return a;
  return rc === Rc.DOWN ? -0 : 0;
}

export function add32(a: number, b: number): number {
  const s = a + b;
  if (s - s !== 0) { if (s !== s) pre |= IE; return s; }
  if (s === 0) return zeroSum(a, b);
  return fin32(s, twoSumErr(a, b, s));
}
export function sub32(a: number, b: number): number { return add32(a, -b); }

export function add64(a: number, b: number): number {
  const s = a + b;
  if (s - s !== 0) {
    if (s !== s) { pre |= IE; return s; }
    if (a - a !== 0 || b - b !== 0) return s;
    // Overflowed: both operands are above 2^970, so halving them is exact.
    const a2 = a * 0.5, b2 = b * 0.5, h = a2 + b2;
    return roundPack(h, twoSumErr(a2, b2, h), 1, false);
  }
  if (s === 0) return zeroSum(a, b);
  return fin64(s, twoSumErr(a, b, s));
}
export function sub64(a: number, b: number): number { return add64(a, -b); }

export function mul32(a: number, b: number): number {
  const p = a * b; // exact: 48 bits, well inside binary64's range
  if (p - p !== 0) { if (p !== p) pre |= IE; return p; }
  if (p === 0) return p;
  return fin32(p, 0);
}

function mulScaled(a: number, b: number): number {
  const ma = decompose(a), ea = dexp, mb = decompose(b), eb = dexp;
  const h = ma * mb, t = twoProdErr(ma, mb, h);
  return (a < 0) !== (b < 0) ? roundPack(-h, -t, ea + eb, false) : roundPack(h, t, ea + eb, false);
}

export function mul64(a: number, b: number): number {
  const p = a * b;
  if (p - p !== 0) {
    if (p !== p) { pre |= IE; return p; }
    if (a - a !== 0 || b - b !== 0) return p;
    return mulScaled(a, b);
  }
  if (a === 0 || b === 0) return p;
  const ap = p < 0 ? -p : p, aa = a < 0 ? -a : a, ab = b < 0 ? -b : b;
  // Dekker's product is exact when nothing in it overflows or underflows.
  if (ap > 1e-290 && ap < 1e290 && aa > 1e-290 && ab > 1e-290 && aa < 1e290 && ab < 1e290) return fin64(p, twoProdErr(a, b, p));
  return mulScaled(a, b);
}

/** The sign of a / b - q, from the exact residual a - q * b. */
function divTail(a: number, b: number, q: number): number {
  const p = q * b;
  const r = (a - p) - twoProdErr(q, b, p);
  return r === 0 ? 0 : (r > 0) === (b > 0) ? 1 : -1;
}

function divSpecial(a: number, b: number): number {
  if (b === 0) {
    if (a === 0) { pre |= IE; return NaN; }
    if (a - a === 0) pre |= ZE;
    return a / b;
  }
  const q = a / b;
  if (q !== q) pre |= IE; // inf / inf
  return q; // inf / x, x / inf, 0 / x
}

export function div32(a: number, b: number): number {
  if (b === 0 || a === 0 || a - a !== 0 || b - b !== 0) return divSpecial(a, b);
  const q = a / b;
  return fin32(q, divTail(a, b, q));
}

export function div64(a: number, b: number): number {
  if (b === 0 || a === 0 || a - a !== 0 || b - b !== 0) return divSpecial(a, b);
  const q = a / b;
  const aa = a < 0 ? -a : a, ab = b < 0 ? -b : b, aq = q < 0 ? -q : q;
  if (aa > 1e-290 && ab > 1e-290 && aq > 1e-290 && aa < 1e290 && ab < 1e290 && aq < 1e290) return fin64(q, divTail(a, b, q));
  const ma = decompose(a), ea = dexp, mb = decompose(b), eb = dexp;
  const qm = ma / mb, t = divTail(ma, mb, qm);
  return (a < 0) !== (b < 0) ? roundPack(-qm, -t, ea - eb, false) : roundPack(qm, t, ea - eb, false);
}

function sqrtTail(x: number, r: number): number {
  const p = r * r;
  const d = (x - p) - twoProdErr(r, r, p);
  return d === 0 ? 0 : d > 0 ? 1 : -1;
}

export function sqrt32(_a: number, x: number): number {
  if (x < 0) { pre |= IE; return NaN; }
  if (x === 0 || x === Infinity) return x;
  const r = Math.sqrt(x);
  return fin32(r, sqrtTail(x, r));
}

export function sqrt64(_a: number, x: number): number {
  if (x < 0) { pre |= IE; return NaN; }
  if (x === 0 || x === Infinity) return x;
  if (x > 1e-290 && x < 1e290) {
    const r = Math.sqrt(x);
    return fin64(r, sqrtTail(x, r));
  }
  let m = decompose(x), e = dexp;
  if ((e & 1) !== 0) { m *= 2; e -= 1; }
  const r = Math.sqrt(m);
  return roundPack(r, sqrtTail(m, r), e / 2, false);
}

export type FpOp = (a: number, b: number) => number;

// --- lanes: NaN propagation, DAZ, the denormal flag ------------------------------------------------

function put32(k: number, r: number): void {
  if (r !== r) R[k] = DEFAULT_NAN32;
  else RF32[k] = r;
}
function put64(k: number, r: number): void {
  if (r !== r) { R[2 * k] = 0; R[2 * k + 1] = DEFAULT_NAN64_HI; }
  else RF64[k] = r;
}

function isNaN32(x: number): boolean { return (x & 0x7fffffff) > 0x7f800000; }
function isNaN64(hi: number, lo: number): boolean {
  const h = hi & 0x7fffffff;
  return h > 0x7ff00000 || (h === 0x7ff00000 && lo !== 0);
}

/** R lane k = op(A lane k, B lane k), binary32; op sees neither NaNs nor (with DAZ) denormals. */
export function lane32(k: number, op: FpOp): void {
  const ab = A[k], bb = B[k];
  let a = AF32[k], b = BF32[k];
  if ((((ab >>> 23) + 1) & 0xff) <= 1 || (((bb >>> 23) + 1) & 0xff) <= 1) {
    if (a !== a || b !== b) {
      // SNaN: invalid; the result is the first NaN operand, quieted (SDM Vol. 1, Table 4-7).
      const an = isNaN32(ab);
      if ((an && (ab & 0x400000) === 0) || (isNaN32(bb) && (bb & 0x400000) === 0)) pre |= IE;
      R[k] = (an ? ab : bb) | 0x400000;
      return;
    }
    let den = false;
    if ((ab & 0x7f800000) === 0 && a !== 0) { if (daz) a = ab < 0 ? -0 : 0; else den = true; }
    if ((bb & 0x7f800000) === 0 && b !== 0) { if (daz) b = bb < 0 ? -0 : 0; else den = true; }
    if (den) {
      // A denormal operand is reported unless the operation is invalid or divides by zero.
      const p0 = pre;
      pre = 0;
      const r = op(a, b);
      pre = p0 | (pre & (IE | ZE) ? pre : pre | DE);
      put32(k, r);
      return;
    }
  }
  put32(k, op(a, b));
}

/** R lane k = op(A lane k, B lane k), binary64. */
export function lane64(k: number, op: FpOp): void {
  const ah = A[2 * k + 1], bh = B[2 * k + 1];
  let a = AF64[k], b = BF64[k];
  if ((((ah >>> 20) + 1) & 0x7ff) <= 1 || (((bh >>> 20) + 1) & 0x7ff) <= 1) {
    if (a !== a || b !== b) {
      const an = isNaN64(ah, A[2 * k]);
      if ((an && (ah & 0x80000) === 0) || (isNaN64(bh, B[2 * k]) && (bh & 0x80000) === 0)) pre |= IE;
      if (an) { R[2 * k] = A[2 * k]; R[2 * k + 1] = ah | 0x80000; }
      else { R[2 * k] = B[2 * k]; R[2 * k + 1] = bh | 0x80000; }
      return;
    }
    let den = false;
    if ((ah & 0x7ff00000) === 0 && a !== 0) { if (daz) a = ah < 0 ? -0 : 0; else den = true; }
    if ((bh & 0x7ff00000) === 0 && b !== 0) { if (daz) b = bh < 0 ? -0 : 0; else den = true; }
    if (den) {
      const p0 = pre;
      pre = 0;
      const r = op(a, b);
      pre = p0 | (pre & (IE | ZE) ? pre : pre | DE);
      put64(k, r);
      return;
    }
  }
  put64(k, op(a, b));
}

/** R lane k = op(B lane k) (sqrt), binary32: a unary operation's only operand is the source. */
export function unary32(k: number, op: FpOp): void {
  const bb = B[k];
  let b = BF32[k];
  if ((((bb >>> 23) + 1) & 0xff) <= 1) {
    if (b !== b) {
      if ((bb & 0x400000) === 0) pre |= IE;
      R[k] = bb | 0x400000;
      return;
    }
    if ((bb & 0x7f800000) === 0 && b !== 0) {
      if (daz) b = bb < 0 ? -0 : 0;
      else {
        const p0 = pre;
        pre = 0;
        const r = op(0, b);
        pre = p0 | (pre & IE ? pre : pre | DE);
        put32(k, r);
        return;
      }
    }
  }
  put32(k, op(0, b));
}

export function unary64(k: number, op: FpOp): void {
  const bh = B[2 * k + 1];
  let b = BF64[k];
  if ((((bh >>> 20) + 1) & 0x7ff) <= 1) {
    if (b !== b) {
      if ((bh & 0x80000) === 0) pre |= IE;
      R[2 * k] = B[2 * k]; R[2 * k + 1] = bh | 0x80000;
      return;
    }
    if ((bh & 0x7ff00000) === 0 && b !== 0) {
      if (daz) b = bh < 0 ? -0 : 0;
      else {
        const p0 = pre;
        pre = 0;
        const r = op(0, b);
        pre = p0 | (pre & IE ? pre : pre | DE);
        put64(k, r);
        return;
      }
    }
  }
  put64(k, op(0, b));
}

// --- min / max: the second operand when either is NaN or both are zero ------------------------------

export function minMax32(k: number, max: boolean): void {
  let ab = A[k], bb = B[k];
  // DAZ applies first, even to the source returned for a NaN.
  if ((ab & 0x7f800000) === 0 && (ab & 0x7fffff) !== 0) { if (daz) ab &= 0x80000000; else if (!isNaN32(bb)) pre |= DE; }
  if ((bb & 0x7f800000) === 0 && (bb & 0x7fffff) !== 0) { if (daz) bb &= 0x80000000; else if (!isNaN32(ab)) pre |= DE; }
  if (isNaN32(ab) || isNaN32(bb)) { pre |= IE; R[k] = bb; return; }
  SI[0] = ab; SI[1] = bb;
  const a = S[0], b = S[1];
  R[k] = (max ? a > b : a < b) ? ab : bb;
}

export function minMax64(k: number, max: boolean): void {
  let al = A[2 * k], ah = A[2 * k + 1], bl = B[2 * k], bh = B[2 * k + 1];
  const an = isNaN64(ah, al), bn = isNaN64(bh, bl);
  if ((ah & 0x7ff00000) === 0 && ((ah & 0xfffff) | al) !== 0) { if (daz) { ah &= 0x80000000; al = 0; } else if (!bn) pre |= DE; }
  if ((bh & 0x7ff00000) === 0 && ((bh & 0xfffff) | bl) !== 0) { if (daz) { bh &= 0x80000000; bl = 0; } else if (!an) pre |= DE; }
  if (an || bn) { pre |= IE; R[2 * k] = bl; R[2 * k + 1] = bh; return; }
  FI[0] = al; FI[1] = ah;
  const a = F[0];
  FI[0] = bl; FI[1] = bh;
  const b = F[0];
  if (max ? a > b : a < b) { R[2 * k] = al; R[2 * k + 1] = ah; }
  else { R[2 * k] = bl; R[2 * k + 1] = bh; }
}

// --- comparisons -------------------------------------------------------------------------------------

/** Predicates 1, 2, 5, 6 (LT LE NLT NLE) signal on a QNaN too; 3-6 are true when unordered. */
const SIGNALING = [false, true, true, false, false, true, true, false];
const UNORDERED = [false, false, false, true, true, true, true, false];

function predicate(pred: number, a: number, b: number): boolean {
  switch (pred) {
    case 0: return a === b;
    case 1: return a < b;
    case 2: return a <= b;
    case 3: return false;
    case 4: return a !== b;
    case 5: return !(a < b);
    case 6: return !(a <= b);
    default: return true;
  }
}

/** R lane k = all ones if A lane k `pred` B lane k (cmpps/cmpss, imm8[2:0]), else zero. */
export function cmp32(k: number, pred: number): void {
  const ab = A[k], bb = B[k];
  const an = isNaN32(ab), bn = isNaN32(bb);
  if (an || bn) {
    if (SIGNALING[pred] || (an && (ab & 0x400000) === 0) || (bn && (bb & 0x400000) === 0)) pre |= IE;
    R[k] = UNORDERED[pred] ? -1 : 0;
    return;
  }
  let a = AF32[k], b = BF32[k];
  if ((ab & 0x7f800000) === 0 && a !== 0) { if (daz) a = 0; else pre |= DE; }
  if ((bb & 0x7f800000) === 0 && b !== 0) { if (daz) b = 0; else pre |= DE; }
  R[k] = predicate(pred, a, b) ? -1 : 0;
}

export function cmp64(k: number, pred: number): void {
  const al = A[2 * k], ah = A[2 * k + 1], bl = B[2 * k], bh = B[2 * k + 1];
  const an = isNaN64(ah, al), bn = isNaN64(bh, bl);
  if (an || bn) {
    if (SIGNALING[pred] || (an && (ah & 0x80000) === 0) || (bn && (bh & 0x80000) === 0)) pre |= IE;
    R[2 * k] = R[2 * k + 1] = UNORDERED[pred] ? -1 : 0;
    return;
  }
  let a = AF64[k], b = BF64[k];
  if ((ah & 0x7ff00000) === 0 && a !== 0) { if (daz) a = 0; else pre |= DE; }
  if ((bh & 0x7ff00000) === 0 && b !== 0) { if (daz) b = 0; else pre |= DE; }
  R[2 * k] = R[2 * k + 1] = predicate(pred, a, b) ? -1 : 0;
}

/**
 * comiss/ucomiss on lane 0 of A and B: returns ZF PF CF (unordered 111, less 001, equal 100,
 * greater 000). comis signals invalid on any NaN, ucomis only on an SNaN.
 */
export function comi32(signalQuiet: boolean): number {
  const ab = A[0], bb = B[0];
  const an = isNaN32(ab), bn = isNaN32(bb);
  if (an || bn) {
    if (signalQuiet || (an && (ab & 0x400000) === 0) || (bn && (bb & 0x400000) === 0)) pre |= IE;
    return 0x45;
  }
  let a = AF32[0], b = BF32[0];
  if ((ab & 0x7f800000) === 0 && a !== 0) { if (daz) a = 0; else pre |= DE; }
  if ((bb & 0x7f800000) === 0 && b !== 0) { if (daz) b = 0; else pre |= DE; }
  return a < b ? 0x01 : a === b ? 0x40 : 0;
}

export function comi64(signalQuiet: boolean): number {
  const al = A[0], ah = A[1], bl = B[0], bh = B[1];
  const an = isNaN64(ah, al), bn = isNaN64(bh, bl);
  if (an || bn) {
    if (signalQuiet || (an && (ah & 0x80000) === 0) || (bn && (bh & 0x80000) === 0)) pre |= IE;
    return 0x45;
  }
  let a = AF64[0], b = BF64[0];
  if ((ah & 0x7ff00000) === 0 && a !== 0) { if (daz) a = 0; else pre |= DE; }
  if ((bh & 0x7ff00000) === 0 && b !== 0) { if (daz) b = 0; else pre |= DE; }
  return a < b ? 0x01 : a === b ? 0x40 : 0;
}

// --- conversions -------------------------------------------------------------------------------------

/** R f64 lane j = B f32 lane k (cvtss2sd, cvtps2pd): exact; SNaN invalid, denormal flagged. */
export function cvt32to64(k: number, j: number): void {
  const b = B[k];
  if (isNaN32(b)) {
    if ((b & 0x400000) === 0) pre |= IE;
    R[2 * j + 1] = (b & 0x80000000) | 0x7ff80000 | ((b & 0x3fffff) >>> 3);
    R[2 * j] = b << 29;
    return;
  }
  if ((b & 0x7f800000) === 0 && (b & 0x7fffff) !== 0) {
    if (daz) { R[2 * j] = 0; R[2 * j + 1] = b & 0x80000000; return; }
    pre |= DE;
  }
  RF64[j] = BF32[k];
}

/** R f32 lane j = B f64 lane k (cvtsd2ss, cvtpd2ps), rounded by MXCSR. */
export function cvt64to32(k: number, j: number): void {
  const lo = B[2 * k], hi = B[2 * k + 1];
  if (isNaN64(hi, lo)) {
    if ((hi & 0x80000) === 0) pre |= IE;
    R[j] = (hi & 0x80000000) | 0x7fc00000 | ((hi & 0x7ffff) << 3) | (lo >>> 29);
    return;
  }
  const x = BF64[k];
  if (x === 0 || x - x !== 0) { RF32[j] = x; return; }
  if ((hi & 0x7ff00000) === 0) {
    if (daz) { R[j] = hi & 0x80000000; return; }
    pre |= DE;
  }
  RF32[j] = fin32(x, 0);
}

/** An int32 as binary32, rounded by MXCSR (cvtsi2ss, cvtdq2ps, cvtpi2ps). */
export function int32To32(v: number): number {
  return v === 0 ? 0 : fin32(v, 0);
}

/** A 64-bit integer (lo, hi halves) as binary32 or binary64, rounded by MXCSR. */
export function int64ToFloat(lo: number, hi: number, f32: boolean): number {
  if (hi === (lo >> 31)) return f32 ? int32To32(lo) : lo;
  const h = hi * 4294967296, l = lo >>> 0, s = h + l;
  // A 64-bit integer is not the result of a p-bit operation: round once, from the exact value.
  return roundPack(s, twoSumErr(h, l, s), 0, f32);
}

/** x rounded to an integer by `mode`. */
function rint(x: number, mode: number): number {
  switch (mode) {
    case Rc.NEAREST: {
      const n = Math.floor(x);
      const d = x - n;
      return d > 0.5 || (d === 0.5 && n % 2 !== 0) ? n + 1 : n;
    }
    case Rc.DOWN: return Math.floor(x);
    case Rc.UP: return Math.ceil(x);
    default: return Math.trunc(x);
  }
}

export const INDEFINITE32 = 0x80000000 | 0;

/**
 * A float value (NaN allowed; denormals already DAZ-flushed by the caller) as int32, rounded by
 * MXCSR or truncated; NaN and out-of-range give the integer indefinite and IE.
 */
export function toInt32(x: number, trunc: boolean): number {
  const n = rint(x, trunc ? Rc.ZERO : rc);
  if (!(n >= -2147483648 && n <= 2147483647)) { pre |= IE; return INDEFINITE32; }
  if (n !== x) post |= PE;
  return n | 0;
}

/** The same as int64: returns the low half, the high half in `int64Hi`. */
export let int64Hi = 0;
export function toInt64(x: number, trunc: boolean): number {
  const n = rint(x, trunc ? Rc.ZERO : rc);
  if (!(n >= -9223372036854775808 && n < 9223372036854775808)) { pre |= IE; int64Hi = INDEFINITE32; return 0; }
  if (n !== x) post |= PE;
  const h = Math.floor(n / 4294967296);
  int64Hi = h | 0;
  return (n - h * 4294967296) | 0;
}

/** B f32 lane k as a value for conversion to integer: DAZ applies, no denormal flag. */
export function srcValue32(k: number): number {
  const b = B[k];
  if ((b & 0x7f800000) === 0 && daz) return 0;
  return BF32[k];
}

export function srcValue64(k: number): number {
  const hi = B[2 * k + 1];
  if ((hi & 0x7ff00000) === 0 && daz) return 0;
  return BF64[k];
}

// --- approximations: rcpps, rsqrtps -----------------------------------------------------------------

// The hardware looks the result up by the top 11 bits of the operand (rsqrt: the exponent's low
// bit and the top 10 fraction bits) and returns 12 significant bits: the exact reciprocal (square
// root) at the middle of that interval, rounded to nearest. Measured on Intel hardware; the SDM
// only bounds the relative error by 1.5 * 2^-12. Flags are never set; denormal operands count as
// zero and tiny results are flushed to zero.
const RCP = new Int32Array(2048);
const RSQRT = new Int32Array(2048);
{
  for (let i = 0; i < 2048; i++) {
    S[0] = Math.round(8192 / (1 + (i + 0.5) / 2048)) / 8192;
    RCP[i] = SI[0];
    const x = i < 1024 ? 0.5 * (1 + (i + 0.5) / 1024) : 1 + (i - 1024 + 0.5) / 1024;
    const v = 1 / Math.sqrt(x);
    const step = v >= 1 ? 4096 : 8192;
    S[0] = Math.round(v * step) / step;
    RSQRT[i] = SI[0];
  }
}

/** rcp of binary32 bits. */
export function rcp32(b: number): number {
  const e = (b >>> 23) & 0xff, sign = b & 0x80000000;
  if (e === 0xff) return (b & 0x7fffff) !== 0 ? b | 0x400000 : sign;
  if (e === 0) return sign | 0x7f800000;
  const t = RCP[(b >>> 12) & 0x7ff];
  const re = ((t >>> 23) & 0xff) + 127 - e;
  return re <= 0 ? sign : sign | (t + ((127 - e) << 23));
}

/** rsqrt of binary32 bits. */
export function rsqrt32(b: number): number {
  const e = (b >>> 23) & 0xff, sign = b & 0x80000000;
  if (e === 0xff && (b & 0x7fffff) !== 0) return b | 0x400000;
  if (e === 0) return sign | 0x7f800000;
  if (sign !== 0) return DEFAULT_NAN32;
  if (e === 0xff) return 0;
  const t = RSQRT[((e & 1) << 10) | ((b >>> 13) & 0x3ff)];
  return t + ((((126 + (e & 1)) - e) >> 1) << 23);
}
