// Inline JS for the commonest SSE2 integer forms: XMM register moves and logic, paddd/psubd,
// shifts by a constant, and movq between XMM and memory, lane by lane on `x` (int32 lanes).

import type { Insn } from '../insn.js';
import { Rep } from '../insn.js';
import { eaExpr, Emitted, mem, reg } from './emit.js';

function emitSseReg(i: Insn): string | null {
  const p66 = i.p66 && i.rep === Rep.NONE;
  const d = 4 * i.reg, s = 4 * i.rm;
  const copy = (to: number, from: number) => `x[${to}] = x[${from}]; x[${to + 1}] = x[${from + 1}]; x[${to + 2}] = x[${from + 2}]; x[${to + 3}] = x[${from + 3}];`;
  const lanes = (f: (k: number) => string) => [0, 1, 2, 3].map(f).join(' ');
  switch (i.op) {
    case 0x16f: return p66 || (i.rep === Rep.REPE && !i.p66) ? copy(d, s) : null; // movdqa, movdqu
    case 0x17f: return p66 || (i.rep === Rep.REPE && !i.p66) ? copy(s, d) : null;
    case 0x128: return i.rep === Rep.NONE ? copy(d, s) : null; // movaps, movapd
    case 0x129: return i.rep === Rep.NONE ? copy(s, d) : null;
    case 0x1ef: return p66 ? lanes((k) => `x[${d + k}] ^= x[${s + k}];`) : null; // pxor
    case 0x1eb: return p66 ? lanes((k) => `x[${d + k}] |= x[${s + k}];`) : null; // por
    case 0x1db: return p66 ? lanes((k) => `x[${d + k}] &= x[${s + k}];`) : null; // pand
    case 0x1df: return p66 ? lanes((k) => `x[${d + k}] = ~x[${d + k}] & x[${s + k}];`) : null; // pandn
    case 0x1fe: return p66 ? lanes((k) => `x[${d + k}] = (x[${d + k}] + x[${s + k}]) | 0;`) : null; // paddd
    case 0x1fa: return p66 ? lanes((k) => `x[${d + k}] = (x[${d + k}] - x[${s + k}]) | 0;`) : null; // psubd
    case 0x172: { // psrld, psrad, pslld xmm, imm8
      if (!p66) return null;
      const n = i.imm & 0xff, kind = i.reg & 7;
      if (kind === 2) return lanes((k) => (n > 31 ? `x[${s + k}] = 0;` : `x[${s + k}] = x[${s + k}] >>> ${n};`));
      if (kind === 6) return lanes((k) => (n > 31 ? `x[${s + k}] = 0;` : `x[${s + k}] = x[${s + k}] << ${n};`));
      if (kind === 4) return lanes((k) => `x[${s + k}] = x[${s + k}] >> ${Math.min(n, 31)};`);
      return null;
    }
  }
  return null;
}

export function emitSse(i: Insn, k: number): Emitted | null {
  if (i.op < 0x100 || i.op > 0x1ff) return null;
  if (i.mod === 3) return reg(emitSseReg(i));
  // movq xmm, m64 (F3 0F 7E) and movq m64, xmm (66 0F D6)
  if (i.op === 0x17e && i.rep === Rep.REPE && !i.p66) {
    const ea = eaExpr(i, k);
    if (ea === null) return null;
    const d = 4 * i.reg;
    return mem(`{ const A = ${ea}; const vl = m.read32(A), vh = m.read32(A + 4); x[${d}] = vl; x[${d + 1}] = vh; x[${d + 2}] = 0; x[${d + 3}] = 0; }`);
  }
  if (i.op === 0x1d6 && i.p66 && i.rep === Rep.NONE) {
    const ea = eaExpr(i, k);
    return ea === null ? null : mem(`m.write64(${ea}, x[${4 * i.reg}], x[${4 * i.reg + 1}]);`);
  }
  return null;
}
