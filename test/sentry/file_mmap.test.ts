// File mappings in the memory manager: the read-only page cache (read once, one frame shared by
// every mapping), copy-on-write of private pages, SIGBUS beyond the end of the file, and tmpfs
// pages lent to MAP_SHARED mappings.
import t from 'tap';
import { existsSync, readFileSync } from 'node:fs';
import { loadProgram } from '../../sentry/loader/loader.js';
import { parseElf } from '../../sentry/loader/elf.js';
import { KvmPlatform } from '../../platform/kvm/kvm_platform.js';
import { Access } from '../../platform/platform.js';
import { FrameAllocator } from '../../sentry/mm/frames.js';
import type { Mappable } from '../../sentry/mm/mappable.js';
import { MAP_PRIVATE, MAP_SHARED, MemoryManager, PROT_READ, PROT_WRITE, type FileMapping } from '../../sentry/mm/mm.js';
import { readOnlyPageCache } from '../../sentry/mm/page_cache.js';
import { FramePageMemory } from '../../sentry/mm/page_memory.js';
import { TmpFs } from '../../sentry/vfs/fs/tmpfs.js';
import { Inode, type Filesystem, type FsCreds } from '../../sentry/vfs/inode.js';
import { S_IFREG, type Stat } from '../../sentry/vfs/stat.js';

const PG = 4096;

function machine(mb = 16) {
  const p = new KvmPlatform(mb << 20);
  const frames = new FrameAllocator(p.memory);
  const pool = { used: 0, limit: p.memory.frameCount - 16 };
  const memory = new FramePageMemory(frames, p.memory, pool);
  const newMm = () => new MemoryManager(p.newAddressSpace(), frames, p.memory, pool);
  return { frames, pool, memory, newMm };
}

/** A read-only file of `size` bytes, byte k = k % 251, counting its reads. */
class FakeFile extends Inode {
  readonly fs = { type: 'fake', dev: 9, readOnly: true } as unknown as Filesystem;
  readonly ino = 77;
  readonly type = S_IFREG;
  reads = 0;
  constructor(readonly size: number) { super(); }
  stat(): Stat { return { size: this.size } as Stat; }
  override read(dst: Uint8Array, offset: number): number {
    this.reads++;
    const n = Math.max(0, Math.min(dst.length, this.size - offset));
    for (let k = 0; k < n; k++) dst[k] = (offset + k) % 251;
    return n;
  }
}

function fileMapping(mappable: Mappable, pgoff = 0, writable = false): FileMapping {
  return { mappable, pgoff, writable, dev: 9, ino: 77 };
}

function byteAt(mm: MemoryManager, addr: number): number {
  const b = new Uint8Array(1);
  return mm.copyIn(addr, b) ? b[0] : -1;
}

t.test('the page cache reads a file once for every mapping', async (t) => {
  const { frames, memory, newMm } = machine();
  const file = new FakeFile(3 * PG + 10);
  const cache = readOnlyPageCache(file, memory);
  t.equal(cache, readOnlyPageCache(file, memory), 'one cache per inode');
  t.equal(await cache.prepare(0, 8), 0);
  const reads = file.reads;
  t.equal(cache.cachedPages, 4, 'pages up to the end of the file, not of the request');
  const used = frames.used;

  const one = newMm(), two = newMm();
  const a = one.mmap(0, 4 * PG, PROT_READ, MAP_PRIVATE, '/f', fileMapping(cache));
  t.equal(await cache.prepare(0, 4), 0);
  const b = two.mmap(0, 4 * PG, PROT_READ, MAP_PRIVATE, '/f', fileMapping(cache));
  for (let p = 0; p < 4; p++) { t.equal(one.handleFault(a + p * PG, Access.READ), 'ok'); t.equal(two.handleFault(b + p * PG, Access.READ), 'ok'); }
  t.equal(file.reads, reads, 'mapping again reads nothing');
  t.equal(frames.used, used, 'both processes map the cached frames');
  t.equal(byteAt(one, a + PG + 5), (PG + 5) % 251);
  t.equal(byteAt(two, b + 3 * PG + 9), (3 * PG + 9) % 251);
  t.equal(byteAt(two, b + 3 * PG + 10), 0, 'the tail of the last page reads as zero');
});

