// The x87 transcendental instructions on the 80-bit format: f2xm1, fyl2x, fyl2xp1, fpatan,
// fsin, fcos, fsincos, fptan. Special operands follow the SDM tables (Vol. 2, each instruction).
// Finite results follow the hardware's own numerical programs, not the exact functions: the
// Intel microcode (its constants go back to the Pentium's ROM) evaluates short polynomials and
// table lookups with constants from the FPU ROM, at internal widths of 64 and 67 bits with
// truncation at fixed points, and rounds once per RC at the end. Reproducing those steps gives
// the hardware's result bits and its C1 ("rounded up"), which a more accurate evaluation cannot.
// Sources: the ROM constants as decoded from die photos by Ken Shirriff ("Pi in the Pentium",
// righto.com, January 2025), and the operation order and precision cuts reconstructed from
// Skylake observations in the public x87-transcendental project (github.com/xsleonard); the
// programs below are written from its published pseudocode and checked against this host.
// fsin/fcos/fptan reduce by the x87's own 66-bit pi (SDM Vol. 1, 8.3.10), exactly.
// Exceptions and C2 are returned as in float80.ts.
// Pure ECMAScript. Intermediate values live in a preallocated slot file of 72-bit significands
// (three 24-bit limbs, so every limb product and column sum is exact in a double); nothing is
// allocated per call. These instructions are rare and slow (microseconds) anyway.

import {
  CMP_EQUAL, CMP_LESS, F80, FLAG_DE, FLAG_PE, FLAG_UE, FLAG_ZE, KIND_DENORMAL, KIND_INF, KIND_QNAN, KIND_SNAN,
  KIND_UNSUPPORTED, KIND_ZERO, SW_C1, SW_C2, divideDigits, divQ, divU, divV, f80Compare,
  f80Mul, kindOf, packF80, propagateNaN1, propagateNaN2, setIndefinite,
} from './float80.js';

const BIAS = 16383;
const LIMB = 16777216; // 2^24

const RN = 0, RZ = 3; // rounding modes of the internal steps (the RC encoding)

// ---------------------------------------------------------------------------------------------
// Slot arithmetic. Slot k is S[5k..5k+4] = sign, e, h, m, l: the value (-1)^sign x sig x
// 2^(e - 71) with sig = h 2^48 + m 2^24 + l normalized (h >= 2^23), so it lies in [2^e, 2^(e+1));
// h = 0 is zero. Every rounded intermediate has at most 68 significant bits, so slots hold them
// exactly. Exact sums, products and quotients form in the accumulator `acc` (ten 24-bit limbs,
// most significant first, value (-1)^accSign x integer x 2^accExp) and are rounded from there.

const SLOTS = 288;
const S = new Float64Array(5 * SLOTS);
const acc = new Float64Array(10);
let accSign = 0, accExp = 0;

function isZero(a: number): boolean {
  return S[5 * a + 2] === 0;
}

function copy(d: number, a: number): void {
  for (let i = 0; i < 5; i++) S[5 * d + i] = S[5 * a + i];
}

/** d = n x 2^e2 for an integer 0 < |n| < 2^31. */
function setInt(d: number, n: number, e2: number): void {
  const p = 5 * d;
  S[p] = n < 0 ? 1 : 0;
  n = Math.abs(n);
  const nb = 31 - Math.clz32(n);
  const v = n * 2 ** (71 - nb);
  S[p + 1] = nb + e2;
  S[p + 2] = Math.floor(v / 281474976710656);
  S[p + 3] = Math.floor(v / LIMB) % LIMB;
  S[p + 4] = v % LIMB;
}

/** Shifts the accumulator left until its top bit is bit 23 of acc[0]; returns the shift, or -1
 *  for zero. */
function accNormalize(): number {
  let i = 0;
  while (i < 10 && acc[i] === 0) i++;
  if (i === 10) return -1;
  if (i > 0) {
    for (let j = 0; j < 10; j++) acc[j] = j + i < 10 ? acc[j + i] : 0;
  }
  const n = Math.clz32(acc[0]) - 8;
  if (n > 0) {
    const f = 2 ** n, g = 2 ** (24 - n);
    for (let j = 0; j < 10; j++) {
      acc[j] = (acc[j] * f) % LIMB + (j < 9 ? Math.floor(acc[j + 1] / g) : 0);
    }
  }
  return 24 * i + n;
}

/** Rounds the accumulator to `bits` (<= 72) significant bits by `mode` (an RC value) into d. */
function accRound(d: number, bits: number, mode: number): void {
  const p = 5 * d;
  const sh = accNormalize();
  S[p] = accSign;
  if (sh < 0) {
    S[p + 1] = 0; S[p + 2] = 0; S[p + 3] = 0; S[p + 4] = 0;
    return;
  }
  let e = accExp + 239 - sh;
  const unit = 2 ** (72 - bits);
  const low = acc[2] % unit;
  let rest = false;
  for (let j = 3; j < 10; j++) if (acc[j] !== 0) rest = true;
  let up = false;
  if (low !== 0 || rest) {
    if (mode === RN) {
      const half = unit / 2;
      up = low > half || (low === half && (rest || Math.floor(acc[2] / unit) % 2 === 1));
    } else if (mode === 1) {
      up = accSign === 1;
    } else if (mode === 2) {
      up = accSign === 0;
    }
  }
  let h = acc[0], m = acc[1], l = acc[2] - low;
  if (up) {
    l += unit;
    if (l >= LIMB) { l -= LIMB; m++; }
    if (m >= LIMB) { m -= LIMB; h++; }
    if (h >= LIMB) { h = LIMB / 2; e++; }
  }
  S[p + 1] = e; S[p + 2] = h; S[p + 3] = m; S[p + 4] = l;
}

/** Keeps the top `bits` of a limb triple's low limb (a cut of an operand port). */
function cutLow(l: number, bits: number): number {
  return bits >= 72 ? l : l - l % 2 ** (72 - bits);
}

/** acc = T_ta(a) x T_tb(b) exactly (T_n: truncation to n bits; 72 for none). */
function accMul(a: number, b: number, ta: number, tb: number): void {
  const pa = 5 * a, pb = 5 * b;
  acc.fill(0);
  accSign = S[pa] ^ S[pb];
  accExp = S[pa + 1] + S[pb + 1] - 142;
  const a2 = S[pa + 2], a1 = S[pa + 3], a0 = cutLow(S[pa + 4], ta);
  const b2 = S[pb + 2], b1 = S[pb + 3], b0 = cutLow(S[pb + 4], tb);
  if (a2 === 0 || b2 === 0) return;
  let t = a0 * b0;
  let r = t % LIMB;
  acc[9] = r;
  t = (t - r) / LIMB + a0 * b1 + a1 * b0;
  r = t % LIMB; acc[8] = r;
  t = (t - r) / LIMB + a0 * b2 + a1 * b1 + a2 * b0;
  r = t % LIMB; acc[7] = r;
  t = (t - r) / LIMB + a1 * b2 + a2 * b1;
  r = t % LIMB; acc[6] = r;
  t = (t - r) / LIMB + a2 * b2;
  r = t % LIMB; acc[5] = r;
  acc[4] = (t - r) / LIMB;
}

