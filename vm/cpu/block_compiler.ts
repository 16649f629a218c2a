// Hot blocks get a generated runner: one JS function for the whole block (DESIGN.md, "The machine").
// The everyday instructions are emitted inline (vm/cpu/jit/): registers are constant slots of the
// register file, dead flag updates are left out, a jcc after an inlined cmp compares the operands
// directly, and call, ret, push and pop work on the halves of rsp. Every other instruction is a
// call to its interpreter handler, so behaviour is the interpreter's, instruction by instruction.
// A block that branches back to its own start becomes a JS loop, bounded by the caller's budget.

import type { Cpu } from './cpu.js';
import { cond, getCF } from './flags.js';
import type { Handler, Insn } from './insn.js';
import { BlockState, type Emitted } from './jit/emit.js';
import { condExpr } from './jit/conditions.js';
import { directBranchTarget, emitFlow } from './jit/flow.js';
import { emitInt } from './jit/int.js';
import { emitSse } from './jit/sse.js';

/** Interpreted runs before a block is compiled (most blocks run a few times only). */
export const HOT_BLOCK_RUNS = 32;

/** Runs the block (or, for a self-loop, iterations of it until it exits or `limit` instructions
 *  have run) and returns the number of instructions executed. */
export type CompiledBlock = (c: Cpu, limit: number) => number;

function emit(i: Insn, k: number, st: BlockState): Emitted | null {
  if (i.lock) return null;
  return emitInt(i, k, st) ?? emitFlow(i, st) ?? emitSse(i, k);
}

export function compileBlock(insns: Insn[]): CompiledBlock {
  const st = new BlockState();
  const n = insns.length;
  const last = insns[n - 1];
  const target = directBranchTarget(last);
  const selfLoop = target === insns[0].addr;
  const lines: string[] = [];
  for (let k = 0; k < (selfLoop ? n - 1 : n); k++) {
    const i = insns[k];
    const e = emit(i, k, st);
    if (e === null) {
      lines.push(`k = ${k}; H[${k}](c, I[${k}]);`);
      st.producer = null; // its flags, if any, are in the lazy state only
    } else {
      lines.push(e.throws ? `k = ${k}; ${e.code}` : e.code);
    }
  }
  let body: string;
  if (selfLoop) {
    // The loop branch: taken, the block runs again; not taken, rip is already the fall-through.
    const again = last.op === 0xeb || last.op === 0xe9 ? 'true' : condExpr(last.op & 15, st.producer);
    body = `let n = 0;\n    for (;;) {\n      ${lines.join('\n      ')}\n      n += ${n};\n`
      + `      if (!(${again})) return n;\n      if (n >= limit) { c.rip = ${target}; return n; }\n    }`;
  } else {
    body = `${lines.join('\n    ')}\n    return ${n};`;
  }
  // On a throw, tell the run loop which instruction did not complete.
  const source = `return function block(c, limit) {
  const r = c.r, r8 = c.r8, r16 = c.r16, m = c.m, x = c.xi32;
  let k = 0, fa = 0, fah = 0, fb = 0, fbh = 0, fx = 0, fxh = 0;
  try {
    ${body}
  } catch (e) {
    c.faultInsn = I[k];
    throw e;
  }
};`;
  const handlers: Handler[] = insns.map((i) => i.fn);
  return new Function('H', 'I', 'cond', 'getCF', source)(handlers, insns, cond, getCF) as CompiledBlock;
}
