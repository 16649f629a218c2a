// Integer arithmetic and logic: add or adc sbb and sub xor cmp (00-3D, group 1), test, inc/dec,
// not/neg (group 3 /2 /3), and the lock-able exchange family (xchg, xadd, cmpxchg, cmpxchg8b/16b).

import type { Cpu } from '../cpu.js';
import { defOp, defOps, Imm } from '../decoder.js';
import { CF, FlagOp, getCF, ZF, setFlagBits, ARITH_FLAGS } from '../flags.js';
import type { Insn } from '../insn.js';
import {
  readE, readE64, readG, readMem, readMem64, readReg, writeG, writeMem, writeReg,
} from './operand.js';

export const enum AluOp { ADD = 0, OR, ADC, SBB, AND, SUB, XOR, CMP }

/** One ALU operation at 8/16/32 bits on int32 operands; records the flags lazily; returns the result. */
export function alu(c: Cpu, op: number, size: number, a: number, b: number): number {
  let r: number;
  let fop: FlagOp;
  switch (op) {
    case AluOp.ADD: r = (a + b) | 0; fop = FlagOp.ADD; break;
    case AluOp.OR: r = a | b; fop = FlagOp.LOGIC; break;
    case AluOp.ADC: { const cf = getCF(c); c.fcin = cf; r = (a + b + cf) | 0; fop = FlagOp.ADC; break; }
    case AluOp.SBB: { const cf = getCF(c); c.fcin = cf; r = (a - b - cf) | 0; fop = FlagOp.SBB; break; }
    case AluOp.AND: r = a & b; fop = FlagOp.LOGIC; break;
    case AluOp.XOR: r = a ^ b; fop = FlagOp.LOGIC; break;
    default: r = (a - b) | 0; fop = FlagOp.SUB; break; // SUB, CMP
  }
  c.fop = fop; c.fsize = size; c.fa = a; c.fb = b; c.fres = r;
  return r;
}

/** The same at 64 bits on (lo, hi) halves; returns the low half, high half in c.hi. */
export function alu64(c: Cpu, op: number, alo: number, ahi: number, blo: number, bhi: number): number {
  let lo: number, hi: number;
  let fop: FlagOp;
  switch (op) {
    case AluOp.ADD: case AluOp.ADC: {
      let cin = 0;
      if (op === AluOp.ADC) { cin = getCF(c); c.fcin = cin; fop = FlagOp.ADC; } else fop = FlagOp.ADD;
      const s = (alo >>> 0) + (blo >>> 0) + cin;
      lo = s | 0;
      hi = (ahi + bhi + (s > 0xffffffff ? 1 : 0)) | 0;
      break;
    }
    case AluOp.SUB: case AluOp.SBB: case AluOp.CMP: {
      let bin = 0;
      if (op === AluOp.SBB) { bin = getCF(c); c.fcin = bin; fop = FlagOp.SBB; } else fop = FlagOp.SUB;
      const d = (alo >>> 0) - (blo >>> 0) - bin;
      lo = d | 0;
      hi = (ahi - bhi - (d < 0 ? 1 : 0)) | 0;
      break;
    }
    case AluOp.OR: lo = alo | blo; hi = ahi | bhi; fop = FlagOp.LOGIC; break;
    case AluOp.AND: lo = alo & blo; hi = ahi & bhi; fop = FlagOp.LOGIC; break;
    default: lo = alo ^ blo; hi = ahi ^ bhi; fop = FlagOp.LOGIC; break; // XOR
  }
  c.fop = fop; c.fsize = 8;
  c.fa = alo; c.faHi = ahi; c.fb = blo; c.fbHi = bhi; c.fres = lo; c.fresHi = hi;
  c.hi = hi;
  return lo;
}

// --- forms -----------------------------------------------------------------------------------

