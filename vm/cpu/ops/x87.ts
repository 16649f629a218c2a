// The x87 FPU (D8-DF): the register stack with its tag word, loads and stores of every memory
// format, arithmetic, compares (fcom/fucom to the status word, fcomi/fucomi to EFLAGS), fcmov,
// the constants, transcendental instructions, and the control/status/environment instructions.
// The arithmetic is vm/cpu/x87/float80.ts: true 80-bit extended precision (SDM Vol. 1, chapter 8).

import type { Cpu } from '../cpu.js';
import { defOp, Imm } from '../decoder.js';
import { CF, cond, FlagOp, getRflags, PF, ZF, AF, OF, SF } from '../flags.js';
import type { Insn } from '../insn.js';
import { Vector } from '../exception.js';
import { Slot } from '../../regfile.js';
import {
  CMP_EQUAL, CMP_LESS, CMP_UNORDERED, F80, FLAG_IE, FLAG_OE, FLAG_PE, FLAG_UE, SW_C0, SW_C1, SW_C2, SW_C3, SW_CC,
  f80Abs, f80Add, f80Compare, f80Div, f80Examine, f80Extract, f80FromFloat32, f80FromFloat64, f80FromInt32,
  f80FromInt64, f80LoadConstant, f80Mul, f80Neg, f80Prem, f80Prem1, f80RoundToInt, f80Scale, f80Sqrt, f80Sub,
  f80ToFloat32, f80ToFloat64, f80ToInt, mergeMemoryOperandFlags, setIndefinite, setRangeTraps,
} from '../x87/float80.js';
import { f80Cos, f80F2xm1, f80Patan, f80Sin, f80SinCos, f80Tan, f80Yl2x, f80Yl2xp1 } from '../x87/transcendental.js';

const FSW = Slot.FSW, FCW = Slot.FCW, FTW = Slot.FTW, ST = Slot.ST;
/** Stack fault: IE together with SF (SDM Vol. 1, 8.5.1.1); C1 tells overflow (1) from underflow (0). */
const SW_SF = 0x40;
const SW_ES = 0x80, SW_B = 0x8000;

// Scratch values: the FPU never allocates per instruction.
const va = new F80(), vb = new F80(), vr = new F80(), vr2 = new F80();

function top(c: Cpu): number { return (c.r[FSW] >> 11) & 7; }
function setTop(c: Cpu, t: number): void { c.r[FSW] = (c.r[FSW] & ~0x3800) | ((t & 7) << 11); }
function physOf(c: Cpu, i: number): number { return (top(c) + i) & 7; }
function emptyPhys(c: Cpu, p: number): boolean { return ((c.r[FTW] >> p) & 1) === 0; }

function readPhys(c: Cpu, p: number, out: F80): void {
  const s = ST + 4 * p;
  out.lo = c.r[s]; out.hi = c.r[s + 1]; out.se = c.r[s + 2] & 0xffff;
}
function writePhys(c: Cpu, p: number, v: F80): void {
  const s = ST + 4 * p;
  c.r[s] = v.lo; c.r[s + 1] = v.hi; c.r[s + 2] = v.se & 0xffff;
  c.r[FTW] |= 1 << p;
}

/**
 * Merges an operation's result word (flags in bits 0-5, condition codes in C0-C3) into FSW.
 * Returns false when an unmasked invalid, denormal or zero-divide exception forbids writing the
 * destination (the #MF itself is not modelled as a trap: glibc runs with all exceptions masked).
 */
function status(c: Cpu, res: number): boolean {
  let flags = res & 0x7f, cc = res & SW_CC;
  const unmasked = flags & ~c.r[FCW] & 0x3f;
  // An unmasked invalid, denormal or zero-divide suppresses the operation: none of its other
  // flags or condition codes are reported.
  if (unmasked & 0x07) {
    flags &= 0x07 | SW_SF;
    if (!(flags & SW_SF)) cc &= ~SW_C1; // no rounding happened; a stack fault keeps its C1
  }
  let sw = (c.r[FSW] & ~SW_CC) | cc | flags;
  if (unmasked) sw |= SW_ES | SW_B;
  c.r[FSW] = sw;
  return (unmasked & 0x07) === 0;
}

/** Recomputes ES and B after the control word or the flags changed (fldcw, fnstenv, fldenv). */
function updateSummary(c: Cpu): void {
  if (c.r[FSW] & ~c.r[FCW] & 0x3f) c.r[FSW] |= SW_ES | SW_B;
  else c.r[FSW] &= ~(SW_ES | SW_B);
}

/** Loads the control word: reserved bits read as the hardware keeps them (bit 6 set). */
function setControlWord(c: Cpu, v: number): void {
  c.r[FCW] = (v & 0x1f3f) | 0x40;
  updateSummary(c);
}

/** ST(i) into out; on an empty register, reports stack underflow and returns false. */
function loadSt(c: Cpu, i: number, out: F80): boolean {
  const p = physOf(c, i);
  if (emptyPhys(c, p)) return false;
  readPhys(c, p, out);
  return true;
}

