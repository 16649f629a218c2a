// The limb arithmetic behind mul/div at 64 bits, checked against BigInt (fine in tests, never in vm/).
import t from 'tap';
import { divu128, muls64, mulu64, out } from '../../vm/cpu/int64.js';

const M64 = (1n << 64n) - 1n;
function rnd64(r: () => number): bigint {
  const special = [0n, 1n, M64, 1n << 63n, (1n << 63n) - 1n, 0xffffffffn, 1n << 32n];
  if (r() < 0.3) return special[Math.floor(r() * special.length)];
  return (BigInt(Math.floor(r() * 2 ** 32)) << 32n) | BigInt(Math.floor(r() * 2 ** 32));
}
function halves(v: bigint): [number, number] { return [Number(v & 0xffffffffn) | 0, Number((v >> 32n) & 0xffffffffn) | 0]; }
function word(k: number): bigint { return BigInt(out[k] >>> 0); }
function xorshift(seed: number) { let s = seed >>> 0 || 1; return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 2 ** 32; }; }

const seed = Number(process.env.INT64_SEED ?? Date.now() % 1e9);
t.comment(`seed ${seed}`);
const r = xorshift(seed);

t.test('mulu64 and muls64 give the exact 128-bit product', async (t) => {
  let bad = 0;
  for (let n = 0; n < 20000; n++) {
    const a = rnd64(r), b = rnd64(r);
    const [al, ah] = halves(a), [bl, bh] = halves(b);
    mulu64(al, ah, bl, bh);
    const got = word(0) | (word(1) << 32n) | (word(2) << 64n) | (word(3) << 96n);
    if (got !== a * b) bad++;
    const sa = BigInt.asIntN(64, a), sb = BigInt.asIntN(64, b);
    muls64(al, ah, bl, bh);
    const sgot = word(0) | (word(1) << 32n) | (word(2) << 64n) | (word(3) << 96n);
    if (sgot !== BigInt.asUintN(128, sa * sb)) bad++;
  }
  t.equal(bad, 0);
});

t.test('divu128 gives quotient and remainder when the quotient fits', async (t) => {
  let bad = 0;
  for (let n = 0; n < 20000; n++) {
    const d = rnd64(r) || 1n;
    const q = rnd64(r), m = rnd64(r) % d;
    const num = q * d + m;
    if (num >> 128n) continue;
    const ws = [0, 1, 2, 3].map((k) => Number((num >> BigInt(32 * k)) & 0xffffffffn) | 0);
    const [dl, dh] = halves(d);
    divu128(ws[0], ws[1], ws[2], ws[3], dl, dh);
    if ((word(0) | (word(1) << 32n)) !== q || (word(2) | (word(3) << 32n)) !== m) bad++;
  }
  t.equal(bad, 0);
});
