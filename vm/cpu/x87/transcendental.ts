// The x87 transcendental instructions on the 80-bit format: f2xm1, fyl2x, fyl2xp1, fpatan,
// fsin, fcos, fsincos, fptan. Special operands follow the SDM tables (Vol. 2, each instruction);
// finite results are computed in double-double arithmetic (about 104 bits) and rounded once per
// RC, so they are within an ulp of the exact value (not bit-identical to any one CPU's
// microcode). fsin/fcos/fptan reduce by the x87's own 66-bit pi (SDM Vol. 1, 8.3.10), so large
// arguments give what the hardware gives, not the mathematically exact value.
// Exceptions and C2 are returned as in float80.ts; C1 and, in the last place, PE/UE are not
// always what the hardware reports (its C1 follows its internal rounding steps).
// Pure ECMAScript. No objects or arrays are allocated per call, but unlike float80.ts these
// functions pass doubles between non-inlined helpers, which V8 may box; they are rare and slow
// (about a microsecond) anyway.

import {
  CMP_EQUAL, CMP_LESS, F80, FLAG_DE, FLAG_PE, FLAG_UE, FLAG_ZE, KIND_DENORMAL, KIND_INF, KIND_QNAN, KIND_SNAN,
  KIND_UNSUPPORTED, KIND_ZERO, SW_C2, divideDigits, divQ, divU, divV, f80Compare,
  f80Mul, kindOf, packF80, propagateNaN1, propagateNaN2, setIndefinite,
} from './float80.js';

const TWO32 = 4294967296;
const BIAS = 16383;

// ---------------------------------------------------------------------------------------------
// Double-double arithmetic (Dekker, Knuth; see Hida, Li and Bailey, "Library for double-double
// and quad-double arithmetic"). Results in dd[0] + dd[1]. Helper results live in Float64Arrays
// rather than module `let`s, which V8 would box (allocate) for every non-small-integer store.

const dd = new Float64Array(2);
const SPLITTER = 134217729; // 2^27 + 1

function ddAdd(ah: number, al: number, bh: number, bl: number): void {
  let s = ah + bh;
  let v = s - ah;
  let e = (ah - (s - v)) + (bh - v);
  const t = al + bl;
  v = t - al;
  const f = (al - (t - v)) + (bl - v);
  e += t;
  let u = s + e;
  e = e - (u - s);
  s = u;
  e += f;
  u = s + e;
  dd[1] = e - (u - s);
  dd[0] = u;
}

function ddMul(ah: number, al: number, bh: number, bl: number): void {
  const p = ah * bh;
  let c = SPLITTER * ah;
  const ahh = c - (c - ah), ahl = ah - ahh;
  c = SPLITTER * bh;
  const bhh = c - (c - bh), bhl = bh - bhh;
  let e = ((ahh * bhh - p) + ahh * bhl + ahl * bhh) + ahl * bhl;
  e += ah * bl + al * bh;
  const s = p + e;
  dd[1] = e - (s - p);
  dd[0] = s;
}

function ddDiv(ah: number, al: number, bh: number, bl: number): void {
  const q1 = ah / bh;
  ddMul(q1, 0, bh, bl);
  ddAdd(ah, al, -dd[0], -dd[1]);
  const rh = dd[0], rl = dd[1];
  const q2 = rh / bh;
  ddMul(q2, 0, bh, bl);
  ddAdd(rh, rl, -dd[0], -dd[1]);
  const q3 = dd[0] / bh;
  const s = q1 + q2;
  const e = q2 - (s - q1);
  ddAdd(s, e, q3, 0);
}

// Constants as double-double pairs (computed with mpmath at 300 bits).
const LN2_H = 0.6931471805599453, LN2_L = 2.3190468138462996e-17;
const LOG2E_H = 1.4426950408889634, LOG2E_L = 2.0355273740931033e-17;
const PI_H = 3.141592653589793, PI_L = 1.2246467991473532e-16;
const PI_2_H = 1.5707963267948966, PI_2_L = 6.123233995736766e-17;
const PI_4_H = 0.7853981633974483, PI_4_L = 3.061616997868383e-17;
const PI3_4_H = 2.356194490192345, PI3_4_L = 9.184850993605148e-17;
const ATAN_K8_H = [0, 0.12435499454676144, 0.24497866312686414, 0.35877067027057225,
  0.4636476090008061, 0.5585993153435624, 0.6435011087932844, 0.7188299996216245, 0.7853981633974483];
