// Loads an ELF program into a fresh memory manager and builds its initial stack (argc, argv, envp,
// auxv) as Linux's binfmt_elf does: static (ET_EXEC), static-pie and PIE (ET_DYN) programs, and
// dynamically linked ones with their ELF interpreter (PT_INTERP).

import { Errno } from '../abi/errno.js';
import { MAP_FIXED, MAP_GROWSDOWN, MAP_PRIVATE, MemoryManager, PROT_EXEC, PROT_READ, PROT_WRITE, STACK_TOP, pageAlignUp } from '../mm/mm.js';
import { ElfError, ET_DYN, PF_R, PF_W, PF_X, PT_LOAD, PT_PHDR, parseElf, type ElfImage } from './elf.js';
import { setU64 } from '../abi/bytes.js';
import type { Mappable } from '../mm/mappable.js';

/** Where a PIE or static-pie (ET_DYN) program is placed, as Linux does with randomisation off. */
const PIE_BASE = 0x555555554000;
const STACK_SIZE = 8 << 20;

export const enum Auxv {
  AT_NULL = 0, AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5, AT_PAGESZ = 6, AT_BASE = 7, AT_FLAGS = 8,
  AT_ENTRY = 9, AT_UID = 11, AT_EUID = 12, AT_GID = 13, AT_EGID = 14, AT_PLATFORM = 15, AT_HWCAP = 16,
  AT_CLKTCK = 17, AT_SECURE = 23, AT_RANDOM = 25, AT_HWCAP2 = 26, AT_EXECFN = 31, AT_MINSIGSTKSZ = 51,
}

export interface ExecArgs {
  argv: Uint8Array[];
  envp: Uint8Array[];
  execfn: Uint8Array;
  uid: number; euid: number; gid: number; egid: number;
  random16: Uint8Array;
  /** CPUID.1:EDX, what AT_HWCAP reports on x86. */
  hwcap: number;
}

export interface LoadedProgram {
  entry: number;
  sp: number;
  image: ElfImage;
}

/** Where segments can be mapped from: the file's pages (see sentry/mm/mappable.ts). */
export interface SegmentSource {
  mappable: Mappable;
  dev: number;
  ino: number;
  /** The path /proc/PID/maps shows. */
  name: string;
}

/** An ELF file: its bytes, and its pages when the file lends them (else segments are copies). */
export interface ElfFile {
  bytes: Uint8Array;
  source: SegmentSource | null;
}

export class LoadError extends Error {
  constructor(message: string, readonly errno: Errno) { super(message); }
}

function protOf(flags: number): number {
  return (flags & PF_R ? PROT_READ : 0) | (flags & PF_W ? PROT_WRITE : 0) | (flags & PF_X ? PROT_EXEC : 0);
}

/** Parses an ELF file, as a LoadError (ENOEXEC) when it is not a program this loader can run. */
export function parseProgram(file: Uint8Array, what = 'program'): ElfImage {
  try {
    return parseElf(file);
  } catch (e) {
    if (e instanceof ElfError) throw new LoadError(what === 'program' ? e.message : `${what}: ${e.message}`, Errno.ENOEXEC);
    throw e;
  }
}

/**
 * Maps the program's segments into `mm` and builds its stack. A dynamically linked program
 * (PT_INTERP) needs `interp`, the interpreter's file: it is mapped too, gets control first and
 * finds the program through AT_PHDR, AT_ENTRY and its own address in AT_BASE. Throws LoadError.
 */
