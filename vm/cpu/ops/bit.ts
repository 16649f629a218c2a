// Bit operations: bt/bts/btr/btc (register and immediate bit offsets; a register offset reaches
// beyond the addressed operand in memory, SDM: BT) and bsf/bsr (and their F3 forms, which run as
// bsf/bsr because CPUID advertises neither BMI1 nor LZCNT).

import type { Cpu } from '../cpu.js';
import { defOp, Imm } from '../decoder.js';
import { CF, FlagOp, getRflags, ZF } from '../flags.js';
import type { Insn } from '../insn.js';
import { readE, readE64, readMem, readReg, writeMem, writeReg } from './operand.js';

const enum BitOp { BT = 0, BTS, BTR, BTC }

function setCF(c: Cpu, bit: number): void {
  c.flags = (getRflags(c) & ~CF) | bit;
  c.fop = FlagOp.EAGER;
}

function apply(v: number, mask: number, op: number): number {
  return op === BitOp.BTS ? v | mask : op === BitOp.BTR ? v & ~mask : op === BitOp.BTC ? v ^ mask : v;
}

/** bt* with the bit offset in a register (0F A3/AB/B3/BB) or an immediate (0F BA /4-/7). */
function bitOp(c: Cpu, i: Insn): void {
  const op = i.sub;
  const size = i.osz === 2 ? 2 : 4; // 64-bit operands are handled as the 32-bit word that holds the bit
  const bits = i.osz * 8;
  let off: number;
  let offHi = 0;
  if (i.op === 0x1ba) off = i.imm & (bits - 1);
  else if (i.osz === 8) { off = c.r[i.reg * 2]; offHi = c.r[i.reg * 2 + 1]; }
  else off = i.osz === 2 ? (c.r16[i.reg * 4] << 16) >> 16 : c.r[i.reg * 2];
  if (i.mod === 3) {
    const n = off & (bits - 1);
    if (i.osz === 8) {
      const slot = i.rm * 2 + (n >= 32 ? 1 : 0);
      const mask = 1 << (n & 31);
      const v = c.r[slot];
      setCF(c, (v & mask) !== 0 ? 1 : 0);
      if (op !== BitOp.BT) c.r[slot] = apply(v, mask, op);
      return;
    }
    const v = readReg(c, i.osz, i.rm, i.rmB);
    const mask = 1 << n;
    setCF(c, (v & mask) !== 0 ? 1 : 0);
    if (op !== BitOp.BT) writeReg(c, i.osz, i.rm, i.rmB, apply(v, mask, op));
    return;
  }
  // Memory: a register offset is signed and selects a word anywhere around the operand.
  let a = i.ea(c, i);
  if (i.op !== 0x1ba) {
    const signedOff = i.osz === 8 ? offHi * 4294967296 + (off >>> 0) : off;
    const unit = size * 8;
    a += Math.floor(signedOff / unit) * size;
    off = ((signedOff % unit) + unit) % unit;
  } else if (i.osz === 8 && off >= 32) { a += 4; off -= 32; }
  const v = readMem(c, size, a);
  const mask = 1 << off;
  setCF(c, (v & mask) !== 0 ? 1 : 0);
  if (op !== BitOp.BT) writeMem(c, size, a, apply(v, mask, op));
}

/** bsf / bsr: ZF=1 and the destination unchanged when the source is 0 (as real CPUs do). */
function bitScan(c: Cpu, i: Insn): void {
  const reverse = i.op === 0x1bd;
  let lo: number, hi = 0;
  if (i.osz === 8) { lo = readE64(c, i); hi = c.hi; } else lo = readE(c, i);
  let r = -1;
  if (reverse) {
    if (hi !== 0) r = 63 - Math.clz32(hi);
    else if (lo !== 0) r = 31 - Math.clz32(lo);
  } else {
    if (lo !== 0) r = 31 - Math.clz32(lo & -lo);
    else if (hi !== 0) r = 63 - Math.clz32(hi & -hi);
  }
  const f = getRflags(c) & ~ZF;
  c.fop = FlagOp.EAGER;
  if (r < 0) { c.flags = f | ZF; return; }
  c.flags = f;
  if (i.osz === 8) { c.r[i.reg * 2] = r; c.r[i.reg * 2 + 1] = 0; }
  else writeReg(c, i.osz, i.reg, i.regB, r);
}

defOp(0x1a3, { modrm: true, imm: Imm.NONE, flagsRead: 0, pick: (i) => { i.sub = BitOp.BT; return bitOp; } });
defOp(0x1ab, { lockable: true, modrm: true, imm: Imm.NONE, flagsRead: 0, pick: (i) => { i.sub = BitOp.BTS; return bitOp; } });
defOp(0x1b3, { lockable: true, modrm: true, imm: Imm.NONE, flagsRead: 0, pick: (i) => { i.sub = BitOp.BTR; return bitOp; } });
defOp(0x1bb, { lockable: true, modrm: true, imm: Imm.NONE, flagsRead: 0, pick: (i) => { i.sub = BitOp.BTC; return bitOp; } });
defOp(0x1ba, { lockable: (i) => (i.reg & 7) > 4, modrm: true, imm: Imm.UB, flagsRead: 0, pick: (i) => ((i.reg & 7) < 4 ? null : (i.sub = (i.reg & 7) - 4, bitOp)) });
defOp(0x1bc, { modrm: true, imm: Imm.NONE, flagsRead: 0, pick: () => bitScan });
defOp(0x1bd, { modrm: true, imm: Imm.NONE, flagsRead: 0, pick: () => bitScan });
