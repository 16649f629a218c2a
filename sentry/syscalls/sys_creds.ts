// Changing credentials: setuid, setgid, setreuid, setregid, setresuid, setresgid, getresuid,
// getresgid, setfsuid, setfsgid, setgroups, getgroups, capget and capset, with Linux's rules
// (kernel/sys.c, kernel/capability.c): an unprivileged process may only move among its own ids;
// leaving uid 0 drops capabilities as commoncap's cap_emulate_setxuid does.

import { Errno } from '../abi/errno.js';
import {
  ALL_CAPS, CAP_FS_MASK, CAP_SETGID, CAP_SETPCAP, CAP_SETUID, capAnd, capFromHalves, capHalves, capOr, capSubset, capWithout,
} from '../kernel/capabilities.js';
import type { Credentials, Task } from '../kernel/task.js';
import { hasCap } from '../vfs/inode.js';
import type { SyscallResult } from './handler.js';
import { copyIn, copyOut, i32Bytes } from './memory_io.js';

const NGROUPS_MAX = 65536;
const UNCHANGED = 0xffffffff; // -1 as an unsigned id

const can = (c: Credentials, cap: number) => hasCap({ fsuid: c.fsuid, fsgid: c.fsgid, groups: c.groups, caps: c.capEffective }, cap);
const idArg = (t: Task, n: number) => t.argInt(n) >>> 0;

/** Applies new user ids with the capability changes leaving or regaining uid 0 implies. */
function commitUids(c: Credentials, next: { uid: number; euid: number; suid: number; fsuid: number }): void {
  const wasRoot = c.uid === 0 || c.euid === 0 || c.suid === 0;
  const isRoot = next.uid === 0 || next.euid === 0 || next.suid === 0;
  if (wasRoot && !isRoot) { c.capPermitted = 0; c.capEffective = 0; }
  if (c.euid === 0 && next.euid !== 0) c.capEffective = 0;
  if (c.euid !== 0 && next.euid === 0) c.capEffective = c.capPermitted;
  if (c.fsuid === 0 && next.fsuid !== 0) c.capEffective = capWithout(c.capEffective, CAP_FS_MASK);
  if (c.fsuid !== 0 && next.fsuid === 0) c.capEffective = capOr(c.capEffective, capAnd(c.capPermitted, CAP_FS_MASK));
  c.uid = next.uid; c.euid = next.euid; c.suid = next.suid; c.fsuid = next.fsuid;
}

export function sys_setuid(t: Task): SyscallResult {
  const c = t.tg.creds, uid = idArg(t, 0);
  if (uid === UNCHANGED) return -Errno.EINVAL;
  if (can(c, CAP_SETUID)) commitUids(c, { uid, euid: uid, suid: uid, fsuid: uid });
  else if (uid === c.uid || uid === c.suid) commitUids(c, { uid: c.uid, euid: uid, suid: c.suid, fsuid: uid });
  else return -Errno.EPERM;
  return 0;
}

export function sys_setgid(t: Task): SyscallResult {
  const c = t.tg.creds, gid = idArg(t, 0);
  if (gid === UNCHANGED) return -Errno.EINVAL;
  if (can(c, CAP_SETGID)) { c.gid = c.egid = c.sgid = c.fsgid = gid; return 0; }
  if (gid !== c.gid && gid !== c.sgid) return -Errno.EPERM;
  c.egid = c.fsgid = gid;
  return 0;
}

export function sys_setreuid(t: Task): SyscallResult {
  const c = t.tg.creds, r = idArg(t, 0), e = idArg(t, 1);
  const priv = can(c, CAP_SETUID);
  const uid = r === UNCHANGED ? c.uid : r, euid = e === UNCHANGED ? c.euid : e;
  if (!priv && r !== UNCHANGED && r !== c.uid && r !== c.euid) return -Errno.EPERM;
  if (!priv && e !== UNCHANGED && e !== c.uid && e !== c.euid && e !== c.suid) return -Errno.EPERM;
  // The saved id follows the effective one when the real id is set or the effective one leaves it.
  const suid = r !== UNCHANGED || (e !== UNCHANGED && e !== c.uid) ? euid : c.suid;
  commitUids(c, { uid, euid, suid, fsuid: euid });
  return 0;
}

export function sys_setregid(t: Task): SyscallResult {
  const c = t.tg.creds, r = idArg(t, 0), e = idArg(t, 1);
  const priv = can(c, CAP_SETGID);
  const gid = r === UNCHANGED ? c.gid : r, egid = e === UNCHANGED ? c.egid : e;
  if (!priv && r !== UNCHANGED && r !== c.gid && r !== c.egid) return -Errno.EPERM;
  if (!priv && e !== UNCHANGED && e !== c.gid && e !== c.egid && e !== c.sgid) return -Errno.EPERM;
  const sgid = r !== UNCHANGED || (e !== UNCHANGED && e !== c.gid) ? egid : c.sgid;
  c.gid = gid; c.egid = egid; c.sgid = sgid; c.fsgid = egid;
  return 0;
}

export function sys_setresuid(t: Task): SyscallResult {
  const c = t.tg.creds, ids = [idArg(t, 0), idArg(t, 1), idArg(t, 2)];
  const mine = [c.uid, c.euid, c.suid];
  if (!can(c, CAP_SETUID) && ids.some((id) => id !== UNCHANGED && !mine.includes(id))) return -Errno.EPERM;
  const [uid, euid, suid] = ids.map((id, k) => (id === UNCHANGED ? mine[k] : id));
  commitUids(c, { uid, euid, suid, fsuid: euid });
  return 0;
}

