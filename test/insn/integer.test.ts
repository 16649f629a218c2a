// Owns the integer instruction test: general-purpose instructions against the host CPU, bit for
// bit (DESIGN.md, Testing).
//
// Generated cases (test/insn/integer_forms.ts: every ALU op in every encoding, inc dec not neg,
// shifts and rotates, shld/shrd, mul imul div idiv, the bit instructions, cmovcc setcc jcc,
// moves and sign extensions, xchg xadd cmpxchg cmpxchg8b/16b, lea in every addressing form,
// flag instructions, string instructions, push/pop, faults part-way, #UD encodings, prefix
// placement; at every operand width, 8-bit with and without REX; memory operands in every
// addressing form, some with 0x67, segment or redundant prefixes; plus short sequences of them,
// which exercise the lazy flags) run natively through test/insn/harness.c and in the emulator
// (one Cpu reused throughout), by the driver of test/insn/suite.ts. Registers, the scratch
// memory, rip, exceptions and every flag the Intel SDM defines must match.
//
//   INSN_SEED=n      replay a run (the seed is printed at the start)
//   INSN_CASES=n     number of cases (default 100000)
//   INSN_REPORT=f    also write a full mismatch report to file f
//   INSN_FILTER=s    only forms whose name contains s (e.g. "shld", "lock", "cmpxchg")
//   INSN_COMPILED=1  run every case through the block compiler (integer_compiled.test.ts does)
//   CI=true          a missing gcc fails instead of skipping
//
// Run: npx tsc -p tsconfig.json && npx tap dist/test/insn/integer.test.js

import t from 'tap';
import { INTEGER_SUITE } from './integer_forms.js';
import { runSuite } from './suite.js';

t.setTimeout(10 * 60 * 1000);

await t.test('integer instructions match the host CPU', async (tt) => {
  await runSuite(tt, INTEGER_SUITE);
});