/** |a| vs |b|: -1, 0 or 1. */
function cmpMag(a: number, b: number): number {
  const pa = 5 * a, pb = 5 * b;
  if (S[pa + 2] === 0 || S[pb + 2] === 0) return S[pa + 2] === 0 ? (S[pb + 2] === 0 ? 0 : -1) : 1;
  if (S[pa + 1] !== S[pb + 1]) return S[pa + 1] < S[pb + 1] ? -1 : 1;
  for (let i = 2; i < 5; i++) if (S[pa + i] !== S[pb + i]) return S[pa + i] < S[pb + i] ? -1 : 1;
  return 0;
}

/** acc = a + b (negB: a - b). Exact while the exponents are within 144 bits of each other;
 *  beyond that b only steers rounding, as a one in the last accumulator place. */
function accAdd(a: number, b: number, negB: number): void {
  acc.fill(0);
  let px = 5 * a, py = 5 * b, sx = S[px], sy = S[py] ^ negB;
  if (S[px + 2] === 0 || (S[py + 2] !== 0 && cmpMag(a, b) < 0)) {
    const t = px; px = py; py = t;
    const u = sx; sx = sy; sy = u;
  }
  accSign = sx;
  accExp = S[px + 1] - 215;
  acc[1] = S[px + 2]; acc[2] = S[px + 3]; acc[3] = S[px + 4];
  if (S[py + 2] === 0) return;
  const sub = sx !== sy ? -1 : 1;
  const d = S[px + 1] - S[py + 1];
  if (d > 144) {
    acc[9] += sub;
  } else {
    const s = 144 - d;
    const q = Math.floor(s / 24), f = 2 ** (s % 24);
    for (let j = 0; j < 3; j++) {
      const v = S[py + 4 - j] * f;
      const lo = v % LIMB;
      acc[9 - q - j] += sub * lo;
      acc[8 - q - j] += sub * ((v - lo) / LIMB);
    }
  }
  let carry = 0;
  for (let i = 9; i >= 0; i--) {
    const t = acc[i] + carry;
    const r = ((t % LIMB) + LIMB) % LIMB;
    acc[i] = r;
    carry = (t - r) / LIMB;
  }
}

/** acc = a. */
function accLoad(a: number): void {
  const pa = 5 * a;
  acc.fill(0);
  acc[1] = S[pa + 2]; acc[2] = S[pa + 3]; acc[3] = S[pa + 4];
  accSign = S[pa];
  accExp = S[pa + 1] - 215;
}

/** acc = a / b to 96 bits, the remainder folded into a sticky bit. b nonzero. */
function accDiv(a: number, b: number): void {
  const pa = 5 * a, pb = 5 * b;
  acc.fill(0);
  accSign = S[pa] ^ S[pb];
  if (S[pa + 2] === 0) return;
  let n2 = S[pa + 2], n1 = S[pa + 3], n0 = S[pa + 4];
  const d2 = S[pb + 2], d1 = S[pb + 3], d0 = S[pb + 4];
  let adj = 0;
  if (n2 < d2 || (n2 === d2 && (n1 < d1 || (n1 === d1 && n0 < d0)))) {
    n0 *= 2; n1 *= 2; n2 *= 2;
    if (n0 >= LIMB) { n0 -= LIMB; n1++; }
    if (n1 >= LIMB) { n1 -= LIMB; n2++; }
    adj = 1;
  }
  // Restoring division, one quotient bit per step; n stays below 2 d.
  for (let i = 0; i < 96; i++) {
    if (n2 > d2 || (n2 === d2 && (n1 > d1 || (n1 === d1 && n0 >= d0)))) {
      n0 -= d0; n1 -= d1; n2 -= d2;
      if (n0 < 0) { n0 += LIMB; n1--; }
      if (n1 < 0) { n1 += LIMB; n2--; }
      acc[5 + Math.floor(i / 24)] += 2 ** (23 - i % 24);
    }
    n0 *= 2; n1 *= 2; n2 *= 2;
    if (n0 >= LIMB) { n0 -= LIMB; n1++; }
    if (n1 >= LIMB) { n1 -= LIMB; n2++; }
  }
  if (n0 !== 0 || n1 !== 0 || n2 !== 0) acc[9] = 1;
  accExp = S[pa + 1] - S[pb + 1] - adj - 119;
}

/**
 * Rounds the accumulator once to the 80-bit format per RC (denormals at their own spacing) and
 * stores it. These results are always reported inexact; UE marks a tiny result, judged after
 * rounding with an unbounded exponent (as packF80 does), or before rounding if `tinyBefore`.
 */
function accPack(out: F80, rc: number, tinyBefore: boolean): number {
  const sh = accNormalize();
  if (sh < 0) {
    out.se = accSign << 15; out.hi = 0; out.lo = 0;
    return FLAG_PE;
  }
  const exp = accExp + 239 - sh + BIAS;
  const w2 = acc[0] * 256 + Math.floor(acc[1] / 65536);
  const w1 = (acc[1] % 65536) * 65536 + Math.floor(acc[2] / 256);
  let w0 = (acc[2] % 256) * LIMB + acc[3];
  for (let j = 4; j < 10; j++) if (acc[j] !== 0) w0 = (w0 | 1) >>> 0;
  let flags = packF80(out, accSign, exp, w2, w1, w0, 64, rc) | FLAG_PE;
  if ((out.se & 0x7fff) === 0 && (out.hi !== 0 || out.lo !== 0)) flags |= FLAG_UE;
  if (tinyBefore) flags = exp <= 0 ? flags | FLAG_UE : flags & ~FLAG_UE;
  return flags;
}

// The internal operations, named as in the reconstruction: T67/N64 cut a result to 67 bits
// (truncating) or 64 bits (to nearest even).

/** d = T67(a x b). */
function mul(d: number, a: number, b: number): void {
  accMul(a, b, 72, 72); accRound(d, 67, RZ);
}
/** d = T67(T67(a) x T64(b)): the fsin/fcos multiplier, which cuts its input ports. */
function mulPort(d: number, a: number, b: number): void {
  accMul(a, b, 67, 64); accRound(d, 67, RZ);
}
/** d = N64(a x b). */
function mulN(d: number, a: number, b: number): void {
  accMul(a, b, 72, 72); accRound(d, 64, RN);
}
/** d = N64(a + b). */
function add(d: number, a: number, b: number): void {
  accAdd(a, b, 0); accRound(d, 64, RN);
}
/** d = T67(a + b). */
function addT(d: number, a: number, b: number): void {
  accAdd(a, b, 0); accRound(d, 67, RZ);
}
/** d = T67(a - b). */
function subT(d: number, a: number, b: number): void {
  accAdd(a, b, 1); accRound(d, 67, RZ);
}
/** d = a - b exactly (both operands of at most 70 significant bits, close in exponent). */
function subX(d: number, a: number, b: number): void {
  accAdd(a, b, 1); accRound(d, 72, RZ);
}

