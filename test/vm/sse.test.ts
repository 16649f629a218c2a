// MMX, SSE and SSE2 against the real CPU: thousands of random single-instruction cases (special
// values, every rounding mode, DAZ/FTZ, masked and unmasked exceptions, misaligned and faulting
// memory operands) run once natively, by a small C harness compiled here with gcc, and once in the
// emulator; registers (XMM, MMX/x87, GPRs), MXCSR, RFLAGS, the x87 tag and status words, memory and
// the exception taken must agree bit for bit. Replay a run with SSE_SEED=<seed>; scale it with
// SSE_CASES=<cases per instruction form>; narrow it with SSE_FAMILY=<move|int|fp|convert|mmx> and
// SSE_ONLY=<form name> (the same seed then replays the same cases).

import t from 'tap';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CodeCache, Cpu, FlatPageTable, Mmu, PageFault, Perm, PhysicalMemory, RegisterFile, Slot, StopReason,
} from '../../vm/index.js';

// --- the native harness -------------------------------------------------------------------------

const CODE_ADDR = 0x10000000;
const DATA_ADDR = 0x20000000;
const WIN_SIZE = 256;
const WIN_ADDR = DATA_ADDR + 4096 - WIN_SIZE; // the operand window ends where the mapping ends

// struct rec (keep in step with the C below)
const R_CODE = 0, R_LEN = 16, R_TRAP = 20, R_GPR = 24, R_FLAGS = 152, R_FX = 168, R_MEM = 680, REC = 936;
// fxsave image offsets
const FX_FCW = 0, FX_FSW = 2, FX_FTW = 4, FX_MXCSR = 24, FX_ST = 32, FX_XMM = 160;

const HARNESS = String.raw`
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

#define CODE_ADDR 0x10000000UL
#define DATA_ADDR 0x20000000UL
#define WIN_SIZE 256
#define WIN_ADDR (DATA_ADDR + 4096 - WIN_SIZE)

struct rec {
  uint8_t code[16];
  uint32_t code_len;
  int32_t trap;
  uint64_t gpr[16];
  uint64_t rflags;
  uint64_t pad;
  uint8_t fx[512];
  uint8_t mem[WIN_SIZE];
};
struct state {
  uint64_t gpr[16];
  uint64_t rflags;
  uint64_t pad;
  uint8_t fx[512] __attribute__((aligned(16)));
};
struct state st __attribute__((aligned(16)));
void *code_ptr, *back_ptr;
uint64_t saved_rsp, state_ptr, tmp_rax;
static sigjmp_buf jb;
static volatile int trapno;

void run_case(struct state *s);
void run_back(void);
__asm__(
  ".text\n"
  ".globl run_case\n"
  "run_case:\n"
  "  push %rbx\n push %rbp\n push %r12\n push %r13\n push %r14\n push %r15\n"
  "  mov %rsp, saved_rsp(%rip)\n"
  "  mov %rdi, state_ptr(%rip)\n"
  "  fxrstor 144(%rdi)\n"
  "  pushq 128(%rdi)\n"
  "  popfq\n"
  "  mov 0(%rdi), %rax\n mov 8(%rdi), %rcx\n mov 16(%rdi), %rdx\n mov 24(%rdi), %rbx\n"
  "  mov 40(%rdi), %rbp\n mov 48(%rdi), %rsi\n"
  "  mov 64(%rdi), %r8\n mov 72(%rdi), %r9\n mov 80(%rdi), %r10\n mov 88(%rdi), %r11\n"
  "  mov 96(%rdi), %r12\n mov 104(%rdi), %r13\n mov 112(%rdi), %r14\n mov 120(%rdi), %r15\n"
  "  mov 56(%rdi), %rdi\n"
  "  jmp *code_ptr(%rip)\n"
  ".globl run_back\n"
  "run_back:\n"
  "  pushfq\n"
  "  mov %rax, tmp_rax(%rip)\n"
  "  mov state_ptr(%rip), %rax\n"
  "  popq 128(%rax)\n"
  "  mov %rcx, 8(%rax)\n mov %rdx, 16(%rax)\n mov %rbx, 24(%rax)\n"
  "  mov %rbp, 40(%rax)\n mov %rsi, 48(%rax)\n mov %rdi, 56(%rax)\n"
  "  mov %r8, 64(%rax)\n mov %r9, 72(%rax)\n mov %r10, 80(%rax)\n mov %r11, 88(%rax)\n"
  "  mov %r12, 96(%rax)\n mov %r13, 104(%rax)\n mov %r14, 112(%rax)\n mov %r15, 120(%rax)\n"
  "  mov tmp_rax(%rip), %rcx\n mov %rcx, 0(%rax)\n"
  "  fxsave 144(%rax)\n"
  "  cld\n"
  "  mov saved_rsp(%rip), %rsp\n"
  "  pop %r15\n pop %r14\n pop %r13\n pop %r12\n pop %rbp\n pop %rbx\n"
  "  ret\n");

static const int greg_of[16] = {REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP, REG_RSI, REG_RDI,
                                REG_R8, REG_R9, REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15};

/* A fault in the instruction: report the state the kernel saved and the trap number. */
static void on_signal(int sig, siginfo_t *si, void *ctx) {
  (void)sig; (void)si;
  ucontext_t *uc = ctx;
  for (int k = 0; k < 16; k++) st.gpr[k] = uc->uc_mcontext.gregs[greg_of[k]];
  st.rflags = uc->uc_mcontext.gregs[REG_EFL];
  memcpy(st.fx, uc->uc_mcontext.fpregs, 512);
  trapno = (int)uc->uc_mcontext.gregs[REG_TRAPNO];
  if ((uint64_t)uc->uc_mcontext.gregs[REG_RIP] != CODE_ADDR) trapno += 1000;
  siglongjmp(jb, 1);
}

int main(void) {
  uint8_t *code = mmap((void *)CODE_ADDR, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  uint8_t *data = mmap((void *)DATA_ADDR, 4096, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  if (code != (void *)CODE_ADDR || data != (void *)DATA_ADDR) { perror("mmap"); return 2; }
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_signal;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGSEGV, &sa, 0); sigaction(SIGBUS, &sa, 0); sigaction(SIGFPE, &sa, 0);
  sigaction(SIGILL, &sa, 0); sigaction(SIGTRAP, &sa, 0);
  code_ptr = code;
  back_ptr = (void *)run_back;
  uint32_t n;
  if (fread(&n, 4, 1, stdin) != 1) return 2;
  static struct rec r;
  for (uint32_t k = 0; k < n; k++) {
    if (fread(&r, sizeof r, 1, stdin) != 1) return 2;
    memcpy(code, r.code, r.code_len);
    uint8_t *p = code + r.code_len;
    p[0] = 0xff; p[1] = 0x25; memset(p + 2, 0, 4); /* jmp *0(%rip) */
    memcpy(p + 6, &back_ptr, 8);
    memcpy(st.gpr, r.gpr, sizeof r.gpr);
    st.rflags = r.rflags;
    memcpy(st.fx, r.fx, 512);
    memcpy((void *)WIN_ADDR, r.mem, WIN_SIZE);
    trapno = -1;
    if (sigsetjmp(jb, 1) == 0) run_case(&st);
    r.trap = trapno;
    memcpy(r.gpr, st.gpr, sizeof r.gpr);
    r.rflags = st.rflags;
    memcpy(r.fx, st.fx, 512);
    memcpy(r.mem, (void *)WIN_ADDR, WIN_SIZE);
    if (fwrite(&r, sizeof r, 1, stdout) != 1) return 2;
  }
  return 0;
}
`;