/** op E, G */
function aluEG(c: Cpu, i: Insn): void {
  const op = i.sub, size = i.osz;
  const b = readG(c, i);
  if (i.mod === 3) {
    const r = alu(c, op, size, readReg(c, size, i.rm, i.rmB), b);
    if (op !== AluOp.CMP) writeReg(c, size, i.rm, i.rmB, r);
  } else {
    const a = i.ea(c, i);
    const r = alu(c, op, size, readMem(c, size, a), b);
    if (op !== AluOp.CMP) writeMem(c, size, a, r);
  }
}

/** op G, E */
function aluGE(c: Cpu, i: Insn): void {
  const r = alu(c, i.sub, i.osz, readG(c, i), readE(c, i));
  if (i.sub !== AluOp.CMP) writeG(c, i, r);
}

/** op E, imm (also op rAX, imm: the decoder makes rAX the E operand) */
function aluEI(c: Cpu, i: Insn): void {
  const op = i.sub, size = i.osz;
  if (i.mod === 3) {
    const r = alu(c, op, size, readReg(c, size, i.rm, i.rmB), i.imm);
    if (op !== AluOp.CMP) writeReg(c, size, i.rm, i.rmB, r);
  } else {
    const a = i.ea(c, i);
    const r = alu(c, op, size, readMem(c, size, a), i.imm);
    if (op !== AluOp.CMP) writeMem(c, size, a, r);
  }
}

/** 32-bit register-register forms, the hottest case, without size dispatch. */
function aluEG32rr(c: Cpu, i: Insn): void {
  const r = alu(c, i.sub, 4, c.r[i.rm * 2], c.r[i.reg * 2]);
  if (i.sub !== AluOp.CMP) { c.r[i.rm * 2] = r; c.r[i.rm * 2 + 1] = 0; }
}

function aluEG64(c: Cpu, i: Insn): void {
  const op = i.sub;
  const g = i.reg * 2;
  if (i.mod === 3) {
    const e = i.rm * 2;
    const lo = alu64(c, op, c.r[e], c.r[e + 1], c.r[g], c.r[g + 1]);
    if (op !== AluOp.CMP) { c.r[e] = lo; c.r[e + 1] = c.hi; }
  } else {
    const a = i.ea(c, i);
    const alo = readMem64(c, a);
    const lo = alu64(c, op, alo, c.hi, c.r[g], c.r[g + 1]);
    if (op !== AluOp.CMP) c.m.write64(a, lo, c.hi);
  }
}

function aluGE64(c: Cpu, i: Insn): void {
  const g = i.reg * 2;
  const blo = readE64(c, i);
  const lo = alu64(c, i.sub, c.r[g], c.r[g + 1], blo, c.hi);
  if (i.sub !== AluOp.CMP) { c.r[g] = lo; c.r[g + 1] = c.hi; }
}

function aluEI64(c: Cpu, i: Insn): void {
  const op = i.sub, bhi = i.imm >> 31;
  if (i.mod === 3) {
    const e = i.rm * 2;
    const lo = alu64(c, op, c.r[e], c.r[e + 1], i.imm, bhi);
    if (op !== AluOp.CMP) { c.r[e] = lo; c.r[e + 1] = c.hi; }
  } else {
    const a = i.ea(c, i);
    const alo = readMem64(c, a);
    const lo = alu64(c, op, alo, c.hi, i.imm, bhi);
    if (op !== AluOp.CMP) c.m.write64(a, lo, c.hi);
  }
}

/** test E, G / test E, imm (both: AND without storing) */
function testEG(c: Cpu, i: Insn): void {
  if (i.osz === 8) { const lo = readE64(c, i); alu64(c, AluOp.AND, lo, c.hi, c.r[i.reg * 2], c.r[i.reg * 2 + 1]); return; }
  alu(c, AluOp.AND, i.osz, readE(c, i), readG(c, i));
}

function testEI(c: Cpu, i: Insn): void {
  if (i.osz === 8) { const lo = readE64(c, i); alu64(c, AluOp.AND, lo, c.hi, i.imm, i.imm >> 31); return; }
  alu(c, AluOp.AND, i.osz, readE(c, i), i.imm);
}

