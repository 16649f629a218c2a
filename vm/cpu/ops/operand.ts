// Reading and writing instruction operands: the ModRM reg operand (G), the reg-or-memory operand
// (E) and plain memory, at 8/16/32 bits as one int32 and at 64 bits as (lo, hi) halves. 64-bit
// readers return the low half and leave the high half in c.hi.

import type { Cpu } from '../cpu.js';
import type { Insn } from '../insn.js';

export function readReg(c: Cpu, size: number, n: number, byteOff: number): number {
  switch (size) {
    case 1: return c.r8[byteOff];
    case 2: return c.r16[n * 4];
    default: return c.r[n * 2];
  }
}

/** Writes a register; a 32-bit write zero-extends into the high half (SDM Vol. 1, 3.4.1.1). */
export function writeReg(c: Cpu, size: number, n: number, byteOff: number, v: number): void {
  switch (size) {
    case 1: c.r8[byteOff] = v; break;
    case 2: c.r16[n * 4] = v; break;
    default: c.r[n * 2] = v; c.r[n * 2 + 1] = 0; break;
  }
}

export function readMem(c: Cpu, size: number, a: number): number {
  switch (size) {
    case 1: return c.m.read8(a);
    case 2: return c.m.read16(a);
    default: return c.m.read32(a);
  }
}

export function writeMem(c: Cpu, size: number, a: number, v: number): void {
  switch (size) {
    case 1: c.m.write8(a, v); break;
    case 2: c.m.write16(a, v); break;
    default: c.m.write32(a, v); break;
  }
}

export function readG(c: Cpu, i: Insn): number { return readReg(c, i.osz, i.reg, i.regB); }
export function writeG(c: Cpu, i: Insn, v: number): void { writeReg(c, i.osz, i.reg, i.regB, v); }

export function readE(c: Cpu, i: Insn): number {
  return i.mod === 3 ? readReg(c, i.osz, i.rm, i.rmB) : readMem(c, i.osz, i.ea(c, i));
}

export function writeE(c: Cpu, i: Insn, v: number): void {
  if (i.mod === 3) writeReg(c, i.osz, i.rm, i.rmB, v);
  else writeMem(c, i.osz, i.ea(c, i), v);
}

// --- 64-bit ----------------------------------------------------------------------------------

export function readMem64(c: Cpu, a: number): number {
  const lo = c.m.read32(a);
  c.hi = c.m.read32(a + 4);
  return lo;
}

export function readE64(c: Cpu, i: Insn): number {
  if (i.mod === 3) { c.hi = c.r[i.rm * 2 + 1]; return c.r[i.rm * 2]; }
  return readMem64(c, i.ea(c, i));
}

export function writeE64(c: Cpu, i: Insn, lo: number, hi: number): void {
  if (i.mod === 3) { c.r[i.rm * 2] = lo; c.r[i.rm * 2 + 1] = hi; }
  else c.m.write64(i.ea(c, i), lo, hi);
}

/** Operand of any size as a value: for size 8 the low half, with c.hi set; otherwise c.hi = 0. */
export function readEAny(c: Cpu, i: Insn): number {
  if (i.osz === 8) return readE64(c, i);
  c.hi = 0;
  return readE(c, i);
}

export function readGAny(c: Cpu, i: Insn): number {
  if (i.osz === 8) { c.hi = c.r[i.reg * 2 + 1]; return c.r[i.reg * 2]; }
  c.hi = 0;
  return readG(c, i);
}

/** Writes a value of the operand size to memory at a: for size 8, (lo, hi). */
export function writeMemAny(c: Cpu, size: number, a: number, lo: number, hi: number): void {
  if (size === 8) c.m.write64(a, lo, hi);
  else writeMem(c, size, a, lo);
}

export function readMemAny(c: Cpu, size: number, a: number): number {
  if (size === 8) return readMem64(c, a);
  c.hi = 0;
  return readMem(c, size, a);
}

export function writeRegAny(c: Cpu, size: number, n: number, byteOff: number, lo: number, hi: number): void {
  if (size === 8) { c.r[n * 2] = lo; c.r[n * 2 + 1] = hi; }
  else writeReg(c, size, n, byteOff, lo);
}

export function readRegAny(c: Cpu, size: number, n: number, byteOff: number): number {
  if (size === 8) { c.hi = c.r[n * 2 + 1]; return c.r[n * 2]; }
  c.hi = 0;
  return readReg(c, size, n, byteOff);
}

/** Sign-extends a value of `size` bytes held in an int32 to a full int32. */
export function signExtend(v: number, size: number): number {
  return size === 1 ? (v << 24) >> 24 : size === 2 ? (v << 16) >> 16 : v | 0;
}

/** Zero-extends (masks) an int32 to `size` bytes (size 4: unchanged int32). */
export function truncate(v: number, size: number): number {
  return size === 1 ? v & 0xff : size === 2 ? v & 0xffff : v | 0;
}
