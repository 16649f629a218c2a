// fxsave / fxrstor (0F AE /0 /1): the 512-byte x87, MMX and SSE state image (SDM Vol. 2, FXSAVE,
// Table 3-53 for the 64-bit layout). Signal frames use the same layout.

import type { Cpu } from '../cpu.js';
import { Vector } from '../exception.js';
import type { Insn } from '../insn.js';
import { readFxImage, writeFxImage } from '../fpu_image.js';
import { group15 } from './system.js';

function fxsave(c: Cpu, i: Insn): void {
  const a = i.ea(c, i);
  if (a % 16 !== 0) c.raise(Vector.GP, 'fxsave operand not 16-byte aligned');
  c.m.checkWritable(a, 512);
  const img = new Int32Array(128);
  writeFxImage(c.r, c.xi32, img);
  for (let k = 0; k < 128; k++) c.m.write32(a + 4 * k, img[k]);
}

function fxrstor(c: Cpu, i: Insn): void {
  const a = i.ea(c, i);
  if (a % 16 !== 0) c.raise(Vector.GP, 'fxrstor operand not 16-byte aligned');
  // Read everything before changing any state, so a fault leaves the state intact.
  const img = new Int32Array(128);
  for (let k = 0; k < 128; k++) img[k] = c.m.read32(a + 4 * k);
  if (!readFxImage(c.r, c.xi32, img)) c.raise(Vector.GP, 'fxrstor: reserved MXCSR bits');
}

group15[0] = () => fxsave;
group15[1] = () => fxrstor;