const ATAN_K8_L = [0, -3.1253241424539383e-18, 1.0698755618734451e-17, -2.4623815582638635e-17,
  2.2698777452961687e-17, -5.4556305485916264e-18, 1.5834785051444286e-17, -2.1478388444456983e-17,
  3.061616997868383e-17];
const SQRT2 = 1.4142135623730951;
/** A stand-in for a correction term too small for a double: only its sign matters, to steer
 *  directed rounding, since it is far below the last bit of any 64-bit result. */
const NEGLIGIBLE = 2 ** -300;

// ---------------------------------------------------------------------------------------------
// Between F80 and double-double.

/** unpack result: [exponent, high part, low part]. */
const un = new Float64Array(3);

/** |a| for a finite nonzero operand as (un[1] + un[2]) x 2^un[0], un[1] + un[2] in [1, 2), exactly. */
function unpack(a: F80): void {
  let exp = a.se & 0x7fff, hi = a.hi >>> 0, lo = a.lo >>> 0;
  if (exp === 0) exp = 1;
  if (hi < 0x80000000) {
    let n: number;
    if (hi !== 0) {
      n = Math.clz32(hi);
      hi = ((hi << n) | (lo >>> (32 - n))) >>> 0;
      lo = (lo << n) >>> 0;
    } else {
      n = 32 + Math.clz32(lo);
      hi = (lo << (n - 32)) >>> 0;
      lo = 0;
    }
    exp -= n;
  }
  un[0] = exp - BIAS;
  // hi and the top 21 bits of lo fit a double's 53 bits; the low 11 bits form the tail.
  un[1] = (hi * TWO32 + ((lo & 0xfffff800) >>> 0)) * 2 ** -63;
  un[2] = (lo & 0x7ff) * 2 ** -63;
}

function floorLog2(x: number): number {
  let e = Math.floor(Math.log2(x));
  while (2 ** e > x) e--;
  while (2 ** (e + 1) <= x) e++;
  return e;
}

/**
 * Rounds sign x (h + l) x 2^e to the 80-bit format per RC, always inexact (these results are
 * irrational), and stores it. h must be nonzero with |l| <= ulp(h)/2.
 */
function packDD(out: F80, sign: number, h: number, l: number, e: number, rc: number): number {
  if (h < 0) {
    h = -h; l = -l; sign ^= 1;
  }
  const eh = floorLog2(h);
  // Scale so that h becomes an integer in [2^63, 2^64); l keeps up to ~11 integer bits.
  const big = 63 - eh;
  const H = h * 2 ** big;
  const L = l * 2 ** big;
  const li = Math.floor(L);
  // In [0, 1); exact except for a tiny negative L, where 1 + L may round up to 1: the true
  // fraction is then just below 1.
  const lf = Math.min(L - li, 1 - 2 ** -53);
  let hw = Math.floor(H / TWO32);
  let lw = H - hw * TWO32 + li;
  while (lw < 0) { lw += TWO32; hw -= 1; }
  while (lw >= TWO32) { lw -= TWO32; hw += 1; }
  let w0 = Math.floor(lf * TWO32);
  w0 = (w0 | 1) >>> 0; // sticky: the exact result has more bits
  let exp = eh + e + BIAS;
  if (hw >= TWO32) {
    w0 = ((w0 >>> 1) | ((lw & 1) << 31) | 1) >>> 0;
    lw = ((lw >>> 1) | ((hw & 1) << 31)) >>> 0;
    hw = Math.floor(hw / 2);
    exp++;
  }
  return packF80(out, sign, exp, hw >>> 0, lw >>> 0, w0, 64, rc);
}

function setValue(out: F80, se: number, hi: number, lo: number): void {
  out.se = se; out.hi = hi | 0; out.lo = lo | 0;
}

/** Control word with the same RC and 64-bit precision (PC never applies to these). */
function fullPrecision(cw: number): number {
  return (cw & 0xfcff) | 0x0300;
}

// ---------------------------------------------------------------------------------------------
// Series on double-double values, each result in dd.

/** expm1(y) for |y| < 0.7 (Taylor). */
function expm1DD(yh: number, yl: number): void {
  let sh = yh, sl = yl, th = yh, tl = yl;
  for (let n = 2; n < 60; n++) {
    ddMul(th, tl, yh, yl);
    ddDiv(dd[0], dd[1], n, 0);
    th = dd[0]; tl = dd[1];
    ddAdd(sh, sl, th, tl);
    sh = dd[0]; sl = dd[1];
    if (Math.abs(th) < Math.abs(sh) * 1e-34) break;
  }
  dd[0] = sh; dd[1] = sl;
}

