// SSE, SSE2 and MMX data movement: movups/movaps/movupd/movapd/movdqu/movdqa, movss/movsd,
// movlps/movhps/movlpd/movhpd/movlhps/movhlps, movd/movq in every direction (mm, xmm, r/m32,
// r/m64), movq2dq/movdq2q, movmskps/movmskpd/pmovmskb, maskmovq/maskmovdqu and the non-temporal
// stores (movntps movntpd movntdq movnti movntq). Intel SDM Vol. 2.

import type { Cpu } from '../cpu.js';
import { defOp, Imm } from '../decoder.js';
import { Seg, type Handler, type Insn } from '../insn.js';
import {
  B, eaAligned, formOf, mmxBegin, mmxCheck, mmxEnter, mmxTopZero, readMem128, writeMem128, writeMM,
} from './sse_operand.js';
import { Slot } from '../../regfile.js';

type Pick = (i: Insn) => Handler | null;

// --- 128-bit moves -------------------------------------------------------------------------------

function movRR(c: Cpu, i: Insn): void {
  const x = c.xi32, d = i.reg * 4, s = i.rm * 4;
  x[d] = x[s]; x[d + 1] = x[s + 1]; x[d + 2] = x[s + 2]; x[d + 3] = x[s + 3];
}
/** Aligned load: 16 aligned bytes never cross a page, so the first read faults or none does. */
function loadAligned(c: Cpu, i: Insn): void {
  const a = eaAligned(c, i), m = c.m, x = c.xi32, d = i.reg * 4;
  x[d] = m.read32(a); x[d + 1] = m.read32(a + 4); x[d + 2] = m.read32(a + 8); x[d + 3] = m.read32(a + 12);
}
function loadUnaligned(c: Cpu, i: Insn): void {
  readMem128(c, i.ea(c, i), B);
  const x = c.xi32, d = i.reg * 4;
  x[d] = B[0]; x[d + 1] = B[1]; x[d + 2] = B[2]; x[d + 3] = B[3];
}
function storeAligned(c: Cpu, i: Insn): void {
  const a = eaAligned(c, i), x = c.xi32, s = i.reg * 4;
  writeMem128(c, a, x[s], x[s + 1], x[s + 2], x[s + 3]);
}
function storeUnaligned(c: Cpu, i: Insn): void {
  const x = c.xi32, s = i.reg * 4;
  writeMem128(c, i.ea(c, i), x[s], x[s + 1], x[s + 2], x[s + 3]);
}
/** The store forms (0F 11, 29, 7F) move reg -> rm. */
function movRRstore(c: Cpu, i: Insn): void {
  const x = c.xi32, d = i.rm * 4, s = i.reg * 4;
  x[d] = x[s]; x[d + 1] = x[s + 1]; x[d + 2] = x[s + 2]; x[d + 3] = x[s + 3];
}
const load = (aligned: boolean): Pick => (i) => (i.mod === 3 ? movRR : aligned ? loadAligned : loadUnaligned);
const store = (aligned: boolean): Pick => (i) => (i.mod === 3 ? movRRstore : aligned ? storeAligned : storeUnaligned);

// --- scalar and half moves ---------------------------------------------------------------------

