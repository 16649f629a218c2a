// System-level instructions a user program executes: syscall, cpuid, rdtsc, the nop and hint
// family (including endbr64 and prefetch), fences, flag control (clc stc cmc cld std), traps
// (int3, ud2) and the privileged ones that fault in ring 3 (hlt, cli, sti, int n).

import type { Cpu } from '../cpu.js';
import { StopReason } from '../cpu.js';
import { defOp, defOps, Imm } from '../decoder.js';
import { Vector } from '../exception.js';
import { CF, DF, FlagOp, getRflags } from '../flags.js';
import type { Insn } from '../insn.js';
import { Slot } from '../../regfile.js';

/** syscall: rcx = next rip, r11 = rflags; the kernel takes over (SDM: SYSCALL). */
function syscall(c: Cpu, i: Insn): void {
  c.setReg64(1, i.next);
  // Materialise the flags once here; the stop that follows then has nothing left to compute.
  const f = getRflags(c);
  c.flags = f;
  c.fop = FlagOp.EAGER;
  c.r[22] = f & ~0x10000; c.r[23] = 0; // r11, RF cleared
  // In-process platforms answer the syscall as a function call, without leaving the run loop.
  const hook = c.syscallHook;
  if (hook !== null) {
    c.syncOut();
    const goOn = hook();
    c.syncIn();
    if (goOn) return;
  }
  c.stop = StopReason.SYSCALL;
}

// CPUID: a GenuineIntel family-6 CPU with exactly the features implemented here.
const FEATURES_EDX = (1 << 0) | (1 << 4) | (1 << 8) | (1 << 15) | (1 << 23) | (1 << 24) | (1 << 25) | (1 << 26); // FPU TSC CX8 CMOV MMX FXSR SSE SSE2
const EXT_FEATURES_ECX = 1 << 0; // LAHF/SAHF in 64-bit mode
const EXT_FEATURES_EDX = (1 << 11) | (1 << 20) | (1 << 29); // SYSCALL NX LM
const BRAND = 'tsvisor emulated x86-64 CPU'.padEnd(48, '\0');

function str4(s: string, at: number): number {
  return s.charCodeAt(at) | (s.charCodeAt(at + 1) << 8) | (s.charCodeAt(at + 2) << 16) | (s.charCodeAt(at + 3) << 24);
}

/** Deterministic cache geometry for leaf 4 (glibc sizes its memcpy thresholds from it). */
function cacheLeaf(sub: number): [number, number, number, number] {
  // [type, level, ways, sets], line size 64
  const caches = [[1, 1, 8, 64], [2, 1, 8, 64], [3, 2, 16, 1024], [3, 3, 16, 16384]];
  if (sub >= caches.length) return [0, 0, 0, 0];
  const [type, level, ways, sets] = caches[sub];
  return [type | (level << 5) | (1 << 8), (63) | (0 << 12) | ((ways - 1) << 22), sets - 1, 0];
}

export function cpuidLeaf(leaf: number, sub: number): [number, number, number, number] {
  switch (leaf) {
    case 0: return [7, str4('GenuineIntel', 0), str4('GenuineIntel', 8), str4('GenuineIntel', 4)];
    case 1: return [0x000306a9, (8 << 8) | (1 << 16), 0, FEATURES_EDX]; // family 6 model 0x3a stepping 9; clflush 64 bytes
    case 2: return [0x0000ff01, 0, 0, 0]; // descriptor 0xff: see leaf 4
    case 4: return cacheLeaf(sub);
    case 0x80000000: return [0x80000008, 0, 0, 0];
    case 0x80000001: return [0, 0, EXT_FEATURES_ECX, EXT_FEATURES_EDX];
    case 0x80000002: case 0x80000003: case 0x80000004: {
      const at = (leaf - 0x80000002) * 16;
      return [str4(BRAND, at), str4(BRAND, at + 4), str4(BRAND, at + 8), str4(BRAND, at + 12)];
    }
    case 0x80000008: return [0x3030, 0, 0, 0]; // 48-bit physical and virtual addresses
    default: return [0, 0, 0, 0];
  }
}

function cpuid(c: Cpu): void {
  const [a, b, cc, d] = cpuidLeaf(c.r[0] >>> 0, c.r[2] >>> 0);
  const r = c.r;
  r[0] = a; r[1] = 0; r[6] = b; r[7] = 0; r[2] = cc; r[3] = 0; r[4] = d; r[5] = 0;
}

