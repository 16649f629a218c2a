// Data movement: mov in all its forms, lea, movzx/movsx/movsxd, cmovcc, setcc, bswap,
// cbw/cwde/cdqe, cwd/cdq/cqo, xlat.

import type { Cpu } from '../cpu.js';
import { addressHalves, defOp, defOps, Imm } from '../decoder.js';
import { cond } from '../flags.js';
import type { Insn } from '../insn.js';
import { Seg } from '../insn.js';
import {
  readE, readE64, readG, readMem, readMem64, readReg, signExtend, writeE, writeE64, writeG, writeMem, writeReg,
} from './operand.js';
import { opReg } from './alu.js';

function movEG(c: Cpu, i: Insn): void {
  if (i.osz === 8) { writeE64(c, i, c.r[i.reg * 2], c.r[i.reg * 2 + 1]); return; }
  writeE(c, i, readG(c, i));
}
function movGE(c: Cpu, i: Insn): void {
  if (i.osz === 8) { const lo = readE64(c, i); c.r[i.reg * 2] = lo; c.r[i.reg * 2 + 1] = c.hi; return; }
  writeG(c, i, readE(c, i));
}
/** The hottest forms get handlers without size dispatch. */
function movGE64mem(c: Cpu, i: Insn): void {
  const a = i.ea(c, i);
  const g = i.reg * 2;
  const lo = c.m.read32(a), hi = c.m.read32(a + 4); // both before either is stored: a fault changes nothing
  c.r[g] = lo;
  c.r[g + 1] = hi;
}
function movEG64mem(c: Cpu, i: Insn): void {
  const g = i.reg * 2;
  c.m.write64(i.ea(c, i), c.r[g], c.r[g + 1]);
}
function movGE32mem(c: Cpu, i: Insn): void {
  const v = c.m.read32(i.ea(c, i));
  c.r[i.reg * 2] = v; c.r[i.reg * 2 + 1] = 0;
}
function movRR64(c: Cpu, i: Insn): void {
  c.r[i.rm * 2] = c.r[i.reg * 2]; c.r[i.rm * 2 + 1] = c.r[i.reg * 2 + 1];
}
function movRR32(c: Cpu, i: Insn): void {
  c.r[i.rm * 2] = c.r[i.reg * 2]; c.r[i.rm * 2 + 1] = 0;
}
/** mov E, imm (C6/C7; the 64-bit form sign-extends imm32) */
function movEI(c: Cpu, i: Insn): void {
  if (i.osz === 8) { writeE64(c, i, i.imm, i.imm >> 31); return; }
  writeE(c, i, i.imm);
}
/** mov r, imm (B0+r, B8+r; the 64-bit form has a full imm64) */
function movRI(c: Cpu, i: Insn): void {
  if (i.osz === 8) { c.r[i.rm * 2] = i.imm; c.r[i.rm * 2 + 1] = i.imm2; return; }
  writeReg(c, i.osz, i.rm, i.rmB, i.imm);
}
/** mov al/ax/eax/rax, moffs and back (A0-A3) */
function movAccMoffs(c: Cpu, i: Insn): void {
  const a = i.ea(c, i);
  if (i.osz === 8) { c.r[0] = readMem64(c, a); c.r[1] = c.hi; return; }
  writeReg(c, i.osz, 0, 0, readMem(c, i.osz, a));
}
function movMoffsAcc(c: Cpu, i: Insn): void {
  const a = i.ea(c, i);
  if (i.osz === 8) { c.m.write64(a, c.r[0], c.r[1]); return; }
  writeMem(c, i.osz, a, readReg(c, i.osz, 0, 0));
}

/**
 * lea: the address arithmetic, exactly, at the operand size. gcc uses lea for plain 64-bit
 * arithmetic (x*3+7), so this cannot go through a JS number like memory addresses do.
 */
function lea(c: Cpu, i: Insn): void {
  const lo = addressHalves(c, i);
  if (i.osz === 8) { c.r[i.reg * 2] = lo; c.r[i.reg * 2 + 1] = c.hi; }
  else writeReg(c, i.osz, i.reg, i.regB, lo);
}

