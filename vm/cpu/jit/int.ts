// Inline JS for the everyday integer instructions at 32 and 64 bits: ALU ops and test (register,
// memory and immediate forms), inc/dec, neg/not, shifts by a constant, 32-bit imul, moves (with
// zero and sign extension, bytes, immediates), lea, cmovcc, setcc, cdqe/cqo and the nops. Every
// emitter returns null for a form it does not cover, and the block calls the handler instead.

import { FlagOp } from '../flags.js';
import type { Insn } from '../insn.js';
import { Rep } from '../insn.js';
import { condExpr } from './conditions.js';
import { BlockState, eaExpr, Emitted, eOperand, IntOperand, lo, mem, reg, regOperand } from './emit.js';

const enum Alu { ADD = 0, OR, ADC, SBB, AND, SUB, XOR, CMP }

const FLAG_OP: FlagOp[] = [FlagOp.ADD, FlagOp.LOGIC, FlagOp.ADC, FlagOp.SBB, FlagOp.LOGIC, FlagOp.SUB, FlagOp.LOGIC, FlagOp.SUB];

/** `fx = fa OP fb` (and fxh at 64 bits), or null for adc/sbb (left to the handler). */
function aluBody(op: number, size: 4 | 8): string | null {
  if (size === 4) {
    switch (op) {
      case Alu.ADD: return 'fx = (fa + fb) | 0;';
      case Alu.SUB: case Alu.CMP: return 'fx = (fa - fb) | 0;';
      case Alu.AND: return 'fx = fa & fb;';
      case Alu.OR: return 'fx = fa | fb;';
      case Alu.XOR: return 'fx = fa ^ fb;';
    }
    return null;
  }
  switch (op) {
    case Alu.ADD: return '{ const s = (fa >>> 0) + (fb >>> 0); fx = s | 0; fxh = (fah + fbh + (s > 0xffffffff ? 1 : 0)) | 0; }';
    case Alu.SUB: case Alu.CMP: return '{ const d = (fa >>> 0) - (fb >>> 0); fx = d | 0; fxh = (fah - fbh - (d < 0 ? 1 : 0)) | 0; }';
    case Alu.AND: return 'fx = fa & fb; fxh = fah & fbh;';
    case Alu.OR: return 'fx = fa | fb; fxh = fah | fbh;';
    case Alu.XOR: return 'fx = fa ^ fb; fxh = fah ^ fbh;';
  }
  return null;
}

/** Stores the locals as the lazy-flag state, for readers after the block (or outside it). */
function flagStore(fop: FlagOp, size: 4 | 8): string {
  if (size === 4) return `c.fop = ${fop}; c.fsize = 4; c.fa = fa; c.fb = fb; c.fres = fx;`;
  return `c.fop = ${fop}; c.fsize = 8; c.fa = fa; c.faHi = fah; c.fb = fb; c.fbHi = fbh; c.fres = fx; c.fresHi = fxh;`;
}

/**
 * dest = dest OP src, flags into the locals (and the lazy state when live). `src` gives the
 * second operand's halves; at most one of dest and src is in memory, and its setup runs first.
 */
function aluOp(i: Insn, st: BlockState, op: number, size: 4 | 8, dest: IntOperand, srcLo: string, srcHi: string, setup: string, writes: boolean): string | null {
  const body = aluBody(op, size);
  if (body === null) return null;
  let s = `{ ${setup} fa = ${dest.readLo}; fb = ${srcLo};`;
  if (size === 8) s += ` fah = ${dest.readHi}; fbh = ${srcHi};`;
  s += ` ${body}`;
  if (writes) s += ` ${size === 4 ? dest.write32('fx') : dest.write64('fx', 'fxh')}`;
  const fop = FLAG_OP[op];
  if (i.flagsLive) s += ` ${flagStore(fop, size)}`;
  st.producer = { op: fop, size };
  return s + ' }';
}

const sizeOf = (i: Insn): 4 | 8 | 0 => (i.osz === 4 || i.osz === 8 ? i.osz : 0);

