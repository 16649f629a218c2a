// SSE and SSE2 floating-point arithmetic: add sub mul div min max sqrt (ps pd ss sd), rcp and
// rsqrt (ps ss), and/andn/or/xor (ps pd), cmpps/pd/ss/sd, comis/ucomis (ss sd), shufps/pd and the
// unpck family. The numerics (MXCSR, NaNs, flags) live in sse_ieee.ts. Intel SDM Vol. 2.

import type { Cpu } from '../cpu.js';
import { defOp, Imm } from '../decoder.js';
import { ARITH_FLAGS, FlagOp } from '../flags.js';
import type { Handler, Insn } from '../insn.js';
import {
  add32, add64, begin, cmp32, cmp64, comi32, comi64, div32, div64, finish, lane32, lane64, minMax32, minMax64,
  mul32, mul64, rcp32, rsqrt32, sqrt32, sqrt64, sub32, sub64, unary32, unary64, type FpOp,
} from './sse_ieee.js';
import { A, B, Form, formOf, loadA, loadB128, loadB32, loadB64, R, storeR } from './sse_operand.js';

type Pick = (i: Insn) => Handler | null;

// --- arithmetic --------------------------------------------------------------------------------

function packed32(op: FpOp): Handler {
  return (c, i) => {
    loadB128(c, i); loadA(c, i); begin(c);
    lane32(0, op); lane32(1, op); lane32(2, op); lane32(3, op);
    finish(c); storeR(c, i);
  };
}
function packed64(op: FpOp): Handler {
  return (c, i) => {
    loadB128(c, i); loadA(c, i); begin(c);
    lane64(0, op); lane64(1, op);
    finish(c); storeR(c, i);
  };
}
function scalar32(op: FpOp): Handler {
  return (c, i) => {
    loadB32(c, i); loadA(c, i); begin(c);
    R[1] = A[1]; R[2] = A[2]; R[3] = A[3];
    lane32(0, op);
    finish(c); storeR(c, i);
  };
}
function scalar64(op: FpOp): Handler {
  return (c, i) => {
    loadB64(c, i); loadA(c, i); begin(c);
    R[2] = A[2]; R[3] = A[3];
    lane64(0, op);
    finish(c); storeR(c, i);
  };
}
function arith(op32: FpOp, op64: FpOp): Pick {
  const h = [packed32(op32), packed64(op64), scalar32(op32), scalar64(op64)];
  return (i) => h[formOf(i)];
}

function sqrtps(c: Cpu, i: Insn): void {
  loadB128(c, i); begin(c);
  unary32(0, sqrt32); unary32(1, sqrt32); unary32(2, sqrt32); unary32(3, sqrt32);
  finish(c); storeR(c, i);
}
function sqrtpd(c: Cpu, i: Insn): void {
  loadB128(c, i); begin(c);
  unary64(0, sqrt64); unary64(1, sqrt64);
  finish(c); storeR(c, i);
}
function sqrtss(c: Cpu, i: Insn): void {
  loadB32(c, i); loadA(c, i); begin(c);
  R[1] = A[1]; R[2] = A[2]; R[3] = A[3];
  unary32(0, sqrt32);
  finish(c); storeR(c, i);
}
function sqrtsd(c: Cpu, i: Insn): void {
  loadB64(c, i); loadA(c, i); begin(c);
  R[2] = A[2]; R[3] = A[3];
  unary64(0, sqrt64);
  finish(c); storeR(c, i);
}

function minMax(max: boolean): Pick {
  const h: Handler[] = [
    (c, i) => {
      loadB128(c, i); loadA(c, i); begin(c);
      minMax32(0, max); minMax32(1, max); minMax32(2, max); minMax32(3, max);
      finish(c); storeR(c, i);
    },
    (c, i) => {
      loadB128(c, i); loadA(c, i); begin(c);
      minMax64(0, max); minMax64(1, max);
      finish(c); storeR(c, i);
    },
    (c, i) => {
      loadB32(c, i); loadA(c, i); begin(c);
      R[1] = A[1]; R[2] = A[2]; R[3] = A[3];
      minMax32(0, max);
      finish(c); storeR(c, i);
    },
    (c, i) => {
      loadB64(c, i); loadA(c, i); begin(c);
      R[2] = A[2]; R[3] = A[3];
      minMax64(0, max);
      finish(c); storeR(c, i);
    },
  ];
  return (i) => h[formOf(i)];
}

