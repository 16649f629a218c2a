// Shifts and rotates: group 2 (rol ror rcl rcr shl shr sal sar by 1, CL or imm8) and shld/shrd.
// Counts are masked to 5 bits (6 with REX.W); a masked count of 0 changes no flags (SDM: SAL/SAR/SHL/SHR).

import type { Cpu } from '../cpu.js';
import { defOp, Imm } from '../decoder.js';
import { ARITH_FLAGS, CF, FlagOp, getCF, getRflags, OF } from '../flags.js';
import type { Insn } from '../insn.js';
import { out, sar64, shl64, shr64 } from '../int64.js';
import { readMem, readMem64, readReg, writeMem, writeReg } from './operand.js';

const enum ShiftOp { ROL = 0, ROR, RCL, RCR, SHL, SHR, SAL, SAR }

function count(c: Cpu, i: Insn): number {
  const n = i.op === 0xd0 || i.op === 0xd1 ? 1 : i.op === 0xd2 || i.op === 0xd3 ? c.r8[8] : i.imm;
  return n & (i.osz === 8 ? 63 : 31);
}

/** Stores CF and OF eagerly (rotates touch only those two). */
function setCfOf(c: Cpu, cf: number, of: number): void {
  c.flags = (getRflags(c) & ~(CF | OF)) | (cf ? CF : 0) | (of ? OF : 0);
  c.fop = FlagOp.EAGER;
}

/** Shift or rotate of a value of 8/16/32 bits held in an int32. */
function shift32(c: Cpu, i: Insn, v: number, n: number): number {
  const size = i.osz, bits = size * 8;
  const mask = bits === 32 ? -1 : (1 << bits) - 1;
  switch (i.reg & 7) {
    case ShiftOp.SHL: case ShiftOp.SAL: {
      const r = n >= 32 ? 0 : v << n;
      c.fop = FlagOp.SHL; c.fsize = size; c.fa = v; c.fb = n; c.fres = r;
      return r;
    }
    case ShiftOp.SHR: {
      const r = (v & mask) >>> n;
      c.fop = FlagOp.SHR; c.fsize = size; c.fa = v & mask; c.fb = n; c.fres = r | 0;
      return r | 0;
    }
    case ShiftOp.SAR: {
      const sv = bits === 32 ? v | 0 : (v << (32 - bits)) >> (32 - bits);
      const r = sv >> Math.min(n, 31);
      c.fop = FlagOp.SAR; c.fsize = size; c.fa = v; c.fb = n; c.fres = r;
      return r;
    }
    case ShiftOp.ROL: {
      const k = n % bits;
      const u = v & mask;
      const r = k === 0 ? u : ((u << k) | (u >>> (bits - k))) & mask;
      if (i.flagsLive) { const cf = r & 1; setCfOf(c, cf, ((r >>> (bits - 1)) & 1) ^ cf); }
      return r;
    }
    case ShiftOp.ROR: {
      const k = n % bits;
      const u = v & mask;
      const r = k === 0 ? u : ((u >>> k) | (u << (bits - k))) & mask;
      if (i.flagsLive) setCfOf(c, (r >>> (bits - 1)) & 1, ((r >>> (bits - 1)) ^ (r >>> (bits - 2))) & 1);
      return r;
    }
    default: { // RCL, RCR: rotate through carry, one bit at a time (rare)
      const k = bits === 32 ? n : n % (bits + 1);
      let cf = getCF(c), u = v & mask;
      for (let s = 0; s < k; s++) {
        if ((i.reg & 7) === ShiftOp.RCL) { const out = (u >>> (bits - 1)) & 1; u = ((u << 1) | cf) & mask; cf = out; }
        else { const out = u & 1; u = ((u >>> 1) | (cf << (bits - 1))) & mask; cf = out; }
      }
      const msb = (u >>> (bits - 1)) & 1;
      const of = (i.reg & 7) === ShiftOp.RCL ? msb ^ cf : msb ^ ((u >>> (bits - 2)) & 1);
      setCfOf(c, cf, of);
      return u;
    }
  }
}

