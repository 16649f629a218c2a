// A guest memory access the MMU could not complete. Thrown by accessors, caught where an
// instruction is executed, and reported to the kernel as a `fault` stop.

export const enum Access { READ = 0, WRITE = 1, EXEC = 2 }

export class PageFault {
  constructor(
    /** The faulting virtual address (a JS number; may be negative or huge for wild addresses). */
    readonly addr: number,
    readonly access: Access,
    /** True when a page is mapped there but its permissions forbid the access (SEGV_ACCERR). */
    readonly present: boolean,
  ) {}

  /** A non-canonical address: the CPU reports #GP rather than a page fault (SDM Vol. 3, 6.15). */
  get nonCanonical(): boolean {
    const a = this.addr;
    const canonical = (a >= -(2 ** 47) && a < 2 ** 47) || (a >= 2 ** 64 - 2 ** 47 && a < 2 ** 64);
    return !canonical;
  }
}