/** 2 * atanh(s) = log((1+s)/(1-s)) for |s| <= 0.18 (odd series). */
function atanh2DD(s: number, sl: number): void {
  ddMul(s, sl, s, sl);
  const s2h = dd[0], s2l = dd[1];
  let ph = s, pl = sl; // s^(2k+1)
  let sumH = s, sumL = sl;
  for (let k = 3; k < 200; k += 2) {
    ddMul(ph, pl, s2h, s2l);
    ph = dd[0]; pl = dd[1];
    ddDiv(ph, pl, k, 0);
    const th = dd[0], tl = dd[1];
    ddAdd(sumH, sumL, th, tl);
    sumH = dd[0]; sumL = dd[1];
    if (Math.abs(th) < Math.abs(sumH) * 1e-34) break;
  }
  dd[0] = 2 * sumH; dd[1] = 2 * sumL;
}

/** atan(t) for t in [0, 1]: atan(k/8) from a table plus atan((t - k/8) / (1 + t k/8)). */
function atanDD(th: number, tl: number): void {
  const k = Math.round(th * 8);
  let uh = th, ul = tl;
  if (k !== 0) {
    const c = k / 8;
    ddAdd(th, tl, -c, 0);
    const nh = dd[0], nl = dd[1];
    ddMul(th, tl, c, 0);
    ddAdd(1, 0, dd[0], dd[1]);
    ddDiv(nh, nl, dd[0], dd[1]);
    uh = dd[0]; ul = dd[1];
  }
  // atan(u) = u - u^3/3 + u^5/5 - ..., |u| <= 1/16.
  ddMul(uh, ul, uh, ul);
  const u2h = -dd[0], u2l = -dd[1];
  let ph = uh, pl = ul, sumH = uh, sumL = ul;
  for (let n = 3; n < 100; n += 2) {
    ddMul(ph, pl, u2h, u2l);
    ph = dd[0]; pl = dd[1];
    ddDiv(ph, pl, n, 0);
    const qh = dd[0], ql = dd[1];
    ddAdd(sumH, sumL, qh, ql);
    sumH = dd[0]; sumL = dd[1];
    if (Math.abs(qh) <= Math.abs(sumH) * 1e-34) break;
  }
  ddAdd(ATAN_K8_H[k], ATAN_K8_L[k], sumH, sumL);
}

/** sinCosDD result: [sin hi, sin lo, cos hi, cos lo]. */
const sc = new Float64Array(4);

/** sin and cos of r, |r| <= pi/4 (+ a little), by Taylor series. */
function sinCosDD(rh: number, rl: number): void {
  ddMul(rh, rl, rh, rl);
  const r2h = -dd[0], r2l = -dd[1];
  // sin
  let th = rh, tl = rl, sh = rh, sl = rl;
  for (let n = 2; n < 60; n += 2) {
    ddMul(th, tl, r2h, r2l);
    ddDiv(dd[0], dd[1], n * (n + 1), 0);
    th = dd[0]; tl = dd[1];
    ddAdd(sh, sl, th, tl);
    sh = dd[0]; sl = dd[1];
    if (Math.abs(th) <= Math.abs(sh) * 1e-34) break;
  }
  sc[0] = sh; sc[1] = sl;
  // cos
  th = 1; tl = 0; sh = 1; sl = 0;
  for (let n = 1; n < 60; n += 2) {
    ddMul(th, tl, r2h, r2l);
    ddDiv(dd[0], dd[1], n * (n + 1), 0);
    th = dd[0]; tl = dd[1];
    ddAdd(sh, sl, th, tl);
    sh = dd[0]; sl = dd[1];
    if (Math.abs(th) <= Math.abs(sh) * 1e-34) break;
  }
  sc[2] = sh; sc[3] = sl;
}

// ---------------------------------------------------------------------------------------------
// Common NaN / unsupported handling for two-operand instructions: an unsupported encoding gives
// the indefinite, NaNs propagate as for fadd (SDM Vol. 1, table 4-7). Returns -1 otherwise.

function twoOperandNaN(st0: F80, k0: number, st1: F80, k1: number, out: F80): number {
  if (k0 === KIND_UNSUPPORTED || k1 === KIND_UNSUPPORTED) return setIndefinite(out);
  if (k0 === KIND_QNAN || k0 === KIND_SNAN || k1 === KIND_QNAN || k1 === KIND_SNAN) {
    return propagateNaN2(st0, k0, st1, k1, out);
  }
  return -1;
}

