// Owns the two machines of the instruction tests and how their results are compared: the host CPU
// (test/insn/harness.c, one process per run) and the emulator (vm/, one Cpu and one address space
// reused for every case), the record layout they share, and the comparison of the parts every
// suite has. A suite picks a Layout (the size of its scratch block and the state it adds after
// it); the integer suite (test/insn/integer_forms.ts) uses the base machine as it is,
// test/insn/x87_machine.ts extends it with the x87 state.
//
// Records (keep in step with harness.c):
//   input:  u8 len, u8 pad, u16 code_off, u8 code[28], u64 gpr[16], u64 rflags, u8 mem[memSize],
//           then the suite's own state (the snippet runs at CODE_ADDR + code_off)
//   output: u32 signal, u32 pad, u64 rip, u64 fault_addr, u64 gpr[16], u64 rflags, u8 mem[memSize],
//           then the suite's own state
//
// Memory: two code pages at CODE_ADDR (RWX), the data area [DATA_ADDR, DATA_ADDR + DATA_SIZE) (RW)
// with nothing mapped on either side, and in it the scratch block, which straddles a page boundary
// so that operands crossing it take the MMU's slow paths.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CodeCache, Cpu, FlatPageTable, Mmu, Perm, PhysicalMemory, RegisterFile, Slot, StopReason, PageFault,
} from '../../vm/index.js';

export const CODE_ADDR = 0x10000000;
export const CODE_SIZE = 0x2000;
export const DATA_ADDR = 0x10010000;
export const DATA_SIZE = 0x10000;
export const SCRATCH_ADDR = 0x10017fe0;
/** The scratch bytes the generators fill (test/insn/gen.ts) and the integer records carry. */
export const MEM_SIZE = 64;
/** The first and last ZONE bytes of the data area are reset before every case (see harness.c). */
export const ZONE = 128;
export const MAX_CODE = 28;
export const HEADER = 4;

export const IN_GPR = HEADER + MAX_CODE;
export const IN_FLAGS = IN_GPR + 128;
export const IN_MEM = IN_FLAGS + 8;

export const OUT_RIP = 8;
export const OUT_FAULT = 16;
export const OUT_GPR = 24;
export const OUT_FLAGS = OUT_GPR + 128;
export const OUT_MEM = OUT_FLAGS + 8;

/** A suite's records: the shared part with a scratch block of memSize bytes, and its own state after it. */
export interface Layout {
  memSize: number;
  inRecord: number;
  outRecord: number;
  /** How harness.c is compiled for these records. */
  defines: string[];
  /** The exceptions that raise SIGFPE here (named in reports). */
  fpe: string;
}

export const INTEGER_LAYOUT: Layout = {
  memSize: MEM_SIZE, inRecord: IN_MEM + MEM_SIZE, outRecord: OUT_MEM + MEM_SIZE, defines: [`-DMEM_SIZE=${MEM_SIZE}`], fpe: '#DE',
};

// Flags
export const CF = 0x1, PF = 0x4, AF = 0x10, ZF = 0x40, SF = 0x80, DF = 0x400, OF = 0x800;
export const ARITH = CF | PF | AF | ZF | SF | OF;
/** What is given to and compared after every snippet: the arithmetic flags and DF. */
export const FLAGS_MASK = ARITH | DF;
export const FLAG_NAMES: [number, string][] = [[CF, 'CF'], [PF, 'PF'], [AF, 'AF'], [ZF, 'ZF'], [SF, 'SF'], [DF, 'DF'], [OF, 'OF']];
export const GPR_NAMES = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];

// Output "signal" values. The native side reports the host signal; the emulator's stops are
// mapped to the signal Linux would deliver for them.
export const SIGTRAP = 5, SIGBUS = 7, SIGFPE = 8, SIGILL = 4, SIGSEGV = 11;
/** Emulator only: the run hit its instruction budget (a wrong length or a branch went astray). */
export const SIG_BUDGET = 1001;
/** Emulator only: the CPU threw a host exception (a JS error: an emulator bug). */
export const SIG_CRASH = 1002;