export function sys_setresgid(t: Task): SyscallResult {
  const c = t.tg.creds, ids = [idArg(t, 0), idArg(t, 1), idArg(t, 2)];
  const mine = [c.gid, c.egid, c.sgid];
  if (!can(c, CAP_SETGID) && ids.some((id) => id !== UNCHANGED && !mine.includes(id))) return -Errno.EPERM;
  [c.gid, c.egid, c.sgid] = ids.map((id, k) => (id === UNCHANGED ? mine[k] : id));
  c.fsgid = c.egid;
  return 0;
}

function putIds(t: Task, ids: number[]): number {
  for (let k = 0; k < 3; k++) if (!copyOut(t, t.arg(k), i32Bytes([ids[k]]))) return -Errno.EFAULT;
  return 0;
}
export function sys_getresuid(t: Task): SyscallResult { const c = t.tg.creds; return putIds(t, [c.uid, c.euid, c.suid]); }
export function sys_getresgid(t: Task): SyscallResult { const c = t.tg.creds; return putIds(t, [c.gid, c.egid, c.sgid]); }

/** setfsuid/setfsgid return the old id whether or not the change is allowed. */
export function sys_setfsuid(t: Task): SyscallResult {
  const c = t.tg.creds, id = idArg(t, 0), old = c.fsuid;
  if (can(c, CAP_SETUID) || [c.uid, c.euid, c.suid, c.fsuid].includes(id)) commitUids(c, { uid: c.uid, euid: c.euid, suid: c.suid, fsuid: id });
  return old;
}
export function sys_setfsgid(t: Task): SyscallResult {
  const c = t.tg.creds, id = idArg(t, 0), old = c.fsgid;
  if (can(c, CAP_SETGID) || [c.gid, c.egid, c.sgid, c.fsgid].includes(id)) c.fsgid = id;
  return old;
}

export function sys_getgroups(t: Task): SyscallResult {
  const size = t.argInt(0), groups = t.tg.creds.groups;
  if (size < 0) return -Errno.EINVAL;
  if (size === 0) return groups.length;
  if (size < groups.length) return -Errno.EINVAL;
  return copyOut(t, t.arg(1), i32Bytes(groups)) ? groups.length : -Errno.EFAULT;
}

export function sys_setgroups(t: Task): SyscallResult {
  const size = t.argInt(0);
  if (size < 0 || size > NGROUPS_MAX) return -Errno.EINVAL;
  if (!can(t.tg.creds, CAP_SETGID)) return -Errno.EPERM;
  const b = size === 0 ? new Uint8Array(0) : copyIn(t, t.arg(1), size * 4);
  if (!b) return -Errno.EFAULT;
  const dv = new DataView(b.buffer);
  t.tg.creds.groups = Array.from({ length: size }, (_, k) => dv.getUint32(k * 4, true));
  return 0;
}

// --- capget, capset --------------------------------------------------------------------------

const CAP_V1 = 0x19980330, CAP_V2 = 0x20071026, CAP_V3 = 0x20080522;

/** The header's version and how many 32-bit data structs it means; EINVAL (and the preferred
 *  version written back) for an unknown one. */
function capHeader(t: Task): { words: number; pid: number } | number {
  const h = copyIn(t, t.arg(0), 8);
  if (!h) return -Errno.EFAULT;
  const dv = new DataView(h.buffer);
  const version = dv.getUint32(0, true), pid = dv.getInt32(4, true);
  if (version === CAP_V1) return { words: 1, pid };
  if (version === CAP_V2 || version === CAP_V3) return { words: 2, pid };
  if (!copyOut(t, t.arg(0), i32Bytes([CAP_V3]))) return -Errno.EFAULT;
  return -Errno.EINVAL;
}

export function sys_capget(t: Task): SyscallResult {
  const hdr = capHeader(t);
  if (typeof hdr === 'number') return hdr;
  if (hdr.pid < 0) return -Errno.EINVAL;
  if (hdr.pid !== 0 && hdr.pid !== t.tid && hdr.pid !== t.tg.pid) return -Errno.ESRCH;
  if (t.arg(1) === 0) return 0; // a probe of the version
  const c = t.tg.creds;
  const [el, eh] = capHalves(c.capEffective), [pl, ph] = capHalves(c.capPermitted), [il, ih] = capHalves(c.capInheritable);
  const data = hdr.words === 1 ? [el, pl, il] : [el, pl, il, eh, ph, ih];
  return copyOut(t, t.arg(1), i32Bytes(data)) ? 0 : -Errno.EFAULT;
}

export function sys_capset(t: Task): SyscallResult {
  const hdr = capHeader(t);
  if (typeof hdr === 'number') return hdr;
  if (hdr.pid !== 0 && hdr.pid !== t.tid && hdr.pid !== t.tg.pid) return -Errno.EPERM;
  const b = copyIn(t, t.arg(1), hdr.words * 12);
  if (!b) return -Errno.EFAULT;
  const dv = new DataView(b.buffer);
  const word = (k: number) => dv.getUint32(k * 4, true);
  const set = (n: number) => capFromHalves(word(n), hdr.words === 2 ? word(3 + n) : 0);
  const effective = set(0), permitted = set(1), inheritable = set(2);
  const c = t.tg.creds;
  // Inheritable may only grow within the permitted set (or anything the bounding set allows, with CAP_SETPCAP).
  const inheritLimit = capOr(c.capInheritable, can(c, CAP_SETPCAP) ? c.capBounding : c.capPermitted);
  if (!capSubset(inheritable, inheritLimit) || !capSubset(inheritable, capOr(c.capInheritable, c.capBounding))) return -Errno.EPERM;
  if (!capSubset(permitted, c.capPermitted)) return -Errno.EPERM;
  if (!capSubset(effective, permitted)) return -Errno.EPERM;
  c.capEffective = capAnd(effective, ALL_CAPS); c.capPermitted = permitted; c.capInheritable = inheritable;
  return 0;
}
