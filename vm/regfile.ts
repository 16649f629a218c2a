// The register file: one fixed layout of int32 slots in a SharedArrayBuffer.
// The CPU, the platforms, signal frames, --strace and checkpoints all read and write this layout,
// so a register file can cross a worker boundary (ptrace platform) without being copied.

/** General-purpose registers in encoding order; each occupies two slots (low, high half). */
export const enum Gpr {
  RAX = 0, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15,
}

export const GPR_NAMES = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi',
  'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'] as const;

/** Slot indexes into the Int32Array view. 64-bit values are (lo, hi) pairs. */
export const enum Slot {
  GPR = 0,            // 16 x 2
  RIP = 32,           // lo, hi
  RFLAGS = 34,        // the materialised non-arithmetic bits (DF, IF, ID, AC, TF...) plus arithmetic bits when FLAGS_OP = 0
  FLAGS_OP = 35,      // lazy flags: the last flag-setting operation (vm/cpu/flags.ts), 0 = RFLAGS holds them all
  FLAGS_SIZE = 36,    // its operand size in bits
  FLAGS_RES = 37,     // result lo, hi
  FLAGS_A = 39,       // first operand lo, hi
  FLAGS_B = 41,       // second operand lo, hi
  FLAGS_CF_IN = 43,   // carry in (adc/sbb) or preserved carry (inc/dec)
  FS_BASE = 44,       // lo, hi
  GS_BASE = 46,       // lo, hi
  MXCSR = 48,
  FCW = 49,           // x87 control word
  FSW = 50,           // x87 status word, TOP in bits 11..13
  FTW = 51,           // x87 tag word, abridged (one bit per register, 1 = valid), as fxsave stores it
  FOP = 52,
  XMM = 64,           // 16 registers x 4 slots, little-endian lanes
  ST = 128,           // 8 physical x87 registers x 4 slots: mantissa lo, mantissa hi, sign|exponent (16 bits), unused
  SIZE = 160,
}

export const REGFILE_BYTES = Slot.SIZE * 4;

export class RegisterFile {
  readonly i32: Int32Array;
  readonly u8: Uint8Array;
  readonly u16: Uint16Array;
  /** The XMM registers as lanes of each width. */
  readonly xi32: Int32Array;
  readonly xu8: Uint8Array;
  readonly xf32: Float32Array;
  readonly xf64: Float64Array;

  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(REGFILE_BYTES)) {
    this.i32 = new Int32Array(buffer, 0, Slot.SIZE);
    this.u8 = new Uint8Array(buffer, 0, REGFILE_BYTES);
    this.u16 = new Uint16Array(buffer, 0, Slot.SIZE * 2);
    this.xi32 = new Int32Array(buffer, Slot.XMM * 4, 64);
    this.xu8 = new Uint8Array(buffer, Slot.XMM * 4, 256);
    this.xf32 = new Float32Array(buffer, Slot.XMM * 4, 64);
    this.xf64 = new Float64Array(buffer, Slot.XMM * 4, 32);
  }

  /** Reads a 64-bit general register as a JS number; exact below 2^53 (addresses, small values). */
  getNumber(reg: Gpr): number {
    return this.i32[reg * 2 + 1] * 4294967296 + (this.i32[reg * 2] >>> 0);
  }

  setNumber(reg: Gpr, v: number): void {
    setPair(this.i32, reg * 2, v);
  }

  get rip(): number { return this.i32[Slot.RIP + 1] * 4294967296 + (this.i32[Slot.RIP] >>> 0); }
  set rip(v: number) { setPair(this.i32, Slot.RIP, v); }

  get fsBase(): number { return this.i32[Slot.FS_BASE + 1] * 4294967296 + (this.i32[Slot.FS_BASE] >>> 0); }
  set fsBase(v: number) { setPair(this.i32, Slot.FS_BASE, v); }

  copyFrom(other: RegisterFile): void { this.i32.set(other.i32); }

  /** Architectural reset for a new program: every register zero, x87 and SSE control at their defaults. */
  reset(): void {
    this.i32.fill(0);
    this.i32[Slot.RFLAGS] = 0x202;
    this.i32[Slot.MXCSR] = 0x1f80;
    this.i32[Slot.FCW] = 0x037f;
  }
}

/** Stores a JS number as a two's-complement 64-bit (lo, hi) pair; exact for |v| < 2^53. */
export function setPair(a: Int32Array, at: number, v: number): void {
  if ((v | 0) === v) { a[at] = v; a[at + 1] = v >> 31; return; } // small values (syscall results)
  const lo = v % 4294967296;
  a[at] = lo | 0;
  a[at + 1] = ((v - lo) / 4294967296) | 0;
  if (lo < 0) a[at + 1] -= 1;
}