/** Stack underflow: IE|SF with C1=0; with IE masked the destination gets the real indefinite. */
function underflow(c: Cpu, destI: number, popAfter: boolean, cc = 0): void {
  if (!status(c, FLAG_IE | SW_SF | cc)) return; // unmasked: nothing changes, not even the stack
  setIndefinite(vr);
  if (destI >= 0) writePhys(c, physOf(c, destI), vr);
  if (popAfter) pop(c);
}

function push(c: Cpu, v: F80): void {
  const t = (top(c) - 1) & 7;
  if (!emptyPhys(c, t)) {
    // Stack overflow: IE|SF with C1=1; masked, the indefinite is pushed.
    if (!status(c, FLAG_IE | SW_SF | SW_C1)) return;
    setIndefinite(v);
  }
  setTop(c, t);
  writePhys(c, t, v);
}

function pop(c: Cpu): void {
  const t = top(c);
  c.r[FTW] &= ~(1 << t);
  setTop(c, t + 1);
}

function setSt(c: Cpu, i: number, v: F80): void { writePhys(c, physOf(c, i), v); }

// --- memory operand formats --------------------------------------------------------------------

const enum Fmt { F32 = 0, I32 = 1, F64 = 2, I16 = 3 }

/** Reads a memory operand of D8/DA/DC/DE into out; returns the conversion flags. */
function loadMem(c: Cpu, a: number, fmt: Fmt, out: F80): number {
  switch (fmt) {
    case Fmt.F32: return f80FromFloat32(c.m.read32(a), out, true);
    case Fmt.F64: { const lo = c.m.read32(a); return f80FromFloat64(lo, c.m.read32(a + 4), out, true); }
    case Fmt.I32: f80FromInt32(c.m.read32(a), out); return 0;
    default: f80FromInt32((c.m.read16(a) << 16) >> 16, out); return 0;
  }
}

// --- arithmetic ----------------------------------------------------------------------------

/** The basic operation by ModRM digit: 0 add, 1 mul, 4 sub, 5 subr, 6 div, 7 divr (of a and b). */
function arith(digit: number, a: F80, b: F80, cw: number, out: F80): number {
  switch (digit) {
    case 0: return f80Add(a, b, cw, out);
    case 1: return f80Mul(a, b, cw, out);
    case 4: return f80Sub(a, b, cw, out);
    case 5: return f80Sub(b, a, cw, out);
    case 6: return f80Div(a, b, cw, out);
    default: return f80Div(b, a, cw, out);
  }
}

/** fcom/fcomp (digit 2/3) results into C0/C2/C3. */
function compareToSw(c: Cpu, res: number): boolean {
  return status(c, res & ~SW_C1);
}

/** D8, DA, DC, DE with a memory operand: ST0 = ST0 op m (or compare). */
function arithMem(c: Cpu, i: Insn): void {
  const digit = i.reg & 7;
  const fmt: Fmt = i.op === 0xd8 ? Fmt.F32 : i.op === 0xdc ? Fmt.F64 : i.op === 0xda ? Fmt.I32 : Fmt.I16;
  const conv = loadMem(c, i.ea(c, i), fmt, vb);
  const isCompare = digit === 2 || digit === 3;
  if (!loadSt(c, 0, va)) { underflow(c, isCompare ? -1 : 0, digit === 3, isCompare ? CMP_UNORDERED : 0); return; }
  if (isCompare) {
    if (compareToSw(c, mergeMemoryOperandFlags(conv, va, f80Compare(va, vb, false))) && digit === 3) pop(c);
    return;
  }
  const res = arith(digit, va, vb, c.r[FCW], vr);
  if (status(c, mergeMemoryOperandFlags(conv, va, res))) setSt(c, 0, vr);
}

/** D8 /r: ST0 = ST0 op ST(i); DC /r: ST(i) = ST0 op ST(i) (reversed sense); DE: then pop. */
function arithReg(c: Cpu, i: Insn): void {
  const digit = i.reg & 7, k = i.rm & 7;
  const toSti = i.op !== 0xd8;
  const popAfter = i.op === 0xde;
  if (digit === 2 || digit === 3) { // fcom/fcomp st(i) (DC/DE aliases behave alike)
    if (!loadSt(c, 0, va) || !loadSt(c, k, vb)) { underflow(c, -1, digit === 3 || popAfter, CMP_UNORDERED); return; }
    if (compareToSw(c, f80Compare(va, vb, false)) && (digit === 3 || popAfter)) pop(c);
    return;
  }
  if (!loadSt(c, 0, va) || !loadSt(c, k, vb)) { underflow(c, toSti ? k : 0, popAfter); return; }
  // D8: dest ST0, st0 op sti. DC/DE: dest ST(i), and /4../7 name the operation from ST(i)'s side.
  const d = toSti ? (digit >= 4 ? digit ^ 1 : digit) : digit;
  const res = toSti ? arith(d, vb, va, c.r[FCW], vr) : arith(d, va, vb, c.r[FCW], vr);
  if (!status(c, res)) return;
  setSt(c, toSti ? k : 0, vr);
  if (popAfter) pop(c);
}