function movzx(c: Cpu, i: Insn): void {
  // 0F B6: from 8 bits, 0F B7: from 16 bits
  const from = i.op === 0x1b6 ? 1 : 2;
  const v = i.mod === 3 ? readReg(c, from, i.rm, i.rmB) : readMem(c, from, i.ea(c, i));
  if (i.osz === 8) { c.r[i.reg * 2] = v; c.r[i.reg * 2 + 1] = 0; }
  else writeReg(c, i.osz, i.reg, i.regB, v);
}
function movsx(c: Cpu, i: Insn): void {
  const from = i.op === 0x1be ? 1 : 2;
  const v = signExtend(i.mod === 3 ? readReg(c, from, i.rm, i.rmB) : readMem(c, from, i.ea(c, i)), from);
  if (i.osz === 8) { c.r[i.reg * 2] = v; c.r[i.reg * 2 + 1] = v >> 31; }
  else writeReg(c, i.osz, i.reg, i.regB, v);
}
function movsxd(c: Cpu, i: Insn): void {
  const v = i.mod === 3 ? c.r[i.rm * 2] : c.m.read32(i.ea(c, i));
  if (i.osz === 8) { c.r[i.reg * 2] = v; c.r[i.reg * 2 + 1] = v >> 31; }
  else writeReg(c, i.osz, i.reg, i.regB, v);
}

/** cmovcc: the source is read (and may fault) whatever the condition; a 32-bit cmov always zero-extends. */
function cmov(c: Cpu, i: Insn): void {
  if (i.osz === 8) {
    const lo = readE64(c, i), hi = c.hi;
    if (cond(c, i.sub)) { c.r[i.reg * 2] = lo; c.r[i.reg * 2 + 1] = hi; }
    return;
  }
  const v = readE(c, i);
  if (cond(c, i.sub)) writeG(c, i, v);
  else if (i.osz === 4) c.r[i.reg * 2 + 1] = 0;
}
function setcc(c: Cpu, i: Insn): void {
  const v = cond(c, i.sub) ? 1 : 0;
  if (i.mod === 3) c.r8[i.rmB] = v;
  else c.m.write8(i.ea(c, i), v);
}
function bswap(c: Cpu, i: Insn): void {
  const n = i.rm * 2;
  const sw = (v: number) => ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24);
  if (i.osz === 8) { const lo = c.r[n]; c.r[n] = sw(c.r[n + 1]); c.r[n + 1] = sw(lo); }
  else if (i.osz === 4) { c.r[n] = sw(c.r[n]); c.r[n + 1] = 0; }
  else c.r16[n * 2] = 0; // bswap r16 is undefined; real CPUs give 0
}
/** cbw / cwde / cdqe */
function cbw(c: Cpu, i: Insn): void {
  if (i.osz === 8) c.r[1] = c.r[0] >> 31;
  else if (i.osz === 4) { c.r[0] = (c.r[0] << 16) >> 16; c.r[1] = 0; }
  else c.r16[0] = (c.r8[0] << 24) >> 24;
}
/** cwd / cdq / cqo */
function cwd(c: Cpu, i: Insn): void {
  if (i.osz === 8) { const s = c.r[1] >> 31; c.r[4] = s; c.r[5] = s; }
  else if (i.osz === 4) { c.r[4] = c.r[0] >> 31; c.r[5] = 0; }
  else c.r16[8] = (c.r16[0] << 16) >> 31;
}
function xlat(c: Cpu, i: Insn): void {
  const s = (c.r[6] >>> 0) + c.r8[0]; // rbx + al, exactly
  let a = i.asz === 4 ? s % 4294967296 : ((c.r[7] + (s > 0xffffffff ? 1 : 0)) | 0) * 4294967296 + (s % 4294967296);
  if (i.seg === Seg.FS) a += c.fsBase; else if (i.seg === Seg.GS) a += c.gsBase;
  c.r8[0] = c.m.read8(a);
}

// --- registration ----------------------------------------------------------------------------