function movssLoad(c: Cpu, i: Insn): void {
  const x = c.xi32, d = i.reg * 4;
  if (i.mod === 3) { x[d] = x[i.rm * 4]; return; }
  x[d] = c.m.read32(i.ea(c, i)); x[d + 1] = 0; x[d + 2] = 0; x[d + 3] = 0;
}
function movssStore(c: Cpu, i: Insn): void {
  const x = c.xi32;
  if (i.mod === 3) x[i.rm * 4] = x[i.reg * 4];
  else c.m.write32(i.ea(c, i), x[i.reg * 4]);
}
function movsdLoad(c: Cpu, i: Insn): void {
  const x = c.xi32, d = i.reg * 4;
  if (i.mod === 3) { const s = i.rm * 4; x[d] = x[s]; x[d + 1] = x[s + 1]; return; }
  const a = i.ea(c, i);
  const lo = c.m.read32(a), hi = c.m.read32(a + 4);
  x[d] = lo; x[d + 1] = hi; x[d + 2] = 0; x[d + 3] = 0;
}
function movsdStore(c: Cpu, i: Insn): void {
  const x = c.xi32, s = i.reg * 4;
  if (i.mod === 3) { const d = i.rm * 4; x[d] = x[s]; x[d + 1] = x[s + 1]; }
  else c.m.write64(i.ea(c, i), x[s], x[s + 1]);
}
/** movlps/movlpd xmm, m64 (low half loaded, high kept); movhps/movhpd: the high half. */
function movLoadHalf(c: Cpu, i: Insn): void {
  const a = i.ea(c, i);
  const lo = c.m.read32(a), hi = c.m.read32(a + 4);
  const d = i.reg * 4 + i.sub;
  c.xi32[d] = lo; c.xi32[d + 1] = hi;
}
function movStoreHalf(c: Cpu, i: Insn): void {
  const s = i.reg * 4 + i.sub;
  c.m.write64(i.ea(c, i), c.xi32[s], c.xi32[s + 1]);
}
/** movhlps: low half = the source's high half. */
function movhlps(c: Cpu, i: Insn): void {
  const x = c.xi32, d = i.reg * 4, s = i.rm * 4;
  x[d] = x[s + 2]; x[d + 1] = x[s + 3];
}
/** movlhps: high half = the source's low half. */
function movlhps(c: Cpu, i: Insn): void {
  const x = c.xi32, d = i.reg * 4, s = i.rm * 4;
  x[d + 2] = x[s]; x[d + 3] = x[s + 1];
}

// --- movd / movq ------------------------------------------------------------------------------------

/** The r/m32 (or r/m64 with REX.W) source of movd/movq: the low half, the high half in c.hi. */
function readGprSource(c: Cpu, i: Insn): number {
  if (i.mod === 3) { c.hi = i.rexW ? c.r[i.rm * 2 + 1] : 0; return c.r[i.rm * 2]; }
  const a = i.ea(c, i);
  const lo = c.m.read32(a);
  c.hi = i.rexW ? c.m.read32(a + 4) : 0;
  return lo;
}

/** movd/movq xmm, r/m32 or r/m64 (66 [REX.W] 0F 6E): zero-extended to 128 bits. */
function movdToXmm(c: Cpu, i: Insn): void {
  const lo = readGprSource(c, i), hi = c.hi;
  const x = c.xi32, d = i.reg * 4;
  x[d] = lo; x[d + 1] = hi; x[d + 2] = 0; x[d + 3] = 0;
}
/** movd/movq r/m32 or r/m64, xmm (66 [REX.W] 0F 7E). */
function movdFromXmm(c: Cpu, i: Insn): void {
  const x = c.xi32, s = i.reg * 4;
  if (i.mod === 3) { c.r[i.rm * 2] = x[s]; c.r[i.rm * 2 + 1] = i.rexW ? x[s + 1] : 0; }
  else if (i.rexW) c.m.write64(i.ea(c, i), x[s], x[s + 1]);
  else c.m.write32(i.ea(c, i), x[s]);
}
/** movq xmm, xmm/m64 (F3 0F 7E): zero-extended. */
function movqLoadXmm(c: Cpu, i: Insn): void {
  let lo: number, hi: number;
  if (i.mod === 3) { const s = i.rm * 4; lo = c.xi32[s]; hi = c.xi32[s + 1]; }
  else { const a = i.ea(c, i); lo = c.m.read32(a); hi = c.m.read32(a + 4); }
  const x = c.xi32, d = i.reg * 4;
  x[d] = lo; x[d + 1] = hi; x[d + 2] = 0; x[d + 3] = 0;
}
/** movq xmm/m64, xmm (66 0F D6): the register form zero-extends. */
function movqStoreXmm(c: Cpu, i: Insn): void {
  const x = c.xi32, s = i.reg * 4;
  if (i.mod === 3) { const d = i.rm * 4; x[d] = x[s]; x[d + 1] = x[s + 1]; x[d + 2] = 0; x[d + 3] = 0; }
  else c.m.write64(i.ea(c, i), x[s], x[s + 1]);
}