function buildHarness(): string | null {
  if (process.arch !== 'x64' || process.platform !== 'linux') return null;
  const dir = mkdtempSync(join(tmpdir(), 'sse-harness-'));
  const src = join(dir, 'harness.c'), bin = join(dir, 'harness');
  writeFileSync(src, HARNESS);
  try {
    execFileSync('gcc', ['-O1', '-o', bin, src], { stdio: 'pipe' });
  } catch {
    return null;
  }
  return bin;
}

function runNative(bin: string, recs: Buffer[]): Buffer[] {
  const input = Buffer.alloc(4 + recs.length * REC);
  input.writeUInt32LE(recs.length, 0);
  recs.forEach((r, k) => r.copy(input, 4 + k * REC));
  const p = spawnSync(bin, [], { input, maxBuffer: input.length + 1024, timeout: 120_000 });
  if (p.status !== 0 || p.stdout.length !== recs.length * REC) {
    throw new Error(`native harness failed: status ${p.status} ${p.signal ?? ''} ${p.stderr?.toString() ?? ''}`);
  }
  return recs.map((_, k) => p.stdout.subarray(k * REC, (k + 1) * REC));
}

// --- the emulator -------------------------------------------------------------------------------

class Emu {
  readonly phys = new PhysicalMemory(1 << 20);
  readonly table = new FlatPageTable();
  readonly regs = new RegisterFile();
  readonly cpu: Cpu;
  constructor() {
    this.table.set(CODE_ADDR / 4096, 0, Perm.READ | Perm.EXEC);
    this.table.set(DATA_ADDR / 4096, 1, Perm.READ | Perm.WRITE);
    this.cpu = new Cpu(this.regs, new Mmu(this.phys, this.table), new CodeCache(this.phys));
    // SSE_COMPILED=1 runs every case through the block compiler (sse_compiled.test.ts).
    if (process.env.SSE_COMPILED === '1') this.cpu.compileAfter = 0;
  }

  run(inp: Buffer): Buffer {
    const out = Buffer.from(inp);
    const r = this.regs.i32, len = inp.readUInt32LE(R_LEN);
    this.regs.reset();
    for (let k = 0; k < 32; k++) r[k] = inp.readInt32LE(R_GPR + 4 * k);
    r[Slot.RFLAGS] = inp.readInt32LE(R_FLAGS);
    r[Slot.FCW] = inp.readUInt16LE(R_FX + FX_FCW);
    r[Slot.FSW] = inp.readUInt16LE(R_FX + FX_FSW);
    r[Slot.FTW] = inp[R_FX + FX_FTW];
    r[Slot.MXCSR] = inp.readInt32LE(R_FX + FX_MXCSR);
    const top = (r[Slot.FSW] >> 11) & 7;
    for (let i = 0; i < 8; i++) {
      const s = Slot.ST + 4 * ((top + i) & 7), o = R_FX + FX_ST + 16 * i;
      r[s] = inp.readInt32LE(o); r[s + 1] = inp.readInt32LE(o + 4); r[s + 2] = inp.readUInt16LE(o + 8);
    }
    for (let k = 0; k < 64; k++) r[Slot.XMM + k] = inp.readInt32LE(R_FX + FX_XMM + 4 * k);
    const u8 = this.phys.u8;
    u8.fill(0, 0, 4096);
    u8.set(inp.subarray(R_CODE, R_CODE + len), 0);
    u8[len] = 0xcc; // int3: stops the CPU without touching a register
    this.phys.invalidateCode(0);
    u8.set(inp.subarray(R_MEM, R_MEM + WIN_SIZE), 4096 + 4096 - WIN_SIZE);
    this.regs.rip = CODE_ADDR;
    const stop = this.cpu.run(100);
    let trap: number;
    const rip = this.regs.rip;
    if (stop === StopReason.EXCEPTION && this.cpu.exception!.vector === 3 && rip === CODE_ADDR + len) trap = -1;
    else if (stop === StopReason.EXCEPTION) trap = this.cpu.exception!.vector;
    else if (stop === StopReason.FAULT && this.cpu.fault instanceof PageFault) trap = 14;
    else trap = 9999;
    if (trap !== -1 && rip !== CODE_ADDR) trap += 1000;
    out.writeInt32LE(trap, R_TRAP);
    for (let k = 0; k < 32; k++) out.writeInt32LE(r[k], R_GPR + 4 * k);
    out.writeInt32LE(r[Slot.RFLAGS], R_FLAGS);
    out.writeUInt16LE(r[Slot.FCW] & 0xffff, R_FX + FX_FCW);
    out.writeUInt16LE(r[Slot.FSW] & 0xffff, R_FX + FX_FSW);
    out[R_FX + FX_FTW] = r[Slot.FTW] & 0xff;
    out.writeInt32LE(r[Slot.MXCSR], R_FX + FX_MXCSR);
    const top2 = (r[Slot.FSW] >> 11) & 7;
    for (let i = 0; i < 8; i++) {
      const s = Slot.ST + 4 * ((top2 + i) & 7), o = R_FX + FX_ST + 16 * i;
      out.writeInt32LE(r[s], o); out.writeInt32LE(r[s + 1], o + 4); out.writeUInt16LE(r[s + 2] & 0xffff, o + 8);
    }
    for (let k = 0; k < 64; k++) out.writeInt32LE(r[Slot.XMM + k], R_FX + FX_XMM + 4 * k);
    Buffer.from(u8.buffer, 4096 + 4096 - WIN_SIZE, WIN_SIZE).copy(out, R_MEM);
    return out;
  }
}

function hexLE(b: Buffer, o: number, n: number): string {
  return [...b.subarray(o, o + n)].reverse().map((x) => x.toString(16).padStart(2, '0')).join('');
}

/** The differences between the native and the emulated result, as readable lines. */
function diff(inp: Buffer, nat: Buffer, emu: Buffer): string[] {
  const d: string[] = [];
  const hex = (b: Buffer, o: number, n: number) => [...b.subarray(o, o + n)].reverse().map((x) => x.toString(16).padStart(2, '0')).join('');
  if (nat.readInt32LE(R_TRAP) !== emu.readInt32LE(R_TRAP)) d.push(`trap: native ${nat.readInt32LE(R_TRAP)} emulator ${emu.readInt32LE(R_TRAP)}`);
  for (let k = 0; k < 16; k++) {
    if (k === 4) continue;
    const o = R_GPR + 8 * k;
    if (nat.compare(emu, o, o + 8, o, o + 8) !== 0) d.push(`gpr${k}: in ${hex(inp, o, 8)} native ${hex(nat, o, 8)} emulator ${hex(emu, o, 8)}`);
  }
  const fl = (b: Buffer) => b.readUInt32LE(R_FLAGS) & 0x8d5;
  if (fl(nat) !== fl(emu)) d.push(`rflags: in ${fl(inp).toString(16)} native ${fl(nat).toString(16)} emulator ${fl(emu).toString(16)}`);
  // FSW.ES and B are recomputed by fxsave from the flags and masks: not compared.
  const fsw = (b: Buffer) => b.readUInt16LE(R_FX + FX_FSW) & ~0x8080;
  if (fsw(nat) !== fsw(emu)) d.push(`fsw: in ${fsw(inp).toString(16)} native ${fsw(nat).toString(16)} emulator ${fsw(emu).toString(16)}`);
  const fields: [string, number, number][] = [['fcw', FX_FCW, 2], ['ftw', FX_FTW, 1], ['mxcsr', FX_MXCSR, 4]];
  for (let i = 0; i < 8; i++) fields.push([`st${i}`, FX_ST + 16 * i, 10]);
  for (let i = 0; i < 16; i++) fields.push([`xmm${i}`, FX_XMM + 16 * i, 16]);
  for (const [name, off, n] of fields) {
    const o = R_FX + off;
    if (nat.compare(emu, o, o + n, o, o + n) !== 0) d.push(`${name}: in ${hex(inp, o, n)} native ${hex(nat, o, n)} emulator ${hex(emu, o, n)}`);
  }
  for (let o = 0; o < WIN_SIZE; o += 16) {
    const a = R_MEM + o;
    if (nat.compare(emu, a, a + 16, a, a + 16) !== 0) {
      d.push(`mem+${o.toString(16)}: in ${hex(inp, a, 16)} native ${hex(nat, a, 16)} emulator ${hex(emu, a, 16)}`);
    }
  }
  return d;
}

