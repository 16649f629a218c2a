// Owns the x87 instruction forms of test/insn/x87.test.ts and the values they are given: the initial
// x87 state of a case (control word, status word with TOP and sticky flags, the abridged tag word,
// the eight registers), operand values from the classes where floating point goes wrong, and for
// every form its encoding and what the Intel SDM leaves undefined after it (condition codes).
//
// Condition codes per form follow the "FPU Flags Affected" section of each instruction in SDM
// Vol. 2: `ccDef` are the C bits the instruction sets to defined values, `ccUndef` those it leaves
// undefined; the others are not affected. Transcendental results are compared within 2 ulps with
// C1 (the round-up bit) compared only when the values agree bit for bit. Two deliberate choices:
// fcomi/fucomi(p) leave C1 uncompared (the SDM says "set to 0", this Intel host leaves it alone),
// and fprem/fprem1 leave C0/C3 uncompared when there is no quotient (a NaN, infinite, unsupported
// or empty operand, or a zero divisor), where the SDM gives them no value.

import { Gen, Rng, assemble, interesting, le, type Rm } from './gen.js';
import { SCRATCH_ADDR } from './machine.js';
import { C0, C1, C2, C3, type F80 } from './x87_machine.js';

export const CC = C0 | C1 | C2 | C3;
const M64 = (1n << 64n) - 1n;
const J = 1n << 63n;
const BIAS = 16383;

// --- the x87 state of a case -------------------------------------------------------------------

export interface XState {
  fcw: number;
  /** Including TOP (bits 11-13). */
  fsw: number;
  /** Abridged: bit p = physical register p valid. */
  ftw: number;
  /** Register contents by ST(i) (relative to TOP), empty ones included. */
  st: F80[];
}

export function topOf(x: XState): number { return (x.fsw >> 11) & 7; }
export function physOf(x: XState, i: number): number { return (topOf(x) + i) & 7; }
export function isValid(x: XState, i: number): boolean { return ((x.ftw >> physOf(x, i)) & 1) === 1; }
export function setSt(x: XState, i: number, v: F80): void { x.st[i] = v; x.ftw |= 1 << physOf(x, i); }
export function freeSt(x: XState, i: number): void { x.ftw &= ~(1 << physOf(x, i)); }
export function depthOf(x: XState): number { let d = 0; while (d < 8 && isValid(x, d)) d++; return d; }

/** A control word with every exception masked and random precision (not the reserved 01) and rounding. */
export function randomFcw(r: Rng): number {
  const pc = r.pick([3, 3, 2, 0]);
  return 0x3f | 0x40 | (pc << 8) | (r.int(4) << 10);
}

export function newState(r: Rng): XState {
  const x: XState = { fcw: randomFcw(r), fsw: r.int(8) << 11, ftw: 0, st: [] };
  for (let i = 0; i < 8; i++) x.st.push(randF80(r));
  const p = r.int(100);
  let depth: number;
  if (p < 5) depth = 0;
  else if (p < 65) depth = r.range(1, 3);
  else if (p < 85) depth = r.range(4, 7);
  else depth = 8;
  for (let i = 0; i < depth; i++) x.ftw |= 1 << physOf(x, i);
  if (r.bool(0.07)) x.ftw = r.int(256); // holes
  if (r.bool(0.3)) x.fsw |= r.int(64); // sticky flags (masked: no pending exception)
  if (r.bool(0.04)) x.fsw |= 0x41; // SF with IE
  x.fsw |= r.int(2) * C0 | r.int(2) * C1 | r.int(2) * C2 | r.int(2) * C3;
  return x;
}

/** ES and B as the hardware keeps them: set when an unmasked exception flag is set. */
export function fixSummary(x: XState): void {
  x.fsw &= ~0x8080;
  if (x.fsw & ~x.fcw & 0x3f) x.fsw |= 0x8080;
}

// --- values ------------------------------------------------------------------------------------

function bitLength(v: bigint): number { return v === 0n ? 0 : v.toString(2).length; }

export function mk(sign: number, exp: number, mant: bigint): F80 {
  return { se: ((sign & 1) << 15) | (exp & 0x7fff), mant: mant & M64 };
}

/** sign * num * 2^-shift, truncated to 64 significant bits (num > 0), as a normal (or denormal) value. */
export function fromBig(sign: number, num: bigint, shift: number): F80 {
  if (num === 0n) return mk(sign, 0, 0n);
  const bl = bitLength(num);
  const mant = bl > 64 ? num >> BigInt(bl - 64) : num << BigInt(64 - bl);
  let exp = BIAS + bl - 1 - shift;
  if (exp >= 0x7fff) return mk(sign, 0x7fff, J);
  if (exp <= 0) {
    const sh = 1 - exp;
    return mk(sign, 0, sh >= 64 ? 0n : mant >> BigInt(sh));
  }
  return mk(sign, exp, mant);
}

/** Moves a finite value by d units in the last place (within its binade). */
function nudge(v: F80, d: number): F80 {
  const m = v.mant + BigInt(d);
  if ((v.se & 0x7fff) === 0 || m < J || m > M64) return v;
  return { se: v.se, mant: m };
}

function randMant(r: Rng): bigint {
  switch (r.int(8)) {
    case 0: return J | (r.bits(r.range(0, 10)) << 53n); // a short significand: exact results
    case 1: return J | (r.bits(23) << 40n) | r.pick([0n, 1n << 39n, (1n << 39n) + 1n, (1n << 39n) - 1n, 1n, (1n << 40n) - 1n]); // float rounding
    case 2: return J | (r.bits(52) << 11n) | r.pick([0n, 1n << 10n, (1n << 10n) + 1n, (1n << 10n) - 1n, 1n, 0x7ffn]); // double rounding
    case 3: return r.bool() ? M64 : J | 1n;
    default: return J | r.bits(63);
  }
}