/** The ALU family and test: 01/03/09/0B/.../3B, 05-form accumulator immediates, 81/83, 85, A9, F7 /0. */
function emitAlu(i: Insn, k: number, st: BlockState): Emitted | null {
  const op = i.op, size = sizeOf(i);
  if (size === 0) return null;
  const wrap = (code: string | null, e: IntOperand) => (e.isMem ? mem(code) : reg(code));
  if (op < 0x40 && ((op & 7) === 1 || (op & 7) === 3)) {
    const e = eOperand(i, k);
    if (e === null) return null;
    const g = regOperand(i.reg);
    // 01-form: E = E op G; 03-form: G = G op E.
    if ((op & 7) === 1) return wrap(aluOp(i, st, i.sub, size, e, g.readLo, g.readHi, e.setup, i.sub !== Alu.CMP), e);
    if (!e.isMem) return reg(aluOp(i, st, i.sub, size, g, e.readLo, e.readHi, '', i.sub !== Alu.CMP));
    return mem(aluOp(i, st, i.sub, size, g, 'v', 'vh', `${e.setup} const v = ${e.readLo}${size === 8 ? `, vh = ${e.readHi}` : ''};`, i.sub !== Alu.CMP));
  }
  const imm = (e: IntOperand, sub: number, writes: boolean) =>
    wrap(aluOp(i, st, sub, size, e, `${i.imm}`, `${i.imm >> 31}`, e.setup, writes), e);
  if (op < 0x40 && (op & 7) === 5) return imm(regOperand(0), i.sub, i.sub !== Alu.CMP);
  if (op === 0x81 || op === 0x83) {
    const e = eOperand(i, k);
    return e === null ? null : imm(e, i.sub, i.sub !== Alu.CMP);
  }
  if (op === 0x85) {
    const e = eOperand(i, k);
    if (e === null) return null;
    const g = regOperand(i.reg);
    return wrap(aluOp(i, st, Alu.AND, size, e, g.readLo, g.readHi, e.setup, false), e);
  }
  if (op === 0xa9) return imm(regOperand(0), Alu.AND, false);
  if (op === 0xf7 && (i.reg & 7) === 0) {
    const e = eOperand(i, k);
    return e === null ? null : imm(e, Alu.AND, false);
  }
  return null;
}

/** inc/dec (FF /0 /1), neg and not (F7 /2 /3). */
function emitUnary(i: Insn, k: number, st: BlockState): Emitted | null {
  const size = sizeOf(i), sub = i.reg & 7;
  if (size === 0) return null;
  if (i.op === 0xff && sub < 2) {
    const e = eOperand(i, k);
    if (e === null) return null;
    const op = sub === 0 ? Alu.ADD : Alu.SUB;
    const fop = sub === 0 ? FlagOp.INC : FlagOp.DEC;
    let s = `{ ${e.setup} fa = ${e.readLo}; fb = 1;`;
    if (size === 8) s += ` fah = ${e.readHi}; fbh = 0;`;
    s += ` ${aluBody(op, size)} ${size === 4 ? e.write32('fx') : e.write64('fx', 'fxh')}`;
    // inc and dec keep CF: carried in the lazy state's fcin, read before it is overwritten.
    if (i.flagsLive) s += ` { const cf = getCF(c); ${flagStore(fop, size)} c.fcin = cf; }`;
    st.producer = { op: fop, size };
    const code = s + ' }';
    return e.isMem ? mem(code) : reg(code);
  }
  if (i.op === 0xf7 && sub === 2) { // not: no flags
    const e = eOperand(i, k);
    if (e === null) return null;
    const code = `{ ${e.setup} ${size === 4 ? e.write32(`~${e.readLo}`) : `const vl = ~${e.readLo}, vh = ~${e.readHi}; ${e.write64('vl', 'vh')}`} }`;
    return e.isMem ? mem(code) : reg(code);
  }
  if (i.op === 0xf7 && sub === 3 && i.mod === 3) { // neg: flags as 0 - x
    const e = regOperand(i.rm);
    return reg(aluOp(i, st, Alu.SUB, size, { ...regOperand(i.rm), readLo: '0', readHi: '0' }, e.readLo, e.readHi, '', true));
  }
  return null;
}