const plain = { flagsRead: 0 };
defOp(0x88, { ...plain, modrm: true, imm: Imm.NONE, byte: true, pick: () => movEG });
defOp(0x89, {
  ...plain, modrm: true, imm: Imm.NONE,
  pick: (i) => i.mod === 3 ? (i.osz === 8 ? movRR64 : i.osz === 4 ? movRR32 : movEG) : i.osz === 8 ? movEG64mem : movEG,
});
defOp(0x8a, { ...plain, modrm: true, imm: Imm.NONE, byte: true, pick: () => movGE });
defOp(0x8b, {
  ...plain, modrm: true, imm: Imm.NONE,
  pick: (i) => {
    if (i.mod === 3) { // swap reg and rm so the register-to-register handlers apply
      if (i.osz === 8 || i.osz === 4) { const t = i.reg; i.reg = i.rm; i.rm = t; return i.osz === 8 ? movRR64 : movRR32; }
      return movGE;
    }
    return i.osz === 8 ? movGE64mem : i.osz === 4 ? movGE32mem : movGE;
  },
});
defOp(0x8d, {
  ...plain, modrm: true, imm: Imm.NONE,
  pick: (i) => {
    if (i.mod === 3) return null;
    if (i.seg !== Seg.NONE) i.seg = Seg.NONE; // lea ignores segment overrides
    return lea;
  },
});

defOp(0xc6, { ...plain, modrm: true, imm: Imm.B, byte: true, pick: (i) => ((i.reg & 7) === 0 ? (i.imm &= 0xff, movEI) : null) });
defOp(0xc7, { ...plain, modrm: true, imm: Imm.Z, pick: (i) => ((i.reg & 7) === 0 ? (i.osz === 2 && (i.imm &= 0xffff), movEI) : null) });
defOps(0xb0, 0xb7, { ...plain, modrm: false, imm: Imm.UB, byte: true, pick: (i) => { i.rm = opReg(i); i.rmB = byteReg(i); return movRI; } });
defOps(0xb8, 0xbf, { ...plain, modrm: false, imm: Imm.V, pick: (i) => { i.rm = opReg(i); return movRI; } });
defOp(0xa0, { ...plain, modrm: false, imm: Imm.MOFFS, byte: true, pick: () => movAccMoffs });
defOp(0xa1, { ...plain, modrm: false, imm: Imm.MOFFS, pick: () => movAccMoffs });
defOp(0xa2, { ...plain, modrm: false, imm: Imm.MOFFS, byte: true, pick: () => movMoffsAcc });
defOp(0xa3, { ...plain, modrm: false, imm: Imm.MOFFS, pick: () => movMoffsAcc });

function byteReg(i: Insn): number {
  const n = opReg(i);
  return i.rex === 0 && n >= 4 && n < 8 ? (n - 4) * 8 + 1 : n * 8;
}

defOp(0x1b6, { ...plain, modrm: true, imm: Imm.NONE, pick: () => movzx });
defOp(0x1b7, { ...plain, modrm: true, imm: Imm.NONE, pick: () => movzx });
defOp(0x1be, { ...plain, modrm: true, imm: Imm.NONE, pick: () => movsx });
defOp(0x1bf, { ...plain, modrm: true, imm: Imm.NONE, pick: () => movsx });
defOp(0x63, { ...plain, modrm: true, imm: Imm.NONE, pick: () => movsxd });
for (let cc = 0; cc < 16; cc++) {
  defOp(0x140 + cc, { modrm: true, imm: Imm.NONE, pick: (i) => { i.sub = cc; return cmov; } });
  defOp(0x190 + cc, { modrm: true, imm: Imm.NONE, byte: true, pick: (i) => { i.sub = cc; return setcc; } });
}
defOps(0x1c8, 0x1cf, { ...plain, modrm: false, imm: Imm.NONE, pick: (i) => { i.rm = opReg(i); return bswap; } });
defOp(0x98, { ...plain, modrm: false, imm: Imm.NONE, pick: () => cbw });
defOp(0x99, { ...plain, modrm: false, imm: Imm.NONE, pick: () => cwd });
defOp(0xd7, { ...plain, modrm: false, imm: Imm.NONE, pick: () => xlat });
