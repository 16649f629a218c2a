// SSE and SSE2 conversions between integers, binary32 and binary64: cvtsi2ss/sd (32- and 64-bit
// sources), cvt[t]ss2si/cvt[t]sd2si (32- and 64-bit results), cvtss2sd/cvtsd2ss, cvtps2pd/cvtpd2ps,
// cvtdq2ps/cvt[t]ps2dq, cvtdq2pd/cvt[t]pd2dq and the MMX forms cvtpi2ps/cvt[t]ps2pi/cvtpi2pd/
// cvt[t]pd2pi. Rounding by MXCSR.RC (the cvtt forms truncate); NaN and out-of-range results are the
// integer indefinite 0x80000000 / 0x8000000000000000 with IE. Intel SDM Vol. 2.

import type { Cpu } from '../cpu.js';
import { defOp, Imm } from '../decoder.js';
import type { Handler, Insn } from '../insn.js';
import { Slot } from '../../regfile.js';
import {
  begin, cvt32to64, cvt64to32, finish, int32To32, int64Hi, int64ToFloat, RF32, RF64, srcValue32, srcValue64,
  toInt32, toInt64,
} from './sse_ieee.js';
import {
  A, B, R, Form, formOf, loadA, loadB128, loadB32, loadB64, mmxBegin, mmxCheck, mmxEnter, storeR, writeMM,
} from './sse_operand.js';

// --- integer -> float ------------------------------------------------------------------------------

/** B[0..1] = the r/m32 or r/m64 integer source (c.hi style: B[1] is the high half or the sign). */
function loadIntSrc(c: Cpu, i: Insn): void {
  if (i.mod === 3) {
    B[0] = c.r[i.rm * 2];
    B[1] = i.rexW ? c.r[i.rm * 2 + 1] : B[0] >> 31;
  } else {
    const a = i.ea(c, i);
    const lo = c.m.read32(a);
    B[1] = i.rexW ? c.m.read32(a + 4) : lo >> 31;
    B[0] = lo;
  }
}
function cvtsi2ss(c: Cpu, i: Insn): void {
  loadIntSrc(c, i); loadA(c, i); begin(c);
  R[1] = A[1]; R[2] = A[2]; R[3] = A[3];
  RF32[0] = int64ToFloat(B[0], B[1], true);
  finish(c); storeR(c, i);
}
function cvtsi2sd(c: Cpu, i: Insn): void {
  loadIntSrc(c, i); loadA(c, i); begin(c);
  R[2] = A[2]; R[3] = A[3];
  RF64[0] = int64ToFloat(B[0], B[1], false);
  finish(c); storeR(c, i);
}

/** The mm/m64 source of cvtpi2ps/pd: only the register form is an MMX instruction. */
function loadPiSrc(c: Cpu, i: Insn): void {
  if (i.mod === 3) {
    mmxBegin(c);
    const o = Slot.ST + 4 * (i.rm & 7);
    B[0] = c.r[o]; B[1] = c.r[o + 1];
  } else {
    const a = i.ea(c, i);
    const lo = c.m.read32(a);
    B[1] = c.m.read32(a + 4);
    B[0] = lo;
  }
}
function cvtpi2ps(c: Cpu, i: Insn): void {
  loadPiSrc(c, i); loadA(c, i); begin(c);
  R[2] = A[2]; R[3] = A[3];
  RF32[0] = int32To32(B[0]); RF32[1] = int32To32(B[1]);
  finish(c); storeR(c, i);
}
function cvtpi2pd(c: Cpu, i: Insn): void {
  loadPiSrc(c, i);
  RF64[0] = B[0]; RF64[1] = B[1];
  storeR(c, i);
}
function cvtdq2ps(c: Cpu, i: Insn): void {
  loadB128(c, i); begin(c);
  RF32[0] = int32To32(B[0]); RF32[1] = int32To32(B[1]); RF32[2] = int32To32(B[2]); RF32[3] = int32To32(B[3]);
  finish(c); storeR(c, i);
}
function cvtdq2pd(c: Cpu, i: Insn): void {
  loadB64(c, i);
  RF64[0] = B[0]; RF64[1] = B[1];
  storeR(c, i);
}

// --- float -> integer ------------------------------------------------------------------------------

