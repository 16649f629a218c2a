// Owns case generation for the instruction tests: a seeded PRNG, "interesting" operand values, the
// per-case machine state (registers, flags, scratch memory) that generators fill in, operand
// pickers (registers of every width, memory operands in every addressing form) and a small x86-64
// assembler. Instruction tables (test/insn/*_forms.ts) build on these.

import { CODE_ADDR, MEM_SIZE, SCRATCH_ADDR, DATA_ADDR, DATA_SIZE } from './machine.js';

export const M64 = (1n << 64n) - 1n;
export const M32 = 0xffffffffn;

export function maskBits(bits: number): bigint { return (1n << BigInt(bits)) - 1n; }
export function toSigned(v: bigint, bits: number): bigint { return BigInt.asIntN(bits, v); }
export function toUnsigned(v: bigint, bits: number): bigint { return BigInt.asUintN(bits, v); }

// --- PRNG: sfc32 -----------------------------------------------------------------------------

export class Rng {
  private a: number; private b: number; private c: number; private d: number;
  constructor(seed: number) {
    this.a = 0x9e3779b9; this.b = 0x243f6a88; this.c = 0xb7e15162; this.d = seed | 0;
    for (let k = 0; k < 24; k++) this.u32();
  }
  u32(): number {
    this.a |= 0; this.b |= 0; this.c |= 0; this.d |= 0;
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }
  /** Uniform in [0, n). */
  int(n: number): number { return Math.floor((this.u32() / 4294967296) * n); }
  /** Uniform in [lo, hi]. */
  range(lo: number, hi: number): number { return lo + this.int(hi - lo + 1); }
  bool(p = 0.5): boolean { return this.u32() / 4294967296 < p; }
  pick<T>(a: readonly T[]): T { return a[this.int(a.length)]; }
  u64(): bigint { return (BigInt(this.u32()) << 32n) | BigInt(this.u32()); }
  bits(n: number): bigint { return this.u64() & maskBits(n); }
}

/** An operand value of `bits` bits (unsigned) from the classes where arithmetic goes wrong. */
export function interesting(r: Rng, bits: number): bigint {
  const m = maskBits(bits);
  const sign = 1n << BigInt(bits - 1);
  switch (r.int(14)) {
    case 0: return 0n;
    case 1: return 1n;
    case 2: return m; // -1
    case 3: return sign; // most negative
    case 4: return sign - 1n; // most positive
    case 5: return sign + 1n;
    case 6: return (sign - 2n) & m;
    case 7: return 1n << BigInt(r.int(bits));
    case 8: return (1n << BigInt(r.int(bits))) - 1n;
    case 9: return (-(1n << BigInt(r.int(bits)))) & m;
    case 10: return BigInt(r.int(17)) & m;
    case 11: return (-BigInt(r.range(1, 16))) & m;
    default: return r.bits(bits);
  }
}

/** A 64-bit register value: an interesting value at some width, the bits above it random, zero or ones. */
export function interestingReg(r: Rng): bigint {
  const w = r.pick([8, 16, 32, 64, 64]);
  const low = interesting(r, w);
  if (w === 64) return low;
  const m = maskBits(w);
  switch (r.int(4)) {
    case 0: return low;
    case 1: return (M64 & ~m) | low;
    default: return (r.u64() & ~m) | low;
  }
}

// --- operands --------------------------------------------------------------------------------

/** A general register operand. */
export interface Reg {
  /** Its number in the instruction encoding (0-15; for 8-bit without REX, 4-7 are AH..BH). */
  enc: number;
  /** The 64-bit register it lives in. */
  full: number;
  /** Bit position of the operand in that register (8 for AH..BH). */
  shift: number;
  bits: number;
}

/** A ModRM r/m operand: a register (mod 3) or a memory operand, ready to encode. */
export interface Rm {
  mod: number;
  rm3: number;
  /** SIB byte, or -1. */
  sib: number;
  disp: number;
  dispSize: 0 | 1 | 4;
  rexB: number;
  rexX: number;
  /** 0x67: 32-bit address size. */
  a32: boolean;
  /** A segment-override prefix (0x65 gs, whose base is 0 on both sides; or a null 26/2e/36/3e), or 0. */
  seg?: number;
  /** RIP-relative: the absolute address the displacement must reach (resolved by assemble). */
  ripTarget: number | null;
  /** The addressing form, for names ("reg", "[b+i*s+d8]", ...). */
  kind: string;
  /** For memory operands: the scratch offset of the operand (-1 when outside the block). */
  off: number;
  /** For register operands. */
  reg: Reg | null;
}