export function qnan(r: Rng): F80 { return mk(r.int(2), 0x7fff, J | (1n << 62n) | (r.bool(0.3) ? 0n : r.bits(62))); }
export function snan(r: Rng): F80 { let f = r.bits(62); if (f === 0n) f = 1n; return mk(r.int(2), 0x7fff, J | f); }
export const INDEFINITE: F80 = { se: 0xffff, mant: 0xc000000000000000n };

/** A value of one of the classes where x87 arithmetic goes wrong. */
export function randF80(r: Rng): F80 {
  const s = r.int(2);
  const p = r.int(100);
  if (p < 8) return mk(s, 0, 0n);
  if (p < 13) return mk(s, 0, r.bool(0.2) ? BigInt(r.range(1, 8)) : r.bits(r.range(1, 63))); // denormal
  if (p < 14) return mk(s, 0, J | r.bits(63)); // pseudo-denormal
  if (p < 42) return mk(s, BIAS + r.range(-64, 64), randMant(r));
  if (p < 54) return nearInteger(r);
  if (p < 60) return intValue(r);
  if (p < 64) return mk(s, 0x7ffe - r.int(70), randMant(r)); // huge
  if (p < 68) return mk(s, 1 + r.int(70), randMant(r)); // tiny
  if (p < 76) { // around the float and double limits
    const e = r.pick([126, 127, 128, 149, 150, 1022, 1023, 1024, 1074, 1075]);
    return mk(s, BIAS + (r.bool() ? e : -e) + r.range(-2, 2), randMant(r));
  }
  if (p < 81) return mk(s, 0x7fff, J); // infinity
  if (p < 85) return qnan(r);
  if (p < 89) return snan(r);
  if (p < 91) return INDEFINITE;
  if (p < 93) { // unsupported encodings: unnormals (and pseudo-zeros), pseudo-infinity, pseudo-NaN
    const q = r.int(3);
    if (q === 0) return mk(s, 1 + r.int(0x7ffe), r.bool(0.2) ? 0n : r.bits(63));
    if (q === 1) return mk(s, 0x7fff, 0n);
    return mk(s, 0x7fff, r.bits(63) | 1n);
  }
  return mk(s, BIAS + r.range(-8, 8), randMant(r));
}

/** An integer, or one a fraction (a half, a quarter, an ulp) away from it. */
export function nearInteger(r: Rng): F80 {
  const s = r.int(2);
  const n = r.bool(0.5) ? BigInt(r.range(0, 20)) : r.bits(r.range(1, 63));
  const q = r.int(6);
  if (q === 0) return fromBig(s, 2n * n + 1n, 1); // n + 1/2
  if (q === 1) return fromBig(s, 4n * n + BigInt(r.pick([1, 3])), 2);
  if (n === 0n) return fromBig(s, 1n, r.range(1, 70));
  const v = fromBig(s, n, 0);
  return q === 2 ? nudge(v, r.pick([-1, 1, -2, 2])) : v;
}

/** Integers at the limits of the integer formats, and a fraction around them. */
export function intValue(r: Rng): F80 {
  const s = r.int(2);
  const b = BigInt(r.pick([15, 16, 31, 32, 63, 64]));
  const n = (1n << b) + BigInt(r.range(-2, 1));
  const q = r.int(4);
  if (q === 0) return fromBig(s, 2n * n + 1n, 1);
  if (q === 1) return nudge(fromBig(s, n, 0), r.pick([-1, 1]));
  return fromBig(s, n, 0);
}

// float32/float64 bit patterns
export function randF32(r: Rng): number {
  const s = r.int(2) << 31;
  const p = r.int(20);
  if (p < 2) return s >>> 0;
  if (p < 4) return (s | (r.bool(0.3) ? r.range(1, 4) : r.int(1 << 23) || 1)) >>> 0; // denormal
  if (p < 10) return (s | ((r.pick([1, 2, 100, 127, 127, 128, 150, 200, 253, 254]) + r.range(-1, 0)) << 23) | (r.bool(0.3) ? r.int(16) << 19 : r.int(1 << 23))) >>> 0;
  if (p < 12) return (s | 0x7f800000) >>> 0; // infinity
  if (p < 14) return (s | 0x7fc00000 | (r.bool(0.5) ? 0 : r.int(1 << 22))) >>> 0; // QNaN
  if (p < 16) return (s | 0x7f800000 | (r.int(1 << 22) || 1)) >>> 0; // SNaN
  if (p < 18) { const f = new Float32Array([r.range(-70000, 70000) / r.pick([1, 2, 4])]); return new Uint32Array(f.buffer)[0]; }
  return r.u32();
}

export function randF64(r: Rng): bigint {
  const s = BigInt(r.int(2)) << 63n;
  const p = r.int(20);
  const F = (1n << 52n) - 1n;
  if (p < 2) return s;
  if (p < 4) return s | (r.bool(0.3) ? BigInt(r.range(1, 4)) : (r.bits(52) || 1n));
  if (p < 10) {
    const e = BigInt(r.pick([1, 2, 500, 1023, 1023, 1024, 1100, 1800, 2045, 2046]) + r.range(-1, 0));
    return s | (e << 52n) | (r.bool(0.3) ? BigInt(r.int(16)) << 48n : r.bits(52));
  }
  if (p < 12) return s | (0x7ffn << 52n);
  if (p < 14) return s | (0x7ffn << 52n) | (1n << 51n) | (r.bool(0.5) ? 0n : r.bits(51));
  if (p < 16) return s | (0x7ffn << 52n) | (r.bits(51) || 1n);
  if (p < 18) { const f = new Float64Array([r.range(-1 << 30, 1 << 30) / r.pick([1, 2, 4, 1024])]); return new BigUint64Array(f.buffer)[0]; }
  return r.u64() & (F | (0xfffn << 52n));
}