let tscLast = 0;
/** rdtsc: a monotonic nanosecond-ish counter (ECMAScript only: Date.now plus a tiebreak). */
function rdtsc(c: Cpu): void {
  let t = Date.now() * 1e6 + c.tscOffset;
  if (t <= tscLast) t = tscLast + 1;
  tscLast = t;
  c.r[0] = t % 4294967296 | 0; c.r[1] = 0;
  c.r[4] = Math.floor(t / 4294967296) | 0; c.r[5] = 0;
}

function nop(): void { /* architecturally nothing */ }
/** fwait: delivers a pending unmasked x87 exception as #MF (SDM Vol. 1, 8.6). */
function fwait(c: Cpu): void {
  if (c.r[Slot.FSW] & ~c.r[Slot.FCW] & 0x3f) c.raise(Vector.MF, 'pending x87 exception');
}
function setFlag(bit: number, value: 0 | 1 | -1) {
  return (c: Cpu) => {
    const f = getRflags(c);
    c.flags = value === -1 ? f ^ bit : value ? f | bit : f & ~bit;
    c.fop = FlagOp.EAGER;
  };
}
function int3(c: Cpu): void { c.raise(Vector.BP, 'int3'); }
function privileged(c: Cpu, i: Insn): void { c.raise(Vector.GP, `privileged instruction 0x${i.op.toString(16)}`); }
function ud2(c: Cpu): void { c.raise(Vector.UD, 'ud2'); }

function ldmxcsr(c: Cpu, i: Insn): void {
  const v = c.m.read32(i.ea(c, i));
  if (v & ~0xffff) c.raise(Vector.GP, 'reserved MXCSR bits');
  c.r[Slot.MXCSR] = v;
}
function stmxcsr(c: Cpu, i: Insn): void { c.m.write32(i.ea(c, i), c.r[Slot.MXCSR]); }

/** Group 15 (0F AE): fences and MXCSR access here; fxsave/fxrstor register themselves in fxsave.ts. */
export const group15: ((i: Insn) => ((c: Cpu, i: Insn) => void) | null)[] = [];
defOp(0x1ae, {
  modrm: true, imm: Imm.NONE, flagsRead: 0,
  pick: (i) => {
    const r = i.reg & 7;
    if (i.mod === 3) return r >= 5 ? nop : null; // lfence, mfence, sfence
    if (r === 2) return ldmxcsr;
    if (r === 3) return stmxcsr;
    if (r === 7) return nop; // clflush
    const p = group15[r];
    return p ? p(i) : null;
  },
});

const end = { modrm: false, imm: Imm.NONE, ends: true, flagsRead: 0 };
// A side exit: the kernel answers most syscalls in place (Cpu.syscallHook) and the block goes on.
defOp(0x105, { modrm: false, imm: Imm.NONE, exits: true, flagsRead: 0xfff, pick: () => syscall });
defOp(0x1a2, { modrm: false, imm: Imm.NONE, flagsRead: 0, pick: () => cpuid });
defOp(0x131, { modrm: false, imm: Imm.NONE, flagsRead: 0, pick: () => rdtsc });
defOp(0x10b, { ...end, pick: () => ud2 });
defOp(0xcc, { ...end, pick: () => int3 });
defOp(0xcd, { ...end, imm: Imm.UB, pick: () => privileged });
defOp(0xf4, { ...end, pick: () => privileged });
defOp(0xfa, { ...end, pick: () => privileged });
defOp(0xfb, { ...end, pick: () => privileged });
defOps(0x118, 0x11f, { modrm: true, imm: Imm.NONE, flagsRead: 0, pick: () => nop }); // hints, nop r/m, endbr64
defOp(0x10d, { modrm: true, imm: Imm.NONE, flagsRead: 0, pick: () => nop }); // prefetchw
defOp(0xf5, { modrm: false, imm: Imm.NONE, flagsRead: CF, flagsWritten: CF, pick: () => setFlag(CF, -1) });
defOp(0xf8, { modrm: false, imm: Imm.NONE, flagsRead: 0, flagsWritten: CF, pick: () => setFlag(CF, 0) });
defOp(0xf9, { modrm: false, imm: Imm.NONE, flagsRead: 0, flagsWritten: CF, pick: () => setFlag(CF, 1) });
defOp(0xfc, { modrm: false, imm: Imm.NONE, flagsRead: 0, pick: () => setFlag(DF, 0) });
defOp(0xfd, { modrm: false, imm: Imm.NONE, flagsRead: 0, pick: () => setFlag(DF, 1) });
defOp(0x9b, { modrm: false, imm: Imm.NONE, flagsRead: 0, pick: () => fwait });
