// The two machines of the x87 instruction test and how their results are compared: the host CPU
// (test/insn/x87_harness.c, one process per run, x87 state loaded with fxrstor and dumped with
// fxsave around the snippet) and the emulator (vm/, one Cpu reused for every case, the x87 state
// set and read in the register file slots directly). Derived from test/insn/machine.ts, whose
// records have no x87 state and a 64-byte scratch block; here the scratch block is 192 bytes so
// that fnsave (108 bytes) and the x87 part of an fxsave image (160 bytes) fit in it.
//
// Layout shared with x87_harness.c (keep the two in step):
//   input  record (448 bytes): u8 len, u8 pad, u16 code_off, u8 code[28]; u64 gpr[16]; u64 rflags;
//          u8 mem[192]; u16 fcw, u16 fsw, u8 ftw (abridged), u8 pad[3]; u8 st[8][10] (ST(i) order)
//   output record (448 bytes): u32 signal, u32 pad; u64 rip; u64 fault_addr; u64 gpr[16];
//          u64 rflags; u8 mem[192]; u16 fcw, u16 fsw, u8 ftw, u8 pad, u16 fop, u32 mxcsr, u32 pad;
//          u8 st[8][10] (ST(i) order, relative to the final TOP)

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
export const X_MEM_SIZE = 192;
export const MAX_CODE = 28;
export const HEADER = 4;

export const X_IN_RECORD = 448;
export const IN_GPR = 32;
export const IN_FLAGS = 160;
export const IN_MEM = 168;
export const IN_X87 = 360;
export const IN_ST = 368;

export const X_OUT_RECORD = 448;
export const OUT_RIP = 8;
export const OUT_FAULT = 16;
export const OUT_GPR = 24;
export const OUT_FLAGS = 152;
export const OUT_MEM = 160;
export const OUT_X87 = 352;
export const OUT_ST = 368;

export const CF = 0x1, PF = 0x4, AF = 0x10, ZF = 0x40, SF = 0x80, DF = 0x400, OF = 0x800;
export const FLAGS_MASK = CF | PF | AF | ZF | SF | OF | DF;
export const FLAG_NAMES: [number, string][] = [[CF, 'CF'], [PF, 'PF'], [AF, 'AF'], [ZF, 'ZF'], [SF, 'SF'], [DF, 'DF'], [OF, 'OF']];
export const GPR_NAMES = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];

// x87 status word bits
export const IE = 0x1, DE = 0x2, ZE = 0x4, OE = 0x8, UE = 0x10, PE = 0x20, SW_SF = 0x40, ES = 0x80;
export const C0 = 0x100, C1 = 0x200, C2 = 0x400, C3 = 0x4000, TOP_MASK = 0x3800, BUSY = 0x8000;
export const FSW_NAMES: [number, string][] = [
  [IE, 'IE'], [DE, 'DE'], [ZE, 'ZE'], [OE, 'OE'], [UE, 'UE'], [PE, 'PE'], [SW_SF, 'SF'], [ES, 'ES'],
  [C0, 'C0'], [C1, 'C1'], [C2, 'C2'], [C3, 'C3'], [BUSY, 'B'],
];

export const SIGTRAP = 5, SIGBUS = 7, SIGFPE = 8, SIGILL = 4, SIGSEGV = 11;
export const SIG_BUDGET = 1001;
export const SIG_CRASH = 1002;

export function signalName(s: number): string {
  switch (s) {
    case 0: return 'none';
    case SIGTRAP: return 'SIGTRAP';
    case SIGBUS: return 'SIGBUS';
    case SIGFPE: return 'SIGFPE (#MF/#DE)';
    case SIGILL: return 'SIGILL (#UD)';
    case SIGSEGV: return 'SIGSEGV (#GP/#PF)';
    case SIG_BUDGET: return 'emulator: instruction budget exhausted';
    case SIG_CRASH: return 'emulator: host exception';
    default: return s >= 1000 ? `emulator: vector ${s - 1000}` : `signal ${s}`;
  }
}

// --- the native harness ----------------------------------------------------------------------

const here = path.dirname(fileURLToPath(import.meta.url));

export function harnessSource(): string {
  for (const dir of [here, path.join(here, '..', '..', '..', 'test', 'insn')]) {
    const p = path.join(dir, 'x87_harness.c');
    try { readFileSync(p); return p; } catch { /* try the next */ }
  }
  throw new Error(`x87_harness.c not found near ${here}`);
}

