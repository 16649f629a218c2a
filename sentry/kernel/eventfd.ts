// eventfd (Linux fs/eventfd.c): a 64-bit counter as a file. A write adds its 8-byte value (waiting
// while the sum would pass 2^64 - 2); a read takes the whole count, or 1 in semaphore mode
// (waiting while it is 0). Readable while the count is above 0, writable while it is below the
// maximum. The counter is a bigint: it is 64 bits wide and far from any hot path.

import { Errno } from '../abi/errno.js';
import { POLLERR, POLLIN, POLLOUT } from '../abi/poll.js';
import { O_NONBLOCK } from '../vfs/file.js';
import { AnonFile } from './anon_file.js';
import { ERESTARTSYS } from './signals.js';
import type { Task } from './task.js';
import { WaitQueue } from './wait_queue.js';

const ULLONG_MAX = (1n << 64n) - 1n;

export class EventFd extends AnonFile {
  /** Woken with POLLIN after a write and POLLOUT after a read, as Linux's keyed wakeups. */
  readonly events = new WaitQueue();

  constructor(private count: bigint, flags: number, private readonly semaphore: boolean, private readonly currentTask: () => Task | null) {
    super('eventfd', flags);
  }

  override read(dst: Uint8Array): number | Promise<number> {
    if (dst.length < 8) return -Errno.EINVAL;
    if (this.count > 0n) return this.take(dst);
    if (this.flags & O_NONBLOCK) return -Errno.EAGAIN;
    return this.readSlow(dst, this.currentTask());
  }

  private async readSlow(dst: Uint8Array, t: Task | null): Promise<number> {
    return (await this.events.waitUntil(t, () => this.count > 0n)) ? this.take(dst) : -ERESTARTSYS;
  }

  private take(dst: Uint8Array): number {
    const v = this.semaphore ? 1n : this.count;
    this.count -= v;
    new DataView(dst.buffer, dst.byteOffset, 8).setBigUint64(0, v, true);
    this.events.notifyAll(POLLOUT);
    return 8;
  }

  override write(src: Uint8Array): number | Promise<number> {
    if (src.length < 8) return -Errno.EINVAL;
    const v = new DataView(src.buffer, src.byteOffset, 8).getBigUint64(0, true);
    if (v === ULLONG_MAX) return -Errno.EINVAL;
    if (ULLONG_MAX - this.count > v) return this.add(v);
    if (this.flags & O_NONBLOCK) return -Errno.EAGAIN;
    return this.writeSlow(v, this.currentTask());
  }

  private async writeSlow(v: bigint, t: Task | null): Promise<number> {
    return (await this.events.waitUntil(t, () => ULLONG_MAX - this.count > v)) ? this.add(v) : -ERESTARTSYS;
  }

  private add(v: bigint): number {
    this.count += v;
    this.events.notifyAll(POLLIN);
    return 8;
  }

  readiness(): number {
    let ev = 0;
    if (this.count > 0n) ev |= POLLIN;
    if (this.count === ULLONG_MAX) ev |= POLLERR;
    if (ULLONG_MAX - 1n > this.count) ev |= POLLOUT;
    return ev;
  }
}
