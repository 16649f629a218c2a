// The stack and control transfers: push/pop (registers, immediates, memory, flags), enter/leave,
// jmp, jcc, call, ret, loop/jrcxz. Near branches default to 64-bit operands in long mode.

import type { Cpu } from '../cpu.js';
import { defOp, defOps, Imm } from '../decoder.js';
import { AF, ARITH_FLAGS, CF, cond, DF, getRflags, PF, SF, TF, ZF, FlagOp } from '../flags.js';
import type { Insn } from '../insn.js';
import { opReg } from './alu.js';
import { readE64, readMem64 } from './operand.js';

const RSP = 4;

function rsp(c: Cpu): number { return c.r[9] * 4294967296 + (c.r[8] >>> 0); }
function setRsp(c: Cpu, v: number): void { c.setReg64(RSP, v); }

/** rsp - 8 as an address, computed on the halves (no double rounding, no division). */
export function push64(c: Cpu, lo: number, hi: number): void {
  const r = c.r;
  const spLo = (r[8] - 8) | 0, spHi = (r[8] >>> 0) < 8 ? (r[9] - 1) | 0 : r[9];
  c.m.write64(spHi * 4294967296 + (spLo >>> 0), lo, hi);
  r[8] = spLo; r[9] = spHi;
}

/** Pops 64 bits: returns the low half, high half in c.hi. */
export function pop64(c: Cpu): number {
  const r = c.r;
  const lo = readMem64(c, r[9] * 4294967296 + (r[8] >>> 0));
  const spLo = (r[8] + 8) | 0;
  if ((spLo >>> 0) < 8) r[9] = (r[9] + 1) | 0;
  r[8] = spLo;
  return lo;
}

function pushR(c: Cpu, i: Insn): void {
  if (i.osz === 2) { const sp = rsp(c) - 2; c.m.write16(sp, c.r16[i.rm * 4]); setRsp(c, sp); return; }
  push64(c, c.r[i.rm * 2], c.r[i.rm * 2 + 1]);
}
function popR(c: Cpu, i: Insn): void {
  if (i.osz === 2) { const sp = rsp(c); c.r16[i.rm * 4] = c.m.read16(sp); setRsp(c, sp + 2); return; }
  const lo = pop64(c);
  c.r[i.rm * 2] = lo; c.r[i.rm * 2 + 1] = c.hi;
}
function pushI(c: Cpu, i: Insn): void {
  if (i.osz === 2) { const sp = rsp(c) - 2; c.m.write16(sp, i.imm); setRsp(c, sp); return; }
  push64(c, i.imm, i.imm >> 31);
}
function pushE(c: Cpu, i: Insn): void {
  if (i.osz === 2) { const v = i.mod === 3 ? c.r16[i.rm * 4] : c.m.read16(i.ea(c, i)); const sp = rsp(c) - 2; c.m.write16(sp, v); setRsp(c, sp); return; }
  const lo = readE64(c, i);
  push64(c, lo, c.hi);
}
/** pop E: the address is computed after rsp is incremented (SDM: POP). */
function popE(c: Cpu, i: Insn): void {
  const sp = rsp(c);
  if (i.osz === 2) {
    const v = c.m.read16(sp); setRsp(c, sp + 2);
    if (i.mod === 3) c.r16[i.rm * 4] = v; else c.m.write16(i.ea(c, i), v);
    return;
  }
  const lo = readMem64(c, sp), hi = c.hi;
  setRsp(c, sp + 8);
  if (i.mod === 3) { c.r[i.rm * 2] = lo; c.r[i.rm * 2 + 1] = hi; return; }
  try { c.m.write64(i.ea(c, i), lo, hi); } catch (e) { setRsp(c, sp); throw e; }
}

// User-writable RFLAGS bits: the arithmetic flags, TF, DF, AC (bit 18), ID (bit 21).
const POPF_MASK = ARITH_FLAGS | TF | DF | (1 << 18) | (1 << 21);

