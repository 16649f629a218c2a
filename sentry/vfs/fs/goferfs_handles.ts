// The Gofer handles a gofer filesystem's inodes hold, and their bounds: each handle is a host fd
// in the Gofer, so only so many stay open. Least recently used ones are closed (an inode re-walks
// its name from its parent when it needs its handle again); closes are sent in batches, without
// waiting for the reply. Pure ECMAScript.

import type { GoferClient } from '../../../gofer/client.js';
import { MAX_CLOSE } from '../../../gofer/protocol.js';

/**
 * What one inode holds in the Gofer (-1: nothing). Apart from the inode so that the finalizer,
 * which runs after the inode is gone, still finds the handles to close.
 */
export class Held {
  /** The control handle (an O_PATH fd in the Gofer) naming the inode. */
  control = -1;
  /** An open handle for reading (O_RDONLY). */
  reader = -1;
  /** An open handle for writing (O_RDWR, or O_WRONLY where reading is not allowed). */
  writer = -1;
  /** The writer was opened O_RDWR, so reads may use it too. */
  writerReads = false;

  /** Gives every handle to `closer`. */
  closeAll(closer: Closer): void {
    closer.close(this.control); closer.close(this.reader); closer.close(this.writer);
    this.control = this.reader = this.writer = -1;
  }
}

/** Sends Close for handles given up, many to a call, after the current turn of the event loop's microtasks. */
export class Closer {
  private pending: number[] = [];

  constructor(private readonly client: GoferClient) {}

  close(handle: number): void {
    if (handle < 0) return;
    this.pending.push(handle);
    // Every call already made with this handle was sent before this one (calls are written at
    // once): the Gofer answers them in order, so the Close never overtakes a use.
    if (this.pending.length === 1) void Promise.resolve().then(() => this.flush());
  }

  private flush(): void {
    while (this.pending.length > 0) {
      const handles = this.pending.splice(0, MAX_CLOSE);
      void this.client.call('Close', { handles });
    }
  }
}

/**
 * A least-recently-used set of holders, trimmed to `limit` by `evict` (which answers false for
 * one that must stay: in use right now, or impossible to reopen).
 */
export class HandleLru<T extends object> {
  private readonly order = new Map<T, true>();

  constructor(private readonly limit: number, private readonly evict: (t: T) => boolean) {}

  get size(): number { return this.order.size; }

  /** `t` was just used (or just got its handle). */
  touch(t: T): void {
    this.order.delete(t);
    this.order.set(t, true);
    if (this.order.size > this.limit) this.trim();
  }

  /** `t` holds nothing this set should close any more. */
  forget(t: T): void { this.order.delete(t); }

  private trim(): void {
    for (const t of this.order.keys()) {
      if (this.order.size <= this.limit) return;
      if (this.evict(t)) this.order.delete(t);
    }
  }
}
