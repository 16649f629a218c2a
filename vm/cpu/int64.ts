// 64-bit and 128-bit integer arithmetic on 32-bit halves, without BigInt: shifts, 64x64->128
// multiply (16-bit limbs, so every partial product is exact in a double) and 128/64 divide.
// Results come back as int32 halves in a caller-owned Int32Array.

/** Scratch results: q[0..3] = 128-bit value (lo..hi) or quotient/remainder pairs. */
export const out = new Int32Array(4);

export function shl64(lo: number, hi: number, n: number): void {
  if (n === 0) { out[0] = lo; out[1] = hi; }
  else if (n < 32) { out[0] = lo << n; out[1] = (hi << n) | (lo >>> (32 - n)); }
  else { out[0] = 0; out[1] = lo << (n - 32); }
}

export function shr64(lo: number, hi: number, n: number): void {
  if (n === 0) { out[0] = lo; out[1] = hi; }
  else if (n < 32) { out[0] = (lo >>> n) | (hi << (32 - n)); out[1] = hi >>> n; }
  else { out[0] = hi >>> (n - 32); out[1] = 0; }
}

export function sar64(lo: number, hi: number, n: number): void {
  if (n === 0) { out[0] = lo; out[1] = hi; }
  else if (n < 32) { out[0] = (lo >>> n) | (hi << (32 - n)); out[1] = hi >> n; }
  else { out[0] = hi >> (n - 32); out[1] = hi >> 31; }
}

const limbs = new Uint32Array(8); // product limbs, 16 bits each
/**
 * Unsigned 64 x 64 -> 128 multiply: out[0..3] = the product, lowest word first.
 * Schoolbook on 16-bit limbs: each partial product is < 2^32 and sums stay below 2^53.
 */
export function mulu64(alo: number, ahi: number, blo: number, bhi: number): void {
  const a0 = alo & 0xffff, a1 = alo >>> 16, a2 = ahi & 0xffff, a3 = ahi >>> 16;
  const b0 = blo & 0xffff, b1 = blo >>> 16, b2 = bhi & 0xffff, b3 = bhi >>> 16;
  let carry = 0;
  let t = a0 * b0; limbs[0] = t & 0xffff; carry = Math.floor(t / 65536);
  t = carry + a0 * b1 + a1 * b0; limbs[1] = t % 65536; carry = Math.floor(t / 65536);
  t = carry + a0 * b2 + a1 * b1 + a2 * b0; limbs[2] = t % 65536; carry = Math.floor(t / 65536);
  t = carry + a0 * b3 + a1 * b2 + a2 * b1 + a3 * b0; limbs[3] = t % 65536; carry = Math.floor(t / 65536);
  t = carry + a1 * b3 + a2 * b2 + a3 * b1; limbs[4] = t % 65536; carry = Math.floor(t / 65536);
  t = carry + a2 * b3 + a3 * b2; limbs[5] = t % 65536; carry = Math.floor(t / 65536);
  t = carry + a3 * b3; limbs[6] = t % 65536; limbs[7] = Math.floor(t / 65536);
  out[0] = limbs[0] | (limbs[1] << 16);
  out[1] = limbs[2] | (limbs[3] << 16);
  out[2] = limbs[4] | (limbs[5] << 16);
  out[3] = limbs[6] | (limbs[7] << 16);
}

/** Signed 64 x 64 -> 128 multiply: the unsigned product corrected for negative operands. */
export function muls64(alo: number, ahi: number, blo: number, bhi: number): void {
  mulu64(alo, ahi, blo, bhi);
  // high -= (a < 0 ? b : 0) + (b < 0 ? a : 0), modulo 2^64
  let h0 = out[2] >>> 0, h1 = out[3] >>> 0;
  if (ahi < 0) { const d = h0 - (blo >>> 0); h0 = d >>> 0; h1 = (h1 - (bhi >>> 0) - (d < 0 ? 1 : 0)) >>> 0; }
  if (bhi < 0) { const d = h0 - (alo >>> 0); h0 = d >>> 0; h1 = (h1 - (ahi >>> 0) - (d < 0 ? 1 : 0)) >>> 0; }
  out[2] = h0 | 0; out[3] = h1 | 0;
}

/**
 * Unsigned 128 / 64 divide: (n3:n2:n1:n0) / (d1:d0) with the quotient known to fit in 64 bits
 * (the caller checks high < divisor). out[0..1] = quotient, out[2..3] = remainder.
 * Restoring shift-subtract over 64 bits when the divisor is large; a fast path when everything
 * fits in 53 bits.
 */
export function divu128(n0: number, n1: number, n2: number, n3: number, d0: number, d1: number): void {
  const dlo = d0 >>> 0, dhi = d1 >>> 0;
  // Fast path: 64-bit dividend (n2 = n3 = 0) with both below 2^53.
  if (n2 === 0 && n3 === 0 && (n1 >>> 0) < 0x200000 && dhi < 0x200000) {
    const n = (n1 >>> 0) * 4294967296 + (n0 >>> 0);
    const d = dhi * 4294967296 + dlo;
    const q = Math.floor(n / d);
    const r = n - q * d;
    out[0] = q % 4294967296 | 0; out[1] = Math.floor(q / 4294967296) | 0;
    out[2] = r % 4294967296 | 0; out[3] = Math.floor(r / 4294967296) | 0;
    return;
  }
  // Remainder (rh:rl, up to 65 bits via the carry) starts as the high 64 bits; shift in the low 64.
  let rl = n2 >>> 0, rh = n3 >>> 0;
  let ql = n0 >>> 0, qh = n1 >>> 0; // shifts left as quotient bits come in from the right
  for (let k = 0; k < 64; k++) {
    const top = rh >>> 31; // the bit shifted out of the 64-bit remainder
    rh = ((rh << 1) | (rl >>> 31)) >>> 0;
    rl = ((rl << 1) | (qh >>> 31)) >>> 0;
    qh = ((qh << 1) | (ql >>> 31)) >>> 0;
    ql = (ql << 1) >>> 0;
    if (top || rh > dhi || (rh === dhi && rl >= dlo)) {
      const s = rl - dlo;
      rl = s >>> 0;
      rh = (rh - dhi - (s < 0 ? 1 : 0)) >>> 0;
      ql = (ql | 1) >>> 0;
    }
  }
  out[0] = ql | 0; out[1] = qh | 0; out[2] = rl | 0; out[3] = rh | 0;
}

/** Two's-complement negation of a 128-bit value held in four int32 words (in place in `w`). */
export function neg128(w: Int32Array): void {
  let carry = 1;
  for (let k = 0; k < 4; k++) {
    const s = ((~w[k]) >>> 0) + carry;
    w[k] = s | 0;
    carry = s > 0xffffffff ? 1 : 0;
  }
}
