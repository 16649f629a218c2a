// Something a poller can wait on for changes: a file's events (Linux's wait_queue_head that
// f_op->poll registers on). The VFS names only this interface; the kernel's WaitQueue is one.

/** Called at a change with the poll events it concerns (0: unspecified, any may have changed). */
export type EventListener = (events: number) => void;

export interface Waitable {
  /** Calls `fn` at every change until the returned function is called. */
  subscribe(fn: EventListener): () => void;
}

/** The plain implementation: a set of listeners, each told of every change. */
export class Notifier implements Waitable {
  private readonly listeners = new Set<EventListener>();

  subscribe(fn: EventListener): () => void {
    this.listeners.add(fn);
    return () => { this.listeners.delete(fn); };
  }

  /**
   * Tells every listener; `events` says which poll events the change concerns (0: any). One that
   * an earlier listener unsubscribed meanwhile is not called.
   */
  notifyAll(events = 0): void {
    for (const fn of [...this.listeners]) if (this.listeners.has(fn)) fn(events);
  }

  get size(): number { return this.listeners.size; }
}