export function loadProgram(mm: MemoryManager, elf: ElfFile | Uint8Array, args: ExecArgs, interpElf: ElfFile | Uint8Array | null = null): LoadedProgram {
  const file = asElfFile(elf), interp = interpElf === null ? null : asElfFile(interpElf);
  const image = parseProgram(file.bytes);
  if (image.interp !== null && interp === null) throw new LoadError(`no interpreter given for ${image.interp}`, Errno.ENOEXEC);
  const bias = image.type === ET_DYN ? PIE_BASE : 0;
  const maxEnd = mapSegments(mm, image, file, bias);
  mm.brkStart = mm.brkEnd = pageAlignUp(maxEnd);

  let entry = image.entry + bias;
  let base = 0;
  if (image.interp !== null && interp !== null) {
    const ld = parseProgram(interp.bytes, `interpreter ${image.interp}`);
    if (ld.interp !== null) throw new LoadError(`interpreter ${image.interp} wants an interpreter itself`, Errno.ELIBBAD);
    if (ld.type !== ET_DYN) throw new LoadError(`interpreter ${image.interp} is not position-independent`, Errno.ELIBBAD);
    // Placed where mmap would put it (below the mmap area's top), as Linux does.
    const span = loadSpan(ld);
    base = mm.mmap(0, span, PROT_READ, MAP_PRIVATE);
    if (base < 0) throw new LoadError(`cannot map interpreter ${image.interp}: out of memory`, -base);
    mm.munmap(base, span);
    base -= Math.floor(Math.min(...ld.phdrs.filter((p) => p.type === PT_LOAD).map((p) => p.vaddr)) / 4096) * 4096;
    mapSegments(mm, ld, interp, base);
    entry = ld.entry + base;
  }

  // The program headers' address: PT_PHDR, else inside the first segment that maps them.
  let phdrAddr = 0;
  const pt = image.phdrs.find((p) => p.type === PT_PHDR);
  if (pt) phdrAddr = pt.vaddr + bias;
  else {
    const holder = image.phdrs.find((p) => p.type === PT_LOAD && p.offset <= image.phoff && image.phoff < p.offset + p.filesz);
    if (holder) phdrAddr = holder.vaddr + bias + (image.phoff - holder.offset);
  }

  const stackBase = STACK_TOP - STACK_SIZE;
  const r = mm.mmap(stackBase, STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED | MAP_GROWSDOWN, '[stack]');
  if (r < 0) throw new LoadError('cannot map the stack: out of memory', -r);
  const sp = buildStack(mm, args, [
    [Auxv.AT_PHDR, phdrAddr], [Auxv.AT_PHENT, 56], [Auxv.AT_PHNUM, image.phnum], [Auxv.AT_PAGESZ, 4096],
    [Auxv.AT_BASE, base], [Auxv.AT_FLAGS, 0], [Auxv.AT_ENTRY, image.entry + bias],
    [Auxv.AT_UID, args.uid], [Auxv.AT_EUID, args.euid], [Auxv.AT_GID, args.gid], [Auxv.AT_EGID, args.egid],
    [Auxv.AT_SECURE, 0], [Auxv.AT_CLKTCK, 100], [Auxv.AT_HWCAP, args.hwcap], [Auxv.AT_HWCAP2, 0],
    [Auxv.AT_MINSIGSTKSZ, 2048],
  ]);
  return { entry, sp, image };
}

/** The bytes an image's PT_LOAD segments span, page-aligned. */
function loadSpan(image: ElfImage): number {
  const loads = image.phdrs.filter((p) => p.type === PT_LOAD);
  if (loads.length === 0) throw new LoadError('no PT_LOAD segment', Errno.ELIBBAD);
  const lo = Math.floor(Math.min(...loads.map((p) => p.vaddr)) / 4096) * 4096;
  return pageAlignUp(Math.max(...loads.map((p) => p.vaddr + p.memsz))) - lo;
}

function asElfFile(f: ElfFile | Uint8Array): ElfFile { return f instanceof Uint8Array ? { bytes: f, source: null } : f; }

/**
 * Maps an image's PT_LOAD segments at `bias`, as binfmt_elf does: from the file's pages
 * (private, copied on write) with the rest of the last file page zeroed and the bss anonymous;
 * or, for a file without pages or a segment sharing its first page with the previous one, as a
 * copy. Returns the end of the highest segment.
 */
function mapSegments(mm: MemoryManager, image: ElfImage, elf: ElfFile, bias: number): number {
  const file = elf.bytes;
  const loads = image.phdrs.filter((p) => p.type === PT_LOAD).sort((a, b) => a.vaddr - b.vaddr);
  let mappedEnd = 0;
  let maxEnd = 0;
  for (const ph of loads) {
    const vaddr = ph.vaddr + bias;
    const start = Math.floor(vaddr / 4096) * 4096;
    const end = pageAlignUp(vaddr + ph.memsz);
    const prot = protOf(ph.flags);
    let from = start;
    if (start < mappedEnd) {
      // The first page is shared with the previous segment: it gets both sets of permissions.
      const shared = mm.findVma(start);
      mm.mprotect(start, 4096, (shared?.prot ?? 0) | prot);
      from = Math.min(mappedEnd, end);
    }
    if (elf.source && from === start && ph.filesz > 0 && vaddr % 4096 === ph.offset % 4096) {
      mapFromFile(mm, elf.source, start, vaddr, ph.offset, ph.filesz, ph.memsz, prot);
    } else {
      if (end > from) {
        const r = mm.mmap(from, end - from, prot, MAP_PRIVATE | MAP_FIXED);
        if (r < 0) throw new LoadError(`cannot map segment at 0x${vaddr.toString(16)}: out of memory`, -r);
      }
      if (!mm.pokeBytes(vaddr, file.subarray(ph.offset, ph.offset + ph.filesz))) {
        throw new LoadError('cannot write segment contents: out of memory', Errno.ENOMEM);
      }
    }
    mappedEnd = Math.max(mappedEnd, end);
    maxEnd = Math.max(maxEnd, vaddr + ph.memsz);
  }
  return maxEnd;
}