// --- loads and stores ------------------------------------------------------------------------

function fldMem(c: Cpu, i: Insn, fmt: 'f32' | 'f64' | 'f80' | 'i16' | 'i32' | 'i64'): void {
  const a = i.ea(c, i);
  let flags = 0;
  switch (fmt) {
    case 'f32': flags = f80FromFloat32(c.m.read32(a), vr); break;
    case 'f64': { const lo = c.m.read32(a); flags = f80FromFloat64(lo, c.m.read32(a + 4), vr); break; }
    case 'f80': vr.lo = c.m.read32(a); vr.hi = c.m.read32(a + 4); vr.se = c.m.read16(a + 8); break;
    case 'i16': f80FromInt32((c.m.read16(a) << 16) >> 16, vr); break;
    case 'i32': f80FromInt32(c.m.read32(a), vr); break;
    case 'i64': { const lo = c.m.read32(a); f80FromInt64(lo, c.m.read32(a + 4), vr); break; }
  }
  // A full stack is the fault reported: the operand's own exceptions (DE) are not.
  if (!emptyPhys(c, (top(c) - 1) & 7)) flags = 0;
  // A denormal source is still loaded when DE is unmasked (the exception is reported after the
  // load); only an invalid operand (an SNaN) with IE unmasked stops it.
  if (!status(c, flags) && (flags & ~c.r[FCW] & FLAG_IE)) return;
  push(c, vr);
}

function fstMem(c: Cpu, i: Insn, fmt: 'f32' | 'f64' | 'f80' | 'i16' | 'i32' | 'i64', popAfter: boolean, truncate = false): void {
  const a = i.ea(c, i);
  const cw = c.r[FCW];
  let res: number;
  if (!loadSt(c, 0, va)) {
    // Underflow: masked IE stores the indefinite of the destination format.
    if (!status(c, FLAG_IE | SW_SF)) return;
    setIndefinite(va);
  }
  switch (fmt) {
    case 'f32': res = f80ToFloat32(va, cw, vr); if (!storeStatus(c, cw, res, ((vr.lo >>> 23) & 0xff) === 0)) return; c.m.write32(a, vr.lo); break;
    case 'f64': res = f80ToFloat64(va, cw, vr); if (!storeStatus(c, cw, res, ((vr.hi >>> 20) & 0x7ff) === 0)) return; c.m.write64(a, vr.lo, vr.hi); break;
    case 'f80': c.m.checkWritable(a, 10); c.m.write64(a, va.lo, va.hi); c.m.write16(a + 8, va.se); c.r[FSW] &= ~SW_C1; break;
    case 'i16': res = f80ToInt(va, cw, 16, truncate, vr); if (!status(c, res)) return; c.m.write16(a, vr.lo); break;
    case 'i32': res = f80ToInt(va, cw, 32, truncate, vr); if (!status(c, res)) return; c.m.write32(a, vr.lo); break;
    case 'i64': res = f80ToInt(va, cw, 64, truncate, vr); if (!status(c, res)) return; c.m.write64(a, vr.lo, vr.hi); break;
  }
  if (popAfter) pop(c);
}

/**
 * Status of a float store to memory (`va` the value, `resultTiny` whether the converted result is
 * denormal or zero). An unmasked overflow or underflow stores nothing and pops
 * nothing, and reports no rounding (PE, C1) for the value that was not stored (SDM Vol. 1,
 * 8.5.4-8.5.5). Returns whether the store goes ahead.
 */
function storeStatus(c: Cpu, cw: number, res: number, resultTiny: boolean): boolean {
  // With UE unmasked, a tiny result underflows even when it is exact.
  const finiteNonzero = (va.se & 0x7fff) !== 0x7fff && (va.hi | va.lo) !== 0;
  if (!(cw & FLAG_UE) && resultTiny && finiteNonzero) res |= FLAG_UE;
  if (res & ~cw & (FLAG_OE | FLAG_UE)) {
    status(c, res & ~(FLAG_PE | SW_C1));
    return false;
  }
  return status(c, res);
}

// --- environment ---------------------------------------------------------------------------

/** The full 2-bit-per-register tag word from the abridged one (SDM Vol. 1, 8.1.7). */
function fullTagWord(c: Cpu): number {
  let tw = 0;
  for (let p = 0; p < 8; p++) {
    let tag = 3;
    if (!emptyPhys(c, p)) {
      readPhys(c, p, vr2);
      const exp = vr2.se & 0x7fff;
      if (exp === 0x7fff || (exp === 0 && (vr2.hi | vr2.lo) !== 0) || (exp !== 0 && vr2.hi >= 0)) tag = 2;
      else if (exp === 0) tag = 1;
      else tag = 0;
    }
    tw |= tag << (2 * p);
  }
  return tw;
}

