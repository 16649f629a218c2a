// Condition codes (jcc, setcc, cmovcc) as JS expressions. After an inlined cmp, test or ALU op in
// the same block, most conditions compare that instruction's operands or result directly (held in
// the block's locals); otherwise the generated code evaluates the lazy flags with `cond`.

import { FlagOp } from '../flags.js';
import type { FlagProducer } from './emit.js';

export function condExpr(cc: number, p: FlagProducer | null): string {
  const e = p === null ? null : fromProducer(cc, p);
  return e ?? `cond(c, ${cc})`;
}

function fromProducer(cc: number, p: FlagProducer): string | null {
  const zf = p.size === 4 ? 'fx === 0' : '(fx | fxh) === 0';
  const sf = p.size === 4 ? 'fx < 0' : 'fxh < 0';
  // Zero and sign come from the result whatever the operation.
  switch (cc) {
    case 4: return `(${zf})`;
    case 5: return `!(${zf})`;
    case 8: return `(${sf})`;
    case 9: return `!(${sf})`;
  }
  if (p.op === FlagOp.LOGIC) { // CF = OF = 0
    switch (cc) {
      case 0: case 2: return 'false';
      case 1: case 3: return 'true';
      case 6: return `(${zf})`; // CF | ZF
      case 7: return `!(${zf})`;
      case 12: return `(${sf})`; // SF != OF
      case 13: return `!(${sf})`;
      case 14: return `(${zf} || ${sf})`;
      case 15: return `!(${zf} || ${sf})`;
    }
    return null;
  }
  if (p.op !== FlagOp.SUB) return null;
  if (p.size === 4) {
    switch (cc) { // a cmp b: compare the operands as unsigned or signed 32-bit values
      case 2: return '((fa >>> 0) < (fb >>> 0))';
      case 3: return '((fa >>> 0) >= (fb >>> 0))';
      case 6: return '((fa >>> 0) <= (fb >>> 0))';
      case 7: return '((fa >>> 0) > (fb >>> 0))';
      case 12: return '(fa < fb)';
      case 13: return '(fa >= fb)';
      case 14: return '(fa <= fb)';
      case 15: return '(fa > fb)';
    }
    return null;
  }
  // 64 bits: the high halves decide unless equal (signed or unsigned), then the low halves unsigned.
  const uhi = (rel: string) => `((fah >>> 0) ${rel} (fbh >>> 0))`;
  const shi = (rel: string) => `(fah ${rel} fbh)`;
  const low = (rel: string) => `(fah === fbh && (fa >>> 0) ${rel} (fb >>> 0))`;
  switch (cc) {
    case 2: return `(${uhi('<')} || ${low('<')})`;
    case 3: return `(${uhi('>')} || ${low('>=')})`;
    case 6: return `(${uhi('<')} || ${low('<=')})`;
    case 7: return `(${uhi('>')} || ${low('>')})`;
    case 12: return `(${shi('<')} || ${low('<')})`;
    case 13: return `(${shi('>')} || ${low('>=')})`;
    case 14: return `(${shi('<')} || ${low('<=')})`;
    case 15: return `(${shi('>')} || ${low('>')})`;
  }
  return null;
}