/** The exact F80 of a float64 bit pattern (NaNs keep their payload and signaling bit). */
export function f64ToF80(b: bigint): F80 {
  const s = Number(b >> 63n);
  const e = Number((b >> 52n) & 0x7ffn);
  const f = b & ((1n << 52n) - 1n);
  if (e === 0) return f === 0n ? mk(s, 0, 0n) : fromBig(s, f, 1074);
  if (e === 0x7ff) return mk(s, 0x7fff, J | (f << 11n));
  return mk(s, e - 1023 + BIAS, J | (f << 11n));
}

export function f32ToF80(b: number): F80 {
  const s = b >>> 31;
  const e = (b >>> 23) & 0xff;
  const f = BigInt(b & 0x7fffff);
  if (e === 0) return f === 0n ? mk(s, 0, 0n) : fromBig(s, f, 149);
  if (e === 0xff) return mk(s, 0x7fff, J | (f << 40n));
  return mk(s, e - 127 + BIAS, J | (f << 40n));
}

/** pi * 2^190 (the first 192 bits of pi). */
const PI192 = 0xC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74n;

/** Arguments of fsin/fcos/fptan: every magnitude up to beyond 2^63, and near multiples of pi/4. */
export function angle(r: Rng): F80 {
  const s = r.int(2);
  const p = r.int(10);
  if (p < 4) {
    const k = r.bool(0.6) ? BigInt(r.range(1, 16)) : r.bits(r.range(5, 62)) | 1n;
    return nudge(fromBig(s, k * PI192, 192), r.range(-2, 2));
  }
  if (p < 8) return mk(s, BIAS + r.range(-70, 66), randMant(r));
  if (p < 9) return mk(s, BIAS + r.range(-3, 3), randMant(r));
  return randF80(r);
}

/** A zero, denormal or normal (not infinite, NaN or in an unsupported encoding). */
export function isFiniteNumber(v: F80): boolean {
  const e = v.se & 0x7fff;
  return e !== 0x7fff && (e === 0 || (v.mant >> 63n) === 1n);
}
export function isZero(v: F80): boolean { return (v.se & 0x7fff) === 0 && v.mant === 0n; }

function f80Bytes(v: F80): number[] { return [...le(v.mant, 8), ...le(v.se, 2)]; }

function bcdBytes(r: Rng): number[] {
  const out: number[] = [];
  const digits = r.pick([1, 2, 5, 10, 18, 18]);
  for (let k = 0; k < 9; k++) {
    const lo = 2 * k < digits ? r.int(10) : 0, hi = 2 * k + 1 < digits ? r.int(10) : 0;
    out.push(lo | (hi << 4));
  }
  out.push(r.bool() ? 0x80 : 0);
  return out;
}

// --- forms -------------------------------------------------------------------------------------

/** What one form needs when it is generated. */
export interface Ctx {
  g: Gen;
  r: Rng;
  x: XState;
  /** Scratch bytes 64..191 (g.mem holds 0..63). */
  ext: Uint8Array;
  /** The first instruction of its snippet: it sees the initial x87 state and may shape it. */
  first: boolean;
  seq: boolean;
}

export interface XIns {
  bytes: number[];
  /** Condition codes set to defined values / left undefined (SDM). */
  ccDef: number;
  ccUndef: number;
  /** GPRs written. */
  wregs?: number;
  /** Scratch bytes left undefined. */
  memUndef?: bigint;
  /** ST(i) after the instruction compared within 2 ulps (bit i). */
  approx?: number;
  /** FSW bits compared only where the approximate registers agree exactly. */
  approxFsw?: number;
}

export interface XForm {
  name: string;
  family: string;
  /** May appear in a multi-instruction snippet. */
  seq: boolean;
  /** A waiting instruction: delivers a pending unmasked exception (#MF) before it runs. */
  waiting: boolean;
  /** Raises numeric exceptions: also generated with unmasked exceptions (as single instructions). */
  numeric: boolean;
  /** Stores the status word (not placed after an instruction that left condition codes undefined). */
  readsCC?: boolean;
  weight: number;
  gen: (c: Ctx) => XIns | null;
}

export function writeMem(c: Ctx, off: number, bytes: number[]): void {
  for (let k = 0; k < bytes.length; k++) {
    const o = off + k;
    if (o < 64) c.g.mem[o] = bytes[k]; else c.ext[o - 64] = bytes[k];
  }
}

/** A memory operand of `size` bytes in the first 64 bytes of the scratch block. */
function mem(c: Ctx, size: number): Rm | null {
  const rm = c.g.memOp({ size });
  return rm && rm.off >= 0 ? rm : null;
}

/** A memory operand at scratch offset `off` (anywhere in the 192-byte block). */
function memAt(c: Ctx, off: number, size: number): Rm | null {
  return c.g.memOp({ size, target: SCRATCH_ADDR + off });
}

/** An instruction with a memory operand; `lead` bytes of another instruction (fwait) precede it. */
function encMem(c: Ctx, op: number[], digit: number, rm: Rm, pfx?: number[], lead = 0): number[] {
  return assemble({ pfx, op, reg: digit, rm }, c.g.codeAddr + c.g.pos + lead);
}

/** A register form (mod = 3), now and then with an ignored REX prefix. */
function encReg(c: Ctx, op: number, modrm: number): number[] {
  if (c.r.bool(0.04)) { c.g.variant += ' rex'; return [0x40 | c.r.int(16), op, modrm]; }
  return [op, modrm];
}

