// The Gofer wire protocol: frames, message types and their codec, shared by the Gofer server and
// the Sentry's client (gVisor pkg/lisafs). Pure ECMAScript plus msgpackr: no `node:` import, no
// Buffer, no process, so sentry/ may import it (DESIGN.md, "Folders and the direction of imports").
//
// Frame (all integers little-endian):
//   u32 len    bytes that follow this field (8 .. MAX_FRAME_LEN)
//   u32 tag    chosen by the client; the reply carries the same tag
//   u32 word   request: the operation (Op); reply: 0 for success, else a Linux errno
//   ...        body: one msgpack value (a request's arguments or a success reply's result);
//              an error reply has an empty body
//
// Every byte from the other side is untrusted (STYLE.md principle 6): decodeRequest and
// decodeReply check every field's type and range once and return a typed record or an error;
// they never throw.

import { Packr, Unpackr } from 'msgpackr';

// ---- sizes -------------------------------------------------------------------------------------

/** Largest PRead/PWrite payload. */
export const MAX_IO = 4 * 1024 * 1024;
/** Largest body: MAX_IO of data plus room for the other fields. */
export const MAX_BODY = MAX_IO + 64 * 1024;
export const HEADER_LEN = 12; // len + tag + word
/** Largest value of the len field (tag + word + body). */
export const MAX_FRAME_LEN = 8 + MAX_BODY;
/** NAME_MAX (limits.h). */
export const NAME_MAX = 255;
/** Most components in one Walk or WalkStat. */
export const MAX_WALK = 256;
/** Most handles in one Close. */
export const MAX_CLOSE = 1024;
/** PATH_MAX, the longest symlink target. */
export const PATH_MAX = 4096;

// ---- Linux ABI constants used by the protocol --------------------------------------------------

/** errno values (asm-generic/errno-base.h, errno.h). */
export const Errno = {
  EPERM: 1, ENOENT: 2, EIO: 5, ENXIO: 6, E2BIG: 7, EBADF: 9, EAGAIN: 11, ENOMEM: 12, EACCES: 13,
  EFAULT: 14, EBUSY: 16, EEXIST: 17, EXDEV: 18, ENODEV: 19, ENOTDIR: 20, EISDIR: 21, EINVAL: 22,
  ENFILE: 23, EMFILE: 24, ETXTBSY: 26, EFBIG: 27, ENOSPC: 28, ESPIPE: 29, EROFS: 30, EMLINK: 31,
  ERANGE: 34, ENAMETOOLONG: 36, ENOSYS: 38, ENOTEMPTY: 39, ELOOP: 40, ENODATA: 61, EOVERFLOW: 75,
  EMSGSIZE: 90, EOPNOTSUPP: 95, ESTALE: 116, EDQUOT: 122,
} as const;

export const O_ACCMODE = 0o3;
export const O_RDONLY = 0o0;
export const O_WRONLY = 0o1;
export const O_RDWR = 0o2;
export const O_TRUNC = 0o1000;
/** unlinkat(2) flag. */
export const AT_REMOVEDIR = 0x200;
/** File type bits of st_mode (inode(7)). */
export const S_IFMT = 0o170000;
export const S_IFSOCK = 0o140000;
export const S_IFLNK = 0o120000;
export const S_IFREG = 0o100000;
export const S_IFBLK = 0o060000;
export const S_IFDIR = 0o040000;
export const S_IFCHR = 0o020000;
export const S_IFIFO = 0o010000;
/** utimensat(2) special nanosecond values. */
export const UTIME_NOW = 0x3fffffff;
export const UTIME_OMIT = 0x3ffffffe;

// ---- operations --------------------------------------------------------------------------------