const ONE = new F80(0x3fff, 0x80000000, 0);

// ---------------------------------------------------------------------------------------------
// f2xm1: ST0 = 2^ST0 - 1, defined for -1 <= ST0 <= +1.

export function f80F2xm1(a: F80, cw: number, out: F80): number {
  const k = kindOf(a);
  const rc = (cw >> 10) & 3;
  if (k === KIND_UNSUPPORTED) return setIndefinite(out);
  if (k === KIND_QNAN || k === KIND_SNAN) return propagateNaN1(a, k, out);
  const sign = a.se >>> 15;
  if (k === KIND_ZERO) {
    out.copyFrom(a);
    return 0;
  }
  if (k === KIND_INF) {
    // 2^-inf - 1 = -1, 2^inf - 1 = inf.
    if (sign) setValue(out, 0xbfff, 0x80000000, 0);
    else out.copyFrom(a);
    return 0;
  }
  const flags = k === KIND_DENORMAL ? FLAG_DE : 0;
  const exp = a.se & 0x7fff;
  if (exp > BIAS || (exp === BIAS && ((a.hi >>> 0) !== 0x80000000 || a.lo !== 0))) {
    // Outside the instruction's domain the SDM leaves the result undefined; Intel hardware
    // leaves the operand unchanged and raises PE, and so does this.
    out.copyFrom(a);
    return FLAG_PE;
  }
  if (exp === BIAS) {
    // Exactly +-1: 1 or -0.5, exact, yet the hardware reports PE.
    if (sign) setValue(out, 0xbffe, 0x80000000, 0);
    else setValue(out, 0x3fff, 0x80000000, 0);
    return FLAG_PE;
  }
  unpack(a);
  const s = sign ? -1 : 1;
  if (un[0] < -80) {
    // 2^x - 1 = x ln2 (1 + x ln2 / 2 + ...): the correction only steers rounding.
    ddMul(un[1], un[2], LN2_H, LN2_L);
    const mh = dd[0], ml = dd[1];
    let c = s * mh * 2 ** (un[0] - 1);
    if (c === 0) c = s * NEGLIGIBLE;
    ddMul(mh, ml, 1, c);
    return flags | packDD(out, sign, dd[0], dd[1], un[0], rc);
  }
  ddMul(s * un[1] * 2 ** un[0], s * un[2] * 2 ** un[0], LN2_H, LN2_L);
  expm1DD(dd[0], dd[1]);
  return flags | packDD(out, 0, dd[0], dd[1], 0, rc);
}

// ---------------------------------------------------------------------------------------------
// fyl2x: ST1 = ST1 * log2(ST0), then pop.

export function f80Yl2x(st0: F80, st1: F80, cw: number, out: F80): number {
  const k0 = kindOf(st0), k1 = kindOf(st1);
  const special = twoOperandNaN(st0, k0, st1, k1, out);
  if (special >= 0) return special;
  const rc = (cw >> 10) & 3;
  const xSign = st0.se >>> 15, ySign = st1.se >>> 15;
  const flags = k0 === KIND_DENORMAL || k1 === KIND_DENORMAL ? FLAG_DE : 0;
  // Invalid and divide-by-zero outrank the denormal-operand exception (SDM Vol. 1, 4.9.2).
  if (xSign && k0 !== KIND_ZERO) return setIndefinite(out); // log of a negative number
  if (k1 === KIND_INF) {
    const cmp = f80Compare(st0, ONE, true) & 0x4500;
    if (cmp === CMP_EQUAL) return flags | setIndefinite(out); // inf * log2(1)
    setValue(out, (cmp === CMP_LESS ? st1.se ^ 0x8000 : st1.se), 0x80000000, 0);
    return flags;
  }
  if (k0 === KIND_INF) {
    if (k1 === KIND_ZERO) return flags | setIndefinite(out); // 0 * inf
    setValue(out, ySign ? 0xffff : 0x7fff, 0x80000000, 0);
    return flags;
  }
  if (k0 === KIND_ZERO) {
    if (k1 === KIND_ZERO) return flags | setIndefinite(out);
    // log2(0) = -inf: a division by zero; the result is infinity of ST1's opposite sign.
    setValue(out, ySign ? 0x7fff : 0xffff, 0x80000000, 0);
    return FLAG_ZE;
  }
  const cmp = f80Compare(st0, ONE, true) & 0x4500;
  if (k1 === KIND_ZERO) {
    setValue(out, cmp === CMP_LESS ? st1.se ^ 0x8000 : st1.se, 0, 0);
    return flags;
  }
  if (cmp === CMP_EQUAL) {
    setValue(out, ySign << 15, 0, 0);
    return flags;
  }
  unpack(st0);
  let lh: number, ll: number;
  if (un[1] === 1 && un[2] === 0) {
    // An exact power of two. The hardware still reports an inexact result, rounded as if its
    // log2 were a hair smaller in magnitude than the integer, and so does this.
    lh = un[0]; ll = -un[0] * NEGLIGIBLE;
  } else {
    log2DD(un[1], un[2], un[0]);
    lh = dd[0]; ll = dd[1];
  }
  unpack(st1);
  ddMul(un[1], un[2], lh, ll);
  return flags | packDD(out, ySign, dd[0], dd[1], un[0], rc);
}