// --- random values ------------------------------------------------------------------------------

class Rng {
  private s: number;
  constructor(seed: number) { this.s = seed >>> 0 || 1; }
  u32(): number { // mulberry32
    let z = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return (z ^ (z >>> 14)) >>> 0;
  }
  int(n: number): number { return this.u32() % n; }
  range(lo: number, hi: number): number { return lo + this.int(hi - lo + 1); }
  chance(p: number): boolean { return this.u32() < p * 4294967296; }
  pick<T>(a: readonly T[]): T { return a[this.int(a.length)]; }
}

const F32_SPECIAL = [0, 0x80000000, 0x3f800000, 0xbf800000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000,
  0x7fa00000, 0x00800000, 0x80800000, 0x7f7fffff, 0xff7fffff, 0x00000001, 0x807fffff, 0x4b000000, 0x3f000000,
  0x3fc00000, 0x40200000, 0x4f000000, 0xcf000000, 0x5f000000, 0xdf000000, 0x4effffff, 0xcf000001, 0x3effffff];

function genF32(r: Rng): number {
  const sign = r.chance(0.5) ? 0x80000000 : 0;
  switch (r.int(12)) {
    case 0: return r.pick(F32_SPECIAL) >>> 0;
    case 1: return (sign | 0x7f800000 | (r.chance(0.5) ? 0x400000 : 0) | (r.u32() & 0x3fffff) | 1) >>> 0;
    case 2: return (sign | (r.u32() & 0x7fffff) | (r.chance(0.3) ? 0 : 1)) >>> 0;
    case 3: { const f = new Float32Array([r.range(-300, 300) / r.pick([1, 2, 4, 8])]); return new Uint32Array(f.buffer)[0]; }
    case 4: return (sign | (r.range(155, 159) << 23) | (r.u32() & 0x7fffff)) >>> 0; // near 2^31
    default: {
      const e = r.pick([() => r.range(1, 8), () => r.range(246, 254), () => r.range(118, 136), () => r.range(58, 70),
        () => r.range(184, 196), () => r.range(1, 254)])();
      const m = r.chance(0.2) ? r.u32() & 0x7ff000 : r.u32() & 0x7fffff;
      return (sign | (e << 23) | m) >>> 0;
    }
  }
}

/** [lo, hi] */
function genF64(r: Rng): [number, number] {
  const sign = r.chance(0.5) ? 0x80000000 : 0;
  switch (r.int(13)) {
    case 0: {
      const s = r.pick([[0, 0], [0, 0x80000000], [0, 0x3ff00000], [0, 0xbff00000], [0, 0x7ff00000], [0, 0xfff00000],
        [0, 0x7ff80000], [0, 0xfff80000], [1, 0x7ff00000], [0, 0x00100000], [0xffffffff, 0x7fefffff], [1, 0],
        [0xffffffff, 0x800fffff], [0, 0x41e00000], [0, 0xc1e00000], [0, 0x43e00000], [0, 0xc3e00000], [0, 0x3fe00000],
        [0, 0x3ff80000], [0, 0x47efffff], [0xe0000000, 0x47efffff], [0, 0x38100000], [0, 0x36a00000]]);
      return [s[0] | 0, s[1] | 0];
    }
    case 1: return [r.u32() | 1, sign | 0x7ff00000 | (r.chance(0.5) ? 0x80000 : 0) | (r.u32() & 0x7ffff)];
    case 2: return [r.u32(), sign | (r.u32() & 0xfffff)];
    case 3: { const f = new Float64Array([r.range(-300, 300) / r.pick([1, 2, 4, 8])]); const u = new Int32Array(f.buffer); return [u[0], u[1]]; }
    case 4: return [r.u32(), sign | (r.pick([r.range(1052, 1056), r.range(1084, 1088), r.range(1074, 1078)]) << 20) | (r.u32() & 0xfffff)];
    case 5: { // near binary32 thresholds, a few binary32 half-ulps away
      const t = r.pick([2 ** -126, 2 ** -149, 2 ** -127 * 3, 3.4028234663852886e38, 2 ** 128, 1, 2 ** 31, 2 ** 63]);
      const [l, h] = f64Bits(t * (1 + r.range(-4, 4) * 2 ** -25 + r.range(-3, 3) * 2 ** -50));
      return [l, h | sign];
    }
    default: {
      const e = r.pick([() => r.range(1, 8), () => r.range(2038, 2046), () => r.range(1012, 1034), () => r.range(505, 518),
        () => r.range(1530, 1542), () => r.range(870, 900), () => r.range(1146, 1152), () => r.range(1, 2046)])();
      const lo = r.chance(0.2) ? 0 : r.chance(0.2) ? r.u32() & 0xe0000000 : r.u32();
      return [lo, sign | (e << 20) | (r.u32() & 0xfffff)];
    }
  }
}

const SPECIAL_BYTES = [0, 0xff, 0x7f, 0x80, 0x01, 0xfe];
function genInt32(r: Rng): number {
  switch (r.int(5)) {
    case 0: return r.pick([0, -1, 1, 0x7fffffff, 0x80000000, 0x7fff, 0x8000, 0xffff, 0x7fff7fff, 0x80008000, 0xff]) | 0;
    case 1: return r.range(-40, 40);
    case 2: {
      let v = 0;
      for (let k = 0; k < 4; k++) v |= (r.chance(0.6) ? r.pick(SPECIAL_BYTES) : r.int(256)) << (8 * k);
      return v;
    }
    default: return r.u32() | 0;
  }
}

/** 64-bit integers for cvtsi2ss/sd: [lo, hi]. */
function genInt64(r: Rng): [number, number] {
  switch (r.int(7)) {
    case 0: return [genInt32(r), r.pick([0, -1])];
    case 1: { // +-2^n
      const n = r.range(0, 62);
      const lo = n < 32 ? 1 << n : 0, hi = n >= 32 ? 1 << (n - 32) : 0;
      return r.chance(0.5) ? [lo, hi] : [-lo | 0, (~hi + (lo === 0 ? 1 : 0)) | 0];
    }
    case 2: return [r.u32() | 0, r.pick([0x7fffffff, 0x80000000, 0x00200000, 0x001fffff, 0x01000000, 0xffe00000]) | 0];
    case 3: return [r.u32() | 0, (r.u32() & r.pick([0xff, 0xffff, 0xffffff])) * (r.chance(0.5) ? 1 : -1) | 0];
    default: return [r.u32() | 0, r.u32() | 0];
  }
}

// --- instruction forms --------------------------------------------------------------------------

type Kind = 'xmm' | 'mm' | 'gpr';
type Data = 'f32' | 'f64' | 'int' | 'count';
type Family = 'move' | 'int' | 'fp' | 'convert' | 'mmx';

