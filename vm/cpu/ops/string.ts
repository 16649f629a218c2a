// String instructions: movs, cmps, stos, lods, scas, with rep/repe/repne. rep movs and rep stos
// move page-sized chunks with copyWithin/fill where that equals the byte-by-byte semantics;
// rcx, rsi and rdi are written back after every chunk, so a fault part-way leaves them exact.

import type { Cpu } from '../cpu.js';
import { defOp, Imm } from '../decoder.js';
import { Access } from '../../memory/fault.js';
import { PAGE_MASK, PAGE_SIZE } from '../../memory/physical.js';
import { DF } from '../flags.js';
import type { Insn } from '../insn.js';
import { Rep, Seg } from '../insn.js';
import { alu, alu64, AluOp } from './alu.js';
import { readMemAny, readRegAny, writeMemAny, writeRegAny } from './operand.js';

const RCX = 1, RSI = 6, RDI = 7;

function getIdx(c: Cpu, i: Insn, n: number): number {
  return i.asz === 4 ? c.r[n * 2] >>> 0 : c.reg64(n);
}
function setIdx(c: Cpu, i: Insn, n: number, v: number): void {
  if (i.asz === 4) { c.r[n * 2] = v | 0; c.r[n * 2 + 1] = 0; }
  else c.setReg64(n, v);
}
function srcBase(c: Cpu, i: Insn): number {
  return i.seg === Seg.FS ? c.fsBase : i.seg === Seg.GS ? c.gsBase : 0;
}
function step(c: Cpu, i: Insn): number { return (c.flags & DF) ? -i.osz : i.osz; }

/** Count register for rep: rcx (or ecx), as a JS number. */
function getCount(c: Cpu, i: Insn): number { return getIdx(c, i, RCX); }

function movs(c: Cpu, i: Insn): void {
  const size = i.osz, d = step(c, i), base = srcBase(c, i);
  if (i.rep === Rep.NONE) {
    const s = getIdx(c, i, RSI), t = getIdx(c, i, RDI);
    const lo = readMemAny(c, size, base + s);
    writeMemAny(c, size, t, lo, c.hi);
    setIdx(c, i, RSI, s + d); setIdx(c, i, RDI, t + d);
    return;
  }
  let n = getCount(c, i);
  while (n > 0) {
    const s = getIdx(c, i, RSI), t = getIdx(c, i, RDI);
    if (d > 0) {
      // A chunk stays within one source page and one destination page.
      const room = Math.min(PAGE_SIZE - ((base + s) & PAGE_MASK), PAGE_SIZE - (t & PAGE_MASK));
      const k = Math.min(n, Math.floor(room / size));
      if (k > 0) {
        const ps = c.m.translate(base + s, Access.READ);
        const pd = c.m.translate(t, Access.WRITE);
        const bytes = k * size;
        if (pd <= ps || pd >= ps + bytes) c.m.u8.copyWithin(pd, ps, ps + bytes);
        else for (let b = 0; b < bytes; b += size) c.m.u8.copyWithin(pd + b, ps + b, ps + b + size); // overlap: element by element
        n -= k;
        setIdx(c, i, RSI, s + bytes); setIdx(c, i, RDI, t + bytes); setIdx(c, i, RCX, n);
        continue;
      }
    }
    // One element at a time (backwards, or an element straddling a page).
    const lo = readMemAny(c, size, base + s);
    writeMemAny(c, size, t, lo, c.hi);
    n -= 1;
    setIdx(c, i, RSI, s + d); setIdx(c, i, RDI, t + d); setIdx(c, i, RCX, n);
  }
}

function stos(c: Cpu, i: Insn): void {
  const size = i.osz, d = step(c, i);
  const lo = readRegAny(c, size, 0, 0), hi = c.hi;
  if (i.rep === Rep.NONE) {
    const t = getIdx(c, i, RDI);
    writeMemAny(c, size, t, lo, hi);
    setIdx(c, i, RDI, t + d);
    return;
  }
  let n = getCount(c, i);
  while (n > 0) {
    const t = getIdx(c, i, RDI);
    if (d > 0) {
      const k = Math.min(n, Math.floor((PAGE_SIZE - (t & PAGE_MASK)) / size));
      if (k > 0) {
        const pd = c.m.translate(t, Access.WRITE);
        const bytes = k * size;
        if (size === 1) c.m.u8.fill(lo & 0xff, pd, pd + bytes);
        else {
          const v = c.m.view;
          for (let b = 0; b < bytes; b += size) {
            if (size === 2) v.setUint16(pd + b, lo, true);
            else { v.setInt32(pd + b, lo, true); if (size === 8) v.setInt32(pd + b + 4, hi, true); }
          }
        }
        n -= k;
        setIdx(c, i, RDI, t + bytes); setIdx(c, i, RCX, n);
        continue;
      }
    }
    writeMemAny(c, size, t, lo, hi);
    n -= 1;
    setIdx(c, i, RDI, t + d); setIdx(c, i, RCX, n);
  }
}

function lods(c: Cpu, i: Insn): void {
  const size = i.osz, d = step(c, i), base = srcBase(c, i);
  let n = i.rep === Rep.NONE ? 1 : getCount(c, i);
  while (n > 0) {
    const s = getIdx(c, i, RSI);
    const lo = readMemAny(c, size, base + s);
    writeRegAny(c, size, 0, 0, lo, c.hi);
    setIdx(c, i, RSI, s + d);
    n -= 1;
    if (i.rep !== Rep.NONE) setIdx(c, i, RCX, n);
  }
}

/** cmps and scas: compare, set flags as cmp; repe stops on difference, repne on equality. */
function cmpsScas(c: Cpu, i: Insn): void {
  const size = i.osz, d = step(c, i), base = srcBase(c, i);
  const scas = i.op === 0xae || i.op === 0xaf;
  let n = i.rep === Rep.NONE ? 1 : getCount(c, i);
  while (n > 0) {
    const t = getIdx(c, i, RDI);
    let alo: number, ahi: number;
    let s = 0;
    if (scas) { alo = readRegAny(c, size, 0, 0); ahi = c.hi; }
    else { s = getIdx(c, i, RSI); alo = readMemAny(c, size, base + s); ahi = c.hi; }
    const blo = readMemAny(c, size, t), bhi = c.hi;
    if (size === 8) alu64(c, AluOp.CMP, alo, ahi, blo, bhi);
    else alu(c, AluOp.CMP, size, alo, blo);
    if (!scas) setIdx(c, i, RSI, s + d);
    setIdx(c, i, RDI, t + d);
    if (i.rep === Rep.NONE) return;
    n -= 1;
    setIdx(c, i, RCX, n);
    const equal = size === 8 ? alo === blo && ahi === bhi : ((alo ^ blo) & (size === 4 ? -1 : (1 << (size * 8)) - 1)) === 0;
    if (i.rep === Rep.REPE ? !equal : equal) return;
  }
}

const str = { modrm: false, imm: Imm.NONE, flagsRead: 0 };
defOp(0xa4, { ...str, byte: true, pick: () => movs });
defOp(0xa5, { ...str, pick: () => movs });
defOp(0xaa, { ...str, byte: true, pick: () => stos });
defOp(0xab, { ...str, pick: () => stos });
defOp(0xac, { ...str, byte: true, pick: () => lods });
defOp(0xad, { ...str, pick: () => lods });
defOp(0xa6, { ...str, byte: true, pick: () => cmpsScas });
defOp(0xa7, { ...str, pick: () => cmpsScas });
defOp(0xae, { ...str, byte: true, pick: () => cmpsScas });
defOp(0xaf, { ...str, pick: () => cmpsScas });
