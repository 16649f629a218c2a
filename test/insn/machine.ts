// The two machines of the instruction tests and how their results are compared: the host CPU
// (test/insn/native_harness.c, one process per run) and the emulator (vm/, one Cpu and one address
// space reused for every case). Both take the same fixed-size input records and produce the same
// fixed-size output records, so suites for other instruction classes (SSE2, MMX, x87) can reuse
// this file and only add their own generators, masks and, when they need them, record fields.
//
// Layout shared with native_harness.c (keep the two in step):
//   input  record: u8 len, u8 pad, u16 code_off, u8 code[28], u64 gpr[16], u64 rflags, u8 mem[64]
//                  (232 bytes; the snippet runs at CODE_ADDR + code_off)
//   output record: u32 signal, u32 pad, u64 rip, u64 fault_addr, u64 gpr[16], u64 rflags, u8 mem[64]
//                  (224 bytes)
//
// Memory: two code pages at CODE_ADDR (RWX), the data area [DATA_ADDR, DATA_ADDR + DATA_SIZE) (RW)
// with nothing mapped on either side, and in it the 64-byte scratch block, which straddles a page
// boundary so that operands crossing it take the MMU's slow paths.

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
export const MEM_SIZE = 64;
/** The first and last ZONE bytes of the data area are reset before every case (see native_harness.c). */
export const ZONE = 128;
export const MAX_CODE = 28;
export const HEADER = 4;

export const IN_RECORD = HEADER + MAX_CODE + 16 * 8 + 8 + MEM_SIZE;
export const IN_GPR = HEADER + MAX_CODE;
export const IN_FLAGS = IN_GPR + 128;
export const IN_MEM = IN_FLAGS + 8;

export const OUT_RECORD = 8 + 8 + 8 + 16 * 8 + 8 + MEM_SIZE;
export const OUT_RIP = 8;
export const OUT_FAULT = 16;
export const OUT_GPR = 24;
export const OUT_FLAGS = OUT_GPR + 128;
export const OUT_MEM = OUT_FLAGS + 8;

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

