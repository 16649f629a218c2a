// Hot blocks get a generated runner: one JS function for the whole block. The commonest simple
// instructions (register moves, 32/64-bit ALU ops, shifts by a constant, plain loads and stores,
// the everyday SSE2 integer forms) are emitted inline with their registers as constants, and
// their flag updates are left out when the liveness pass found them dead; every other instruction
// is a call to its interpreter handler, so behaviour is the interpreter's, instruction by
// instruction. The full binary translator is built on top of this later.

import type { Cpu } from './cpu.js';
import { FlagOp } from './flags.js';
import type { Handler, Insn } from './insn.js';
import { Rep, Seg } from './insn.js';

/** Interpreted runs before a block is compiled (most blocks run a few times only). */
export const HOT_BLOCK_RUNS = 32;

const enum Alu { ADD = 0, OR, ADC, SBB, AND, SUB, XOR, CMP }

/** A register's low-half slot. */
const lo = (n: number) => 2 * n;

/** JS for `x = a OP b` at 32 bits, or null for ops left to the handler (adc, sbb). */
function alu32Expr(op: number): string | null {
  switch (op) {
    case Alu.ADD: return '(a + b) | 0';
    case Alu.SUB: case Alu.CMP: return '(a - b) | 0';
    case Alu.AND: return 'a & b';
    case Alu.OR: return 'a | b';
    case Alu.XOR: return 'a ^ b';
    default: return null;
  }
}

function fopOf(op: number): FlagOp {
  return op === Alu.ADD ? FlagOp.ADD : op === Alu.SUB || op === Alu.CMP ? FlagOp.SUB : FlagOp.LOGIC;
}

function alu32(i: Insn, op: number, dest: number, src: string): string | null {
  const e = alu32Expr(op);
  if (e === null) return null;
  let s = `{ const a = r[${lo(dest)}], b = ${src}; const x = ${e};`;
  if (op !== Alu.CMP) s += ` r[${lo(dest)}] = x; r[${lo(dest) + 1}] = 0;`;
  if (i.flagsLive) s += ` c.fop = ${fopOf(op)}; c.fsize = 4; c.fa = a; c.fb = b; c.fres = x;`;
  return s + ' }';
}

function alu64(i: Insn, op: number, dest: number, srcLo: string, srcHi: string): string | null {
  let body: string;
  switch (op) {
    case Alu.ADD: body = 'const s = (al >>> 0) + (bl >>> 0); const xl = s | 0, xh = (ah + bh + (s > 0xffffffff ? 1 : 0)) | 0;'; break;
    case Alu.SUB: case Alu.CMP: body = 'const d = (al >>> 0) - (bl >>> 0); const xl = d | 0, xh = (ah - bh - (d < 0 ? 1 : 0)) | 0;'; break;
    case Alu.AND: body = 'const xl = al & bl, xh = ah & bh;'; break;
    case Alu.OR: body = 'const xl = al | bl, xh = ah | bh;'; break;
    case Alu.XOR: body = 'const xl = al ^ bl, xh = ah ^ bh;'; break;
    default: return null;
  }
  const d = lo(dest);
  let s = `{ const al = r[${d}], ah = r[${d + 1}], bl = ${srcLo}, bh = ${srcHi}; ${body}`;
  if (op !== Alu.CMP) s += ` r[${d}] = xl; r[${d + 1}] = xh;`;
  if (i.flagsLive) s += ` c.fop = ${fopOf(op)}; c.fsize = 8; c.fa = al; c.faHi = ah; c.fb = bl; c.fbHi = bh; c.fres = xl; c.fresHi = xh;`;
  return s + ' }';
}

/** The effective address of a plain memory operand, or null (segments, 0x67: left to handlers). */
function eaExpr(i: Insn, k: number): string | null {
  if (i.seg !== Seg.NONE || i.asz !== 8) return null;
  if (i.ripRel || (i.base < 0 && i.index < 0)) return `${i.disp}`;
  // Registers with small high halves add exactly as doubles; otherwise the exact path.
  const guard: string[] = [];
  const terms: string[] = [];
  if (i.base >= 0) {
    guard.push(`((r[${lo(i.base) + 1}] + 0x100000) >>> 0) < 0x200000`);
    terms.push(`r[${lo(i.base) + 1}] * 4294967296 + (r[${lo(i.base)}] >>> 0)`);
  }
  if (i.index >= 0) {
    guard.push(`((r[${lo(i.index) + 1}] + 0x100000) >>> 0) < 0x200000`);
    terms.push(`(r[${lo(i.index) + 1}] * 4294967296 + (r[${lo(i.index)}] >>> 0)) * ${i.scale}`);
  }
  return `(${guard.join(' && ')} ? ${terms.join(' + ')} + ${i.disp} : I[${k}].ea(c, I[${k}]))`;
}

