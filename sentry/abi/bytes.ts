// 64-bit fields of Linux structs in a DataView, little-endian, as exact JS numbers (below 2^53:
// pointers, sizes, times, inode numbers). No BigInt.

export function getU64(dv: DataView, at: number): number {
  return dv.getUint32(at + 4, true) * 4294967296 + dv.getUint32(at, true);
}

export function getI64(dv: DataView, at: number): number {
  return dv.getInt32(at + 4, true) * 4294967296 + dv.getUint32(at, true);
}

/** Stores v as a two's-complement 64-bit value (negative values included). */
export function setU64(dv: DataView, at: number, v: number): void {
  const lo = v % 4294967296;
  dv.setUint32(at, lo >>> 0, true);
  dv.setInt32(at + 4, Math.floor(v / 4294967296), true);
}
