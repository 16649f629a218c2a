// The shape every syscall handler has (STYLE.md principle 2): decode raw arguments into named
// locals, return errors early as -errno, return the result; a promise only when it must wait.

import type { Kernel } from '../kernel/kernel.js';
import type { Task } from '../kernel/task.js';

export type SyscallResult = number | Promise<number>;

/** A handler's result that leaves every register as the handler set it (rt_sigreturn). */
export const KEEP_REGISTERS = Number.NEGATIVE_INFINITY;
export type SyscallHandler = (t: Task, k: Kernel) => SyscallResult;

/**
 * Argument kinds for --strace: d int, u unsigned, x hex, p pointer, s path string, f fd,
 * o open flags, m mode (octal).
 */
export type ArgKinds = string;

export interface SyscallRow {
  handler: SyscallHandler | null;
  args: ArgKinds;
  /** For unimplemented rows: why, or what it waits on. */
  note?: string;
}