/** For the first instruction of a case: makes ST(i) valid most of the time, with value v. */
function want(c: Ctx, i: number, v?: () => F80, p = 0.92): void {
  if (!c.first) return;
  if (isValid(c.x, i)) { if (v && c.r.bool(0.7)) c.x.st[i] = v(); return; }
  if (c.r.bool(p)) setSt(c.x, i, v ? v() : randF80(c.r));
}

/** For the first instruction: a stack with room for `n` pushes most of the time. */
function room(c: Ctx, n: number): void {
  if (!c.first || c.r.bool(0.15)) return;
  for (let k = 1; k <= n; k++) freeSt(c.x, 8 - k);
}

const ARITH_MN = ['fadd', 'fmul', 'fcom', 'fcomp', 'fsub', 'fsubr', 'fdiv', 'fdivr'];
const IARITH_MN = ['fiadd', 'fimul', 'ficom', 'ficomp', 'fisub', 'fisubr', 'fidiv', 'fidivr'];
const ARITH = { ccDef: C1, ccUndef: C0 | C2 | C3 };
const COMPARE = { ccDef: CC, ccUndef: 0 };
const NONE = { ccDef: 0, ccUndef: CC };
const TRANS = { ccDef: 0, ccUndef: C0 | C2 | C3, approxFsw: C1 };
const TRIG = { ccDef: C2, ccUndef: C0 | C3, approxFsw: C1 };

export const X87_FORMS: XForm[] = [];

function form(name: string, family: string, o: { seq?: boolean; waiting?: boolean; numeric?: boolean; readsCC?: boolean; weight?: number }, gen: (c: Ctx) => XIns | null): void {
  X87_FORMS.push({ name, family, seq: o.seq ?? true, waiting: o.waiting ?? true, numeric: o.numeric ?? true, readsCC: o.readsCC, weight: o.weight ?? 1, gen });
}

// arithmetic and compares with a memory operand
for (const [op, kind] of [[0xd8, 'm32fp'], [0xdc, 'm64fp'], [0xda, 'm32int'], [0xde, 'm16int']] as [number, string][]) {
  for (let d = 0; d < 8; d++) {
    const mn = (kind.endsWith('fp') ? ARITH_MN : IARITH_MN)[d];
    const cmp = d === 2 || d === 3;
    form(`${mn} ${kind}`, cmp ? 'compare' : 'arith', {}, (c) => {
      const size = op === 0xd8 || op === 0xda ? 4 : op === 0xdc ? 8 : 2;
      const rm = mem(c, size);
      if (!rm) return null;
      let st0: F80 | undefined;
      if (op === 0xd8) { const v = randF32(c.r); writeMem(c, rm.off, le(v, 4)); if (c.r.bool(0.15)) st0 = f32ToF80(v); }
      else if (op === 0xdc) { const v = randF64(c.r); writeMem(c, rm.off, le(v, 8)); if (c.r.bool(0.15)) st0 = f64ToF80(v); }
      else { const v = interesting(c.r, size * 8); writeMem(c, rm.off, le(v, size)); if (c.r.bool(0.15)) st0 = fromBig(v >> BigInt(size * 8 - 1) ? 1 : 0, (v >> BigInt(size * 8 - 1)) ? (1n << BigInt(size * 8)) - v : v, 0); }
      want(c, 0, st0 ? () => st0! : undefined);
      return { bytes: encMem(c, [op], d, rm), ...(cmp ? COMPARE : ARITH) };
    });
  }
}

// register arithmetic: D8 st0 op st(i); DC st(i) op st0; DE st(i) op st0 and pop
const DC_MN = ['fadd', 'fmul', 'fcom2', 'fcomp3', 'fsubr', 'fsub', 'fdivr', 'fdiv'];
const DE_MN = ['faddp', 'fmulp', 'fcomp5', 'fcompp', 'fsubrp', 'fsubp', 'fdivrp', 'fdivp'];
for (let d = 0; d < 8; d++) {
  const cmp = d === 2 || d === 3;
  form(`${ARITH_MN[d]} st0,st(i)`, cmp ? 'compare' : 'arith', {}, (c) => {
    const i = c.r.int(8);
    want(c, 0); want(c, i);
    return { bytes: encReg(c, 0xd8, 0xc0 | (d << 3) | i), ...(cmp ? COMPARE : ARITH) };
  });
  if (!cmp) {
    form(`${DC_MN[d]} st(i),st0`, 'arith', {}, (c) => {
      const i = c.r.int(8);
      want(c, 0); want(c, i);
      return { bytes: encReg(c, 0xdc, 0xc0 | (d << 3) | i), ...ARITH };
    });
    form(`${DE_MN[d]} st(i),st0`, 'arith', {}, (c) => {
      const i = c.r.bool(0.6) ? 1 : c.r.int(8);
      want(c, 0); want(c, i);
      return { bytes: encReg(c, 0xde, 0xc0 | (d << 3) | i), ...ARITH };
    });
  }
}
form('fcompp', 'compare', {}, (c) => { want(c, 0); want(c, 1); return { bytes: encReg(c, 0xde, 0xd9), ...COMPARE }; });
form('fucom st(i)', 'compare', {}, (c) => { const i = c.r.int(8); want(c, 0); want(c, i); return { bytes: encReg(c, 0xdd, 0xe0 | i), ...COMPARE }; });
form('fucomp st(i)', 'compare', {}, (c) => { const i = c.r.int(8); want(c, 0); want(c, i); return { bytes: encReg(c, 0xdd, 0xe8 | i), ...COMPARE }; });
form('fucompp', 'compare', {}, (c) => { want(c, 0); want(c, 1); return { bytes: encReg(c, 0xda, 0xe9), ...COMPARE }; });
form('ftst', 'compare', {}, (c) => { want(c, 0); return { bytes: encReg(c, 0xd9, 0xe4), ...COMPARE }; });
form('fxam', 'compare', { numeric: false }, (c) => { want(c, 0, undefined, 0.85); return { bytes: encReg(c, 0xd9, 0xe5), ...COMPARE }; });
for (const [op, base, mn] of [[0xdb, 0xf0, 'fcomi'], [0xdf, 0xf0, 'fcomip'], [0xdb, 0xe8, 'fucomi'], [0xdf, 0xe8, 'fucomip']] as [number, number, string][]) {
  form(`${mn} st0,st(i)`, 'fcomi', {}, (c) => {
    const i = c.r.int(8);
    want(c, 0); want(c, i);
    if (c.first && c.r.bool(0.2) && isValid(c.x, i)) c.x.st[0] = c.x.st[i];
    // SDM: C1 set to 0, C0 C2 C3 not affected. The hardware (Intel, family 6 model 0xa7) leaves
    // C1 alone, so C1 is not compared.
    return { bytes: encReg(c, op, base | i), ccDef: 0, ccUndef: C1 };
  });
}