// --- inc, dec, not, neg ----------------------------------------------------------------------

function incDec(c: Cpu, i: Insn): void {
  const dec = (i.reg & 7) === 1;
  const cf = getCF(c); // inc and dec leave CF alone
  if (i.osz === 8) {
    const op = dec ? AluOp.SUB : AluOp.ADD;
    if (i.mod === 3) {
      const lo = alu64(c, op, c.r[i.rm * 2], c.r[i.rm * 2 + 1], 1, 0);
      c.r[i.rm * 2] = lo; c.r[i.rm * 2 + 1] = c.hi;
    } else {
      const a = i.ea(c, i);
      const alo = readMem64(c, a);
      const lo = alu64(c, op, alo, c.hi, 1, 0);
      c.m.write64(a, lo, c.hi);
    }
  } else {
    const size = i.osz;
    if (i.mod === 3) writeReg(c, size, i.rm, i.rmB, alu(c, dec ? AluOp.SUB : AluOp.ADD, size, readReg(c, size, i.rm, i.rmB), 1));
    else { const a = i.ea(c, i); writeMem(c, size, a, alu(c, dec ? AluOp.SUB : AluOp.ADD, size, readMem(c, size, a), 1)); }
  }
  c.fop = dec ? FlagOp.DEC : FlagOp.INC;
  c.fcin = cf;
}

function notE(c: Cpu, i: Insn): void {
  if (i.osz === 8) {
    if (i.mod === 3) { c.r[i.rm * 2] = ~c.r[i.rm * 2]; c.r[i.rm * 2 + 1] = ~c.r[i.rm * 2 + 1]; return; }
    const a = i.ea(c, i); const lo = readMem64(c, a); c.m.write64(a, ~lo, ~c.hi); return;
  }
  if (i.mod === 3) writeReg(c, i.osz, i.rm, i.rmB, ~readReg(c, i.osz, i.rm, i.rmB));
  else { const a = i.ea(c, i); writeMem(c, i.osz, a, ~readMem(c, i.osz, a)); }
}

function negE(c: Cpu, i: Insn): void {
  if (i.osz === 8) {
    const a = i.mod === 3 ? 0 : i.ea(c, i);
    const blo = i.mod === 3 ? c.r[i.rm * 2] : readMem64(c, a);
    const bhi = i.mod === 3 ? c.r[i.rm * 2 + 1] : c.hi;
    const lo = alu64(c, AluOp.SUB, 0, 0, blo, bhi);
    if (i.mod === 3) { c.r[i.rm * 2] = lo; c.r[i.rm * 2 + 1] = c.hi; } else c.m.write64(a, lo, c.hi);
    return;
  }
  if (i.mod === 3) writeReg(c, i.osz, i.rm, i.rmB, alu(c, AluOp.SUB, i.osz, 0, readReg(c, i.osz, i.rm, i.rmB)));
  else { const a = i.ea(c, i); writeMem(c, i.osz, a, alu(c, AluOp.SUB, i.osz, 0, readMem(c, i.osz, a))); }
}

// --- exchange family (lock is free on one thread; the ptrace platform maps these to Atomics) ---

function xchgEG(c: Cpu, i: Insn): void {
  if (i.osz === 8) {
    const g = i.reg * 2, glo = c.r[g], ghi = c.r[g + 1];
    if (i.mod === 3) { c.r[g] = c.r[i.rm * 2]; c.r[g + 1] = c.r[i.rm * 2 + 1]; c.r[i.rm * 2] = glo; c.r[i.rm * 2 + 1] = ghi; return; }
    const a = i.ea(c, i); const lo = readMem64(c, a); const hi = c.hi;
    c.m.write64(a, glo, ghi); c.r[g] = lo; c.r[g + 1] = hi; return;
  }
  const g = readG(c, i);
  if (i.mod === 3) { const e = readReg(c, i.osz, i.rm, i.rmB); writeReg(c, i.osz, i.rm, i.rmB, g); writeG(c, i, e); return; }
  const a = i.ea(c, i); const e = readMem(c, i.osz, a); writeMem(c, i.osz, a, g); writeG(c, i, e);
}