/** d = the finite nonzero F80 a. */
function fromF80(d: number, a: F80): void {
  const hi = a.hi >>> 0, lo = a.lo >>> 0;
  acc.fill(0);
  acc[9] = lo & 0xffffff;
  acc[8] = (lo >>> 24) + (hi & 0xffff) * 256;
  acc[7] = hi >>> 16;
  accSign = a.se >>> 15;
  accExp = Math.max(a.se & 0x7fff, 1) - BIAS - 63;
  accRound(d, 72, RZ);
}

/** The integer given as 17 hex digits, x 2^scale, negated if sign: a ROM literal. */
function rom(d: number, sign: number, scale: number, hex: string): void {
  acc.fill(0);
  acc[9] = parseInt(hex.slice(11), 16);
  acc[8] = parseInt(hex.slice(5, 11), 16);
  acc[7] = parseInt(hex.slice(0, 5), 16);
  accSign = sign;
  accExp = scale;
  accRound(d, 72, RZ);
}

// ---------------------------------------------------------------------------------------------
// Slot allocation: temporaries, then ROM constants (filled once, at load).

const ONE_S = 0, TWO_S = 1, X = 2, Y = 3, Z = 4, U = 5, V = 6, P = 7, Q = 8, T1 = 9, T2 = 10, T3 = 11,
  T4 = 12, T5 = 13, T6 = 14, LEAD = 15, TAIL = 16, LEAD2 = 17, TAIL2 = 18, R = 19, ODD = 20, EVEN = 21;
let nextSlot = 24;
function romSlot(sign: number, scale: number, hex: string): number {
  const k = nextSlot++;
  if (k >= SLOTS) throw new Error('transcendental.ts: slot file too small');
  rom(k, sign, scale, hex);
  return k;
}
setInt(ONE_S, 1, 0);
setInt(TWO_S, 1, 1);

// sin and cos series coefficients (index i: the term in r^(2i) after the leading r or 1), the
// shorter ones for the table path, and the table of sin/cos at b/64.
const S6 = [0, romSlot(1, -69, '55555555555555555'), romSlot(0, -73, '44444444444443e35'),
  romSlot(1, -79, '6806806806773c774'), romSlot(0, -85, '5c778e94f50956d70'),
  romSlot(1, -92, '6b991122efa0532f0'), romSlot(0, -99, '58303f02614d5e4d8')];
const C6 = [0, romSlot(1, -68, '7fffffffffffffffe'), romSlot(0, -71, '55555555555554277'),
  romSlot(1, -76, '5b05b05b05a18a1ba'), romSlot(0, -82, '680680675b559f2cf'),
  romSlot(1, -88, '49f93af61f5349300'), romSlot(0, -95, '47a4f2483514c1af8')];
const S4 = [0, romSlot(1, -69, '55555555555555445'), romSlot(0, -73, '44444444443a3fdb6'),
  romSlot(1, -79, '68068060b2044e9ae'), romSlot(0, -85, '5d75716e60f321240')];
const C4 = [0, romSlot(1, -68, '7fffffffffffffa28'), romSlot(0, -71, '555555555539cfae6'),
  romSlot(1, -76, '5b05b050f31b2e713'), romSlot(0, -82, '6803988d56e3bff10')];
// The hardware's S4[4] is the ROM value less 2^-25 (a later adjustment of the P5 constant).
setInt(T1, 1, -25);
subX(S4[4], S4[4], T1);
/** TRIG_SIN[k], TRIG_COS[k]: sin and cos of TRIG_B[k]/64. */
const TRIG_B = [18, 22, 26, 30, 36, 44, 52];
const TRIG_SIN = [romSlot(0, -68, '470df5931ae1d9460'), romSlot(0, -68, '5646f27e8bd65cbe4'),
  romSlot(0, -68, '6529afa7d51b12963'), romSlot(0, -68, '73a74b8f52947b682'),
  romSlot(0, -67, '44434312da70edd92'), romSlot(0, -67, '513ace073ce1aac13'),
  romSlot(0, -67, '5cedda037a95df6ee')];
const TRIG_COS = [romSlot(0, -67, '7af8853ddbbe9efd0'), romSlot(0, -67, '7882fd26b35b03d34'),
  romSlot(0, -67, '7594fc1cf900fe89e'), romSlot(0, -67, '72316fe3386a10d5a'),
  romSlot(0, -67, '6c4741058a93188ef'), romSlot(0, -67, '62ec4169772401864'),
  romSlot(0, -67, '5806149bd58f7d46d')];

// f2xm1: ln 2, the short and long series for 2^x - 1 in powers of z = x ln 2, and 2^(k/128) - 1
// at the 64 table anchors (index: 32 if negative, 16 if |x| < 1/2, then the lane).
const F2_LN2 = romSlot(0, -67, '58b90bfbe8e7bcd5e');
const F2_SHORT = [romSlot(0, -67, '40000000000000000'), romSlot(0, -69, '5555555555555584f'),
  romSlot(0, -71, '555555555397fffd4'), romSlot(0, -73, '444444444250ced0c'),
  romSlot(0, -76, '5b05c3dd3901cea50'), romSlot(0, -79, '6806988938f4f2318')];
const F2_LONG = [romSlot(0, -67, '40000000000000000'), romSlot(0, -69, '5555555555555558e'),
  romSlot(0, -71, '5555555555555558b'), romSlot(0, -73, '444444444443db621'),
  romSlot(0, -76, '5b05b05b05afd42f4'), romSlot(0, -79, '68068068163b44194'),
  romSlot(0, -82, '6806806815d1b6d8a'), romSlot(0, -85, '5c778d8e0384c73ab'),
  romSlot(0, -88, '49f93e0ef41d6086b'), romSlot(0, -92, '6ba8b65b40f9c0ce8'),
  romSlot(0, -95, '47c5b695d0d1289a8')];