/** log2((mh + ml) x 2^k) for mh + ml in [1, 2), into dd[0] + dd[1]. */
function log2DD(mh: number, ml: number, k: number): void {
  if (mh > SQRT2) {
    mh /= 2; ml /= 2; k++;
  }
  // log2(m) = 2 atanh((m - 1)/(m + 1)) / ln 2, m in [sqrt(1/2), sqrt(2)]: |s| <= 0.172.
  ddAdd(mh, ml, -1, 0);
  const nh = dd[0], nl = dd[1];
  ddAdd(mh, ml, 1, 0);
  ddDiv(nh, nl, dd[0], dd[1]);
  atanh2DD(dd[0], dd[1]);
  ddMul(dd[0], dd[1], LOG2E_H, LOG2E_L);
  ddAdd(k, 0, dd[0], dd[1]);
}

// ---------------------------------------------------------------------------------------------
// fyl2xp1: ST1 = ST1 * log2(ST0 + 1), then pop; defined for |ST0| < 1 - sqrt(2)/2.

export function f80Yl2xp1(st0: F80, st1: F80, cw: number, out: F80): number {
  const k0 = kindOf(st0), k1 = kindOf(st1);
  const special = twoOperandNaN(st0, k0, st1, k1, out);
  if (special >= 0) return special;
  const rc = (cw >> 10) & 3;
  const flags = k0 === KIND_DENORMAL || k1 === KIND_DENORMAL ? FLAG_DE : 0;
  const xSign = st0.se >>> 15, ySign = st1.se >>> 15;
  // Outside |ST0| < 1 - sqrt(2)/2 the SDM leaves the result undefined; Intel hardware computes
  // log2(1 + ST0) for any ST0 > -1 and this does the same.
  if (k0 === KIND_INF && xSign) return setIndefinite(out); // log2(1 - inf)
  if (k0 === KIND_ZERO || k1 === KIND_ZERO || k1 === KIND_INF || k0 === KIND_INF) {
    // The exact answer is the product of the operands (zero, an infinity, or invalid).
    return f80Mul(st0, st1, fullPrecision(cw), out);
  }
  unpack(st0);
  const xs = xSign ? -1 : 1;
  if (xSign && un[0] >= 0) {
    // ST0 <= -1, outside the domain: Intel hardware leaves ST0 there (as the result) with PE.
    out.copyFrom(st0);
    return flags | FLAG_PE;
  }
  let lh: number, ll: number, lexp = 0;
  if (un[0] < -40) {
    // log2(1 + x) = x log2(e) (1 - x/2 + ...), the next term below 2^-80 relative.
    ddMul(un[1], un[2], LOG2E_H, LOG2E_L);
    const mh = dd[0], ml = dd[1];
    let c = -xs * un[1] * 2 ** (un[0] - 1);
    if (c === 0) c = -xs * NEGLIGIBLE;
    ddMul(mh, ml, 1, c);
    lh = xs * dd[0]; ll = xs * dd[1]; lexp = un[0];
  } else if (un[0] <= 40) {
    // 1 + x is exact in a double-double here.
    ddAdd(1, 0, xs * un[1] * 2 ** un[0], xs * un[2] * 2 ** un[0]);
    const k = floorLog2(dd[0]);
    let mh = dd[0] * 2 ** -k, ml = dd[1] * 2 ** -k;
    if (mh === 1 && ml < 0) {
      // Just below a power of two: renormalize into [1, 2).
      mh = 2 * mh; ml = 2 * ml;
      log2DD(mh + ml, ml - ((mh + ml) - mh), k - 1);
    } else {
      log2DD(mh, ml, k);
    }
    lh = dd[0]; ll = dd[1];
  } else {
    // Huge x: log2(1 + x) = log2(x) + log2(e)/x, the next term far below the last bit.
    log2DD(un[1], un[2], un[0]);
    const bh = dd[0], bl = dd[1];
    ddDiv(LOG2E_H, LOG2E_L, un[1], un[2]);
    ddAdd(bh, bl, dd[0] * 2 ** -un[0], dd[1] * 2 ** -un[0]);
    lh = dd[0]; ll = dd[1];
  }
  unpack(st1);
  ddMul(un[1], un[2], lh, ll);
  return flags | packDD(out, ySign, dd[0], dd[1], un[0] + lexp, rc);
}