/** How 8-bit registers are encoded: without REX (AH..BH reachable) or with one (SPL..DIL, R8B..). */
export type ByteMode = 'norex' | 'rex';

export interface MemOptions {
  /** Operand size in bytes (the block offset is chosen so that it fits). */
  size: number;
  /** Only registers 0-7 and no REX bits (the instruction also uses AH..BH). */
  noRex?: boolean;
  /** Required alignment of the block offset (default: natural alignment most of the time). */
  align?: number;
  /** Exact scratch offset to address. */
  off?: number;
  /** An absolute effective address to produce (for bit-string operands); overrides off. */
  target?: number;
  /** Registers that must not be used as base or index (bit mask). */
  avoid?: number;
  /** Allow 0x67 address-size forms (default true). */
  a32?: boolean;
}

const RSP = 4;

/** An assembled instruction request. */
export interface Enc {
  /** Legacy prefixes emitted first (f0, f2, f3, segment overrides). */
  pfx?: number[];
  /** Operand size in bytes: 2 adds 0x66, 8 adds REX.W (unless noRexW: default-64 opcodes). */
  osz?: number;
  noRexW?: boolean;
  /** Emit a REX byte even when no REX bit is needed (SPL..DIL). */
  forceRex?: boolean;
  /** The instruction must encode without REX (it uses AH..BH). */
  noRex?: boolean;
  op: number[];
  /** ModRM.reg: a register number (0-15) or a /digit. */
  reg?: number;
  rm?: Rm;
  /** A register encoded in the opcode's low bits (+r). */
  opReg?: number;
  imm?: number[];
}

/** Little-endian bytes of the low n bytes of v. */
export function le(v: bigint | number, n: number): number[] {
  let x = BigInt.asUintN(n * 8, BigInt(v));
  const out: number[] = [];
  for (let k = 0; k < n; k++) { out.push(Number(x & 0xffn)); x >>= 8n; }
  return out;
}

/** Thrown when a random combination of prefixes and operands exceeds 15 bytes (the case is redrawn). */
export class TooLong extends Error {
  constructor(n: number) { super(`instruction longer than 15 bytes: ${n}`); }
}

/** Assembles one instruction placed at address `at` (for RIP-relative displacements). */
export function assemble(e: Enc, at: number): number[] {
  const out: number[] = [...(e.pfx ?? [])];
  if (e.rm && e.rm.mod !== 3 && e.rm.seg) out.push(e.rm.seg);
  if (e.osz === 2) out.push(0x66);
  if (e.rm && e.rm.mod !== 3 && e.rm.a32) out.push(0x67);
  let rex = 0;
  if (e.osz === 8 && !e.noRexW) rex |= 8;
  if (e.reg !== undefined && e.reg >= 8) rex |= 4;
  if (e.rm) { rex |= e.rm.rexX << 1; rex |= e.rm.rexB; }
  if (e.opReg !== undefined && e.opReg >= 8) rex |= 1;
  if (rex !== 0 || e.forceRex) {
    if (e.noRex) throw new Error(`instruction needs REX ${rex.toString(16)} but uses AH..BH`);
    out.push(0x40 | rex);
  }
  const op = [...e.op];
  if (e.opReg !== undefined) op[op.length - 1] |= e.opReg & 7;
  out.push(...op);
  let dispAt = -1;
  if (e.rm) {
    out.push((e.rm.mod << 6) | (((e.reg ?? 0) & 7) << 3) | e.rm.rm3);
    if (e.rm.sib >= 0) out.push(e.rm.sib);
    if (e.rm.dispSize) { dispAt = out.length; out.push(...le(e.rm.disp, e.rm.dispSize)); }
  }
  if (e.imm) out.push(...e.imm);
  if (e.rm && e.rm.ripTarget !== null) {
    const disp = e.rm.ripTarget - (at + out.length);
    if (disp < -0x80000000 || disp > 0x7fffffff) throw new Error('rip-relative target out of reach');
    out.splice(dispAt, 4, ...le(disp, 4));
  }
  if (out.length > 15) throw new TooLong(out.length);
  return out;
}

