// --strace: each syscall with decoded arguments on entry, and its result, in the style of
// gVisor's strace (`E` entry and `X` exit lines), written to the debug log.

import { errnoName } from '../abi/errno.js';
import type { Task } from '../kernel/task.js';
import { SYSCALL_NAMES } from './names.js';
import { SYSCALL_TABLE } from './table.js';

const dec = new TextDecoder();

function formatArg(t: Task, kind: string, n: number): string {
  switch (kind) {
    case 'd': case 'f': return String(t.argInt(n));
    case 'u': return String(t.arg(n));
    case 'o': case 'm': return '0' + (t.argInt(n) >>> 0).toString(8);
    case 's': {
      const b = t.mm.readCString(t.arg(n), 256);
      return b ? JSON.stringify(dec.decode(b)) : `0x${t.arg(n).toString(16)}`;
    }
    default: return '0x' + t.arg(n).toString(16);
  }
}

export function formatSyscall(t: Task, nr: number): string {
  const row = SYSCALL_TABLE[nr];
  const kinds = row?.args ?? '';
  const args = [...kinds].map((k, n) => formatArg(t, k, n)).join(', ');
  return `[${t.tg.pid}:${t.tid}] E ${SYSCALL_NAMES.get(nr) ?? `#${nr}`}(${args})`;
}

export function formatResult(t: Task, nr: number, r: number): string {
  const res = r < 0 && r > -4096 ? `${r} (${errnoName(-r)})` : r > 4096 ? `0x${r.toString(16)}` : String(r);
  return `[${t.tg.pid}:${t.tid}] X ${SYSCALL_NAMES.get(nr) ?? `#${nr}`} = ${res}`;
}