interface Form {
  name: string;
  family: Family;
  pfx: number;             // 0, 0x66, 0xf2 or 0xf3
  op: number;              // the byte after 0F
  reg: Kind | number;      // the ModRM.reg operand, or a group /digit
  rm: Kind | null;         // the register form of ModRM.rm (null: memory only)
  mem: number;             // memory operand size (0: register only)
  align?: boolean;         // a 16-byte aligned memory operand
  w?: 'no' | 'yes' | 'both';
  imm?: 'byte' | 'pred' | 'shift';
  data: Data;              // what the xmm/mm registers and memory hold
  srcData?: Data;          // the source operand's data when it differs
  related?: 'fp32' | 'fp64';
  rdi?: boolean;           // maskmov: [rdi] is the implicit destination
  noModrm?: boolean;
}

const forms: Form[] = [];
function add(f: Omit<Form, 'pfx' | 'w'> & { pfx?: number; w?: Form['w'] }): void {
  forms.push({ pfx: 0, w: 'no', ...f });
}
const FP_FORMS: [string, number, number, Data, boolean][] = [
  ['ps', 0, 16, 'f32', true], ['pd', 0x66, 16, 'f64', true], ['ss', 0xf3, 4, 'f32', false], ['sd', 0xf2, 8, 'f64', false],
];

// sse_fp.ts
for (const [name, op] of [['add', 0x58], ['mul', 0x59], ['sub', 0x5c], ['min', 0x5d], ['div', 0x5e], ['max', 0x5f], ['sqrt', 0x51]] as [string, number][]) {
  for (const [suf, pfx, mem, data, align] of FP_FORMS) {
    add({ name: name + suf, family: 'fp', pfx, op, reg: 'xmm', rm: 'xmm', mem, align, data, related: data === 'f32' ? 'fp32' : 'fp64', w: 'both' });
  }
}
for (const [name, op] of [['rsqrt', 0x52], ['rcp', 0x53]] as [string, number][]) {
  add({ name: name + 'ps', family: 'fp', op, reg: 'xmm', rm: 'xmm', mem: 16, align: true, data: 'f32' });
  add({ name: name + 'ss', family: 'fp', pfx: 0xf3, op, reg: 'xmm', rm: 'xmm', mem: 4, data: 'f32' });
}
for (const [name, op] of [['and', 0x54], ['andn', 0x55], ['or', 0x56], ['xor', 0x57]] as [string, number][]) {
  add({ name: name + 'ps', family: 'fp', op, reg: 'xmm', rm: 'xmm', mem: 16, align: true, data: 'f32' });
  add({ name: name + 'pd', family: 'fp', pfx: 0x66, op, reg: 'xmm', rm: 'xmm', mem: 16, align: true, data: 'f64' });
}
for (const [suf, pfx, mem, data, align] of FP_FORMS) {
  add({ name: 'cmp' + suf, family: 'fp', pfx, op: 0xc2, reg: 'xmm', rm: 'xmm', mem, align, data, imm: 'pred', related: data === 'f32' ? 'fp32' : 'fp64' });
}
add({ name: 'ucomiss', family: 'fp', op: 0x2e, reg: 'xmm', rm: 'xmm', mem: 4, data: 'f32', related: 'fp32' });
add({ name: 'comiss', family: 'fp', op: 0x2f, reg: 'xmm', rm: 'xmm', mem: 4, data: 'f32', related: 'fp32' });
add({ name: 'ucomisd', family: 'fp', pfx: 0x66, op: 0x2e, reg: 'xmm', rm: 'xmm', mem: 8, data: 'f64', related: 'fp64' });
add({ name: 'comisd', family: 'fp', pfx: 0x66, op: 0x2f, reg: 'xmm', rm: 'xmm', mem: 8, data: 'f64', related: 'fp64' });
add({ name: 'shufps', family: 'fp', op: 0xc6, reg: 'xmm', rm: 'xmm', mem: 16, align: true, data: 'f32', imm: 'byte' });
add({ name: 'shufpd', family: 'fp', pfx: 0x66, op: 0xc6, reg: 'xmm', rm: 'xmm', mem: 16, align: true, data: 'f64', imm: 'byte' });
for (const [name, op] of [['unpckl', 0x14], ['unpckh', 0x15]] as [string, number][]) {
  add({ name: name + 'ps', family: 'fp', op, reg: 'xmm', rm: 'xmm', mem: 16, align: true, data: 'f32' });
  add({ name: name + 'pd', family: 'fp', pfx: 0x66, op, reg: 'xmm', rm: 'xmm', mem: 16, align: true, data: 'f64' });
}

// sse_convert.ts
add({ name: 'cvtpi2ps', family: 'convert', op: 0x2a, reg: 'xmm', rm: 'mm', mem: 8, data: 'int' });
add({ name: 'cvtpi2pd', family: 'convert', pfx: 0x66, op: 0x2a, reg: 'xmm', rm: 'mm', mem: 8, data: 'int' });
add({ name: 'cvtsi2ss', family: 'convert', pfx: 0xf3, op: 0x2a, reg: 'xmm', rm: 'gpr', mem: 4, data: 'f32', w: 'both' });
add({ name: 'cvtsi2sd', family: 'convert', pfx: 0xf2, op: 0x2a, reg: 'xmm', rm: 'gpr', mem: 4, data: 'f64', w: 'both' });
for (const [t, op] of [['t', 0x2c], ['', 0x2d]] as [string, number][]) {
  add({ name: `cvt${t}ps2pi`, family: 'convert', op, reg: 'mm', rm: 'xmm', mem: 8, data: 'f32' });
  add({ name: `cvt${t}pd2pi`, family: 'convert', pfx: 0x66, op, reg: 'mm', rm: 'xmm', mem: 16, align: true, data: 'f64' });
  add({ name: `cvt${t}ss2si`, family: 'convert', pfx: 0xf3, op, reg: 'gpr', rm: 'xmm', mem: 4, data: 'f32', w: 'both' });
  add({ name: `cvt${t}sd2si`, family: 'convert', pfx: 0xf2, op, reg: 'gpr', rm: 'xmm', mem: 8, data: 'f64', w: 'both' });
}
add({ name: 'cvtps2pd', family: 'convert', op: 0x5a, reg: 'xmm', rm: 'xmm', mem: 8, data: 'f32' });
add({ name: 'cvtpd2ps', family: 'convert', pfx: 0x66, op: 0x5a, reg: 'xmm', rm: 'xmm', mem: 16, align: true, data: 'f64' });
add({ name: 'cvtss2sd', family: 'convert', pfx: 0xf3, op: 0x5a, reg: 'xmm', rm: 'xmm', mem: 4, data: 'f32' });
add({ name: 'cvtsd2ss', family: 'convert', pfx: 0xf2, op: 0x5a, reg: 'xmm', rm: 'xmm', mem: 8, data: 'f64' });
add({ name: 'cvtdq2ps', family: 'convert', op: 0x5b, reg: 'xmm', rm: 'xmm', mem: 16, align: true, data: 'int' });
add({ name: 'cvtps2dq', family: 'convert', pfx: 0x66, op: 0x5b, reg: 'xmm', rm: 'xmm', mem: 16, align: true, data: 'f32' });
add({ name: 'cvttps2dq', family: 'convert', pfx: 0xf3, op: 0x5b, reg: 'xmm', rm: 'xmm', mem: 16, align: true, data: 'f32' });
add({ name: 'cvttpd2dq', family: 'convert', pfx: 0x66, op: 0xe6, reg: 'xmm', rm: 'xmm', mem: 16, align: true, data: 'f64' });
add({ name: 'cvtdq2pd', family: 'convert', pfx: 0xf3, op: 0xe6, reg: 'xmm', rm: 'xmm', mem: 8, data: 'int' });
add({ name: 'cvtpd2dq', family: 'convert', pfx: 0xf2, op: 0xe6, reg: 'xmm', rm: 'xmm', mem: 16, align: true, data: 'f64' });

