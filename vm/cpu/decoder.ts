// The x86-64 decoder: legacy and REX prefixes, the one-byte, 0F, 0F38 and 0F3A maps, ModRM, SIB,
// RIP-relative addressing and immediates (Intel SDM Vol. 2, chapter 2). Instruction families
// register their opcodes in the tables below (vm/cpu/ops/*); the decoder fills an Insn and asks
// the family for the handler that fits its operand size and prefixes.

import type { Cpu } from './cpu.js';
import { CpuException, Vector } from './exception.js';
import { Insn, Rep, Seg, type EaFn, type Handler } from './insn.js';
import { PAGE_SIZE } from '../memory/physical.js';
import { ARITH_FLAGS } from './flags.js';

export const enum Imm {
  NONE = 0,
  B,      // 8-bit, sign-extended
  UB,     // 8-bit, zero-extended
  W,      // 16-bit, zero-extended
  Z,      // 16 or 32 bits by operand size, sign-extended to the operand size
  V,      // 16, 32 or 64 bits by operand size (mov r, imm)
  ENTER,  // iw, ib
  MOFFS,  // an absolute address of address size
  GRP3,   // F6/F7: an immediate only for /0 and /1 (test)
}

export interface OpSpec {
  modrm: boolean;
  imm: Imm;
  /** Chooses the handler for the decoded operand size, prefixes and ModRM; null means #UD. */
  pick: (i: Insn) => Handler | null;
  /** Ends the block (control transfer, trap). */
  ends?: boolean;
  /** May leave the block, which otherwise goes on after it (jcc, syscall): a side exit. */
  exits?: boolean;
  /** 8-bit operand size (the Eb/Gb forms). */
  byte?: boolean;
  /** Default operand size 64 in long mode (push, pop, near branches). */
  d64?: boolean;
  flagsRead?: number;
  flagsWritten?: number;
  /** Accepts a lock prefix (with a memory destination); anything else with lock is #UD. */
  lockable?: boolean | ((i: Insn) => boolean);
}

/** Opcode maps: index = map * 256 + byte (map 0 one-byte, 1 = 0F, 2 = 0F38, 3 = 0F3A). */
export const opTable: (OpSpec | undefined)[] = new Array(1024);

export function defOp(op: number, spec: OpSpec): void {
  opTable[op] = spec;
}

export function defOps(first: number, last: number, spec: OpSpec): void {
  for (let op = first; op <= last; op++) opTable[op] = spec;
}

const MAX_BLOCK_INSNS = 64;
const MAX_INSN_LEN = 15;

// --- effective addresses ---------------------------------------------------------------------

function reg64(c: Cpu, n: number): number { return c.r[2 * n + 1] * 4294967296 + (c.r[2 * n] >>> 0); }

// A register whose high half is small (|value| < 2^52) adds exactly as a double; anything else
// (wrap-around arithmetic, huge garbage) goes through exact 64-bit arithmetic on the halves.
function small(c: Cpu, n: number): boolean { return ((c.r[2 * n + 1] + 0x100000) >>> 0) < 0x200000; }

/**
 * base + index * scale + disp modulo 2^64 (or 2^32 with 0x67), exactly, on 32-bit halves:
 * returns the low half, the high half in c.hi. lea uses it for arithmetic on full 64-bit values.
 */
export function addressHalves(c: Cpu, i: Insn): number {
  const r = c.r;
  let lo = i.disp | 0, hi = i.disp < 0 ? -1 : 0;
  if (i.ripRel) { lo = i.disp % 4294967296 | 0; hi = Math.floor(i.disp / 4294967296) | 0; }
  if (i.base >= 0) {
    const s = (lo >>> 0) + (r[i.base * 2] >>> 0);
    hi = (hi + r[i.base * 2 + 1] + (s > 0xffffffff ? 1 : 0)) | 0; lo = s | 0;
  }
  if (i.index >= 0) {
    const sh = 31 - Math.clz32(i.scale);
    const xlo = r[i.index * 2], xhi = r[i.index * 2 + 1];
    const slo = xlo << sh, shi = sh === 0 ? xhi : (xhi << sh) | (xlo >>> (32 - sh));
    const s = (lo >>> 0) + (slo >>> 0);
    hi = (hi + shi + (s > 0xffffffff ? 1 : 0)) | 0; lo = s | 0;
  }
  if (i.asz === 4) hi = 0;
  c.hi = hi;
  return lo;
}

/** The same as a JS number (memory addresses): exact whatever the registers hold. */
function eaExact(c: Cpu, i: Insn): number {
  const lo = addressHalves(c, i);
  return c.hi * 4294967296 + (lo >>> 0);
}

const eaAbs: EaFn = (_c, i) => i.disp;
const eaBase: EaFn = (c, i) => small(c, i.base) ? reg64(c, i.base) + i.disp : eaExact(c, i);
const eaBaseIndex: EaFn = (c, i) => small(c, i.base) && small(c, i.index)
  ? reg64(c, i.base) + reg64(c, i.index) * i.scale + i.disp : eaExact(c, i);
