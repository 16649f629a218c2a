// Copying syscall arguments between guest memory and the Sentry: buffers, strings, structs.

import type { Task } from '../kernel/task.js';
import { getU64, setU64 } from '../abi/bytes.js';

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
  values.forEach((v, k) => setU64(dv, k * 8, v));
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
    out.push([getU64(dv, k * 16), getU64(dv, k * 16 + 8)]);
  }
  return out;
}