const F2_TABLE: number[] = [];
for (const [sign, scale, hex] of [
  [0, -68, '6dfb23c651a2ef221'], [0, -68, '75feb564267c8bf6f'], [0, -68, '7e2f336cf4e62105d'],
  [0, -67, '4346ccda249764072'], [0, -67, '478d74c8abb9b15cc'], [0, -67, '4bec14fef2727c5cf'],
  [0, -67, '506333daef2b2594d'], [0, -67, '54f35aabcfedfa1f6'], [0, -67, '599d15c278afd7b60'],
  [0, -67, '5e60f4825e0e9123e'], [0, -67, '633f8972be8a5a511'], [0, -67, '68396a503c4bdc688'],
  [0, -67, '6d4f301ed9942b846'], [0, -67, '7281773c59ffb139f'], [0, -67, '77d0df730ad13bb90'],
  [0, -67, '7d3e0c0cf486c1748'],
  [0, -69, '642e1f899b0626a74'], [0, -69, '6ad8abf253fe1928c'], [0, -69, '7195cda0bb0cb0b54'],
  [0, -69, '7865b862751c90800'], [0, -69, '7f48a09590037417f'], [0, -68, '431f5d950a896dc70'],
  [0, -68, '46a41ed1d00577251'], [0, -68, '4a32af0d7d3de672e'], [0, -68, '4dcb299fddd0d63b3'],
  [0, -68, '516daa2cf6641c113'], [0, -68, '551a4ca5d920ec52f'], [0, -68, '58d12d497c7fd252c'],
  [0, -68, '5c9268a5946b701c5'], [0, -68, '605e1b976dc08b077'], [0, -68, '6434634ccc31fc770'],
  [0, -68, '68155d44ca973081c'],
  [1, -68, '4cee3bed56eedb76c'], [1, -68, '50c4875296f5bc8b2'], [1, -68, '5485c64a56c12cc8a'],
  [1, -68, '58326c4b169aca966'], [1, -68, '5bcaea51f6197f61f'], [1, -68, '5f4faef0468eb03de'],
  [1, -68, '62c12658d30048af2'], [1, -68, '661fba6cdf48059b2'], [1, -68, '696bd2c8dfe7a5ffb'],
  [1, -68, '6ca5d4d0ec1916d43'], [1, -68, '6fce23bceb994e239'], [1, -68, '72e520a481a4561a5'],
  [1, -68, '75eb2a8ab6910265f'], [1, -68, '78e09e696172efefc'], [1, -68, '7bc5d73c5321bfb9e'],
  [1, -68, '7e9b2e0c43fcf88c8'],
  [1, -69, '53c94402c0c863f24'], [1, -69, '58661eccf4ca790d2'], [1, -69, '5cf6413b5d2cca73f'],
  [1, -69, '6179ce61cdcdce7db'], [1, -69, '65f0e8f35f84645cf'], [1, -69, '6a5bb3437adf1164b'],
  [1, -69, '6eba4f46e003a775a'], [1, -69, '730cde94abb7410d5'], [1, -69, '775382675996699ad'],
  [1, -69, '7b8e5b9dc385331ad'], [1, -69, '7fbd8abc1e5ee49f2'], [1, -68, '41f097f679f66c1db'],
  [1, -68, '43fcb5810d1604f33'], [1, -68, '46032dbad3f462152'], [1, -68, '48041035735be183c'],
  [1, -68, '49ff6c57a12a08945'],
] as [number, number, string][]) F2_TABLE.push(romSlot(sign, scale, hex));

// fpatan: pi and pi/2 (67 bits), the short (table path) and long (direct path) series for
// atan(z) - z in odd powers from z^3, and atan(n/32) for n = 1..32 (AT_TABLE[n]).
const AT_PI = romSlot(0, -65, '6487ed5110b4611a6');
const AT_PI_2 = romSlot(0, -66, '6487ed5110b4611a6');
const AT_SHORT = [romSlot(1, -68, '555555555555535f0'), romSlot(0, -69, '6666666664208b016'),
  romSlot(1, -69, '492491e0653ac37b8'), romSlot(0, -70, '71b83f4133889b2f0')];
const AT_LONG = [romSlot(1, -68, '55555555555555543'), romSlot(0, -69, '66666666666616b73'),
  romSlot(1, -69, '4924924920fca4493'), romSlot(0, -70, '71c71c4be6f662c91'),
  romSlot(1, -70, '5d16e0bde0b12eee8'), romSlot(0, -70, '4e403be3e3c725aa0')];
const AT_TABLE = [0];
for (const [scale, hex] of [
  [-72, '7ff556eea5d892a14'], [-71, '7fd56edcb3f7a71b6'], [-70, '5fb860980bc43a305'],
  [-70, '7f56ea6ab0bdb7196'], [-69, '4f5bbba31989b161a'], [-69, '5ee5ed2f396c089a4'],
  [-69, '6e435d4a498288118'], [-69, '7d6dd7e4b203758ab'], [-68, '462fd68c2fc5e0986'],
  [-68, '4d89dcdc1faf2f34e'], [-68, '54c2b6654735276d5'], [-68, '5bd86507937bc239c'],
  [-68, '62c934e5286c95b6d'], [-68, '6993bb0f308ff2db2'], [-68, '7036d3253b27be33e'],
  [-68, '76b19c1586ed3da2b'], [-68, '7d03742d50505f2e3'], [-67, '4195fa536cc33f152'],
  [-67, '4495766fef4aa3da8'], [-67, '47802eaf7bfacfcdb'], [-67, '4a563964c238c37b1'],
  [-67, '4d17c07338deed102'], [-67, '4fc4fee27a5bd0f68'], [-67, '525e3e8c9a7b84921'],
  [-67, '54e3d5ee24187ae45'], [-67, '5756261c5a6c60401'], [-67, '59b598e48f821b48b'],
  [-67, '5c029f15e118cf39e'], [-67, '5e3daef574c579407'], [-67, '606742dc562933204'],
  [-67, '627fd7fd5fc7deaa4'], [-67, '6487ed5110b4611a6'],
] as [number, string][]) AT_TABLE.push(romSlot(0, scale, hex));

// fyl2x/fyl2xp1: log2(e) and 2 log2(e), the short series (table path) and long series (direct
// path), and log2((65 + 2i)/64) split into a high part (LOG_HI, 40 bits) and the rest (LOG_LO).
const LOG2E = romSlot(0, -66, '5c551d94ae0bf85de');
const LOG2E_2 = romSlot(0, -65, '5c551d94ae0bf85de');
const LOG_SHORT = [romSlot(0, -70, '7b1c2770e81287c11'), romSlot(0, -72, '49ddb14064a5d30bd'),
  romSlot(0, -75, '698879b87934f12e0')];
const LOG_LONG = [romSlot(0, -71, '51ff4ffeb20ed1749'), romSlot(0, -75, '5e8cd07eb1827434a'),
  romSlot(0, -78, '40e54061b26dd6dc2'), romSlot(0, -82, '61008a69627c92fb9'),
  romSlot(0, -85, '4c41e6ced287a2468'), romSlot(0, -89, '7dadd4ea3c3fee620')];
