// Number and string formatting shared by the proc files, with the quirks of Linux's seq_file
// helpers (seq_put_decimal_ull_width, mangle, %*pb bitmaps), and the device-number split.

/** A 64-bit value that JS numbers cannot hold: the "unlimited" of rlimits and RLIM_INFINITY. */
export const U64_MAX = '18446744073709551615';

export const PAGE_SIZE = 4096;

export function kb(bytes: number): number { return Math.floor(bytes / 1024); }
export function pages(bytes: number): number { return Math.floor(bytes / PAGE_SIZE); }

/** `label` (already padded as the kernel's string literal is) and `value` right-aligned in `width`. */
export function field(label: string, value: number, width = 8): string {
  return label + String(value).padStart(width);
}

/** A "Label:   1234 kB" line as status, smaps and meminfo print them (16 + 8 columns). */
export function kbLine(label: string, bytes: number): string {
  return field(`${label}:`.padEnd(16), kb(bytes)) + ' kB\n';
}

/** A 64-bit set as %016llx (status' SigPnd, CapEff...). */
export function hex16(v: bigint): string {
  return BigInt.asUintN(64, v).toString(16).padStart(16, '0');
}

/** A value as an unsigned 64-bit decimal; Infinity (unlimited) is 2^64-1. */
export function u64(v: number): string {
  return v === Infinity ? U64_MAX : String(v);
}

/** Ticks as seconds with two decimals ("%lu.%02lu"). */
export function ticksToSeconds(ticks: number): string {
  const t = Math.floor(ticks);
  return `${Math.floor(t / 100)}.${String(t % 100).padStart(2, '0')}`;
}

/** seq_file's mangle(): the characters that would break the line's fields, as \ooo. */
export function mangle(s: string): string {
  return s.replace(/[ \t\n\\]/g, (c) => '\\' + c.charCodeAt(0).toString(8).padStart(3, '0'));
}

/** The major and minor numbers of a dev_t in Linux's encoding (new_encode_dev). */
export function major(dev: number): number { return Math.floor(dev / 256) & 0xfff; }
export function minor(dev: number): number { return (dev & 0xff) | (Math.floor(dev / 4096) & 0xfff00); }

/** A bitmap of `nbits` bits with the low `set` bits on, as %*pb: hex, 32-bit groups split by commas. */
export function bitmapMask(set: number, nbits: number): string {
  const digits = Math.max(1, Math.ceil(nbits / 4));
  let hex = '';
  for (let d = 0; d < digits; d++) { // digit d holds bits 4d..4d+3
    const on = Math.max(0, Math.min(4, set - 4 * d));
    hex = ((1 << on) - 1).toString(16) + hex;
  }
  const groups: string[] = [];
  for (let end = hex.length; end > 0; end -= 8) groups.unshift(hex.slice(Math.max(0, end - 8), end));
  return groups.join(',');
}

/** The list form of a bitmap of the first `n` bits (%*pbl): "0", "0-3". */
export function rangeList(n: number): string {
  return n <= 1 ? '0' : `0-${n - 1}`;
}

/** Octal with a leading 0, as "0%o". */
export function octal(v: number): string { return '0' + v.toString(8); }