/**
 * fnstenv: the protected-mode environment, 28 bytes (or 14 with a 0x66 prefix: 16-bit fields);
 * instruction and operand pointers read as zero. The caller then masks all exceptions.
 */
function fnstenv(c: Cpu, a: number, o16: boolean): void {
  if (o16) {
    c.m.checkWritable(a, 14);
    c.m.write16(a, c.r[FCW]); c.m.write16(a + 2, c.r[FSW]); c.m.write16(a + 4, fullTagWord(c));
    for (let off = 6; off < 14; off += 2) c.m.write16(a + off, 0);
    return;
  }
  c.m.checkWritable(a, 28);
  c.m.write32(a, c.r[FCW] | 0xffff0000);
  c.m.write32(a + 4, c.r[FSW] | 0xffff0000);
  c.m.write32(a + 8, fullTagWord(c) | 0xffff0000);
  c.m.write32(a + 12, 0); c.m.write32(a + 16, 0); c.m.write32(a + 20, 0); c.m.write32(a + 24, 0xffff0000);
}

function fldenv(c: Cpu, a: number, o16: boolean): void {
  const stride = o16 ? 2 : 4;
  const cw = c.m.read16(a), sw = c.m.read16(a + stride), tw = c.m.read16(a + 2 * stride);
  c.r[FCW] = (cw & 0x1f3f) | 0x40;
  c.r[FSW] = sw;
  let abridged = 0;
  for (let p = 0; p < 8; p++) if (((tw >> (2 * p)) & 3) !== 3) abridged |= 1 << p;
  c.r[FTW] = abridged;
  updateSummary(c); // a pending unmasked exception is re-armed in ES/B
}

export function fninit(c: Cpu): void {
  c.r[FCW] = 0x037f; c.r[FSW] = 0; c.r[FTW] = 0; c.r[Slot.FOP] = 0;
}

/** fnsave: the environment, then ST(0)..ST(7) as 10-byte values; then fninit. */
function fnsave(c: Cpu, a: number, o16: boolean): void {
  const env = o16 ? 14 : 28;
  c.m.checkWritable(a, env + 80);
  fnstenv(c, a, o16);
  for (let k = 0; k < 8; k++) {
    readPhys(c, physOf(c, k), vr);
    c.m.write64(a + env + 10 * k, vr.lo, vr.hi);
    c.m.write16(a + env + 8 + 10 * k, vr.se);
  }
  fninit(c);
}

function frstor(c: Cpu, a: number, o16: boolean): void {
  const env = o16 ? 14 : 28;
  fldenv(c, a, o16);
  for (let k = 0; k < 8; k++) {
    vr.lo = c.m.read32(a + env + 10 * k); vr.hi = c.m.read32(a + env + 4 + 10 * k); vr.se = c.m.read16(a + env + 8 + 10 * k);
    const p = physOf(c, k);
    const s = ST + 4 * p;
    c.r[s] = vr.lo; c.r[s + 1] = vr.hi; c.r[s + 2] = vr.se;
  }
}

// --- packed BCD (fbld, fbstp): 18 decimal digits, two per byte, sign in bit 7 of byte 9 --------

const bcd = new Uint8Array(10);

/** Divides the 64-bit (hi, lo) by 10 in place on 16-bit limbs; returns the remainder. */
function divmod10(w: Uint32Array): number {
  let rem = 0;
  for (let k = 3; k >= 0; k--) {
    const cur = rem * 65536 + w[k];
    w[k] = Math.floor(cur / 10);
    rem = cur % 10;
  }
  return rem;
}
const limbs = new Uint32Array(4);

/** w = w * 10 + d on 16-bit limbs. */
function mul10add(w: Uint32Array, d: number): void {
  let carry = d;
  for (let k = 0; k < 4; k++) {
    const v = w[k] * 10 + carry;
    w[k] = v & 0xffff;
    carry = v >>> 16;
  }
}

function fbld(c: Cpu, i: Insn): void {
  const a = i.ea(c, i);
  for (let k = 0; k < 10; k++) bcd[k] = c.m.read8(a + k);
  limbs.fill(0);
  for (let k = 8; k >= 0; k--) { mul10add(limbs, bcd[k] >> 4); mul10add(limbs, bcd[k] & 15); }
  f80FromInt64(limbs[0] | (limbs[1] << 16), limbs[2] | (limbs[3] << 16), vr);
  if (bcd[9] & 0x80) vr.se |= 0x8000;
  c.r[FSW] &= ~SW_C1;
  push(c, vr);
}