// fcmov
for (const [op, d, mn] of [[0xda, 0, 'fcmovb'], [0xda, 1, 'fcmove'], [0xda, 2, 'fcmovbe'], [0xda, 3, 'fcmovu'],
  [0xdb, 0, 'fcmovnb'], [0xdb, 1, 'fcmovne'], [0xdb, 2, 'fcmovnbe'], [0xdb, 3, 'fcmovnu']] as [number, number, string][]) {
  form(`${mn} st0,st(i)`, 'fcmov', {}, (c) => {
    const i = c.r.int(8);
    want(c, 0); want(c, i);
    // C1 is defined (0) only on a stack underflow, which only the initial state tells.
    const underflow = c.first && (!isValid(c.x, 0) || !isValid(c.x, i));
    return { bytes: encReg(c, op, 0xc0 | (d << 3) | i), ccDef: underflow ? C1 : 0, ccUndef: underflow ? C0 | C2 | C3 : CC };
  });
}

// loads
const LOAD = { ccDef: C1, ccUndef: C0 | C2 | C3 };
form('fld m32fp', 'load', {}, (c) => { const rm = mem(c, 4); if (!rm) return null; room(c, 1); writeMem(c, rm.off, le(randF32(c.r), 4)); return { bytes: encMem(c, [0xd9], 0, rm), ...LOAD }; });
form('fld m64fp', 'load', {}, (c) => { const rm = mem(c, 8); if (!rm) return null; room(c, 1); writeMem(c, rm.off, le(randF64(c.r), 8)); return { bytes: encMem(c, [0xdd], 0, rm), ...LOAD }; });
form('fld m80fp', 'load', {}, (c) => { const rm = mem(c, 10); if (!rm) return null; room(c, 1); writeMem(c, rm.off, f80Bytes(randF80(c.r))); return { bytes: encMem(c, [0xdb], 5, rm), ...LOAD }; });
form('fild m16int', 'load', {}, (c) => { const rm = mem(c, 2); if (!rm) return null; room(c, 1); writeMem(c, rm.off, le(interesting(c.r, 16), 2)); return { bytes: encMem(c, [0xdf], 0, rm), ...LOAD }; });
form('fild m32int', 'load', {}, (c) => { const rm = mem(c, 4); if (!rm) return null; room(c, 1); writeMem(c, rm.off, le(interesting(c.r, 32), 4)); return { bytes: encMem(c, [0xdb], 0, rm), ...LOAD }; });
form('fild m64int', 'load', {}, (c) => { const rm = mem(c, 8); if (!rm) return null; room(c, 1); writeMem(c, rm.off, le(interesting(c.r, 64), 8)); return { bytes: encMem(c, [0xdf], 5, rm), ...LOAD }; });
form('fld st(i)', 'load', {}, (c) => { const i = c.r.int(8); room(c, 1); want(c, i); return { bytes: encReg(c, 0xd9, 0xc0 | i), ...LOAD }; });
form('fbld m80bcd', 'bcd', { seq: false }, (c) => { const rm = mem(c, 10); if (!rm) return null; room(c, 1); writeMem(c, rm.off, bcdBytes(c.r)); return { bytes: encMem(c, [0xdf], 4, rm), ...LOAD }; });
for (const [k, mn] of [[0, 'fld1'], [1, 'fldl2t'], [2, 'fldl2e'], [3, 'fldpi'], [4, 'fldlg2'], [5, 'fldln2'], [6, 'fldz']] as [number, string][]) {
  form(mn, 'constant', {}, (c) => { room(c, 1); return { bytes: encReg(c, 0xd9, 0xe8 | k), ...LOAD }; });
}

// stores
const STORE = { ccDef: C1, ccUndef: C0 | C2 | C3 };
function storeValue(c: Ctx, kind: string): void {
  if (kind.includes('int')) want(c, 0, () => (c.r.bool(0.5) ? intValue(c.r) : c.r.bool(0.5) ? nearInteger(c.r) : randF80(c.r)));
  else want(c, 0);
}
for (const [op, d, mn, size] of [
  [0xd9, 2, 'fst m32fp', 4], [0xd9, 3, 'fstp m32fp', 4], [0xdd, 2, 'fst m64fp', 8], [0xdd, 3, 'fstp m64fp', 8], [0xdb, 7, 'fstp m80fp', 10],
  [0xdf, 2, 'fist m16int', 2], [0xdf, 3, 'fistp m16int', 2], [0xdb, 2, 'fist m32int', 4], [0xdb, 3, 'fistp m32int', 4], [0xdf, 7, 'fistp m64int', 8],
  [0xdf, 1, 'fisttp m16int', 2], [0xdb, 1, 'fisttp m32int', 4], [0xdd, 1, 'fisttp m64int', 8],
] as [number, number, string, number][]) {
  form(mn, 'store', {}, (c) => {
    const rm = mem(c, size);
    if (!rm) return null;
    storeValue(c, mn);
    return { bytes: encMem(c, [op], d, rm), ...STORE };
  });
}
form('fbstp m80bcd', 'bcd', { seq: false }, (c) => {
  const rm = mem(c, 10);
  if (!rm) return null;
  want(c, 0, () => (c.r.bool(0.6) ? fromBig(c.r.int(2), c.r.bits(c.r.range(1, 62)), c.r.pick([0, 0, 1, 2])) : randF80(c.r)));
  return { bytes: encMem(c, [0xdf], 6, rm), ...STORE };
});
form('fst st(i)', 'store', {}, (c) => { const i = c.r.int(8); want(c, 0); return { bytes: encReg(c, 0xdd, 0xd0 | i), ...STORE }; });
form('fstp st(i)', 'store', {}, (c) => { const i = c.r.int(8); want(c, 0); return { bytes: encReg(c, 0xdd, 0xd8 | i), ...STORE }; });

