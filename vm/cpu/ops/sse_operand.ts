// Operands of the MMX and SSE families: the scratch registers every handler computes in, loading
// the xmm/mm/memory source (with the 16-byte alignment rule of legacy 128-bit operands), storing
// results, the x87 <-> MMX state transition, and the mandatory-prefix form of an instruction.
//
// Handlers read every source into scratch before writing anything, so a fault (page fault, #GP
// for misalignment, #XM) leaves the destination as it was. Intel SDM Vol. 1, 9-12.

import { Slot } from '../../regfile.js';
import type { Cpu } from '../cpu.js';
import { Vector } from '../exception.js';
import { Rep, type Insn } from '../insn.js';

// A: the destination operand (first source); B: the second source; R: the result.
export const A = new Int32Array(4);
export const B = new Int32Array(4);
export const R = new Int32Array(4);

/** Which of the four mandatory-prefix forms: none (ps, MMX), 66 (pd, xmm integer), F3 (ss), F2 (sd). */
export const enum Form { NP = 0, P66 = 1, F3 = 2, F2 = 3 }

/** F3/F2 take precedence over 66 as mandatory prefixes (SDM Vol. 2, 2.1.2). */
export function formOf(i: Insn): Form {
  return i.rep === Rep.REPE ? Form.F3 : i.rep === Rep.REPNE ? Form.F2 : i.p66 ? Form.P66 : Form.NP;
}

// --- memory ------------------------------------------------------------------------------------

/** #GP for a misaligned 16-byte operand (SDM Vol. 1, 11.6.7); checked before any access. */
export function eaAligned(c: Cpu, i: Insn): number {
  const a = i.ea(c, i);
  if ((a & 15) !== 0) c.raise(Vector.GP, 'misaligned 16-byte SSE operand');
  return a;
}

export function readMem128(c: Cpu, a: number, out: Int32Array): void {
  const m = c.m;
  const x0 = m.read32(a), x1 = m.read32(a + 4), x2 = m.read32(a + 8), x3 = m.read32(a + 12);
  out[0] = x0; out[1] = x1; out[2] = x2; out[3] = x3;
}

/** Stores 16 bytes all-or-nothing. */
export function writeMem128(c: Cpu, a: number, x0: number, x1: number, x2: number, x3: number): void {
  const m = c.m;
  if ((a & 4095) > 4080) m.checkWritable(a, 16);
  m.write64(a, x0, x1);
  m.write64(a + 8, x2, x3);
}

// --- xmm -----------------------------------------------------------------------------------------

/** B = the 128-bit source: xmm rm, or an aligned m128. */
export function loadB128(c: Cpu, i: Insn): void {
  if (i.mod === 3) {
    const x = c.xi32, o = i.rm * 4;
    B[0] = x[o]; B[1] = x[o + 1]; B[2] = x[o + 2]; B[3] = x[o + 3];
  } else readMem128(c, eaAligned(c, i), B);
}

/** B[0..1] = the low 64 bits of xmm rm, or m64. */
export function loadB64(c: Cpu, i: Insn): void {
  if (i.mod === 3) { const o = i.rm * 4; B[0] = c.xi32[o]; B[1] = c.xi32[o + 1]; return; }
  const a = i.ea(c, i);
  const lo = c.m.read32(a);
  B[1] = c.m.read32(a + 4);
  B[0] = lo;
}

/** B[0] = the low 32 bits of xmm rm, or m32. */
export function loadB32(c: Cpu, i: Insn): void {
  B[0] = i.mod === 3 ? c.xi32[i.rm * 4] : c.m.read32(i.ea(c, i));
}

/** A = xmm reg. */
export function loadA(c: Cpu, i: Insn): void {
  const x = c.xi32, o = i.reg * 4;
  A[0] = x[o]; A[1] = x[o + 1]; A[2] = x[o + 2]; A[3] = x[o + 3];
}

/** xmm reg = R. */
export function storeR(c: Cpu, i: Insn): void {
  const x = c.xi32, o = i.reg * 4;
  x[o] = R[0]; x[o + 1] = R[1]; x[o + 2] = R[2]; x[o + 3] = R[3];
}

// --- mmx -----------------------------------------------------------------------------------------

// Every MMX instruction reports a pending x87 exception first, as #MF: a status flag whose
// control-word mask is clear, which is what FSW.ES summarises (fxrstor alone makes nothing
// pending). It then switches the x87 unit to MMX state: all tags valid, TOP = 0 (SDM Vol. 1, 9.5).
// Measured on hardware: a fault reading a memory operand leaves the x87 state alone; a fault
// writing one (movd/movq/movntq) comes after TOP = 0 but before the tags change; #XM and a
// maskmovq fault come after the whole switch.

export function mmxCheck(c: Cpu): void {
  if ((c.r[Slot.FSW] & ~c.r[Slot.FCW] & 0x3f) !== 0) c.raise(Vector.MF, 'pending x87 exception');
}

/** The switch to MMX state, once the operands are read. */
export function mmxEnter(c: Cpu): void {
  const r = c.r;
  r[Slot.FTW] = 0xff;
  r[Slot.FSW] &= ~0x3800;
}

/** Both, for instructions without a memory operand to read. */
export function mmxBegin(c: Cpu): void {
  mmxCheck(c);
  mmxEnter(c);
}

/** The first half of the switch, before an MMX store. */
export function mmxTopZero(c: Cpu): void {
  c.r[Slot.FSW] &= ~0x3800;
}

/** Writes MMX register k: the mantissa of x87 physical register k, exponent and sign all ones. */
export function writeMM(c: Cpu, k: number, lo: number, hi: number): void {
  const o = Slot.ST + 4 * k;
  c.r[o] = lo; c.r[o + 1] = hi; c.r[o + 2] = 0xffff;
}

/** B[0..1] = mm rm, or m64 (MMX operands have no alignment rule). */
export function loadBmm(c: Cpu, i: Insn): void {
  if (i.mod === 3) { const o = Slot.ST + 4 * (i.rm & 7); B[0] = c.r[o]; B[1] = c.r[o + 1]; return; }
  const a = i.ea(c, i);
  const lo = c.m.read32(a);
  B[1] = c.m.read32(a + 4);
  B[0] = lo;
}

/** A[0..1] = mm reg. */
export function loadAmm(c: Cpu, i: Insn): void {
  const o = Slot.ST + 4 * (i.reg & 7);
  A[0] = c.r[o]; A[1] = c.r[o + 1];
}

/** mm reg = R[0..1]. */
export function storeRmm(c: Cpu, i: Insn): void {
  writeMM(c, i.reg & 7, R[0], R[1]);
}
