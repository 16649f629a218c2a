// Table invariants: every Linux x86-64 syscall number has a row, and implemented names are real.
import t from 'tap';
import { SYSCALL_NAMES } from '../../sentry/syscalls/names.js';
import { SYSCALL_TABLE, unknownImplementedNames } from '../../sentry/syscalls/table.js';

t.test('every syscall number has a row', async (t) => {
  for (const nr of SYSCALL_NAMES.keys()) t.ok(SYSCALL_TABLE[nr], `row for ${nr}`);
  t.equal(SYSCALL_NAMES.get(0), 'read');
  t.equal(SYSCALL_NAMES.get(39), 'getpid');
  t.equal(SYSCALL_NAMES.get(110), 'getppid');
  t.equal(SYSCALL_NAMES.get(231), 'exit_group');
});
t.test('implemented names are Linux syscalls', async (t) => { t.same(unknownImplementedNames(), []); });
t.test('rows without a handler exist (they answer ENOSYS)', async (t) => {
  t.equal(SYSCALL_TABLE[334]?.handler, null); // rseq
});
