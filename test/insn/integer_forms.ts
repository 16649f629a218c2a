// Owns the integer suite: the general-purpose instruction forms with the flags the Intel SDM
// defines for each, and how the driver (test/insn/suite.ts) generates, compares, describes and
// judges their cases (INTEGER_SUITE, run by integer.test.ts and integer_compiled.test.ts).
// Every form is one mnemonic x operand encoding x operand width x register/memory (x lock), so a
// mismatch report names exactly the encoding that is wrong.
//
// A form's generator fills the case state (Gen) and returns the assembled instruction with its
// flag effects: the flags it reads, the flags it defines, the flags the SDM leaves undefined, and
// registers/memory it leaves undefined. For a sequence, the undefined set is propagated
// (U = (U & ~defined) | undefined), and a form that would read an undefined flag is not placed there.

import {
  assemble, interesting, le, maskBits, toSigned, toUnsigned, type ByteMode, type Enc, type Gen, type Reg, type Rm,
} from './gen.js';
import {
  AF, ARITH, CF, DATA_ADDR, DATA_SIZE, DF, FLAG_NAMES, GPR_NAMES, IN_FLAGS, IN_GPR, IN_MEM, INTEGER_LAYOUT, MEM_SIZE, OF, PF,
  SCRATCH_ADDR, SF, ZF, Comparison, Emulator, hexBytes,
} from './machine.js';
import type { Suite } from './suite.js';

/** One generated instruction. */
export interface Ins {
  bytes: number[];
  /** Flags read (a sequence never puts it after an instruction that left one of them undefined). */
  reads: number;
  /** Flags set to defined values. */
  writes: number;
  /** Flags left undefined (SDM). */
  undef: number;
  /** Registers possibly written (bit n = register n). */
  wregs: number;
  /** Registers left undefined (SDM). */
  undefRegs?: number;
  /** Scratch bytes left undefined (SDM). */
  undefMem?: bigint;
  /** Flags undefined if the instruction faults part-way (forms that fault are never in sequences). */
  faultUndef?: number;
}

export interface Form {
  /** Unique: mnemonic, operand forms, width, register/memory, prefixes ("add Ev,Gv 32 mem lock"). */
  name: string;
  family: string;
  /** May appear in a multi-instruction snippet (its masks do not depend on values, it pins nothing
   *  that a sequence cannot provide, and it cannot fault). */
  seq: boolean;
  /** Returns null when it cannot be placed here (a register it must pin is taken); retried. */
  gen: (g: Gen) => Ins | null;
}

// =============================================================================================
// The mask table: what each instruction does to the flags, from the "Flags Affected" section of
// its page in the Intel SDM, Vol. 2 (2A: A-L, 2B: M-U, 2C: V-Z). `reads` are the flags it reads,
// `writes` those it sets to defined values, `undef` those the SDM leaves undefined (masked in the
// comparison). Flags in none of them are unaffected and must be preserved.
// =============================================================================================

interface Fx { reads: number; writes: number; undef: number }
const fx = (reads: number, writes: number, undef: number): Fx => ({ reads, writes, undef });
const NONE = fx(0, 0, 0);

/** Flags a condition code reads (SDM Vol. 1, Appendix B, EFLAGS Condition Codes). */
export function condReads(cc: number): number {
  return [OF, CF, ZF, CF | ZF, SF, PF, SF | OF, ZF | SF | OF][cc >> 1];
}

const SDM = {
  // ADD, SUB, CMP (2A "ADD", 2B "SUB", 2A "CMP"): "The OF, SF, ZF, AF, CF, and PF flags are set according to the result."
  add: fx(0, ARITH, 0),
  sub: fx(0, ARITH, 0),
  cmp: fx(0, ARITH, 0),
  // ADC, SBB (2A "ADC", 2B "SBB"): as ADD/SUB, and they read CF.
  adc: fx(CF, ARITH, 0),
  sbb: fx(CF, ARITH, 0),
  // AND, OR, XOR (2A "AND", 2B "OR", 2C "XOR"): "The OF and CF flags are cleared; the SF, ZF, and PF flags are set
  // according to the result. The state of the AF flag is undefined."
  and: fx(0, ARITH & ~AF, AF),
  or: fx(0, ARITH & ~AF, AF),
  xor: fx(0, ARITH & ~AF, AF),
  // TEST (2B "TEST"): "The OF and CF flags are set to 0. The SF, ZF, and PF flags are set according to the result.
  // The state of the AF flag is undefined."
  test: fx(0, ARITH & ~AF, AF),
  // INC, DEC (2A "INC", "DEC"): "The CF flag is not affected. The OF, SF, ZF, AF, and PF flags are set according to the result."
  inc: fx(0, ARITH & ~CF, 0),
  dec: fx(0, ARITH & ~CF, 0),
  // NEG (2B "NEG"): "The CF flag set to 0 if the source operand is 0; otherwise it is set to 1. The OF, SF, ZF, AF,
  // and PF flags are set according to the result."
  neg: fx(0, ARITH, 0),
  // NOT (2B "NOT"): "None".
  not: NONE,
  // MUL (2B "MUL"): "The OF and CF flags are set to 0 if the upper half of the result is 0; otherwise, they are set
  // to 1. The SF, ZF, AF, and PF flags are undefined."
  mul: fx(0, OF | CF, SF | ZF | AF | PF),
  // IMUL (2A "IMUL"): CF and OF report truncation (one operand: into the upper half; two and three operands: of the
  // destination). "The SF, ZF, AF, and PF flags are undefined."
  imul: fx(0, OF | CF, SF | ZF | AF | PF),
  // DIV, IDIV (2A "DIV", "IDIV"): "The CF, OF, SF, ZF, AF, and PF flags are undefined."
  div: fx(0, 0, ARITH),
  idiv: fx(0, 0, ARITH),
  // BT, BTS, BTR, BTC (2A "BT", "BTC", "BTR", "BTS"): "The CF flag contains the value of the selected bit [before it
  // is changed]. The ZF flag is unaffected. The OF, SF, AF, and PF flags are undefined."
  bt: fx(0, CF, OF | SF | AF | PF),
  // BSF, BSR (2A "BSF", "BSR"): "The ZF flag is set to 1 if the source operand is 0; otherwise, the ZF flag is
  // cleared. The CF, OF, SF, AF, and PF flags are undefined." The destination is undefined for a zero source
  // ("If the content of the source operand is 0, the content of the destination operand is undefined"): masked
  // by the generator.
  bsf: fx(0, ZF, CF | OF | SF | AF | PF),
  // CMPXCHG (2A "CMPXCHG"): "The ZF flag is set if the values in the destination operand and register AL, AX, or EAX
  // are equal; otherwise it is cleared. The CF, PF, AF, SF, and OF flags are set according to the results of the
  // comparison operation."
  cmpxchg: fx(0, ARITH, 0),
  // CMPXCHG8B/16B (2A "CMPXCHG8B/CMPXCHG16B"): "The ZF flag is set if the destination operand and EDX:EAX are equal;
  // otherwise it is cleared. The CF, PF, AF, SF, and OF flags are unaffected."
  cmpxchg8b: fx(0, ZF, 0),
  // XADD (2C "XADD"): "The CF, PF, AF, SF, ZF, and OF flags are set according to the result of the addition, which is
  // stored in the destination operand."
  xadd: fx(0, ARITH, 0),
  // SAHF (2B "SAHF"): "The SF, ZF, AF, PF, and CF flags are loaded with values from the AH register." OF unaffected.
  sahf: fx(0, SF | ZF | AF | PF | CF, 0),
  // LAHF (2A "LAHF"): flags unaffected; reads SF ZF AF PF CF into AH.
  lahf: fx(SF | ZF | AF | PF | CF, 0, 0),
  // CLC, STC (2A "CLC", 2B "STC"): CF cleared / set; "The OF, ZF, SF, AF, and PF flags are unaffected."
  clc: fx(0, CF, 0),
  stc: fx(0, CF, 0),
  // CMC (2A "CMC"): "The CF flag contains the complement of its original value."
  cmc: fx(CF, CF, 0),
  // CLD, STD (2A "CLD", 2B "STD"): only DF (compared, never undefined).
  cld: NONE,
  std: NONE,
  // CMPS, SCAS (2A "CMPS", 2B "SCAS"): "The CF, OF, SF, ZF, AF, and PF flags are set according to the temporary
  // result of the comparison." With a REP prefix and rCX = 0 nothing executes (2B "REP/REPE/REPZ/REPNE/REPNZ").
  cmps: fx(0, ARITH, 0),
  // MOV, MOVZX, MOVSX, MOVSXD, BSWAP, XCHG, LEA, CBW/CWDE/CDQE, CWD/CDQ/CQO, MOVS, STOS, LODS, XLAT, PUSH, POP,
  // PUSHF (each: "Flags Affected: None."), CMOVcc and SETcc (2A "CMOVcc", 2B "SETcc": none; they read the condition),
  // Jcc, LOOP/LOOPcc, JrCXZ (2A "Jcc", "LOOP/LOOPcc": none).
  none: NONE,
  // POPF (2B "POPF/POPFD/POPFQ"): the flags are loaded from the stack (here: the arithmetic flags and DF).
  popf: fx(0, ARITH, 0),
};