const eaIndex: EaFn = (c, i) => small(c, i.index) ? reg64(c, i.index) * i.scale + i.disp : eaExact(c, i);
const eaGeneral: EaFn = (c, i) => {
  let a = eaExact(c, i);
  if (i.seg === Seg.FS) a += c.fsBase;
  else if (i.seg === Seg.GS) a += c.gsBase;
  if (a >= 18446744073709551616) a -= 18446744073709551616; // a segment base can wrap the sum too
  return a;
};
const eaNone: EaFn = () => { throw new CpuException(Vector.UD, 'no memory operand'); };

function pickEa(i: Insn, ripRel: boolean): EaFn {
  if (i.seg !== Seg.NONE || i.asz === 4) return eaGeneral;
  if (ripRel || (i.base < 0 && i.index < 0)) return eaAbs;
  if (i.index < 0) return eaBase;
  if (i.base < 0) return eaIndex;
  return eaBaseIndex;
}

/** Byte offset in the register file of 8-bit register `n` (with REX: low bytes; without: AH..BH). */
export function byteRegOffset(n: number, rex: boolean): number {
  if (!rex && n >= 4 && n < 8) return (n - 4) * 8 + 1;
  return n * 8;
}

// --- the decoder -----------------------------------------------------------------------------

class Reader {
  pos = 0;
  constructor(private readonly c: Cpu, readonly start: number) { this.pos = start; }
  u8(): number {
    if (this.pos - this.start >= MAX_INSN_LEN) throw new CpuException(Vector.GP, 'instruction longer than 15 bytes');
    return this.c.fetchByte(this.pos++);
  }
  s8(): number { return (this.u8() << 24) >> 24; }
  u16(): number { const lo = this.u8(); return lo | (this.u8() << 8); }
  s32(): number { const a = this.u8(), b = this.u8(), c = this.u8(), d = this.u8(); return a | (b << 8) | (c << 16) | (d << 24); }
}

export function ud(c: Cpu, i: Insn): void {
  const bytes: string[] = [];
  for (let k = 0; k < Math.max(i.len, 1) && k < MAX_INSN_LEN; k++) {
    try { bytes.push(c.fetchByte(i.addr + k).toString(16).padStart(2, '0')); } catch { break; }
  }
  throw new CpuException(Vector.UD, `invalid or unimplemented instruction at 0x${i.addr.toString(16)}: ${bytes.join(' ')}`);
}

/** Decodes one instruction at `addr`. Never throws for an unknown opcode: that becomes a #UD handler. */
export function decodeInsn(c: Cpu, addr: number): Insn {
  const i = new Insn(ud, eaNone);
  i.addr = addr;
  const rd = new Reader(c, addr);
  let rex = 0;
  let b: number;
  // Legacy prefixes, then at most one REX immediately before the opcode.
  for (;;) {
    b = rd.u8();
    if (b === 0x66) i.p66 = true;
    else if (b === 0x67) i.asz = 4;
    else if (b === 0xf0) i.lock = true;
    else if (b === 0xf2) i.rep = Rep.REPNE;
    else if (b === 0xf3) i.rep = Rep.REPE;
    else if (b === 0x64) i.seg = Seg.FS;
    else if (b === 0x65) i.seg = Seg.GS;
    else if (b === 0x26 || b === 0x2e || b === 0x36 || b === 0x3e) { /* null segments in 64-bit mode */ }
    else if ((b & 0xf0) === 0x40) { rex = b; continue; } // only a REX right before the opcode counts
    else break;
    rex = 0; // a REX followed by a legacy prefix is ignored (SDM Vol. 2, 2.2.1)
  }
  i.rex = rex;
  i.rexW = (rex & 8) !== 0;
  let op = b;
  if (b === 0x0f) {
    const b2 = rd.u8();
    if (b2 === 0x38) op = 0x200 | rd.u8();
    else if (b2 === 0x3a) op = 0x300 | rd.u8();
    else op = 0x100 | b2;
  }
  i.op = op;
  const spec = opTable[op];
  if (spec === undefined) {
    i.len = rd.pos - addr;
    i.next = rd.pos;
    i.endsBlock = true;
    return i;
  }
  i.osz = spec.byte ? 1 : i.rexW ? 8 : i.p66 ? 2 : spec.d64 ? 8 : 4;

  let ripRel = false;
  if (spec.modrm) {
    const m = rd.u8();
    const mod = m >> 6;
    i.mod = mod;
    i.reg = ((m >> 3) & 7) | ((rex & 4) << 1);
    i.regB = byteRegOffset(i.reg, rex !== 0);
    const rm = m & 7;
    if (mod === 3) {
      i.rm = rm | ((rex & 1) << 3);
      i.rmB = byteRegOffset(i.rm, rex !== 0);
    } else {
      if (rm === 4) {
        const sib = rd.u8();
        const base = sib & 7;
        const index = ((sib >> 3) & 7) | ((rex & 2) << 2);
        i.scale = 1 << (sib >> 6);
        i.index = index === 4 ? -1 : index;
        if (base === 5 && mod === 0) { i.base = -1; i.disp = rd.s32(); }
        else i.base = base | ((rex & 1) << 3);
      } else if (rm === 5 && mod === 0) {
        ripRel = true;
        i.disp = rd.s32();
      } else {
        i.base = rm | ((rex & 1) << 3);
      }
      if (mod === 1) i.disp = rd.s8();
      else if (mod === 2) i.disp = rd.s32();
    }
  }
  switch (spec.imm) {
    case Imm.NONE: break;
    case Imm.B: i.imm = rd.s8(); break;
    case Imm.UB: i.imm = rd.u8(); break;
    case Imm.W: i.imm = rd.u16(); break;
    case Imm.Z: i.imm = i.osz === 2 ? (rd.u16() << 16) >> 16 : rd.s32(); break;
    case Imm.V:
      if (i.osz === 2) i.imm = rd.u16();
      else { i.imm = rd.s32(); if (i.osz === 8) i.imm2 = rd.s32(); }
      break;
    case Imm.ENTER: i.imm = rd.u16(); i.imm2 = rd.u8(); break;
    case Imm.MOFFS:
      if (i.asz === 4) i.disp = rd.s32() >>> 0;
      else { const lo = rd.s32() >>> 0; i.disp = rd.s32() * 4294967296 + lo; }
      break;
    case Imm.GRP3:
      if ((i.reg & 7) < 2) i.imm = i.osz === 1 ? rd.s8() : i.osz === 2 ? (rd.u16() << 16) >> 16 : rd.s32();
      break;
  }
  i.len = rd.pos - addr;
  i.next = rd.pos;
  if (ripRel) { i.disp += i.next; i.ripRel = true; }
  if (spec.modrm && i.mod !== 3) i.ea = pickEa(i, ripRel);
  else if (spec.imm === Imm.MOFFS) i.ea = i.seg !== Seg.NONE ? eaGeneral : eaAbs;
  i.flagsRead = spec.flagsRead ?? ARITH_FLAGS;
  i.flagsWritten = spec.flagsWritten ?? 0;
  i.endsBlock = spec.ends === true;
  i.exits = spec.exits === true;
  const h = spec.pick(i);
  const lockOk = !i.lock || (i.mod !== 3 && (typeof spec.lockable === 'function' ? spec.lockable(i) : spec.lockable === true));
  if (h === null || !lockOk) { i.fn = ud; i.endsBlock = true; i.exits = false; }
  else i.fn = h;
  return i;
}