/** XMM register forms of the commonest SSE2 integer instructions, lane by lane. */
function emitSseReg(i: Insn): string | null {
  const p66 = i.p66 && i.rep === Rep.NONE;
  const d = 4 * i.reg, s = 4 * i.rm;
  const copy = (to: number, from: number) => `x[${to}] = x[${from}]; x[${to + 1}] = x[${from + 1}]; x[${to + 2}] = x[${from + 2}]; x[${to + 3}] = x[${from + 3}];`;
  const lanes = (f: (k: number) => string) => [0, 1, 2, 3].map(f).join(' ');
  switch (i.op) {
    case 0x16f: return p66 || (i.rep === Rep.REPE && !i.p66) ? copy(d, s) : null; // movdqa, movdqu
    case 0x17f: return p66 || (i.rep === Rep.REPE && !i.p66) ? copy(s, d) : null;
    case 0x128: return i.rep === Rep.NONE ? copy(d, s) : null; // movaps, movapd
    case 0x129: return i.rep === Rep.NONE ? copy(s, d) : null;
    case 0x1ef: return p66 ? lanes((k) => `x[${d + k}] ^= x[${s + k}];`) : null; // pxor
    case 0x1eb: return p66 ? lanes((k) => `x[${d + k}] |= x[${s + k}];`) : null; // por
    case 0x1db: return p66 ? lanes((k) => `x[${d + k}] &= x[${s + k}];`) : null; // pand
    case 0x1df: return p66 ? lanes((k) => `x[${d + k}] = ~x[${d + k}] & x[${s + k}];`) : null; // pandn
    case 0x1fe: return p66 ? lanes((k) => `x[${d + k}] = (x[${d + k}] + x[${s + k}]) | 0;`) : null; // paddd
    case 0x1fa: return p66 ? lanes((k) => `x[${d + k}] = (x[${d + k}] - x[${s + k}]) | 0;`) : null; // psubd
    case 0x172: { // psrld, psrad, pslld xmm, imm8
      if (!p66) return null;
      const n = i.imm & 0xff, kind = i.reg & 7;
      if (kind === 2) return lanes((k) => (n > 31 ? `x[${s + k}] = 0;` : `x[${s + k}] = x[${s + k}] >>> ${n};`));
      if (kind === 6) return lanes((k) => (n > 31 ? `x[${s + k}] = 0;` : `x[${s + k}] = x[${s + k}] << ${n};`));
      if (kind === 4) return lanes((k) => `x[${s + k}] = x[${s + k}] >> ${Math.min(n, 31)};`);
      return null;
    }
    default: return null;
  }
}