/**
 * SAL/SAR/SHL/SHR (2B "SAL/SAR/SHL/SHR"): the count is masked to 5 bits (6 with REX.W). "If the count is 0, the
 * flags are not affected." Otherwise CF is the last bit shifted out, but "it is undefined for SHL and SHR
 * instructions where the count is greater than or equal to the size (in bits) of the destination operand"; "The OF
 * flag is affected only for 1-bit shifts ...; otherwise, it is undefined"; "The SF, ZF, and PF flags are set
 * according to the result"; "For a non-zero count, the AF flag is undefined."
 */
function shiftFx(kind: 'shl' | 'shr' | 'sar', count: number, bits: number): Fx {
  const c = count & (bits === 64 ? 63 : 31);
  if (c === 0) return NONE;
  let writes = SF | ZF | PF | CF | (c === 1 ? OF : 0);
  let undef = AF | (c === 1 ? 0 : OF);
  if (kind !== 'sar' && c >= bits) { writes &= ~CF; undef |= CF; }
  return fx(0, writes, undef);
}

/**
 * RCL/RCR/ROL/ROR (2B "RCL/RCR/ROL/ROR"): "If the masked count is 0, the flags are not affected. If the masked count
 * is 1, then the OF flag is affected, otherwise (masked count is greater than 1) the OF flag is undefined. The CF
 * flag is affected when the masked count is non-zero. The SF, ZF, AF, and PF flags are always unaffected." RCL and
 * RCR read CF.
 */
function rotateFx(kind: 'rol' | 'ror' | 'rcl' | 'rcr', count: number, bits: number): Fx {
  const c = count & (bits === 64 ? 63 : 31);
  const reads = kind === 'rcl' || kind === 'rcr' ? CF : 0;
  if (c === 0) return fx(reads, 0, 0);
  return fx(reads, CF | (c === 1 ? OF : 0), c === 1 ? 0 : OF);
}

/**
 * SHLD/SHRD (2B "SHLD", "SHRD"): count masked to 5 bits (6 with REX.W). "If the count operand is 0, the flags are
 * not affected." "If the count is 1 or greater, the CF flag is filled with the last bit shifted out of the
 * destination operand and the SF, ZF, and PF flags are set according to the value of the result. For a 1-bit shift,
 * the OF flag is set if a sign change occurred; otherwise, it is cleared. For shifts greater than 1 bit, the OF flag
 * is undefined. If a shift occurs, the AF flag is undefined. If the count operand is greater than the operand size,
 * the flags are undefined" - and so is the destination ("If the count is greater than the operand size, the result
 * is undefined"), which only a 16-bit operand can reach.
 */
function shiftDoubleFx(count: number, bits: number): Fx & { destUndef: boolean } {
  const c = count & (bits === 64 ? 63 : 31);
  if (c === 0) return { ...NONE, destUndef: false };
  if (c > bits) return { ...fx(0, 0, ARITH), destUndef: true };
  return { ...fx(0, CF | SF | ZF | PF | (c === 1 ? OF : 0), AF | (c === 1 ? 0 : OF)), destUndef: false };
}

// =============================================================================================
// Widths and encoding helpers
// =============================================================================================

interface W { bits: number; mode: ByteMode | null; label: string }
const W8: W = { bits: 8, mode: 'norex', label: '8' };
const W8R: W = { bits: 8, mode: 'rex', label: '8rex' };
const W16: W = { bits: 16, mode: null, label: '16' };
const W32: W = { bits: 32, mode: null, label: '32' };
const W64: W = { bits: 64, mode: null, label: '64' };
const BYTE_WIDTHS = [W8, W8R];
const V_WIDTHS = [W16, W32, W64];
const ALL_WIDTHS = [W8, W8R, W16, W32, W64];

const osz = (w: W): number => w.bits / 8;
const regBit = (reg: Reg | null | undefined): number => (reg ? 1 << reg.full : 0);
const rmRegBit = (rm: Rm): number => regBit(rm.reg);

function emit(g: Gen, w: W | null, e: Enc): number[] {
  // Sometimes a redundant operand-size prefix: REX.W overrides 0x66, and 0x66 does not change a byte operation.
  let pfx = e.pfx;
  if ((e.osz === 8 && !e.noRexW && g.r.bool(0.06)) || (w?.bits === 8 && (e.osz ?? 1) === 1 && g.r.bool(0.04))) {
    pfx = [...(pfx ?? []), 0x66];
    g.variant += ' +66';
  }
  return assemble({ ...e, pfx, forceRex: e.forceRex || w?.mode === 'rex', noRex: e.noRex || w?.mode === 'norex' }, g.codeAddr + g.pos);
}

/** An r/m operand of width w: a register, or memory in the scratch block. */
function eOperand(g: Gen, w: W, loc: 'reg' | 'mem', o: { avoid?: number; align?: number } = {}): Rm | null {
  if (loc === 'reg') {
    const reg = g.pickReg(w.bits, w.mode, { avoid: o.avoid });
    return reg ? g.regRm(reg) : null;
  }
  return g.memOp({ size: w.bits / 8, noRex: w.mode === 'norex', avoid: o.avoid, align: o.align });
}

/** Immediate bytes of an Ib (8 bits) or Iz (16 or 32 bits by operand size) immediate. */
function immBits(kind: 'Ib' | 'Iz', w: W): number { return kind === 'Ib' ? 8 : w.bits === 16 ? 16 : w.bits === 8 ? 8 : 32; }

/** Mask of the scratch bytes [off, off+n). */
function memMask(off: number, n: number): bigint { return off < 0 ? 0n : maskBits(n) << BigInt(off); }

const forms: Form[] = [];
function add(name: string, family: string, seq: boolean, gen: (g: Gen) => Ins | null): void {
  if (forms.some((f) => f.name === name)) throw new Error(`duplicate form ${name}`);
  forms.push({ name, family, seq, gen });
}

// =============================================================================================
// ALU: add or adc sbb and sub xor cmp, test
// =============================================================================================

const ALU = ['add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp'] as const;

type Dir = 'E,G' | 'G,E' | 'A,I' | 'E,I';
interface BinSpec {
  op: number[];
  digit?: number;
  dir: Dir;
  imm?: 'Ib' | 'Iz';
  w: W;
  loc: 'reg' | 'mem';
  lock: boolean;
  fx: Fx;
  writesDest: boolean;
}

function genBinary(g: Gen, s: BinSpec): Ins | null {
  const r = g.r, bits = s.w.bits;
  let E: Rm | null = null;
  let G: Reg | null = null;
  if (s.dir !== 'A,I') { E = eOperand(g, s.w, s.loc); if (!E) return null; }
  if (s.dir === 'E,G' || s.dir === 'G,E') { G = g.pickReg(bits, s.w.mode); if (!G) return null; }
  if (E) g.setOperand(E, bits, interesting(r, bits));
  if (s.dir === 'A,I') g.setBits(0, 0, bits, interesting(r, bits));
  if (G) g.setReg(G, E && r.bool(0.15) ? g.getOperand(E, bits) : interesting(r, bits));
  let imm: number[] | undefined;
  if (s.imm) {
    const ib = immBits(s.imm, s.w);
    let v = interesting(r, ib);
    // sometimes equal to the operand (cmp/sub to zero, and/test with itself)
    if (r.bool(0.1)) v = (E ? g.getOperand(E, bits) : g.gpr[0]) & maskBits(ib);
    imm = le(v, ib / 8);
  }
  const bytes = emit(g, s.w, {
    pfx: s.lock ? [0xf0] : [], osz: osz(s.w), op: s.op,
    reg: s.digit ?? G?.enc, rm: E ?? undefined, imm,
  });
  let dest = 0;
  if (s.writesDest) dest = s.dir === 'G,E' ? regBit(G) : s.dir === 'A,I' ? 1 : E ? rmRegBit(E) : 0;
  return { bytes, ...s.fx, wregs: dest };
}

function binaryForms(mn: string, family: string, f: Fx, writesDest: boolean, encs: {
  label: string; dir: Dir; imm?: 'Ib' | 'Iz'; widths: W[]; op: (w: W) => number[]; digit?: number; locs?: ('reg' | 'mem')[];
}[]): void {
  for (const e of encs) {
    for (const w of e.widths) {
      for (const loc of e.locs ?? (e.dir === 'A,I' ? ['reg'] as const : ['reg', 'mem'] as const)) {
        const locks = loc === 'mem' && writesDest && (e.dir === 'E,G' || e.dir === 'E,I') ? [false, true] : [false];
        for (const lock of locks) {
          const name = `${mn} ${e.label} ${w.label}${e.dir === 'A,I' ? '' : ` ${loc}`}${lock ? ' lock' : ''}`;
          add(name, family, true, (g) => genBinary(g, { op: e.op(w), digit: e.digit, dir: e.dir, imm: e.imm, w, loc, lock, fx: f, writesDest }));
        }
      }
    }
  }
}

