// Copying syscall arguments between guest memory and the Sentry: buffers, strings, structs.

import type { Task } from '../kernel/task.js';

const PATH_MAX = 4096;
const dec = new TextDecoder();

/** A path argument: the string, or null on EFAULT, or '' too long (ENAMETOOLONG). */
export function readPath(t: Task, addr: number): string | null | undefined {
  const b = t.mm.readCString(addr, PATH_MAX);
  if (b === null) {
    // Either unreadable or longer than PATH_MAX: tell them apart by reading one byte.
    return t.mm.checkRange(addr, 1, false) ? undefined : null;
  }
  return dec.decode(b);
}

export function copyOut(t: Task, addr: number, data: Uint8Array): boolean {
  return t.mm.copyOut(addr, data);
}

export function copyIn(t: Task, addr: number, len: number): Uint8Array | null {
  const b = new Uint8Array(len);
  return t.mm.copyIn(addr, b) ? b : null;
}

export function u64Bytes(values: number[]): Uint8Array {
  const b = new Uint8Array(values.length * 8);
  const dv = new DataView(b.buffer);
  values.forEach((v, k) => {
    const lo = v % 4294967296;
    dv.setUint32(k * 8, lo >>> 0, true);
    dv.setInt32(k * 8 + 4, Math.floor(v / 4294967296), true);
  });
  return b;
}

export function i32Bytes(values: number[]): Uint8Array {
  const b = new Uint8Array(values.length * 4);
  const dv = new DataView(b.buffer);
  values.forEach((v, k) => dv.setInt32(k * 4, v, true));
  return b;
}

/** struct iovec array: [base, len] pairs; null on EFAULT. */
export function readIovecs(t: Task, addr: number, count: number): [number, number][] | null {
  const raw = copyIn(t, addr, count * 16);
  if (!raw) return null;
  const dv = new DataView(raw.buffer);
  const out: [number, number][] = [];
  for (let k = 0; k < count; k++) {
    const base = dv.getUint32(k * 16 + 4, true) * 4294967296 + dv.getUint32(k * 16, true);
    const len = dv.getUint32(k * 16 + 12, true) * 4294967296 + dv.getUint32(k * 16 + 8, true);
    out.push([base, len]);
  }
  return out;
}