/** cvt[t]ss2si r32/r64, xmm/m32 (i.sub = 1 truncates). */
function cvtss2si(c: Cpu, i: Insn): void {
  loadB32(c, i); begin(c);
  const x = srcValue32(0), t = i.sub !== 0;
  let lo: number, hi = 0;
  if (i.rexW) { lo = toInt64(x, t); hi = int64Hi; } else lo = toInt32(x, t);
  finish(c);
  c.r[i.reg * 2] = lo; c.r[i.reg * 2 + 1] = hi;
}
function cvtsd2si(c: Cpu, i: Insn): void {
  loadB64(c, i); begin(c);
  const x = srcValue64(0), t = i.sub !== 0;
  let lo: number, hi = 0;
  if (i.rexW) { lo = toInt64(x, t); hi = int64Hi; } else lo = toInt32(x, t);
  finish(c);
  c.r[i.reg * 2] = lo; c.r[i.reg * 2 + 1] = hi;
}
/** cvt[t]ps2pi mm, xmm/m64. */
function cvtps2pi(c: Cpu, i: Insn): void {
  mmxCheck(c); loadB64(c, i); mmxEnter(c); begin(c);
  const t = i.sub !== 0;
  const r0 = toInt32(srcValue32(0), t), r1 = toInt32(srcValue32(1), t);
  finish(c);
  writeMM(c, i.reg & 7, r0, r1);
}
/** cvt[t]pd2pi mm, xmm/m128. */
function cvtpd2pi(c: Cpu, i: Insn): void {
  mmxCheck(c); loadB128(c, i); mmxEnter(c); begin(c);
  const t = i.sub !== 0;
  const r0 = toInt32(srcValue64(0), t), r1 = toInt32(srcValue64(1), t);
  finish(c);
  writeMM(c, i.reg & 7, r0, r1);
}
/** cvt[t]ps2dq xmm, xmm/m128. */
function cvtps2dq(c: Cpu, i: Insn): void {
  loadB128(c, i); begin(c);
  const t = i.sub !== 0;
  R[0] = toInt32(srcValue32(0), t); R[1] = toInt32(srcValue32(1), t);
  R[2] = toInt32(srcValue32(2), t); R[3] = toInt32(srcValue32(3), t);
  finish(c); storeR(c, i);
}
/** cvt[t]pd2dq xmm, xmm/m128: the high quadword is zeroed. */
function cvtpd2dq(c: Cpu, i: Insn): void {
  loadB128(c, i); begin(c);
  const t = i.sub !== 0;
  R[0] = toInt32(srcValue64(0), t); R[1] = toInt32(srcValue64(1), t); R[2] = 0; R[3] = 0;
  finish(c); storeR(c, i);
}

// --- float <-> float ---------------------------------------------------------------------------------

function cvtps2pd(c: Cpu, i: Insn): void {
  loadB64(c, i); begin(c);
  cvt32to64(0, 0); cvt32to64(1, 1);
  finish(c); storeR(c, i);
}
function cvtpd2ps(c: Cpu, i: Insn): void {
  loadB128(c, i); begin(c);
  cvt64to32(0, 0); cvt64to32(1, 1); R[2] = 0; R[3] = 0;
  finish(c); storeR(c, i);
}
function cvtss2sd(c: Cpu, i: Insn): void {
  loadB32(c, i); loadA(c, i); begin(c);
  R[2] = A[2]; R[3] = A[3];
  cvt32to64(0, 0);
  finish(c); storeR(c, i);
}
function cvtsd2ss(c: Cpu, i: Insn): void {
  loadB64(c, i); loadA(c, i); begin(c);
  R[1] = A[1]; R[2] = A[2]; R[3] = A[3];
  cvt64to32(0, 0);
  finish(c); storeR(c, i);
}

// --- registration ----------------------------------------------------------------------------

function op(opcode: number, h: (Handler | null)[], sub = 0): void {
  defOp(0x100 | opcode, {
    modrm: true, imm: Imm.NONE, flagsRead: 0,
    pick: (i) => { i.sub = sub; return h[formOf(i)]; },
  });
}
op(0x2a, [cvtpi2ps, cvtpi2pd, cvtsi2ss, cvtsi2sd]);
op(0x2c, [cvtps2pi, cvtpd2pi, cvtss2si, cvtsd2si], 1);
op(0x2d, [cvtps2pi, cvtpd2pi, cvtss2si, cvtsd2si], 0);
op(0x5a, [cvtps2pd, cvtpd2ps, cvtss2sd, cvtsd2ss]);
defOp(0x15b, {
  modrm: true, imm: Imm.NONE, flagsRead: 0,
  pick: (i) => {
    const f = formOf(i);
    if (f === Form.NP) return cvtdq2ps;
    if (f === Form.F2) return null;
    i.sub = f === Form.F3 ? 1 : 0;
    return cvtps2dq;
  },
});
defOp(0x1e6, {
  modrm: true, imm: Imm.NONE, flagsRead: 0,
  pick: (i) => {
    const f = formOf(i);
    if (f === Form.NP) return null;
    if (f === Form.F3) return cvtdq2pd;
    i.sub = f === Form.P66 ? 1 : 0;
    return cvtpd2dq;
  },
});