ALU.forEach((mn, k) => {
  const base = k * 8;
  binaryForms(mn, 'alu', SDM[mn], mn !== 'cmp', [
    { label: 'Eb,Gb', dir: 'E,G', widths: BYTE_WIDTHS, op: () => [base] },
    { label: 'Ev,Gv', dir: 'E,G', widths: V_WIDTHS, op: () => [base + 1] },
    { label: 'Gb,Eb', dir: 'G,E', widths: BYTE_WIDTHS, op: () => [base + 2] },
    { label: 'Gv,Ev', dir: 'G,E', widths: V_WIDTHS, op: () => [base + 3] },
    { label: 'AL,Ib', dir: 'A,I', imm: 'Ib', widths: [W8], op: () => [base + 4] },
    { label: 'rAX,Iz', dir: 'A,I', imm: 'Iz', widths: V_WIDTHS, op: () => [base + 5] },
    { label: 'Eb,Ib', dir: 'E,I', imm: 'Ib', widths: BYTE_WIDTHS, op: () => [0x80], digit: k },
    { label: 'Ev,Iz', dir: 'E,I', imm: 'Iz', widths: V_WIDTHS, op: () => [0x81], digit: k },
    { label: 'Ev,Ib', dir: 'E,I', imm: 'Ib', widths: V_WIDTHS, op: () => [0x83], digit: k },
  ]);
});
binaryForms('test', 'alu', SDM.test, false, [
  { label: 'Eb,Gb', dir: 'E,G', widths: BYTE_WIDTHS, op: () => [0x84] },
  { label: 'Ev,Gv', dir: 'E,G', widths: V_WIDTHS, op: () => [0x85] },
  { label: 'AL,Ib', dir: 'A,I', imm: 'Ib', widths: [W8], op: () => [0xa8] },
  { label: 'rAX,Iz', dir: 'A,I', imm: 'Iz', widths: V_WIDTHS, op: () => [0xa9] },
  { label: 'Eb,Ib', dir: 'E,I', imm: 'Ib', widths: BYTE_WIDTHS, op: () => [0xf6], digit: 0 },
  { label: 'Ev,Iz', dir: 'E,I', imm: 'Iz', widths: V_WIDTHS, op: () => [0xf7], digit: 0 },
]);

// =============================================================================================
// inc dec not neg
// =============================================================================================

for (const [mn, op8, opv, digit] of [['inc', 0xfe, 0xff, 0], ['dec', 0xfe, 0xff, 1], ['not', 0xf6, 0xf7, 2], ['neg', 0xf6, 0xf7, 3]] as const) {
  for (const w of ALL_WIDTHS) {
    for (const loc of ['reg', 'mem'] as const) {
      for (const lock of loc === 'mem' ? [false, true] : [false]) {
        add(`${mn} E ${w.label} ${loc}${lock ? ' lock' : ''}`, 'unary', true, (g) => {
          const E = eOperand(g, w, loc);
          if (!E) return null;
          g.setOperand(E, w.bits, interesting(g.r, w.bits));
          const bytes = emit(g, w, { pfx: lock ? [0xf0] : [], osz: osz(w), op: [w.bits === 8 ? op8 : opv], reg: digit, rm: E });
          return { bytes, ...SDM[mn], wregs: rmRegBit(E) };
        });
      }
    }
  }
}

// =============================================================================================
// Shifts and rotates: by 1 (D0/D1), by CL (D2/D3), by imm8 (C0/C1)
// =============================================================================================

const SHIFTS = [['rol', 0], ['ror', 1], ['rcl', 2], ['rcr', 3], ['shl', 4], ['shr', 5], ['sar', 7]] as const;

/** A shift count for CL: 0..70 mostly (past every mask), sometimes any byte. */
function clCount(g: Gen): number { return g.r.bool(0.85) ? g.r.range(0, 70) : g.r.int(256); }
function immCount(g: Gen): number { return g.r.bool(0.8) ? g.r.range(0, 70) : g.r.int(256); }

for (const [mn, digit] of SHIFTS) {
  for (const by of ['1', 'CL', 'Ib'] as const) {
    for (const w of ALL_WIDTHS) {
      for (const loc of ['reg', 'mem'] as const) {
        add(`${mn} E,${by} ${w.label} ${loc}`, 'shift', by !== 'CL', (g) => {
          let count = 1;
          if (by === 'CL') {
            count = clCount(g);
            if (!g.setBits(1, 0, 8, BigInt(count))) return null;
          } else if (by === 'Ib') count = immCount(g);
          const E = eOperand(g, w, loc);
          if (!E) return null;
          g.setOperand(E, w.bits, interesting(g.r, w.bits));
          if (by === 'CL') count = Number(g.gpr[1] & 0xffn); // the operand may be cl itself
          const op = by === '1' ? 0xd0 : by === 'CL' ? 0xd2 : 0xc0;
          const bytes = emit(g, w, { osz: osz(w), op: [w.bits === 8 ? op : op + 1], reg: digit, rm: E, imm: by === 'Ib' ? [count] : undefined });
          const f = mn === 'shl' || mn === 'shr' || mn === 'sar' ? shiftFx(mn, count, w.bits) : rotateFx(mn, count, w.bits);
          return { bytes, ...f, wregs: rmRegBit(E) };
        });
      }
    }
  }
}

// shld / shrd
for (const [mn, opI, opCL] of [['shld', 0xa4, 0xa5], ['shrd', 0xac, 0xad]] as const) {
  for (const by of ['Ib', 'CL'] as const) {
    for (const w of V_WIDTHS) {
      for (const loc of ['reg', 'mem'] as const) {
        add(`${mn} Ev,Gv,${by} ${w.label} ${loc}`, 'shift', false, (g) => {
          let count: number;
          if (by === 'CL') { count = clCount(g); if (!g.setBits(1, 0, 8, BigInt(count))) return null; }
          else count = immCount(g);
          const E = eOperand(g, w, loc);
          const G = g.pickReg(w.bits, null);
          if (!E || !G) return null;
          g.setOperand(E, w.bits, interesting(g.r, w.bits));
          g.setReg(G, interesting(g.r, w.bits));
          if (by === 'CL') count = Number(g.gpr[1] & 0xffn);
          const bytes = emit(g, w, { osz: osz(w), op: [0x0f, by === 'Ib' ? opI : opCL], reg: G.enc, rm: E, imm: by === 'Ib' ? [count] : undefined });
          const f = shiftDoubleFx(count, w.bits);
          return {
            bytes, reads: f.reads, writes: f.writes, undef: f.undef, wregs: rmRegBit(E),
            undefRegs: f.destUndef ? rmRegBit(E) : 0, undefMem: f.destUndef ? memMask(E.off, w.bits / 8) : 0n,
          };
        });
      }
    }
  }
}

// =============================================================================================
// mul imul div idiv
// =============================================================================================

for (const [mn, digit] of [['mul', 4], ['imul', 5]] as const) {
  for (const w of ALL_WIDTHS) {
    for (const loc of ['reg', 'mem'] as const) {
      add(`${mn} E ${w.label} ${loc}`, 'muldiv', true, (g) => {
        const E = eOperand(g, w, loc);
        if (!E) return null;
        g.setBits(0, 0, w.bits, interesting(g.r, w.bits));
        g.setOperand(E, w.bits, interesting(g.r, w.bits));
        const bytes = emit(g, w, { osz: osz(w), op: [w.bits === 8 ? 0xf6 : 0xf7], reg: digit, rm: E });
        return { bytes, ...SDM[mn], wregs: w.bits === 8 ? 1 : 1 | 4 };
      });
    }
  }
}
for (const w of V_WIDTHS) {
  for (const loc of ['reg', 'mem'] as const) {
    for (const form of ['Gv,Ev', 'Gv,Ev,Ib', 'Gv,Ev,Iz'] as const) {
      add(`imul ${form} ${w.label} ${loc}`, 'muldiv', true, (g) => {
        const E = eOperand(g, w, loc);
        const G = g.pickReg(w.bits, null);
        if (!E || !G) return null;
        g.setOperand(E, w.bits, interesting(g.r, w.bits));
        g.setReg(G, interesting(g.r, w.bits));
        const ib = form === 'Gv,Ev' ? 0 : form === 'Gv,Ev,Ib' ? 8 : immBits('Iz', w);
        const op = form === 'Gv,Ev' ? [0x0f, 0xaf] : form === 'Gv,Ev,Ib' ? [0x6b] : [0x69];
        const bytes = emit(g, w, { osz: osz(w), op, reg: G.enc, rm: E, imm: ib ? le(interesting(g.r, ib), ib / 8) : undefined });
        return { bytes, ...SDM.imul, wregs: regBit(G) };
      });
    }
  }
}

/** A dividend and divisor for DIV/IDIV of `bits` bits: valid, divide by zero, or quotient overflow. */
function divOperands(g: Gen, signed: boolean, bits: number): { n: bigint; d: bigint } {
  const r = g.r, B = BigInt(bits);
  const p = r.int(100);
  const nz = () => { let d = 0n; while (d === 0n) d = interesting(r, bits); return d; };
  if (p < 10) return { n: r.bits(2 * bits), d: 0n };
  if (!signed) {
    const d = nz();
    if (p < 25) { // quotient overflow: high half >= divisor
      const hi = d + (r.bool(0.5) ? 0n : r.bits(bits)) ; const h = hi > maskBits(bits) ? d : hi;
      return { n: (h << B) | r.bits(bits), d };
    }
    const q = r.bool(0.7) ? interesting(r, bits) : r.bits(bits);
    const rem = r.bits(bits) % d;
    return { n: q * d + rem, d };
  }
  const min = -(1n << (B - 1n)), max = (1n << (B - 1n)) - 1n;
  for (;;) {
    const d = toSigned(nz(), bits);
    let q: bigint;
    if (p < 25) {
      q = r.bool(0.5) ? max + 1n + BigInt(r.int(3)) : min - 1n - BigInt(r.int(3));
      if (r.bool(0.3)) { // the classic: most negative / -1
        return { n: toUnsigned(min, 2 * bits), d: toUnsigned(-1n, bits) };
      }
    } else {
      q = toSigned(interesting(r, bits), bits);
    }
    const n0 = q * d;
    const ad = d < 0n ? -d : d;
    let rem = ad > 1n ? r.bits(bits) % ad : 0n;
    if (n0 < 0n || (n0 === 0n && r.bool(0.5))) rem = -rem;
    const n = n0 + rem;
    const lim = 1n << (2n * B - 1n);
    if (n >= lim || n < -lim) continue;
    return { n: toUnsigned(n, 2 * bits), d: toUnsigned(d, bits) };
  }
}