// one-operand and stack operations
const ONE = { ccDef: C1, ccUndef: C0 | C2 | C3 };
form('fchs', 'misc', {}, (c) => { want(c, 0); return { bytes: encReg(c, 0xd9, 0xe0), ...ONE }; });
form('fabs', 'misc', {}, (c) => { want(c, 0); return { bytes: encReg(c, 0xd9, 0xe1), ...ONE }; });
form('fsqrt', 'arith', {}, (c) => { want(c, 0); return { bytes: encReg(c, 0xd9, 0xfa), ...ONE }; });
form('frndint', 'arith', {}, (c) => { want(c, 0, () => (c.r.bool(0.6) ? nearInteger(c.r) : randF80(c.r))); return { bytes: encReg(c, 0xd9, 0xfc), ...ONE }; });
form('fscale', 'arith', {}, (c) => {
  want(c, 0);
  want(c, 1, () => {
    const r = c.r;
    const q = r.int(5);
    if (q === 0) return fromBig(r.int(2), BigInt(r.range(0, 80)), 0);
    if (q === 1) return fromBig(r.int(2), BigInt(r.range(1, 200)), r.range(0, 3));
    if (q === 2) return fromBig(r.int(2), (1n << BigInt(r.range(13, 17))) + BigInt(r.range(-2, 2)), 0);
    if (q === 3) return nearInteger(r);
    return randF80(r);
  });
  return { bytes: encReg(c, 0xd9, 0xfd), ...ONE };
});
form('fxtract', 'arith', {}, (c) => { room(c, 1); want(c, 0); return { bytes: encReg(c, 0xd9, 0xf4), ccDef: C1, ccUndef: C0 | C2 | C3 }; });
for (const [mn, modrm] of [['fprem', 0xf8], ['fprem1', 0xf5]] as [string, number][]) {
  form(mn, 'arith', {}, (c) => {
    const r = c.r;
    if (c.first && r.bool(0.7)) {
      const b = mk(r.int(2), BIAS + r.range(-20, 20), randMant(r));
      setSt(c.x, 1, b);
      setSt(c.x, 0, mk(r.int(2), (b.se & 0x7fff) + r.range(-3, 90), randMant(r)));
    } else { want(c, 0); want(c, 1); }
    // C0, C3 (and C1) hold quotient bits, which a NaN, infinite or empty operand or a zero divisor
    // does not have: undefined then (the SDM gives no value). In a sequence the operands are unknown.
    if (!c.first) return { bytes: encReg(c, 0xd9, modrm), ccDef: C2, ccUndef: C0 | C1 | C3 };
    const x = c.x;
    const noQuotient = !isValid(x, 0) || !isValid(x, 1) || !isFiniteNumber(x.st[0]) || !isFiniteNumber(x.st[1]) || isZero(x.st[1]);
    return { bytes: encReg(c, 0xd9, modrm), ccDef: noQuotient ? C1 | C2 : CC, ccUndef: noQuotient ? C0 | C3 : 0 };
  });
}
form('fxch st(i)', 'misc', {}, (c) => { const i = c.r.int(8); want(c, 0); want(c, i); return { bytes: encReg(c, 0xd9, 0xc8 | i), ...ONE }; });
form('ffree st(i)', 'misc', { numeric: false }, (c) => ({ bytes: encReg(c, 0xdd, 0xc0 | c.r.int(8)), ...NONE }));
form('fincstp', 'misc', { numeric: false }, (c) => ({ bytes: encReg(c, 0xd9, 0xf7), ...ONE }));
form('fdecstp', 'misc', { numeric: false }, (c) => ({ bytes: encReg(c, 0xd9, 0xf6), ...ONE }));
form('fnop', 'misc', { numeric: false }, (c) => ({ bytes: encReg(c, 0xd9, 0xd0), ...NONE }));
form('fwait', 'misc', { numeric: false }, () => ({ bytes: [0x9b], ...NONE }));

