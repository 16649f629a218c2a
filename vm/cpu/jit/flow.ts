// Inline JS for the stack and control flow: push/pop of registers and immediates, leave, call,
// ret. A branch sets `c.rip` (which the run loop preset to the fall-through address) and the run
// loop finds the next block; direct jmp and jcc are the block compiler's own (block_compiler.ts).

import type { Insn } from '../insn.js';
import { Emitted, lo, mem } from './emit.js';

/** rsp - 8 on the halves, the 8-byte store, then rsp; a fault leaves rsp as it was. */
function push(vl: string, vh: string): string {
  return `{ const sl = (r[8] - 8) | 0, sh = (r[8] >>> 0) < 8 ? (r[9] - 1) | 0 : r[9]; `
    + `m.write64(sh * 4294967296 + (sl >>> 0), ${vl}, ${vh}); r[8] = sl; r[9] = sh; }`;
}

/** Loads [rsp] into `vl`/`vh` and adds 8 to rsp, then runs `then` (in the same scope). */
function pop(then: string): string {
  return '{ const A = r[9] * 4294967296 + (r[8] >>> 0); const vl = m.read32(A), vh = m.read32(A + 4); '
    + `const sl = (r[8] + 8) | 0; if ((sl >>> 0) < 8) r[9] = (r[9] + 1) | 0; r[8] = sl; ${then} }`;
}

export function emitFlow(i: Insn): Emitted | null {
  const op = i.op;
  if (op >= 0x50 && op <= 0x57 && i.osz === 8) return mem(push(`r[${lo(i.rm)}]`, `r[${lo(i.rm) + 1}]`));
  // pop rsp leaves the popped value in rsp: the register write comes after the increment.
  if (op >= 0x58 && op <= 0x5f && i.osz === 8) return mem(pop(`r[${lo(i.rm)}] = vl; r[${lo(i.rm) + 1}] = vh;`));
  if ((op === 0x68 || op === 0x6a) && i.osz === 8) return mem(push(`${i.imm}`, `${i.imm >> 31}`));
  if (op === 0xc9 && i.osz === 8) { // leave: rsp = rbp, then pop rbp (a fault leaves both as they were)
    return mem('{ const A = r[11] * 4294967296 + (r[10] >>> 0); const vl = m.read32(A), vh = m.read32(A + 4); '
      + 'const sl = (r[10] + 8) | 0; r[9] = (sl >>> 0) < 8 ? (r[11] + 1) | 0 : r[11]; r[8] = sl; r[10] = vl; r[11] = vh; }');
  }
  if (op === 0xe8 && i.osz === 8) { // call rel32: the return address's halves were computed at decode
    return mem(`${push(`${i.imm}`, `${i.imm2}`)} c.rip = ${i.disp};`);
  }
  if (op === 0xc3 || op === 0xc2) {
    let then = 'c.rip = vh * 4294967296 + (vl >>> 0);';
    if (op === 0xc2 && i.imm !== 0) { // ret imm16: release the arguments too
      then += ` { const t = (r[8] >>> 0) + ${i.imm}; if (t > 0xffffffff) r[9] = (r[9] + 1) | 0; r[8] = t | 0; }`;
    }
    return i.osz === 8 ? mem(pop(then)) : null;
  }
  return null; // jmp and jcc: the driver, which knows where the block goes (directBranchTarget)
}

/** A direct jmp or jcc: its target, known at decode. */
export function directBranchTarget(i: Insn): number | null {
  const op = i.op;
  if ((op === 0xeb || op === 0xe9) && i.osz !== 2) return i.disp;
  if ((op >= 0x70 && op <= 0x7f) || (op >= 0x180 && op <= 0x18f)) return i.disp;
  return null;
}
