// The Sentry's end of the Gofer channel: a GoferClient Transport over the net.Socket that wraps
// the socketpair end the sandbox got when it spawned the Gofer (container-runtime/gofer_process.ts).

import type net from 'node:net';
import type { Transport } from '../../gofer/client.js';

export class SocketTransport implements Transport {
  constructor(private readonly sock: net.Socket, private readonly log: (msg: string) => void = () => {}) {
    // EPIPE/ECONNRESET when the Gofer dies: the 'close' that follows fails every call with EIO.
    sock.on('error', (e) => this.log(`Gofer channel: ${e.message}`));
  }

  private corked = false;

  /**
   * Frames sent in one turn of the event loop (a Close and the next request, a burst of calls)
   * leave in one write: each write wakes the Gofer, and on a busy host each wake costs a switch.
   */
  send(bytes: Uint8Array): void {
    if (this.sock.destroyed) return;
    if (!this.corked) {
      this.corked = true;
      this.sock.cork();
      process.nextTick(() => { this.corked = false; this.sock.uncork(); });
    }
    this.sock.write(bytes);
  }

  onData(cb: (chunk: Uint8Array) => void): void {
    this.sock.on('data', (b: Buffer) => cb(new Uint8Array(b.buffer, b.byteOffset, b.byteLength)));
  }

  onClose(cb: () => void): void { this.sock.on('close', cb); }

  close(): void { this.sock.destroy(); }
}