for (const [mn, digit] of [['div', 6], ['idiv', 7]] as const) {
  for (const w of ALL_WIDTHS) {
    for (const loc of ['reg', 'mem'] as const) {
      add(`${mn} E ${w.label} ${loc}`, 'muldiv', false, (g) => {
        const { n, d } = divOperands(g, mn === 'idiv', w.bits);
        if (w.bits === 8) g.setBits(0, 0, 16, n);
        else { g.setBits(0, 0, w.bits, n & maskBits(w.bits)); g.setBits(2, 0, w.bits, n >> BigInt(w.bits)); }
        // the divisor: rarely rax/rdx themselves (then it is part of the dividend)
        const E = eOperand(g, w, loc, { avoid: g.r.bool(0.9) ? 1 | 4 : 0 });
        if (!E) return null;
        g.setOperand(E, w.bits, d);
        const bytes = emit(g, w, { osz: osz(w), op: [w.bits === 8 ? 0xf6 : 0xf7], reg: digit, rm: E });
        return { bytes, ...SDM[mn], wregs: w.bits === 8 ? 1 : 1 | 4 };
      });
    }
  }
}

// =============================================================================================
// bt bts btr btc, bsf bsr, bswap
// =============================================================================================

const BTS = [['bt', 0xa3, 4], ['bts', 0xab, 5], ['btr', 0xb3, 6], ['btc', 0xbb, 7]] as const;
for (const [mn, opG, digit] of BTS) {
  for (const by of ['Gv', 'Ib'] as const) {
    for (const w of V_WIDTHS) {
      for (const loc of ['reg', 'mem'] as const) {
        for (const lock of loc === 'mem' && mn !== 'bt' ? [false, true] : [false]) {
          // Memory with a register offset addresses beyond the operand: the generator pins the offset and
          // aims the effective address so that the selected word lies in the scratch block.
          const far = by === 'Gv' && loc === 'mem';
          add(`${mn} Ev,${by} ${w.label} ${loc}${lock ? ' lock' : ''}`, 'bit', !far, (g) => {
            const r = g.r, bytesW = w.bits / 8;
            let E: Rm | null, G: Reg | null = null, imm: number[] | undefined;
            if (far) {
              G = g.pickReg(w.bits, null, { pinnable: true });
              if (!G) return null;
              const tOff = g.pickOffset(bytesW);
              const maxQ = w.bits === 16 ? 2047 : 1 << 20;
              const q = r.int(10) < 7 ? r.range(-8, 8) : r.int(10) < 9 ? r.range(-1000, 1000) : r.range(-maxQ, maxQ);
              const off = BigInt(q) * BigInt(w.bits) + BigInt(r.int(w.bits));
              g.setBits(G.full, 0, w.bits, toUnsigned(off, w.bits)); // the bits above the operand size are ignored
              E = g.memOp({ size: bytesW, target: SCRATCH_ADDR + tOff - bytesW * q, a32: false });
              if (!E) return null;
            } else {
              E = eOperand(g, w, loc);
              if (!E) return null;
              g.setOperand(E, w.bits, interesting(r, w.bits));
              if (by === 'Gv') { G = g.pickReg(w.bits, null); if (!G) return null; g.setReg(G, r.bool(0.5) ? BigInt(r.int(256)) : interesting(r, w.bits)); }
              else imm = [r.int(256)];
            }
            const bytes = emit(g, w, {
              pfx: lock ? [0xf0] : [], osz: osz(w), op: by === 'Gv' ? [0x0f, opG] : [0x0f, 0xba],
              reg: by === 'Gv' ? G!.enc : digit, rm: E, imm,
            });
            return { bytes, ...SDM.bt, wregs: mn === 'bt' ? 0 : rmRegBit(E) };
          });
        }
      }
    }
  }
}

for (const [mn, op] of [['bsf', 0xbc], ['bsr', 0xbd]] as const) {
  for (const w of V_WIDTHS) {
    for (const loc of ['reg', 'mem'] as const) {
      add(`${mn} Gv,Ev ${w.label} ${loc}`, 'bit', false, (g) => {
        const E = eOperand(g, w, loc);
        const G = g.pickReg(w.bits, null);
        if (!E || !G) return null;
        g.setReg(G, interesting(g.r, w.bits));
        g.setOperand(E, w.bits, g.r.bool(0.2) ? 0n : interesting(g.r, w.bits));
        const src = g.getOperand(E, w.bits);
        const bytes = emit(g, w, { osz: osz(w), op: [0x0f, op], reg: G.enc, rm: E });
        return { bytes, ...SDM.bsf, wregs: regBit(G), undefRegs: src === 0n ? regBit(G) : 0 };
      });
    }
  }
}

for (const w of [W32, W64]) {
  add(`bswap r ${w.label}`, 'bit', true, (g) => {
    const R = g.pickReg(w.bits, null);
    if (!R) return null;
    return { bytes: emit(g, w, { osz: osz(w), op: [0x0f, 0xc8], opReg: R.enc }), ...SDM.none, wregs: regBit(R) };
  });
}

// =============================================================================================
// cmovcc setcc jcc
// =============================================================================================

const CC = ['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g'];
CC.forEach((cc, k) => {
  for (const w of V_WIDTHS) {
    for (const loc of ['reg', 'mem'] as const) {
      add(`cmov${cc} Gv,Ev ${w.label} ${loc}`, 'cond', true, (g) => {
        const E = eOperand(g, w, loc);
        const G = g.pickReg(w.bits, null);
        if (!E || !G) return null;
        const bytes = emit(g, w, { osz: osz(w), op: [0x0f, 0x40 + k], reg: G.enc, rm: E });
        return { bytes, reads: condReads(k), writes: 0, undef: 0, wregs: regBit(G) };
      });
    }
  }
  for (const w of BYTE_WIDTHS) {
    for (const loc of ['reg', 'mem'] as const) {
      if (loc === 'mem' && w.mode === 'rex') continue;
      add(`set${cc} Eb ${loc === 'mem' ? '8' : w.label} ${loc}`, 'cond', true, (g) => {
        const E = eOperand(g, w, loc);
        if (!E) return null;
        const bytes = emit(g, w, { op: [0x0f, 0x90 + k], reg: 0, rm: E });
        return { bytes, reads: condReads(k), writes: 0, undef: 0, wregs: rmRegBit(E) };
      });
    }
  }
  // jcc over a one-instruction body ("not r32"): whether it jumped shows in the register
  for (const rel of ['rel8', 'rel32'] as const) {
    add(`j${cc} ${rel}`, 'cond', true, (g) => {
      const R = g.pickReg(32, null);
      if (!R) return null;
      const body = assemble({ op: [0xf7], reg: 2, rm: g.regRm(R) }, 0);
      const jmp = rel === 'rel8' ? [0x70 + k, body.length] : [0x0f, 0x80 + k, ...le(body.length, 4)];
      return { bytes: [...jmp, ...body], reads: condReads(k), writes: 0, undef: 0, wregs: regBit(R) };
    });
  }
});

// loop / loope / loopne / jrcxz over "not r32" (rcx counts down; with 0x67, ecx)
for (const [mn, op, reads] of [['loop', 0xe2, 0], ['loope', 0xe1, ZF], ['loopne', 0xe0, ZF], ['jrcxz', 0xe3, 0]] as const) {
  for (const a32 of [false, true]) {
    add(`${mn}${a32 ? ' addr32' : ''}`, 'cond', true, (g) => {
      const R = g.pickReg(32, null, { avoid: 2 });
      if (!R) return null;
      if (g.r.bool(0.5)) g.setBits(1, 0, 64, BigInt(g.r.range(0, 2)) | (g.r.bool(0.5) ? 0n : g.r.u64() & ~0xffffffffn));
      const body = assemble({ op: [0xf7], reg: 2, rm: g.regRm(R) }, 0);
      return { bytes: [...(a32 ? [0x67] : []), op, body.length, ...body], reads, writes: 0, undef: 0, wregs: regBit(R) | (mn === 'jrcxz' ? 0 : 2) };
    });
  }
}

// =============================================================================================
// Moves: mov movzx movsx movsxd, cbw/cwde/cdqe cwd/cdq/cqo, xlat
// =============================================================================================

