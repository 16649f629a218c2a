// One CPU's view of guest virtual memory: direct-mapped software TLBs (separate read, write and
// execute entries) in front of a page translator, and the typed accessors every instruction uses.
// Virtual addresses are JS numbers: exact for all canonical user addresses (below 2^47).

import { Access, PageFault } from './fault.js';
import { Perm, USER_ADDRESS_LIMIT, type PageTranslator } from './page_table.js';
import { PAGE_MASK, PAGE_SIZE, type PhysicalMemory } from './physical.js';

const TLB_BITS = 10;
const TLB_SIZE = 1 << TLB_BITS;
const TLB_MASK = TLB_SIZE - 1;

/** Source of translation epochs: unique across all MMUs, so an epoch names one MMU's mappings. */
let nextEpoch = 1;

export class Mmu {
  readonly u8: Uint8Array;
  /**
   * Changes whenever cached translations may have changed (every flush). Code that remembers
   * "virtual address X runs block B" (block chaining) is valid while the epoch it saw is current.
   */
  epoch = nextEpoch++;
  readonly view: DataView;
  // Tags are virtual page numbers; NaN never matches, so a flushed entry needs no valid bit.
  private readonly rTag = new Float64Array(TLB_SIZE).fill(NaN);
  private readonly rBase = new Float64Array(TLB_SIZE);
  private readonly wTag = new Float64Array(TLB_SIZE).fill(NaN);
  private readonly wBase = new Float64Array(TLB_SIZE);
  private readonly xTag = new Float64Array(TLB_SIZE).fill(NaN);
  private readonly xBase = new Float64Array(TLB_SIZE);

  constructor(readonly phys: PhysicalMemory, public table: PageTranslator) {
    this.u8 = phys.u8;
    this.view = phys.view;
  }

  flush(): void {
    this.epoch = nextEpoch++;
    this.rTag.fill(NaN);
    this.wTag.fill(NaN);
    this.xTag.fill(NaN);
  }

  /** Forgets write entries that point into `frame`, so the next write there takes the slow path. */
  flushWritesTo(frame: number): void {
    const base = frame * PAGE_SIZE;
    for (let i = 0; i < TLB_SIZE; i++) if (this.wBase[i] === base) this.wTag[i] = NaN;
  }

  // --- translation (slow path) -------------------------------------------------------------

  /** Physical address for an access at `addr`, filling the TLB; throws PageFault. */
  translate(addr: number, access: Access): number {
    if (!(addr >= 0 && addr < USER_ADDRESS_LIMIT)) throw new PageFault(addr, access, false);
    const vpn = Math.floor(addr / PAGE_SIZE);
    const pte = this.table.lookup(vpn);
    if (pte < 0) throw new PageFault(addr, access, false);
    const perms = pte & 7;
    const frame = (pte - perms) / 8;
    const base = frame * PAGE_SIZE;
    const i = vpn & TLB_MASK;
    if (access === Access.READ) {
      if (!(perms & Perm.READ)) throw new PageFault(addr, access, true);
      this.rTag[i] = vpn; this.rBase[i] = base;
    } else if (access === Access.WRITE) {
      if (!(perms & Perm.WRITE)) throw new PageFault(addr, access, true);
      if (this.phys.codeFrames[frame]) this.phys.invalidateCode(frame); // self-modifying code
      else { this.wTag[i] = vpn; this.wBase[i] = base; }
    } else {
      if (!(perms & Perm.EXEC)) throw new PageFault(addr, access, true);
      this.xTag[i] = vpn; this.xBase[i] = base;
    }
    return base + (addr & PAGE_MASK);
  }

  /** Physical address of an instruction fetch at `addr`. */
  fetchAddr(addr: number): number {
    const vpn = Math.floor(addr / PAGE_SIZE);
    const i = vpn & TLB_MASK;
    if (this.xTag[i] === vpn) return this.xBase[i] + (addr & PAGE_MASK);
    return this.translate(addr, Access.EXEC);
  }

  // --- accessors -----------------------------------------------------------------------------

  read8(a: number): number {
    const vpn = Math.floor(a / PAGE_SIZE);
    const i = vpn & TLB_MASK;
    if (this.rTag[i] === vpn) return this.u8[this.rBase[i] + (a & PAGE_MASK)];
    return this.u8[this.translate(a, Access.READ)];
  }