function fbstp(c: Cpu, i: Insn): void {
  const a = i.ea(c, i);
  if (!loadSt(c, 0, va)) { if (!status(c, FLAG_IE | SW_SF)) return; setIndefinite(va); }
  const res = f80ToInt(va, c.r[FCW], 64, false, vr);
  let mag0 = vr.lo >>> 0, mag1 = vr.hi >>> 0;
  const neg = (vr.hi | 0) < 0;
  if (neg) { const n0 = (~mag0 >>> 0) + 1; mag0 = n0 >>> 0; mag1 = (~mag1 + (n0 > 0xffffffff ? 1 : 0)) >>> 0; }
  // |v| must be below 10^18 = 0x0DE0B6B3A7640000
  const tooBig = (res & FLAG_IE) !== 0 || mag1 > 0x0de0b6b3 || (mag1 === 0x0de0b6b3 && mag0 >= 0xa7640000);
  if (tooBig) {
    if (!status(c, FLAG_IE)) return; // out of range: invalid, with C1 clear
    c.m.checkWritable(a, 10);
    c.m.write64(a, 0, 0xc0000000 | 0); c.m.write16(a + 8, 0xffff); // the BCD indefinite
    pop(c);
    return;
  }
  if (!status(c, res)) return;
  limbs[0] = mag0 & 0xffff; limbs[1] = mag0 >>> 16; limbs[2] = mag1 & 0xffff; limbs[3] = mag1 >>> 16;
  for (let k = 0; k < 9; k++) { const d0 = divmod10(limbs), d1 = divmod10(limbs); bcd[k] = d0 | (d1 << 4); }
  bcd[9] = neg && (mag0 | mag1) !== 0 ? 0x80 : (va.se & 0x8000 ? 0x80 : 0);
  c.m.checkWritable(a, 10);
  for (let k = 0; k < 10; k++) c.m.write8(a + k, bcd[k]);
  pop(c);
}

// --- compares into EFLAGS, fcmov -----------------------------------------------------------

function fcomi(c: Cpu, i: Insn): void {
  const quiet = (i.reg & 7) === 5; // fucomi: E8+i; fcomi: F0+i
  const popAfter = i.op === 0xdf;
  let res: number;
  // fcomi reports through EFLAGS and leaves C0, C2 and C3 as they were.
  const keepCc = c.r[FSW] & (SW_C0 | SW_C2 | SW_C3 | SW_C1);
  let ok: boolean;
  if (!loadSt(c, 0, va) || !loadSt(c, i.rm & 7, vb)) {
    ok = status(c, FLAG_IE | SW_SF | keepCc);
    res = CMP_UNORDERED;
  } else {
    res = f80Compare(va, vb, quiet);
    ok = status(c, (res & 0x3f) | keepCc);
  }
  const cc = res & (SW_C0 | SW_C2 | SW_C3);
  let f = 0;
  if (cc === CMP_UNORDERED) f = ZF | PF | CF;
  else if (cc === CMP_EQUAL) f = ZF;
  else if (cc === CMP_LESS) f = CF;
  c.flags = (getRflags(c) & ~(ZF | PF | CF | OF | SF | AF)) | f;
  c.fop = FlagOp.EAGER;
  if (popAfter && ok) pop(c);
}

const FCMOV_CC = [2, 4, 6, 10]; // b, e, be, u (DA); DB: the negations
function fcmov(c: Cpu, i: Insn): void {
  let take = cond(c, FCMOV_CC[i.reg & 3]);
  if (i.op === 0xdb) take = !take;
  if (!loadSt(c, 0, va) || !loadSt(c, i.rm & 7, vb)) { underflow(c, 0, false); return; }
  if (take) setSt(c, 0, vb);
}

/**
 * fptan, fsincos and fxtract replace ST0 and push: an empty ST0 (underflow) or a full stack
 * (overflow, C1 = 1) is reported before anything is computed; masked, both ST0 and the new top
 * get the real indefinite; unmasked, nothing changes. Returns true when such a fault happened.
 */
function twoResultStackFault(c: Cpu): boolean {
  const t = top(c);
  const empty0 = emptyPhys(c, t), full = !emptyPhys(c, (t - 1) & 7);
  if (!empty0 && !full) return false;
  if (!status(c, FLAG_IE | SW_SF | (empty0 ? 0 : SW_C1))) return true;
  setIndefinite(vr);
  writePhys(c, t, vr);
  setTop(c, t - 1);
  writePhys(c, (t - 1) & 7, vr);
  return true;
}

function fxch(c: Cpu, k: number): void {
  const p0 = physOf(c, 0), pk = physOf(c, k);
  const e0 = emptyPhys(c, p0), ek = emptyPhys(c, pk);
  if (e0 || ek) {
    if (!status(c, FLAG_IE | SW_SF)) return;
    setIndefinite(vr);
    if (e0) writePhys(c, p0, vr);
    if (ek) writePhys(c, pk, vr);
  }
  readPhys(c, p0, va); readPhys(c, pk, vb);
  writePhys(c, p0, vb); writePhys(c, pk, va);
  c.r[FSW] &= ~SW_C1;
}

