// MMX state: emms, which hands the aliased x87 registers back to floating-point code by tagging
// them all empty (SDM Vol. 1, 9.5.3). The MMX forms of the integer, move and conversion
// instructions live with their SSE2 counterparts (sse_int.ts, sse_move.ts, sse_convert.ts); the
// x87 -> MMX transition is in sse_operand.ts.

import type { Cpu } from '../cpu.js';
import { defOp, Imm } from '../decoder.js';
import { Slot } from '../../regfile.js';
import { Form, formOf, mmxBegin } from './sse_operand.js';

/** emms: like every MMX instruction it may raise #MF and sets TOP to 0; then all tags empty. */
function emms(c: Cpu): void {
  mmxBegin(c);
  c.r[Slot.FTW] = 0;
}

defOp(0x177, { modrm: false, imm: Imm.NONE, flagsRead: 0, pick: (i) => (formOf(i) === Form.NP ? emms : null) });
