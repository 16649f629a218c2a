// The memory manager: mmap placement, munmap, mprotect, mremap, brk, and the commit limit.
import t from 'tap';
import { KvmPlatform } from '../../platform/kvm/kvm_platform.js';
import { Access } from '../../platform/platform.js';
import { FrameAllocator } from '../../sentry/mm/frames.js';
import { MAP_ANONYMOUS, MAP_FIXED, MAP_FIXED_NOREPLACE, MAP_PRIVATE, MemoryManager, PROT_READ, PROT_WRITE } from '../../sentry/mm/mm.js';

const ENOMEM = -12, EEXIST = -17, EINVAL = -22;
function setup(mb = 16) {
  const p = new KvmPlatform(mb << 20);
  const frames = new FrameAllocator(p.memory);
  const pool = { used: 0, limit: p.memory.frameCount - 16 };
  return { mm: new MemoryManager(p.newAddressSpace(), frames, p.memory, pool), frames, pool };
}
const RW = PROT_READ | PROT_WRITE, ANON = MAP_PRIVATE | MAP_ANONYMOUS;

t.test('mmap, write, read back, munmap', async (t) => {
  const { mm, frames } = setup();
  const a = mm.mmap(0, 8192, RW, ANON);
  t.ok(a > 0 && a % 4096 === 0);
  t.ok(mm.copyOut(a + 4090, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])));
  const b = new Uint8Array(10);
  t.ok(mm.copyIn(a + 4090, b));
  t.same([...b], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  t.equal(frames.used, 2);
  t.equal(mm.munmap(a, 8192), 0);
  t.equal(frames.used, 0);
  t.notOk(mm.copyIn(a, b), 'unmapped memory is EFAULT');
});

t.test('MAP_FIXED_NOREPLACE refuses an occupied range', async (t) => {
  const { mm } = setup();
  const a = mm.mmap(0x10000000, 4096, RW, ANON | MAP_FIXED);
  t.equal(a, 0x10000000);
  t.equal(mm.mmap(0x10000000, 4096, RW, ANON | MAP_FIXED_NOREPLACE), EEXIST);
  t.equal(mm.mmap(0x10000001, 4096, RW, ANON | MAP_FIXED), EINVAL);
});

t.test('mprotect splits and faults honour permissions', async (t) => {
  const { mm } = setup();
  const a = mm.mmap(0, 3 * 4096, RW, ANON);
  t.equal(mm.mprotect(a + 4096, 4096, PROT_READ), 0);
  t.equal(mm.handleFault(a + 4096, Access.WRITE), 'accerr');
  t.equal(mm.handleFault(a + 4096, Access.READ), 'ok');
  t.equal(mm.handleFault(a, Access.WRITE), 'ok');
  t.equal(mm.handleFault(a + 100 * 4096, Access.READ), 'maperr');
  t.equal(mm.mprotect(a + 100 * 4096, 4096, PROT_READ), ENOMEM);
});

t.test('mremap moves frames, not bytes', async (t) => {
  const { mm } = setup();
  const a = mm.mmap(0, 4096, RW, ANON);
  mm.copyOut(a, new Uint8Array([42]));
  mm.mmap(a + 4096, 4096, RW, ANON | MAP_FIXED); // block growth in place
  const b = mm.mremap(a, 4096, 8 * 4096, 1 /* MAYMOVE */, 0);
  t.not(b, a);
  const x = new Uint8Array(1);
  t.ok(mm.copyIn(b, x));
  t.equal(x[0], 42);
});

t.test('brk grows and shrinks the heap', async (t) => {
  const { mm } = setup();
  mm.brkStart = mm.brkEnd = 0x600000;
  t.equal(mm.brk(0), 0x600000);
  t.equal(mm.brk(0x600000 + 10000), 0x600000 + 10000);
  t.ok(mm.copyOut(0x600000 + 9000, new Uint8Array([1])));
  t.equal(mm.brk(0x600000), 0x600000);
  t.notOk(mm.copyOut(0x600000 + 9000, new Uint8Array([1])));
});

t.test('the commit limit turns huge requests into ENOMEM', async (t) => {
  const { mm, pool } = setup(16);
  t.equal(mm.mmap(0, 64 << 20, RW, ANON), ENOMEM);
  t.ok(mm.mmap(0, 64 << 20, 0, ANON) > 0, 'PROT_NONE reservations do not commit memory');
  const a = mm.mmap(0, 8 << 20, RW, ANON);
  t.ok(a > 0);
  t.equal(mm.mmap(0, 8 << 20, RW, ANON), ENOMEM);
  mm.munmap(a, 8 << 20);
  t.equal(pool.used, 0);
  mm.brkStart = mm.brkEnd = 0x600000;
  t.equal(mm.brk(0x600000 + (32 << 20)), 0x600000, 'brk beyond the limit fails');
});