// rcp and rsqrt never read MXCSR nor set flags.
function approxPs(f: (b: number) => number): Handler {
  return (c, i) => {
    loadB128(c, i);
    const x = c.xi32, o = i.reg * 4;
    x[o] = f(B[0]); x[o + 1] = f(B[1]); x[o + 2] = f(B[2]); x[o + 3] = f(B[3]);
  };
}
function approxSs(f: (b: number) => number): Handler {
  return (c, i) => {
    loadB32(c, i);
    c.xi32[i.reg * 4] = f(B[0]);
  };
}

// --- logic ---------------------------------------------------------------------------------------

function andps(c: Cpu, i: Insn): void {
  loadB128(c, i);
  const x = c.xi32, o = i.reg * 4;
  x[o] &= B[0]; x[o + 1] &= B[1]; x[o + 2] &= B[2]; x[o + 3] &= B[3];
}
function andnps(c: Cpu, i: Insn): void {
  loadB128(c, i);
  const x = c.xi32, o = i.reg * 4;
  x[o] = ~x[o] & B[0]; x[o + 1] = ~x[o + 1] & B[1]; x[o + 2] = ~x[o + 2] & B[2]; x[o + 3] = ~x[o + 3] & B[3];
}
function orps(c: Cpu, i: Insn): void {
  loadB128(c, i);
  const x = c.xi32, o = i.reg * 4;
  x[o] |= B[0]; x[o + 1] |= B[1]; x[o + 2] |= B[2]; x[o + 3] |= B[3];
}
function xorps(c: Cpu, i: Insn): void {
  loadB128(c, i);
  const x = c.xi32, o = i.reg * 4;
  x[o] ^= B[0]; x[o + 1] ^= B[1]; x[o + 2] ^= B[2]; x[o + 3] ^= B[3];
}
function zeroXmm(c: Cpu, i: Insn): void {
  const x = c.xi32, o = i.reg * 4;
  x[o] = 0; x[o + 1] = 0; x[o + 2] = 0; x[o + 3] = 0;
}

// --- compare ---------------------------------------------------------------------------------------

function cmpps(c: Cpu, i: Insn): void {
  loadB128(c, i); loadA(c, i); begin(c);
  const p = i.imm & 7;
  cmp32(0, p); cmp32(1, p); cmp32(2, p); cmp32(3, p);
  finish(c); storeR(c, i);
}
function cmppd(c: Cpu, i: Insn): void {
  loadB128(c, i); loadA(c, i); begin(c);
  const p = i.imm & 7;
  cmp64(0, p); cmp64(1, p);
  finish(c); storeR(c, i);
}
function cmpss(c: Cpu, i: Insn): void {
  loadB32(c, i); loadA(c, i); begin(c);
  R[1] = A[1]; R[2] = A[2]; R[3] = A[3];
  cmp32(0, i.imm & 7);
  finish(c); storeR(c, i);
}
function cmpsd(c: Cpu, i: Insn): void {
  loadB64(c, i); loadA(c, i); begin(c);
  R[2] = A[2]; R[3] = A[3];
  cmp64(0, i.imm & 7);
  finish(c); storeR(c, i);
}

/** comis/ucomis: ZF PF CF from the comparison, OF SF AF cleared; on #XM the flags are unchanged. */
function setComiFlags(c: Cpu, f: number): void {
  c.flags = (c.flags & ~ARITH_FLAGS) | f;
  c.fop = FlagOp.EAGER;
}
function comiss(c: Cpu, i: Insn): void {
  loadB32(c, i); A[0] = c.xi32[i.reg * 4]; begin(c);
  const f = comi32(i.sub !== 0);
  finish(c); setComiFlags(c, f);
}
function comisd(c: Cpu, i: Insn): void {
  loadB64(c, i); A[0] = c.xi32[i.reg * 4]; A[1] = c.xi32[i.reg * 4 + 1]; begin(c);
  const f = comi64(i.sub !== 0);
  finish(c); setComiFlags(c, f);
}

