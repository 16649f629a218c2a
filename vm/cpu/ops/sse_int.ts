// Packed integer instructions of MMX, SSE and SSE2, on mm (no prefix) and xmm (66) registers:
// padd/psub (b w d q, signed and unsigned saturation), pmullw pmulhw pmulhuw pmuludq pmaddwd,
// pavgb/w, pminub pmaxub pminsw pmaxsw, psadbw, pcmpeq/pcmpgt (b w d), pand pandn por pxor, the
// shifts by register, memory and immediate (0F 71-73, pslldq/psrldq), the packs and unpacks,
// pshufd/pshufhw/pshuflw/pshufw, pextrw and pinsrw. Intel SDM Vol. 2.
//
// Each operation is one kernel over the scratch registers A (destination) and B (source), n = 8
// or 16 bytes, writing R; the handlers around it read the operands and write the result back.

import type { Cpu } from '../cpu.js';
import { defOp, Imm } from '../decoder.js';
import type { Handler, Insn } from '../insn.js';
import { Slot } from '../../regfile.js';
import { out as out64, shl64, shr64 } from '../int64.js';
import {
  A, B, R, Form, formOf, loadA, loadAmm, loadB128, loadBmm, mmxBegin, mmxCheck, mmxEnter, storeR, storeRmm, writeMM,
} from './sse_operand.js';

type Kernel = (n: number) => void;

const A8 = new Uint8Array(A.buffer), A8s = new Int8Array(A.buffer), A16 = new Uint16Array(A.buffer), A16s = new Int16Array(A.buffer);
const B8 = new Uint8Array(B.buffer), B8s = new Int8Array(B.buffer), B16 = new Uint16Array(B.buffer), B16s = new Int16Array(B.buffer);
const R8 = new Uint8Array(R.buffer), R8s = new Int8Array(R.buffer), R16 = new Uint16Array(R.buffer), R16s = new Int16Array(R.buffer);
const R8c = new Uint8ClampedArray(R.buffer);

function sat8(v: number): number { return v > 127 ? 127 : v < -128 ? -128 : v; }
function sat16(v: number): number { return v > 32767 ? 32767 : v < -32768 ? -32768 : v; }
function satU16(v: number): number { return v > 65535 ? 65535 : v < 0 ? 0 : v; }

// --- add / subtract ---------------------------------------------------------------------------

const paddb: Kernel = (n) => { for (let k = 0; k < n; k++) R8[k] = A8[k] + B8[k]; };
const paddw: Kernel = (n) => { for (let k = 0; k < n / 2; k++) R16[k] = A16[k] + B16[k]; };
const paddd: Kernel = (n) => { for (let k = 0; k < n / 4; k++) R[k] = A[k] + B[k]; };
const paddq: Kernel = (n) => {
  for (let k = 0; k < n / 4; k += 2) {
    const lo = (A[k] >>> 0) + (B[k] >>> 0);
    R[k] = lo;
    R[k + 1] = A[k + 1] + B[k + 1] + (lo > 0xffffffff ? 1 : 0);
  }
};
const psubb: Kernel = (n) => { for (let k = 0; k < n; k++) R8[k] = A8[k] - B8[k]; };
const psubw: Kernel = (n) => { for (let k = 0; k < n / 2; k++) R16[k] = A16[k] - B16[k]; };
const psubd: Kernel = (n) => { for (let k = 0; k < n / 4; k++) R[k] = A[k] - B[k]; };
const psubq: Kernel = (n) => {
  for (let k = 0; k < n / 4; k += 2) {
    const lo = (A[k] >>> 0) - (B[k] >>> 0);
    R[k] = lo;
    R[k + 1] = A[k + 1] - B[k + 1] - (lo < 0 ? 1 : 0);
  }
};
const paddsb: Kernel = (n) => { for (let k = 0; k < n; k++) R8s[k] = sat8(A8s[k] + B8s[k]); };
const paddsw: Kernel = (n) => { for (let k = 0; k < n / 2; k++) R16s[k] = sat16(A16s[k] + B16s[k]); };
const paddusb: Kernel = (n) => { for (let k = 0; k < n; k++) R8c[k] = A8[k] + B8[k]; };
const paddusw: Kernel = (n) => { for (let k = 0; k < n / 2; k++) R16[k] = satU16(A16[k] + B16[k]); };
const psubsb: Kernel = (n) => { for (let k = 0; k < n; k++) R8s[k] = sat8(A8s[k] - B8s[k]); };
const psubsw: Kernel = (n) => { for (let k = 0; k < n / 2; k++) R16s[k] = sat16(A16s[k] - B16s[k]); };
const psubusb: Kernel = (n) => { for (let k = 0; k < n; k++) R8c[k] = A8[k] - B8[k]; };
const psubusw: Kernel = (n) => { for (let k = 0; k < n / 2; k++) R16[k] = satU16(A16[k] - B16[k]); };