/** Inline JS for instruction k, or null to call its handler. `throws`: may fault (set k first). */
function emit(i: Insn, k: number): { code: string; throws: boolean } | null {
  if (i.lock) return null;
  const op = i.op;
  const reg = (code: string | null) => (code === null ? null : { code, throws: false });
  const mem = (code: string | null) => (code === null ? null : { code, throws: true });
  if (i.mod === 3) {
    // mov r, r (89; 8B had reg and rm swapped by its pick, so rm is the destination in both)
    if ((op === 0x89 || op === 0x8b) && (i.osz === 4 || i.osz === 8)) {
      const d = lo(i.rm), s = lo(i.reg);
      return reg(i.osz === 8 ? `r[${d}] = r[${s}]; r[${d + 1}] = r[${s + 1}];` : `r[${d}] = r[${s}]; r[${d + 1}] = 0;`);
    }
    // ALU E, G / G, E
    if (op < 0x40 && (op & 7) <= 3 && (op & 1) === 1 && (i.osz === 4 || i.osz === 8)) {
      const toE = (op & 2) === 0;
      const dest = toE ? i.rm : i.reg, src = toE ? i.reg : i.rm;
      if (i.osz === 4) return reg(alu32(i, i.sub, dest, `r[${lo(src)}]`));
      return reg(alu64(i, i.sub, dest, `r[${lo(src)}]`, `r[${lo(src) + 1}]`));
    }
    // ALU E, imm (81, 83)
    if ((op === 0x81 || op === 0x83) && (i.osz === 4 || i.osz === 8)) {
      if (i.osz === 4) return reg(alu32(i, i.sub, i.rm, `${i.imm}`));
      return reg(alu64(i, i.sub, i.rm, `${i.imm}`, `${i.imm >> 31}`));
    }
    // test E, G: flags only
    if (op === 0x85 && (i.osz === 4 || i.osz === 8)) {
      if (!i.flagsLive) return reg('');
      const e = lo(i.rm), g = lo(i.reg);
      if (i.osz === 4) return reg(`{ const a = r[${e}], b = r[${g}]; c.fop = ${FlagOp.LOGIC}; c.fsize = 4; c.fa = a; c.fb = b; c.fres = a & b; }`);
      return reg(`{ const al = r[${e}], ah = r[${e + 1}], bl = r[${g}], bh = r[${g + 1}]; c.fop = ${FlagOp.LOGIC}; c.fsize = 8; `
        + 'c.fa = al; c.faHi = ah; c.fb = bl; c.fbHi = bh; c.fres = al & bl; c.fresHi = ah & bh; }');
    }
    // mov r, imm
    if (op >= 0xb8 && op <= 0xbf && (i.osz === 4 || i.osz === 8)) {
      return reg(`r[${lo(i.rm)}] = ${i.imm}; r[${lo(i.rm) + 1}] = ${i.osz === 8 ? i.imm2 : 0};`);
    }
    if (op === 0xc7 && (i.osz === 4 || i.osz === 8)) {
      return reg(`r[${lo(i.rm)}] = ${i.imm}; r[${lo(i.rm) + 1}] = ${i.osz === 8 ? i.imm >> 31 : 0};`);
    }
    // shifts and rotates of a 32-bit register by a non-zero constant
    if (op === 0xc1 && i.osz === 4 && (i.imm & 31) !== 0) {
      const n = i.imm & 31, d = lo(i.rm), kind = i.reg & 7;
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
      return reg(s + ' }');
    }
    return reg(emitSseReg(i));
  }
  // Memory operands: plain loads and stores.
  const ea = eaExpr(i, k);
  if (ea === null) return null;
  const g = lo(i.reg);
  if (op === 0x8b && i.osz === 4) return mem(`{ const v = m.read32(${ea}); r[${g}] = v; r[${g + 1}] = 0; }`);
  if (op === 0x8b && i.osz === 8) return mem(`{ const a = ${ea}; const vl = m.read32(a), vh = m.read32(a + 4); r[${g}] = vl; r[${g + 1}] = vh; }`);
  if (op === 0x89 && i.osz === 4) return mem(`m.write32(${ea}, r[${g}]);`);
  if (op === 0x89 && i.osz === 8) return mem(`m.write64(${ea}, r[${g}], r[${g + 1}]);`);
  if (op === 0x1b6 && (i.osz === 4 || i.osz === 8)) return mem(`{ const v = m.read8(${ea}); r[${g}] = v; r[${g + 1}] = 0; }`);
  // movq xmm, m64 (F3 0F 7E) and movq m64, xmm (66 0F D6)
  if (op === 0x17e && i.rep === Rep.REPE && !i.p66) {
    const d = 4 * i.reg;
    return mem(`{ const a = ${ea}; const vl = m.read32(a), vh = m.read32(a + 4); x[${d}] = vl; x[${d + 1}] = vh; x[${d + 2}] = 0; x[${d + 3}] = 0; }`);
  }
  if (op === 0x1d6 && i.p66 && i.rep === Rep.NONE) return mem(`m.write64(${ea}, x[${4 * i.reg}], x[${4 * i.reg + 1}]);`);
  if ((op === 0x03 || op === 0x2b || op === 0x33 || op === 0x23 || op === 0x0b || op === 0x3b) && i.osz === 4) {
    return mem(alu32(i, i.sub, i.reg, `m.read32(${ea})`));
  }
  return null;
}

export function compileBlock(insns: Insn[]): (c: Cpu) => void {
  const lines: string[] = [];
  for (let k = 0; k < insns.length; k++) {
    const e = emit(insns[k], k);
    if (e === null) lines.push(`k = ${k}; H[${k}](c, I[${k}]);`);
    else lines.push(e.throws ? `k = ${k}; ${e.code}` : e.code);
  }
  // On a throw, tell the run loop which instruction did not complete.
  const body = `return function block(c) {\n  const r = c.r, m = c.m, x = c.xi32;\n  let k = 0;\n  try {\n    ${lines.join('\n    ')}\n  } catch (e) {\n    c.faultInsn = I[k];\n    throw e;\n  }\n};`;
  const handlers: Handler[] = insns.map((i) => i.fn);
  return new Function('H', 'I', body)(handlers, insns) as (c: Cpu) => void;
}
