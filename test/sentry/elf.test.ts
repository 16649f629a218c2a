// Malformed ELF files get a clear error, never a crash.
import t from 'tap';
import { ElfError, parseElf } from '../../sentry/loader/elf.js';

function header(opts: { phnum?: number; phoff?: number; type?: number; machine?: number } = {}): Uint8Array {
  const b = new Uint8Array(64 + 56 * 4);
  const dv = new DataView(b.buffer);
  b.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  dv.setUint16(16, opts.type ?? 2, true);
  dv.setUint16(18, opts.machine ?? 62, true);
  dv.setUint32(24, 0x401000, true);
  dv.setUint32(32, opts.phoff ?? 64, true);
  dv.setUint16(54, 56, true);
  dv.setUint16(56, opts.phnum ?? 0, true);
  return b;
}
function load(b: Uint8Array, k: number, vaddr: number, filesz: number, memsz: number, offset = 0): void {
  const dv = new DataView(b.buffer);
  const at = 64 + 56 * k;
  dv.setUint32(at, 1, true); dv.setUint32(at + 4, 5, true);
  dv.setUint32(at + 8, offset, true); dv.setUint32(at + 16, vaddr, true);
  dv.setUint32(at + 32, filesz, true); dv.setUint32(at + 40, memsz, true);
}

t.test('bad magic is reported as not ELF', async (t) => {
  const e = t.throws(() => parseElf(new TextEncoder().encode('#!/bin/sh\necho hi\n')));
  t.ok(e instanceof ElfError && e.notElf);
});
t.test('truncated header', async (t) => { t.throws(() => parseElf(header().subarray(0, 40)), /truncated/); });
t.test('wrong machine', async (t) => { t.throws(() => parseElf(header({ machine: 3, phnum: 1 })), /x86-64/); });
t.test('no program headers', async (t) => { t.throws(() => parseElf(header()), /program header count/); });
t.test('program headers past the end', async (t) => { t.throws(() => parseElf(header({ phnum: 4, phoff: 200 })), /past the end/); });
t.test('segment past the end of the file', async (t) => {
  const b = header({ phnum: 1 }); load(b, 0, 0x400000, 0x100000, 0x100000);
  t.throws(() => parseElf(b), /past the end of the file/);
});
t.test('absurd sizes', async (t) => {
  const b = header({ phnum: 1 }); load(b, 0, 0x400000, 0, 0);
  new DataView(b.buffer).setUint32(64 + 40 + 4, 0xffffffff, true); // memsz ~ 2^64
  t.throws(() => parseElf(b), /does not fit|larger/);
});
t.test('overlapping segments', async (t) => {
  const b = header({ phnum: 2 }); load(b, 0, 0x400000, 0, 0x3000); load(b, 1, 0x401000, 0, 0x1000);
  t.throws(() => parseElf(b), /overlapping/);
});
t.test('a well-formed header parses', async (t) => {
  const b = header({ phnum: 1 }); load(b, 0, 0x400000, 64, 0x2000);
  t.equal(parseElf(b).entry, 0x401000);
});