// --- multiply -----------------------------------------------------------------------------------

const pmullw: Kernel = (n) => { for (let k = 0; k < n / 2; k++) R16[k] = Math.imul(A16[k], B16[k]); };
const pmulhw: Kernel = (n) => { for (let k = 0; k < n / 2; k++) R16[k] = (A16s[k] * B16s[k]) >> 16; };
const pmulhuw: Kernel = (n) => { for (let k = 0; k < n / 2; k++) R16[k] = (A16[k] * B16[k]) >>> 16; };
/** Unsigned 32 x 32 -> 64 of the low dword of each quadword, in 16-bit limbs. */
const pmuludq: Kernel = (n) => {
  for (let k = 0; k < n / 4; k += 2) {
    const a = A[k] >>> 0, b = B[k] >>> 0;
    const al = a & 0xffff, ah = a >>> 16, bl = b & 0xffff, bh = b >>> 16;
    const lh = al * bh, hl = ah * bl;
    const carry = (((al * bl) >>> 16) + (lh & 0xffff) + (hl & 0xffff)) >>> 16;
    R[k] = Math.imul(a, b);
    R[k + 1] = ah * bh + (lh >>> 16) + (hl >>> 16) + carry;
  }
};
const pmaddwd: Kernel = (n) => {
  for (let k = 0; k < n / 4; k++) R[k] = A16s[2 * k] * B16s[2 * k] + A16s[2 * k + 1] * B16s[2 * k + 1];
};

// --- average, min, max, sum of absolute differences --------------------------------------------

const pavgb: Kernel = (n) => { for (let k = 0; k < n; k++) R8[k] = (A8[k] + B8[k] + 1) >> 1; };
const pavgw: Kernel = (n) => { for (let k = 0; k < n / 2; k++) R16[k] = (A16[k] + B16[k] + 1) >> 1; };
const pminub: Kernel = (n) => { for (let k = 0; k < n; k++) R8[k] = A8[k] < B8[k] ? A8[k] : B8[k]; };
const pmaxub: Kernel = (n) => { for (let k = 0; k < n; k++) R8[k] = A8[k] > B8[k] ? A8[k] : B8[k]; };
const pminsw: Kernel = (n) => { for (let k = 0; k < n / 2; k++) R16s[k] = A16s[k] < B16s[k] ? A16s[k] : B16s[k]; };
const pmaxsw: Kernel = (n) => { for (let k = 0; k < n / 2; k++) R16s[k] = A16s[k] > B16s[k] ? A16s[k] : B16s[k]; };
const psadbw: Kernel = (n) => {
  for (let g = 0; g < n; g += 8) {
    let s = 0;
    for (let k = g; k < g + 8; k++) { const d = A8[k] - B8[k]; s += d < 0 ? -d : d; }
    R[g / 4] = s; R[g / 4 + 1] = 0;
  }
};

// --- compare and logic --------------------------------------------------------------------------