function pushf(c: Cpu, i: Insn): void {
  const f = getRflags(c) & ~(0x30000); // VM and RF read as 0
  if (i.osz === 2) { const sp = rsp(c) - 2; c.m.write16(sp, f); setRsp(c, sp); return; }
  push64(c, f, 0);
}
function popf(c: Cpu, i: Insn): void {
  let v: number;
  if (i.osz === 2) { const sp = rsp(c); v = c.m.read16(sp); setRsp(c, sp + 2); v |= getRflags(c) & 0xffff0000; }
  else v = pop64(c);
  c.flags = (getRflags(c) & ~POPF_MASK) | (v & POPF_MASK) | 2;
  c.fop = FlagOp.EAGER;
}
function lahf(c: Cpu): void {
  c.r8[1] = (getRflags(c) & (SF | ZF | AF | PF | CF)) | 2;
}
function sahf(c: Cpu): void {
  const m = SF | ZF | AF | PF | CF;
  c.flags = (getRflags(c) & ~m) | (c.r8[1] & m) | 2;
  c.fop = FlagOp.EAGER;
}

/** enter imm16, imm8 (nesting level 0 and 1 are what compilers emit; deeper levels copy frame pointers). */
function enter(c: Cpu, i: Insn): void {
  const size = i.imm, level = i.imm2 & 31;
  let sp = rsp(c) - 8;
  c.m.write64(sp, c.r[10], c.r[11]);
  const frame = sp;
  let bp = c.reg64(5);
  for (let k = 1; k < level; k++) {
    bp -= 8; sp -= 8;
    const lo = readMem64(c, bp);
    c.m.write64(sp, lo, c.hi);
  }
  if (level > 0) { sp -= 8; c.m.write64(sp, frame % 4294967296 | 0, Math.floor(frame / 4294967296)); }
  c.setReg64(5, frame);
  setRsp(c, sp - size);
}
function leave(c: Cpu): void {
  const bp = c.reg64(5);
  const lo = readMem64(c, bp);
  c.r[10] = lo; c.r[11] = c.hi;
  setRsp(c, bp + 8);
}

// --- branches (the run loop preset rip to the fall-through; jcc is a side exit) --------------

function jmpRel(c: Cpu, i: Insn): void { c.rip = i.disp; }
function jcc(c: Cpu, i: Insn): void { if (cond(c, i.sub)) c.rip = i.disp; }
function callRel(c: Cpu, i: Insn): void {
  push64(c, i.imm, i.imm2); // the return address's halves, computed at decode
  c.rip = i.disp;
}
function callE(c: Cpu, i: Insn): void {
  const lo = readE64(c, i);
  const target = c.hi * 4294967296 + (lo >>> 0);
  push64(c, i.next % 4294967296 | 0, Math.floor(i.next / 4294967296));
  c.rip = target;
}
function jmpE(c: Cpu, i: Insn): void {
  const lo = readE64(c, i);
  c.rip = c.hi * 4294967296 + (lo >>> 0);
}
function ret(c: Cpu, i: Insn): void {
  const lo = pop64(c);
  c.rip = c.hi * 4294967296 + (lo >>> 0);
  if (i.imm) setRsp(c, rsp(c) + i.imm);
}
/** loop/loope/loopne (E2/E1/E0) and jrcxz (E3); the counter is rcx, or ecx with 0x67. */
function loop(c: Cpu, i: Insn): void {
  const r = c.r;
  if (i.op === 0xe3) {
    const zero = i.asz === 4 ? r[2] === 0 : (r[2] | r[3]) === 0;
    if (zero) c.rip = i.disp;
    return;
  }
  let zero: boolean;
  if (i.asz === 4) { r[2] = (r[2] - 1) | 0; r[3] = 0; zero = r[2] === 0; }
  else { if (r[2] === 0) r[3] = (r[3] - 1) | 0; r[2] = (r[2] - 1) | 0; zero = (r[2] | r[3]) === 0; }
  if (zero) return;
  if (i.op === 0xe1 && !cond(c, 4)) return;
  if (i.op === 0xe0 && cond(c, 4)) return;
  c.rip = i.disp;
}