/** Operation numbers; the names follow gVisor's lisafs (pkg/lisafs/message.go). */
export const Op = {
  Mount: 1, Walk: 2, WalkStat: 3, FStat: 4, SetStat: 5, OpenAt: 6, OpenCreateAt: 7, Close: 8,
  FSync: 9, PRead: 10, PWrite: 11, MkdirAt: 12, MknodAt: 13, SymlinkAt: 14, LinkAt: 15,
  FStatFS: 16, FAllocate: 17, ReadLinkAt: 18, UnlinkAt: 19, RenameAt: 20, Getdents64: 21,
  GetXattr: 22, SetXattr: 23, ListXattr: 24, RemoveXattr: 25,
} as const;
export type OpName = keyof typeof Op;
export type OpNum = (typeof Op)[OpName];
const OP_NAMES = new Map<number, OpName>(Object.entries(Op).map(([k, v]) => [v, k as OpName]));
export function opName(op: number): OpName | undefined { return OP_NAMES.get(op); }

// ---- values ------------------------------------------------------------------------------------

/** A file name or symlink target: raw bytes, since Linux names need not be UTF-8. */
export type Bytes = Uint8Array;

/** struct stat, as numbers (safe integers). Times are seconds and nanoseconds. */
export interface Stat {
  dev: number; ino: number; mode: number; nlink: number; uid: number; gid: number; rdev: number;
  size: number; blksize: number; blocks: number;
  atimeSec: number; atimeNsec: number; mtimeSec: number; mtimeNsec: number; ctimeSec: number; ctimeNsec: number;
}
const STAT_FIELDS = ['dev', 'ino', 'mode', 'nlink', 'uid', 'gid', 'rdev', 'size', 'blksize', 'blocks',
  'atimeSec', 'atimeNsec', 'mtimeSec', 'mtimeNsec', 'ctimeSec', 'ctimeNsec'] as const;

/** A handle the server made (a lisafs ControlFD) and what it names. */
export interface Inode { handle: number; stat: Stat }

export interface Timespec { sec: number; nsec: number }

export interface StatFS {
  type: number; blockSize: number; blocks: number; bfree: number; bavail: number;
  files: number; ffree: number; nameLength: number;
}

export interface Dirent { ino: number; off: number; type: number; name: Bytes }

/** Walk stops at the first symlink (returned, so the Sentry resolves it) or missing component. */
export const WalkStatus = { Success: 0, ComponentSymlink: 1, ComponentDoesNotExist: 2 } as const;
export type WalkStatusNum = (typeof WalkStatus)[keyof typeof WalkStatus];

/** SetStat mask bits: which fields to change (like statx's STATX_* bits). */
export const SetStatMask = { Mode: 1, Uid: 2, Gid: 4, Size: 8, Atime: 16, Mtime: 32 } as const;

// ---- requests and replies ----------------------------------------------------------------------

/** Requests, by operation. `dir` and `handle` are control handles, `fd` an open handle. */
export interface Requests {
  Mount: { mount: string };
  Walk: { dir: number; names: Bytes[] };
  WalkStat: { dir: number; names: Bytes[] };
  FStat: { handle: number };
  SetStat: { handle: number; mask: number; mode: number; uid: number; gid: number; size: number; atime: Timespec; mtime: Timespec };
  OpenAt: { handle: number; flags: number };
  OpenCreateAt: { dir: number; name: Bytes; flags: number; mode: number; uid: number; gid: number };
  Close: { handles: number[] };
  FSync: { fd: number };
  PRead: { fd: number; offset: number; count: number };
  PWrite: { fd: number; offset: number; data: Bytes };
  MkdirAt: { dir: number; name: Bytes; mode: number; uid: number; gid: number };
  MknodAt: { dir: number; name: Bytes; mode: number; rdev: number; uid: number; gid: number };
  SymlinkAt: { dir: number; name: Bytes; target: Bytes; uid: number; gid: number };
  LinkAt: { dir: number; name: Bytes; oldDir: number; oldName: Bytes };
  FStatFS: { handle: number };
  FAllocate: { fd: number; mode: number; offset: number; length: number };
  ReadLinkAt: { handle: number };
  UnlinkAt: { dir: number; name: Bytes; flags: number };
  RenameAt: { oldDir: number; oldName: Bytes; newDir: number; newName: Bytes; flags: number };
  Getdents64: { fd: number; offset: number; count: number };
  GetXattr: { handle: number; name: string; size: number };
  SetXattr: { handle: number; name: string; value: Bytes; flags: number };
  ListXattr: { handle: number; size: number };
  RemoveXattr: { handle: number; name: string };
}