// sse_move.ts
add({ name: 'movups', family: 'move', op: 0x10, reg: 'xmm', rm: 'xmm', mem: 16, data: 'int' });
add({ name: 'movupd', family: 'move', pfx: 0x66, op: 0x10, reg: 'xmm', rm: 'xmm', mem: 16, data: 'int' });
add({ name: 'movss', family: 'move', pfx: 0xf3, op: 0x10, reg: 'xmm', rm: 'xmm', mem: 4, data: 'f32' });
add({ name: 'movsd', family: 'move', pfx: 0xf2, op: 0x10, reg: 'xmm', rm: 'xmm', mem: 8, data: 'f64' });
add({ name: 'movups st', family: 'move', op: 0x11, reg: 'xmm', rm: 'xmm', mem: 16, data: 'int' });
add({ name: 'movupd st', family: 'move', pfx: 0x66, op: 0x11, reg: 'xmm', rm: 'xmm', mem: 16, data: 'int' });
add({ name: 'movss st', family: 'move', pfx: 0xf3, op: 0x11, reg: 'xmm', rm: 'xmm', mem: 4, data: 'f32' });
add({ name: 'movsd st', family: 'move', pfx: 0xf2, op: 0x11, reg: 'xmm', rm: 'xmm', mem: 8, data: 'f64' });
add({ name: 'movlps/movhlps', family: 'move', op: 0x12, reg: 'xmm', rm: 'xmm', mem: 8, data: 'int' });
add({ name: 'movlpd', family: 'move', pfx: 0x66, op: 0x12, reg: 'xmm', rm: null, mem: 8, data: 'int' });
add({ name: 'movlps st', family: 'move', op: 0x13, reg: 'xmm', rm: null, mem: 8, data: 'int' });
add({ name: 'movlpd st', family: 'move', pfx: 0x66, op: 0x13, reg: 'xmm', rm: null, mem: 8, data: 'int' });
add({ name: 'movhps/movlhps', family: 'move', op: 0x16, reg: 'xmm', rm: 'xmm', mem: 8, data: 'int' });
add({ name: 'movhpd', family: 'move', pfx: 0x66, op: 0x16, reg: 'xmm', rm: null, mem: 8, data: 'int' });
add({ name: 'movhps st', family: 'move', op: 0x17, reg: 'xmm', rm: null, mem: 8, data: 'int' });
add({ name: 'movhpd st', family: 'move', pfx: 0x66, op: 0x17, reg: 'xmm', rm: null, mem: 8, data: 'int' });
add({ name: 'movaps', family: 'move', op: 0x28, reg: 'xmm', rm: 'xmm', mem: 16, align: true, data: 'int' });
add({ name: 'movapd', family: 'move', pfx: 0x66, op: 0x28, reg: 'xmm', rm: 'xmm', mem: 16, align: true, data: 'int' });
add({ name: 'movaps st', family: 'move', op: 0x29, reg: 'xmm', rm: 'xmm', mem: 16, align: true, data: 'int' });
add({ name: 'movapd st', family: 'move', pfx: 0x66, op: 0x29, reg: 'xmm', rm: 'xmm', mem: 16, align: true, data: 'int' });
add({ name: 'movntps', family: 'move', op: 0x2b, reg: 'xmm', rm: null, mem: 16, align: true, data: 'int' });
add({ name: 'movntpd', family: 'move', pfx: 0x66, op: 0x2b, reg: 'xmm', rm: null, mem: 16, align: true, data: 'int' });
add({ name: 'movmskps', family: 'move', op: 0x50, reg: 'gpr', rm: 'xmm', mem: 0, data: 'f32', w: 'both' });
add({ name: 'movmskpd', family: 'move', pfx: 0x66, op: 0x50, reg: 'gpr', rm: 'xmm', mem: 0, data: 'f64', w: 'both' });
add({ name: 'movd/q mm,r/m', family: 'move', op: 0x6e, reg: 'mm', rm: 'gpr', mem: 4, data: 'int', w: 'both' });
add({ name: 'movd/q xmm,r/m', family: 'move', pfx: 0x66, op: 0x6e, reg: 'xmm', rm: 'gpr', mem: 4, data: 'int', w: 'both' });
add({ name: 'movq mm,mm/m64', family: 'move', op: 0x6f, reg: 'mm', rm: 'mm', mem: 8, data: 'int' });
add({ name: 'movdqa', family: 'move', pfx: 0x66, op: 0x6f, reg: 'xmm', rm: 'xmm', mem: 16, align: true, data: 'int' });
add({ name: 'movdqu', family: 'move', pfx: 0xf3, op: 0x6f, reg: 'xmm', rm: 'xmm', mem: 16, data: 'int' });
add({ name: 'movd/q r/m,mm', family: 'move', op: 0x7e, reg: 'mm', rm: 'gpr', mem: 4, data: 'int', w: 'both' });
add({ name: 'movd/q r/m,xmm', family: 'move', pfx: 0x66, op: 0x7e, reg: 'xmm', rm: 'gpr', mem: 4, data: 'int', w: 'both' });
add({ name: 'movq xmm,xmm/m64', family: 'move', pfx: 0xf3, op: 0x7e, reg: 'xmm', rm: 'xmm', mem: 8, data: 'int' });
add({ name: 'movq mm/m64,mm', family: 'move', op: 0x7f, reg: 'mm', rm: 'mm', mem: 8, data: 'int' });
add({ name: 'movdqa st', family: 'move', pfx: 0x66, op: 0x7f, reg: 'xmm', rm: 'xmm', mem: 16, align: true, data: 'int' });
add({ name: 'movdqu st', family: 'move', pfx: 0xf3, op: 0x7f, reg: 'xmm', rm: 'xmm', mem: 16, data: 'int' });
add({ name: 'movnti', family: 'move', op: 0xc3, reg: 'gpr', rm: null, mem: 4, data: 'int', w: 'both' });
add({ name: 'movq xmm/m64,xmm', family: 'move', pfx: 0x66, op: 0xd6, reg: 'xmm', rm: 'xmm', mem: 8, data: 'int' });
add({ name: 'movq2dq', family: 'move', pfx: 0xf3, op: 0xd6, reg: 'xmm', rm: 'mm', mem: 0, data: 'int' });
add({ name: 'movdq2q', family: 'move', pfx: 0xf2, op: 0xd6, reg: 'mm', rm: 'xmm', mem: 0, data: 'int' });
add({ name: 'pmovmskb mm', family: 'move', op: 0xd7, reg: 'gpr', rm: 'mm', mem: 0, data: 'int', w: 'both' });
add({ name: 'pmovmskb xmm', family: 'move', pfx: 0x66, op: 0xd7, reg: 'gpr', rm: 'xmm', mem: 0, data: 'int', w: 'both' });
add({ name: 'movntq', family: 'move', op: 0xe7, reg: 'mm', rm: null, mem: 8, data: 'int' });
add({ name: 'movntdq', family: 'move', pfx: 0x66, op: 0xe7, reg: 'xmm', rm: null, mem: 16, align: true, data: 'int' });
add({ name: 'maskmovq', family: 'move', op: 0xf7, reg: 'mm', rm: 'mm', mem: 0, data: 'int', rdi: true });
add({ name: 'maskmovdqu', family: 'move', pfx: 0x66, op: 0xf7, reg: 'xmm', rm: 'xmm', mem: 0, data: 'int', rdi: true });

