// The host terminal for the guest's tty (sentry/kernel/terminal.ts): raw mode while the sandbox
// runs, restored on every way out of runts; typed bytes through Node's tty stream (which can be
// stopped, unlike a pending read of fd 0); and the window size with its changes.

import type { ReadStream, WriteStream } from 'node:tty';
import type { HostTerminal } from '../host.js';

export function nodeTerminal(): HostTerminal {
  const input = process.stdin as ReadStream;
  const screen = process.stdout.isTTY ? process.stdout as WriteStream : null;
  return {
    makeRaw() {
      input.setRawMode(true);
      let restored = false;
      const restore = () => {
        if (restored) return;
        restored = true;
        try { input.setRawMode(false); } catch { /* the terminal is gone */ }
      };
      process.once('exit', restore);
      return restore;
    },
    size: () => ({ rows: screen?.rows ?? 24, cols: screen?.columns ?? 80 }),
    onResize(cb) { screen?.on('resize', cb); },
    onInput(cb) { input.on('data', (b: Buffer) => cb(new Uint8Array(b.buffer, b.byteOffset, b.length))); },
    close() { input.pause(); input.removeAllListeners('data'); input.unref?.(); },
  };
}