/** Success results, by operation. */
export interface Replies {
  Mount: { root: Inode };
  Walk: { status: WalkStatusNum; inodes: Inode[] };
  WalkStat: { stats: Stat[] };
  FStat: { stat: Stat };
  SetStat: Record<string, never>;
  OpenAt: { fd: number };
  OpenCreateAt: { child: Inode; fd: number };
  Close: Record<string, never>;
  FSync: Record<string, never>;
  PRead: { data: Bytes };
  PWrite: { count: number };
  MkdirAt: { child: Inode };
  MknodAt: { child: Inode };
  SymlinkAt: { child: Inode };
  LinkAt: { child: Inode };
  FStatFS: { statfs: StatFS };
  FAllocate: Record<string, never>;
  ReadLinkAt: { target: Bytes };
  UnlinkAt: Record<string, never>;
  RenameAt: Record<string, never>;
  Getdents64: { dirents: Dirent[] };
  GetXattr: { value: Bytes };
  SetXattr: Record<string, never>;
  ListXattr: { names: string[] };
  RemoveXattr: Record<string, never>;
}

export type Request = { [K in OpName]: { op: K; args: Requests[K] } }[OpName];

/** The outcome of one request: a result or a Linux errno. */
export type Result<K extends OpName> = { ok: true; value: Replies[K] } | { ok: false; errno: number };

// ---- msgpack -----------------------------------------------------------------------------------

// No records, no structured clones, 64-bit integers as numbers: plain data only.
const packr = new Packr({ useRecords: false, structuredClone: false, int64AsType: 'number' } as ConstructorParameters<typeof Packr>[0]);
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true, structuredClone: false, int64AsType: 'number' } as ConstructorParameters<typeof Unpackr>[0]);

function packBody(v: unknown): Uint8Array { return packr.pack(v) as Uint8Array; }

/** Decodes one msgpack value, or returns undefined; never throws. */
function unpackBody(b: Uint8Array): { value: unknown } | undefined {
  try { return { value: unpackr.unpack(b) as unknown }; } catch { return undefined; }
}

// ---- frames ------------------------------------------------------------------------------------

function frame(tag: number, word: number, body: Uint8Array | undefined): Uint8Array {
  const blen = body?.length ?? 0;
  const out = new Uint8Array(HEADER_LEN + blen);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, 8 + blen, true);
  dv.setUint32(4, tag >>> 0, true);
  dv.setUint32(8, word >>> 0, true);
  if (body) out.set(body, HEADER_LEN);
  return out;
}

export function encodeRequest(tag: number, req: Request): Uint8Array {
  return frame(tag, Op[req.op], packBody(req.args));
}

export function encodeReply<K extends OpName>(tag: number, _op: K, result: Result<K>): Uint8Array {
  return result.ok ? frame(tag, 0, packBody(result.value)) : frame(tag, result.errno, undefined);
}

export function encodeError(tag: number, errno: number): Uint8Array { return frame(tag, errno, undefined); }

/** One frame cut out of the byte stream, not yet decoded. */
export interface RawFrame { tag: number; word: number; body: Uint8Array }

/** What FrameReader found. `bad` means the stream cannot be trusted any more: close it. */
export type FrameEvent =
  | { kind: 'frame'; frame: RawFrame }
  | { kind: 'short'; tag: number | undefined } // len < 8: no room for tag and word
  | { kind: 'bad'; tag: number | undefined; reason: string };

