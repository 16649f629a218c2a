// ELF64 parsing for the loader: the file header and program headers of an x86-64 executable,
// checked once against the file's real size before anything is mapped (System V gABI, ch. 4-5).

export const ET_EXEC = 2, ET_DYN = 3;
export const PT_LOAD = 1, PT_INTERP = 3, PT_PHDR = 6, PT_TLS = 7, PT_GNU_STACK = 0x6474e551;
export const PF_X = 1, PF_W = 2, PF_R = 4;
const EM_X86_64 = 62;
const EHDR_SIZE = 64, PHDR_SIZE = 56;
const MAX_PHNUM = 256;
const USER_LIMIT = 2 ** 47;

export interface ProgramHeader {
  type: number;
  flags: number;
  offset: number;
  vaddr: number;
  filesz: number;
  memsz: number;
  align: number;
}

export interface ElfImage {
  type: number;
  entry: number;
  phoff: number;
  phnum: number;
  phdrs: ProgramHeader[];
  /** The PT_INTERP path, if any. */
  interp: string | null;
}

/** Why a file is not an executable we can run; `notElf` distinguishes "not ELF at all". */
export class ElfError extends Error {
  constructor(message: string, readonly notElf = false) { super(message); }
}

function u64(dv: DataView, at: number): number {
  const hi = dv.getUint32(at + 4, true);
  if (hi >= 0x200000) return Infinity; // beyond 2^53: certainly absurd for a size or address
  return hi * 4294967296 + dv.getUint32(at, true);
}

export function parseElf(file: Uint8Array): ElfImage {
  if (file.length < 4 || file[0] !== 0x7f || file[1] !== 0x45 || file[2] !== 0x4c || file[3] !== 0x46) {
    throw new ElfError('not an ELF file (bad magic)', true);
  }
  if (file.length < EHDR_SIZE) throw new ElfError('truncated ELF header');
  if (file[4] !== 2) throw new ElfError('not a 64-bit ELF file', true);
  if (file[5] !== 1) throw new ElfError('not a little-endian ELF file', true);
  const dv = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const type = dv.getUint16(16, true);
  if (dv.getUint16(18, true) !== EM_X86_64) throw new ElfError('not an x86-64 ELF file', true);
  if (type !== ET_EXEC && type !== ET_DYN) throw new ElfError(`ELF type ${type} is not an executable`);
  const entry = u64(dv, 24);
  const phoff = u64(dv, 32);
  const phentsize = dv.getUint16(54, true);
  const phnum = dv.getUint16(56, true);
  if (phentsize !== PHDR_SIZE) throw new ElfError(`bad program header size ${phentsize}`);
  if (phnum === 0 || phnum > MAX_PHNUM) throw new ElfError(`bad program header count ${phnum}`);
  if (phoff + phnum * PHDR_SIZE > file.length) throw new ElfError('program headers extend past the end of the file');

  const phdrs: ProgramHeader[] = [];
  let interp: string | null = null;
  for (let k = 0; k < phnum; k++) {
    const at = phoff + k * PHDR_SIZE;
    const ph: ProgramHeader = {
      type: dv.getUint32(at, true),
      flags: dv.getUint32(at + 4, true),
      offset: u64(dv, at + 8),
      vaddr: u64(dv, at + 16),
      filesz: u64(dv, at + 32),
      memsz: u64(dv, at + 40),
      align: u64(dv, at + 48),
    };
    if (ph.type === PT_LOAD) {
      if (ph.offset + ph.filesz > file.length) throw new ElfError(`segment ${k} extends past the end of the file`);
      if (ph.filesz > ph.memsz) throw new ElfError(`segment ${k} has a file size larger than its memory size`);
      if (ph.vaddr + ph.memsz >= USER_LIMIT) throw new ElfError(`segment ${k} does not fit in the user address space`);
      if (ph.vaddr % 4096 !== ph.offset % 4096) throw new ElfError(`segment ${k} is misaligned`);
    } else if (ph.type === PT_INTERP) {
      if (ph.offset + ph.filesz > file.length || ph.filesz < 2 || ph.filesz > 4096) throw new ElfError('bad PT_INTERP');
      const bytes = file.subarray(ph.offset, ph.offset + ph.filesz);
      const nul = bytes.indexOf(0);
      interp = new TextDecoder().decode(bytes.subarray(0, nul < 0 ? bytes.length : nul));
    }
    phdrs.push(ph);
  }
  const loads = phdrs.filter((p) => p.type === PT_LOAD).sort((a, b) => a.vaddr - b.vaddr);
  if (loads.length === 0) throw new ElfError('no loadable segments');
  for (let k = 1; k < loads.length; k++) {
    const prevEnd = Math.ceil((loads[k - 1].vaddr + loads[k - 1].memsz) / 4096) * 4096;
    if (Math.floor(loads[k].vaddr / 4096) * 4096 < prevEnd && loads[k].vaddr < loads[k - 1].vaddr + loads[k - 1].memsz) {
      throw new ElfError('overlapping loadable segments');
    }
  }
  return { type, entry, phoff, phnum, phdrs, interp };
}
