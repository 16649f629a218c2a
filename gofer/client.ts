// A Gofer client over an injected byte transport: tags, pending calls, reply decoding. Pure
// ECMAScript (no Node API), so the Sentry can use it with a socket wrapper from sentry/node/.
// Replies are untrusted too: a malformed one fails its call (and the channel) with EIO.

import {
  Errno, FrameReader, decodeReply, encodeRequest, type OpName, type Request, type Requests, type Result,
} from './protocol.js';

/** A full-duplex byte channel to the Gofer (a socketpair end in the Sentry). */
export interface Transport {
  send(bytes: Uint8Array): void;
  onData(cb: (chunk: Uint8Array) => void): void;
  onClose(cb: () => void): void;
  close(): void;
}

interface Pending { op: OpName; resolve: (r: Result<OpName>) => void }

export class GoferClient {
  private readonly reader = new FrameReader();
  private readonly pending = new Map<number, Pending>();
  private nextTag = 1;
  private closed = false;

  constructor(private readonly transport: Transport, private readonly log: (msg: string) => void = () => {}) {
    transport.onData((chunk) => this.receive(chunk));
    transport.onClose(() => this.fail('channel closed'));
  }

  /** Calls one operation; resolves to its result or an errno (EIO once the channel is gone). */
  call<K extends OpName>(op: K, args: Requests[K]): Promise<Result<K>> {
    if (this.closed) return Promise.resolve({ ok: false, errno: Errno.EIO });
    let tag = this.nextTag;
    while (this.pending.has(tag)) tag = (tag % 0xffffffff) + 1;
    this.nextTag = (tag % 0xffffffff) + 1;
    return new Promise<Result<K>>((resolve) => {
      this.pending.set(tag, { op, resolve: resolve as (r: Result<OpName>) => void });
      this.transport.send(encodeRequest(tag, { op, args } as Request));
    });
  }

  /** A call that throws GoferCallError on an errno (convenient in tests and simple callers). */
  async must<K extends OpName>(op: K, args: Requests[K]): Promise<import('./protocol.js').Replies[K]> {
    const r = await this.call(op, args);
    if (!r.ok) throw new GoferCallError(op, r.errno);
    return r.value;
  }

  get isClosed(): boolean { return this.closed; }
  get inFlight(): number { return this.pending.size; }

  close(): void { this.transport.close(); this.fail('closed by client'); }

  private receive(chunk: Uint8Array): void {
    for (const ev of this.reader.push(chunk)) {
      if (ev.kind !== 'frame') { this.log(`bad frame from the Gofer`); this.transport.close(); this.fail('bad frame'); return; }
      const p = this.pending.get(ev.frame.tag);
      if (!p) { this.log(`reply for unknown tag ${ev.frame.tag}`); continue; }
      this.pending.delete(ev.frame.tag);
      const d = decodeReply(p.op, ev.frame);
      if (!d.ok) { this.log(d.reason); p.resolve({ ok: false, errno: Errno.EIO }); continue; }
      p.resolve(d.value);
    }
  }

  private fail(why: string): void {
    if (!this.closed) this.log(`Gofer channel: ${why}`);
    this.closed = true;
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.resolve({ ok: false, errno: Errno.EIO });
  }
}

export class GoferCallError extends Error {
  constructor(readonly op: OpName, readonly errno: number) { super(`${op}: errno ${errno}`); }
}