/** fst / fstp st(i). */
function fstSt(c: Cpu, k: number, popAfter: boolean): void {
  if (!loadSt(c, 0, va)) { underflow(c, k, popAfter); return; }
  c.r[FSW] &= ~SW_C1;
  setSt(c, k, va);
  if (popAfter) pop(c);
}

/**
 * fstp1 (D9 D8+i), the undocumented alias of fstp st(i), with one difference measured on Intel
 * hardware: an empty ST0 is no stack fault. Nothing is stored (ST(i) keeps its value and tag);
 * the stack is popped and C1 cleared.
 */
function fstp1(c: Cpu, k: number): void {
  if (!emptyPhys(c, physOf(c, 0))) { fstSt(c, k, true); return; }
  c.r[FSW] &= ~SW_C1;
  pop(c);
}

// --- D9: loads of constants and the one-operand functions -----------------------------------

/** fprem/fprem1 stopped by an unmasked invalid or denormal operand: C0 and C3 keep their values,
 *  C1 and C2 read 0 (measured on Intel hardware; the SDM gives no value). */
function premStatus(c: Cpu, res: number): number {
  if (!(res & ~c.r[FCW] & 0x07)) return res;
  return (res & ~SW_CC) | (c.r[FSW] & (SW_C0 | SW_C3));
}

function d9Reg(c: Cpu, i: Insn): void {
  const cw = c.r[FCW];
  const k = i.rm & 7;
  switch (i.reg & 7) {
    case 0: // fld st(i)
      if (!loadSt(c, k, vr)) {
        // An empty source is the fault reported, even if the push also finds the stack full.
        if (!status(c, FLAG_IE | SW_SF)) return;
        setIndefinite(vr);
        setTop(c, top(c) - 1);
        writePhys(c, top(c), vr);
        return;
      }
      c.r[FSW] &= ~SW_C1;
      push(c, vr);
      return;
    case 1: fxch(c, k); return;
    case 2: if (k !== 0) ud(c, i); return; // fnop; D9 D1-D7 are reserved
    case 3: fstp1(c, k); return;
  }
  const sub = i.rm & 7;
  switch (i.reg & 7) {
    case 4: {
      if (sub === 4) { // ftst: compare ST0 with +0
        if (!loadSt(c, 0, va)) { underflow(c, -1, false, CMP_UNORDERED); return; }
        vb.set(0, 0, 0);
        compareToSw(c, f80Compare(va, vb, false));
        return;
      }
      if (sub === 5) { // fxam
        const p = physOf(c, 0);
        let cc: number;
        if (emptyPhys(c, p)) { readPhys(c, p, va); cc = SW_C3 | SW_C0 | ((va.se & 0x8000) ? SW_C1 : 0); }
        else { readPhys(c, p, va); cc = f80Examine(va); }
        c.r[FSW] = (c.r[FSW] & ~SW_CC) | cc;
        return;
      }
      if (sub > 1) { ud(c, i); return; } // D9 E2, E3, E6, E7 are reserved
      if (!loadSt(c, 0, va)) { underflow(c, 0, false); return; }
      if (sub === 0) f80Neg(va, vr); else f80Abs(va, vr);
      c.r[FSW] &= ~SW_C1;
      setSt(c, 0, vr);
      return;
    }
    case 5: { // constants
      if (sub === 7) { ud(c, i); return; }
      const which = sub === 6 ? 6 : sub; // E8 1, E9 l2t, EA l2e, EB pi, EC lg2, ED ln2, EE z
      f80LoadConstant(which, cw, vr);
      c.r[FSW] &= ~SW_C1;
      push(c, vr);
      return;
    }
    case 6: {
      switch (sub) {
        case 0: // f2xm1
          if (!loadSt(c, 0, va)) { underflow(c, 0, false); return; }
          if (status(c, f80F2xm1(va, cw, vr))) setSt(c, 0, vr);
          return;
        case 1: // fyl2x: ST1 = ST1 * log2(ST0), pop
          if (!loadSt(c, 0, va) || !loadSt(c, 1, vb)) { underflow(c, 1, true); return; }
          if (!status(c, f80Yl2x(va, vb, cw, vr))) return;
          setSt(c, 1, vr);
          pop(c);
          return;
        case 2: // fptan: ST0 = tan, push 1
          if (twoResultStackFault(c)) return;
          loadSt(c, 0, va);
          {
            const res = f80Tan(va, cw, vr, vr2);
            if (!status(c, res)) return;
            if (res & SW_C2) return; // out of range: operand unchanged
            setSt(c, 0, vr);
            push(c, vr2);
          }
          return;
        case 3: // fpatan: ST1 = atan(ST1/ST0), pop
          if (!loadSt(c, 0, va) || !loadSt(c, 1, vb)) { underflow(c, 1, true); return; }
          if (!status(c, f80Patan(va, vb, cw, vr))) return;
          setSt(c, 1, vr);
          pop(c);
          return;
        case 4: { // fxtract: ST0 = exponent, push significand
          if (twoResultStackFault(c)) return;
          loadSt(c, 0, va);
          if (!status(c, f80Extract(va, vr, vr2))) return;
          setSt(c, 0, vr);
          push(c, vr2);
          return;
        }
        case 5: // fprem1
          if (!loadSt(c, 0, va) || !loadSt(c, 1, vb)) { underflow(c, 0, false); return; }
          if (status(c, premStatus(c, f80Prem1(va, vb, vr)))) setSt(c, 0, vr);
          return;
        case 6: setTop(c, top(c) - 1); c.r[FSW] &= ~SW_C1; return; // fdecstp
        default: setTop(c, top(c) + 1); c.r[FSW] &= ~SW_C1; return; // fincstp
      }
    }
    default: {
      switch (sub) {
        case 0: // fprem
          if (!loadSt(c, 0, va) || !loadSt(c, 1, vb)) { underflow(c, 0, false); return; }
          if (status(c, premStatus(c, f80Prem(va, vb, vr)))) setSt(c, 0, vr);
          return;
        case 1: // fyl2xp1
          if (!loadSt(c, 0, va) || !loadSt(c, 1, vb)) { underflow(c, 1, true); return; }
          if (!status(c, f80Yl2xp1(va, vb, cw, vr))) return;
          setSt(c, 1, vr);
          pop(c);
          return;
        case 2: // fsqrt
          if (!loadSt(c, 0, va)) { underflow(c, 0, false); return; }
          if (status(c, f80Sqrt(va, cw, vr))) setSt(c, 0, vr);
          return;
        case 3: { // fsincos: ST0 = sin, push cos
          if (twoResultStackFault(c)) return;
          loadSt(c, 0, va);
          const res = f80SinCos(va, cw, vr, vr2);
          if (!status(c, res) || (res & SW_C2)) return;
          setSt(c, 0, vr);
          push(c, vr2);
          return;
        }
        case 4: // frndint
          if (!loadSt(c, 0, va)) { underflow(c, 0, false); return; }
          if (status(c, f80RoundToInt(va, cw, vr))) setSt(c, 0, vr);
          return;
        case 5: // fscale
          if (!loadSt(c, 0, va) || !loadSt(c, 1, vb)) { underflow(c, 0, false); return; }
          if (status(c, f80Scale(va, vb, cw, vr))) setSt(c, 0, vr);
          return;
        case 6: case 7: { // fsin, fcos
          if (!loadSt(c, 0, va)) { underflow(c, 0, false); return; }
          const res = sub === 6 ? f80Sin(va, cw, vr) : f80Cos(va, cw, vr);
          if (status(c, res) && !(res & SW_C2)) setSt(c, 0, vr);
          return;
        }
      }
    }
  }
}