const pcmpeqb: Kernel = (n) => { for (let k = 0; k < n; k++) R8[k] = A8[k] === B8[k] ? 0xff : 0; };
const pcmpeqw: Kernel = (n) => { for (let k = 0; k < n / 2; k++) R16[k] = A16[k] === B16[k] ? 0xffff : 0; };
const pcmpeqd: Kernel = (n) => { for (let k = 0; k < n / 4; k++) R[k] = A[k] === B[k] ? -1 : 0; };
const pcmpgtb: Kernel = (n) => { for (let k = 0; k < n; k++) R8[k] = A8s[k] > B8s[k] ? 0xff : 0; };
const pcmpgtw: Kernel = (n) => { for (let k = 0; k < n / 2; k++) R16[k] = A16s[k] > B16s[k] ? 0xffff : 0; };
const pcmpgtd: Kernel = (n) => { for (let k = 0; k < n / 4; k++) R[k] = A[k] > B[k] ? -1 : 0; };
const pand: Kernel = (n) => { for (let k = 0; k < n / 4; k++) R[k] = A[k] & B[k]; };
const pandn: Kernel = (n) => { for (let k = 0; k < n / 4; k++) R[k] = ~A[k] & B[k]; };
const por: Kernel = (n) => { for (let k = 0; k < n / 4; k++) R[k] = A[k] | B[k]; };
const pxor: Kernel = (n) => { for (let k = 0; k < n / 4; k++) R[k] = A[k] ^ B[k]; };

// --- shifts (count in `count`: the source's low quadword, clamped, or the immediate) ---------------

let count = 0;
const psrlw: Kernel = (n) => { for (let k = 0; k < n / 2; k++) R16[k] = count > 15 ? 0 : A16[k] >>> count; };
const psrld: Kernel = (n) => { for (let k = 0; k < n / 4; k++) R[k] = count > 31 ? 0 : A[k] >>> count; };
const psraw: Kernel = (n) => { const s = count > 15 ? 15 : count; for (let k = 0; k < n / 2; k++) R16s[k] = A16s[k] >> s; };
const psrad: Kernel = (n) => { const s = count > 31 ? 31 : count; for (let k = 0; k < n / 4; k++) R[k] = A[k] >> s; };
const psllw: Kernel = (n) => { for (let k = 0; k < n / 2; k++) R16[k] = count > 15 ? 0 : A16[k] << count; };
const pslld: Kernel = (n) => { for (let k = 0; k < n / 4; k++) R[k] = count > 31 ? 0 : A[k] << count; };
// 64-bit lanes shift with the limb helpers of int64.ts; counts above 63 clear the lane.
const psrlq: Kernel = (n) => {
  for (let k = 0; k < n / 4; k += 2) {
    if (count > 63) { R[k] = 0; R[k + 1] = 0; continue; }
    shr64(A[k], A[k + 1], count); R[k] = out64[0]; R[k + 1] = out64[1];
  }
};
const psllq: Kernel = (n) => {
  for (let k = 0; k < n / 4; k += 2) {
    if (count > 63) { R[k] = 0; R[k + 1] = 0; continue; }
    shl64(A[k], A[k + 1], count); R[k] = out64[0]; R[k + 1] = out64[1];
  }
};
const psrldq: Kernel = () => { const s = count > 16 ? 16 : count; for (let k = 0; k < 16; k++) R8[k] = k + s < 16 ? A8[k + s] : 0; };
const pslldq: Kernel = () => { const s = count > 16 ? 16 : count; for (let k = 0; k < 16; k++) R8[k] = k >= s ? A8[k - s] : 0; };

/** The count of a shift by register or memory: the source's low quadword, unsigned. */
function countFromB(): void {
  count = B[1] !== 0 ? 0xffff : B[0] >>> 0;
}

// --- pack and unpack ------------------------------------------------------------------------------