// --- the state of one case -------------------------------------------------------------------

/**
 * The machine state of one case, filled in by the generators of its instructions. Registers an
 * instruction depends on (memory bases, counts, divisors) are "pinned" to chosen values; in a
 * sequence, a register written or pinned by an earlier instruction cannot be pinned again, since
 * its value when the later instruction runs is not the initial one.
 */
export class Gen {
  gpr: bigint[] = new Array<bigint>(16).fill(0n);
  flags = 0;
  mem = new Uint8Array(MEM_SIZE);
  /** Where the snippet runs (it may straddle the two code pages). */
  codeAddr = CODE_ADDR;
  /** Offset of the instruction being generated within the snippet. */
  pos = 0;
  /** Registers that earlier instructions of the snippet wrote or pinned. */
  locked = 0;
  /** Whether the snippet has several instructions. */
  seq = false;
  /** Appended to the form name of the instruction being generated (" a32" for 0x67 addressing),
   *  so that mismatches of an addressing variant are reported apart. */
  variant = '';
  /** Bits of each register pinned by the instruction being generated. */
  private pinBits: bigint[] = new Array<bigint>(16).fill(0n);

  constructor(readonly r: Rng) {}

  newCase(seq: boolean): void {
    const r = this.r;
    for (let k = 0; k < 16; k++) this.gpr[k] = interestingReg(r);
    // rsp points into the scratch block (8-aligned), so push/pop and [rsp+...] stay inside it
    this.gpr[RSP] = BigInt(SCRATCH_ADDR + 8 * r.range(1, 7));
    this.flags = r.u32() & 0x8d5;
    if (r.bool(0.2)) this.flags |= 0x400; // DF: must survive every instruction but std/cld
    for (let k = 0; k < MEM_SIZE; k += 8) {
      const v = r.bool(0.5) ? interesting(r, r.pick([8, 16, 32, 64])) : r.u64();
      this.mem.set(le(v, 8), k);
    }
    // mostly inside the first code page; a quarter near its end, so instructions straddle pages
    this.codeAddr = CODE_ADDR + (r.bool(0.75) ? r.int(0xf00) : 0x1000 - r.range(1, 24));
    this.pos = 0;
    this.locked = 0;
    this.seq = seq;
  }

  beginInsn(): void { this.pinBits.fill(0n); this.variant = ''; }

  /** Registers pinned by the current instruction (bit mask). */
  pinnedNow(): number {
    let m = 0;
    for (let k = 0; k < 16; k++) if (this.pinBits[k] !== 0n) m |= 1 << k;
    return m;
  }

  endInsn(len: number, wregs: number): void {
    this.locked |= this.pinnedNow() | wregs;
    this.pos += len;
  }

  /** Whether bits `field` of register `full` may be set for the current instruction. */
  canPin(full: number, field: bigint = M64): boolean {
    return full !== RSP && ((this.locked >> full) & 1) === 0 && (this.pinBits[full] & field) === 0n;
  }

  /** Sets bits [shift, shift+bits) of a register if allowed; returns whether it did. */
  setBits(full: number, shift: number, bits: number, v: bigint): boolean {
    const field = maskBits(bits) << BigInt(shift);
    if (!this.canPin(full, field)) return false;
    this.pinBits[full] |= field;
    this.gpr[full] = (this.gpr[full] & ~field & M64) | ((v << BigInt(shift)) & field);
    return true;
  }

  /** Pins a whole register to v (when allowed). */
  setFull(full: number, v: bigint): boolean { return this.setBits(full, 0, 64, v & M64); }

  setReg(reg: Reg, v: bigint): boolean { return this.setBits(reg.full, reg.shift, reg.bits, v); }

  getReg(reg: Reg): bigint { return (this.gpr[reg.full] >> BigInt(reg.shift)) & maskBits(reg.bits); }

  /** Writes an operand value (register, or scratch memory for a memory operand). */
  setOperand(rm: Rm, bits: number, v: bigint): boolean {
    if (rm.reg) return this.setReg(rm.reg, v);
    if (rm.off < 0) return false;
    this.mem.set(le(v, bits / 8), rm.off);
    return true;
  }