// sse_int.ts: the MMX (no prefix) and SSE2 (66) forms
const INT_OPS: [string, number][] = [
  ['punpckhbw', 0x68], ['punpckhwd', 0x69], ['punpckhdq', 0x6a], ['packsswb', 0x63], ['packuswb', 0x67], ['packssdw', 0x6b],
  ['pcmpgtb', 0x64], ['pcmpgtw', 0x65], ['pcmpgtd', 0x66], ['pcmpeqb', 0x74], ['pcmpeqw', 0x75], ['pcmpeqd', 0x76],
  ['paddq', 0xd4], ['pmullw', 0xd5], ['psubusb', 0xd8], ['psubusw', 0xd9], ['pminub', 0xda], ['pand', 0xdb],
  ['paddusb', 0xdc], ['paddusw', 0xdd], ['pmaxub', 0xde], ['pandn', 0xdf], ['pavgb', 0xe0], ['pavgw', 0xe3],
  ['pmulhuw', 0xe4], ['pmulhw', 0xe5], ['psubsb', 0xe8], ['psubsw', 0xe9], ['pminsw', 0xea], ['por', 0xeb],
  ['paddsb', 0xec], ['paddsw', 0xed], ['pmaxsw', 0xee], ['pxor', 0xef], ['pmuludq', 0xf4], ['pmaddwd', 0xf5],
  ['psadbw', 0xf6], ['psubb', 0xf8], ['psubw', 0xf9], ['psubd', 0xfa], ['psubq', 0xfb], ['paddb', 0xfc],
  ['paddw', 0xfd], ['paddd', 0xfe],
];
for (const [name, op] of INT_OPS) {
  add({ name: name + ' mm', family: 'mmx', op, reg: 'mm', rm: 'mm', mem: 8, data: 'int' });
  add({ name, family: 'int', pfx: 0x66, op, reg: 'xmm', rm: 'xmm', mem: 16, align: true, data: 'int' });
}
for (const [name, op] of [['punpcklbw', 0x60], ['punpcklwd', 0x61], ['punpckldq', 0x62]] as [string, number][]) {
  add({ name: name + ' mm', family: 'mmx', op, reg: 'mm', rm: 'mm', mem: 4, data: 'int' });
  add({ name, family: 'int', pfx: 0x66, op, reg: 'xmm', rm: 'xmm', mem: 16, align: true, data: 'int' });
}
add({ name: 'punpcklqdq', family: 'int', pfx: 0x66, op: 0x6c, reg: 'xmm', rm: 'xmm', mem: 16, align: true, data: 'int' });
add({ name: 'punpckhqdq', family: 'int', pfx: 0x66, op: 0x6d, reg: 'xmm', rm: 'xmm', mem: 16, align: true, data: 'int' });
for (const [name, op] of [['psrlw', 0xd1], ['psrld', 0xd2], ['psrlq', 0xd3], ['psraw', 0xe1], ['psrad', 0xe2],
  ['psllw', 0xf1], ['pslld', 0xf2], ['psllq', 0xf3]] as [string, number][]) {
  add({ name: name + ' mm', family: 'mmx', op, reg: 'mm', rm: 'mm', mem: 8, data: 'int', srcData: 'count' });
  add({ name, family: 'int', pfx: 0x66, op, reg: 'xmm', rm: 'xmm', mem: 16, align: true, data: 'int', srcData: 'count' });
}
for (const [name, op, digit] of [['psrlw', 0x71, 2], ['psraw', 0x71, 4], ['psllw', 0x71, 6], ['psrld', 0x72, 2],
  ['psrad', 0x72, 4], ['pslld', 0x72, 6], ['psrlq', 0x73, 2], ['psllq', 0x73, 6]] as [string, number, number][]) {
  add({ name: name + ' mm,imm', family: 'mmx', op, reg: digit, rm: 'mm', mem: 0, data: 'int', imm: 'shift' });
  add({ name: name + ' imm', family: 'int', pfx: 0x66, op, reg: digit, rm: 'xmm', mem: 0, data: 'int', imm: 'shift' });
}
add({ name: 'psrldq', family: 'int', pfx: 0x66, op: 0x73, reg: 3, rm: 'xmm', mem: 0, data: 'int', imm: 'shift' });
add({ name: 'pslldq', family: 'int', pfx: 0x66, op: 0x73, reg: 7, rm: 'xmm', mem: 0, data: 'int', imm: 'shift' });
add({ name: 'pshufw', family: 'mmx', op: 0x70, reg: 'mm', rm: 'mm', mem: 8, data: 'int', imm: 'byte' });
add({ name: 'pshufd', family: 'int', pfx: 0x66, op: 0x70, reg: 'xmm', rm: 'xmm', mem: 16, align: true, data: 'int', imm: 'byte' });
add({ name: 'pshufhw', family: 'int', pfx: 0xf3, op: 0x70, reg: 'xmm', rm: 'xmm', mem: 16, align: true, data: 'int', imm: 'byte' });
add({ name: 'pshuflw', family: 'int', pfx: 0xf2, op: 0x70, reg: 'xmm', rm: 'xmm', mem: 16, align: true, data: 'int', imm: 'byte' });
add({ name: 'pinsrw mm', family: 'mmx', op: 0xc4, reg: 'mm', rm: 'gpr', mem: 2, data: 'int', imm: 'byte', w: 'both' });
add({ name: 'pinsrw', family: 'int', pfx: 0x66, op: 0xc4, reg: 'xmm', rm: 'gpr', mem: 2, data: 'int', imm: 'byte', w: 'both' });
add({ name: 'pextrw mm', family: 'mmx', op: 0xc5, reg: 'gpr', rm: 'mm', mem: 0, data: 'int', imm: 'byte', w: 'both' });
add({ name: 'pextrw', family: 'int', pfx: 0x66, op: 0xc5, reg: 'gpr', rm: 'xmm', mem: 0, data: 'int', imm: 'byte', w: 'both' });

// mmx.ts
add({ name: 'emms', family: 'mmx', op: 0x77, reg: 0, rm: null, mem: 0, data: 'int', noModrm: true });

// --- one random case ------------------------------------------------------------------------------

interface Case { form: Form; rec: Buffer; operands: string }

function fillData(r: Rng, buf: Buffer, off: number, n: number, data: Data): void {
  for (let k = 0; k < n; k += 4) {
    if (data === 'f32') buf.writeUInt32LE(genF32(r), off + k);
    else if (data === 'f64' && k % 8 === 0 && k + 8 <= n) { const [lo, hi] = genF64(r); buf.writeInt32LE(lo | 0, off + k); buf.writeInt32LE(hi | 0, off + k + 4); k += 4; }
    else if (data === 'count') {
      if (k % 8 === 0) buf.writeUInt32LE(r.chance(0.85) ? r.int(70) : r.chance(0.5) ? r.u32() : 0xffffffff, off + k);
      else buf.writeUInt32LE(r.chance(0.85) ? 0 : r.u32(), off + k);
    } else buf.writeInt32LE(genInt32(r), off + k);
  }
}

const F32 = new Float32Array(1), F32U = new Uint32Array(F32.buffer);
const F64 = new Float64Array(1), F64I = new Int32Array(F64.buffer);
const f32Bits = (x: number): number => { F32[0] = x; return F32U[0]; };
const bitsF32 = (b: number): number => { F32U[0] = b; return F32[0]; };
const f64Bits = (x: number): [number, number] => { F64[0] = x; return [F64I[0], F64I[1]]; };
const bitsF64 = (lo: number, hi: number): number => { F64I[0] = lo; F64I[1] = hi; return F64[0]; };

/** Results worth landing near: the underflow and overflow thresholds, the tininess boundary, 1. */
const TARGETS32 = [2 ** -126, 2 ** -126 * (1 - 2 ** -25), 2 ** -126 * (1 - 2 ** -24), 2 ** -149, 2 ** -140, 3.4028234663852886e38, 2 ** 128, 1];
const TARGETS64 = [2 ** -1022, 2 ** -1022 * (1 - 2 ** -54), 2 ** -1022 * (1 - 2 ** -53), 2 ** -1074, 2 ** -1060, Number.MAX_VALUE, 1];

