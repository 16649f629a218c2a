// The kvm-like platform: guest code runs in the Sentry's own thread, on an emulated CPU whose
// page tables the Sentry controls; `syscall` returns to the Sentry as a plain function return.
// Lowest latency; one guest thread runs at a time.

import { CodeCache, Cpu, FlatPageTable, Mmu, PAGE_SIZE, PhysicalMemory, RegisterFile, StopReason } from '../../vm/index.js';
import type { AddressSpace, Context, Platform, Stop } from '../platform.js';

export class KvmAddressSpace implements AddressSpace {
  readonly table = new FlatPageTable();
  /** MMUs currently caching translations of this address space (flushed on unmap/protect). */
  readonly users = new Set<Mmu>();

  map(addr: number, frames: ArrayLike<number>, perms: number): void {
    const vpn = addr / PAGE_SIZE;
    for (let k = 0; k < frames.length; k++) this.table.set(vpn + k, frames[k], perms);
    // A new mapping can replace an old one (mremap, MAP_FIXED): cached translations must go.
    this.flushUsers();
  }

  unmap(addr: number, length: number): void {
    this.table.clearRange(Math.floor(addr / PAGE_SIZE), Math.ceil(length / PAGE_SIZE));
    this.flushUsers();
  }

  protect(addr: number, length: number, perms: number): void {
    const first = Math.floor(addr / PAGE_SIZE), n = Math.ceil(length / PAGE_SIZE);
    for (let k = 0; k < n; k++) {
      const pte = this.table.lookup(first + k);
      if (pte >= 0) this.table.set(first + k, (pte - (pte & 7)) / 8, perms);
    }
    this.flushUsers();
  }

  release(): void {
    this.table.clearAll();
    this.flushUsers();
  }

  private flushUsers(): void {
    for (const m of this.users) m.flush();
  }
}

const EMPTY_TABLE = new FlatPageTable();

class KvmContext implements Context {
  private readonly mmu: Mmu;
  private readonly cpu: Cpu;
  private current: KvmAddressSpace | null = null;

  constructor(memory: PhysicalMemory, code: CodeCache) {
    this.mmu = new Mmu(memory, EMPTY_TABLE);
    this.cpu = new Cpu(new RegisterFile(), this.mmu, code);
  }

  get instructions(): number { return this.cpu.instructions; }

  switch(as: AddressSpace, regs: RegisterFile, budget: number, onSyscall?: () => boolean): Stop {
    const kas = as as KvmAddressSpace;
    if (this.current !== kas) {
      this.current?.users.delete(this.mmu);
      this.mmu.table = kas.table;
      this.mmu.flush();
      kas.users.add(this.mmu);
      this.current = kas;
    }
    this.cpu.attach(regs);
    this.cpu.syscallHook = onSyscall ?? null;
    const reason = this.cpu.run(budget);
    this.cpu.syscallHook = null;
    switch (reason) {
      case StopReason.SYSCALL: return SYSCALL_STOP;
      case StopReason.FAULT: {
        const f = this.cpu.fault!;
        return { kind: 'fault', addr: f.addr, access: f.access, present: f.present };
      }
      case StopReason.EXCEPTION: {
        const e = this.cpu.exception!;
        return { kind: 'exception', vector: e.vector, detail: e.detail };
      }
      default: return INTERRUPTED_STOP;
    }
  }

  interrupt(): void { this.cpu.interrupt(); }
}

const SYSCALL_STOP: Stop = { kind: 'syscall' };
const INTERRUPTED_STOP: Stop = { kind: 'interrupted' };

export class KvmPlatform implements Platform {
  readonly name = 'kvm';
  readonly memory: PhysicalMemory;
  private readonly code: CodeCache;

  constructor(memoryBytes: number) {
    this.memory = new PhysicalMemory(memoryBytes);
    this.code = new CodeCache(this.memory);
  }

  newAddressSpace(): AddressSpace { return new KvmAddressSpace(); }
  newContext(): Context { return new KvmContext(this.memory, this.code); }
}
