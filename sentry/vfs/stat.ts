// File attributes as the kernel reports them, and their Linux x86-64 encodings: struct stat
// (144 bytes, asm/stat.h) and struct statx (256 bytes, linux/stat.h).

import { setU64 as put64 } from '../abi/bytes.js';

export const S_IFMT = 0o170000, S_IFSOCK = 0o140000, S_IFLNK = 0o120000, S_IFREG = 0o100000, S_IFBLK = 0o060000,
  S_IFDIR = 0o040000, S_IFCHR = 0o020000, S_IFIFO = 0o010000;

export interface Timespec { sec: number; nsec: number }

export interface Stat {
  dev: number;
  ino: number;
  mode: number;
  nlink: number;
  uid: number;
  gid: number;
  rdev: number;
  size: number;
  blksize: number;
  blocks: number;
  atime: Timespec;
  mtime: Timespec;
  ctime: Timespec;
  btime?: Timespec;
}

export function encodeStat(s: Stat): Uint8Array {
  const b = new Uint8Array(144);
  const dv = new DataView(b.buffer);
  put64(dv, 0, s.dev); put64(dv, 8, s.ino); put64(dv, 16, s.nlink);
  dv.setUint32(24, s.mode, true); dv.setUint32(28, s.uid, true); dv.setUint32(32, s.gid, true);
  put64(dv, 40, s.rdev); put64(dv, 48, s.size); put64(dv, 56, s.blksize); put64(dv, 64, s.blocks);
  put64(dv, 72, s.atime.sec); put64(dv, 80, s.atime.nsec);
  put64(dv, 88, s.mtime.sec); put64(dv, 96, s.mtime.nsec);
  put64(dv, 104, s.ctime.sec); put64(dv, 112, s.ctime.nsec);
  return b;
}

const STATX_MTIME = 0x40, STATX_CTIME = 0x80, STATX_BASIC_STATS = 0x7ff, STATX_BTIME = 0x800, STATX_MNT_ID = 0x1000;
const NO_TIME: Timespec = { sec: 0, nsec: 0 };

/**
 * struct statx for a `request` mask (Linux fs/stat.c): the basic stats and the mount id always,
 * the birth time when asked for and known. On a filesystem with multigrain timestamps
 * (`multigrain`, Linux 6.13 fill_mg_cmtime) mtime and ctime are left out, zeroed, unless one of
 * them was asked for.
 */
export function encodeStatx(s: Stat, request: number, mountId: number, multigrain: boolean): Uint8Array {
  const b = new Uint8Array(256);
  const dv = new DataView(b.buffer);
  let mask = STATX_BASIC_STATS | STATX_MNT_ID;
  const btime = (request & STATX_BTIME) && s.btime ? s.btime : null;
  if (btime) mask |= STATX_BTIME;
  const cmtime = !multigrain || (request & (STATX_MTIME | STATX_CTIME)) !== 0;
  if (!cmtime) mask &= ~(STATX_MTIME | STATX_CTIME);
  dv.setUint32(0, mask, true); // stx_mask
  dv.setUint32(4, s.blksize, true);
  put64(dv, 8, 0); // attributes
  dv.setUint32(16, s.nlink, true); dv.setUint32(20, s.uid, true); dv.setUint32(24, s.gid, true);
  dv.setUint16(28, s.mode, true);
  put64(dv, 32, s.ino); put64(dv, 40, s.size); put64(dv, 48, s.blocks);
  put64(dv, 56, 0); // attributes_mask
  const ts = (at: number, t: Timespec) => { put64(dv, at, t.sec); dv.setUint32(at + 8, t.nsec, true); };
  ts(64, s.atime); ts(80, btime ?? NO_TIME); ts(96, cmtime ? s.ctime : NO_TIME); ts(112, cmtime ? s.mtime : NO_TIME);
  dv.setUint32(128, Math.floor(s.rdev / 256) & 0xfff, true); dv.setUint32(132, (s.rdev & 0xff) | ((s.rdev >> 12) & 0xfff00), true);
  dv.setUint32(136, Math.floor(s.dev / 256) & 0xfff, true); dv.setUint32(140, (s.dev & 0xff) | ((s.dev >> 12) & 0xfff00), true);
  put64(dv, 144, mountId); // stx_mnt_id
  return b;
}