/** A second operand related to the first lane value `v` (bits): equal, negated, a few ulps away, or
 * such that the product, quotient or sum lands near an interesting threshold. */
function relate32(r: Rng, v: number): number {
  switch (r.int(6)) {
    case 0: return v;
    case 1: return (v ^ 0x80000000) >>> 0;
    case 2: return (v + r.range(-3, 3)) >>> 0;
    case 3: return ((v & 0x807fffff) | ((((254 - ((v >>> 23) & 0xff)) + r.range(-3, 3)) & 0xff) << 23)) >>> 0;
    default: {
      const a = bitsF32(v), t = r.pick(TARGETS32) * (r.chance(0.5) ? 1 : 1 + r.range(-8, 8) * 2 ** -30);
      if (!(a !== 0 && Number.isFinite(a))) return v;
      const b = r.int(3) === 0 ? t * a : r.int(2) === 0 ? t / a : t - a; // divisor, factor, addend
      return (f32Bits(b) + r.range(-2, 2)) >>> 0;
    }
  }
}
function relate64(r: Rng, lo: number, hi: number): [number, number] {
  switch (r.int(6)) {
    case 0: return [lo, hi];
    case 1: return [lo, hi ^ 0x80000000];
    case 2: { const d = r.range(-3, 3); const nl = (lo >>> 0) + d; return [nl | 0, (hi + (nl < 0 ? -1 : nl > 0xffffffff ? 1 : 0)) | 0]; }
    case 3: return [lo, (hi & 0x800fffff) | ((((2046 - ((hi >>> 20) & 0x7ff)) + r.range(-3, 3)) & 0x7ff) << 20)];
    default: {
      const a = bitsF64(lo, hi), t = r.pick(TARGETS64) * (r.chance(0.5) ? 1 : 1 + r.range(-8, 8) * 2 ** -58);
      if (!(a !== 0 && Number.isFinite(a))) return [lo, hi];
      const b = r.int(3) === 0 ? t * a : r.int(2) === 0 ? t / a : t - a;
      const [bl, bh] = f64Bits(b);
      const d = r.range(-2, 2), nl = (bl >>> 0) + d;
      return [nl | 0, (bh + (nl < 0 ? -1 : nl > 0xffffffff ? 1 : 0)) | 0];
    }
  }
}

function genCase(r: Rng, f: Form): Case {
  const rec = Buffer.alloc(REC);
  // Registers and memory.
  const mxRc = r.int(4) << 13;
  let masks = 0x1f80;
  if (r.chance(0.25)) masks = (r.u32() & 0x1f80) | (r.chance(0.5) ? 0x1000 : 0);
  const flags = r.chance(0.3) ? r.u32() & 0x3f : 0;
  const mxcsr = masks | mxRc | flags | (r.chance(0.2) ? 0x40 : 0) | (r.chance(0.2) ? 0x8000 : 0);
  // Now and then an unmasked x87 exception is pending: MMX instructions then raise #MF.
  const pending = r.chance(0.03);
  rec.writeUInt16LE(pending ? 0x037e : 0x037f, R_FX + FX_FCW);
  const fsw = (r.int(8) << 11) | (pending ? 0x81 : r.chance(0.05) ? 0x20 : 0);
  rec.writeUInt16LE(fsw, R_FX + FX_FSW);
  rec[R_FX + FX_FTW] = r.int(256);
  rec.writeUInt32LE(mxcsr >>> 0, R_FX + FX_MXCSR);
  for (let i = 0; i < 8; i++) {
    fillData(r, rec, R_FX + FX_ST + 16 * i, 8, 'int');
    rec.writeUInt16LE(r.chance(0.5) ? 0xffff : r.int(65536), R_FX + FX_ST + 16 * i + 8);
  }
  for (let i = 0; i < 16; i++) fillData(r, rec, R_FX + FX_XMM + 16 * i, 16, f.data);
  fillData(r, rec, R_MEM, WIN_SIZE, f.data);
  for (let k = 0; k < 16; k++) {
    const [lo, hi] = genInt64(r);
    rec.writeInt32LE(lo, R_GPR + 8 * k); rec.writeInt32LE(hi, R_GPR + 8 * k + 4);
  }
  rec.writeUInt32LE(0x202 | (r.u32() & 0x8d5), R_FLAGS);

  // Operands.
  const pickReg = (k: Kind, avoid: number[] = []): number => {
    for (;;) {
      const n = k === 'mm' ? r.int(8) : r.int(16);
      if (k === 'gpr' && (n === 4 || avoid.includes(n))) continue;
      return n;
    }
  };
  const regNum = typeof f.reg === 'number' ? f.reg : pickReg(f.reg);
  const useMem = f.mem > 0 && (f.rm === null || r.chance(0.5));
  const rex = { w: f.w === 'yes' || (f.w === 'both' && r.chance(0.5)), r: false, x: false, b: false };
  if (f.w === 'no' && r.chance(0.1) && f.reg !== 'gpr' && f.rm !== 'gpr') rex.w = true; // ignored
  let memSize = f.mem;
  if (rex.w && (f.op === 0x6e || f.op === 0x7e || f.op === 0xc3 || (f.op === 0x2a && f.pfx >= 0xf2)) && f.mem === 4) memSize = 8;
  const bytes: number[] = [];
  let modrm = 0, sib = -1, disp: number[] = [], ripDispAt = -1, rmNum = 0;
  let addr = 0;
  const regField = regNum & 7;
  if (typeof f.reg !== 'number' && f.reg !== 'mm' && regNum >= 8) rex.r = true;
  if (f.reg === 'mm' && r.chance(0.15)) rex.r = true; // REX.R does not extend mm registers
  const gprReg = f.reg === 'gpr' ? regNum : -1;
  if (!useMem) {
    rmNum = f.rm === null ? 0 : pickReg(f.rm, [gprReg]);
    if (f.rm !== 'mm' && rmNum >= 8) rex.b = true;
    if (f.rm === 'mm' && r.chance(0.15)) rex.b = true;
    modrm = 0xc0 | (regField << 3) | (rmNum & 7);
  } else {
    // Where the operand goes: inside the window, naturally aligned, misaligned, or across its end.
    const a = f.align ? 16 : memSize;
    let off: number;
    const roll = r.int(100);
    if (roll < 6) off = WIN_SIZE - memSize + r.range(1, memSize - 1); // crosses into the unmapped page
    else if (roll < (f.align ? 16 : 40)) off = r.int(WIN_SIZE - memSize + 1); // anywhere
    else off = r.int((WIN_SIZE - memSize) / a + 1) * a;
    addr = WIN_ADDR + off;
    const mode = r.int(10);
    const avoid = [gprReg];
    if (mode < 2) { // rip-relative
      modrm = (regField << 3) | 5;
      ripDispAt = 0;
      disp = [0, 0, 0, 0];
    } else {
      const base = pickReg('gpr', avoid);
      const useIndex = mode >= 7;
      const index = useIndex ? pickReg('gpr', [...avoid, base]) : -1;
      const scale = useIndex ? r.int(4) : 0;
      const d = r.pick([0, r.range(-128, 127), r.range(-100000, 100000)]);
      let idxVal = 0;
      if (useIndex) {
        idxVal = r.range(-64, 64);
        rec.writeInt32LE(idxVal, R_GPR + 8 * index); rec.writeInt32LE(idxVal < 0 ? -1 : 0, R_GPR + 8 * index + 4);
      }
      const baseVal = addr - d - idxVal * (1 << scale);
      rec.writeUInt32LE(baseVal >>> 0, R_GPR + 8 * base); rec.writeUInt32LE(Math.floor(baseVal / 4294967296), R_GPR + 8 * base + 4);
      const needDisp32 = d < -128 || d > 127;
      const mod = needDisp32 ? 2 : d !== 0 || (base & 7) === 5 ? 1 : 0;
      if (base >= 8) rex.b = true;
      if (useIndex || (base & 7) === 4) {
        modrm = (mod << 6) | (regField << 3) | 4;
        const idx = useIndex ? index : 4;
        if (idx >= 8) rex.x = true;
        sib = (scale << 6) | ((idx & 7) << 3) | (base & 7);
      } else modrm = (mod << 6) | (regField << 3) | (base & 7);
      if (mod === 1) disp = [d & 0xff];
      else if (mod === 2) disp = [d & 0xff, (d >> 8) & 0xff, (d >> 16) & 0xff, (d >>> 24) & 0xff];
    }
  }
  if (f.pfx) bytes.push(f.pfx);
  const rexByte = 0x40 | (rex.w ? 8 : 0) | (rex.r ? 4 : 0) | (rex.x ? 2 : 0) | (rex.b ? 1 : 0);
  if (rexByte !== 0x40 || r.chance(0.05)) bytes.push(rexByte);
  bytes.push(0x0f, f.op);
  if (!f.noModrm) {
    bytes.push(modrm);
    if (sib >= 0) bytes.push(sib);
    if (ripDispAt >= 0) ripDispAt = bytes.length;
    bytes.push(...disp);
  }
  if (f.imm) {
    const v = f.imm === 'pred' ? (r.chance(0.85) ? r.int(8) : r.int(256))
      : f.imm === 'shift' ? (r.chance(0.85) ? r.int(70) : r.int(256)) : r.int(256);
    bytes.push(v);
  }
  if (ripDispAt >= 0) {
    const d = addr - (CODE_ADDR + bytes.length);
    bytes[ripDispAt] = d & 0xff; bytes[ripDispAt + 1] = (d >> 8) & 0xff;
    bytes[ripDispAt + 2] = (d >> 16) & 0xff; bytes[ripDispAt + 3] = (d >>> 24) & 0xff;
  }
  Buffer.from(bytes).copy(rec, R_CODE);
  rec.writeUInt32LE(bytes.length, R_LEN);
  if (f.rdi) {
    const off = r.int(WIN_SIZE - 16 + 1);
    rec.writeUInt32LE(WIN_ADDR + off, R_GPR + 8 * 7); rec.writeUInt32LE(0, R_GPR + 8 * 7 + 4);
  }

  // The source operand: counts for shifts, or values related to the destination's lanes.
  const srcAt = useMem ? (addr + memSize <= WIN_ADDR + WIN_SIZE ? R_MEM + (addr - WIN_ADDR) : -1)
    : f.rm === 'xmm' ? R_FX + FX_XMM + 16 * rmNum : f.rm === 'mm' ? R_FX + FX_ST + 16 * rmNum : -1;
  const srcLen = useMem ? memSize : f.rm === 'xmm' ? 16 : f.rm === 'mm' ? 8 : 0;
  if (srcAt >= 0 && srcLen > 0) {
    if (f.srcData) fillData(r, rec, srcAt, srcLen, f.srcData);
    if (f.related && f.reg === 'xmm') {
      const dst = R_FX + FX_XMM + 16 * regNum;
      const step = f.related === 'fp32' ? 4 : 8;
      for (let k = 0; k + step <= srcLen; k += step) {
        if (!r.chance(0.35)) continue;
        if (step === 4) rec.writeUInt32LE(relate32(r, rec.readUInt32LE(dst + k)), srcAt + k);
        else {
          const [lo, hi] = relate64(r, rec.readInt32LE(dst + k), rec.readInt32LE(dst + k + 4));
          rec.writeInt32LE(lo, srcAt + k); rec.writeInt32LE(hi, srcAt + k + 4);
        }
      }
    }
  }
  const show = (k: Kind | number | null, n: number): string => {
    if (k === 'xmm') return `xmm${n}=${hexLE(rec, R_FX + FX_XMM + 16 * n, 16)}`;
    if (k === 'mm') return `mm${n}=${hexLE(rec, R_FX + FX_ST + 16 * n, 8)}`;
    if (k === 'gpr') return `r${n}=${hexLE(rec, R_GPR + 8 * n, 8)}`;
    return '';
  };
  const operands = [show(f.reg, regNum), useMem ? `m${memSize * 8}@${(addr - WIN_ADDR).toString(16)}=${srcAt >= 0 ? hexLE(rec, srcAt, memSize) : '(fault)'}` : show(f.rm, rmNum)].join(' ');
  return { form: f, rec, operands };
}

