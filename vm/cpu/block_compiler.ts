// Hot blocks get a generated runner: one JS function that calls the block's handlers in order.
// Each call site then sees a single target, so V8 can inline the handlers, and the per-instruction
// loop disappears. This is still the interpreter's semantics, instruction by instruction; the
// binary translator that emits JavaScript for the instructions themselves is built on top later.

import type { Cpu } from './cpu.js';
import type { Handler, Insn } from './insn.js';

/** Interpreted runs before a block is compiled (most blocks run a few times only). */
export const HOT_BLOCK_RUNS = 32;

export function compileBlock(insns: Insn[]): (c: Cpu) => void {
  const lines: string[] = [];
  for (let k = 0; k < insns.length; k++) {
    lines.push(`k = ${k}; H[${k}](c, I[${k}]);`);
  }
  // On a throw, tell the run loop which instruction did not complete.
  const body = `return function block(c) {\n  let k = 0;\n  try {\n    ${lines.join('\n    ')}\n  } catch (e) {\n    c.faultInsn = I[k];\n    throw e;\n  }\n};`;
  const handlers: Handler[] = insns.map((i) => i.fn);
  return new Function('H', 'I', body)(handlers, insns) as (c: Cpu) => void;
}