/** The same at 64 bits; result in out[0], out[1]. */
function shift64(c: Cpu, i: Insn, lo: number, hi: number, n: number): void {
  switch (i.reg & 7) {
    case ShiftOp.SHL: case ShiftOp.SAL:
      shl64(lo, hi, n);
      c.fop = FlagOp.SHL; break;
    case ShiftOp.SHR:
      shr64(lo, hi, n);
      c.fop = FlagOp.SHR; break;
    case ShiftOp.SAR:
      sar64(lo, hi, n);
      c.fop = FlagOp.SAR; break;
    case ShiftOp.ROL: case ShiftOp.ROR: {
      const k = (i.reg & 7) === ShiftOp.ROL ? n : (64 - n) & 63;
      shl64(lo, hi, k); const l1 = out[0], h1 = out[1];
      shr64(lo, hi, (64 - k) & 63); const l2 = k === 0 ? 0 : out[0], h2 = k === 0 ? 0 : out[1];
      out[0] = l1 | l2; out[1] = h1 | h2;
      if (i.flagsLive) {
        const rl = out[0], rh = out[1];
        if ((i.reg & 7) === ShiftOp.ROL) { const cf = rl & 1; setCfOf(c, cf, (rh >>> 31) ^ cf); }
        else setCfOf(c, rh >>> 31, ((rh >>> 31) ^ (rh >>> 30)) & 1);
        out[0] = rl; out[1] = rh;
      }
      return;
    }
    default: {
      let cf = getCF(c), l = lo, h = hi;
      for (let s = 0; s < n; s++) {
        if ((i.reg & 7) === ShiftOp.RCL) { const o = h >>> 31; h = (h << 1) | (l >>> 31); l = (l << 1) | cf; cf = o; }
        else { const o = l & 1; l = (l >>> 1) | (h << 31); h = (h >>> 1) | (cf << 31); cf = o; }
      }
      const msb = h >>> 31;
      setCfOf(c, cf, (i.reg & 7) === ShiftOp.RCL ? msb ^ cf : msb ^ ((h >>> 30) & 1));
      out[0] = l; out[1] = h;
      return;
    }
  }
  c.fsize = 8; c.fa = lo; c.faHi = hi; c.fb = n; c.fres = out[0]; c.fresHi = out[1];
}

function group2(c: Cpu, i: Insn): void {
  const n = count(c, i);
  if (i.osz === 8) {
    const a = i.mod === 3 ? 0 : i.ea(c, i);
    const lo = i.mod === 3 ? c.r[i.rm * 2] : readMem64(c, a);
    const hi = i.mod === 3 ? c.r[i.rm * 2 + 1] : c.hi;
    if (n === 0) return;
    shift64(c, i, lo, hi, n);
    if (i.mod === 3) { c.r[i.rm * 2] = out[0]; c.r[i.rm * 2 + 1] = out[1]; }
    else c.m.write64(a, out[0], out[1]);
    return;
  }
  if (i.mod === 3) {
    const v = readReg(c, i.osz, i.rm, i.rmB);
    // A zero count still writes a 32-bit register, which zero-extends it.
    writeReg(c, i.osz, i.rm, i.rmB, n === 0 ? v : shift32(c, i, v, n));
  } else {
    const a = i.ea(c, i);
    const v = readMem(c, i.osz, a);
    if (n === 0) return;
    writeMem(c, i.osz, a, shift32(c, i, v, n));
  }
}

/** shld / shrd E, G, count: shift E, filling from G. Flags as a shift of E; OF for count 1. */
function shiftDouble(c: Cpu, i: Insn): void {
  const left = i.op === 0x1a4 || i.op === 0x1a5;
  const n = (i.op & 1 ? c.r8[8] : i.imm) & (i.osz === 8 ? 63 : 31);
  const size = i.osz, bits = size * 8;
  const a = i.mod === 3 ? 0 : i.ea(c, i);
  if (size === 8) {
    const dlo = i.mod === 3 ? c.r[i.rm * 2] : readMem64(c, a);
    const dhi = i.mod === 3 ? c.r[i.rm * 2 + 1] : c.hi;
    if (n === 0) return;
    const slo = c.r[i.reg * 2], shi = c.r[i.reg * 2 + 1];
    let rl: number, rh: number, cf: number;
    if (left) {
      shl64(dlo, dhi, n); rl = out[0]; rh = out[1];
      shr64(slo, shi, 64 - n); rl |= out[0]; rh |= out[1];
      cf = n <= 32 ? (dhi >>> (32 - n)) & 1 : (dlo >>> (64 - n)) & 1;
    } else {
      shr64(dlo, dhi, n); rl = out[0]; rh = out[1];
      shl64(slo, shi, 64 - n); rl |= out[0]; rh |= out[1];
      cf = n <= 32 ? (dlo >>> (n - 1)) & 1 : (dhi >>> (n - 33)) & 1;
    }
    if (i.mod === 3) { c.r[i.rm * 2] = rl; c.r[i.rm * 2 + 1] = rh; } else c.m.write64(a, rl, rh);
    setDoubleFlags(c, 8, rl, rh, cf, ((dhi ^ rh) >>> 31) & 1);
    return;
  }
  const d = i.mod === 3 ? readReg(c, size, i.rm, i.rmB) : readMem(c, size, a);
  if (n === 0) { if (i.mod === 3) writeReg(c, size, i.rm, i.rmB, d); return; }
  const s = readReg(c, size, i.reg, i.regB);
  let r: number, cf: number;
  if (size === 4) {
    if (left) { r = (d << n) | (s >>> (32 - n)); cf = (d >>> (32 - n)) & 1; }
    else { r = (d >>> n) | (s << (32 - n)); cf = (d >>> (n - 1)) & 1; }
  } else {
    // 16-bit: shift the 32-bit concatenation; counts above 16 are undefined, as on hardware bits wrap from s
    const cat = left ? ((d << 16) | s) >>> 0 : ((s << 16) | d) >>> 0;
    if (left) { r = n <= 16 ? (cat << n) >>> 16 : ((cat << (n - 16)) | (d << (n - 16)) >>> 16) & 0xffff; cf = n <= 16 ? (d >>> (16 - n)) & 1 : (s >>> (32 - n)) & 1; }
    else { r = n <= 16 ? (cat >>> n) & 0xffff : ((cat >>> n) | (d << (32 - n))) & 0xffff; cf = n <= 16 ? (d >>> (n - 1)) & 1 : (s >>> (n - 17)) & 1; }
    r &= 0xffff;
  }
  if (i.mod === 3) writeReg(c, size, i.rm, i.rmB, r); else writeMem(c, size, a, r);
  setDoubleFlags(c, size, r, 0, cf, (((d ^ r) << (32 - bits)) >>> 31) & 1);
}

