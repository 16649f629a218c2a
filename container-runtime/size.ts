// Parsing sizes like "512m" or "2G" (--memory).

const UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

export function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?$/i.exec(s.trim());
  if (!m) throw new Error(`invalid size '${s}' (use e.g. 512m or 2g)`);
  const v = Math.floor(Number(m[1]) * UNITS[m[2].toLowerCase()]);
  return v;
}
