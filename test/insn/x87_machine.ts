// Owns what the x87 state adds to the shared machine of test/insn/machine.ts: the x87 part of the
// records (harness.c built with -DX87 loads it with fxrstor and dumps it with fxsave around the
// snippet), the emulator that sets and reads it in the register file slots directly, 80-bit values,
// and the comparison of the x87 state. The scratch block is 192 bytes so that fnsave (108 bytes) and
// the x87 part of an fxsave image (160 bytes) fit in it.
//
// The x87 part of the records (keep in step with harness.c):
//   input  (after mem[192], at 360): u16 fcw, u16 fsw, u8 ftw (abridged), u8 pad[3];
//          u8 st[8][10] (ST(i) order); 448 bytes in all
//   output (after mem[192], at 352): u16 fcw, u16 fsw, u8 ftw, u8 pad, u16 fop, u32 mxcsr, u32 pad;
//          u8 st[8][10] (ST(i) order, relative to the final TOP); 448 bytes in all

import { Slot } from '../../vm/index.js';
import { Comparison, Emulator, IN_MEM, OUT_MEM, type Diff, type Layout } from './machine.js';

export const X_MEM_SIZE = 192;
export const IN_X87 = IN_MEM + X_MEM_SIZE;
export const IN_ST = IN_X87 + 8;
export const OUT_X87 = OUT_MEM + X_MEM_SIZE;
export const OUT_ST = OUT_X87 + 16;

export const X87_LAYOUT: Layout = {
  memSize: X_MEM_SIZE, inRecord: IN_ST + 80, outRecord: OUT_ST + 80, defines: [`-DMEM_SIZE=${X_MEM_SIZE}`, '-DX87'], fpe: '#MF/#DE',
};

// x87 status word bits
export const IE = 0x1, DE = 0x2, ZE = 0x4, OE = 0x8, UE = 0x10, PE = 0x20, SW_SF = 0x40, ES = 0x80;
export const C0 = 0x100, C1 = 0x200, C2 = 0x400, C3 = 0x4000, TOP_MASK = 0x3800, BUSY = 0x8000;
export const FSW_NAMES: [number, string][] = [
  [IE, 'IE'], [DE, 'DE'], [ZE, 'ZE'], [OE, 'OE'], [UE, 'UE'], [PE, 'PE'], [SW_SF, 'SF'], [ES, 'ES'],
  [C0, 'C0'], [C1, 'C1'], [C2, 'C2'], [C3, 'C3'], [BUSY, 'B'],
];

// --- the emulator ----------------------------------------------------------------------------

/** The shared emulator, with the x87 state set as fxrstor would load it and read as fxsave stores it. */
export class X87Emulator extends Emulator {
  constructor(compiled = false) { super(X87_LAYOUT, compiled); }

  protected override loadState(iv: DataView): void {
    const r = this.regs.i32;
    const fsw = iv.getUint16(IN_X87 + 2, true);
    r[Slot.FCW] = iv.getUint16(IN_X87, true);
    r[Slot.FSW] = fsw;
    r[Slot.FTW] = iv.getUint8(IN_X87 + 4);
    r[Slot.FOP] = 0;
    r[Slot.MXCSR] = 0x1f80;
    const top = (fsw >> 11) & 7;
    for (let i = 0; i < 8; i++) {
      const s = Slot.ST + 4 * ((top + i) & 7);
      r[s] = iv.getInt32(IN_ST + 10 * i, true);
      r[s + 1] = iv.getInt32(IN_ST + 10 * i + 4, true);
      r[s + 2] = iv.getUint16(IN_ST + 10 * i + 8, true);
      r[s + 3] = 0;
    }
    for (let q = 0; q < 64; q++) this.regs.xi32[q] = 0;
  }