  getOperand(rm: Rm, bits: number): bigint {
    if (rm.reg) return this.getReg(rm.reg);
    let v = 0n;
    for (let k = bits / 8 - 1; k >= 0; k--) v = (v << 8n) | BigInt(this.mem[rm.off + k]);
    return v;
  }

  writeMem(off: number, v: bigint, bytes: number): void { this.mem.set(le(v, bytes), off); }

  /** The register operand `enc` of `bits` bits (mode decides what 4-7 mean for 8-bit). */
  regOf(enc: number, bits: number, mode: ByteMode | null): Reg {
    if (bits === 8 && mode === 'norex' && enc >= 4 && enc < 8) return { enc, full: enc - 4, shift: 8, bits };
    return { enc, full: enc, shift: 0, bits };
  }

  /**
   * Picks a register operand (never rsp/spl). noRex limits it to encodings 0-7; avoid excludes
   * 64-bit registers; pinnable requires that its value can still be set.
   */
  pickReg(bits: number, mode: ByteMode | null, o: { avoid?: number; pinnable?: boolean } = {}): Reg | null {
    const noRex = mode === 'norex';
    const cands: Reg[] = [];
    for (let enc = 0; enc < (noRex ? 8 : 16); enc++) {
      const reg = this.regOf(enc, bits, mode);
      if (reg.full === RSP && reg.shift === 0) continue; // rsp, esp, sp, spl
      if (o.avoid && ((o.avoid >> reg.full) & 1)) continue;
      if (o.pinnable && !this.canPin(reg.full, maskBits(bits) << BigInt(reg.shift))) continue;
      cands.push(reg);
    }
    return cands.length ? this.r.pick(cands) : null;
  }

  regRm(reg: Reg): Rm {
    return { mod: 3, rm3: reg.enc & 7, sib: -1, disp: 0, dispSize: 0, rexB: reg.enc >> 3, rexX: 0, a32: false, ripTarget: null, kind: 'reg', off: -1, reg };
  }

  /** A block offset for an operand of `size` bytes: naturally aligned most of the time. */
  pickOffset(size: number, align?: number): number {
    const r = this.r;
    const a = align ?? (r.bool(0.75) ? Math.min(size, 8) : 1);
    const slots = Math.floor((MEM_SIZE - size) / a) + 1;
    return r.int(slots) * a;
  }