function ud(c: Cpu, i: Insn): void {
  c.raise(6, `x87 opcode ${i.op.toString(16)} /${i.reg & 7} rm ${i.rm & 7}`);
}

// --- the eight escape opcodes ----------------------------------------------------------------

function escMem(c: Cpu, i: Insn): void {
  const d = i.reg & 7;
  switch (i.op) {
    case 0xd8: case 0xda: case 0xdc: case 0xde: arithMem(c, i); return;
    case 0xd9:
      switch (d) {
        case 0: fldMem(c, i, 'f32'); return;
        case 2: fstMem(c, i, 'f32', false); return;
        case 3: fstMem(c, i, 'f32', true); return;
        case 4: fldenv(c, i.ea(c, i), i.p66); return;
        case 5: setControlWord(c, c.m.read16(i.ea(c, i))); return; // fldcw
        case 6: fnstenv(c, i.ea(c, i), i.p66); setControlWord(c, c.r[FCW] | 0x3f); return;
        case 7: c.m.write16(i.ea(c, i), c.r[FCW]); return; // fnstcw
        default: ud(c, i); return;
      }
    case 0xdb:
      switch (d) {
        case 0: fldMem(c, i, 'i32'); return;
        case 1: fstMem(c, i, 'i32', true, true); return;
        case 2: fstMem(c, i, 'i32', false); return;
        case 3: fstMem(c, i, 'i32', true); return;
        case 5: fldMem(c, i, 'f80'); return;
        case 7: fstMem(c, i, 'f80', true); return;
        default: ud(c, i); return;
      }
    case 0xdd:
      switch (d) {
        case 0: fldMem(c, i, 'f64'); return;
        case 1: fstMem(c, i, 'i64', true, true); return;
        case 2: fstMem(c, i, 'f64', false); return;
        case 3: fstMem(c, i, 'f64', true); return;
        case 4: frstor(c, i.ea(c, i), i.p66); return;
        case 6: fnsave(c, i.ea(c, i), i.p66); return;
        case 7: c.m.write16(i.ea(c, i), c.r[FSW]); return; // fnstsw m16
        default: ud(c, i); return;
      }
    default: // 0xdf
      switch (d) {
        case 0: fldMem(c, i, 'i16'); return;
        case 1: fstMem(c, i, 'i16', true, true); return;
        case 2: fstMem(c, i, 'i16', false); return;
        case 3: fstMem(c, i, 'i16', true); return;
        case 5: fldMem(c, i, 'i64'); return;
        case 7: fstMem(c, i, 'i64', true); return;
        case 4: fbld(c, i); return;
        case 6: fbstp(c, i); return;
        default: ud(c, i); return;
      }
  }
}