for (const w of ALL_WIDTHS) {
  const b = w.bits === 8;
  for (const loc of ['reg', 'mem'] as const) {
    add(`mov ${b ? 'Eb,Gb' : 'Ev,Gv'} ${w.label} ${loc}`, 'mov', true, (g) => {
      const E = eOperand(g, w, loc), G = g.pickReg(w.bits, w.mode);
      if (!E || !G) return null;
      return { bytes: emit(g, w, { osz: osz(w), op: [b ? 0x88 : 0x89], reg: G.enc, rm: E }), ...SDM.none, wregs: rmRegBit(E) };
    });
    add(`mov ${b ? 'Gb,Eb' : 'Gv,Ev'} ${w.label} ${loc}`, 'mov', true, (g) => {
      const E = eOperand(g, w, loc), G = g.pickReg(w.bits, w.mode);
      if (!E || !G) return null;
      return { bytes: emit(g, w, { osz: osz(w), op: [b ? 0x8a : 0x8b], reg: G.enc, rm: E }), ...SDM.none, wregs: regBit(G) };
    });
    add(`mov ${b ? 'Eb,Ib' : 'Ev,Iz'} ${w.label} ${loc}`, 'mov', true, (g) => {
      const E = eOperand(g, w, loc);
      if (!E) return null;
      const ib = immBits('Iz', w);
      return { bytes: emit(g, w, { osz: osz(w), op: [b ? 0xc6 : 0xc7], reg: 0, rm: E, imm: le(interesting(g.r, ib), ib / 8) }), ...SDM.none, wregs: rmRegBit(E) };
    });
  }
  add(`mov r,imm ${w.label}`, 'mov', true, (g) => {
    const R = g.pickReg(w.bits, w.mode);
    if (!R) return null;
    const ib = w.bits === 64 ? 64 : w.bits;
    return { bytes: emit(g, w, { osz: osz(w), op: [b ? 0xb0 : 0xb8], opReg: R.enc, imm: le(interesting(g.r, ib), ib / 8) }), ...SDM.none, wregs: regBit(R) };
  });
  if (w.mode !== 'rex') {
    for (const dir of ['load', 'store'] as const) {
      for (const a32 of [false, true]) {
        add(`mov moffs ${dir} ${w.label}${a32 ? ' addr32' : ''}`, 'mov', true, (g) => {
          const off = g.pickOffset(w.bits / 8);
          const addr = SCRATCH_ADDR + off;
          const op = (dir === 'load' ? 0xa0 : 0xa2) + (b ? 0 : 1);
          const bytes = emit(g, w, { pfx: a32 ? [0x67] : [], osz: osz(w), op: [op], imm: le(addr, a32 ? 4 : 8) });
          return { bytes, ...SDM.none, wregs: dir === 'load' ? 1 : 0 };
        });
      }
    }
  }
}

for (const [mn, op, srcBits] of [['movzx', 0xb6, 8], ['movzx', 0xb7, 16], ['movsx', 0xbe, 8], ['movsx', 0xbf, 16]] as const) {
  for (const dw of V_WIDTHS) {
    const srcWidths = srcBits === 8 ? BYTE_WIDTHS : [W16];
    for (const sw of srcWidths) {
      for (const loc of ['reg', 'mem'] as const) {
        if (loc === 'mem' && sw.mode === 'rex') continue;
        if (dw.bits === 64 && sw.mode === 'norex' && loc === 'reg') continue; // REX.W makes 4-7 SPL..DIL
        const label = `${mn} G${dw.label},E${srcBits === 8 ? sw.label : '16'} ${loc}`;
        add(label, 'mov', true, (g) => {
          const mode = loc === 'mem' ? null : sw.mode;
          const E = eOperand(g, { ...sw, bits: srcBits, mode }, loc);
          const G = g.pickReg(dw.bits, mode);
          if (!E || !G) return null;
          g.setOperand(E, srcBits, interesting(g.r, srcBits));
          const bytes = emit(g, loc === 'mem' ? null : sw, { osz: osz(dw), op: [0x0f, op], reg: G.enc, rm: E });
          return { bytes, ...SDM.none, wregs: regBit(G) };
        });
      }
    }
  }
}
for (const w of [W32, W64]) {
  for (const loc of ['reg', 'mem'] as const) {
    add(`movsxd G${w.label},E32 ${loc}`, 'mov', true, (g) => {
      const E = eOperand(g, W32, loc), G = g.pickReg(w.bits, null);
      if (!E || !G) return null;
      g.setOperand(E, 32, interesting(g.r, 32));
      return { bytes: emit(g, w, { osz: osz(w), op: [0x63], reg: G.enc, rm: E }), ...SDM.none, wregs: regBit(G) };
    });
  }
}
for (const [mn, op, w] of [['cbw', 0x98, W16], ['cwde', 0x98, W32], ['cdqe', 0x98, W64], ['cwd', 0x99, W16], ['cdq', 0x99, W32], ['cqo', 0x99, W64]] as const) {
  add(mn, 'mov', true, (g) => {
    g.setBits(0, 0, w.bits, interesting(g.r, w.bits));
    return { bytes: emit(g, w, { osz: osz(w), op: [op] }), ...SDM.none, wregs: op === 0x98 ? 1 : 4 };
  });
}
for (const a32 of [false, true]) {
  add(`xlat${a32 ? ' addr32' : ''}`, 'mov', true, (g) => {
    const al = g.r.int(256);
    const off = g.r.int(MEM_SIZE);
    if (!g.setBits(0, 0, 8, BigInt(al))) return null;
    const base = BigInt(SCRATCH_ADDR + off - al);
    const hi = a32 && g.r.bool(0.5);
    if (hi) g.variant += ' hi';
    if (!g.setFull(3, hi ? (g.r.u64() & ~0xffffffffn) | toUnsigned(base, 32) : toUnsigned(base, 64))) return null;
    return { bytes: [...(a32 ? [0x67] : []), ...(g.r.bool(0.3) ? [0x48] : []), 0xd7], ...SDM.none, wregs: 1 };
  });
}

// =============================================================================================
// xchg xadd cmpxchg cmpxchg8b/16b
// =============================================================================================

for (const w of ALL_WIDTHS) {
  const b = w.bits === 8;
  for (const loc of ['reg', 'mem'] as const) {
    for (const lock of loc === 'mem' ? [false, true] : [false]) {
      const sfx = `${w.label} ${loc}${lock ? ' lock' : ''}`;
      add(`xchg E,G ${sfx}`, 'atomic', true, (g) => {
        const E = eOperand(g, w, loc), G = g.pickReg(w.bits, w.mode);
        if (!E || !G) return null;
        g.setOperand(E, w.bits, interesting(g.r, w.bits));
        const bytes = emit(g, w, { pfx: lock ? [0xf0] : [], osz: osz(w), op: [b ? 0x86 : 0x87], reg: G.enc, rm: E });
        return { bytes, ...SDM.none, wregs: regBit(G) | rmRegBit(E) };
      });
      add(`xadd E,G ${sfx}`, 'atomic', true, (g) => {
        const E = eOperand(g, w, loc), G = g.pickReg(w.bits, w.mode);
        if (!E || !G) return null;
        g.setOperand(E, w.bits, interesting(g.r, w.bits));
        g.setReg(G, interesting(g.r, w.bits));
        const bytes = emit(g, w, { pfx: lock ? [0xf0] : [], osz: osz(w), op: [0x0f, b ? 0xc0 : 0xc1], reg: G.enc, rm: E });
        return { bytes, ...SDM.xadd, wregs: regBit(G) | rmRegBit(E) };
      });
      add(`cmpxchg E,G ${sfx}`, 'atomic', true, (g) => {
        const E = eOperand(g, w, loc), G = g.pickReg(w.bits, w.mode);
        if (!E || !G) return null;
        g.setOperand(E, w.bits, interesting(g.r, w.bits));
        g.setReg(G, interesting(g.r, w.bits));
        // the accumulator equals the destination half of the time
        g.setBits(0, 0, w.bits, g.r.bool(0.5) ? g.getOperand(E, w.bits) : interesting(g.r, w.bits));
        const bytes = emit(g, w, { pfx: lock ? [0xf0] : [], osz: osz(w), op: [0x0f, b ? 0xb0 : 0xb1], reg: G.enc, rm: E });
        return { bytes, ...SDM.cmpxchg, wregs: 1 | rmRegBit(E) };
      });
    }
  }
}
for (const w of V_WIDTHS) {
  add(`xchg rAX,r ${w.label}`, 'atomic', true, (g) => {
    const R = g.pickReg(w.bits, null);
    if (!R) return null;
    // 90 itself (xchg eax,eax / rax,rax without REX.B) is nop: no zero-extension
    return { bytes: emit(g, w, { osz: osz(w), op: [0x90], opReg: R.enc }), ...SDM.none, wregs: 1 | regBit(R) };
  });
}
for (const [mn, size] of [['cmpxchg8b', 8], ['cmpxchg16b', 16]] as const) {
  for (const lock of [false, true]) {
    add(`${mn} M${lock ? ' lock' : ''}`, 'atomic', false, (g) => {
      const r = g.r;
      const misaligned = size === 16 && r.bool(0.1); // #GP
      const E = g.memOp({ size, avoid: 1 | 2 | 4 | 8, align: misaligned ? 8 : size === 16 ? 16 : undefined, off: misaligned ? 8 * (2 * r.int(3) + 1) : undefined });
      if (!E) return null;
      const half = size * 4;
      const lo = g.getOperand({ ...E, off: E.off }, half), hi = g.getOperand({ ...E, off: E.off + size / 2 }, half);
      if (r.bool(0.5)) { g.setBits(0, 0, half, lo); g.setBits(2, 0, half, hi); } // equal
      else if (r.bool(0.5)) { g.setBits(0, 0, half, lo); g.setBits(2, 0, half, hi ^ (1n << BigInt(r.int(half)))); } // off by one bit
      const bytes = emit(g, null, { pfx: lock ? [0xf0] : [], osz: size === 16 ? 8 : 4, op: [0x0f, 0xc7], reg: 1, rm: E });
      return { bytes, ...SDM.cmpxchg8b, wregs: 1 | 4 };
    });
  }
}