/** Cuts a byte stream into frames, with the length checked before any allocation. */
export class FrameReader {
  private chunks: Uint8Array[] = [];
  private buffered = 0;
  private broken = false;

  /** Adds bytes; returns every complete frame (and at most one `bad`, after which it stops). */
  push(chunk: Uint8Array): FrameEvent[] {
    if (this.broken) return [];
    if (chunk.length) { this.chunks.push(chunk); this.buffered += chunk.length; }
    const out: FrameEvent[] = [];
    for (;;) {
      if (this.buffered < 4) return out;
      const head = this.peek(Math.min(this.buffered, 8));
      const hv = new DataView(head.buffer, head.byteOffset, head.byteLength);
      const len = hv.getUint32(0, true);
      const tag = head.length >= 8 ? hv.getUint32(4, true) : undefined;
      if (len > MAX_FRAME_LEN) {
        this.broken = true; this.chunks = []; this.buffered = 0;
        out.push({ kind: 'bad', tag, reason: `frame of ${len} bytes exceeds ${MAX_FRAME_LEN}` });
        return out;
      }
      if (this.buffered < 4 + len) return out;
      const whole = this.take(4 + len);
      if (len < 8) { out.push({ kind: 'short', tag: len >= 4 ? new DataView(whole.buffer, whole.byteOffset).getUint32(4, true) : undefined }); continue; }
      const dv = new DataView(whole.buffer, whole.byteOffset, whole.byteLength);
      out.push({ kind: 'frame', frame: { tag: dv.getUint32(4, true), word: dv.getUint32(8, true), body: whole.subarray(HEADER_LEN) } });
    }
  }

  /** Bytes of an unfinished frame (for a truncated-stream report at close). */
  pending(): number { return this.buffered; }

  private peek(n: number): Uint8Array {
    if (this.chunks[0].length >= n) return this.chunks[0].subarray(0, n);
    const out = new Uint8Array(n);
    let at = 0;
    for (const c of this.chunks) { const k = Math.min(c.length, n - at); out.set(c.subarray(0, k), at); at += k; if (at === n) break; }
    return out;
  }

  private take(n: number): Uint8Array {
    const first = this.chunks[0];
    let out: Uint8Array;
    if (first.length >= n) {
      out = first.slice(0, n);
      if (first.length === n) this.chunks.shift(); else this.chunks[0] = first.subarray(n);
    } else {
      out = new Uint8Array(n);
      let at = 0;
      while (at < n) {
        const c = this.chunks[0];
        const k = Math.min(c.length, n - at);
        out.set(c.subarray(0, k), at); at += k;
        if (k === c.length) this.chunks.shift(); else this.chunks[0] = c.subarray(k);
      }
    }
    this.buffered -= n;
    return out;
  }
}

// ---- field checks ------------------------------------------------------------------------------