// --- shuffles --------------------------------------------------------------------------------------

function shufps(c: Cpu, i: Insn): void {
  loadB128(c, i); loadA(c, i);
  const m = i.imm, x = c.xi32, o = i.reg * 4;
  x[o] = A[m & 3]; x[o + 1] = A[(m >> 2) & 3]; x[o + 2] = B[(m >> 4) & 3]; x[o + 3] = B[(m >> 6) & 3];
}
function shufpd(c: Cpu, i: Insn): void {
  loadB128(c, i); loadA(c, i);
  const m = i.imm, x = c.xi32, o = i.reg * 4;
  const a = (m & 1) * 2, b = ((m >> 1) & 1) * 2;
  x[o] = A[a]; x[o + 1] = A[a + 1]; x[o + 2] = B[b]; x[o + 3] = B[b + 1];
}
function unpcklps(c: Cpu, i: Insn): void {
  loadB128(c, i);
  const x = c.xi32, o = i.reg * 4;
  x[o + 3] = B[1]; x[o + 2] = x[o + 1]; x[o + 1] = B[0];
}
function unpckhps(c: Cpu, i: Insn): void {
  loadB128(c, i);
  const x = c.xi32, o = i.reg * 4;
  x[o] = x[o + 2]; x[o + 1] = B[2]; x[o + 2] = x[o + 3]; x[o + 3] = B[3];
}
function unpcklpd(c: Cpu, i: Insn): void {
  loadB128(c, i);
  const x = c.xi32, o = i.reg * 4;
  x[o + 2] = B[0]; x[o + 3] = B[1];
}
function unpckhpd(c: Cpu, i: Insn): void {
  loadB128(c, i);
  const x = c.xi32, o = i.reg * 4;
  x[o] = x[o + 2]; x[o + 1] = x[o + 3]; x[o + 2] = B[2]; x[o + 3] = B[3];
}

// --- registration ----------------------------------------------------------------------------

function op(opcode: number, pick: Pick, imm = Imm.NONE): void {
  defOp(0x100 | opcode, { modrm: true, imm, flagsRead: 0, pick });
}
/** ps and pd forms only (66 selects pd, which for these is the same operation). */
function psPd(ps: Handler, pd: Handler = ps): Pick {
  return (i) => { const f = formOf(i); return f === Form.NP ? ps : f === Form.P66 ? pd : null; };
}

op(0x58, arith(add32, add64));
op(0x59, arith(mul32, mul64));
op(0x5c, arith(sub32, sub64));
op(0x5e, arith(div32, div64));
op(0x5d, minMax(false));
op(0x5f, minMax(true));
{
  const h = [sqrtps, sqrtpd, sqrtss, sqrtsd];
  op(0x51, (i) => h[formOf(i)]);
}
{
  const rs = [approxPs(rsqrt32), null, approxSs(rsqrt32), null];
  const rc = [approxPs(rcp32), null, approxSs(rcp32), null];
  op(0x52, (i) => rs[formOf(i)]);
  op(0x53, (i) => rc[formOf(i)]);
}
op(0x54, psPd(andps));
op(0x55, psPd(andnps));
op(0x56, psPd(orps));
op(0x57, (i) => {
  const f = formOf(i);
  if (f !== Form.NP && f !== Form.P66) return null;
  return i.mod === 3 && i.rm === i.reg ? zeroXmm : xorps; // the zeroing idiom
});
{
  const h = [cmpps, cmppd, cmpss, cmpsd];
  op(0xc2, (i) => h[formOf(i)], Imm.UB);
}
const comi = { modrm: true, imm: Imm.NONE, flagsRead: 0, flagsWritten: ARITH_FLAGS };
defOp(0x12e, { ...comi, pick: (i) => { i.sub = 0; return psPd(comiss, comisd)(i); } });
defOp(0x12f, { ...comi, pick: (i) => { i.sub = 1; return psPd(comiss, comisd)(i); } });
op(0xc6, psPd(shufps, shufpd), Imm.UB);
op(0x14, psPd(unpcklps, unpcklpd));
op(0x15, psPd(unpckhps, unpckhpd));