export function signalName(s: number, fpe: string): string {
  switch (s) {
    case 0: return 'none';
    case SIGTRAP: return 'SIGTRAP';
    case SIGBUS: return 'SIGBUS';
    case SIGFPE: return `SIGFPE (${fpe})`;
    case SIGILL: return 'SIGILL (#UD)';
    case SIGSEGV: return 'SIGSEGV (#GP/#PF)';
    case SIG_BUDGET: return 'emulator: instruction budget exhausted';
    case SIG_CRASH: return 'emulator: host exception';
    default: return s >= 1000 ? `emulator: vector ${s - 1000}` : `signal ${s}`;
  }
}

// --- the native harness ----------------------------------------------------------------------

const here = path.dirname(fileURLToPath(import.meta.url));

/** The harness source: beside this file in the source tree (also when running from dist/). */
function harnessSource(): string {
  for (const dir of [here, path.join(here, '..', '..', '..', 'test', 'insn')]) {
    const p = path.join(dir, 'harness.c');
    try { readFileSync(p); return p; } catch { /* try the next */ }
  }
  throw new Error(`harness.c not found near ${here}`);
}

/** Whether the native side can run here: an x86-64 Linux host with gcc. */
export function nativeAvailable(): { ok: boolean; reason: string } {
  if (process.arch !== 'x64' || process.platform !== 'linux') return { ok: false, reason: `host is ${process.platform}/${process.arch}, not linux/x64` };
  const r = spawnSync('gcc', ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return { ok: false, reason: 'gcc not found' };
  return { ok: true, reason: '' };
}

/** Builds the harness for layout L in a temporary directory and runs every input record in one process; returns the output records. */
export function runNative(L: Layout, input: Uint8Array): Buffer {
  const dir = mkdtempSync(path.join(tmpdir(), 'tsvisor-insn-'));
  try {
    const bin = path.join(dir, 'harness');
    const cc = spawnSync('gcc', ['-O2', '-Wall', ...L.defines, '-o', bin, harnessSource()], { encoding: 'utf8' });
    if (cc.status !== 0) throw new Error(`gcc failed to build the native harness:\n${cc.stderr}`);
    const n = input.length / L.inRecord;
    const r = spawnSync(bin, [], { input, maxBuffer: n * L.outRecord + (1 << 20), timeout: 300_000 });
    if (r.error) throw r.error;
    if (r.status !== 0) throw new Error(`native harness exited with ${r.status ?? r.signal}: ${r.stderr.toString()}`);
    if (r.stdout.length !== n * L.outRecord) throw new Error(`native harness returned ${r.stdout.length} bytes for ${n} cases`);
    return r.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// --- the emulator ----------------------------------------------------------------------------

/**
 * One Cpu and one address space, reused for every case: only code, registers and memory change.
 * Runs the shared part of the records; a suite with more state overrides loadState/storeState.
 */
export class Emulator {
  readonly phys = new PhysicalMemory(1 << 20);
  readonly table = new FlatPageTable();
  readonly mmu: Mmu;
  readonly regs = new RegisterFile();
  readonly code: CodeCache;
  readonly cpu: Cpu;
  /** Message of the last host exception (SIG_CRASH), page fault or exception detail. */
  crash = '';
  private readonly codeBuf = new Uint8Array(MAX_CODE + 1);
  private readonly zoneLo = Uint8Array.from({ length: ZONE }, (_, k) => (k * 37 + 11) & 0xff);
  private readonly zoneHi = Uint8Array.from({ length: ZONE }, (_, k) => (k * 53 + 29) & 0xff);

  /** compiled: every case runs through the block compiler instead of the interpreter loop. */
  constructor(readonly layout: Layout, compiled = false) {
    for (let k = 0; k < CODE_SIZE / 4096; k++) this.table.set(CODE_ADDR / 4096 + k, 1 + k, Perm.READ | Perm.WRITE | Perm.EXEC);
    for (let k = 0; k < DATA_SIZE / 4096; k++) this.table.set(DATA_ADDR / 4096 + k, 8 + k, Perm.READ | Perm.WRITE);
    this.mmu = new Mmu(this.phys, this.table);
    this.regs.reset();
    this.code = new CodeCache(this.phys);
    this.cpu = new Cpu(this.regs, this.mmu, this.code);
    if (compiled) this.cpu.compileAfter = 0;
  }

  /** Loads the suite's own part of the input record (after the scratch block). */
  protected loadState(_iv: DataView): void { /* the base records have none */ }
  /** Stores the suite's own part of the output record. */
  protected storeState(_ov: DataView): void { /* the base records have none */ }

  /** Runs input record `k` of `input`, writing output record `k` of `out`. */
  run(input: Uint8Array, k: number, out: Uint8Array): void {
    const L = this.layout;
    const iv = new DataView(input.buffer, input.byteOffset + k * L.inRecord, L.inRecord);
    const ov = new DataView(out.buffer, out.byteOffset + k * L.outRecord, L.outRecord);
    const len = iv.getUint8(0);
    const start = CODE_ADDR + iv.getUint16(2, true);
    const code = this.codeBuf.subarray(0, len + 1);
    for (let b = 0; b < len; b++) code[b] = iv.getUint8(HEADER + b);
    code[len] = 0xcc; // int3: stops the CPU and leaves every register alone
    this.mmu.writeBytesFrom(start, code); // through the MMU, so decoded code of the page is dropped
    const r = this.regs.i32;
    for (let g = 0; g < 32; g++) r[g] = iv.getInt32(IN_GPR + 4 * g, true);
    r[Slot.RFLAGS] = (iv.getUint32(IN_FLAGS, true) & FLAGS_MASK) | 0x202;
    r[Slot.FLAGS_OP] = 0;
    this.regs.rip = start;
    const mem = input.byteOffset + k * L.inRecord + IN_MEM;
    this.mmu.writeBytesFrom(SCRATCH_ADDR, new Uint8Array(input.buffer, mem, L.memSize));
    this.mmu.writeBytesFrom(DATA_ADDR, this.zoneLo);
    this.mmu.writeBytesFrom(DATA_ADDR + DATA_SIZE - ZONE, this.zoneHi);
    this.loadState(iv);

    let signal = 0;
    let faultAddr = 0;
    try {
      const stop = this.cpu.run(100);
      const ex = this.cpu.exception;
      if (stop === StopReason.EXCEPTION && ex !== null) {
        if (ex.vector === 3) signal = this.regs.rip === start + len ? 0 : SIGTRAP;
        else if (ex.vector === 0 || ex.vector === 16) signal = SIGFPE; // #DE, #MF
        else if (ex.vector === 6) signal = SIGILL;
        else if (ex.vector === 13) signal = SIGSEGV;
        else if (ex.vector === 17) signal = SIGBUS;
        else signal = 1000 + ex.vector;
        if (ex.vector !== 3 && ex.detail) this.crash = ex.detail;
      } else if (stop === StopReason.FAULT) {
        signal = SIGSEGV;
        const f = this.cpu.fault as PageFault | null;
        faultAddr = f ? f.addr : 0;
        this.crash = f ? `page fault at 0x${f.addr.toString(16)} (${['read', 'write', 'exec'][f.access]})` : 'page fault';
      } else if (stop === StopReason.BUDGET) {
        signal = SIG_BUDGET;
      } else {
        signal = 1000 + 100 + stop;
      }
    } catch (e) {
      signal = SIG_CRASH;
      this.crash = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      try { this.cpu.syncOut(); } catch { /* the state is reported as it is */ }
    }
    ov.setUint32(0, signal, true);
    ov.setUint32(4, 0, true);
    ov.setUint32(OUT_RIP, r[Slot.RIP] >>> 0, true);
    ov.setUint32(OUT_RIP + 4, r[Slot.RIP + 1] >>> 0, true);
    ov.setBigUint64(OUT_FAULT, BigInt.asUintN(64, BigInt(Math.trunc(faultAddr))), true);
    for (let g = 0; g < 32; g++) ov.setInt32(OUT_GPR + 4 * g, r[g], true);
    ov.setUint32(OUT_FLAGS, (r[Slot.RFLAGS] >>> 0) & FLAGS_MASK, true);
    ov.setUint32(OUT_FLAGS + 4, 0, true);
    this.mmu.readBytes(SCRATCH_ADDR, new Uint8Array(out.buffer, out.byteOffset + k * L.outRecord + OUT_MEM, L.memSize));
    this.storeState(ov);
  }
}

// --- comparison ------------------------------------------------------------------------------

/** One difference between the native and the emulated result; `field` names it for grouping. */
export interface Diff { field: string; text: string }

export function hex64(v: DataView, at: number): string {
  return v.getUint32(at + 4, true).toString(16).padStart(8, '0') + v.getUint32(at, true).toString(16).padStart(8, '0');
}

export function flagList(f: number): string {
  return FLAG_NAMES.filter(([b]) => f & b).map(([, n]) => n).join(' ') || '-';
}

function same64(a: DataView, b: DataView, at: number): boolean {
  return a.getUint32(at, true) === b.getUint32(at, true) && a.getUint32(at + 4, true) === b.getUint32(at + 4, true);
}

/**
 * The comparison of case k, part by part: each part adds the differences it finds outside what
 * it is told to leave out. When the native run faulted, the state at the fault is compared with
 * no masks but the flags undefined at a fault (the faulting instruction must not have changed
 * anything).
 */
export class Comparison {
  readonly iv: DataView;
  readonly nv: DataView;
  readonly ev: DataView;
  readonly diffs: Diff[] = [];
  readonly faulted: boolean;

  constructor(readonly layout: Layout, input: Uint8Array, nat: Uint8Array, emu: Uint8Array, k: number) {
    const L = layout;
    this.iv = new DataView(input.buffer, input.byteOffset + k * L.inRecord, L.inRecord);
    this.nv = new DataView(nat.buffer, nat.byteOffset + k * L.outRecord, L.outRecord);
    this.ev = new DataView(emu.buffer, emu.byteOffset + k * L.outRecord, L.outRecord);
    this.faulted = this.nv.getUint32(0, true) !== 0;
  }

  add(field: string, text: string): void { this.diffs.push({ field, text }); }

  /** The exception raised (or none) and where the snippet stopped. */
  stop(): this {
    const { nv, ev } = this;
    const nsig = nv.getUint32(0, true), esig = ev.getUint32(0, true);
    if (nsig !== esig) this.add('exception', `exception: native ${signalName(nsig, this.layout.fpe)}, emulator ${signalName(esig, this.layout.fpe)}`);
    if (!same64(nv, ev, OUT_RIP)) this.add('rip', `rip: native ${hex64(nv, OUT_RIP)} emulator ${hex64(ev, OUT_RIP)}`);
    return this;
  }

  /** si_addr, when both raised SIGSEGV. */
  faultAddress(): this {
    const { nv, ev } = this;
    if (nv.getUint32(0, true) === SIGSEGV && ev.getUint32(0, true) === SIGSEGV && !same64(nv, ev, OUT_FAULT)) {
      this.add('fault address', `fault address (si_addr): native ${hex64(nv, OUT_FAULT)} emulator ${hex64(ev, OUT_FAULT)}`);
    }
    return this;
  }

  /** The GPRs but those in `undef` (bit n = register n). */
  gprs(undef: number): this {
    const { iv, nv, ev } = this;
    const mask = this.faulted ? 0 : undef;
    for (let g = 0; g < 16; g++) {
      if (mask & (1 << g)) continue;
      const at = OUT_GPR + 8 * g;
      if (!same64(nv, ev, at)) this.add(GPR_NAMES[g], `${GPR_NAMES[g]}: in ${hex64(iv, IN_GPR + 8 * g)} native ${hex64(nv, at)} emulator ${hex64(ev, at)}`);
    }
    return this;
  }

  /** The FLAGS_MASK flags but those undefined (`undef`, or `faultUndef` when the native run faulted), reported as `label`. */
  flags(label: string, undef: number, faultUndef: number): this {
    const { iv, nv, ev } = this;
    const masked = this.faulted ? faultUndef : undef;
    const fmask = FLAGS_MASK & ~masked;
    const nf = nv.getUint32(OUT_FLAGS, true) & fmask, ef = ev.getUint32(OUT_FLAGS, true) & fmask;
    if (nf !== ef) {
      this.add(label, `${label}: in [${flagList(iv.getUint32(IN_FLAGS, true) & FLAGS_MASK)}] native [${flagList(nf)}] emulator [${flagList(ef)}] differ in ${flagList(nf ^ ef)}` +
        (masked ? ` (masked: ${flagList(masked)})` : ''));
    }
    return this;
  }

  /** The scratch block but the bytes in `undef` (bit n = byte n). */
  memory(undef: bigint): this {
    const { iv, nv, ev } = this;
    const size = this.layout.memSize;
    const mask = this.faulted ? 0n : undef;
    const bad: number[] = [];
    for (let b = 0; b < size; b++) {
      if (mask !== 0n && (mask >> BigInt(b)) & 1n) continue;
      if (nv.getUint8(OUT_MEM + b) !== ev.getUint8(OUT_MEM + b)) bad.push(b);
    }
    if (bad.length) {
      const lo = bad[0] & ~7, hi = Math.min(size, (bad[bad.length - 1] | 7) + 1);
      const dump = (v: DataView, base: number) => Array.from({ length: hi - lo }, (_, j) => v.getUint8(base + lo + j).toString(16).padStart(2, '0')).join(' ');
      this.add('memory', `memory: bytes ${bad.join(',')} differ; scratch+${lo}..${hi}: in ${dump(iv, IN_MEM)} / native ${dump(nv, OUT_MEM)} / emulator ${dump(ev, OUT_MEM)}`);
    }
    return this;
  }
}

// --- describing cases ------------------------------------------------------------------------

export function codeOf(L: Layout, input: Uint8Array, k: number): Uint8Array {
  const at = k * L.inRecord;
  return input.subarray(at + HEADER, at + HEADER + input[at]);
}

export function codeAddrOf(L: Layout, input: Uint8Array, k: number): number {
  const at = k * L.inRecord;
  return CODE_ADDR + (input[at + 2] | (input[at + 3] << 8));
}

export function hexBytes(b: Uint8Array | number[]): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');
}

let objdump: boolean | undefined;

/** Disassembles snippets with objdump when it is installed (Intel syntax); null otherwise. */
export function disassemble(snippets: Uint8Array[], addrs: number[]): (string | null)[] {
  const out: (string | null)[] = snippets.map(() => null);
  if (snippets.length === 0) return out;
  if (objdump === undefined) {
    const probe = spawnSync('objdump', ['--version'], { encoding: 'utf8' });
    objdump = !probe.error && probe.status === 0;
  }
  if (!objdump) return out;
  const dir = mkdtempSync(path.join(tmpdir(), 'tsvisor-insn-dis-'));
  try {
    snippets.forEach((code, k) => {
      const f = path.join(dir, `s${k}.bin`);
      writeFileSync(f, code);
      const r = spawnSync('objdump', ['-D', '-b', 'binary', '-m', 'i386:x86-64', '-M', 'intel', `--adjust-vma=0x${addrs[k].toString(16)}`, f], { encoding: 'utf8' });
      if (r.status !== 0) return;
      const lines = r.stdout.split('\n').filter((l) => /^\s+[0-9a-f]+:\t/.test(l))
        .map((l) => { const parts = l.split('\t'); return (parts[2] ?? '').trim().replace(/\s+/g, ' '); })
        .filter((s) => s.length > 0);
      out[k] = lines.join('; ');
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