const packsswb: Kernel = (n) => {
  const h = n / 2;
  for (let k = 0; k < h; k++) { R8s[k] = sat8(A16s[k]); R8s[h + k] = sat8(B16s[k]); }
};
const packuswb: Kernel = (n) => {
  const h = n / 2;
  for (let k = 0; k < h; k++) { R8c[k] = A16s[k]; R8c[h + k] = B16s[k]; }
};
const packssdw: Kernel = (n) => {
  const h = n / 4;
  for (let k = 0; k < h; k++) { R16s[k] = sat16(A[k]); R16s[h + k] = sat16(B[k]); }
};
const punpcklbw: Kernel = (n) => { for (let k = 0; k < n / 2; k++) { R8[2 * k] = A8[k]; R8[2 * k + 1] = B8[k]; } };
const punpcklwd: Kernel = (n) => { for (let k = 0; k < n / 4; k++) { R16[2 * k] = A16[k]; R16[2 * k + 1] = B16[k]; } };
const punpckldq: Kernel = (n) => { for (let k = 0; k < n / 8; k++) { R[2 * k] = A[k]; R[2 * k + 1] = B[k]; } };
const punpcklqdq: Kernel = () => { R[0] = A[0]; R[1] = A[1]; R[2] = B[0]; R[3] = B[1]; };
const punpckhbw: Kernel = (n) => { const h = n / 2; for (let k = 0; k < h; k++) { R8[2 * k] = A8[h + k]; R8[2 * k + 1] = B8[h + k]; } };
const punpckhwd: Kernel = (n) => { const h = n / 4; for (let k = 0; k < h; k++) { R16[2 * k] = A16[h + k]; R16[2 * k + 1] = B16[h + k]; } };
const punpckhdq: Kernel = (n) => { const h = n / 8; for (let k = 0; k < h; k++) { R[2 * k] = A[h + k]; R[2 * k + 1] = B[h + k]; } };
const punpckhqdq: Kernel = () => { R[0] = A[2]; R[1] = A[3]; R[2] = B[2]; R[3] = B[3]; };

// --- handlers ----------------------------------------------------------------------------------------

/** The MMX form: mm, mm/m64. */
function mmx(kern: Kernel): Handler {
  return (c, i) => {
    mmxCheck(c); loadBmm(c, i); mmxEnter(c); loadAmm(c, i);
    kern(8);
    storeRmm(c, i);
  };
}
/** The SSE2 form: xmm, xmm/m128 (aligned). */
function xmm(kern: Kernel): Handler {
  return (c, i) => {
    loadB128(c, i); loadA(c, i);
    kern(16);
    storeR(c, i);
  };
}
function mmxShift(kern: Kernel): Handler {
  return (c, i) => {
    mmxCheck(c); loadBmm(c, i); mmxEnter(c); loadAmm(c, i);
    countFromB(); kern(8);
    storeRmm(c, i);
  };
}
function xmmShift(kern: Kernel): Handler {
  return (c, i) => {
    loadB128(c, i); loadA(c, i);
    countFromB(); kern(16);
    storeR(c, i);
  };
}
/** MMX punpckl*: the source is mm/m32 (only its low half is read). */
function mmxUnpackLow(kern: Kernel): Handler {
  return (c, i) => {
    mmxCheck(c);
    if (i.mod === 3) loadBmm(c, i);
    else B[0] = c.m.read32(i.ea(c, i));
    mmxEnter(c); loadAmm(c, i);
    kern(8);
    storeRmm(c, i);
  };
}

/** Hot forms used by string functions: register-file lanes without the scratch round trip. */
function pxorSame(c: Cpu, i: Insn): void {
  const x = c.xi32, o = i.reg * 4;
  x[o] = 0; x[o + 1] = 0; x[o + 2] = 0; x[o + 3] = 0;
}
function pcmpeqbXmm(c: Cpu, i: Insn): void {
  loadB128(c, i);
  const x = c.xu8, o = i.reg * 16;
  for (let k = 0; k < 16; k++) x[o + k] = x[o + k] === B8[k] ? 0xff : 0;
}
function pminubXmm(c: Cpu, i: Insn): void {
  loadB128(c, i);
  const x = c.xu8, o = i.reg * 16;
  for (let k = 0; k < 16; k++) { const b = B8[k]; if (b < x[o + k]) x[o + k] = b; }
}

type Pick = (i: Insn) => Handler | null;
function op(opcode: number, pick: Pick, imm = Imm.NONE): void {
  defOp(0x100 | opcode, { modrm: true, imm, flagsRead: 0, pick });
}
function both(kern: Kernel): Pick {
  const m = mmx(kern), x = xmm(kern);
  return (i) => { const f = formOf(i); return f === Form.NP ? m : f === Form.P66 ? x : null; };
}

