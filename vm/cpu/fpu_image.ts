// The 512-byte FXSAVE image of the x87, MMX and SSE state (SDM Vol. 2, FXSAVE, Table 3-53, the
// 64-bit layout), made from and loaded into a register file: the fxsave/fxrstor instructions use
// it, and so do signal frames (the kernel saves the interrupted state there).

import { Slot } from '../regfile.js';

/** MXCSR bits that fxrstor/ldmxcsr accept on this CPU. */
export const MXCSR_MASK = 0xffff;

/** Fills `img` (128 words) from the registers `r` and the XMM lanes `xi32`. FIP and FDP read as 0. */
export function writeFxImage(r: Int32Array, xi32: Int32Array, img: Int32Array): void {
  img.fill(0);
  img[0] = (r[Slot.FCW] & 0xffff) | (r[Slot.FSW] << 16);
  img[1] = (r[Slot.FTW] & 0xff) | (r[Slot.FOP] << 16);
  img[6] = r[Slot.MXCSR];
  img[7] = MXCSR_MASK;
  const top = (r[Slot.FSW] >> 11) & 7;
  for (let k = 0; k < 8; k++) {
    const s = Slot.ST + 4 * ((top + k) & 7);
    img[8 + 4 * k] = r[s]; img[9 + 4 * k] = r[s + 1]; img[10 + 4 * k] = r[s + 2] & 0xffff;
  }
  for (let k = 0; k < 64; k++) img[40 + k] = xi32[k];
}

/** Loads the state from `img`; false (nothing changed) when it sets reserved MXCSR bits. */
export function readFxImage(r: Int32Array, xi32: Int32Array, img: Int32Array): boolean {
  if (img[6] & ~MXCSR_MASK) return false;
  r[Slot.FCW] = img[0] & 0xffff;
  r[Slot.FSW] = img[0] >>> 16;
  r[Slot.FTW] = img[1] & 0xff;
  r[Slot.FOP] = img[1] >>> 16;
  r[Slot.MXCSR] = img[6];
  const top = (r[Slot.FSW] >> 11) & 7;
  for (let k = 0; k < 8; k++) {
    const s = Slot.ST + 4 * ((top + k) & 7);
    r[s] = img[8 + 4 * k]; r[s + 1] = img[9 + 4 * k]; r[s + 2] = img[10 + 4 * k] & 0xffff;
  }
  for (let k = 0; k < 64; k++) xi32[k] = img[40 + k];
  return true;
}
