// The guest's page mappings as the MMU walks them. For now a flat table (virtual page -> frame and
// permissions); x86 4-level tables, shadow paging and EPT come later behind the same `lookup`.

export const enum Perm { NONE = 0, READ = 1, WRITE = 2, EXEC = 4 }

/** A page-table entry packed in one number: frame << 3 | perms. -1 means not mapped. */
export type Pte = number;

/** Lowest non-canonical user address: everything at or above it (and below 0) always faults. */
export const USER_ADDRESS_LIMIT = 2 ** 47;

export interface PageTranslator {
  /** The entry for virtual page number `vpn`, or -1. */
  lookup(vpn: number): Pte;
}

export class FlatPageTable implements PageTranslator {
  private readonly entries = new Map<number, Pte>();

  lookup(vpn: number): Pte {
    const e = this.entries.get(vpn);
    return e === undefined ? -1 : e;
  }

  set(vpn: number, frame: number, perms: Perm): void {
    this.entries.set(vpn, frame * 8 + perms);
  }

  clear(vpn: number): void {
    this.entries.delete(vpn);
  }

  /** Clears `n` pages from `first`, walking whichever is smaller: the range or the table. */
  clearRange(first: number, n: number): void {
    if (n <= this.entries.size) {
      for (let k = 0; k < n; k++) this.entries.delete(first + k);
      return;
    }
    for (const vpn of this.entries.keys()) if (vpn >= first && vpn < first + n) this.entries.delete(vpn);
  }

  clearAll(): void {
    this.entries.clear();
  }

  get size(): number { return this.entries.size; }
}