export function nativeAvailable(): { ok: boolean; reason: string } {
  if (process.arch !== 'x64' || process.platform !== 'linux') return { ok: false, reason: `host is ${process.platform}/${process.arch}, not linux/x64` };
  const r = spawnSync('gcc', ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return { ok: false, reason: 'gcc not found' };
  return { ok: true, reason: '' };
}

export function buildHarness(): { bin: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'tsvisor-x87-'));
  const bin = path.join(dir, 'x87_harness');
  const r = spawnSync('gcc', ['-O2', '-Wall', '-o', bin, harnessSource()], { encoding: 'utf8' });
  if (r.status !== 0) { rmSync(dir, { recursive: true, force: true }); throw new Error(`gcc failed to build the x87 harness:\n${r.stderr}`); }
  return { bin, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function runNative(bin: string, input: Uint8Array): Buffer {
  const n = input.length / X_IN_RECORD;
  const r = spawnSync(bin, [], { input, maxBuffer: n * X_OUT_RECORD + (1 << 20), timeout: 120_000 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`x87 harness exited with ${r.status ?? r.signal}: ${r.stderr.toString()}`);
  if (r.stdout.length !== n * X_OUT_RECORD) throw new Error(`x87 harness returned ${r.stdout.length} bytes for ${n} cases`);
  return r.stdout;
}

// --- the emulator ----------------------------------------------------------------------------

export class X87Emulator {
  readonly phys = new PhysicalMemory(1 << 20);
  readonly table = new FlatPageTable();
  readonly mmu: Mmu;
  readonly regs = new RegisterFile();
  readonly code: CodeCache;
  readonly cpu: Cpu;
  crash = '';
  private readonly codeBuf = new Uint8Array(MAX_CODE + 1);
  private readonly memBuf = new Uint8Array(X_MEM_SIZE);

  constructor() {
    for (let k = 0; k < CODE_SIZE / 4096; k++) this.table.set(CODE_ADDR / 4096 + k, 1 + k, Perm.READ | Perm.WRITE | Perm.EXEC);
    for (let k = 0; k < DATA_SIZE / 4096; k++) this.table.set(DATA_ADDR / 4096 + k, 8 + k, Perm.READ | Perm.WRITE);
    this.mmu = new Mmu(this.phys, this.table);
    this.regs.reset();
    this.code = new CodeCache(this.phys);
    this.cpu = new Cpu(this.regs, this.mmu, this.code);
  }

  run(input: Uint8Array, k: number, out: Uint8Array): void {
    const iv = new DataView(input.buffer, input.byteOffset + k * X_IN_RECORD, X_IN_RECORD);
    const ov = new DataView(out.buffer, out.byteOffset + k * X_OUT_RECORD, X_OUT_RECORD);
    const len = iv.getUint8(0);
    const start = CODE_ADDR + iv.getUint16(2, true);
    const code = this.codeBuf.subarray(0, len + 1);
    for (let b = 0; b < len; b++) code[b] = iv.getUint8(HEADER + b);
    code[len] = 0xcc; // int3 stops the CPU
    this.mmu.writeBytesFrom(start, code);
    const r = this.regs.i32;
    for (let g = 0; g < 32; g++) r[g] = iv.getInt32(IN_GPR + 4 * g, true);
    r[Slot.RFLAGS] = (iv.getUint32(IN_FLAGS, true) & FLAGS_MASK) | 0x202;
    r[Slot.FLAGS_OP] = 0;
    this.regs.rip = start;
    for (let b = 0; b < X_MEM_SIZE; b++) this.memBuf[b] = iv.getUint8(IN_MEM + b);
    this.mmu.writeBytesFrom(SCRATCH_ADDR, this.memBuf);
    // the x87 state, as fxrstor would load it
    const fsw = iv.getUint16(IN_X87 + 2, true);
    r[Slot.FCW] = iv.getUint16(IN_X87, true);
    r[Slot.FSW] = fsw;
    r[Slot.FTW] = iv.getUint8(IN_X87 + 4);
    r[Slot.FOP] = 0;
    r[Slot.MXCSR] = 0x1f80;
    const top = (fsw >> 11) & 7;
    for (let i = 0; i < 8; i++) {
      const s = Slot.ST + 4 * ((top + i) & 7);
      r[s] = iv.getInt32(IN_ST + 10 * i, true);
      r[s + 1] = iv.getInt32(IN_ST + 10 * i + 4, true);
      r[s + 2] = iv.getUint16(IN_ST + 10 * i + 8, true);
      r[s + 3] = 0;
    }
    for (let q = 0; q < 64; q++) this.regs.xi32[q] = 0;

    let signal = 0;
    let faultAddr = 0;
    try {
      const stop = this.cpu.run(100);
      const ex = this.cpu.exception;
      if (stop === StopReason.EXCEPTION && ex !== null) {
        if (ex.vector === 3) signal = this.regs.rip === start + len ? 0 : SIGTRAP;
        else if (ex.vector === 0 || ex.vector === 16) signal = SIGFPE;
        else if (ex.vector === 6) signal = SIGILL;
        else if (ex.vector === 13) signal = SIGSEGV;
        else if (ex.vector === 17) signal = SIGBUS;
        else signal = 1000 + ex.vector;
        if (ex.vector !== 3 && ex.detail) this.crash = ex.detail;
      } else if (stop === StopReason.FAULT) {
        signal = SIGSEGV;
        const f = this.cpu.fault as PageFault | null;
        faultAddr = f ? f.addr : 0;
        this.crash = f ? `page fault at 0x${f.addr.toString(16)}` : 'page fault';
      } else if (stop === StopReason.BUDGET) {
        signal = SIG_BUDGET;
      } else {
        signal = 1000 + 100 + stop;
      }
    } catch (e) {
      signal = SIG_CRASH;
      this.crash = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      try { this.cpu.syncOut(); } catch { /* reported as it is */ }
    }
    ov.setUint32(0, signal, true);
    ov.setUint32(4, 0, true);
    ov.setUint32(OUT_RIP, r[Slot.RIP] >>> 0, true);
    ov.setUint32(OUT_RIP + 4, r[Slot.RIP + 1] >>> 0, true);
    ov.setBigUint64(OUT_FAULT, BigInt.asUintN(64, BigInt(Math.trunc(faultAddr))), true);
    for (let g = 0; g < 32; g++) ov.setInt32(OUT_GPR + 4 * g, r[g], true);
    ov.setUint32(OUT_FLAGS, (r[Slot.RFLAGS] >>> 0) & FLAGS_MASK, true);
    ov.setUint32(OUT_FLAGS + 4, 0, true);
    this.mmu.readBytes(SCRATCH_ADDR, this.memBuf);
    for (let b = 0; b < X_MEM_SIZE; b++) ov.setUint8(OUT_MEM + b, this.memBuf[b]);
    const ofsw = r[Slot.FSW] & 0xffff;
    ov.setUint16(OUT_X87, r[Slot.FCW] & 0xffff, true);
    ov.setUint16(OUT_X87 + 2, ofsw, true);
    ov.setUint8(OUT_X87 + 4, r[Slot.FTW] & 0xff);
    ov.setUint8(OUT_X87 + 5, 0);
    ov.setUint16(OUT_X87 + 6, r[Slot.FOP] & 0xffff, true);
    ov.setUint32(OUT_X87 + 8, r[Slot.MXCSR] >>> 0, true);
    ov.setUint32(OUT_X87 + 12, 0, true);
    const otop = (ofsw >> 11) & 7;
    for (let i = 0; i < 8; i++) {
      const s = Slot.ST + 4 * ((otop + i) & 7);
      ov.setInt32(OUT_ST + 10 * i, r[s], true);
      ov.setInt32(OUT_ST + 10 * i + 4, r[s + 1], true);
      ov.setUint16(OUT_ST + 10 * i + 8, r[s + 2] & 0xffff, true);
    }
  }
}

// --- values ----------------------------------------------------------------------------------

/** An 80-bit value: sign|exponent and the 64-bit significand. */
export interface F80 { se: number; mant: bigint }

export function readF80(v: DataView, at: number): F80 {
  return { se: v.getUint16(at + 8, true), mant: v.getBigUint64(at, true) };
}

/** "+1.5*2^3 [4002:c000000000000000]" and the like. */
export function showF80(x: F80): string {
  const raw = `${x.se.toString(16).padStart(4, '0')}:${x.mant.toString(16).padStart(16, '0')}`;
  const sign = x.se & 0x8000 ? '-' : '+';
  const e = x.se & 0x7fff;
  const j = x.mant >> 63n;
  const frac = x.mant & ((1n << 63n) - 1n);
  let what: string;
  if (e === 0x7fff) {
    if (j === 0n) what = frac === 0n ? 'pseudo-inf' : 'pseudo-NaN';
    else if (frac === 0n) what = `${sign}inf`;
    else if (x.se === 0xffff && x.mant === 0xc000000000000000n) what = 'indefinite';
    else what = `${sign}${(frac >> 62n) ? 'QNaN' : 'SNaN'}`;
  } else if (e === 0) {
    if (x.mant === 0n) what = `${sign}0`;
    else what = `${sign}${j ? 'pseudo-denormal' : 'denormal'} ${Number(x.mant) / 2 ** 63}*2^-16382`;
  } else if (j === 0n) {
    what = `unnormal ${sign}${Number(x.mant) / 2 ** 63}*2^${e - 16383}`;
  } else {
    const m = Number(x.mant) / 2 ** 63;
    const ex = e - 16383;
    what = Math.abs(ex) < 1000 ? `${sign}${m * 2 ** ex}` : `${sign}${m}*2^${ex}`;
  }
  return `${what} [${raw}]`;
}

/** Position of a finite value on the line of 80-bit encodings (for ulp distances), or null. */
function ordinal(x: F80): bigint | null {
  const e = x.se & 0x7fff;
  if (e === 0x7fff) return null;
  if (e !== 0 && (x.mant >> 63n) === 0n) return null; // unnormal
  const mag = e === 0 ? x.mant : (BigInt(e) << 63n) + (x.mant & ((1n << 63n) - 1n));
  return x.se & 0x8000 ? -mag : mag;
}

/** Ulps between two values, or null when they are not both finite. */
export function ulpDistance(a: F80, b: F80): bigint | null {
  const oa = ordinal(a), ob = ordinal(b);
  if (oa === null || ob === null) return null;
  const d = oa - ob;
  return d < 0n ? -d : d;
}

// --- comparison ------------------------------------------------------------------------------

export interface X87Masks {
  /** FSW bits left undefined (condition codes). */
  fsw: number;
  /** Scratch bytes left undefined (bit n = byte n). */
  mem: bigint;
  /** GPRs left undefined. */
  regs: number;
  /** ST(i) registers (bit i, relative to the final TOP) compared within `ulps`. */
  approx: number;
  ulps: number;
  /** Bits of FSW compared only when the approximate registers match bit for bit. */
  approxFsw: number;
}

export const NO_X87_MASKS: X87Masks = { fsw: 0, mem: 0n, regs: 0, approx: 0, ulps: 0, approxFsw: 0 };

export interface Diff { field: string; text: string }

function hex64(v: DataView, at: number): string {
  return v.getUint32(at + 4, true).toString(16).padStart(8, '0') + v.getUint32(at, true).toString(16).padStart(8, '0');
}

export function flagList(f: number): string {
  return FLAG_NAMES.filter(([b]) => f & b).map(([, n]) => n).join(' ') || '-';
}

export function fswList(w: number): string {
  return `${FSW_NAMES.filter(([b]) => w & b).map(([, n]) => n).join(' ') || '-'} TOP=${(w >> 11) & 7}`;
}

/** The abridged tags as "ST(i)" validity, relative to TOP: "vv-....." */
export function tagString(ftw: number, top: number): string {
  let s = '';
  for (let i = 0; i < 8; i++) s += (ftw >> ((top + i) & 7)) & 1 ? 'v' : '-';
  return s;
}

export function compareX87(input: Uint8Array, nat: Uint8Array, emu: Uint8Array, k: number, m: X87Masks): Diff[] {
  const iv = new DataView(input.buffer, input.byteOffset + k * X_IN_RECORD, X_IN_RECORD);
  const nv = new DataView(nat.buffer, nat.byteOffset + k * X_OUT_RECORD, X_OUT_RECORD);
  const ev = new DataView(emu.buffer, emu.byteOffset + k * X_OUT_RECORD, X_OUT_RECORD);
  const diffs: Diff[] = [];
  const nsig = nv.getUint32(0, true), esig = ev.getUint32(0, true);
  const faulted = nsig !== 0;
  if (nsig !== esig) diffs.push({ field: 'exception', text: `exception: native ${signalName(nsig)}, emulator ${signalName(esig)}` });
  if (nv.getBigUint64(OUT_RIP, true) !== ev.getBigUint64(OUT_RIP, true)) {
    diffs.push({ field: 'rip', text: `rip: native ${hex64(nv, OUT_RIP)} emulator ${hex64(ev, OUT_RIP)}` });
  }
  const regMask = faulted ? 0 : m.regs;
  for (let g = 0; g < 16; g++) {
    if (regMask & (1 << g)) continue;
    const at = OUT_GPR + 8 * g;
    if (nv.getBigUint64(at, true) !== ev.getBigUint64(at, true)) {
      diffs.push({ field: GPR_NAMES[g], text: `${GPR_NAMES[g]}: in ${hex64(iv, IN_GPR + 8 * g)} native ${hex64(nv, at)} emulator ${hex64(ev, at)}` });
    }
  }
  const nf = nv.getUint32(OUT_FLAGS, true) & FLAGS_MASK, ef = ev.getUint32(OUT_FLAGS, true) & FLAGS_MASK;
  if (nf !== ef) {
    diffs.push({ field: 'eflags', text: `eflags: in [${flagList(iv.getUint32(IN_FLAGS, true) & FLAGS_MASK)}] native [${flagList(nf)}] emulator [${flagList(ef)}]` });
  }
  const memMask = faulted ? 0n : m.mem;
  const bad: number[] = [];
  for (let b = 0; b < X_MEM_SIZE; b++) {
    if ((memMask >> BigInt(b)) & 1n) continue;
    if (nv.getUint8(OUT_MEM + b) !== ev.getUint8(OUT_MEM + b)) bad.push(b);
  }
  if (bad.length) {
    const lo = bad[0] & ~7, hi = Math.min(X_MEM_SIZE, (bad[bad.length - 1] | 7) + 1);
    const dump = (v: DataView, base: number) => Array.from({ length: hi - lo }, (_, j) => v.getUint8(base + lo + j).toString(16).padStart(2, '0')).join(' ');
    diffs.push({ field: 'memory', text: `memory: bytes ${bad.join(',')} differ; scratch+${lo}..${hi}: in ${dump(iv, IN_MEM)} / native ${dump(nv, OUT_MEM)} / emulator ${dump(ev, OUT_MEM)}` });
  }
  // x87
  const ncw = nv.getUint16(OUT_X87, true), ecw = ev.getUint16(OUT_X87, true);
  if (ncw !== ecw) diffs.push({ field: 'fcw', text: `fcw: in ${iv.getUint16(IN_X87, true).toString(16)} native ${ncw.toString(16)} emulator ${ecw.toString(16)}` });
  const nsw = nv.getUint16(OUT_X87 + 2, true), esw = ev.getUint16(OUT_X87 + 2, true);
  const ntag = nv.getUint8(OUT_X87 + 4), etag = ev.getUint8(OUT_X87 + 4);
  const ntop = (nsw >> 11) & 7;
  // registers: those valid natively, by ST(i)
  let approxExact = true;
  const regDiffs: Diff[] = [];
  for (let i = 0; i < 8; i++) {
    if (!((ntag >> ((ntop + i) & 7)) & 1)) continue;
    const a = readF80(nv, OUT_ST + 10 * i), b = readF80(ev, OUT_ST + 10 * i);
    if (a.se === b.se && a.mant === b.mant) continue;
    if (!faulted && (m.approx >> i) & 1) {
      approxExact = false;
      const d = ulpDistance(a, b);
      if (d !== null && d <= BigInt(m.ulps) && (a.se & 0x8000) === (b.se & 0x8000)) continue;
      regDiffs.push({ field: `st(${i})>${m.ulps}ulp`, text: `st(${i}): native ${showF80(a)} emulator ${showF80(b)}${d !== null ? ` (${d} ulps apart)` : ''}` });
      continue;
    }
    regDiffs.push({ field: `st(${i})`, text: `st(${i}): native ${showF80(a)} emulator ${showF80(b)}` });
  }
  let swMask = faulted ? 0 : m.fsw;
  if (!approxExact) swMask |= m.approxFsw;
  const swCmp = 0xffff & ~swMask;
  if ((nsw & swCmp) !== (esw & swCmp)) {
    const d = (nsw ^ esw) & swCmp;
    const parts = FSW_NAMES.filter(([b]) => d & b).map(([, n]) => n);
    if (d & TOP_MASK) parts.push('TOP');
    diffs.push({
      field: `fsw.${parts.join('.')}`,
      text: `fsw: in ${fswList(iv.getUint16(IN_X87 + 2, true))} native ${fswList(nsw)} emulator ${fswList(esw)}; differ in ${parts.join(' ')}` +
        (swMask ? ` (masked ${FSW_NAMES.filter(([b]) => swMask & b).map(([, n]) => n).join(' ')})` : ''),
    });
  }
  if (ntag !== etag) {
    diffs.push({ field: 'ftw', text: `tags (ST0..7): in ${tagString(iv.getUint8(IN_X87 + 4), (iv.getUint16(IN_X87 + 2, true) >> 11) & 7)} native ${tagString(ntag, ntop)} emulator ${tagString(etag, (esw >> 11) & 7)}` });
  }
  diffs.push(...regDiffs);
  return diffs;
}

export function codeOf(input: Uint8Array, k: number): Uint8Array {
  const at = k * X_IN_RECORD;
  return input.subarray(at + HEADER, at + HEADER + input[at]);
}

export function codeAddrOf(input: Uint8Array, k: number): number {
  const at = k * X_IN_RECORD;
  return CODE_ADDR + (input[at + 2] | (input[at + 3] << 8));
}

export function hexBytes(b: Uint8Array | number[]): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');
}