t.test('a private write copies the page; the file and other mappings keep theirs', async (t) => {
  const { frames, memory, newMm } = machine();
  const file = new FakeFile(2 * PG);
  const cache = readOnlyPageCache(file, memory);
  await cache.prepare(0, 2);
  const mm = newMm(), other = newMm();
  const a = mm.mmap(0, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, '/f', fileMapping(cache));
  const b = other.mmap(0, 2 * PG, PROT_READ, MAP_PRIVATE, '/f', fileMapping(cache));
  t.equal(mm.handleFault(a, Access.READ), 'ok');
  const used = frames.used;
  t.ok(mm.copyOut(a + 1, new Uint8Array([200])));
  t.equal(frames.used, used + 1, 'one private copy');
  t.equal(byteAt(mm, a + 1), 200);
  t.equal(byteAt(mm, a + 2), 2, 'the copy keeps the rest of the page');
  t.equal(byteAt(other, b + 1), 1, 'another mapping still sees the file');
  t.equal(mm.handleFault(a + PG, Access.WRITE), 'ok', 'a write fault copies too');
  t.equal(frames.used, used + 2);
  t.equal(mm.madvise(a, 2 * PG, 4 /* MADV_DONTNEED */), 0);
  t.equal(byteAt(mm, a + 1), 1, 'MADV_DONTNEED drops the copies: the file shows again');
  t.equal(frames.used, used, 'and frees them');
});

t.test('pages wholly beyond the end of the file are SIGBUS', async (t) => {
  const { memory, newMm } = machine();
  const cache = readOnlyPageCache(new FakeFile(PG + 1), memory);
  await cache.prepare(0, 4);
  const mm = newMm();
  const a = mm.mmap(0, 4 * PG, PROT_READ, MAP_PRIVATE, '/f', fileMapping(cache));
  t.equal(mm.handleFault(a + PG, Access.READ), 'ok', 'the partial last page maps');
  t.equal(mm.handleFault(a + 2 * PG, Access.READ), 'bus');
  t.equal(mm.copyIn(a + 2 * PG, new Uint8Array(1)), false, 'a syscall touching it gets EFAULT');
});

t.test('splitting a file mapping keeps each part on its own file pages', async (t) => {
  const { memory, newMm } = machine();
  const cache = readOnlyPageCache(new FakeFile(8 * PG), memory);
  await cache.prepare(0, 8);
  const mm = newMm();
  const a = mm.mmap(0, 6 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, '/f', fileMapping(cache, 2));
  t.equal(mm.mprotect(a + 2 * PG, PG, PROT_READ), 0);
  t.equal(mm.munmap(a + 3 * PG, PG), 0);
  t.same(mm.mappings.map((v) => v.file?.pgoff), [2, 4, 6]);
  t.equal(byteAt(mm, a + 4 * PG), (6 * PG) % 251);
  t.equal(mm.mprotect(a + 2 * PG, PG, PROT_READ | PROT_WRITE), 0);
  t.same(mm.mappings.map((v) => v.file?.pgoff), [2, 6], 'alike neighbours merge again');
});