const LOG_HI: number[] = [], LOG_LO: number[] = [];
for (const [scale, hex] of [
  [-72, '5b9e5a170b8000000'], [-70, '43ace27e8a8000000'], [-70, '6f210902b68000000'],
  [-69, '4caba789e28000000'], [-69, '6130af40bc0000000'], [-69, '7527b930c98000000'],
  [-68, '444c1f6b4c0000000'], [-68, '4dc4933a930000000'], [-68, '570068e7ef8000000'],
  [-68, '6002958c588000000'], [-68, '68cdd829fd8000000'], [-68, '7164beb4a58000000'],
  [-68, '79c9aa879d8000000'], [-67, '40ff6a2e5e8000000'], [-67, '450327ea878000000'],
  [-67, '48f107509c8000000'], [-67, '4cc9f1aad28000000'], [-67, '508ec1fa618000000'],
  [-67, '5440461c228000000'], [-67, '57df3fd0780000000'], [-67, '5b6c65a9d88000000'],
  [-67, '5ee863e4d40000000'], [-67, '6253dd2c1b8000000'], [-67, '65af6b4ab30000000'],
  [-67, '68fb9fce388000000'], [-67, '6c39049af30000000'], [-67, '6f681c731a0000000'],
  [-67, '72896372a50000000'], [-67, '759d4f80cb8000000'], [-67, '78a450b8380000000'],
  [-67, '7b9ed1c6ce8000000'], [-67, '7e8d3845df0000000'],
] as [number, string][]) LOG_HI.push(romSlot(0, scale, hex));
for (const [sign, scale, hex] of [
  [1, -113, '6eb3ac8ec0ef73f7b'], [1, -116, '654c308b454666de9'], [0, -111, '5dd31d962d3728cbd'],
  [0, -110, '70d0fa8f9603ad3a6'], [0, -112, '765fba4491dcec753'], [1, -111, '690370b4a9afdc5fb'],
  [0, -109, '5bae584b82d3cad27'], [0, -109, '6f66cc899b64b03f7'], [1, -109, '4bc302ffa76fafcba'],
  [1, -111, '7579aa293ec16410a'], [0, -114, '509d7c40d7979ec5b'], [1, -110, '4a981811ab5110ccf'],
  [1, -109, '596f9d730f685c776'], [1, -109, '680cc6bcb9bfa9853'], [0, -109, '5439e15a52a31604a'],
  [0, -109, '7c8080ecc61a98814'], [1, -110, '6b26f28dbf40b7bc0'], [0, -108, '554b383b0e8a55627'],
  [0, -108, '47c6ef4a49bc59135'], [0, -108, '4d75c658d602e66b0'], [1, -109, '6b626820f81ca95da'],
  [0, -110, '5c813d56efe4338fe'], [0, -108, '7c5a0375163ec8d56'], [1, -108, '5050809db75675c90'],
  [1, -109, '7e12f8672e55de96c'], [0, -108, '435ebd376a70d849b'], [1, -111, '6492ba487dfb264b3'],
  [1, -108, '674e5008e379faa7c'], [0, -108, '5077f1f5f0cc82aab'], [0, -111, '5007eeaa99f8ef14d'],
  [0, -108, '4a83eb6e0f93f7a44'], [0, -110, '466c525173dae9cf5'],
] as [number, number, string][]) LOG_LO.push(romSlot(sign, scale, hex));

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

function setValue(out: F80, se: number, hi: number, lo: number): void {
  out.se = se; out.hi = hi | 0; out.lo = lo | 0;
}

/** Control word with the same RC and 64-bit precision (PC never applies to these). */
function fullPrecision(cw: number): number {
  return (cw & 0xfcff) | 0x0300;
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
  fromF80(X, a);
  const e = S[5 * X + 1];
  if (e < -68) {
    // 2^x - 1 = x ln 2 to far below the last place: the hardware returns that product.
    accMul(F2_LN2, X, 72, 72);
  } else if (e < -2) {
    // |x| < 1/4: 2^x - 1 = z + z^2/2 + ..., z = x ln 2 (computed twice, cut two ways); the
    // series splits into odd and even chains in u ~ z^2.
    mul(Z, F2_LN2, X);
    mulN(T1, F2_LN2, X);
    mul(U, Z, T1);
    mul(ODD, U, F2_LONG[9]);
    mul(EVEN, U, F2_LONG[10]);
    for (let i = 7; i >= 1; i -= 2) {
      add(ODD, ODD, F2_LONG[i]);
      add(EVEN, EVEN, F2_LONG[i + 1]);
      if (i !== 1) {
        mul(ODD, U, ODD);
        mul(EVEN, U, EVEN);
      }
    }
    mulN(ODD, U, ODD);
    mulN(EVEN, U, EVEN);
    mul(ODD, Z, ODD);
    mul(EVEN, U, EVEN);
    mul(T1, U, F2_LONG[0]);
    add(T2, ODD, EVEN);
    add(T1, T1, T2);
    accAdd(Z, T1, 0);
  } else {
    // 1/4 <= |x| < 1: 2^x - 1 = t + (1 + t)(2^(x - c) - 1), t = 2^c - 1 from the table.
    const lane = Math.floor(S[5 * X + 2] / 524288) - 16;
    const num = e === -2 ? 33 + 2 * lane : 66 + 4 * lane;
    setInt(T1, sign ? -num : num, -7);
    accAdd(X, T1, 1); accRound(T1, 64, RN);
    mulN(Z, F2_LN2, T1);
    mul(U, Z, Z);
    mul(EVEN, U, F2_SHORT[4]); add(EVEN, EVEN, F2_SHORT[2]);
    mul(EVEN, U, EVEN); add(EVEN, EVEN, F2_SHORT[0]);
    mul(EVEN, U, EVEN); add(EVEN, Z, EVEN);
    mul(ODD, U, F2_SHORT[5]); add(ODD, ODD, F2_SHORT[3]);
    mul(ODD, U, ODD); add(ODD, ODD, F2_SHORT[1]);
    mul(ODD, U, ODD); mul(ODD, Z, ODD);
    const lookup = F2_TABLE[(sign ? 32 : 0) + (e === -2 ? 16 : 0) + lane];
    add(T1, lookup, ONE_S);
    add(T2, EVEN, ODD);
    mul(T1, T1, T2);
    accAdd(lookup, T1, 0);
  }
  return flags | accPack(out, rc, false);
}

// ---------------------------------------------------------------------------------------------
// Logarithms for fyl2x and fyl2xp1: log2 of the operand in slot X into slot d, by the
// hardware's program. `plus1` computes log2(1 + x) instead.