// transcendental (compared within 2 ulps)
form('f2xm1', 'transcendental', { seq: false }, (c) => {
  want(c, 0, () => {
    const r = c.r;
    const p = r.int(10);
    if (p < 7) return mk(r.int(2), BIAS - 1 - r.int(p < 2 ? 70 : 12), randMant(r)); // |x| < 1
    if (p < 8) return mk(r.int(2), BIAS, J); // +-1
    const v = randF80(r); // the specials; a finite |x| > 1 is undefined
    const e = v.se & 0x7fff;
    return e >= BIAS && e < 0x7fff ? mk(v.se >> 15, BIAS - 1, v.mant | J) : v;
  });
  return { bytes: encReg(c, 0xd9, 0xf0), ...TRANS, approx: 1 };
});
form('fyl2x', 'transcendental', { seq: false }, (c) => {
  want(c, 0, () => {
    const r = c.r;
    const p = r.int(10);
    if (p < 6) return mk(0, BIAS + r.range(-70, 70), randMant(r));
    if (p < 7) return mk(0, BIAS + r.range(-3, 3), r.bool() ? J : M64 - BigInt(r.int(3)));
    return randF80(r);
  });
  want(c, 1);
  return { bytes: encReg(c, 0xd9, 0xf1), ...TRANS, approx: 1 };
});
form('fyl2xp1', 'transcendental', { seq: false }, (c) => {
  want(c, 0, () => {
    const r = c.r;
    if (r.bool(0.8)) return mk(r.int(2), BIAS - 3 - r.int(r.bool(0.3) ? 70 : 10), randMant(r)); // |x| < 1/4 (the domain is |x| < 1 - sqrt(2)/2)
    const v = randF80(r);
    const e = v.se & 0x7fff;
    return (e >= BIAS - 2 && e <= 0x7fff && !(e === 0x7fff && (v.mant & ~J) !== 0n)) ? mk(v.se >> 15, BIAS - 3, v.mant | J) : v;
  });
  want(c, 1);
  return { bytes: encReg(c, 0xd9, 0xf9), ...TRANS, approx: 1 };
});
form('fpatan', 'transcendental', { seq: false }, (c) => { want(c, 0); want(c, 1); return { bytes: encReg(c, 0xd9, 0xf3), ...TRANS, approx: 1 }; });
form('fptan', 'transcendental', { seq: false }, (c) => { room(c, 1); want(c, 0, () => angle(c.r)); return { bytes: encReg(c, 0xd9, 0xf2), ...TRIG, approx: 3 }; });
form('fsin', 'transcendental', { seq: false }, (c) => { want(c, 0, () => angle(c.r)); return { bytes: encReg(c, 0xd9, 0xfe), ...TRIG, approx: 1 }; });
form('fcos', 'transcendental', { seq: false }, (c) => { want(c, 0, () => angle(c.r)); return { bytes: encReg(c, 0xd9, 0xff), ...TRIG, approx: 1 }; });
form('fsincos', 'transcendental', { seq: false }, (c) => { room(c, 1); want(c, 0, () => angle(c.r)); return { bytes: encReg(c, 0xd9, 0xfb), ...TRIG, approx: 3 }; });

// control and status
function cwValue(r: Rng): number {
  if (r.bool(0.2)) return r.int(0x10000);
  let cw = randomFcw(r);
  if (r.bool(0.3)) cw &= ~(r.int(64));
  if (r.bool(0.2)) cw &= ~0x40;
  return cw;
}
form('fnstsw ax', 'control', { waiting: false, numeric: false, readsCC: true }, () => ({ bytes: [0xdf, 0xe0], ...NONE, wregs: 1 }));
form('fnstsw m16', 'control', { waiting: false, numeric: false, readsCC: true }, (c) => { const rm = mem(c, 2); return rm && { bytes: encMem(c, [0xdd], 7, rm), ...NONE }; });
form('fnstcw m16', 'control', { waiting: false, numeric: false }, (c) => { const rm = mem(c, 2); return rm && { bytes: encMem(c, [0xd9], 7, rm), ...NONE }; });
form('fnclex', 'control', { waiting: false, numeric: false }, () => ({ bytes: [0xdb, 0xe2], ...NONE }));
form('fninit', 'control', { waiting: false, numeric: false }, () => ({ bytes: [0xdb, 0xe3], ccDef: CC, ccUndef: 0 }));
form('fstsw ax', 'control', { numeric: false, readsCC: true }, () => ({ bytes: [0x9b, 0xdf, 0xe0], ...NONE, wregs: 1 }));
form('fclex', 'control', { numeric: false }, () => ({ bytes: [0x9b, 0xdb, 0xe2], ...NONE }));
form('fldcw m16', 'control', { seq: false, numeric: false }, (c) => {
  const rm = mem(c, 2);
  if (!rm) return null;
  writeMem(c, rm.off, le(cwValue(c.r), 2));
  return { bytes: encMem(c, [0xd9], 5, rm), ...NONE };
});