/** shl/shr/sar/rol/ror of a register by a non-zero constant (C1, D1). */
function emitShift(i: Insn, st: BlockState): Emitted | null {
  if (i.mod !== 3 || (i.op !== 0xc1 && i.op !== 0xd1)) return null;
  const size = sizeOf(i), kind = i.reg & 7;
  if (size === 0) return null;
  const n = i.op === 0xd1 ? 1 : i.imm & (size === 8 ? 63 : 31);
  if (n === 0) return null; // a count of 0 changes nothing, flags included: the handler knows
  const d = lo(i.rm);
  if (size === 4) {
    let x: string;
    let fop: FlagOp | null = null;
    switch (kind) {
      case 0: x = `(a << ${n}) | (a >>> ${32 - n})`; break; // rol
      case 1: x = `(a >>> ${n}) | (a << ${32 - n})`; break; // ror
      case 4: case 6: x = `a << ${n}`; fop = FlagOp.SHL; break;
      case 5: x = `(a >>> ${n}) | 0`; fop = FlagOp.SHR; break;
      case 7: x = `a >> ${n}`; fop = FlagOp.SAR; break;
      default: return null;
    }
    if (i.flagsLive && fop === null) return null; // rotate flags: the handler computes them
    let s = `{ const a = r[${d}]; const x = ${x}; r[${d}] = x; r[${d + 1}] = 0;`;
    if (i.flagsLive) s += ` c.fop = ${fop}; c.fsize = 4; c.fa = a; c.fb = ${n}; c.fres = x;`;
    st.producer = null;
    return reg(s + ' }');
  }
  if (i.flagsLive) return null; // 64-bit shift flags: the handler
  let xl: string, xh: string;
  switch (kind) {
    case 4: case 6: // shl
      if (n < 32) { xl = `l << ${n}`; xh = `(h << ${n}) | (l >>> ${32 - n})`; }
      else { xl = '0'; xh = `l << ${n - 32}`; }
      break;
    case 5: // shr
      if (n < 32) { xl = `(l >>> ${n}) | (h << ${32 - n})`; xh = `h >>> ${n}`; }
      else { xl = `h >>> ${n - 32}`; xh = '0'; }
      break;
    case 7: // sar
      if (n < 32) { xl = `(l >>> ${n}) | (h << ${32 - n})`; xh = `h >> ${n}`; }
      else { xl = `h >> ${n - 32}`; xh = 'h >> 31'; }
      break;
    default: return null;
  }
  st.producer = null;
  return reg(`{ const l = r[${d}], h = r[${d + 1}]; r[${d}] = ${xl}; r[${d + 1}] = ${xh}; }`);
}

/** imul r32, r/m32 (0F AF) and imul r32, r/m32, imm (69, 6B) when the flags are dead. */
function emitImul(i: Insn, k: number, st: BlockState): Emitted | null {
  if (i.osz !== 4 || i.flagsLive || (i.op !== 0x1af && i.op !== 0x69 && i.op !== 0x6b)) return null;
  const e = eOperand(i, k);
  if (e === null) return null;
  const other = i.op === 0x1af ? `r[${lo(i.reg)}]` : `${i.imm}`;
  st.producer = null; // the flags it leaves are dead, but they are not the locals'
  const code = `{ ${e.setup} r[${lo(i.reg)}] = Math.imul(${e.readLo}, ${other}); r[${lo(i.reg) + 1}] = 0; }`;
  return e.isMem ? mem(code) : reg(code);
}

/** The 8-bit register at byte offset `b` of the register file. */
const r8 = (b: number) => `r8[${b}]`;