function log2Slot(d: number, plus1: boolean): void {
  if (plus1) {
    // Past |x| = 1/8, 1 + x is formed (cut to 67 bits) and takes the log2(x) path.
    setInt(T1, 1, -3);
    if (cmpMag(X, T1) > 0) {
      addT(X, X, ONE_S);
      plus1 = false;
    }
  }
  const e = S[5 * X + 1];
  let direct = plus1;
  if (!plus1 && (e === -1 || e === 0)) {
    // 7/8 <= x <= 9/8: x as its top bits vs 7/8 = 0xe0.. x 2^-1 and 9/8 = 0x90.. x 2^0.
    const h = S[5 * X + 2], rest = S[5 * X + 3] !== 0 || S[5 * X + 4] !== 0;
    direct = e === -1 ? h >= 0xe00000 : h < 0x900000 || (h === 0x900000 && !rest);
  }
  if (direct) {
    // log2(x) = 2 log2(e) atanh(z/2), z = 2 (x - 1)/(x + 1) (log2(1 + x): 2x/(x + 2)).
    if (plus1) copy(T2, X);
    else { accAdd(X, ONE_S, 1); accRound(T2, 64, RN); }
    if (isZero(T2)) { copy(d, T2); return; }
    if (plus1 && S[5 * T2 + 1] <= -70) { mul(d, LOG2E, T2); return; }
    addT(T3, X, plus1 ? TWO_S : ONE_S);
    mul(T1, LOG2E_2, T2);
    accDiv(T1, T3); accRound(Z, 67, RZ);
    accMul(Z, Z, 72, 64); accRound(U, 64, RN);
    mul(V, U, U);
    mul(ODD, LOG_LONG[5], V); add(ODD, ODD, LOG_LONG[3]);
    mul(ODD, ODD, V); add(ODD, ODD, LOG_LONG[1]);
    mul(EVEN, LOG_LONG[4], V); add(EVEN, EVEN, LOG_LONG[2]);
    mul(EVEN, EVEN, V); add(EVEN, EVEN, LOG_LONG[0]);
    mul(T1, ODD, V);
    mul(T2, EVEN, U);
    add(T1, T1, T2);
    mul(T1, T1, Z);
    addT(d, T1, Z);
    return;
  }
  // x = m 2^e, 1 <= m < 2: log2(x) = e + log2(a) + 2 log2(e) atanh((m - a)/(m + a)), with a the
  // centre (65 + 2i)/64 of m's 1/32-wide cell.
  copy(T4, X);
  S[5 * T4 + 1] = 0;
  const i = Math.floor(S[5 * T4 + 2] / 262144) - 32;
  setInt(T5, 65 + 2 * i, -6);
  accAdd(T4, T5, 1); accRound(T1, 64, RN);
  add(T1, T1, T1);
  add(T2, T4, T5);
  accDiv(T1, T2); accRound(Z, 64, RN);
  mul(T6, LOG2E, Z);
  mul(U, Z, Z);
  mul(T1, LOG_SHORT[2], U); add(T1, T1, LOG_SHORT[1]);
  mul(T1, T1, U); add(T1, T1, LOG_SHORT[0]);
  mul(T1, T1, U);
  mul(T1, T1, Z);
  add(T1, T1, T6);
  addT(T1, T1, LOG_LO[i]);
  if (e === 0) copy(T2, LOG_HI[i]);
  else { setInt(T2, e, 0); add(T2, T2, LOG_HI[i]); }
  addT(d, T1, T2);
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
  fromF80(X, st0);
  log2Slot(R, false);
  fromF80(Y, st1);
  // The product stays exact until the final rounding.
  accMul(Y, R, 72, 72);
  return flags | accPack(out, rc, false);
}

// ---------------------------------------------------------------------------------------------
// fyl2xp1: ST1 = ST1 * log2(ST0 + 1), then pop; defined for |ST0| < 1 - sqrt(2)/2.

export function f80Yl2xp1(st0: F80, st1: F80, cw: number, out: F80): number {
  const k0 = kindOf(st0), k1 = kindOf(st1);
  const special = twoOperandNaN(st0, k0, st1, k1, out);
  if (special >= 0) return special;
  const rc = (cw >> 10) & 3;
  const flags = k0 === KIND_DENORMAL || k1 === KIND_DENORMAL ? FLAG_DE : 0;
  const xSign = st0.se >>> 15;
  // Outside |ST0| < 1 - sqrt(2)/2 the SDM leaves the result undefined; Intel hardware computes
  // log2(1 + ST0) for any ST0 > -1 and this does the same.
  if (k0 === KIND_INF && xSign) return setIndefinite(out); // log2(1 - inf)
  if (k0 === KIND_ZERO || k1 === KIND_ZERO || k1 === KIND_INF || k0 === KIND_INF) {
    // The exact answer is the product of the operands (zero, an infinity, or invalid).
    return f80Mul(st0, st1, fullPrecision(cw), out);
  }
  fromF80(X, st0);
  if (xSign && S[5 * X + 1] >= 0) {
    // ST0 <= -1, outside the domain: Intel hardware leaves ST0 there (as the result) with PE.
    out.copyFrom(st0);
    return flags | FLAG_PE;
  }
  log2Slot(R, true);
  fromF80(Y, st1);
  accMul(Y, R, 72, 72);
  return flags | accPack(out, rc, false);
}

// ---------------------------------------------------------------------------------------------
// fpatan: ST1 = arctan(ST1 / ST0) with the quadrant from both signs, then pop.

/** Sign of 64 a - n b for the slots a, b (exact). */
function cmpScaled(a: number, b: number, n: number): number {
  setInt(T5, 64, 0);
  accMul(a, T5, 72, 72); accRound(T5, 72, RZ);
  setInt(T6, n, 0);
  accMul(b, T6, 72, 72); accRound(T6, 72, RZ);
  return cmpMag(T5, T6);
}

