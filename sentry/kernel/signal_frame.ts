// The x86-64 signal frame (Linux arch/x86/kernel/signal.c, rt_sigframe): what a handler finds on
// its stack, and what rt_sigreturn reads back. Layout, from the frame's address:
//     0  pretcode     the return address: sa_restorer, which calls rt_sigreturn
//     8  ucontext     uc_flags, uc_link, uc_stack (24), uc_mcontext (sigcontext, 256), uc_sigmask
//   312  siginfo      128 bytes
// and, above it, the 512-byte FXSAVE image that sigcontext.fpstate points at.

import { Gpr, readFxImage, Slot, writeFxImage, type RegisterFile } from '../../platform/platform.js';
import type { MemoryManager } from '../mm/mm.js';
import { SigSet, type SigInfo } from './sigset.js';
import { SS_DISABLE, SS_ONSTACK, type AltStack } from './task.js';

const FRAME_SIZE = 440, UCONTEXT = 8, MCONTEXT = UCONTEXT + 40, SIGMASK = UCONTEXT + 296, SIGINFO = 312;
const FPSTATE_SIZE = 512;
const RED_ZONE = 128;
const UC_SIGCONTEXT_SS = 2, UC_STRICT_RESTORE_SS = 4;
/** sigcontext's general registers, in order, as regfile indexes. */
const MCONTEXT_GPRS = [Gpr.R8, Gpr.R9, Gpr.R10, Gpr.R11, Gpr.R12, Gpr.R13, Gpr.R14, Gpr.R15,
  Gpr.RDI, Gpr.RSI, Gpr.RBP, Gpr.RBX, Gpr.RDX, Gpr.RAX, Gpr.RCX, Gpr.RSP];
const TF = 0x100, DF = 0x400, RF = 0x10000;
/** The flags a frame may change on return (Linux FIX_EFLAGS). */
const FIX_EFLAGS = 0x1 | 0x4 | 0x10 | 0x40 | 0x80 | TF | DF | 0x800 | RF | 0x40000;
const USER_CS = 0x33, USER_SS = 0x2b;

export function onAltStack(alt: AltStack, sp: number): boolean {
  return !(alt.flags & SS_DISABLE) && sp > alt.sp && sp - alt.sp <= alt.size;
}

/** What delivering one signal to a handler needs. */
export interface FrameRequest {
  info: SigInfo;
  handler: number;
  restorer: number;
  /** Run on the alternate stack (SA_ONSTACK) if one is set up and not in use. */
  onStack: boolean;
  /** The mask the handler's return restores. */
  savedMask: SigSet;
  /** Hardware details for a fault: the faulting address (cr2) and the trap number. */
  cr2?: number;
  trapno?: number;
}

/**
 * Pushes the frame and points the registers at the handler. False when the frame cannot be
 * written (a bad stack): the caller then kills the task with SIGSEGV, as Linux does.
 */