function emitMov(i: Insn, k: number): Emitted | null {
  const op = i.op, size = sizeOf(i);
  const g = lo(i.reg);
  switch (op) {
    case 0x89: case 0x8b: {
      if (size === 0) return null;
      if (i.mod === 3) { // 8B had reg and rm swapped at decode, so rm is the destination in both
        const d = lo(i.rm), s = lo(i.reg);
        return reg(size === 8 ? `r[${d}] = r[${s}]; r[${d + 1}] = r[${s + 1}];` : `r[${d}] = r[${s}]; r[${d + 1}] = 0;`);
      }
      const ea = eaExpr(i, k);
      if (ea === null) return null;
      if (op === 0x89) return mem(size === 4 ? `m.write32(${ea}, r[${g}]);` : `m.write64(${ea}, r[${g}], r[${g + 1}]);`);
      return mem(size === 4 ? `{ const v = m.read32(${ea}); r[${g}] = v; r[${g + 1}] = 0; }`
        : `{ const A = ${ea}; const vl = m.read32(A), vh = m.read32(A + 4); r[${g}] = vl; r[${g + 1}] = vh; }`);
    }
    case 0x88: case 0x8a: { // byte moves
      if (i.mod === 3) return reg(op === 0x88 ? `${r8(i.rmB)} = ${r8(i.regB)};` : `${r8(i.regB)} = ${r8(i.rmB)};`);
      const ea = eaExpr(i, k);
      if (ea === null) return null;
      return mem(op === 0x88 ? `m.write8(${ea}, ${r8(i.regB)});` : `${r8(i.regB)} = m.read8(${ea});`);
    }
    case 0xc6: case 0xc7: {
      if ((i.reg & 7) !== 0) return null;
      if (op === 0xc7 && size === 0) return null;
      if (i.mod === 3) {
        if (op === 0xc6) return reg(`${r8(i.rmB)} = ${i.imm & 0xff};`);
        return reg(`r[${lo(i.rm)}] = ${i.imm}; r[${lo(i.rm) + 1}] = ${size === 8 ? i.imm >> 31 : 0};`);
      }
      const ea = eaExpr(i, k);
      if (ea === null) return null;
      if (op === 0xc6) return mem(`m.write8(${ea}, ${i.imm & 0xff});`);
      return mem(size === 4 ? `m.write32(${ea}, ${i.imm});` : `m.write64(${ea}, ${i.imm}, ${i.imm >> 31});`);
    }
    case 0xb0: case 0xb1: case 0xb2: case 0xb3: case 0xb4: case 0xb5: case 0xb6: case 0xb7:
      return reg(`${r8(i.rmB)} = ${i.imm & 0xff};`);
    case 0xb8: case 0xb9: case 0xba: case 0xbb: case 0xbc: case 0xbd: case 0xbe: case 0xbf:
      if (size === 0) return null;
      return reg(`r[${lo(i.rm)}] = ${i.imm}; r[${lo(i.rm) + 1}] = ${size === 8 ? i.imm2 : 0};`);
    case 0x1b6: case 0x1b7: case 0x1be: case 0x1bf: { // movzx, movsx
      if (size === 0) return null;
      const byte = op === 0x1b6 || op === 0x1be, signed = op >= 0x1be;
      let src: string;
      if (i.mod === 3) src = byte ? r8(i.rmB) : `r16[${i.rm * 4}]`;
      else {
        const ea = eaExpr(i, k);
        if (ea === null) return null;
        src = byte ? `m.read8(${ea})` : `m.read16(${ea})`;
      }
      if (signed) src = byte ? `((${src}) << 24) >> 24` : `((${src}) << 16) >> 16`;
      const hi = signed && size === 8 ? 'v >> 31' : '0';
      const code = `{ const v = ${src}; r[${g}] = v; r[${g + 1}] = ${hi}; }`;
      return i.mod === 3 ? reg(code) : mem(code);
    }
    case 0x63: { // movsxd
      if (size !== 8) return null;
      const e = eOperand(i, k);
      if (e === null) return null;
      const code = `{ ${e.setup} const v = ${e.readLo}; r[${g}] = v; r[${g + 1}] = v >> 31; }`;
      return e.isMem ? mem(code) : reg(code);
    }
    case 0x98: // cdqe / cwde
      if (size === 8) return reg('r[1] = r[0] >> 31;');
      if (size === 4) return reg('r[0] = (r[0] << 16) >> 16; r[1] = 0;');
      return null;
    case 0x99: // cqo / cdq
      if (size === 8) return reg('{ const s = r[1] >> 31; r[4] = s; r[5] = s; }');
      if (size === 4) return reg('r[4] = r[0] >> 31; r[5] = 0;');
      return null;
  }
  return null;
}

