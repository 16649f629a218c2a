// The same generated integer cases as integer.test.ts, run through the block compiler
// (vm/cpu/block_compiler.ts) instead of the interpreter loop: inline code and handler calls must
// agree with the host CPU alike.
import t from 'tap';
import { INTEGER_FORMS } from './integer_forms.js';
import { runSuite } from './suite.js';

process.env.INSN_COMPILED = '1';
t.setTimeout(10 * 60 * 1000);

await t.test('integer instructions match the host CPU when compiled', async (tt) => {
  await runSuite(tt, { name: 'integer (compiled blocks)', forms: INTEGER_FORMS, defaultCases: 100_000 });
});
