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

const STATX_BASIC_STATS = 0x7ff, STATX_BTIME = 0x800;

export function encodeStatx(s: Stat): Uint8Array {
  const b = new Uint8Array(256);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, STATX_BASIC_STATS | (s.btime ? STATX_BTIME : 0), true); // stx_mask
  dv.setUint32(4, s.blksize, true);
  put64(dv, 8, 0); // attributes
  dv.setUint32(16, s.nlink, true); dv.setUint32(20, s.uid, true); dv.setUint32(24, s.gid, true);
  dv.setUint16(28, s.mode, true);
  put64(dv, 32, s.ino); put64(dv, 40, s.size); put64(dv, 48, s.blocks);
  put64(dv, 56, 0); // attributes_mask
  const ts = (at: number, t: Timespec) => { put64(dv, at, t.sec); dv.setUint32(at + 8, t.nsec, true); };
  ts(64, s.atime); ts(80, s.btime ?? { sec: 0, nsec: 0 }); ts(96, s.ctime); ts(112, s.mtime);
  dv.setUint32(128, Math.floor(s.rdev / 256) & 0xfff, true); dv.setUint32(132, (s.rdev & 0xff) | ((s.rdev >> 12) & 0xfff00), true);
  dv.setUint32(136, Math.floor(s.dev / 256) & 0xfff, true); dv.setUint32(140, (s.dev & 0xff) | ((s.dev >> 12) & 0xfff00), true);
  return b;
}