/** A 28-byte protected-mode environment image (o16: the 14-byte 16-bit one). */
function envBytes(c: Ctx, o16: boolean): number[] {
  const r = c.r;
  const cw = cwValue(r) & (r.bool(0.8) ? 0x1f7f : 0xffff);
  let sw = r.int(0x10000);
  if (r.bool(0.8)) { sw &= ~0x8080; if (sw & ~cw & 0x3f) sw |= 0x8080; }
  const tw = r.bool(0.5) ? r.int(0x10000) : 0xffff & ~(((1 << (2 * r.int(9))) - 1) & 0xaaaa);
  const words = [cw, sw, tw, r.int(0x10000), r.int(0x10000), r.int(0x10000), r.int(0x10000)];
  if (o16) return words.flatMap((w) => le(w, 2));
  return words.flatMap((w) => le((r.bool(0.5) ? 0xffff0000 : r.u32() & 0xffff0000) | w, 4));
}
form('fnstenv m28', 'environment', { seq: false, waiting: false, numeric: false }, (c) => { const rm = mem(c, 28); return rm && { bytes: encMem(c, [0xd9], 6, rm), ...NONE }; });
form('fstenv m28', 'environment', { seq: false, numeric: false }, (c) => { const rm = mem(c, 28); return rm && { bytes: [0x9b, ...encMem(c, [0xd9], 6, rm, undefined, 1)], ...NONE }; });
form('fldenv m28', 'environment', { seq: false, numeric: false }, (c) => {
  const rm = mem(c, 28);
  if (!rm) return null;
  writeMem(c, rm.off, envBytes(c, false));
  return { bytes: encMem(c, [0xd9], 4, rm), ccDef: CC, ccUndef: 0 };
});
form('fnsave m108', 'environment', { seq: false, waiting: false, numeric: false }, (c) => {
  const off = c.r.int(192 - 108 + 1);
  const rm = memAt(c, off, 108);
  return rm && { bytes: encMem(c, [0xdd], 6, rm), ccDef: CC, ccUndef: 0 };
});
form('frstor m108', 'environment', { seq: false, numeric: false }, (c) => {
  const off = c.r.int(192 - 108 + 1);
  const rm = memAt(c, off, 108);
  if (!rm) return null;
  writeMem(c, off, [...envBytes(c, false), ...Array.from({ length: 8 }, () => f80Bytes(randF80(c.r))).flat()]);
  return { bytes: encMem(c, [0xdd], 4, rm), ccDef: CC, ccUndef: 0 };
});
form('fnstenv m14 (o16)', 'environment o16', { seq: false, waiting: false, numeric: false, weight: 0.3 }, (c) => { const rm = mem(c, 14); return rm && { bytes: encMem(c, [0xd9], 6, rm, [0x66]), ...NONE }; });
form('fldenv m14 (o16)', 'environment o16', { seq: false, numeric: false, weight: 0.3 }, (c) => {
  const rm = mem(c, 14);
  if (!rm) return null;
  writeMem(c, rm.off, envBytes(c, true));
  return { bytes: encMem(c, [0xd9], 4, rm, [0x66]), ccDef: CC, ccUndef: 0 };
});
form('fxsave m512', 'fxsave', { seq: false, waiting: false, numeric: false, weight: 0.5 }, (c) => {
  const rm = memAt(c, 16 * c.r.int(3), 512);
  return rm && { bytes: encMem(c, [0x0f, 0xae], 0, rm), ccDef: 0, ccUndef: 0 };
});
form('fxrstor m512', 'fxsave', { seq: false, waiting: false, numeric: false, weight: 0.5 }, (c) => {
  const off = 16 * c.r.int(3);
  const rm = memAt(c, off, 512);
  if (!rm) return null;
  const r = c.r;
  const img: number[] = [];
  const cw = randomFcw(r) & ~(r.bool(0.3) ? r.int(64) : 0);
  let sw = r.int(0x10000) & ~0x8080;
  if (sw & ~cw & 0x3f) sw |= 0x8080;
  img.push(...le(cw, 2), ...le(sw, 2), r.int(256), 0, ...le(r.int(0x800), 2));
  img.push(...le(r.u64(), 8), ...le(r.u64(), 8), ...le(0x1f80, 4), ...le(0xffff, 4));
  for (let k = 0; k < 8; k++) img.push(...f80Bytes(randF80(r)), ...Array.from({ length: 6 }, () => r.int(256)));
  writeMem(c, off, img.slice(0, 192 - off));
  return { bytes: encMem(c, [0x0f, 0xae], 1, rm), ccDef: CC, ccUndef: 0 };
});

// undocumented aliases (SDM: reserved) and no-ops of the 8087/287
for (const [op, base, mn, gen] of [
  [0xd9, 0xd8, 'fstp1 st(i) (D9 D8+i)', STORE], [0xdc, 0xd0, 'fcom2 st(i) (DC D0+i)', COMPARE], [0xdc, 0xd8, 'fcomp3 st(i) (DC D8+i)', COMPARE],
  [0xdd, 0xc8, 'fxch4 st(i) (DD C8+i)', ONE], [0xde, 0xd0, 'fcomp5 st(i) (DE D0+i)', COMPARE], [0xdf, 0xc8, 'fxch7 st(i) (DF C8+i)', ONE],
  [0xdf, 0xd0, 'fstp8 st(i) (DF D0+i)', STORE], [0xdf, 0xd8, 'fstp9 st(i) (DF D8+i)', STORE], [0xdf, 0xc0, 'ffreep st(i) (DF C0+i)', NONE],
] as [number, number, string, { ccDef: number; ccUndef: number }][]) {
  form(mn, 'alias', { seq: false, weight: 0.4 }, (c) => { const i = c.r.int(8); want(c, 0); want(c, i); return { bytes: encReg(c, op, base | i), ...gen }; });
}
form('fneni/fndisi/fnsetpm (DB E0/E1/E4)', 'alias', { seq: false, waiting: false, numeric: false, weight: 0.4 }, (c) => ({ bytes: [0xdb, c.r.pick([0xe0, 0xe1, 0xe4])], ...NONE }));
form('reserved x87 encodings', 'reserved', { seq: false, numeric: false, weight: 0.4 }, (c) => {
  const pick = c.r.pick([
    [0xd9, 0xd1 + c.r.int(7)], [0xd9, c.r.pick([0xe2, 0xe3, 0xe6, 0xe7, 0xef])], [0xda, 0xe0 + c.r.int(8)], [0xda, 0xe8], [0xda, 0xea + c.r.int(6)],
    [0xda, 0xf0 + c.r.int(16)], [0xdb, 0xe5 + c.r.int(3)], [0xdb, 0xf8 + c.r.int(8)], [0xdd, 0xf0 + c.r.int(16)], [0xde, 0xd8 + c.r.pick([0, 2, 3, 4, 5, 6, 7])],
    [0xdf, 0xe1 + c.r.int(7)], [0xdf, 0xf8 + c.r.int(8)],
  ]);
  return { bytes: pick, ...NONE };
});

// a pending unmasked exception delivered by a waiting instruction (#MF)
export const PENDING_MF = 'fwait with a pending unmasked exception (#MF)';
form(PENDING_MF, '#MF', { seq: false, waiting: false, numeric: false, weight: 0.2 }, () => ({ bytes: [0x9b], ...NONE }));