export function pushSignalFrame(mm: MemoryManager, regs: RegisterFile, alt: AltStack, r: FrameRequest): boolean {
  const i32 = regs.i32;
  let sp = regs.getNumber(Gpr.RSP);
  const useAlt = r.onStack && !(alt.flags & SS_DISABLE) && !onAltStack(alt, sp);
  sp = useAlt ? alt.sp + alt.size : sp - RED_ZONE;
  const fpAddr = Math.floor((sp - FPSTATE_SIZE) / 64) * 64;
  const frame = Math.floor((fpAddr - FRAME_SIZE) / 16) * 16 - 8;

  const fp = new Int32Array(FPSTATE_SIZE / 4);
  writeFxImage(i32, regs.xi32, fp);
  const b = new Uint8Array(FRAME_SIZE);
  const dv = new DataView(b.buffer);
  put64(dv, 0, r.restorer);
  put64(dv, UCONTEXT, UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS);
  put64(dv, UCONTEXT + 16, alt.sp);
  dv.setInt32(UCONTEXT + 24, alt.flags & SS_DISABLE ? SS_DISABLE : onAltStack(alt, regs.getNumber(Gpr.RSP)) ? SS_ONSTACK : 0, true);
  put64(dv, UCONTEXT + 32, alt.size);
  MCONTEXT_GPRS.forEach((g, k) => { dv.setInt32(MCONTEXT + 8 * k, i32[2 * g], true); dv.setInt32(MCONTEXT + 8 * k + 4, i32[2 * g + 1], true); });
  dv.setInt32(MCONTEXT + 128, i32[Slot.RIP], true); dv.setInt32(MCONTEXT + 132, i32[Slot.RIP + 1], true);
  dv.setInt32(MCONTEXT + 136, i32[Slot.RFLAGS], true);
  dv.setUint16(MCONTEXT + 144, USER_CS, true);
  dv.setUint16(MCONTEXT + 150, USER_SS, true);
  put64(dv, MCONTEXT + 160, r.trapno ?? 0);
  dv.setInt32(MCONTEXT + 168, r.savedMask.lo, true);
  put64(dv, MCONTEXT + 176, r.cr2 ?? 0);
  put64(dv, MCONTEXT + 184, fpAddr);
  dv.setInt32(SIGMASK, r.savedMask.lo, true); dv.setInt32(SIGMASK + 4, r.savedMask.hi, true);
  b.set(r.info.bytes, SIGINFO);
  if (!mm.copyOut(frame, b) || !mm.copyOut(fpAddr, new Uint8Array(fp.buffer))) return false;

  regs.setNumber(Gpr.RSP, frame);
  regs.rip = r.handler;
  regs.setNumber(Gpr.RDI, r.info.signo);
  regs.setNumber(Gpr.RSI, frame + SIGINFO);
  regs.setNumber(Gpr.RDX, frame + UCONTEXT);
  regs.setNumber(Gpr.RAX, 0);
  i32[Slot.RFLAGS] &= ~(DF | TF | RF);
  i32[Slot.FLAGS_OP] = 0;
  return true;
}

/** What rt_sigreturn restores besides the registers. */
export interface Restored { mask: SigSet; stack: { sp: number; flags: number; size: number } }

/**
 * Reads the frame rt_sigreturn finds at rsp (the restorer's `ret` popped pretcode) back into the
 * registers. Null when it cannot be read, or its FPU image is invalid (SIGSEGV).
 */
export function popSignalFrame(mm: MemoryManager, regs: RegisterFile): Restored | null {
  const uc = regs.getNumber(Gpr.RSP);
  const b = new Uint8Array(FRAME_SIZE - UCONTEXT);
  if (!mm.copyIn(uc, b)) return null;
  const dv = new DataView(b.buffer);
  const at = (off: number) => off - UCONTEXT;
  const fpAddr = get64(dv, at(MCONTEXT + 184));
  const i32 = regs.i32;
  if (fpAddr !== 0) {
    const fp = new Uint8Array(FPSTATE_SIZE);
    if (!mm.copyIn(fpAddr, fp) || !readFxImage(i32, regs.xi32, new Int32Array(fp.buffer))) return null;
  }
  MCONTEXT_GPRS.forEach((g, k) => { i32[2 * g] = dv.getInt32(at(MCONTEXT + 8 * k), true); i32[2 * g + 1] = dv.getInt32(at(MCONTEXT + 8 * k + 4), true); });
  i32[Slot.RIP] = dv.getInt32(at(MCONTEXT + 128), true);
  i32[Slot.RIP + 1] = dv.getInt32(at(MCONTEXT + 132), true);
  const flags = dv.getInt32(at(MCONTEXT + 136), true);
  i32[Slot.RFLAGS] = (i32[Slot.RFLAGS] & ~FIX_EFLAGS) | (flags & FIX_EFLAGS) | 2;
  i32[Slot.FLAGS_OP] = 0;
  return {
    mask: new SigSet(dv.getInt32(at(SIGMASK), true), dv.getInt32(at(SIGMASK + 4), true)),
    stack: { sp: get64(dv, at(UCONTEXT + 16)), flags: dv.getInt32(at(UCONTEXT + 24), true), size: get64(dv, at(UCONTEXT + 32)) },
  };
}

function put64(dv: DataView, off: number, v: number): void {
  dv.setUint32(off, v % 4294967296 >>> 0, true);
  dv.setUint32(off + 4, Math.floor(v / 4294967296) >>> 0, true);
}

function get64(dv: DataView, off: number): number {
  return dv.getUint32(off + 4, true) * 4294967296 + dv.getUint32(off, true);
}