// --- the test ---------------------------------------------------------------------------------------

const seed = process.env.SSE_SEED ? Number(process.env.SSE_SEED) : (Math.random() * 4294967296) >>> 0;
const perForm = process.env.SSE_CASES ? Number(process.env.SSE_CASES) : 400;
const bin = buildHarness();

t.test('SSE/SSE2/MMX against the host CPU', { skip: bin === null ? 'needs gcc on x86-64 Linux' : false }, async (t) => {
  t.comment(`seed ${seed} (replay with SSE_SEED=${seed}), ${perForm} cases per form, ${forms.length} forms`);
  const emu = new Emu();
  const families: Family[] = ['move', 'int', 'fp', 'convert', 'mmx'];
  for (const fam of families) {
    if (process.env.SSE_FAMILY && process.env.SSE_FAMILY !== fam) continue;
    await t.test(fam, async (t) => {
      const cases: Case[] = [];
      const only = process.env.SSE_ONLY;
      forms.forEach((f, fi) => {
        if (f.family !== fam || (only && f.name !== only)) return;
        // One generator per case, so that SSE_ONLY=<form> replays the very same cases.
        for (let k = 0; k < perForm; k++) cases.push(genCase(new Rng(seed ^ Math.imul(fi + 1, 0x9e3779b9) ^ Math.imul(k + 1, 0x85ebca6b)), f));
      });
      const native = runNative(bin!, cases.map((c) => c.rec));
      let bad = 0;
      const shown: string[] = [];
      const perName = new Map<string, number>();
      const traps = new Map<number, number>();
      cases.forEach((c, k) => {
        const out = emu.run(c.rec);
        const d = diff(c.rec, native[k], out);
        const trap = native[k].readInt32LE(R_TRAP);
        traps.set(trap, (traps.get(trap) ?? 0) + 1);
        if (d.length === 0) return;
        bad++;
        perName.set(c.form.name, (perName.get(c.form.name) ?? 0) + 1);
        if (shown.length < 12) {
          const code = [...c.rec.subarray(0, c.rec.readUInt32LE(R_LEN))].map((x) => x.toString(16).padStart(2, '0')).join(' ');
          shown.push(`${c.form.name} [${code}] mxcsr ${c.rec.readUInt32LE(R_FX + FX_MXCSR).toString(16)} ${c.operands}\n    ${d.join('\n    ')}`);
        }
      });
      t.comment(`${fam}: ${cases.length - bad}/${cases.length} cases agree; outcomes ${[...traps].map(([k, v]) => `${k === -1 ? 'ok' : '#' + k}:${v}`).join(' ')}`);
      if (bad > 0) t.comment(`mismatches by form: ${[...perName].map(([k, v]) => `${k}:${v}`).join(' ')}`);
      t.equal(bad, 0, `${fam}: every case agrees with the host CPU`, { diagnostic: bad > 0, examples: shown.join('\n') });
    });
  }
});

t.teardown(() => { if (bin) rmSync(join(bin, '..'), { recursive: true, force: true }); });