/**
 * Decodes a basic block at `rip`: up to a control transfer, a stop, MAX_BLOCK_INSNS instructions,
 * or the end of the page (a block never starts an instruction in the next page).
 */
export function decodeBlock(c: Cpu, rip: number): { insns: Insn[]; seenEnd: number } {
  const insns: Insn[] = [];
  const pageEnd = (Math.floor(rip / PAGE_SIZE) + 1) * PAGE_SIZE;
  let addr = rip;
  for (;;) {
    let i: Insn;
    try {
      i = decodeInsn(c, addr);
    } catch (e) {
      // A fetch fault after the first instruction ends the block before it; the fault is taken
      // when (if) execution gets there.
      if (insns.length > 0) break;
      throw e;
    }
    insns.push(i);
    addr = i.next;
    if (i.endsBlock || insns.length >= MAX_BLOCK_INSNS || addr >= pageEnd) break;
  }
  const last = insns[insns.length - 1];
  const peek = last.endsBlock ? { live: ARITH_FLAGS, end: last.next } : flagsLiveAfter(c, last.next);
  computeFlagLiveness(insns, peek.live);
  return { insns, seenEnd: peek.end };
}

const MAX_PEEK = 16;

/**
 * The flags still needed at `addr` where a block was cut (end of page, size limit), found by
 * decoding ahead without executing. The caller makes the block depend on the bytes seen, up to
 * the returned end, so rewriting them drops the block.
 */
function flagsLiveAfter(c: Cpu, addr: number): { live: number; end: number } {
  let needed = 0, killed = 0;
  for (let n = 0; n < MAX_PEEK && killed !== ARITH_FLAGS; n++) {
    let i: Insn;
    try { i = decodeInsn(c, addr); } catch { break; }
    needed |= i.flagsRead & ~killed;
    if (i.endsBlock || i.exits || i.fn === ud) break; // past a side exit, any flag may be read
    killed |= i.flagsWritten;
    addr = i.next;
  }
  return { live: needed | (ARITH_FLAGS & ~killed), end: addr };
}

/** Backward pass: an instruction's flags are dead if a later one overwrites them unread. */
function computeFlagLiveness(insns: Insn[], liveOut: number): void {
  let live = liveOut;
  for (let k = insns.length - 1; k >= 0; k--) {
    const i = insns[k];
    if (i.exits) live = ARITH_FLAGS; // the code at the exit may read any flag (and a syscall reads all)
    i.flagsLive = (i.flagsWritten & live) !== 0 || i.flagsWritten === 0;
    live = (live & ~i.flagsWritten) | i.flagsRead;
  }
}