export function f80Patan(st0: F80, st1: F80, cw: number, out: F80): number {
  const k0 = kindOf(st0), k1 = kindOf(st1);
  const special = twoOperandNaN(st0, k0, st1, k1, out);
  if (special >= 0) return special;
  const rc = (cw >> 10) & 3;
  const flags = k0 === KIND_DENORMAL || k1 === KIND_DENORMAL ? FLAG_DE : 0;
  const xSign = st0.se >>> 15, ySign = st1.se >>> 15;
  // SDM Vol. 2, FPATAN table; the angles are the ROM's pi and pi/2, rounded per RC.
  let angle = -1;
  if (k1 === KIND_ZERO) {
    if (!xSign) {
      out.copyFrom(st1); // +-0 for x >= +0
      return flags;
    }
    angle = AT_PI;
  } else if (k1 === KIND_INF) {
    if (k0 === KIND_INF) {
      // pi/4 or 3pi/4.
      copy(T1, AT_PI_2);
      S[5 * T1 + 1]--;
      if (xSign) { accAdd(AT_PI_2, T1, 0); accRound(T1, 72, RZ); }
      angle = T1;
    } else {
      angle = AT_PI_2;
    }
  } else if (k0 === KIND_INF) {
    if (!xSign) {
      setValue(out, ySign << 15, 0, 0);
      return flags;
    }
    angle = AT_PI;
  } else if (k0 === KIND_ZERO) {
    angle = AT_PI_2;
  }
  if (angle >= 0) {
    accLoad(angle);
    accSign = ySign;
    return flags | accPack(out, rc, false);
  }
  fromF80(X, st0); S[5 * X] = 0;
  fromF80(Y, st1); S[5 * Y] = 0;
  // t = atan(a/b) in the first octant, a = min(|x|, |y|), b = max.
  const swapped = cmpMag(Y, X) > 0;
  const a = swapped ? X : Y, b = swapped ? Y : X;
  const restore = swapped || xSign === 1;
  // r = a/b < 2^-40, exactly: the angle is r itself, cut to 67 bits.
  copy(T1, a);
  S[5 * T1 + 1] += 40;
  if (cmpMag(T1, b) < 0) {
    accDiv(a, b); accRound(R, 67, RZ);
  } else {
    let n = 0;
    if (cmpScaled(a, b, 3) > 0) {
      // The table cell: n = ceil(32 r - 1/2), c = n/32 (ties to the lower cell).
      const approx = (S[5 * a + 2] / S[5 * b + 2]) * 2 ** (S[5 * a + 1] - S[5 * b + 1]);
      n = Math.max(2, Math.min(32, Math.ceil(32 * approx - 0.5)));
      while (n < 32 && cmpScaled(a, b, 2 * n + 1) > 0) n++;
      while (n > 2 && cmpScaled(a, b, 2 * n - 1) <= 0) n--;
      // z = (a - c b)/(b + c a), the products exact, each sum cut to 67 bits.
      setInt(T1, n, -5);
      accMul(T1, b, 72, 72); accRound(T2, 72, RZ);
      subT(T2, a, T2);
      accMul(T1, a, 72, 72); accRound(T3, 72, RZ);
      addT(T3, b, T3);
      accDiv(T2, T3); accRound(Z, 67, RZ);
    } else {
      accDiv(a, b); accRound(Z, 67, RZ);
    }
    // atan(z) = z + z^3 (C3 + C5 z^2 + ...), u ~ z^2, v ~ z^4.
    accMul(Z, Z, 72, 64); accRound(U, 64, RN);
    mul(V, U, U);
    if (n === 0) {
      mul(T1, V, AT_LONG[5]); add(T1, AT_LONG[3], T1);
      mul(T1, V, T1); addT(ODD, AT_LONG[1], T1);
      mul(T1, V, AT_LONG[4]); add(T1, AT_LONG[2], T1);
      mul(T1, V, T1); addT(EVEN, AT_LONG[0], T1);
    } else {
      mul(T1, V, AT_SHORT[2]); addT(EVEN, AT_SHORT[0], T1);
      mul(T1, V, AT_SHORT[3]); add(ODD, AT_SHORT[1], T1);
    }
    mul(T1, U, ODD);
    add(T1, T1, EVEN);
    mul(T2, Z, U);
    mul(T2, T2, T1);
    accAdd(Z, T2, 0);
    if (n !== 0) {
      // The table path cuts the kernel, then adds atan(n/32).
      accRound(T1, 67, RZ);
      accAdd(T1, AT_TABLE[n], 0);
    }
    if (!restore) {
      accSign = ySign;
      return flags | accPack(out, rc, true);
    }
    accRound(R, 67, RZ);
  }
  if (restore) {
    // pi/2 - t, pi/2 + t or pi - t, with t cut to 67 bits.
    if (swapped) accAdd(AT_PI_2, R, xSign ? 0 : 1);
    else accAdd(AT_PI, R, 1);
  } else {
    accLoad(R);
  }
  accSign = ySign;
  return flags | accPack(out, rc, true);
}

// ---------------------------------------------------------------------------------------------
// fsin, fcos, fsincos, fptan.

// pi/2 as the x87 holds it for argument reduction: pi rounded to 66 bits (0xC90FDAA22168C234C
// x 2^-66, the famous "66-bit pi"), halved, as the 80-bit divisor 0xC90FDAA22168C234C000 x 2^-79.
const HALF_PI_DIGITS = [0xc000, 0xc234, 0x2168, 0xdaa2, 0xc90f];

/**
 * Reduces |x| (significand hi:lo, exponent e with 2^-1 <= |x| < 2^63) to r in [-pi/4, pi/4] with
 * |x| = k pi/2 + r, exactly with respect to the 66-bit pi. |r| goes to slot R; returns k mod 4,
 * plus 4 if r is negative.
 */
function reduce(hi: number, lo: number, e: number): number {
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
  let negative = 0;
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
    negative = 4;
  }
  // |r| = R x 2^-79, R < 2^80.
  acc.fill(0);
  acc[9] = divU[0] + (divU[1] & 0xff) * 65536;
  acc[8] = (divU[1] >>> 8) + divU[2] * 256;
  acc[7] = divU[3] + (divU[4] & 0xff) * 65536;
  acc[6] = divU[4] >>> 8;
  accSign = 0;
  accExp = -79;
  accRound(R, 72, RZ);
  return q | negative;
}

/** y = sum of a polynomial in u with coefficients K[1..last] (ascending), Horner, as in fptan:
 *  each step N64(T67(y u) + K[i]). */
function horner(d: number, u: number, K: number[], last: number): void {
  copy(d, K[last]);
  for (let i = last - 1; i >= 1; i--) {
    mul(d, d, u);
    add(d, d, K[i]);
  }
}

/** The table cell for 1/4 <= r <= pi/4: index into TRIG_B, and A = r - b/64 (exact). */
function trigCell(r: number): number {
  const e = S[5 * r + 1], h = S[5 * r + 2];
  // r in [1/4, 1/2): b = 18 + 4 floor(16 (r - 1/4)); r >= 1/2: 36 + 8 min(2, floor(8 (r - 1/2))).
  const k = e === -2 ? Math.floor(h / 2097152) - 4 : 4 + Math.min(2, Math.floor(h / 2097152) - 4);
  setInt(T1, TRIG_B[k], -6);
  subX(T6, r, T1);
  return k;
}

/** fsin/fcos kernel on the table path: lead and tail of sin r or cos r (the sum is exact). */
function trigTable(cosine: boolean): void {
  const k = trigCell(R);
  mulPort(U, T6, T6); // T6 = a = r - b/64
  copy(P, S4[4]);
  copy(Q, C4[4]);
  for (let i = 3; i >= 1; i--) {
    mulPort(P, U, P); add(P, S4[i], P);
    mulPort(Q, U, Q); add(Q, C4[i], Q);
  }
  mulPort(T1, U, P);
  mulPort(T1, T1, T6);
  add(V, T6, T1); // sin a ~ v
  accMul(U, Q, 67, 64); accRound(T2, 64, RN); // cos a - 1 ~ w
  const ts = TRIG_SIN[k], tc = TRIG_COS[k];
  if (cosine) {
    mulPort(T3, ts, V);
    mulPort(T4, tc, T2);
    accAdd(T4, T3, 1);
    accRound(TAIL, 67, RZ);
    copy(LEAD, tc);
  } else {
    mulPort(T3, tc, V);
    mulPort(T4, ts, T2);
    addT(TAIL, T3, T4);
    copy(LEAD, ts);
  }
}

/** fsin/fcos polynomial for 2^-32 <= r < 1/4 (odd and even coefficients in separate chains). */
function trigPoly(cosine: boolean): void {
  const K = cosine ? C6 : S6;
  mulPort(U, R, R);
  mulPort(V, U, U);
  mulPort(ODD, V, K[5]); add(ODD, K[3], ODD);
  mulPort(ODD, V, ODD); add(ODD, K[1], ODD);
  mulPort(EVEN, V, K[6]); add(EVEN, K[4], EVEN);
  mulPort(EVEN, V, EVEN); add(EVEN, K[2], EVEN);
  mulPort(T1, U, ODD);
  mulPort(T2, V, EVEN);
  if (cosine) {
    addT(TAIL, T1, T2);
    copy(LEAD, ONE_S);
  } else {
    add(T1, T1, T2);
    mulPort(TAIL, R, T1);
    copy(LEAD, R);
  }
}