/** One segment from the file's pages: the file from `vaddr` for `filesz` bytes, then zeros to `memsz`. */
function mapFromFile(mm: MemoryManager, src: SegmentSource, start: number, vaddr: number, offset: number, filesz: number, memsz: number, prot: number): void {
  const fileEnd = pageAlignUp(vaddr + filesz), end = pageAlignUp(vaddr + memsz);
  const mapping = { mappable: src.mappable, pgoff: Math.floor(offset / 4096), writable: false, dev: src.dev, ino: src.ino };
  const r = mm.mmap(start, fileEnd - start, prot, MAP_PRIVATE | MAP_FIXED, src.name, mapping);
  if (r < 0) throw new LoadError(`cannot map segment at 0x${vaddr.toString(16)}: out of memory`, -r);
  // With a bss, the rest of the last file page is zeroed to the page's end (padzero: ld.so's
  // first allocations live past its bss there), in a private copy of the page.
  const tail = fileEnd - (vaddr + filesz);
  if (memsz > filesz && tail > 0 && !mm.pokeBytes(vaddr + filesz, new Uint8Array(tail))) {
    throw new LoadError('cannot clear the bss: out of memory', Errno.ENOMEM);
  }
  if (end > fileEnd) {
    const b = mm.mmap(fileEnd, end - fileEnd, prot, MAP_PRIVATE | MAP_FIXED);
    if (b < 0) throw new LoadError(`cannot map the bss at 0x${fileEnd.toString(16)}: out of memory`, -b);
  }
}

/**
 * Lays out the initial stack from the top down: the strings (execfn, envp, argv, "x86_64"), the
 * 16 random bytes, then, 16-byte aligned: argc, argv[], NULL, envp[], NULL, auxv pairs, AT_NULL.
 */
function buildStack(mm: MemoryManager, args: ExecArgs, aux: [number, number][]): number {
  let top = STACK_TOP - 8; // Linux leaves the last word zero
  const put = (bytes: Uint8Array): number => {
    top -= bytes.length + 1;
    const z = new Uint8Array(bytes.length + 1);
    z.set(bytes);
    if (!mm.pokeBytes(top, z)) throw new LoadError('stack overflow while building the initial stack', Errno.E2BIG);
    return top;
  };
  const execfn = put(args.execfn);
  const envp = args.envp.map(put);
  const argv = args.argv.map(put);
  const platform = put(new TextEncoder().encode('x86_64'));
  top = Math.floor(top / 16) * 16 - 16;
  const random = top;
  if (!mm.pokeBytes(random, args.random16)) throw new LoadError('cannot write AT_RANDOM', Errno.E2BIG);

  const auxv = [...aux, [Auxv.AT_RANDOM, random], [Auxv.AT_PLATFORM, platform], [Auxv.AT_EXECFN, execfn], [Auxv.AT_NULL, 0]];
  const words: number[] = [args.argv.length, ...argv, 0, ...envp, 0];
  for (const [k, v] of auxv) words.push(k, v);
  let sp = top - words.length * 8;
  sp = Math.floor(sp / 16) * 16;
  if (sp < STACK_TOP - STACK_SIZE + 65536) throw new LoadError('argument list too long', Errno.E2BIG);
  const buf = new Uint8Array(words.length * 8);
  const dv = new DataView(buf.buffer);
  words.forEach((w, k) => setU64(dv, k * 8, w));
  if (!mm.pokeBytes(sp, buf)) throw new LoadError('cannot write the initial stack', Errno.E2BIG);
  return sp;
}
