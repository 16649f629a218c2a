// pipe and pipe2 (gVisor sys_pipe.go): two descriptions of one new pipe (sentry/kernel/pipe.ts).

import { Errno } from '../abi/errno.js';
import type { Kernel } from '../kernel/kernel.js';
import type { Task } from '../kernel/task.js';
import { O_CLOEXEC, O_DIRECT, O_NONBLOCK, O_RDONLY, O_WRONLY } from '../vfs/file.js';
import type { SyscallResult } from './handler.js';
import { copyOut, i32Bytes } from './memory_io.js';


export function sys_pipe(t: Task, k: Kernel): SyscallResult { return makePipe(t, k, t.arg(0), 0); }
export function sys_pipe2(t: Task, k: Kernel): SyscallResult { return makePipe(t, k, t.arg(0), t.argInt(1)); }

function makePipe(t: Task, k: Kernel, addr: number, flags: number): number {
  if (flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT)) return -Errno.EINVAL;
  const pipe = k.newPipe(t);
  const status = flags & (O_NONBLOCK | O_DIRECT);
  const path = `pipe:[${pipe.ino}]`;
  const r = pipe.open(O_RDONLY | status, k.pipeHost, path), w = pipe.open(O_WRONLY | status, k.pipeHost, path);
  const cloexec = (flags & O_CLOEXEC) !== 0;
  const rfd = t.fds.add(r, cloexec);
  if (rfd < 0) { r.release(); w.release(); return rfd; }
  const wfd = t.fds.add(w, cloexec);
  if (wfd < 0) { t.fds.close(rfd); w.release(); return wfd; }
  if (!copyOut(t, addr, i32Bytes([rfd, wfd]))) { t.fds.close(rfd); t.fds.close(wfd); return -Errno.EFAULT; }
  return 0;
}