// =============================================================================================
// lea: every addressing form, every operand size, with and without 0x67
// =============================================================================================

for (const w of V_WIDTHS) {
  for (const kind of ['[b]', '[b+d8]', '[b+d32]', '[b+i*s]', '[b+i*s+d8]', '[b+i*s+d32]', '[i*s+d32]', '[d32]', '[rip+d32]']) {
    for (const a32 of [false, true]) {
      add(`lea ${w.label} ${kind}${a32 ? ' addr32' : ''}`, 'lea', true, (g) => {
        const G = g.pickReg(w.bits, null);
        if (!G) return null;
        const M = g.leaOperand(kind, a32, false);
        return { bytes: emit(g, w, { osz: osz(w), op: [0x8d], reg: G.enc, rm: M }), ...SDM.none, wregs: regBit(G) };
      });
    }
  }
}

// =============================================================================================
// Flag instructions: lahf sahf clc stc cmc cld std
// =============================================================================================

add('lahf', 'flags', true, (g) => ({ bytes: [0x9f], ...SDM.lahf, wregs: 1 }));
add('sahf', 'flags', true, (g) => { g.setBits(0, 8, 8, BigInt(g.r.int(256))); return { bytes: [0x9e], ...SDM.sahf, wregs: 0 }; });
for (const [mn, op] of [['clc', 0xf8], ['stc', 0xf9], ['cmc', 0xf5], ['cld', 0xfc], ['std', 0xfd]] as const) {
  add(mn, 'flags', true, () => ({ bytes: [op], ...SDM[mn], wregs: 0 }));
}

// =============================================================================================
// String instructions on the scratch block: movs stos lods cmps scas, with rep/repe/repne, DF 0/1
// =============================================================================================

const STRINGS = [['movs', 0xa4], ['cmps', 0xa6], ['stos', 0xaa], ['lods', 0xac], ['scas', 0xae]] as const;
for (const [mn, op] of STRINGS) {
  const compare = mn === 'cmps' || mn === 'scas';
  const reps = compare ? ['', 'repe', 'repne'] : ['', 'rep'];
  for (const w of [W8, W16, W32, W64]) {
    for (const rep of reps) {
      for (const a32 of [false, true]) {
        add(`${rep ? rep + ' ' : ''}${mn} ${w.label}${a32 ? ' addr32' : ''}`, 'string', false, (g) => {
          const r = g.r, size = w.bits / 8;
          const down = r.bool(0.4);
          g.flags = down ? g.flags | DF : g.flags & ~DF;
          const maxN = Math.min(8, Math.floor(MEM_SIZE / size));
          const n = rep ? (r.bool(0.15) ? 0 : r.range(1, maxN)) : 1;
          const span = Math.max(n, 1) * size;
          const start = () => { const lo = r.int(Math.floor((MEM_SIZE - span) / size) + 1) * size + (r.bool(0.2) ? r.int(size) : 0); return Math.min(lo, MEM_SIZE - span); };
          // first element address: the lowest for DF=0, the highest for DF=1
          const srcLo = start();
          let dstLo = start();
          if ((mn === 'movs' || mn === 'cmps') && r.bool(0.3)) {
            // overlapping source and destination, often closer than one element
            const d = srcLo + r.range(-2 * size, 2 * size);
            if (d >= 0 && d <= MEM_SIZE - span) dstLo = d;
          }
          const first = (lo: number) => (down ? lo + span - size : lo);
          const usesSi = mn === 'movs' || mn === 'cmps' || mn === 'lods';
          const usesDi = mn !== 'lods';
          const hi = a32 && r.bool(0.5);
          if (hi) g.variant += ' hi';
          const regVal = (v: number) => (hi ? (r.u64() & ~0xffffffffn) | BigInt(v) : BigInt(v));
          if (usesSi && !g.setFull(6, regVal(SCRATCH_ADDR + first(srcLo)))) return null;
          if (usesDi && !g.setFull(7, regVal(SCRATCH_ADDR + first(dstLo)))) return null;
          if (rep && !g.setFull(1, a32 ? regVal(n) : BigInt(n))) return null;
          g.setBits(0, 0, w.bits, interesting(r, w.bits));
          if (compare && rep) {
            // make a prefix of the elements equal (repe runs through it, repne stops at the first equal one)
            const k = r.int(n + 1);
            for (let e = 0; e < n; e++) {
              const eq = rep === 'repe' ? e < k : e === k;
              const di = down ? dstLo + span - size * (e + 1) : dstLo + size * e;
              const si = down ? srcLo + span - size * (e + 1) : srcLo + size * e;
              const v = mn === 'scas' ? g.gpr[0] & maskBits(w.bits) : g.getOperand({ reg: null, off: si } as Rm, w.bits);
              const cur = g.getOperand({ reg: null, off: di } as Rm, w.bits);
              if (eq) g.writeMem(di, v, size);
              else if (cur === v) g.writeMem(di, v ^ 1n, size);
            }
          }
          const pfx = [...(rep === 'repne' ? [0xf2] : rep ? [0xf3] : []), ...(a32 ? [0x67] : [])];
          const bytes = emit(g, w, { pfx, osz: osz(w), op: [w.bits === 8 ? op : op + 1] });
          const f = compare && (n > 0 || !rep) ? SDM.cmps : SDM.none;
          // With 0x67 and a zero count nothing is executed, and the SDM does not say whether rCX, rSI and rDI
          // are written; this AMD host zero-extends them. Their upper halves are then masked (whole registers).
          const undefRegs = hi && rep && n === 0 ? 2 | 64 | 128 : 0;
          return { bytes, ...f, wregs: 1 | 2 | 64 | 128, undefRegs };
        });
      }
    }
  }
}

// =============================================================================================
// push / pop / pushf / popf on a stack inside the scratch block
// =============================================================================================

const RSP = 4;
const RSP_REG = RSP;
function setRsp(g: Gen, off: number): void { g.gpr[RSP] = BigInt(SCRATCH_ADDR + off); }
const stackForms: [string, (g: Gen) => Ins | null][] = [
  ['push r64', (g) => { const R = g.pickReg(64, null); if (!R) return null; setRsp(g, 8 * g.r.range(1, 8)); return { bytes: emit(g, W64, { op: [0x50], opReg: R.enc, noRexW: true }), ...SDM.none, wregs: 16 }; }],
  ['push r16', (g) => { const R = g.pickReg(16, null); if (!R) return null; setRsp(g, 2 * g.r.range(1, 32)); return { bytes: emit(g, W16, { osz: 2, op: [0x50], opReg: R.enc }), ...SDM.none, wregs: 16 }; }],
  ['pop r64', (g) => { const R = g.pickReg(64, null); if (!R) return null; setRsp(g, 8 * g.r.range(0, 7)); return { bytes: emit(g, W64, { op: [0x58], opReg: R.enc, noRexW: true }), ...SDM.none, wregs: 16 | regBit(R) }; }],
  ['pop r16', (g) => { const R = g.pickReg(16, null); if (!R) return null; setRsp(g, 2 * g.r.range(0, 31)); return { bytes: emit(g, W16, { osz: 2, op: [0x58], opReg: R.enc }), ...SDM.none, wregs: 16 | regBit(R) }; }],
  ['push rsp', (g) => { setRsp(g, 8 * g.r.range(1, 8)); return { bytes: [0x54], ...SDM.none, wregs: 16 }; }],
  ['pop rsp', (g) => { setRsp(g, 8 * g.r.range(0, 7)); g.writeMem(Number(g.gpr[RSP]) - SCRATCH_ADDR, BigInt(SCRATCH_ADDR + g.r.int(MEM_SIZE)), 8); return { bytes: [0x5c], ...SDM.none, wregs: 16 }; }],
  ['push Ib', (g) => { setRsp(g, 8 * g.r.range(1, 8)); return { bytes: [0x6a, g.r.int(256)], ...SDM.none, wregs: 16 }; }],
  ['push Iz', (g) => { setRsp(g, 8 * g.r.range(1, 8)); return { bytes: [0x68, ...le(interesting(g.r, 32), 4)], ...SDM.none, wregs: 16 }; }],
  ['push Iw', (g) => { setRsp(g, 2 * g.r.range(1, 32)); return { bytes: [0x66, 0x68, ...le(interesting(g.r, 16), 2)], ...SDM.none, wregs: 16 }; }],
  ['push m64', (g) => {
    setRsp(g, 8 * g.r.range(1, 8));
    const E = g.memOp({ size: 8 }); if (!E) return null;
    return { bytes: emit(g, null, { op: [0xff], reg: 6, rm: E }), ...SDM.none, wregs: 16 };
  }],
  ['pop m64', (g) => {
    // the address is computed after rsp is incremented (2B "POP"); [rsp+d] forms show it
    setRsp(g, 8 * g.r.range(0, 5));
    const E = g.memOp({ size: 8, align: 8 }); if (!E) return null;
    if (E.kind.startsWith('[rsp+d]')) { const target = SCRATCH_ADDR + E.off; E.disp = target - (Number(g.gpr[RSP]) + 8); if (E.dispSize === 0 || (E.dispSize === 1 && (E.disp < -128 || E.disp > 127))) { E.mod = 2; E.dispSize = 4; } }
    return { bytes: emit(g, null, { op: [0x8f], reg: 0, rm: E }), ...SDM.none, wregs: 16 };
  }],
  ['pushf', (g) => { setRsp(g, 8 * g.r.range(1, 8)); return { bytes: [0x9c], reads: ARITH, writes: 0, undef: 0, wregs: 16 }; }],
  ['popf', (g) => {
    setRsp(g, 8 * g.r.range(0, 7));
    // only the arithmetic flags and DF (TF would trap, AC would make the harness fault)
    g.writeMem(Number(g.gpr[RSP]) - SCRATCH_ADDR, BigInt((g.r.u32() & 0xcd5) | 0x202), 8);
    return { bytes: [0x9d], ...SDM.popf, wregs: 16 };
  }],
];
for (const [name, gen] of stackForms) add(name, 'stack', false, gen);