/** fsincos polynomial for 2^-32 <= r < 1/4: both, by Horner chains sharing one square. */
function trigPair(): void {
  accMul(R, R, 72, 72); accRound(U, 67, RZ);
  copy(P, S6[6]);
  copy(Q, C6[6]);
  for (let i = 5; i >= 1; i--) {
    mul(P, P, U); add(P, P, S6[i]);
    mul(Q, Q, U); add(Q, Q, C6[i]);
  }
  mulN(T1, P, U);
  mul(TAIL, T1, R);
  copy(LEAD, R);
  mul(TAIL2, Q, U);
  copy(LEAD2, ONE_S);
}

/**
 * One result lane: n = quadrant (+1 for cosine), `rNeg` = residual negative, `xSign` applies to
 * the sine lane. Rounds the kernel in LEAD + TAIL (or the tiny path) into out; returns flags.
 */
function trigLane(out: F80, n: number, rNeg: number, flip: number, rc: number, tinyR: boolean): number {
  const cosine = (n & 1) !== 0;
  const negative = ((n >> 1) & 1) ^ (cosine ? 0 : rNeg) ^ flip;
  if (tinyR) {
    // |r| < 2^-32: sin r = r and cos r = 1 before rounding; the hardware steps one unit toward
    // zero when RC says so (C1 = 0), and otherwise keeps the value and reports C1 = 1.
    const towardZero = rc === RZ || (rc === 1 && !negative) || (rc === 2 && negative === 1);
    accLoad(cosine ? ONE_S : R);
    accSign = negative;
    accPack(out, RZ, false); // exact: at most 64 bits
    if (towardZero) {
      if ((out.hi >>> 0) === 0x80000000 && out.lo === 0) {
        out.se--; out.hi = -1; out.lo = -1;
      } else if (out.lo === 0) {
        out.lo = -1; out.hi = (out.hi - 1) | 0;
      } else {
        out.lo = (out.lo - 1) | 0;
      }
      return FLAG_PE;
    }
    return FLAG_PE | SW_C1;
  }
  accAdd(LEAD, TAIL, 0);
  accSign ^= negative;
  return accPack(out, rc, false);
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
    // (DE, PE), whatever the rounding mode; with UE unmasked, the denormal is delivered
    // bias-adjusted (packF80 does that). A pseudo-denormal comes back normalized (exponent 1),
    // which is not tiny: no UE.
    packF80(outSin, sign, 1, a.hi >>> 0, a.lo >>> 0, 0, 64, rc); // exact
    setValue(outCos, 0x3fff, 0x80000000, 0);
    return FLAG_DE | FLAG_PE | (which & (WHICH_SIN | WHICH_TAN) && a.hi >= 0 ? FLAG_UE : 0);
  }
  if (exp < BIAS - 68) {
    // |x| < 2^-68: the hardware returns x as sin and tan, 1 as cos, with C1 = 0.
    outSin.copyFrom(a);
    setValue(outCos, 0x3fff, 0x80000000, 0);
    return FLAG_PE;
  }
  let quadrant = 0, rNeg = 0;
  if (exp < BIAS - 1) {
    fromF80(R, a); // |x| < 1/2 < pi/4
    S[5 * R] = 0;
  } else {
    // |x| >= 1/2, so the operand is normal: reduce its significand exactly.
    const qr = reduce(a.hi >>> 0, a.lo >>> 0, exp - BIAS);
    quadrant = qr & 3;
    rNeg = qr >> 2;
  }
  const re = S[5 * R + 1];
  if (which & WHICH_TAN) {
    // tan = sin/cos of separately kept 67-bit kernels, one rounding of the exact ratio.
    if (re < -2) {
      mul(U, R, R);
      horner(P, U, S6, 6);
      horner(Q, U, C6, 6);
      mulN(T1, U, P);
      mul(T1, R, T1);
      addT(LEAD, R, T1); // sin
      mul(T1, U, Q);
      addT(LEAD2, ONE_S, T1); // cos
    } else {
      const kk = trigCell(R);
      mul(U, T6, T6);
      horner(P, U, S4, 4);
      horner(Q, U, C4, 4);
      mul(T1, P, U);
      mul(T1, T1, T6);
      add(V, T6, T1);
      mulN(T2, Q, U); // w
      const ts = TRIG_SIN[kk], tc = TRIG_COS[kk];
      // cos: tc - T67(ts v - tc w); sin: ts - T67(-(tc v) - ts w), each product cut to 67 bits.
      mul(T3, ts, V);
      mul(T4, tc, T2);
      subT(T5, T3, T4);
      mul(T3, tc, V);
      mul(T4, ts, T2);
      accAdd(T3, T4, 0);
      accSign ^= 1;
      accRound(T3, 67, RZ);
      subT(LEAD, ts, T3); // sin
      subT(LEAD2, tc, T5); // cos
    }
    // tan(q pi/2 + r) = tan r (q even) or -cos r/sin r (q odd); the sign of x applies last.
    if (quadrant & 1) accDiv(LEAD2, LEAD);
    else accDiv(LEAD, LEAD2);
    accSign = (quadrant & 1) ^ rNeg ^ sign;
    resultSinFlags = accPack(outSin, rc, false);
    return resultSinFlags;
  }
  const tinyR = re < -32;
  if (!tinyR && re >= -2) {
    if (which & WHICH_SIN) {
      trigTable((quadrant & 1) !== 0);
      resultSinFlags = trigLane(outSin, quadrant, rNeg, sign, rc, false);
    }
    if (which & WHICH_COS) {
      trigTable((quadrant & 1) === 0);
      resultCosFlags = trigLane(outCos, quadrant + 1, rNeg, 0, rc, false);
    }
  } else if (!tinyR && which === (WHICH_SIN | WHICH_COS)) {
    trigPair();
    // Lanes by quadrant: the sine kernel is in LEAD/TAIL, the cosine kernel in LEAD2/TAIL2.
    const sinIsCos = (quadrant & 1) !== 0;
    copy(T3, LEAD); copy(T4, TAIL);
    if (sinIsCos) { copy(LEAD, LEAD2); copy(TAIL, TAIL2); }
    resultSinFlags = trigLane(outSin, quadrant, rNeg, sign, rc, false);
    if (sinIsCos) { copy(LEAD, T3); copy(TAIL, T4); } else { copy(LEAD, LEAD2); copy(TAIL, TAIL2); }
    resultCosFlags = trigLane(outCos, quadrant + 1, rNeg, 0, rc, false);
  } else {
    if (which & WHICH_SIN) {
      if (!tinyR) trigPoly((quadrant & 1) !== 0);
      resultSinFlags = trigLane(outSin, quadrant, rNeg, sign, rc, tinyR);
    }
    if (which & WHICH_COS) {
      if (!tinyR) trigPoly((quadrant & 1) === 0);
      resultCosFlags = trigLane(outCos, quadrant + 1, rNeg, 0, rc, tinyR);
    }
  }
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
