// CPU exceptions raised while executing guest code (Intel SDM Vol. 3, 6.15), reported to the
// kernel as an `exception` stop. Page faults have their own type (vm/memory/fault.ts).

export const enum Vector {
  DE = 0,  // divide error -> SIGFPE
  DB = 1,
  BP = 3,  // int3 -> SIGTRAP
  OF = 4,
  UD = 6,  // invalid opcode -> SIGILL
  NM = 7,
  GP = 13, // general protection (non-canonical address, privileged instruction) -> SIGSEGV
  MF = 16, // x87 floating-point error -> SIGFPE
  AC = 17,
  XM = 19, // SIMD floating-point exception -> SIGFPE
}

export class CpuException {
  constructor(readonly vector: Vector, readonly detail = '') {}
}