  read16(a: number): number {
    const vpn = Math.floor(a / PAGE_SIZE);
    const i = vpn & TLB_MASK;
    const off = a & PAGE_MASK;
    if (this.rTag[i] === vpn && off <= PAGE_SIZE - 2) return this.view.getUint16(this.rBase[i] + off, true);
    return this.read8(a) | (this.read8(a + 1) << 8);
  }

  /** Reads 32 bits as an int32. */
  read32(a: number): number {
    const vpn = Math.floor(a / PAGE_SIZE);
    const i = vpn & TLB_MASK;
    const off = a & PAGE_MASK;
    if (this.rTag[i] === vpn && off <= PAGE_SIZE - 4) return this.view.getInt32(this.rBase[i] + off, true);
    return this.read8(a) | (this.read8(a + 1) << 8) | (this.read8(a + 2) << 16) | (this.read8(a + 3) << 24);
  }

  /** Reads a 64-bit value exactly as a JS number when it is below 2^53 (pointers); see read32 for halves. */
  read64AsNumber(a: number): number {
    return this.read32(a + 4) * 4294967296 + (this.read32(a) >>> 0);
  }

  write8(a: number, v: number): void {
    const vpn = Math.floor(a / PAGE_SIZE);
    const i = vpn & TLB_MASK;
    if (this.wTag[i] === vpn) { this.u8[this.wBase[i] + (a & PAGE_MASK)] = v; return; }
    this.u8[this.translate(a, Access.WRITE)] = v;
  }

  write16(a: number, v: number): void {
    const vpn = Math.floor(a / PAGE_SIZE);
    const i = vpn & TLB_MASK;
    const off = a & PAGE_MASK;
    if (this.wTag[i] === vpn && off <= PAGE_SIZE - 2) { this.view.setUint16(this.wBase[i] + off, v, true); return; }
    this.writeBytes(a, v, 2);
  }

  write32(a: number, v: number): void {
    const vpn = Math.floor(a / PAGE_SIZE);
    const i = vpn & TLB_MASK;
    const off = a & PAGE_MASK;
    if (this.wTag[i] === vpn && off <= PAGE_SIZE - 4) { this.view.setInt32(this.wBase[i] + off, v, true); return; }
    this.writeBytes(a, v, 4);
  }

  /** Writes the 64-bit value (lo, hi). Both halves are checked before either is stored. */
  write64(a: number, lo: number, hi: number): void {
    const vpn = Math.floor(a / PAGE_SIZE);
    const i = vpn & TLB_MASK;
    const off = a & PAGE_MASK;
    if (this.wTag[i] === vpn && off <= PAGE_SIZE - 8) {
      const p = this.wBase[i] + off;
      this.view.setInt32(p, lo, true);
      this.view.setInt32(p + 4, hi, true);
      return;
    }
    this.checkWritable(a, 8);
    this.write32(a, lo);
    this.write32(a + 4, hi);
  }

  /** Faults now if any byte of [a, a+n) is not writable, so a multi-part store is all-or-nothing. */
  checkWritable(a: number, n: number): void {
    this.translate(a, Access.WRITE);
    // The fault, if any, is reported at the first byte of the next page, as the CPU does.
    if (((a & PAGE_MASK) + n) > PAGE_SIZE) this.translate(a - (a & PAGE_MASK) + PAGE_SIZE, Access.WRITE);
  }

  private writeBytes(a: number, v: number, n: number): void {
    this.checkWritable(a, n);
    for (let k = 0; k < n; k++) this.write8(a + k, (v >>> (8 * k)) & 0xff);
  }

  // --- bulk copies for the kernel (copy-in / copy-out) --------------------------------------

  readBytes(a: number, out: Uint8Array): void {
    let done = 0;
    while (done < out.length) {
      const p = this.translate(a + done, Access.READ);
      const n = Math.min(out.length - done, PAGE_SIZE - ((a + done) & PAGE_MASK));
      out.set(this.u8.subarray(p, p + n), done);
      done += n;
    }
  }

  writeBytesFrom(a: number, src: Uint8Array): void {
    let done = 0;
    while (done < src.length) {
      const p = this.translate(a + done, Access.WRITE);
      const n = Math.min(src.length - done, PAGE_SIZE - ((a + done) & PAGE_MASK));
      this.u8.set(src.subarray(done, done + n), p);
      done += n;
    }
  }
}
