// epoll instances (Linux fs/eventpoll.c, gVisor kernel/epoll): an interest list of (file
// description, fd) pairs and a ready list fed by the files' change notifications. A reported
// level-triggered entry goes back on the ready list; an edge-triggered one comes back only at its
// file's next change (of a kind it asked for); a one-shot one is disabled until EPOLL_CTL_MOD.
// An entry goes away with EPOLL_CTL_DEL or when its description's last reference is closed. An
// instance is pollable itself (readable while something is ready), so instances nest.

import { Errno } from '../abi/errno.js';
import { EPOLLET, EPOLLEXCLUSIVE, EPOLLONESHOT, EPOLLWAKEUP, POLLIN, POLLRDNORM } from '../abi/poll.js';
import { onLastClose } from '../vfs/fd_table.js';
import { readinessOf, type FileDescription } from '../vfs/file.js';
import { Notifier } from '../vfs/waitable.js';
import { AnonFile } from './anon_file.js';
import type { Kernel } from './kernel.js';
import { WaitSet, waitForEvents, type Deadline } from './poll_wait.js';
import { hasDeliverable } from './signals.js';
import type { Task } from './task.js';

/** Flag bits of an entry's events, as opposed to the poll events it watches. */
export const EP_PRIVATE_BITS = EPOLLWAKEUP | EPOLLONESHOT | EPOLLET | EPOLLEXCLUSIVE;
/** How many epoll instances may be chained inside one another, counted in links. */
const EP_MAX_NESTS = 4;

interface Entry {
  readonly file: FileDescription;
  readonly fd: number;
  /** What it watches (EPOLLERR and EPOLLHUP always) and its flags, as an unsigned 32-bit number. */
  events: number;
  /** epoll_event.data: 8 opaque bytes. */
  data: Uint8Array;
  onReadyList: boolean;
  /** Ends its subscription to the file's events and the watch on its last close. */
  stop: () => void;
}

/** Writes event number `i` (revents and data) to the guest; false on a fault. */
export type PutEvent = (i: number, revents: number, data: Uint8Array) => boolean;

export class EpollFile extends AnonFile {
  private readonly entries = new Map<FileDescription, Map<number, Entry>>();
  private readyList: Entry[] = [];
  /** epoll_wait's waiters and this instance's own pollers (an epoll watching it). */
  readonly events = new Notifier();
  /** The instances that watch this one, with how many entries each has for it. */
  private readonly parents = new Map<EpollFile, number>();

  constructor(flags: number) { super('eventpoll', flags); }

  /** ep_eventpoll_ioctl answers EINVAL for what it does not know (busy-poll parameters). */
  override ioctl(): number { return -Errno.EINVAL; }

  has(file: FileDescription, fd: number): boolean { return this.entries.get(file)?.has(fd) ?? false; }

  /** The flags of the entry for (file, fd), or undefined when there is none. */
  entryEvents(file: FileDescription, fd: number): number | undefined { return this.entries.get(file)?.get(fd)?.events; }

  /** EPOLL_CTL_ADD, once the syscall has checked it (ep_insert). `file` must have events. */
  add(file: FileDescription, fd: number, events: number, data: Uint8Array): void {
    const e: Entry = { file, fd, events: events >>> 0, data, onReadyList: false, stop: () => undefined };
    let byFd = this.entries.get(file);
    if (!byFd) { byFd = new Map(); this.entries.set(file, byFd); }
    byFd.set(fd, e);
    const unsubscribe = file.events!.subscribe((ev) => this.fileChanged(e, ev));
    const unwatch = onLastClose(file, () => this.remove(e));
    e.stop = () => { unsubscribe(); unwatch(); };
    if (file instanceof EpollFile) file.parents.set(this, (file.parents.get(this) ?? 0) + 1);
    if (readinessOf(file) & e.events) this.makeReady(e);
  }

  /** EPOLL_CTL_MOD (ep_modify): new events and data; ready again at once if it is ready now. */
  modify(file: FileDescription, fd: number, events: number, data: Uint8Array): void {
    const e = this.entries.get(file)?.get(fd);
    if (!e) return;
    e.events = events >>> 0;
    e.data = data;
    if (readinessOf(file) & e.events) this.makeReady(e);
  }

  /** EPOLL_CTL_DEL. */
  delete(file: FileDescription, fd: number): void {
    const e = this.entries.get(file)?.get(fd);
    if (e) this.remove(e);
  }

  private remove(e: Entry): void {
    const byFd = this.entries.get(e.file);
    if (byFd?.get(e.fd) !== e) return;
    byFd.delete(e.fd);
    if (byFd.size === 0) this.entries.delete(e.file);
    e.stop();
    if (e.onReadyList) { e.onReadyList = false; this.readyList = this.readyList.filter((x) => x !== e); }
    if (e.file instanceof EpollFile) {
      const n = (e.file.parents.get(this) ?? 1) - 1;
      if (n > 0) e.file.parents.set(this, n); else e.file.parents.delete(this);
    }
  }