function setDoubleFlags(c: Cpu, size: number, rl: number, rh: number, cf: number, of: number): void {
  // SF, ZF, PF from the result as for a logic op; CF and OF computed here.
  c.fop = FlagOp.LOGIC; c.fsize = size; c.fres = rl; c.fresHi = rh; c.fa = 0; c.fb = 0;
  const f = getRflags(c);
  c.flags = (f & ~(CF | OF)) | (cf ? CF : 0) | (of ? 0x800 : 0);
  c.fop = FlagOp.EAGER;
}

// 32-bit register forms with an immediate count: the shape of hash and checksum loops.
function rorR32I(c: Cpu, i: Insn): void {
  const n = i.rm * 2, k = i.imm & 31, v = c.r[n];
  const r = (v >>> k) | (v << (32 - k));
  c.r[n] = r; c.r[n + 1] = 0;
  if (i.flagsLive) setCfOf(c, r >>> 31, ((r >>> 31) ^ (r >>> 30)) & 1);
}
function rolR32I(c: Cpu, i: Insn): void {
  const n = i.rm * 2, k = i.imm & 31, v = c.r[n];
  const r = (v << k) | (v >>> (32 - k));
  c.r[n] = r; c.r[n + 1] = 0;
  if (i.flagsLive) { const cf = r & 1; setCfOf(c, cf, (r >>> 31) ^ cf); }
}
function shrR32I(c: Cpu, i: Insn): void {
  const n = i.rm * 2, k = i.imm & 31, v = c.r[n];
  const r = v >>> k;
  c.r[n] = r; c.r[n + 1] = 0;
  c.fop = FlagOp.SHR; c.fsize = 4; c.fa = v; c.fb = k; c.fres = r | 0;
}
function shlR32I(c: Cpu, i: Insn): void {
  const n = i.rm * 2, k = i.imm & 31, v = c.r[n];
  const r = v << k;
  c.r[n] = r; c.r[n + 1] = 0;
  c.fop = FlagOp.SHL; c.fsize = 4; c.fa = v; c.fb = k; c.fres = r;
}
const R32I_HANDLERS: (((c: Cpu, i: Insn) => void) | null)[] = [rolR32I, rorR32I, null, null, shlR32I, shrR32I, shlR32I, null];

const shiftSpec = {
  modrm: true,
  pick: (i: Insn) => {
    const op = i.reg & 7;
    // A count of 0 leaves the flags alone, so only a known non-zero count overwrites them.
    const n = i.op === 0xd0 || i.op === 0xd1 ? 1 : i.op === 0xd2 || i.op === 0xd3 ? 0 : i.imm & (i.osz === 8 ? 63 : 31);
    i.flagsWritten = n === 0 ? 0 : op < 4 ? CF | OF : ARITH_FLAGS;
    i.flagsRead = op === ShiftOp.RCL || op === ShiftOp.RCR ? CF : 0;
    if (i.op === 0xc1 && i.mod === 3 && i.osz === 4 && n !== 0) return R32I_HANDLERS[op] ?? group2;
    return group2;
  },
};
defOp(0xc0, { ...shiftSpec, imm: Imm.UB, byte: true });
defOp(0xc1, { ...shiftSpec, imm: Imm.UB });
defOp(0xd0, { ...shiftSpec, imm: Imm.NONE, byte: true });
defOp(0xd1, { ...shiftSpec, imm: Imm.NONE });
defOp(0xd2, { ...shiftSpec, imm: Imm.NONE, byte: true });
defOp(0xd3, { ...shiftSpec, imm: Imm.NONE });
defOp(0x1a4, { modrm: true, imm: Imm.UB, flagsRead: 0, flagsWritten: ARITH_FLAGS, pick: () => shiftDouble });
defOp(0x1a5, { modrm: true, imm: Imm.NONE, flagsRead: 0, flagsWritten: 0, pick: () => shiftDouble });
defOp(0x1ac, { modrm: true, imm: Imm.UB, flagsRead: 0, flagsWritten: ARITH_FLAGS, pick: () => shiftDouble });
defOp(0x1ad, { modrm: true, imm: Imm.NONE, flagsRead: 0, flagsWritten: 0, pick: () => shiftDouble });