op(0xfc, both(paddb)); op(0xfd, both(paddw)); op(0xfe, both(paddd)); op(0xd4, both(paddq));
op(0xf8, both(psubb)); op(0xf9, both(psubw)); op(0xfa, both(psubd)); op(0xfb, both(psubq));
op(0xec, both(paddsb)); op(0xed, both(paddsw)); op(0xdc, both(paddusb)); op(0xdd, both(paddusw));
op(0xe8, both(psubsb)); op(0xe9, both(psubsw)); op(0xd8, both(psubusb)); op(0xd9, both(psubusw));
op(0xd5, both(pmullw)); op(0xe5, both(pmulhw)); op(0xe4, both(pmulhuw)); op(0xf4, both(pmuludq)); op(0xf5, both(pmaddwd));
op(0xe0, both(pavgb)); op(0xe3, both(pavgw));
op(0xde, both(pmaxub)); op(0xea, both(pminsw)); op(0xee, both(pmaxsw)); op(0xf6, both(psadbw));
{
  const m = mmx(pminub), x = xmm(pminub);
  op(0xda, (i) => { const f = formOf(i); return f === Form.NP ? m : f === Form.P66 ? (i.mod === 3 ? x : pminubXmm) : null; });
}
{
  const m = mmx(pcmpeqb);
  op(0x74, (i) => { const f = formOf(i); return f === Form.NP ? m : f === Form.P66 ? pcmpeqbXmm : null; });
}
op(0x75, both(pcmpeqw)); op(0x76, both(pcmpeqd));
op(0x64, both(pcmpgtb)); op(0x65, both(pcmpgtw)); op(0x66, both(pcmpgtd));
op(0xdb, both(pand)); op(0xdf, both(pandn)); op(0xeb, both(por));
{
  const m = mmx(pxor), x = xmm(pxor);
  op(0xef, (i) => {
    const f = formOf(i);
    if (f === Form.NP) return m;
    if (f !== Form.P66) return null;
    return i.mod === 3 && i.rm === i.reg ? pxorSame : x;
  });
}
op(0x63, both(packsswb)); op(0x67, both(packuswb)); op(0x6b, both(packssdw));
op(0x68, both(punpckhbw)); op(0x69, both(punpckhwd)); op(0x6a, both(punpckhdq));
for (const [opc, kern] of [[0x60, punpcklbw], [0x61, punpcklwd], [0x62, punpckldq]] as [number, Kernel][]) {
  const m = mmxUnpackLow(kern), x = xmm(kern);
  op(opc, (i) => { const f = formOf(i); return f === Form.NP ? m : f === Form.P66 ? x : null; });
}
{
  const l = xmm(punpcklqdq), h = xmm(punpckhqdq);
  op(0x6c, (i) => (formOf(i) === Form.P66 ? l : null));
  op(0x6d, (i) => (formOf(i) === Form.P66 ? h : null));
}
for (const [opc, kern] of [[0xd1, psrlw], [0xd2, psrld], [0xd3, psrlq], [0xe1, psraw], [0xe2, psrad],
  [0xf1, psllw], [0xf2, pslld], [0xf3, psllq]] as [number, Kernel][]) {
  const m = mmxShift(kern), x = xmmShift(kern);
  op(opc, (i) => { const f = formOf(i); return f === Form.NP ? m : f === Form.P66 ? x : null; });
}

// Shift groups 0F 71 (words), 72 (dwords), 73 (qwords, and 66 /3 psrldq, /7 pslldq): rm, imm8.
function shiftImmMm(kern: Kernel): Handler {
  return (c, i) => {
    mmxBegin(c);
    const o = Slot.ST + 4 * (i.rm & 7);
    A[0] = c.r[o]; A[1] = c.r[o + 1];
    count = i.imm;
    kern(8);
    writeMM(c, i.rm & 7, R[0], R[1]);
  };
}
function shiftImmXmm(kern: Kernel): Handler {
  return (c, i) => {
    const x = c.xi32, o = i.rm * 4;
    A[0] = x[o]; A[1] = x[o + 1]; A[2] = x[o + 2]; A[3] = x[o + 3];
    count = i.imm;
    kern(16);
    x[o] = R[0]; x[o + 1] = R[1]; x[o + 2] = R[2]; x[o + 3] = R[3];
  };
}
function shiftGroup(kerns: (Kernel | null)[], xmmOnly: (Kernel | null)[]): Pick {
  const m = kerns.map((k) => (k ? shiftImmMm(k) : null));
  const x = kerns.map((k, n) => (k ? shiftImmXmm(k) : xmmOnly[n] ? shiftImmXmm(xmmOnly[n]!) : null));
  return (i) => {
    if (i.mod !== 3) return null;
    const f = formOf(i), r = i.reg & 7;
    return f === Form.NP ? m[r] : f === Form.P66 ? x[r] : null;
  };
}
op(0x71, shiftGroup([null, null, psrlw, null, psraw, null, psllw, null], []), Imm.UB);
op(0x72, shiftGroup([null, null, psrld, null, psrad, null, pslld, null], []), Imm.UB);
op(0x73, shiftGroup([null, null, psrlq, null, null, null, psllq, null],
  [null, null, null, psrldq, null, null, null, pslldq]), Imm.UB);