/** movd/movq mm, r/m32 or r/m64 (0F 6E). */
function movdToMm(c: Cpu, i: Insn): void {
  mmxCheck(c);
  const lo = readGprSource(c, i), hi = c.hi;
  mmxEnter(c);
  writeMM(c, i.reg & 7, lo, hi);
}
/** movd/movq r/m32 or r/m64, mm (0F 7E). */
function movdFromMm(c: Cpu, i: Insn): void {
  mmxCheck(c);
  const s = Slot.ST + 4 * (i.reg & 7);
  if (i.mod === 3) { c.r[i.rm * 2] = c.r[s]; c.r[i.rm * 2 + 1] = i.rexW ? c.r[s + 1] : 0; }
  else {
    mmxTopZero(c);
    if (i.rexW) c.m.write64(i.ea(c, i), c.r[s], c.r[s + 1]);
    else c.m.write32(i.ea(c, i), c.r[s]);
  }
  mmxEnter(c);
}
/** movq mm, mm/m64 (0F 6F). */
function movqLoadMm(c: Cpu, i: Insn): void {
  mmxCheck(c);
  let lo: number, hi: number;
  if (i.mod === 3) { const s = Slot.ST + 4 * (i.rm & 7); lo = c.r[s]; hi = c.r[s + 1]; }
  else { const a = i.ea(c, i); lo = c.m.read32(a); hi = c.m.read32(a + 4); }
  mmxEnter(c);
  writeMM(c, i.reg & 7, lo, hi);
}
/** movq mm/m64, mm (0F 7F) and movntq m64, mm (0F E7). */
function movqStoreMm(c: Cpu, i: Insn): void {
  mmxCheck(c);
  const s = Slot.ST + 4 * (i.reg & 7);
  const lo = c.r[s], hi = c.r[s + 1];
  if (i.mod !== 3) { mmxTopZero(c); c.m.write64(i.ea(c, i), lo, hi); }
  mmxEnter(c);
  if (i.mod === 3) writeMM(c, i.rm & 7, lo, hi);
}
/** movq2dq xmm, mm (F3 0F D6). */
function movq2dq(c: Cpu, i: Insn): void {
  mmxBegin(c);
  const s = Slot.ST + 4 * (i.rm & 7), x = c.xi32, d = i.reg * 4;
  x[d] = c.r[s]; x[d + 1] = c.r[s + 1]; x[d + 2] = 0; x[d + 3] = 0;
}
/** movdq2q mm, xmm (F2 0F D6). */
function movdq2q(c: Cpu, i: Insn): void {
  mmxBegin(c);
  const s = i.rm * 4;
  writeMM(c, i.reg & 7, c.xi32[s], c.xi32[s + 1]);
}

// --- masks -----------------------------------------------------------------------------------

function signs4(v: number): number {
  return ((v >>> 7) & 1) | ((v >>> 14) & 2) | ((v >>> 21) & 4) | ((v >>> 28) & 8);
}
function movmskps(c: Cpu, i: Insn): void {
  const x = c.xi32, s = i.rm * 4;
  c.r[i.reg * 2] = (x[s] >>> 31) | ((x[s + 1] >>> 31) << 1) | ((x[s + 2] >>> 31) << 2) | ((x[s + 3] >>> 31) << 3);
  c.r[i.reg * 2 + 1] = 0;
}
function movmskpd(c: Cpu, i: Insn): void {
  const x = c.xi32, s = i.rm * 4;
  c.r[i.reg * 2] = (x[s + 1] >>> 31) | ((x[s + 3] >>> 31) << 1);
  c.r[i.reg * 2 + 1] = 0;
}
function pmovmskbXmm(c: Cpu, i: Insn): void {
  const x = c.xi32, s = i.rm * 4;
  c.r[i.reg * 2] = signs4(x[s]) | (signs4(x[s + 1]) << 4) | (signs4(x[s + 2]) << 8) | (signs4(x[s + 3]) << 12);
  c.r[i.reg * 2 + 1] = 0;
}
function pmovmskbMm(c: Cpu, i: Insn): void {
  mmxBegin(c);
  const s = Slot.ST + 4 * (i.rm & 7);
  c.r[i.reg * 2] = signs4(c.r[s]) | (signs4(c.r[s + 1]) << 4);
  c.r[i.reg * 2 + 1] = 0;
}