t.test('tmpfs lends its pages: MAP_SHARED stores are the file, and writes show in the mapping', async (t) => {
  const { memory, newMm, pool } = machine();
  const fs = new TmpFs({ dev: 1, now: () => ({ sec: 0, nsec: 0 }) });
  const creds: FsCreds = { fsuid: 0, fsgid: 0, groups: [], caps: 0 };
  const f = await fs.root.create('f', 0o644, creds);
  if (typeof f === 'number') throw new Error(`create: ${f}`);
  t.equal(await f.write(new TextEncoder().encode('hello'), 0), 5);
  const m = f.mappable(memory);
  if (!m) throw new Error('tmpfs files are mappable');
  const mm = newMm();
  const a = mm.mmap(0, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, '/f', fileMapping(m, 0, true));
  t.equal(byteAt(mm, a), 'h'.charCodeAt(0));
  t.ok(mm.copyOut(a + 1, new TextEncoder().encode('E')));
  const back = new Uint8Array(5);
  t.equal(await f.read(back, 0), 5);
  t.equal(new TextDecoder().decode(back), 'hEllo', 'read() sees the store');
  t.equal(await f.write(new TextEncoder().encode('L'), 2), 1);
  t.equal(byteAt(mm, a + 2), 'L'.charCodeAt(0), 'the mapping sees write()');
  t.equal(mm.handleFault(a + PG, Access.READ), 'bus', 'beyond the end of a one-page file');
  const charged = pool.used;
  t.equal(await f.setattr({ size: 0 }), 0);
  t.equal(pool.used, charged - 1, 'truncation gives the page back to the pool');
});

const exePath = '/bin/true', ldPath = '/lib64/ld-linux-x86-64.so.2';
t.test('a program and its interpreter mapped from the page cache read as their copies do', {
  skip: existsSync(exePath) && existsSync(ldPath) ? false : 'needs the host\'s /bin/true and ld.so',
}, async (t) => {
  const { memory, newMm } = machine(64);
  const exe = readFileSync(exePath), ld = readFileSync(ldPath);
  class HostBytes extends FakeFile {
    constructor(readonly bytes: Uint8Array) { super(bytes.length); }
    override read(dst: Uint8Array, offset: number): number {
      const n = Math.max(0, Math.min(dst.length, this.bytes.length - offset));
      dst.set(this.bytes.subarray(offset, offset + n));
      return n;
    }
  }
  const source = async (bytes: Uint8Array) => {
    const cache = readOnlyPageCache(new HostBytes(bytes), memory);
    await cache.prepare(0, Math.ceil(bytes.length / PG));
    return { mappable: cache, dev: 1, ino: 2, name: 'file' };
  };
  const args = { argv: [], envp: [], execfn: new Uint8Array(1), uid: 0, euid: 0, gid: 0, egid: 0, random16: new Uint8Array(16), hwcap: 0 };
  const copied = newMm(), mapped = newMm();
  loadProgram(copied, { bytes: exe, source: null }, args, { bytes: ld, source: null });
  loadProgram(mapped, { bytes: exe, source: await source(exe) }, args, { bytes: ld, source: await source(ld) });
  t.ok(mapped.mappings.some((v) => v.file !== undefined), 'segments are file mappings');
  // Within each segment (its file bytes, then its bss) both agree; around them the mapped pages
  // show the file's neighbouring bytes, as Linux's do, where a copy has zeros.
  const ldBase = mapped.mappings.find((v) => v.start > 0x7f0000000000)!.start;
  const segments = [
    ...parseElf(exe).phdrs.filter((p) => p.type === 1).map((p) => ({ at: 0x555555554000 + p.vaddr, size: p.memsz })),
    ...parseElf(ld).phdrs.filter((p) => p.type === 1).map((p) => ({ at: ldBase + p.vaddr, size: p.memsz })),
  ];
  for (const { at, size } of segments) {
    const a = new Uint8Array(size), b = new Uint8Array(size);
    t.ok(copied.copyIn(at, a) && mapped.copyIn(at, b), `0x${at.toString(16)} readable`);
    t.equal(Buffer.compare(a, b), 0, `segment at 0x${at.toString(16)}: same bytes`);
  }
  // ld.so's first allocations live past its bss: the rest of that page must read as zero.
  const ldData = parseElf(ld).phdrs.filter((p) => p.type === 1).pop()!;
  const bssEnd = ldBase + ldData.vaddr + ldData.memsz, pageEnd = Math.ceil(bssEnd / PG) * PG;
  const tail = new Uint8Array(pageEnd - bssEnd);
  t.ok(mapped.copyIn(bssEnd, tail) && tail.every((x) => x === 0), 'the page after the bss is zero');
});