// ---------------------------------------------------------------------------------------------
// fpatan: ST1 = arctan(ST1 / ST0) with the quadrant from both signs, then pop.

export function f80Patan(st0: F80, st1: F80, cw: number, out: F80): number {
  const k0 = kindOf(st0), k1 = kindOf(st1);
  const special = twoOperandNaN(st0, k0, st1, k1, out);
  if (special >= 0) return special;
  const rc = (cw >> 10) & 3;
  const flags = k0 === KIND_DENORMAL || k1 === KIND_DENORMAL ? FLAG_DE : 0;
  const xSign = st0.se >>> 15, ySign = st1.se >>> 15;
  // SDM Vol. 2, FPATAN table.
  if (k1 === KIND_ZERO) {
    if (!xSign) {
      out.copyFrom(st1); // +-0 for x >= +0
      return flags;
    }
    return flags | packDD(out, ySign, PI_H, PI_L, 0, rc);
  }
  if (k1 === KIND_INF) {
    if (k0 === KIND_INF) {
      return flags | (xSign ? packDD(out, ySign, PI3_4_H, PI3_4_L, 0, rc) : packDD(out, ySign, PI_4_H, PI_4_L, 0, rc));
    }
    return flags | packDD(out, ySign, PI_2_H, PI_2_L, 0, rc);
  }
  if (k0 === KIND_INF) {
    if (!xSign) {
      setValue(out, ySign << 15, 0, 0);
      return flags;
    }
    return flags | packDD(out, ySign, PI_H, PI_L, 0, rc);
  }
  if (k0 === KIND_ZERO) return flags | packDD(out, ySign, PI_2_H, PI_2_L, 0, rc);
  unpack(st1);
  const yh = un[1], yl = un[2], ye = un[0];
  unpack(st0);
  const xh = un[1], xl = un[2], xe = un[0];
  const yBelowX = ye < xe || (ye === xe && (yh < xh || (yh === xh && yl <= xl)));
  // t = min / max in [0, 1], possibly far below the double range: then atan(t) = t (1 - t^2/3).
  const numH = yBelowX ? yh : xh, numL = yBelowX ? yl : xl;
  const denH = yBelowX ? xh : yh, denL = yBelowX ? xl : yl;
  const te = yBelowX ? ye - xe : xe - ye; // <= 0
  ddDiv(numH, numL, denH, denL);
  const qh = dd[0], ql = dd[1]; // t = (qh + ql) x 2^te
  if (yBelowX && !xSign) {
    // The result is atan(t) itself; for tiny t, t (1 - t^2/3) keeps its relative accuracy.
    if (te < -40) {
      let c = -qh * qh / 3 * 2 ** (2 * te);
      if (c === 0) c = -NEGLIGIBLE;
      ddMul(qh, ql, 1, c);
      return flags | packDD(out, ySign, dd[0], dd[1], te, rc);
    }
    atanDD(qh * 2 ** te, ql * 2 ** te);
    return flags | packDD(out, ySign, dd[0], dd[1], 0, rc);
  }
  // Otherwise atan(t) is added to or subtracted from pi or pi/2: absolute accuracy suffices.
  let ah = NEGLIGIBLE, al = 0;
  if (te >= -200) {
    atanDD(qh * 2 ** te, ql * 2 ** te);
    ah = dd[0]; al = dd[1];
  }
  if (yBelowX) ddAdd(PI_H, PI_L, -ah, -al); // x < 0: pi - atan(|y/x|)
  else if (xSign) ddAdd(PI_2_H, PI_2_L, ah, al); // pi/2 + atan(|x/y|)
  else ddAdd(PI_2_H, PI_2_L, -ah, -al); // pi/2 - atan(|x/y|)
  return flags | packDD(out, ySign, dd[0], dd[1], 0, rc);
}

// ---------------------------------------------------------------------------------------------
// fsin, fcos, fsincos, fptan.