  /**
   * A memory operand addressing the scratch block (or an exact address), in a random addressing
   * form: [base], [base+d8], [base+d32], [base+index*scale(+disp)], [index*scale+d32], [d32],
   * [rip+d32], [rsp+d], each also with 0x67. Base and index registers are pinned to values that
   * reach the target; with 0x67 their upper halves are random (they must be ignored).
   */
  memOp(o: MemOptions): Rm | null {
    const r = this.r;
    const off = o.target !== undefined ? -1 : (o.off ?? this.pickOffset(o.size, o.align));
    const target = o.target ?? SCRATCH_ADDR + off;
    const avoid = (o.avoid ?? 0) | (1 << RSP);
    const usable: number[] = [];
    for (let k = 0; k < (o.noRex ? 8 : 16); k++) if (!((avoid >> k) & 1) && this.canPin(k)) usable.push(k);
    const a32 = (o.a32 ?? true) && r.bool(0.15);
    const kinds = ['[b]', '[b+d8]', '[b+d32]', '[b+i*s]', '[b+i*s+d8]', '[b+i*s+d32]', '[i*s+d32]', '[d32]', '[rip+d32]', '[rsp+d]'];
    let kind = r.pick(kinds);
    const needs = kind.startsWith('[b+i') ? 2 : kind.startsWith('[b') || kind.startsWith('[i') ? 1 : 0;
    if (usable.length < needs) kind = r.pick(['[d32]', '[rip+d32]']);
    if (kind === '[rsp+d]' && (((this.locked >> RSP) & 1) || a32)) kind = '[rip+d32]';
    const rm: Rm = { mod: 0, rm3: 0, sib: -1, disp: 0, dispSize: 0, rexB: 0, rexX: 0, a32, ripTarget: null, kind, off, reg: null };
    const scaleBits = r.int(4);
    const scale = 1 << scaleBits;
    const abits = a32 ? 32 : 64;
    const wrapAddr = (v: bigint) => toUnsigned(v, abits);
    /** Under 0x67, half the time the registers' upper halves hold garbage (which must be ignored). */
    const hi = a32 && r.bool(0.5);
    const regValue = (v: bigint) => (hi ? (r.u64() & ~M32) | toUnsigned(v, 32) : toUnsigned(v, a32 ? 32 : 64));
    const d8 = () => r.range(-128, 127);
    const d32 = () => (r.bool(0.5) ? r.range(-0x8000, 0x7fff) : (r.u32() | 0));
    let wrap = false;
    const indexValue = (): bigint => {
      const p = r.int(20);
      if (p < 16) return BigInt(r.range(-16, 16));
      if (p < 19) return BigInt(r.u32() | 0);
      wrap = true; // base + index * scale wraps around 2^64 (or 2^32)
      return r.u64();
    };
    const T = BigInt(target);
    const rexOk = !o.noRex;
    switch (kind) {
      case '[b]': case '[b+d8]': case '[b+d32]': {
        const base = r.pick(usable);
        let mod = kind === '[b]' ? 0 : kind === '[b+d8]' ? 1 : 2;
        if (mod === 0 && (base & 7) === 5) mod = 1; // [rbp]/[r13] need a displacement
        const disp = mod === 0 ? 0 : mod === 1 ? d8() : d32();
        rm.mod = mod; rm.disp = disp; rm.dispSize = mod === 0 ? 0 : mod === 1 ? 1 : 4;
        rm.rexB = base >> 3;
        if ((base & 7) === 4) { rm.rm3 = 4; rm.sib = (r.int(4) << 6) | (4 << 3) | 4; } // [rsp]-style: SIB, no index (scale ignored)
        else rm.rm3 = base & 7;
        this.setFull(base, regValue(wrapAddr(T - BigInt(disp))));
        break;
      }
      case '[b+i*s]': case '[b+i*s+d8]': case '[b+i*s+d32]': {
        const base = r.pick(usable);
        const index = r.pick(usable.filter((k) => k !== base));
        let mod = kind === '[b+i*s]' ? 0 : kind === '[b+i*s+d8]' ? 1 : 2;
        if (mod === 0 && (base & 7) === 5) mod = 1;
        const disp = mod === 0 ? 0 : mod === 1 ? d8() : d32();
        rm.mod = mod; rm.disp = disp; rm.dispSize = mod === 0 ? 0 : mod === 1 ? 1 : 4;
        rm.rm3 = 4; rm.sib = (scaleBits << 6) | ((index & 7) << 3) | (base & 7);
        rm.rexB = base >> 3; rm.rexX = index >> 3;
        const iv = indexValue();
        this.setFull(index, regValue(iv));
        this.setFull(base, regValue(wrapAddr(T - BigInt(disp) - toSigned(toUnsigned(iv, abits), abits) * BigInt(scale))));
        break;
      }
      case '[i*s+d32]': {
        const index = r.pick(usable);
        const iv = BigInt(r.range(-64, 64));
        rm.mod = 0; rm.rm3 = 4; rm.sib = (scaleBits << 6) | ((index & 7) << 3) | 5;
        rm.rexX = index >> 3; rm.rexB = rexOk ? r.int(2) : 0; // REX.B does not turn base 101 into r13 here
        rm.disp = Number(T - iv * BigInt(scale)); rm.dispSize = 4;
        this.setFull(index, regValue(iv));
        break;
      }
      case '[d32]':
        rm.mod = 0; rm.rm3 = 4; rm.sib = (r.int(4) << 6) | (4 << 3) | 5;
        rm.rexB = rexOk ? r.int(2) : 0;
        rm.disp = target; rm.dispSize = 4;
        break;
      case '[rip+d32]':
        rm.mod = 0; rm.rm3 = 5; rm.dispSize = 4; rm.ripTarget = target;
        rm.rexB = rexOk ? r.int(2) : 0; // [rip+d32] even with REX.B (not [r13])
        break;
      case '[rsp+d]': {
        const disp = Number(T - this.gpr[RSP]);
        rm.rm3 = 4; rm.sib = (r.int(4) << 6) | (4 << 3) | 4;
        rm.disp = disp;
        if (disp === 0 && r.bool(0.5)) { rm.mod = 0; rm.dispSize = 0; }
        else if (disp >= -128 && disp < 128 && r.bool(0.7)) { rm.mod = 1; rm.dispSize = 1; }
        else { rm.mod = 2; rm.dispSize = 4; }
        break;
      }
    }
    // the variant names the addressing peculiarity, so that its mismatches are reported apart
    let v = '';
    if (a32) v += hi && kind !== '[d32]' && kind !== '[rip+d32]' ? ' a32 hi' : ' a32';
    if (wrap) v += ' wrap';
    const p = r.int(100);
    if (p < 5) { rm.seg = 0x65; v += ' gs'; } else if (p < 8) { rm.seg = r.pick([0x26, 0x2e, 0x36, 0x3e]); v += ' seg'; }
    rm.kind += v;
    this.variant += v;
    return rm;
  }