function xaddEG(c: Cpu, i: Insn): void {
  if (i.osz === 8) {
    const g = i.reg * 2, glo = c.r[g], ghi = c.r[g + 1];
    const a = i.mod === 3 ? 0 : i.ea(c, i);
    const elo = i.mod === 3 ? c.r[i.rm * 2] : readMem64(c, a);
    const ehi = i.mod === 3 ? c.r[i.rm * 2 + 1] : c.hi;
    const lo = alu64(c, AluOp.ADD, elo, ehi, glo, ghi); const hi = c.hi;
    if (i.mod === 3) { c.r[g] = elo; c.r[g + 1] = ehi; c.r[i.rm * 2] = lo; c.r[i.rm * 2 + 1] = hi; }
    else { c.m.write64(a, lo, hi); c.r[g] = elo; c.r[g + 1] = ehi; }
    return;
  }
  const g = readG(c, i);
  if (i.mod === 3) {
    const e = readReg(c, i.osz, i.rm, i.rmB);
    writeG(c, i, e); writeReg(c, i.osz, i.rm, i.rmB, alu(c, AluOp.ADD, i.osz, e, g));
  } else {
    const a = i.ea(c, i); const e = readMem(c, i.osz, a);
    writeMem(c, i.osz, a, alu(c, AluOp.ADD, i.osz, e, g)); writeG(c, i, e);
  }
}

/** cmpxchg E, G: compare rAX with E; equal: E = G, else rAX = E. Flags as cmp rAX, E. */
function cmpxchgEG(c: Cpu, i: Insn): void {
  const size = i.osz;
  if (size === 8) {
    const a = i.mod === 3 ? 0 : i.ea(c, i);
    const elo = i.mod === 3 ? c.r[i.rm * 2] : readMem64(c, a);
    const ehi = i.mod === 3 ? c.r[i.rm * 2 + 1] : c.hi;
    alu64(c, AluOp.CMP, c.r[0], c.r[1], elo, ehi);
    if (c.r[0] === elo && c.r[1] === ehi) {
      const glo = c.r[i.reg * 2], ghi = c.r[i.reg * 2 + 1];
      if (i.mod === 3) { c.r[i.rm * 2] = glo; c.r[i.rm * 2 + 1] = ghi; } else c.m.write64(a, glo, ghi);
    } else {
      if (i.mod !== 3) c.m.write64(a, elo, ehi); // the destination is always written (SDM: cmpxchg)
      c.r[0] = elo; c.r[1] = ehi;
    }
    return;
  }
  const a = i.mod === 3 ? 0 : i.ea(c, i);
  const e = i.mod === 3 ? readReg(c, size, i.rm, i.rmB) : readMem(c, size, a);
  const acc = readReg(c, size, 0, 0);
  alu(c, AluOp.CMP, size, acc, e);
  if (acc === e) {
    const g = readG(c, i);
    if (i.mod === 3) writeReg(c, size, i.rm, i.rmB, g); else writeMem(c, size, a, g);
  } else {
    if (i.mod !== 3) writeMem(c, size, a, e);
    writeReg(c, size, 0, 0, e);
  }
}

