// Hot blocks get a generated runner: one JS function for the whole block (DESIGN.md, "The machine").
// The everyday instructions are emitted inline (vm/cpu/jit/): registers are constant slots of the
// register file, dead flag updates are left out, a jcc after an inlined cmp compares the operands
// directly, and call, ret, push and pop work on the halves of rsp. Every other instruction is a
// call to its interpreter handler, so behaviour is the interpreter's, instruction by instruction.
// A block goes on past a jcc or syscall (side exits); one that branches back to its own start
// becomes a JS loop, bounded by the caller's budget.

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

/** Runs the block (or, when it branches back to its start, iterations of it until it leaves or
 *  `limit` instructions have run) and returns the number of instructions executed. */
export type CompiledBlock = (c: Cpu, limit: number) => number;

function emit(i: Insn, k: number, st: BlockState): Emitted | null {
  if (i.lock) return null;
  return emitInt(i, k, st) ?? emitFlow(i) ?? emitSse(i, k);
}

export function compileBlock(insns: Insn[]): CompiledBlock {
  const st = new BlockState();
  const n = insns.length;
  const start = insns[0].addr;
  const lastIndex = n - 1;
  const end = insns[lastIndex].next;
  const lines: string[] = [];
  let loops = false;
  for (let k = 0; k < n; k++) {
    const i = insns[k];
    const target = directBranchTarget(i);
    if (target !== null) {
      // jmp or jcc: back to the block's start it is a `continue` of the JS loop around the body.
      const taken = i.exits ? condExpr(i.op & 15, st.producer) : 'true';
      const leave = `{ c.rip = ${target}; return n + ${k + 1}; }`;
      if (target === start) {
        loops = true;
        lines.push(`if (${taken}) { n += ${k + 1}; if (n >= limit) ${leave} continue; }`);
      } else if (k < lastIndex) {
        lines.push(`if (${taken}) ${leave}`);
      } else {
        lines.push(`if (${taken}) c.rip = ${target};`);
      }
      continue;
    }
    const e = emit(i, k, st);
    if (e === null) {
      lines.push(`k = ${k}; H[${k}](c, I[${k}]);`);
      st.producer = null; // its flags, if any, are in the lazy state only
    } else {
      lines.push(e.throws ? `k = ${k}; ${e.code}` : e.code);
    }
    if (i.exits && k < lastIndex) {
      // A side exit by its handler (a syscall): rip is preset to the next instruction, and a
      // change of rip or a stop leaves the block; otherwise rip goes back to the block's end.
      lines[lines.length - 1] = `c.rip = ${i.next}; ${lines[lines.length - 1]}\n    `
        + `if (c.rip !== ${i.next} || c.stop !== 0) return n + ${k + 1};\n    c.rip = ${end};`;
    }
  }
  lines.push(`return n + ${n};`);
  const body = loops
    ? `for (;;) {\n      ${lines.join('\n      ')}\n    }`
    : lines.join('\n    ');
  // On a throw, tell the run loop which instruction did not complete.
  const source = `return function block(c, limit) {
  const r = c.r, r8 = c.r8, r16 = c.r16, m = c.m, x = c.xi32;
  let k = 0, fa = 0, fah = 0, fb = 0, fbh = 0, fx = 0, fxh = 0;
  let n = 0;
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