/** lea at 32 or 64 bits: exact address arithmetic on the halves, with constant registers. */
function emitLea(i: Insn): Emitted | null {
  const size = sizeOf(i);
  if (i.op !== 0x8d || i.mod === 3 || size === 0 || i.ripRel) return null;
  const d = lo(i.reg);
  const sh = 31 - Math.clz32(i.scale);
  if (size === 4 || i.asz === 4) { // only the low 32 bits matter
    const terms = [`${i.disp | 0}`];
    if (i.base >= 0) terms.push(`r[${lo(i.base)}]`);
    if (i.index >= 0) terms.push(sh ? `(r[${lo(i.index)}] << ${sh})` : `r[${lo(i.index)}]`);
    if (size === 4) return reg(`r[${d}] = (${terms.join(' + ')}) | 0; r[${d + 1}] = 0;`);
    return reg(`r[${d}] = (${terms.join(' + ')}) | 0; r[${d + 1}] = 0;`); // 0x67 at 64 bits: zero-extended
  }
  let s = `{ let l = ${i.disp | 0}, h = ${i.disp < 0 ? -1 : 0};`;
  const add = (xl: string, xh: string) => { s += ` { const t = (l >>> 0) + (${xl} >>> 0); h = (h + ${xh} + (t > 0xffffffff ? 1 : 0)) | 0; l = t | 0; }`; };
  if (i.base >= 0) add(`r[${lo(i.base)}]`, `r[${lo(i.base) + 1}]`);
  if (i.index >= 0) {
    const x = lo(i.index);
    if (sh === 0) add(`r[${x}]`, `r[${x + 1}]`);
    else add(`(r[${x}] << ${sh})`, `((r[${x + 1}] << ${sh}) | (r[${x}] >>> ${32 - sh}))`);
  }
  return reg(`${s} r[${d}] = l; r[${d + 1}] = h; }`);
}

/** cmovcc (0F 40+cc) and setcc (0F 90+cc). The cmov source is read whatever the condition. */
function emitCondMove(i: Insn, k: number, st: BlockState): Emitted | null {
  const cc = i.op & 15;
  if (i.op >= 0x140 && i.op <= 0x14f) {
    const size = sizeOf(i);
    if (size === 0) return null;
    const e = eOperand(i, k);
    if (e === null) return null;
    const g = lo(i.reg);
    const code = size === 8
      ? `{ ${e.setup} const vl = ${e.readLo}, vh = ${e.readHi}; if (${condExpr(cc, st.producer)}) { r[${g}] = vl; r[${g + 1}] = vh; } }`
      : `{ ${e.setup} const v = ${e.readLo}; if (${condExpr(cc, st.producer)}) r[${g}] = v; r[${g + 1}] = 0; }`;
    return e.isMem ? mem(code) : reg(code);
  }
  if (i.op >= 0x190 && i.op <= 0x19f) {
    const v = `(${condExpr(cc, st.producer)} ? 1 : 0)`;
    if (i.mod === 3) return reg(`${r8(i.rmB)} = ${v};`);
    const ea = eaExpr(i, k);
    return ea === null ? null : mem(`m.write8(${ea}, ${v});`);
  }
  return null;
}

function emitNop(i: Insn): Emitted | null {
  if (i.op >= 0x118 && i.op <= 0x11f) return reg(''); // nop r/m, hints, endbr64
  if (i.op === 0x90 && (i.rex & 1) === 0 && i.osz !== 2 && (i.rep === Rep.NONE || i.rep === Rep.REPE)) return reg(''); // nop, pause
  return null;
}

/** The integer emitters, tried in turn. */
export function emitInt(i: Insn, k: number, st: BlockState): Emitted | null {
  return emitMov(i, k) ?? emitAlu(i, k, st) ?? emitLea(i) ?? emitCondMove(i, k, st) ?? emitUnary(i, k, st)
    ?? emitShift(i, st) ?? emitImul(i, k, st) ?? emitNop(i);
}