  protected override storeState(ov: DataView): void {
    const r = this.regs.i32;
    const ofsw = r[Slot.FSW] & 0xffff;
    ov.setUint16(OUT_X87, r[Slot.FCW] & 0xffff, true);
    ov.setUint16(OUT_X87 + 2, ofsw, true);
    ov.setUint8(OUT_X87 + 4, r[Slot.FTW] & 0xff);
    ov.setUint8(OUT_X87 + 5, 0);
    ov.setUint16(OUT_X87 + 6, r[Slot.FOP] & 0xffff, true);
    ov.setUint32(OUT_X87 + 8, r[Slot.MXCSR] >>> 0, true);
    ov.setUint32(OUT_X87 + 12, 0, true);
    const otop = (ofsw >> 11) & 7;
    for (let i = 0; i < 8; i++) {
      const s = Slot.ST + 4 * ((otop + i) & 7);
      ov.setInt32(OUT_ST + 10 * i, r[s], true);
      ov.setInt32(OUT_ST + 10 * i + 4, r[s + 1], true);
      ov.setUint16(OUT_ST + 10 * i + 8, r[s + 2] & 0xffff, true);
    }
  }
}

// --- values ----------------------------------------------------------------------------------

/** An 80-bit value: sign|exponent and the 64-bit significand. */
export interface F80 { se: number; mant: bigint }

export function readF80(v: DataView, at: number): F80 {
  return { se: v.getUint16(at + 8, true), mant: v.getBigUint64(at, true) };
}

/** "+1.5*2^3 [4002:c000000000000000]" and the like. */
export function showF80(x: F80): string {
  const raw = `${x.se.toString(16).padStart(4, '0')}:${x.mant.toString(16).padStart(16, '0')}`;
  const sign = x.se & 0x8000 ? '-' : '+';
  const e = x.se & 0x7fff;
  const j = x.mant >> 63n;
  const frac = x.mant & ((1n << 63n) - 1n);
  let what: string;
  if (e === 0x7fff) {
    if (j === 0n) what = frac === 0n ? 'pseudo-inf' : 'pseudo-NaN';
    else if (frac === 0n) what = `${sign}inf`;
    else if (x.se === 0xffff && x.mant === 0xc000000000000000n) what = 'indefinite';
    else what = `${sign}${(frac >> 62n) ? 'QNaN' : 'SNaN'}`;
  } else if (e === 0) {
    if (x.mant === 0n) what = `${sign}0`;
    else what = `${sign}${j ? 'pseudo-denormal' : 'denormal'} ${Number(x.mant) / 2 ** 63}*2^-16382`;
  } else if (j === 0n) {
    what = `unnormal ${sign}${Number(x.mant) / 2 ** 63}*2^${e - 16383}`;
  } else {
    const m = Number(x.mant) / 2 ** 63;
    const ex = e - 16383;
    what = Math.abs(ex) < 1000 ? `${sign}${m * 2 ** ex}` : `${sign}${m}*2^${ex}`;
  }
  return `${what} [${raw}]`;
}

/** Position of a finite value on the line of 80-bit encodings (for ulp distances), or null. */
function ordinal(x: F80): bigint | null {
  const e = x.se & 0x7fff;
  if (e === 0x7fff) return null;
  if (e !== 0 && (x.mant >> 63n) === 0n) return null; // unnormal
  const mag = e === 0 ? x.mant : (BigInt(e) << 63n) + (x.mant & ((1n << 63n) - 1n));
  return x.se & 0x8000 ? -mag : mag;
}

/** Ulps between two values, or null when they are not both finite. */
export function ulpDistance(a: F80, b: F80): bigint | null {
  const oa = ordinal(a), ob = ordinal(b);
  if (oa === null || ob === null) return null;
  const d = oa - ob;
  return d < 0n ? -d : d;
}

// --- comparison ------------------------------------------------------------------------------

export interface X87Masks {
  /** FSW bits left undefined (condition codes). */
  fsw: number;
  /** Scratch bytes left undefined (bit n = byte n). */
  mem: bigint;
  /** GPRs left undefined. */
  regs: number;
  /** ST(i) registers (bit i, relative to the final TOP) compared within `ulps`. */
  approx: number;
  ulps: number;
  /** Bits of FSW compared only when the approximate registers match bit for bit. */
  approxFsw: number;
}

