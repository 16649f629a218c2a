// Owns the compiled-mode integer test: the same generated integer cases as integer.test.ts, run
// through the block compiler (vm/cpu/block_compiler.ts) instead of the interpreter loop: inline
// code and handler calls must agree with the host CPU alike. Same environment variables.
import t from 'tap';
import { INTEGER_SUITE } from './integer_forms.js';
import { runSuite } from './suite.js';

t.setTimeout(10 * 60 * 1000);

await t.test('integer instructions match the host CPU when compiled', async (tt) => {
  await runSuite(tt, INTEGER_SUITE, { name: 'integer (compiled blocks)', compiled: true });
});