  /**
   * A memory operand for lea: any addressing form with any registers (rsp included as base, r12
   * as index), registers keeping their random values; nothing is accessed.
   */
  leaOperand(kind: string, a32: boolean, noRex: boolean): Rm {
    const r = this.r;
    const rm: Rm = { mod: 0, rm3: 0, sib: -1, disp: 0, dispSize: 0, rexB: 0, rexX: 0, a32, ripTarget: null, kind: kind + (a32 ? ' a32' : ''), off: -1, reg: null };
    const top = noRex ? 8 : 16;
    const anyReg = () => r.int(top);
    const d32 = () => (r.bool(0.3) ? r.range(-0x80, 0x7f) : (r.u32() | 0));
    switch (kind) {
      case '[b]': case '[b+d8]': case '[b+d32]': {
        const base = anyReg();
        let mod = kind === '[b]' ? 0 : kind === '[b+d8]' ? 1 : 2;
        if (mod === 0 && (base & 7) === 5) mod = 1;
        rm.mod = mod; rm.dispSize = mod === 0 ? 0 : mod === 1 ? 1 : 4;
        rm.disp = mod === 1 ? r.range(-128, 127) : mod === 2 ? d32() : 0;
        rm.rexB = base >> 3;
        if ((base & 7) === 4) { rm.rm3 = 4; rm.sib = (r.int(4) << 6) | (4 << 3) | 4; }
        else rm.rm3 = base & 7;
        break;
      }
      case '[b+i*s]': case '[b+i*s+d8]': case '[b+i*s+d32]': {
        const base = anyReg();
        let index = anyReg();
        if (index === RSP) index = noRex ? 0 : 12;
        let mod = kind === '[b+i*s]' ? 0 : kind === '[b+i*s+d8]' ? 1 : 2;
        if (mod === 0 && (base & 7) === 5) mod = 1;
        rm.mod = mod; rm.dispSize = mod === 0 ? 0 : mod === 1 ? 1 : 4;
        rm.disp = mod === 1 ? r.range(-128, 127) : mod === 2 ? d32() : 0;
        rm.rm3 = 4; rm.sib = (r.int(4) << 6) | ((index & 7) << 3) | (base & 7);
        rm.rexB = base >> 3; rm.rexX = index >> 3;
        break;
      }
      case '[i*s+d32]': {
        let index = anyReg();
        if (index === RSP) index = noRex ? 1 : 12;
        rm.mod = 0; rm.rm3 = 4; rm.sib = (r.int(4) << 6) | ((index & 7) << 3) | 5;
        rm.rexX = index >> 3; rm.rexB = noRex ? 0 : r.int(2);
        rm.disp = d32(); rm.dispSize = 4;
        break;
      }
      case '[d32]':
        rm.mod = 0; rm.rm3 = 4; rm.sib = (r.int(4) << 6) | (4 << 3) | 5; rm.rexB = noRex ? 0 : r.int(2);
        rm.disp = d32(); rm.dispSize = 4;
        break;
      case '[rip+d32]':
        rm.mod = 0; rm.rm3 = 5; rm.dispSize = 4;
        rm.ripTarget = DATA_ADDR + r.int(DATA_SIZE);
        rm.rexB = noRex ? 0 : r.int(2);
        break;
      default: throw new Error(`unknown lea form ${kind}`);
    }
    return rm;
  }
}