// pi/2 as the x87 holds it for argument reduction: pi rounded to 66 bits (0xC90FDAA22168C234C
// x 2^-66, the famous "66-bit pi"), halved, as the 80-bit divisor 0xC90FDAA22168C234C000 x 2^-79.
const HALF_PI_DIGITS = [0xc000, 0xc234, 0x2168, 0xdaa2, 0xc90f];

/** reduce result: [r hi, r lo, quadrant]. */
const red = new Float64Array(3);

/**
 * Reduces |x| (unpacked: un[1], un[2], un[0], with 2^-1 <= |x| < 2^63) to r in [-pi/4, pi/4] with
 * |x| = k pi/2 + r, exactly with respect to the 66-bit pi. r in red[0] + red[1], k mod 4 in
 * red[2].
 */
function reduce(hi: number, lo: number, e: number): void {
  // Dividend X * 2^(e + 16), X the 64-bit significand: nine 16-bit digits.
  const shift = e + 16; // 15..78
  divU.fill(0);
  const digit = shift >> 4, bits = shift & 15;
  // Place X's four 16-bit digits at digit offset `digit`, shifted left by `bits`.
  let carry = 0;
  for (let i = 0; i < 4; i++) {
    const xd = i === 0 ? lo & 0xffff : i === 1 ? lo >>> 16 : i === 2 ? hi & 0xffff : hi >>> 16;
    const v = xd * (1 << bits) + carry;
    divU[digit + i] = v & 0xffff;
    carry = Math.floor(v / 65536);
  }
  divU[digit + 4] = carry;
  for (let i = 0; i < 5; i++) divV[i] = HALF_PI_DIGITS[i];
  divideDigits(9, 5);
  let q = divQ[0] & 3;
  // Remainder R (five digits); round the quotient to nearest: if 2R >= V use R - V.
  let twiceCmp = 0;
  for (let i = 4; i >= 0 && twiceCmp === 0; i--) {
    // Compare R with V/2 digit by digit: V/2 digits = V >> 1.
    const half = (HALF_PI_DIGITS[i] >>> 1) | (i < 4 ? (HALF_PI_DIGITS[i + 1] & 1) << 15 : 0);
    if (divU[i] !== half) twiceCmp = divU[i] > half ? 1 : -1;
  }
  let negative = false;
  if (twiceCmp >= 0) {
    // r = R - V < 0: compute V - R.
    let borrow = 0;
    for (let i = 0; i < 5; i++) {
      let d = HALF_PI_DIGITS[i] - divU[i] - borrow;
      borrow = 0;
      if (d < 0) { d += 65536; borrow = 1; }
      divU[i] = d;
    }
    q = (q + 1) & 3;
    negative = true;
  }
  // r = R x 2^-79 (R < 2^80, a multiple of 2^14, so exact in a double-double).
  const top = divU[4] * TWO32 + divU[3] * 65536 + divU[2];
  const bottom = divU[1] * 65536 + divU[0];
  const th = top * 2 ** -47, tb = bottom * 2 ** -79;
  const s = th + tb;
  red[1] = tb - (s - th);
  red[0] = s;
  if (negative) { red[0] = -red[0]; red[1] = -red[1]; }
  red[2] = q;
}

const WHICH_SIN = 1, WHICH_COS = 2, WHICH_TAN = 4;
let resultSinFlags = 0, resultCosFlags = 0;