/** cmpxchg8b / cmpxchg16b m: compare rDX:rAX with m; equal: m = rCX:rBX and ZF=1, else rDX:rAX = m, ZF=0. */
function cmpxchg8b16b(c: Cpu, i: Insn): void {
  const a = i.ea(c, i);
  const r = c.r;
  if (i.rexW) {
    if (a % 16 !== 0) c.raise(13, 'cmpxchg16b operand not 16-byte aligned');
    const m0 = c.m.read32(a), m1 = c.m.read32(a + 4), m2 = c.m.read32(a + 8), m3 = c.m.read32(a + 12);
    const eq = m0 === r[0] && m1 === r[1] && m2 === r[4] && m3 === r[5];
    if (eq) {
      c.m.checkWritable(a, 16);
      c.m.write64(a, r[6], r[7]); c.m.write64(a + 8, r[2], r[3]);
    } else {
      c.m.checkWritable(a, 16);
      r[0] = m0; r[1] = m1; r[4] = m2; r[5] = m3;
    }
    setFlagBits(c, eq ? ZF : 0, ZF);
    return;
  }
  const m0 = c.m.read32(a), m1 = c.m.read32(a + 4);
  const eq = m0 === r[0] && m1 === r[4];
  if (eq) c.m.write64(a, r[6], r[2]);
  else { c.m.checkWritable(a, 8); r[0] = m0; r[1] = 0; r[4] = m1; r[5] = 0; }
  setFlagBits(c, eq ? ZF : 0, ZF);
}

// --- registration ----------------------------------------------------------------------------

const NO_READ = 0;
for (let op = 0; op < 8; op++) {
  const reads = op === AluOp.ADC || op === AluOp.SBB ? CF : NO_READ;
  const base = op * 8;
  defOp(base + 0, { lockable: op !== AluOp.CMP, modrm: true, imm: Imm.NONE, byte: true, flagsRead: reads, flagsWritten: ARITH_FLAGS, pick: (i) => { i.sub = op; return aluEG; } });
  defOp(base + 1, { lockable: op !== AluOp.CMP, modrm: true, imm: Imm.NONE, flagsRead: reads, flagsWritten: ARITH_FLAGS, pick: (i) => { i.sub = op; return i.osz === 8 ? aluEG64 : i.osz === 4 && i.mod === 3 ? aluEG32rr : aluEG; } });
  defOp(base + 2, { modrm: true, imm: Imm.NONE, byte: true, flagsRead: reads, flagsWritten: ARITH_FLAGS, pick: (i) => { i.sub = op; return aluGE; } });
  defOp(base + 3, { modrm: true, imm: Imm.NONE, flagsRead: reads, flagsWritten: ARITH_FLAGS, pick: (i) => { i.sub = op; return i.osz === 8 ? aluGE64 : aluGE; } });
  defOp(base + 4, { modrm: false, imm: Imm.B, byte: true, flagsRead: reads, flagsWritten: ARITH_FLAGS, pick: (i) => { i.sub = op; i.imm &= 0xff; return accForm(i, aluEI); } });
  defOp(base + 5, { modrm: false, imm: Imm.Z, flagsRead: reads, flagsWritten: ARITH_FLAGS, pick: (i) => { i.sub = op; if (i.osz === 2) i.imm &= 0xffff; return accForm(i, i.osz === 8 ? aluEI64 : aluEI); } });
}

/** Makes rAX the E operand of an accumulator form. */
function accForm(i: Insn, h: (c: Cpu, i: Insn) => void): (c: Cpu, i: Insn) => void {
  i.mod = 3; i.rm = 0; i.rmB = 0;
  return h;
}

/** Masks a sign-extended immediate to the operand size (8/16-bit operands are held zero-extended). */
function sizeImm(i: Insn): void {
  if (i.osz === 1) i.imm &= 0xff;
  else if (i.osz === 2) i.imm &= 0xffff;
}