class Bad extends Error {}
type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}
function field(o: Obj, k: string): unknown { return Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined; }
function obj(v: unknown, what: string): Obj { if (!isObj(v)) throw new Bad(`${what}: not a map`); return v; }
function int(o: Obj, k: string, min: number, max: number, dflt?: number): number {
  const v = field(o, k);
  if (v === undefined && dflt !== undefined) return dflt;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) throw new Bad(`${k}: not an integer in ${min}..${max}`);
  return v;
}
const U32 = 0xffffffff;
const U64 = Number.MAX_SAFE_INTEGER;
function u32(o: Obj, k: string, dflt?: number): number { return int(o, k, 0, U32, dflt); }
function u64(o: Obj, k: string, dflt?: number): number { return int(o, k, 0, U64, dflt); }
function bytesOf(v: unknown, k: string, max: number): Bytes {
  let b: Uint8Array;
  if (v instanceof Uint8Array) b = v;
  else if (typeof v === 'string') b = new TextEncoder().encode(v);
  else throw new Bad(`${k}: not bytes`);
  if (b.length > max) throw new Bad(`${k}: longer than ${max}`);
  return b;
}
function bytes(o: Obj, k: string, max: number): Bytes { return bytesOf(field(o, k), k, max); }
function str(o: Obj, k: string, max: number): string {
  const v = field(o, k);
  if (typeof v !== 'string' || v.length > max) throw new Bad(`${k}: not a string of at most ${max}`);
  return v;
}
function list<T>(o: Obj, k: string, max: number, each: (v: unknown, k: string) => T): T[] {
  const v = field(o, k);
  if (!Array.isArray(v) || v.length > max) throw new Bad(`${k}: not a list of at most ${max}`);
  return v.map((x, i) => each(x, `${k}[${i}]`));
}
function timespec(o: Obj, k: string): Timespec {
  const v = field(o, k);
  if (v === undefined) return { sec: 0, nsec: UTIME_OMIT };
  const t = obj(v, k);
  const nsec = u32(t, 'nsec');
  if (nsec > 999_999_999 && nsec !== UTIME_NOW && nsec !== UTIME_OMIT) throw new Bad(`${k}.nsec out of range`);
  return { sec: int(t, 'sec', -U64, U64), nsec };
}

/**
 * A file name as one path component: not empty, at most NAME_MAX bytes, no `/` or NUL, not `.`
 * or `..`. The server checks it again before any host call (see gofer/server.ts `checkName`).
 */
export function validName(b: Bytes): boolean {
  if (b.length === 0 || b.length > NAME_MAX) return false;
  if (b.length === 1 && b[0] === 0x2e) return false;
  if (b.length === 2 && b[0] === 0x2e && b[1] === 0x2e) return false;
  for (let i = 0; i < b.length; i++) if (b[i] === 0x2f || b[i] === 0) return false;
  return true;
}
/** Names are checked for shape by the server (so it can answer EINVAL/ENAMETOOLONG precisely). */
function name(o: Obj, k: string): Bytes { return bytes(o, k, NAME_MAX + 1); }

// ---- requests ----------------------------------------------------------------------------------

