// fxsave / fxrstor (0F AE /0 /1): the 512-byte x87, MMX and SSE state image (SDM Vol. 2, FXSAVE,
// Table 3-53 for the 64-bit layout). Signal frames use the same layout.

import type { Cpu } from '../cpu.js';
import { Vector } from '../exception.js';
import type { Insn } from '../insn.js';
import { Slot } from '../../regfile.js';
import { group15 } from './system.js';

/** MXCSR bits that fxrstor/ldmxcsr accept: everything but DAZ-less reserved bits on this CPU. */
export const MXCSR_MASK = 0xffff;

function fxsave(c: Cpu, i: Insn): void {
  const a = i.ea(c, i);
  if (a % 16 !== 0) c.raise(Vector.GP, 'fxsave operand not 16-byte aligned');
  c.m.checkWritable(a, 512);
  const r = c.r;
  c.m.write16(a, r[Slot.FCW]);
  c.m.write16(a + 2, r[Slot.FSW]);
  c.m.write8(a + 4, r[Slot.FTW] & 0xff);
  c.m.write8(a + 5, 0);
  c.m.write16(a + 6, r[Slot.FOP]);
  c.m.write64(a + 8, 0, 0);   // FIP
  c.m.write64(a + 16, 0, 0);  // FDP
  c.m.write32(a + 24, r[Slot.MXCSR]);
  c.m.write32(a + 28, MXCSR_MASK);
  const top = (r[Slot.FSW] >> 11) & 7;
  for (let k = 0; k < 8; k++) {
    const s = Slot.ST + 4 * ((top + k) & 7);
    const at = a + 32 + 16 * k;
    c.m.write64(at, r[s], r[s + 1]);
    c.m.write32(at + 8, r[s + 2] & 0xffff);
    c.m.write32(at + 12, 0);
  }
  for (let k = 0; k < 16; k++) {
    const at = a + 160 + 16 * k;
    c.m.write64(at, c.xi32[4 * k], c.xi32[4 * k + 1]);
    c.m.write64(at + 8, c.xi32[4 * k + 2], c.xi32[4 * k + 3]);
  }
}

function fxrstor(c: Cpu, i: Insn): void {
  const a = i.ea(c, i);
  if (a % 16 !== 0) c.raise(Vector.GP, 'fxrstor operand not 16-byte aligned');
  const mxcsr = c.m.read32(a + 24);
  if (mxcsr & ~MXCSR_MASK) c.raise(Vector.GP, 'fxrstor: reserved MXCSR bits');
  // Read everything before changing any state, so a fault leaves the state intact.
  const img = new Int32Array(128);
  for (let k = 0; k < 128; k++) img[k] = c.m.read32(a + 4 * k);
  const r = c.r;
  r[Slot.FCW] = img[0] & 0xffff;
  r[Slot.FSW] = img[0] >>> 16;
  r[Slot.FTW] = img[1] & 0xff;
  r[Slot.FOP] = img[1] >>> 16;
  r[Slot.MXCSR] = mxcsr;
  const top = (r[Slot.FSW] >> 11) & 7;
  for (let k = 0; k < 8; k++) {
    const s = Slot.ST + 4 * ((top + k) & 7);
    r[s] = img[8 + 4 * k]; r[s + 1] = img[9 + 4 * k]; r[s + 2] = img[10 + 4 * k] & 0xffff;
  }
  for (let k = 0; k < 64; k++) c.xi32[k] = img[40 + k];
}

group15[0] = () => fxsave;
group15[1] = () => fxrstor;