const group1 = (i: Insn) => {
  i.sub = i.reg & 7; sizeImm(i);
  return i.osz === 8 ? aluEI64 : aluEI;
};
const g1Reads = (i: Insn) => (i.sub === AluOp.ADC || i.sub === AluOp.SBB ? CF : 0);
defOp(0x80, { lockable: (i) => (i.reg & 7) !== AluOp.CMP, modrm: true, imm: Imm.B, byte: true, flagsWritten: ARITH_FLAGS, pick: (i) => { const h = group1(i); i.flagsRead = g1Reads(i); return h; } });
defOp(0x81, { lockable: (i) => (i.reg & 7) !== AluOp.CMP, modrm: true, imm: Imm.Z, flagsWritten: ARITH_FLAGS, pick: (i) => { const h = group1(i); i.flagsRead = g1Reads(i); return h; } });
defOp(0x83, { lockable: (i) => (i.reg & 7) !== AluOp.CMP, modrm: true, imm: Imm.B, flagsWritten: ARITH_FLAGS, pick: (i) => { const h = group1(i); i.flagsRead = g1Reads(i); return h; } });

defOp(0x84, { modrm: true, imm: Imm.NONE, byte: true, flagsRead: 0, flagsWritten: ARITH_FLAGS, pick: () => testEG });
defOp(0x85, { modrm: true, imm: Imm.NONE, flagsRead: 0, flagsWritten: ARITH_FLAGS, pick: () => testEG });
defOp(0xa8, { modrm: false, imm: Imm.B, byte: true, flagsRead: 0, flagsWritten: ARITH_FLAGS, pick: (i) => { i.imm &= 0xff; return accForm(i, testEI); } });
defOp(0xa9, { modrm: false, imm: Imm.Z, flagsRead: 0, flagsWritten: ARITH_FLAGS, pick: (i) => { sizeImm(i); return accForm(i, testEI); } });

defOp(0x86, { lockable: true, modrm: true, imm: Imm.NONE, byte: true, flagsRead: 0, pick: () => xchgEG });
defOp(0x87, { lockable: true, modrm: true, imm: Imm.NONE, flagsRead: 0, pick: () => xchgEG });
// 90+r: xchg rAX, r (90 itself is nop unless REX.B; F3 90 is pause)
defOps(0x90, 0x97, {
  modrm: false, imm: Imm.NONE, flagsRead: 0,
  pick: (i) => {
    const n = opReg(i);
    if (n === 0) return i.osz === 2 ? xchgEG16AX : nop; // 32-bit xchg eax,eax would zero-extend; 90 is defined as nop
    i.mod = 3; i.rm = n; i.rmB = n * 8; i.reg = 0; i.regB = 0;
    return xchgEG;
  },
});
function nop(): void { /* nothing */ }
function xchgEG16AX(): void { /* xchg ax, ax */ }

/** The register encoded in an opcode's low three bits, extended by REX.B (50+r, 90+r, B8+r...). */
export function opReg(i: Insn): number { return (i.op & 7) | ((i.rex & 1) << 3); }

defOp(0x1c0, { lockable: true, modrm: true, imm: Imm.NONE, byte: true, flagsRead: 0, flagsWritten: ARITH_FLAGS, pick: () => xaddEG });
defOp(0x1c1, { lockable: true, modrm: true, imm: Imm.NONE, flagsRead: 0, flagsWritten: ARITH_FLAGS, pick: () => xaddEG });
defOp(0x1b0, { lockable: true, modrm: true, imm: Imm.NONE, byte: true, flagsRead: 0, flagsWritten: ARITH_FLAGS, pick: () => cmpxchgEG });
defOp(0x1b1, { lockable: true, modrm: true, imm: Imm.NONE, flagsRead: 0, flagsWritten: ARITH_FLAGS, pick: () => cmpxchgEG });
defOp(0x1c7, {
  lockable: true, modrm: true, imm: Imm.NONE, flagsRead: 0, flagsWritten: ZF,
  pick: (i) => ((i.reg & 7) === 1 && i.mod !== 3 ? cmpxchg8b16b : null),
});

/** Group 3 /2 not, /3 neg (/0 test is here too; mul and div are in muldiv.ts). */
export const group3Alu = { testEI, notE, negE };
/** Group 4/5 /0 inc, /1 dec. */
export const incDecE = incDec;