type Parsers = { [K in OpName]: (o: Obj) => Requests[K] };
const REQUEST_PARSERS: Parsers = {
  Mount: (o) => ({ mount: str(o, 'mount', 256) }),
  Walk: (o) => ({ dir: u32(o, 'dir'), names: list(o, 'names', MAX_WALK, (v, k) => bytesOf(v, k, NAME_MAX + 1)) }),
  WalkStat: (o) => ({ dir: u32(o, 'dir'), names: list(o, 'names', MAX_WALK, (v, k) => bytesOf(v, k, NAME_MAX + 1)) }),
  FStat: (o) => ({ handle: u32(o, 'handle') }),
  SetStat: (o) => ({
    handle: u32(o, 'handle'), mask: int(o, 'mask', 0, 63), mode: int(o, 'mode', 0, 0o7777, 0),
    uid: u32(o, 'uid', U32), gid: u32(o, 'gid', U32), size: u64(o, 'size', 0),
    atime: timespec(o, 'atime'), mtime: timespec(o, 'mtime'),
  }),
  OpenAt: (o) => ({ handle: u32(o, 'handle'), flags: u32(o, 'flags') }),
  OpenCreateAt: (o) => ({ dir: u32(o, 'dir'), name: name(o, 'name'), flags: u32(o, 'flags'), mode: int(o, 'mode', 0, 0o7777), uid: u32(o, 'uid', U32), gid: u32(o, 'gid', U32) }),
  Close: (o) => ({ handles: list(o, 'handles', MAX_CLOSE, (v, k) => { if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > U32) throw new Bad(`${k}: not a handle`); return v; }) }),
  FSync: (o) => ({ fd: u32(o, 'fd') }),
  PRead: (o) => ({ fd: u32(o, 'fd'), offset: u64(o, 'offset'), count: int(o, 'count', 0, MAX_IO) }),
  PWrite: (o) => ({ fd: u32(o, 'fd'), offset: u64(o, 'offset'), data: bytes(o, 'data', MAX_IO) }),
  MkdirAt: (o) => ({ dir: u32(o, 'dir'), name: name(o, 'name'), mode: int(o, 'mode', 0, 0o7777), uid: u32(o, 'uid', U32), gid: u32(o, 'gid', U32) }),
  MknodAt: (o) => ({ dir: u32(o, 'dir'), name: name(o, 'name'), mode: u32(o, 'mode'), rdev: u64(o, 'rdev', 0), uid: u32(o, 'uid', U32), gid: u32(o, 'gid', U32) }),
  SymlinkAt: (o) => ({ dir: u32(o, 'dir'), name: name(o, 'name'), target: bytes(o, 'target', PATH_MAX), uid: u32(o, 'uid', U32), gid: u32(o, 'gid', U32) }),
  LinkAt: (o) => ({ dir: u32(o, 'dir'), name: name(o, 'name'), oldDir: u32(o, 'oldDir'), oldName: name(o, 'oldName') }),
  FStatFS: (o) => ({ handle: u32(o, 'handle') }),
  FAllocate: (o) => ({ fd: u32(o, 'fd'), mode: u32(o, 'mode'), offset: u64(o, 'offset'), length: u64(o, 'length') }),
  ReadLinkAt: (o) => ({ handle: u32(o, 'handle') }),
  UnlinkAt: (o) => ({ dir: u32(o, 'dir'), name: name(o, 'name'), flags: u32(o, 'flags', 0) }),
  RenameAt: (o) => ({ oldDir: u32(o, 'oldDir'), oldName: name(o, 'oldName'), newDir: u32(o, 'newDir'), newName: name(o, 'newName'), flags: u32(o, 'flags', 0) }),
  Getdents64: (o) => ({ fd: u32(o, 'fd'), offset: u64(o, 'offset'), count: int(o, 'count', 0, MAX_IO) }),
  GetXattr: (o) => ({ handle: u32(o, 'handle'), name: str(o, 'name', 255), size: int(o, 'size', 0, 65536) }),
  SetXattr: (o) => ({ handle: u32(o, 'handle'), name: str(o, 'name', 255), value: bytes(o, 'value', 65536), flags: u32(o, 'flags', 0) }),
  ListXattr: (o) => ({ handle: u32(o, 'handle'), size: int(o, 'size', 0, 65536) }),
  RemoveXattr: (o) => ({ handle: u32(o, 'handle'), name: str(o, 'name', 255) }),
};

export type Decoded<T> = { ok: true; value: T } | { ok: false; errno: number; reason: string };

/** Decodes a request frame. Errors: ENOSYS for an unknown operation, EINVAL for a bad body. */
export function decodeRequest(f: RawFrame): Decoded<Request> {
  const op = opName(f.word);
  if (!op) return { ok: false, errno: Errno.ENOSYS, reason: `unknown operation ${f.word}` };
  if (f.body.length > MAX_BODY) return { ok: false, errno: Errno.EMSGSIZE, reason: 'body too large' };
  const u = unpackBody(f.body);
  if (!u) return { ok: false, errno: Errno.EINVAL, reason: `${op}: body is not msgpack` };
  try {
    const args = REQUEST_PARSERS[op](obj(u.value, op));
    return { ok: true, value: { op, args } as Request };
  } catch (e) {
    if (e instanceof Bad) return { ok: false, errno: Errno.EINVAL, reason: `${op}: ${e.message}` };
    return { ok: false, errno: Errno.EINVAL, reason: `${op}: ${String(e)}` };
  }
}

// ---- replies -----------------------------------------------------------------------------------