  /** The file's wait queue woke (ep_poll_callback): onto the ready list if the change concerns the entry. */
  private fileChanged(e: Entry, events: number): void {
    if ((e.events & ~EP_PRIVATE_BITS) === 0) return; // a one-shot that has fired
    if (events !== 0 && (events & e.events) === 0) return;
    this.makeReady(e);
  }

  private makeReady(e: Entry): void {
    if (!e.onReadyList) { e.onReadyList = true; this.readyList.push(e); }
    this.events.notifyAll(POLLIN | POLLRDNORM);
  }

  /**
   * Reports up to `max` ready entries through `put` (ep_send_events): each one's readiness is
   * checked again, and one no longer ready leaves the list. Level-triggered entries go to the
   * back of the list; those not reached keep their place at the front. Returns how many were
   * written, or -EFAULT when the first could not be.
   */
  collect(max: number, put: PutEvent): number {
    const scan = this.readyList;
    this.readyList = [];
    const relisted: Entry[] = [];
    let n = 0, i = 0;
    for (; i < scan.length && n < max; i++) {
      const e = scan[i];
      e.onReadyList = false;
      const revents = readinessOf(e.file) & e.events;
      if (!revents) continue;
      if (!put(n, revents >>> 0, e.data)) {
        if (n === 0) n = -Errno.EFAULT;
        break; // this one stays ready
      }
      n++;
      if (e.events & EPOLLONESHOT) e.events = (e.events & EP_PRIVATE_BITS) >>> 0;
      else if (!(e.events & EPOLLET)) relisted.push(e);
    }
    const rest = scan.slice(i);
    for (const e of [...rest, ...relisted]) e.onReadyList = true;
    this.readyList = [...rest, ...relisted, ...this.readyList];
    return n;
  }

  /** Readable while an entry on the ready list is really ready; the others leave the list. */
  readiness(): number {
    while (this.readyList.length > 0) {
      const e = this.readyList[0];
      if (readinessOf(e.file) & e.events) return POLLIN | POLLRDNORM;
      e.onReadyList = false;
      this.readyList.shift();
    }
    return 0;
  }

  private *children(): Generator<EpollFile> {
    for (const f of this.entries.keys()) if (f instanceof EpollFile) yield f;
  }

  private contains(other: EpollFile): boolean {
    for (const c of this.children()) if (c === other || c.contains(other)) return true;
    return false;
  }

  /** Links down to the deepest instance inside this one. */
  private depthBelow(): number {
    let d = 0;
    for (const c of this.children()) d = Math.max(d, 1 + c.depthBelow());
    return d;
  }

  /** Links up to the outermost instance that watches this one. */
  private depthAbove(): number {
    let d = 0;
    for (const p of this.parents.keys()) d = Math.max(d, 1 + p.depthAbove());
    return d;
  }

  /** Whether watching `target` would close a cycle or chain instances too deep (ELOOP). */
  wouldLoop(target: EpollFile): boolean {
    if (target === this || target.contains(this)) return true;
    return this.depthAbove() + 1 + target.depthBelow() > EP_MAX_NESTS;
  }

  override release(): void {
    for (const byFd of [...this.entries.values()]) for (const e of [...byFd.values()]) this.remove(e);
  }
}

/**
 * epoll_wait's loop (ep_poll): report what is ready; else 0 once the time is up, -EINTR on a
 * signal (epoll_wait is never restarted), or wait for the instance to be woken and look again.
 */
export function epollWait(k: Kernel, t: Task, ep: EpollFile, max: number, put: PutEvent, deadline: Deadline): number | Promise<number> {
  const n = ep.collect(max, put);
  if (n !== 0) return n;
  if (deadline.zero) return 0;
  if (t.exited || hasDeliverable(t)) return -Errno.EINTR;
  return waitThenCollect(k, t, ep, max, put, deadline);
}

async function waitThenCollect(k: Kernel, t: Task, ep: EpollFile, max: number, put: PutEvent, deadline: Deadline): Promise<number> {
  const set = new WaitSet();
  set.add(ep.events, 0);
  for (;;) {
    await waitForEvents(k, t, set, deadline.left());
    // Other tasks ran meanwhile: readiness is looked at on behalf of this one.
    k.currentTask = t;
    const n = ep.collect(max, put);
    if (n !== 0) return n;
    if (deadline.left() === 0) return 0;
    if (t.exited || hasDeliverable(t)) return -Errno.EINTR;
  }
}