/** fcompp / fucompp: compare ST0 with ST1, then pop both (not when an unmasked exception stops it). */
function compareAndPopTwice(c: Cpu, quiet: boolean): void {
  const ok = loadSt(c, 0, va) && loadSt(c, 1, vb)
    ? compareToSw(c, f80Compare(va, vb, quiet))
    : status(c, FLAG_IE | SW_SF | CMP_UNORDERED);
  if (ok) { pop(c); pop(c); }
}

function escReg(c: Cpu, i: Insn): void {
  const d = i.reg & 7, k = i.rm & 7;
  switch (i.op) {
    case 0xd8: case 0xdc: arithReg(c, i); return;
    case 0xde:
      if (d === 3 && k !== 1) { ud(c, i); return; }
      if (d === 3) { compareAndPopTwice(c, false); return; } // fcompp
      arithReg(c, i); return;
    case 0xd9: d9Reg(c, i); return;
    case 0xda:
      if (d < 4) { fcmov(c, i); return; }
      if (d === 5 && k === 1) { compareAndPopTwice(c, true); return; } // fucompp
      ud(c, i); return;
    case 0xdb:
      if (d < 4) { fcmov(c, i); return; }
      if (d === 4 && k === 2) { c.r[FSW] &= ~(0x7f | SW_ES | SW_B); return; } // fnclex
      if (d === 4 && k === 3) { fninit(c); return; }
      if (d === 4 && (k < 2 || k === 4)) return; // fneni, fndisi, fnsetpm: no-ops on modern CPUs
      if (d === 5 || d === 6) { fcomi(c, i); return; }
      ud(c, i); return;
    case 0xdd:
      switch (d) {
        case 0: c.r[FTW] &= ~(1 << physOf(c, k)); return; // ffree
        case 1: fxch(c, k); return; // fxch4, an undocumented alias
        case 2: case 3: fstSt(c, k, d === 3); return; // fst / fstp st(i)
        case 4: case 5: // fucom / fucomp
          if (!loadSt(c, 0, va) || !loadSt(c, k, vb)) { underflow(c, -1, d === 5, CMP_UNORDERED); return; }
          if (compareToSw(c, f80Compare(va, vb, true)) && d === 5) pop(c);
          return;
        default: ud(c, i); return;
      }
    default: // 0xdf
      if (d === 4 && k === 0) { c.r16[0] = c.r[FSW]; return; } // fnstsw ax
      if (d === 5 || d === 6) { fcomi(c, i); return; }
      if (d === 0) { c.r[FTW] &= ~(1 << physOf(c, k)); pop(c); return; } // ffreep
      if (d === 1) { fxch(c, k); return; } // fxch7 alias
      if (d === 2 || d === 3) { fstSt(c, k, true); return; } // fstp8, fstp9 aliases
      ud(c, i);
  }
}

/** The control instructions that do not wait: they run even with an exception pending. */
function nonWaiting(i: Insn): boolean {
  const d = i.reg & 7;
  if (i.mod === 3) return (i.op === 0xdb && d === 4) || (i.op === 0xdf && d === 4 && (i.rm & 7) === 0);
  return (i.op === 0xd9 && (d === 6 || d === 7)) || (i.op === 0xdd && (d === 6 || d === 7));
}

/** A pending unmasked x87 exception is delivered as #MF by the next waiting instruction. */
export function checkPendingX87(c: Cpu): void {
  if (c.r[FSW] & ~c.r[FCW] & 0x3f) c.raise(Vector.MF, 'pending x87 exception');
}

function esc(c: Cpu, i: Insn): void {
  if (!nonWaiting(i)) checkPendingX87(c);
  setRangeTraps(c.r[FCW]);
  if (i.mod === 3) escReg(c, i); else escMem(c, i);
}

for (let op = 0xd8; op <= 0xdf; op++) {
  defOp(op, {
    modrm: true, imm: Imm.NONE, flagsRead: 0,
    pick: (i) => {
      // fcomi/fucomi write ZF PF CF; fcmov reads the flags.
      if (i.mod === 3 && (op === 0xdb || op === 0xdf) && ((i.reg & 7) === 5 || (i.reg & 7) === 6)) i.flagsWritten = ZF | PF | CF | OF | SF | AF;
      if (i.mod === 3 && (op === 0xda || op === 0xdb) && (i.reg & 7) < 4) i.flagsRead = ZF | PF | CF;
      return esc;
    },
  });
}