function stat(v: unknown, k: string): Stat {
  const o = obj(v, k);
  const s = {} as Record<string, number>;
  for (const f of STAT_FIELDS) s[f] = f.endsWith('Sec') ? int(o, f, -U64, U64) : u64(o, f);
  return s as unknown as Stat;
}
function inode(v: unknown, k: string): Inode { const o = obj(v, k); return { handle: u32(o, 'handle'), stat: stat(field(o, 'stat'), `${k}.stat`) }; }
const empty = (): Record<string, never> => ({});

type ReplyParsers = { [K in OpName]: (o: Obj) => Replies[K] };
const REPLY_PARSERS: ReplyParsers = {
  Mount: (o) => ({ root: inode(field(o, 'root'), 'root') }),
  Walk: (o) => ({ status: int(o, 'status', 0, 2) as WalkStatusNum, inodes: list(o, 'inodes', MAX_WALK, inode) }),
  WalkStat: (o) => ({ stats: list(o, 'stats', MAX_WALK + 1, stat) }),
  FStat: (o) => ({ stat: stat(field(o, 'stat'), 'stat') }),
  SetStat: empty,
  OpenAt: (o) => ({ fd: u32(o, 'fd') }),
  OpenCreateAt: (o) => ({ child: inode(field(o, 'child'), 'child'), fd: u32(o, 'fd') }),
  Close: empty,
  FSync: empty,
  PRead: (o) => ({ data: bytes(o, 'data', MAX_IO) }),
  PWrite: (o) => ({ count: int(o, 'count', 0, MAX_IO) }),
  MkdirAt: (o) => ({ child: inode(field(o, 'child'), 'child') }),
  MknodAt: (o) => ({ child: inode(field(o, 'child'), 'child') }),
  SymlinkAt: (o) => ({ child: inode(field(o, 'child'), 'child') }),
  LinkAt: (o) => ({ child: inode(field(o, 'child'), 'child') }),
  FStatFS: (o) => {
    const s = obj(field(o, 'statfs'), 'statfs');
    return { statfs: { type: u64(s, 'type'), blockSize: u64(s, 'blockSize'), blocks: u64(s, 'blocks'), bfree: u64(s, 'bfree'), bavail: u64(s, 'bavail'), files: u64(s, 'files'), ffree: u64(s, 'ffree'), nameLength: u64(s, 'nameLength') } };
  },
  FAllocate: empty,
  ReadLinkAt: (o) => ({ target: bytes(o, 'target', PATH_MAX) }),
  UnlinkAt: empty,
  RenameAt: empty,
  Getdents64: (o) => ({
    dirents: list(o, 'dirents', MAX_IO / 20, (v, k) => { const d = obj(v, k); return { ino: u64(d, 'ino'), off: u64(d, 'off'), type: int(d, 'type', 0, 15), name: bytes(d, 'name', NAME_MAX) }; }),
  }),
  GetXattr: (o) => ({ value: bytes(o, 'value', 65536) }),
  SetXattr: empty,
  ListXattr: (o) => ({ names: list(o, 'names', 65536, (v, k) => { if (typeof v !== 'string') throw new Bad(`${k}: not a string`); return v; }) }),
  RemoveXattr: empty,
};

/** Decodes a reply frame for a request of operation `op`. */
export function decodeReply<K extends OpName>(op: K, f: RawFrame): Decoded<Result<K>> {
  if (f.word !== 0) {
    if (f.word > 4095) return { ok: false, errno: Errno.EIO, reason: `errno ${f.word} out of range` };
    return { ok: true, value: { ok: false, errno: f.word } };
  }
  const u = unpackBody(f.body);
  if (!u) return { ok: false, errno: Errno.EIO, reason: `${op} reply: body is not msgpack` };
  try {
    const value = (REPLY_PARSERS[op] as (o: Obj) => Replies[K])(obj(u.value, `${op} reply`));
    return { ok: true, value: { ok: true, value } };
  } catch (e) {
    return { ok: false, errno: Errno.EIO, reason: `${op} reply: ${e instanceof Error ? e.message : String(e)}` };
  }
}