// =============================================================================================
// Faults: memory operands outside the data area (below it, above it, straddling its end), a
// non-canonical address, cmovcc whose condition is false (the source is read anyway: 2A "CMOVcc"),
// rep string instructions running into unmapped memory part-way (rCX, rSI, rDI must be exact at
// the fault) and push below the stack. Nothing may change but what completed before the fault.
// =============================================================================================

const DATA_END = DATA_ADDR + DATA_SIZE;

/** Evaluates condition code cc on flags (SDM Vol. 1, Appendix B). */
function condHolds(cc: number, f: number): boolean {
  const cf = !!(f & CF), zf = !!(f & ZF), sf = !!(f & SF), of = !!(f & OF), pf = !!(f & PF);
  const v = [of, cf, zf, cf || zf, sf, pf, sf !== of, zf || sf !== of][cc >> 1];
  return cc & 1 ? !v : v;
}

for (const where of ['below', 'above', 'straddle'] as const) {
  for (const op of ['load', 'store', 'add', 'cmov false'] as const) {
    for (const w of [W8, W16, W32, W64]) {
      if (where === 'straddle' && w.bits === 8) continue;
      if (op === 'cmov false' && w.bits === 8) continue;
      add(`fault: ${op} ${w.label} ${where}`, 'fault', false, (g) => {
        const r = g.r, size = w.bits / 8;
        const target = where === 'below' ? DATA_ADDR - size - r.int(64) : where === 'above' ? DATA_END + r.int(64) : DATA_END - r.range(1, size - 1);
        const G = g.pickReg(w.bits, w.mode);
        if (!G) return null;
        const E = g.memOp({ size, target, noRex: w.mode === 'norex' });
        if (!E) return null;
        const b = w.bits === 8;
        let opc: number[];
        if (op === 'load') opc = [b ? 0x8a : 0x8b];
        else if (op === 'store') opc = [b ? 0x88 : 0x89];
        else if (op === 'add') opc = [b ? 0x00 : 0x01];
        else {
          let cc = r.int(16);
          while (condHolds(cc, g.flags)) cc = r.int(16);
          opc = [0x0f, 0x40 + cc];
        }
        return { bytes: emit(g, w, { osz: osz(w), op: opc, reg: G.enc, rm: E }), ...SDM.none, wregs: 0 };
      });
    }
  }
}

add('fault: load non-canonical', 'fault', false, (g) => {
  const r = g.r;
  const base = g.pickReg(64, null, { pinnable: true, avoid: 1 << 5 | 1 << 13 | 1 << 12 });
  const G = g.pickReg(64, null);
  if (!base || !G) return null;
  g.setFull(base.full, r.bool(0.5) ? (1n << 47n) + BigInt(r.int(1 << 20)) : ((0xffff7fffn << 32n) | BigInt(r.u32())));
  const rm: Rm = { mod: 0, rm3: base.enc & 7, sib: -1, disp: 0, dispSize: 0, rexB: base.enc >> 3, rexX: 0, a32: false, ripTarget: null, kind: '[b]', off: -1, reg: null };
  return { bytes: emit(g, W64, { osz: 8, op: [0x8b], reg: G.enc, rm }), ...SDM.none, wregs: 0 };
});

for (const [mn, op] of STRINGS) {
  for (const w of [W8, W16, W32, W64]) {
    for (const down of [false, true]) {
      add(`fault: rep ${mn} ${w.label} ${down ? 'down' : 'up'}`, 'fault', false, (g) => {
        const r = g.r, size = w.bits / 8;
        g.flags = down ? g.flags | DF : g.flags & ~DF;
        const maxN = Math.min(8, MEM_SIZE / size);
        const n = r.range(1, maxN);
        const k = r.int(n); // elements that complete before the fault
        const usesSi = mn === 'movs' || mn === 'cmps' || mn === 'lods';
        const usesDi = mn !== 'lods';
        const faultSi = usesSi && (!usesDi || r.bool(0.5));
        const misalign = r.bool(0.3) ? r.range(1, size - 1 || 1) % size : 0;
        // the faulting pointer: k whole elements fit before the hole, element k does not
        // (up: element k straddles or starts at the end of the data area; down: it reaches below its start)
        const bad = down ? DATA_ADDR + (k - 1) * size + misalign : DATA_END - k * size - misalign;
        // the other pointer runs inside the scratch block
        const span = Math.min(n, Math.floor(MEM_SIZE / size)) * size;
        const good = SCRATCH_ADDR + (down ? span - size : 0) + r.int(Math.floor((MEM_SIZE - span) / size) + 1) * size;
        if (usesSi && !g.setFull(6, BigInt(faultSi ? bad : good))) return null;
        if (usesDi && !g.setFull(7, BigInt(faultSi ? good : bad))) return null;
        if (!g.setFull(1, BigInt(n))) return null;
        const pfx = [mn === 'cmps' || mn === 'scas' ? (r.bool(0.5) ? 0xf3 : 0xf2) : 0xf3];
        const bytes = emit(g, w, { pfx, osz: osz(w), op: [w.bits === 8 ? op : op + 1] });
        // The flags after a fault part-way through REPE/REPNE CMPS/SCAS are not architectural (the SDM says only
        // that the registers allow the instruction to resume); this AMD host leaves them as they were before it.
        return { bytes, ...SDM.cmps, wregs: 0, faultUndef: mn === 'cmps' || mn === 'scas' ? ARITH : 0 };
      });
    }
  }
}

add('fault: push below the stack', 'fault', false, (g) => {
  const R = g.pickReg(64, null);
  if (!R) return null;
  g.gpr[RSP_REG] = BigInt(DATA_ADDR + g.r.int(8));
  return { bytes: emit(g, W64, { op: [0x50], opReg: R.enc, noRexW: true }), ...SDM.none, wregs: 0 };
});

// =============================================================================================
// Prefix placement: a REX prefix that is not immediately before the opcode is ignored (SDM Vol. 2A,
// 2.2.1: "Other placements are ignored"), so "48 66 01 c8" is add ax, cx.
// =============================================================================================

for (const w of [W16, W32]) {
  for (const loc of w.bits === 16 ? ['reg', 'mem'] as const : ['mem'] as const) {
    add(`prefix: rex before ${w.bits === 16 ? '66' : 'f0'} ignored, add ${w.label} ${loc}`, 'prefix', true, (g) => {
      const E = eOperand(g, { ...w, mode: 'norex' }, loc), G = g.pickReg(w.bits, 'norex');
      if (!E || !G) return null;
      const lock = w.bits === 32 && loc === 'mem';
      const ins = assemble({ pfx: lock ? [0xf0] : [], osz: osz(w), op: [0x01], reg: G.enc, rm: E, noRex: true }, g.codeAddr + g.pos + 1);
      // the stray REX goes in front of the first prefix (66 or f0); without one, the case is plain add
      const bytes = ins[0] === 0x66 || ins[0] === 0xf0 ? [0x40 | g.r.int(16), ...ins] : ins;
      if (bytes.length > 15 || bytes.length === ins.length) return null;
      return { bytes, ...SDM.add, wregs: rmRegBit(E) };
    });
  }
}

// =============================================================================================
// Invalid encodings that must raise #UD (SIGILL)
// =============================================================================================

