// Capability sets as numbers (bit n for capability n; all are below 41, so a JS number holds a
// set exactly) and the set arithmetic on them, done on 32-bit halves since JS bit operators stop
// at 32 bits.

export const CAP_SETGID = 6, CAP_SETUID = 7, CAP_SETPCAP = 8, CAP_LAST_CAP = 40;
export const ALL_CAPS = 2 ** (CAP_LAST_CAP + 1) - 1;

const HI = 4294967296;
const lo = (s: number) => s % HI >>> 0;
const hi = (s: number) => Math.floor(s / HI) >>> 0;
const join = (l: number, h: number) => (h >>> 0) * HI + (l >>> 0);

export function capAnd(a: number, b: number): number { return join(lo(a) & lo(b), hi(a) & hi(b)); }
export function capOr(a: number, b: number): number { return join(lo(a) | lo(b), hi(a) | hi(b)); }
export function capWithout(a: number, b: number): number { return join(lo(a) & ~lo(b), hi(a) & ~hi(b)); }
export function capSubset(a: number, of: number): boolean { return capWithout(a, of) === 0; }
export function capBit(cap: number): number { return 2 ** cap; }

/** The capabilities a change of fsuid to or from 0 takes or gives (Linux CAP_FS_MASK). */
export const CAP_FS_MASK = [0, 1, 2, 3, 4, 9, 27, 32].reduce((s, c) => s + 2 ** c, 0);

/** The 32-bit halves of a set, as capget/capset carry them. */
export function capHalves(s: number): [number, number] { return [lo(s), hi(s)]; }
export function capFromHalves(l: number, h: number): number { return capAnd(join(l, h), ALL_CAPS); }