/** maskmovq / maskmovdqu: the bytes of reg whose mask byte (rm) has its top bit set go to [rdi]. */
function maskmovAddr(c: Cpu, i: Insn): number {
  let a = i.asz === 4 ? c.r[14] >>> 0 : c.reg64(7);
  if (i.seg === Seg.FS) a += c.fsBase;
  else if (i.seg === Seg.GS) a += c.gsBase;
  return a;
}
const maskData = new Uint8Array(16), maskBits = new Uint8Array(16);
const maskData32 = new Int32Array(maskData.buffer), maskBits32 = new Int32Array(maskBits.buffer);
function maskStore(c: Cpu, a: number, n: number): void {
  let first = -1, last = -1;
  for (let k = 0; k < n; k++) if (maskBits[k] & 0x80) { if (first < 0) first = k; last = k; }
  if (first < 0) return;
  c.m.checkWritable(a + first, last - first + 1);
  for (let k = first; k <= last; k++) if (maskBits[k] & 0x80) c.m.write8(a + k, maskData[k]);
}
function maskmovdqu(c: Cpu, i: Insn): void {
  const x = c.xi32, s = i.reg * 4, m = i.rm * 4;
  for (let k = 0; k < 4; k++) { maskData32[k] = x[s + k]; maskBits32[k] = x[m + k]; }
  maskStore(c, maskmovAddr(c, i), 16);
}
function maskmovq(c: Cpu, i: Insn): void {
  mmxBegin(c);
  const s = Slot.ST + 4 * (i.reg & 7), m = Slot.ST + 4 * (i.rm & 7);
  maskData32[0] = c.r[s]; maskData32[1] = c.r[s + 1];
  maskBits32[0] = c.r[m]; maskBits32[1] = c.r[m + 1];
  maskStore(c, maskmovAddr(c, i), 8);
}

/** movnti m32/m64, r32/r64. */
function movnti(c: Cpu, i: Insn): void {
  const a = i.ea(c, i);
  if (i.rexW) c.m.write64(a, c.r[i.reg * 2], c.r[i.reg * 2 + 1]);
  else c.m.write32(a, c.r[i.reg * 2]);
}

// --- registration ----------------------------------------------------------------------------

function op(opcode: number, pick: Pick): void {
  defOp(0x100 | opcode, { modrm: true, imm: Imm.NONE, flagsRead: 0, pick });
}
const byForm = (np: Pick | null, p66: Pick | null, f3: Pick | null, f2: Pick | null): Pick => {
  const t = [np, p66, f3, f2];
  return (i) => { const p = t[formOf(i)]; return p === null ? null : p(i); };
};
const always = (h: Handler): Pick => () => h;
const memOnly = (h: Handler): Pick => (i) => (i.mod === 3 ? null : h);
const regOnly = (h: Handler): Pick => (i) => (i.mod === 3 ? h : null);
const half = (h: Handler, sub: number): Pick => (i) => (i.mod === 3 ? null : (i.sub = sub, h));

op(0x10, byForm(load(false), load(false), always(movssLoad), always(movsdLoad)));
op(0x11, byForm(store(false), store(false), always(movssStore), always(movsdStore)));
op(0x12, byForm((i) => (i.mod === 3 ? movhlps : (i.sub = 0, movLoadHalf)), half(movLoadHalf, 0), null, null));
op(0x13, byForm(half(movStoreHalf, 0), half(movStoreHalf, 0), null, null));
op(0x16, byForm((i) => (i.mod === 3 ? movlhps : (i.sub = 2, movLoadHalf)), half(movLoadHalf, 2), null, null));
op(0x17, byForm(half(movStoreHalf, 2), half(movStoreHalf, 2), null, null));
op(0x28, byForm(load(true), load(true), null, null));
op(0x29, byForm(store(true), store(true), null, null));
op(0x2b, byForm(memOnly(storeAligned), memOnly(storeAligned), null, null));
op(0x50, byForm(regOnly(movmskps), regOnly(movmskpd), null, null));
op(0x6e, byForm(always(movdToMm), always(movdToXmm), null, null));
op(0x6f, byForm(always(movqLoadMm), load(true), load(false), null));
op(0x7e, byForm(always(movdFromMm), always(movdFromXmm), always(movqLoadXmm), null));
op(0x7f, byForm(always(movqStoreMm), store(true), store(false), null));
op(0xc3, byForm(memOnly(movnti), null, null, null));
op(0xd6, byForm(null, always(movqStoreXmm), regOnly(movq2dq), regOnly(movdq2q)));
op(0xd7, byForm(regOnly(pmovmskbMm), regOnly(pmovmskbXmm), null, null));
op(0xe7, byForm(memOnly(movqStoreMm), memOnly(storeAligned), null, null));
op(0xf7, byForm(regOnly(maskmovq), regOnly(maskmovdqu), null, null));