const udForms: [string, (g: Gen) => number[] | null][] = [
  // LOCK with a register destination (2A "LOCK": "#UD if ... the destination operand is not a memory operand")
  ['lock add r,r', (g) => { const E = eOperand(g, W32, 'reg'), G = g.pickReg(32, null); return E && G ? emit(g, W32, { pfx: [0xf0], op: [0x01], reg: G.enc, rm: E }) : null; }],
  ['lock inc r', (g) => { const E = eOperand(g, W64, 'reg'); return E ? emit(g, W64, { pfx: [0xf0], osz: 8, op: [0xff], reg: 0, rm: E }) : null; }],
  // LOCK on an instruction that is not lockable (cmp, mov)
  ['lock cmp m,r', (g) => { const E = eOperand(g, W32, 'mem'), G = g.pickReg(32, null); return E && G ? emit(g, W32, { pfx: [0xf0], op: [0x39], reg: G.enc, rm: E }) : null; }],
  ['lock mov m,r', (g) => { const E = eOperand(g, W32, 'mem'), G = g.pickReg(32, null); return E && G ? emit(g, W32, { pfx: [0xf0], op: [0x89], reg: G.enc, rm: E }) : null; }],
  // LEA with a register source (2A "LEA": "#UD if source operand is not a memory location")
  ['lea r,r', (g) => { const E = eOperand(g, W64, 'reg'), G = g.pickReg(64, null); return E && G ? emit(g, W64, { osz: 8, op: [0x8d], reg: G.enc, rm: E }) : null; }],
  // CMPXCHG8B with a register operand (2A "CMPXCHG8B": "#UD if the destination is a register")
  ['cmpxchg8b r', (g) => { const E = eOperand(g, W64, 'reg'); return E ? emit(g, null, { op: [0x0f, 0xc7], reg: 1, rm: E }) : null; }],
  ['lock xchg r,r', (g) => { const E = eOperand(g, W64, 'reg'), G = g.pickReg(64, null); return E && G ? emit(g, W64, { pfx: [0xf0], osz: 8, op: [0x87], reg: G.enc, rm: E }) : null; }],
  ['ud2', () => [0x0f, 0x0b]],
];
for (const [name, gen] of udForms) {
  add(`#UD: ${name}`, 'ud', false, (g) => { const bytes = gen(g); return bytes ? { bytes, ...SDM.none, wregs: 0 } : null; });
}

export const INTEGER_FORMS: Form[] = forms;

// =============================================================================================
// The suite
// =============================================================================================

/** Variant suffixes that generators append to form names (see Gen.variant). */
const VARIANT_TOKENS = [' a32 hi', ' a32', ' wrap', ' gs', ' seg', ' +66', ' hi'];
const VARIANT_RE = /( a32( hi)?| wrap| gs| seg| \+66| hi)*$/;

/** What the SDM leaves undefined for one integer case (see the tables above). */
export interface Masks {
  /** Flags (FLAGS_MASK bits) left undefined when the snippet completes. */
  flags: number;
  /** GPRs (bit n = register n) left undefined. */
  regs: number;
  /** Scratch bytes (bit n = byte n) left undefined. */
  mem: bigint;
  /** Flags undefined when the snippet faults (otherwise the state at a fault is compared unmasked). */
  faultFlags: number;
}

export const INTEGER_SUITE: Suite<Form, Ins, Masks> = {
  name: 'integer',
  env: 'INSN',
  forms: INTEGER_FORMS,
  defaultCases: 100_000,
  coverage: 20,
  layout: INTEGER_LAYOUT,
  emulator: (compiled) => new Emulator(INTEGER_LAYOUT, compiled),

  builder(g) {
    let undef = 0, undefRegs = 0, undefMem = 0n, faultUndef = 0;
    return {
      seqFraction: 0.25,
      begin() { undef = 0; undefRegs = 0; undefMem = 0n; faultUndef = 0; },
      save: () => () => { /* the state above only changes when an instruction is placed */ },
      gen(f) {
        const ins = f.gen(g);
        return ins === null || (ins.reads & undef) !== 0 ? null : ins;
      },
      place(ins) {
        undef = (undef & ~ins.writes) | ins.undef;
        undefRegs |= ins.undefRegs ?? 0;
        undefMem |= ins.undefMem ?? 0n;
        faultUndef |= ins.faultUndef ?? 0;
      },
      finish: () => ({ flags: undef & ARITH, regs: undefRegs, mem: undefMem, faultFlags: faultUndef }),
      write() { /* the integer records have nothing after the scratch block */ },
    };
  },

  // every part of the base records, outside the masks
  compare: (input, nat, emu, k, m) => new Comparison(INTEGER_LAYOUT, input, nat, emu, k)
    .stop().faultAddress().gprs(m.regs).flags('flags', m.flags, m.faultFlags).memory(m.mem).diffs,

  describeInputs(input, k) {
    const dv = new DataView(input.buffer, input.byteOffset + k * INTEGER_LAYOUT.inRecord, INTEGER_LAYOUT.inRecord);
    const regs = GPR_NAMES.map((n, q) => `${n}=${dv.getUint32(IN_GPR + 8 * q + 4, true).toString(16).padStart(8, '0')}${dv.getUint32(IN_GPR + 8 * q, true).toString(16).padStart(8, '0')}`);
    const f = dv.getUint32(IN_FLAGS, true);
    const flags = FLAG_NAMES.filter(([b]) => f & b).map(([, n]) => n).join(' ') || '-';
    const at = k * INTEGER_LAYOUT.inRecord + IN_MEM;
    return [`inputs: ${regs.join(' ')}`, `flags in: [${flags}]`, `scratch (0x${SCRATCH_ADDR.toString(16)}): ${hexBytes(input.subarray(at, at + MEM_SIZE))}`];
  },

  // Each single instruction is counted under its full name (variants included); judge() folds them.
  keyOf: (name) => name,

  judge({ count, forms, meta, byKey: byForm, diffs }, out) {
    // Failures are reported per form (all its variants together) and, for addressing variants that
    // fail on forms that pass without them (" a32 hi", " wrap"...), per variant. Sequence failures
    // are only interesting when no member is explained that way.
    const failingKeys = [...byForm.entries()].filter(([n, e]) => e.fails > 0 && n !== 'sequence').sort((a, b) => a[0].localeCompare(b[0]));
    const baseOf = (n: string) => n.replace(VARIANT_RE, '');
    const variantOf = (n: string) => n.slice(baseOf(n).length);
    const failingBase = new Set(failingKeys.filter(([n]) => variantOf(n) === '').map(([n]) => baseOf(n)));
    // A variant is to blame when it fails on several forms that pass without it; otherwise the form is.
    const tokenForms = new Map<string, Set<string>>();
    for (const [n] of failingKeys) {
      if (failingBase.has(baseOf(n))) continue;
      const tok = VARIANT_TOKENS.find((v) => variantOf(n).includes(v));
      if (tok) { if (!tokenForms.has(tok)) tokenForms.set(tok, new Set()); tokenForms.get(tok)!.add(baseOf(n)); }
    }
    const badTokens = new Set([...tokenForms].filter(([, f]) => f.size >= 3).map(([tok]) => tok));
    for (const [n] of failingKeys) {
      if (!VARIANT_TOKENS.some((v) => badTokens.has(v) && variantOf(n).includes(v))) failingBase.add(baseOf(n));
    }
    const groupOf = (n: string): string => {
      if (failingBase.has(baseOf(n))) return baseOf(n);
      const tok = VARIANT_TOKENS.find((v) => badTokens.has(v) && variantOf(n).includes(v));
      return tok ? `addressing variant "${tok.trim()}" (on forms that pass without it)` : n;
    };
    const groups = new Map<string, { fails: number; total: number; examples: number[]; forms: Set<string> }>();
    for (const [n, e] of byForm) {
      if (n === 'sequence') continue;
      const gk = groupOf(n);
      if (!failingBase.has(gk) && !gk.startsWith('addressing variant') && e.fails === 0) continue;
      let gr = groups.get(gk);
      if (!gr) groups.set(gk, gr = { fails: 0, total: 0, examples: [], forms: new Set() });
      gr.fails += e.fails; gr.total += e.total; gr.examples.push(...e.examples.slice(0, 1));
      if (e.fails) gr.forms.add(baseOf(n));
    }
    const failingGroups = [...groups.entries()].filter(([, gr]) => gr.fails > 0).sort((a, b) => a[0].localeCompare(b[0]));
    const explained = (n: string) => failingBase.has(baseOf(n)) || [...badTokens].some((tok) => variantOf(n).includes(tok)) ||
      (byForm.get(n)?.fails ?? 0) > 0;
    const seqEntry = byForm.get('sequence');
    const seqFailing: number[] = [];
    if (seqEntry) for (let k = 0; k < count; k++) if (meta[k].names.length > 1 && diffs.has(k)) seqFailing.push(k);
    const seqOnly = seqFailing.filter((k) => meta[k].names.every((n) => !explained(n)));

    for (const [name, gr] of failingGroups) {
      out.group(name, gr, name.startsWith('addressing variant') ? ` over ${gr.forms.size} forms` : '', 2);
    }
    if (seqEntry) {
      if (seqOnly.length > 0) {
        const title = 'sequences of individually passing forms';
        out.fail(title, `${title}: ${seqOnly.length} of ${seqEntry.total} mismatch`, seqOnly.slice(0, 3), title, seqOnly.slice(0, 6));
      } else {
        out.pass(`sequences: ${seqEntry.total - seqEntry.fails} of ${seqEntry.total} match${seqEntry.fails ? ' (every mismatch involves a form or variant that fails alone)' : ''}`);
      }
    }
    const passingForms = forms.filter((f) => !failingBase.has(f.name) && byForm.has(f.name)).length;
    out.pass(`${passingForms} of ${forms.length} forms match in every case (apart from failing addressing variants)`);
  },
};