// --- shuffles, extract, insert -------------------------------------------------------------------

function pshufd(c: Cpu, i: Insn): void {
  loadB128(c, i);
  const m = i.imm, x = c.xi32, o = i.reg * 4;
  x[o] = B[m & 3]; x[o + 1] = B[(m >> 2) & 3]; x[o + 2] = B[(m >> 4) & 3]; x[o + 3] = B[(m >> 6) & 3];
}
function pshufhw(c: Cpu, i: Insn): void {
  loadB128(c, i);
  const m = i.imm;
  R[0] = B[0]; R[1] = B[1];
  for (let k = 0; k < 4; k++) R16[4 + k] = B16[4 + ((m >> (2 * k)) & 3)];
  storeR(c, i);
}
function pshuflw(c: Cpu, i: Insn): void {
  loadB128(c, i);
  const m = i.imm;
  for (let k = 0; k < 4; k++) R16[k] = B16[(m >> (2 * k)) & 3];
  R[2] = B[2]; R[3] = B[3];
  storeR(c, i);
}
function pshufw(c: Cpu, i: Insn): void {
  mmxCheck(c); loadBmm(c, i); mmxEnter(c);
  const m = i.imm;
  for (let k = 0; k < 4; k++) R16[k] = B16[(m >> (2 * k)) & 3];
  storeRmm(c, i);
}
{
  const h = [pshufw, pshufd, pshufhw, pshuflw];
  op(0x70, (i) => h[formOf(i)], Imm.UB);
}

/** pextrw r32, mm/xmm, imm8: zero-extended into the general register. */
function pextrwMm(c: Cpu, i: Insn): void {
  mmxBegin(c);
  const o = Slot.ST + 4 * (i.rm & 7), s = i.imm & 3;
  c.r[i.reg * 2] = (c.r[o + (s >> 1)] >>> ((s & 1) * 16)) & 0xffff;
  c.r[i.reg * 2 + 1] = 0;
}
function pextrwXmm(c: Cpu, i: Insn): void {
  const s = i.imm & 7;
  c.r[i.reg * 2] = (c.xi32[i.rm * 4 + (s >> 1)] >>> ((s & 1) * 16)) & 0xffff;
  c.r[i.reg * 2 + 1] = 0;
}
op(0xc5, (i) => {
  if (i.mod !== 3) return null;
  const f = formOf(i);
  return f === Form.NP ? pextrwMm : f === Form.P66 ? pextrwXmm : null;
}, Imm.UB);

/** pinsrw mm/xmm, r32/m16, imm8. */
function pinsrwMm(c: Cpu, i: Insn): void {
  mmxCheck(c);
  const v = i.mod === 3 ? c.r[i.rm * 2] & 0xffff : c.m.read16(i.ea(c, i));
  mmxEnter(c); loadAmm(c, i);
  R[0] = A[0]; R[1] = A[1];
  R16[i.imm & 3] = v;
  storeRmm(c, i);
}
function pinsrwXmm(c: Cpu, i: Insn): void {
  const v = i.mod === 3 ? c.r[i.rm * 2] & 0xffff : c.m.read16(i.ea(c, i));
  const s = i.imm & 7, o = i.reg * 4 + (s >> 1), x = c.xi32;
  x[o] = (s & 1) === 0 ? (x[o] & ~0xffff) | v : (x[o] & 0xffff) | (v << 16);
}
op(0xc4, (i) => {
  const f = formOf(i);
  return f === Form.NP ? pinsrwMm : f === Form.P66 ? pinsrwXmm : null;
}, Imm.UB);