export function fswList(w: number): string {
  return `${FSW_NAMES.filter(([b]) => w & b).map(([, n]) => n).join(' ') || '-'} TOP=${(w >> 11) & 7}`;
}

/** The abridged tags as "ST(i)" validity, relative to TOP: "vv-....." */
export function tagString(ftw: number, top: number): string {
  let s = '';
  for (let i = 0; i < 8; i++) s += (ftw >> ((top + i) & 7)) & 1 ? 'v' : '-';
  return s;
}

/**
 * Differences between the native and the emulated result of x87 case `k` outside the masks: the
 * shared parts (all but si_addr, which this suite does not compare), then FCW, FSW, the tags and
 * every register valid natively.
 */
export function compareX87(input: Uint8Array, nat: Uint8Array, emu: Uint8Array, k: number, m: X87Masks): Diff[] {
  const c = new Comparison(X87_LAYOUT, input, nat, emu, k).stop().gprs(m.regs).flags('eflags', 0, 0).memory(m.mem);
  const { iv, nv, ev, faulted, diffs } = c;
  const ncw = nv.getUint16(OUT_X87, true), ecw = ev.getUint16(OUT_X87, true);
  if (ncw !== ecw) diffs.push({ field: 'fcw', text: `fcw: in ${iv.getUint16(IN_X87, true).toString(16)} native ${ncw.toString(16)} emulator ${ecw.toString(16)}` });
  const nsw = nv.getUint16(OUT_X87 + 2, true), esw = ev.getUint16(OUT_X87 + 2, true);
  const ntag = nv.getUint8(OUT_X87 + 4), etag = ev.getUint8(OUT_X87 + 4);
  const ntop = (nsw >> 11) & 7;
  // registers: those valid natively, by ST(i)
  let approxExact = true;
  const regDiffs: Diff[] = [];
  for (let i = 0; i < 8; i++) {
    if (!((ntag >> ((ntop + i) & 7)) & 1)) continue;
    const a = readF80(nv, OUT_ST + 10 * i), b = readF80(ev, OUT_ST + 10 * i);
    if (a.se === b.se && a.mant === b.mant) continue;
    if (!faulted && (m.approx >> i) & 1) {
      approxExact = false;
      const d = ulpDistance(a, b);
      if (d !== null && d <= BigInt(m.ulps) && (a.se & 0x8000) === (b.se & 0x8000)) continue;
      regDiffs.push({ field: `st(${i})>${m.ulps}ulp`, text: `st(${i}): native ${showF80(a)} emulator ${showF80(b)}${d !== null ? ` (${d} ulps apart)` : ''}` });
      continue;
    }
    regDiffs.push({ field: `st(${i})`, text: `st(${i}): native ${showF80(a)} emulator ${showF80(b)}` });
  }
  let swMask = faulted ? 0 : m.fsw;
  if (!approxExact) swMask |= m.approxFsw;
  const swCmp = 0xffff & ~swMask;
  if ((nsw & swCmp) !== (esw & swCmp)) {
    const d = (nsw ^ esw) & swCmp;
    const parts = FSW_NAMES.filter(([b]) => d & b).map(([, n]) => n);
    if (d & TOP_MASK) parts.push('TOP');
    diffs.push({
      field: `fsw.${parts.join('.')}`,
      text: `fsw: in ${fswList(iv.getUint16(IN_X87 + 2, true))} native ${fswList(nsw)} emulator ${fswList(esw)}; differ in ${parts.join(' ')}` +
        (swMask ? ` (masked ${FSW_NAMES.filter(([b]) => swMask & b).map(([, n]) => n).join(' ')})` : ''),
    });
  }
  if (ntag !== etag) {
    diffs.push({ field: 'ftw', text: `tags (ST0..7): in ${tagString(iv.getUint8(IN_X87 + 4), (iv.getUint16(IN_X87 + 2, true) >> 11) & 7)} native ${tagString(ntag, ntop)} emulator ${tagString(etag, (esw >> 11) & 7)}` });
  }
  diffs.push(...regDiffs);
  return diffs;
}