/** Shared body: computes the requested results into outSin/outCos (tan uses outSin). */
function trig(a: F80, cw: number, which: number, outSin: F80, outCos: F80): number {
  const k = kindOf(a);
  const rc = (cw >> 10) & 3;
  resultSinFlags = 0; resultCosFlags = 0;
  if (k === KIND_UNSUPPORTED || k === KIND_INF) {
    setIndefinite(outCos);
    return setIndefinite(outSin);
  }
  if (k === KIND_QNAN || k === KIND_SNAN) {
    propagateNaN1(a, k, outCos);
    return propagateNaN1(a, k, outSin);
  }
  const exp = a.se & 0x7fff;
  if (exp >= BIAS + 63) {
    // |x| >= 2^63: out of range, C2 = 1, operand left unchanged.
    outSin.copyFrom(a);
    outCos.copyFrom(a);
    return SW_C2;
  }
  const sign = a.se >>> 15;
  if (k === KIND_ZERO) {
    outSin.copyFrom(a);
    setValue(outCos, 0x3fff, 0x80000000, 0);
    return 0;
  }
  if (k === KIND_DENORMAL) {
    // Intel hardware returns a denormal unchanged as sin and tan (DE, UE, PE) and 1 as cos
    // (DE, PE), whatever the rounding mode.
    outSin.copyFrom(a);
    if (a.hi < 0) outSin.se |= 1; // a pseudo-denormal comes back normalized (exponent 1)
    setValue(outCos, 0x3fff, 0x80000000, 0);
    return FLAG_DE | FLAG_PE | (which & (WHICH_SIN | WHICH_TAN) ? FLAG_UE : 0);
  }
  unpack(a);
  if (un[0] < -40) {
    // sin x = x (1 - x^2/6), cos x = 1 - x^2/2, tan x = x (1 + x^2/3), to far below an ulp.
    let c = un[1] * un[1] * 2 ** (2 * un[0]);
    if (c === 0) c = NEGLIGIBLE;
    if (which & (WHICH_SIN | WHICH_TAN)) {
      ddMul(un[1], un[2], 1, which & WHICH_TAN ? c / 3 : -c / 6);
      resultSinFlags = packDD(outSin, sign, dd[0], dd[1], un[0], rc);
    }
    if (which & WHICH_COS) resultCosFlags = packDD(outCos, 0, 1, -c / 2, 0, rc);
    return resultSinFlags | resultCosFlags;
  }
  let rh: number, rl: number, quadrant = 0;
  if (un[0] < -1) {
    rh = un[1] * 2 ** un[0]; rl = un[2] * 2 ** un[0]; // |x| < 1/2 < pi/4
  } else {
    // |x| >= 1/2, so the operand is normal: reduce its significand exactly.
    reduce(a.hi >>> 0, a.lo >>> 0, un[0]);
    rh = red[0]; rl = red[1]; quadrant = red[2];
  }
  sinCosDD(rh, rl);
  // sin(k pi/2 + r) and cos(k pi/2 + r) by quadrant.
  let sh: number, sl: number, ch: number, cl: number;
  switch (quadrant) {
    case 0: sh = sc[0]; sl = sc[1]; ch = sc[2]; cl = sc[3]; break;
    case 1: sh = sc[2]; sl = sc[3]; ch = -sc[0]; cl = -sc[1]; break;
    case 2: sh = -sc[0]; sl = -sc[1]; ch = -sc[2]; cl = -sc[3]; break;
    default: sh = -sc[2]; sl = -sc[3]; ch = sc[0]; cl = sc[1]; break;
  }
  if (sign) { sh = -sh; sl = -sl; }
  if (which & WHICH_TAN) {
    ddDiv(sh, sl, ch, cl);
    resultSinFlags = packDD(outSin, 0, dd[0], dd[1], 0, rc);
    return resultSinFlags;
  }
  if (which & WHICH_SIN) resultSinFlags = packDD(outSin, 0, sh, sl, 0, rc);
  if (which & WHICH_COS) resultCosFlags = packDD(outCos, 0, ch, cl, 0, rc);
  return resultSinFlags | resultCosFlags;
}

const unusedOut = new F80();

/** fsin. Returns C2 (and leaves ST0 alone) for |ST0| >= 2^63. */
export function f80Sin(a: F80, cw: number, out: F80): number {
  return trig(a, cw, WHICH_SIN, out, unusedOut);
}

/** fcos. */
export function f80Cos(a: F80, cw: number, out: F80): number {
  return trig(a, cw, WHICH_COS, unusedOut, out);
}

/** fsincos: sin goes to ST1 (outSin), cos to the new ST0 (outCos). On C2 nothing is pushed. */
export function f80SinCos(a: F80, cw: number, outSin: F80, outCos: F80): number {
  const r = trig(a, cw, WHICH_SIN | WHICH_COS, outSin, outCos);
  // Flags of the two roundings merge, but C1 reflects the value left in ST0 (cos).
  return (r & ~0x200) | (resultCosFlags & 0x200);
}

/** fptan: tan goes to ST1 (outTan), 1.0 is pushed as the new ST0 (outOne). */
export function f80Tan(a: F80, cw: number, outTan: F80, outOne: F80): number {
  const r = trig(a, cw, WHICH_TAN, outTan, outOne);
  if (r & SW_C2) return r;
  // A NaN result (a NaN operand, or the indefinite for an invalid one) is pushed as well.
  if ((outTan.se & 0x7fff) === 0x7fff) outOne.copyFrom(outTan);
  else setValue(outOne, 0x3fff, 0x80000000, 0);
  return r;
}