// --- registration ----------------------------------------------------------------------------

const plain = { flagsRead: 0, d64: true };
defOps(0x50, 0x57, { ...plain, modrm: false, imm: Imm.NONE, pick: (i) => { i.rm = opReg(i); return pushR; } });
defOps(0x58, 0x5f, { ...plain, modrm: false, imm: Imm.NONE, pick: (i) => { i.rm = opReg(i); return popR; } });
defOp(0x68, { ...plain, modrm: false, imm: Imm.Z, pick: () => pushI });
defOp(0x6a, { ...plain, modrm: false, imm: Imm.B, pick: () => pushI });
defOp(0x8f, { ...plain, modrm: true, imm: Imm.NONE, pick: (i) => ((i.reg & 7) === 0 ? popE : null) });
defOp(0x9c, { modrm: false, imm: Imm.NONE, d64: true, pick: () => pushf });
defOp(0x9d, { modrm: false, imm: Imm.NONE, d64: true, flagsWritten: ARITH_FLAGS, flagsRead: 0, pick: () => popf });
defOp(0x9e, { modrm: false, imm: Imm.NONE, flagsRead: 0, flagsWritten: SF | ZF | AF | PF | CF, pick: () => sahf });
defOp(0x9f, { modrm: false, imm: Imm.NONE, pick: () => lahf });
defOp(0xc8, { ...plain, modrm: false, imm: Imm.ENTER, pick: () => enter });
defOp(0xc9, { ...plain, modrm: false, imm: Imm.NONE, pick: () => leave });

const branch = { ...plain, ends: true };
defOps(0x70, 0x7f, { modrm: false, imm: Imm.B, exits: true, pick: (i) => { i.sub = i.op & 15; i.disp = i.next + i.imm; return jcc; } });
defOps(0x180, 0x18f, { modrm: false, imm: Imm.Z, exits: true, d64: true, pick: (i) => { i.sub = i.op & 15; i.disp = i.next + i.imm; return i.osz === 2 ? null : jcc; } });
defOp(0xeb, { ...branch, modrm: false, imm: Imm.B, pick: (i) => { i.disp = i.next + i.imm; return jmpRel; } });
defOp(0xe9, { ...branch, modrm: false, imm: Imm.Z, pick: (i) => { i.disp = i.next + i.imm; return i.osz === 2 ? null : jmpRel; } });
defOp(0xe8, {
  ...branch, modrm: false, imm: Imm.Z,
  pick: (i) => {
    i.disp = i.next + i.imm;
    i.imm = i.next % 4294967296 | 0; i.imm2 = Math.floor(i.next / 4294967296);
    return i.osz === 2 ? null : callRel;
  },
});
defOp(0xc3, { ...branch, modrm: false, imm: Imm.NONE, pick: () => ret });
defOp(0xc2, { ...branch, modrm: false, imm: Imm.W, pick: () => ret });
defOps(0xe0, 0xe3, { modrm: false, imm: Imm.B, ends: true, pick: (i) => { i.disp = i.next + i.imm; return loop; } });
for (const v of [0xe0, 0xe1]) defOp(v, { modrm: false, imm: Imm.B, ends: true, flagsRead: ZF, pick: (i) => { i.disp = i.next + i.imm; return loop; } });
defOp(0xe2, { ...branch, modrm: false, imm: Imm.B, pick: (i) => { i.disp = i.next + i.imm; return loop; } });
defOp(0xe3, { ...branch, modrm: false, imm: Imm.B, pick: (i) => { i.disp = i.next + i.imm; return loop; } });

/** Group 5 (FF): /0 inc, /1 dec (alu.ts), /2 call, /4 jmp, /6 push. */
export const group5Branches = { callE, jmpE, pushE };