export function signalName(s: number): string {
  switch (s) {
    case 0: return 'none';
    case SIGTRAP: return 'SIGTRAP';
    case SIGBUS: return 'SIGBUS';
    case SIGFPE: return 'SIGFPE (#DE)';
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
export function harnessSource(): string {
  for (const dir of [here, path.join(here, '..', '..', '..', 'test', 'insn')]) {
    const p = path.join(dir, 'native_harness.c');
    try { readFileSync(p); return p; } catch { /* try the next */ }
  }
  throw new Error(`native_harness.c not found near ${here}`);
}

export interface NativeTool { ok: boolean; reason: string }

/** Whether the native side can run here: an x86-64 Linux host with gcc. */
export function nativeAvailable(): NativeTool {
  if (process.arch !== 'x64' || process.platform !== 'linux') return { ok: false, reason: `host is ${process.platform}/${process.arch}, not linux/x64` };
  const r = spawnSync('gcc', ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return { ok: false, reason: 'gcc not found' };
  return { ok: true, reason: '' };
}

/** Compiles the harness into a fresh temporary directory; returns the binary and a cleanup. */
export function buildHarness(): { bin: string; dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'tsvisor-insn-'));
  const bin = path.join(dir, 'native_harness');
  const r = spawnSync('gcc', ['-O2', '-Wall', '-o', bin, harnessSource()], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`gcc failed to build the native harness:\n${r.stderr}`);
  return { bin, dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs every input record natively in one process; returns the output records. */
export function runNative(bin: string, input: Uint8Array): Buffer {
  const n = input.length / IN_RECORD;
  const r = spawnSync(bin, [], { input, maxBuffer: n * OUT_RECORD + (1 << 20), timeout: 300_000 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`native harness exited with ${r.status ?? r.signal}: ${r.stderr.toString()}`);
  if (r.stdout.length !== n * OUT_RECORD) throw new Error(`native harness returned ${r.stdout.length} bytes for ${n} cases`);
  return r.stdout;
}

// --- the emulator ----------------------------------------------------------------------------

/** One Cpu and one address space, reused for every case: only code, registers and memory change. */
export class Emulator {
  readonly phys = new PhysicalMemory(1 << 20);
  readonly table = new FlatPageTable();
  readonly mmu: Mmu;
  readonly regs = new RegisterFile();
  readonly code: CodeCache;
  readonly cpu: Cpu;
  /** Message of the last host exception (SIG_CRASH). */
  crash = '';
  private readonly codeBuf = new Uint8Array(MAX_CODE + 1);
  private readonly memBuf = new Uint8Array(MEM_SIZE);
  private readonly zoneLo = Uint8Array.from({ length: ZONE }, (_, k) => (k * 37 + 11) & 0xff);
  private readonly zoneHi = Uint8Array.from({ length: ZONE }, (_, k) => (k * 53 + 29) & 0xff);

  constructor() {
    for (let k = 0; k < CODE_SIZE / 4096; k++) this.table.set(CODE_ADDR / 4096 + k, 1 + k, Perm.READ | Perm.WRITE | Perm.EXEC);
    for (let k = 0; k < DATA_SIZE / 4096; k++) this.table.set(DATA_ADDR / 4096 + k, 8 + k, Perm.READ | Perm.WRITE);
    this.mmu = new Mmu(this.phys, this.table);
    this.regs.reset();
    this.code = new CodeCache(this.phys);
    this.cpu = new Cpu(this.regs, this.mmu, this.code);
    // INSN_COMPILED=1 runs every case through the block compiler instead of the interpreter loop.
    if (process.env.INSN_COMPILED === '1') this.cpu.compileAfter = 0;
  }

  /** Runs input record `k` of `input`, writing output record `k` of `out`. */
  run(input: Uint8Array, k: number, out: Uint8Array): void {
    const iv = new DataView(input.buffer, input.byteOffset + k * IN_RECORD, IN_RECORD);
    const ov = new DataView(out.buffer, out.byteOffset + k * OUT_RECORD, OUT_RECORD);
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
    for (let b = 0; b < MEM_SIZE; b++) this.memBuf[b] = iv.getUint8(IN_MEM + b);
    this.mmu.writeBytesFrom(SCRATCH_ADDR, this.memBuf);
    this.mmu.writeBytesFrom(DATA_ADDR, this.zoneLo);
    this.mmu.writeBytesFrom(DATA_ADDR + DATA_SIZE - ZONE, this.zoneHi);

    let signal = 0;
    let faultAddr = 0;
    try {
      const stop = this.cpu.run(100);
      const ex = this.cpu.exception;
      if (stop === StopReason.EXCEPTION && ex !== null) {
        if (ex.vector === 3) signal = this.regs.rip === start + len ? 0 : SIGTRAP;
        else if (ex.vector === 0) signal = SIGFPE;
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
    ov.setFloat64(OUT_RIP, 0); // cleared, then the exact rip
    ov.setUint32(OUT_RIP, r[Slot.RIP] >>> 0, true);
    ov.setUint32(OUT_RIP + 4, r[Slot.RIP + 1] >>> 0, true);
    ov.setBigUint64(OUT_FAULT, BigInt.asUintN(64, BigInt(Math.trunc(faultAddr))), true);
    for (let g = 0; g < 32; g++) ov.setInt32(OUT_GPR + 4 * g, r[g], true);
    ov.setUint32(OUT_FLAGS, (r[Slot.RFLAGS] >>> 0) & FLAGS_MASK, true);
    ov.setUint32(OUT_FLAGS + 4, 0, true);
    this.mmu.readBytes(SCRATCH_ADDR, this.memBuf);
    for (let b = 0; b < MEM_SIZE; b++) ov.setUint8(OUT_MEM + b, this.memBuf[b]);
  }
}

// --- comparison ------------------------------------------------------------------------------

/** What the SDM leaves undefined for one case (see the mask tables of each suite). */
export interface Masks {
  /** Flags (FLAGS_MASK bits) left undefined when the snippet completes. */
  flags: number;
  /** GPRs (bit n = register n) left undefined. */
  regs: number;
  /** Scratch bytes (bit n = byte n) left undefined. */
  mem: bigint;
  /** Flags undefined when the snippet faults (otherwise the state at a fault is compared unmasked). */
  faultFlags: number;
}

export const NO_MASKS: Masks = { flags: 0, regs: 0, mem: 0n, faultFlags: 0 };

function hex64(v: DataView, at: number): string {
  return v.getUint32(at + 4, true).toString(16).padStart(8, '0') + v.getUint32(at, true).toString(16).padStart(8, '0');
}

function flagList(f: number): string {
  return FLAG_NAMES.filter(([b]) => f & b).map(([, n]) => n).join(' ') || '-';
}

/**
 * Differences between the native and the emulated result of case `k`, outside the masks; empty
 * when they match. When the native run faulted, the state at the fault is compared with only
 * masks.faultFlags (the faulting instruction must not have changed anything).
 */
export function compareCase(input: Uint8Array, nat: Uint8Array, emu: Uint8Array, k: number, masks: Masks): string[] {
  const iv = new DataView(input.buffer, input.byteOffset + k * IN_RECORD, IN_RECORD);
  const nv = new DataView(nat.buffer, nat.byteOffset + k * OUT_RECORD, OUT_RECORD);
  const ev = new DataView(emu.buffer, emu.byteOffset + k * OUT_RECORD, OUT_RECORD);
  const diffs: string[] = [];
  const nsig = nv.getUint32(0, true), esig = ev.getUint32(0, true);
  const faulted = nsig !== 0;
  if (nsig !== esig) diffs.push(`exception: native ${signalName(nsig)}, emulator ${signalName(esig)}`);
  if (nv.getUint32(OUT_RIP, true) !== ev.getUint32(OUT_RIP, true) || nv.getUint32(OUT_RIP + 4, true) !== ev.getUint32(OUT_RIP + 4, true)) {
    diffs.push(`rip: native ${hex64(nv, OUT_RIP)} emulator ${hex64(ev, OUT_RIP)}`);
  }
  if (nsig === SIGSEGV && esig === SIGSEGV && nv.getBigUint64(OUT_FAULT, true) !== ev.getBigUint64(OUT_FAULT, true)) {
    diffs.push(`fault address (si_addr): native ${hex64(nv, OUT_FAULT)} emulator ${hex64(ev, OUT_FAULT)}`);
  }
  const regMask = faulted ? 0 : masks.regs;
  for (let g = 0; g < 16; g++) {
    if (regMask & (1 << g)) continue;
    const at = OUT_GPR + 8 * g;
    if (nv.getUint32(at, true) !== ev.getUint32(at, true) || nv.getUint32(at + 4, true) !== ev.getUint32(at + 4, true)) {
      diffs.push(`${GPR_NAMES[g]}: in ${hex64(iv, IN_GPR + 8 * g)} native ${hex64(nv, at)} emulator ${hex64(ev, at)}`);
    }
  }
  const fmask = FLAGS_MASK & ~(faulted ? masks.faultFlags : masks.flags);
  const nf = nv.getUint32(OUT_FLAGS, true) & fmask, ef = ev.getUint32(OUT_FLAGS, true) & fmask;
  if (nf !== ef) {
    diffs.push(`flags: in [${flagList(iv.getUint32(IN_FLAGS, true) & FLAGS_MASK)}] native [${flagList(nf)}] emulator [${flagList(ef)}] differ in ${flagList(nf ^ ef)}` +
      ((faulted ? masks.faultFlags : masks.flags) ? ` (masked: ${flagList(faulted ? masks.faultFlags : masks.flags)})` : ''));
  }
  const memMask = faulted ? 0n : masks.mem;
  const bad: number[] = [];
  for (let b = 0; b < MEM_SIZE; b++) {
    if ((memMask >> BigInt(b)) & 1n) continue;
    if (nv.getUint8(OUT_MEM + b) !== ev.getUint8(OUT_MEM + b)) bad.push(b);
  }
  if (bad.length) {
    const lo = bad[0] & ~7, hi = Math.min(MEM_SIZE, (bad[bad.length - 1] | 7) + 1);
    const dump = (v: DataView, base: number) => Array.from({ length: hi - lo }, (_, j) => v.getUint8(base + lo + j).toString(16).padStart(2, '0')).join(' ');
    diffs.push(`memory: bytes ${bad.join(',')} differ; scratch+${lo}..${hi}: in ${dump(iv, IN_MEM)} / native ${dump(nv, OUT_MEM)} / emulator ${dump(ev, OUT_MEM)}`);
  }
  return diffs;
}

export function codeOf(input: Uint8Array, k: number): Uint8Array {
  const at = k * IN_RECORD;
  return input.subarray(at + HEADER, at + HEADER + input[at]);
}

export function codeAddrOf(input: Uint8Array, k: number): number {
  const at = k * IN_RECORD;
  return CODE_ADDR + (input[at + 2] | (input[at + 3] << 8));
}

export function hexBytes(b: Uint8Array | number[]): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');
}

/** Disassembles snippets with objdump when it is installed (Intel syntax); null otherwise. */
export function disassemble(snippets: Uint8Array[], addrs: number[]): (string | null)[] {
  const out: (string | null)[] = snippets.map(() => null);
  if (snippets.length === 0) return out;
  const probe = spawnSync('objdump', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return out;
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
