// The seam between the kernel and the machine, after gVisor's pkg/sentry/platform: make an address
// space, make a context, run a context in an address space until the guest stops. The Sentry
// never runs guest code itself and never sees how the platform does it.

import type { PhysicalMemory, RegisterFile } from '../vm/index.js';

export { Access, Gpr, GPR_NAMES, PAGE_MASK, PAGE_SIZE, Perm, PhysicalMemory, RegisterFile, Slot, USER_ADDRESS_LIMIT, Vector, getRflags, readFxImage, setPair, writeFxImage } from '../vm/index.js';

export interface Platform {
  readonly name: string;
  /** Guest physical memory, shared by every address space and context of this platform. */
  readonly memory: PhysicalMemory;
  newAddressSpace(): AddressSpace;
  newContext(): Context;
}

/**
 * A cache of the kernel's mappings. The memory manager owns the truth (VMAs and frames) and may
 * drop and rebuild any part of this; a missing mapping just produces a fault stop.
 */
export interface AddressSpace {
  /** Maps the pages at `addr` to `frames` (one per page) with `perms` (Perm bits). */
  map(addr: number, frames: ArrayLike<number>, perms: number): void;
  /** Removes mappings; when it returns, no context can still reach the old frames. */
  unmap(addr: number, length: number): void;
  /** Changes permissions of the mapped pages in the range. */
  protect(addr: number, length: number, perms: number): void;
  /** Drops everything (exec, exit). */
  release(): void;
}

export type Stop =
  | { kind: 'syscall' }
  | { kind: 'fault'; addr: number; access: number; present: boolean }
  | { kind: 'exception'; vector: number; detail: string }
  | { kind: 'interrupted' };

export interface Context {
  /**
   * Runs the guest with `regs` in `as` until it stops, at most about `budget` instructions
   * (then `interrupted`). `regs` holds the full state before and after.
   *
   * `onSyscall`, where the platform can call it (in-process platforms), is called at each syscall
   * with `regs` in sync: returning true means the kernel answered it and the guest goes on
   * without a stop; false makes switch() return the `syscall` stop. Platforms that cannot call
   * it (guest code in another thread) always return the stop.
   */
  switch(as: AddressSpace, regs: RegisterFile, budget: number, onSyscall?: () => boolean): Stop | Promise<Stop>;
  /** Makes a running switch() return soon with `interrupted`. */
  interrupt(): void;
  /** Instructions executed by this context so far (CPU time accounting). */
  readonly instructions: number;
}
