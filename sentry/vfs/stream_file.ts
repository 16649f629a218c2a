// A host stdio stream as a file description: reads and writes go to the host asynchronously, so a
// slow terminal or a full pipe blocks the guest task, never the Sentry's event loop.
//
// Readiness: a stream over a host pipe, socket or terminal can be polled. The host offers no way
// to ask whether input is waiting without reading it, so polling the read side reads ahead into a
// buffer (started by the first readiness check that finds it empty): POLLIN once data or the end
// of input is buffered, and pollers are woken when it arrives. Reads take the buffer first. A
// stream over a regular file or a device like /dev/null is always ready, as Linux's are.

import { Errno } from '../abi/errno.js';
import { DEFAULT_POLLMASK, POLLHUP, POLLIN, POLLOUT, POLLRDNORM, POLLWRNORM } from '../abi/poll.js';
import type { HostStream } from '../host.js';
import { O_ACCMODE, O_NONBLOCK, O_RDONLY, O_WRONLY, type Dirent, type FileDescription, type IoctlIo, type MaybeAsync } from './file.js';
import { S_IFIFO, S_IFMT, S_IFSOCK, type Stat } from './stat.js';
import { Notifier, type Waitable } from './waitable.js';

const TCGETS = 0x5401, TIOCGWINSZ = 0x5413, FIONREAD = 0x541b, TIOCGPGRP = 0x540f;
/** How much one read-ahead asks the host for. */
const READ_AHEAD = 65536;

export class StreamFile implements FileDescription {
  /** Present for streams that can be polled (pipes, sockets, terminals). */
  readonly events?: Waitable;
  private readonly changes = new Notifier();
  /** Input read ahead and not yet taken, from `aheadAt`. */
  private ahead = new Uint8Array(0);
  private aheadAt = 0;
  /** How a read-ahead that got no data ended (0 end of input, or -errno), for the next read. */
  private aheadEnd: number | null = null;
  private pending: Promise<void> | null = null;
  /** Abandons the read-ahead under way (the description is closed). */
  private cancelReadAhead: (() => void) | null = null;

  /** `brokenPipe` runs when the host's reader went away (EPIPE): the kernel raises SIGPIPE. */
  constructor(private readonly stream: HostStream, public flags: number, readonly path: string, private readonly brokenPipe?: () => void) {
    const type = stream.stat().mode & S_IFMT;
    if (stream.isTty || type === S_IFIFO || type === S_IFSOCK) this.events = this.changes;
  }

  private get reads(): boolean { return (this.flags & O_ACCMODE) !== O_WRONLY; }
  private get writes(): boolean { return (this.flags & O_ACCMODE) !== O_RDONLY; }

  read(dst: Uint8Array): MaybeAsync<number> {
    if (this.aheadAt < this.ahead.length) {
      const n = Math.min(dst.length, this.ahead.length - this.aheadAt);
      dst.set(this.ahead.subarray(this.aheadAt, this.aheadAt + n));
      this.aheadAt += n;
      return n;
    }
    if (this.aheadEnd !== null) {
      const r = this.aheadEnd;
      this.aheadEnd = null;
      return r;
    }
    if (this.pending) return this.pending.then(() => this.read(dst));
    if (this.events && (this.flags & O_NONBLOCK)) {
      this.readAhead();
      return -Errno.EAGAIN;
    }
    return this.stream.read(dst);
  }

  async write(src: Uint8Array): Promise<number> {
    const n = await this.stream.write(src);
    if (n === -Errno.EPIPE) this.brokenPipe?.();
    return n;
  }
  seek(): number { return -Errno.ESPIPE; }
  stat(): Stat { return this.stream.stat(); }
  readdir(): Dirent[] | number { return -Errno.ENOTDIR; }
  readable(): number { return this.ahead.length - this.aheadAt; }

  readiness(): number {
    if (!this.events) return DEFAULT_POLLMASK;
    // Output waits in write() while the host is slow: always writable.
    let ev = this.writes ? POLLOUT | POLLWRNORM : 0;
    if (this.reads) {
      if (this.aheadAt < this.ahead.length) ev |= POLLIN | POLLRDNORM;
      // The end of a pipe's input is a hangup; a terminal's (^D) is input.
      else if (this.aheadEnd !== null) ev |= this.aheadEnd === 0 && !this.stream.isTty ? POLLHUP : POLLIN | POLLRDNORM;
      else this.readAhead();
    }
    return ev;
  }

  /** Starts reading ahead unless a read-ahead is under way; its end wakes the pollers. */
  private readAhead(): void {
    if (this.pending) return;
    const buf = new Uint8Array(READ_AHEAD);
    const { done, cancel } = this.stream.readAhead?.(buf) ?? { done: this.stream.read(buf), cancel: () => undefined };
    this.pending = new Promise<void>((resolve) => {
      let ended = false;
      const end = (n: number) => {
        if (ended) return; // cancelled before it came
        ended = true;
        this.pending = null;
        this.cancelReadAhead = null;
        if (n > 0) { this.ahead = buf.subarray(0, n); this.aheadAt = 0; } else this.aheadEnd = n;
        resolve();
        this.changes.notifyAll();
      };
      void done.then(end);
      // Closed meanwhile: whoever still waits sees the end of input.
      this.cancelReadAhead = () => { cancel(); end(0); };
    });
  }

  ioctl(cmd: number, arg: number, io: IoctlIo): number {
    if (cmd === FIONREAD) {
      const b = new Uint8Array(4);
      new DataView(b.buffer).setInt32(0, this.readable(), true);
      return io.copyOut(arg, b) ? 0 : -Errno.EFAULT;
    }
    if (!this.stream.isTty) return -Errno.ENOTTY;
    switch (cmd) {
      case TCGETS: {
        // A cooked terminal (the Sentry's own line discipline arrives with the tty work).
        const t = new Uint8Array(60);
        const dv = new DataView(t.buffer);
        dv.setUint32(0, 0x500, true);  // c_iflag: ICRNL | IXON
        dv.setUint32(4, 0x5, true);    // c_oflag: OPOST | ONLCR
        dv.setUint32(8, 0xbf, true);   // c_cflag: B38400 | CS8 | CREAD
        dv.setUint32(12, 0x8a3b, true); // c_lflag: ISIG ICANON ECHO ECHOE ECHOK ECHOCTL ECHOKE IEXTEN
        const cc = [3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0];
        cc.forEach((v, k) => { t[17 + k] = v; });
        return io.copyOut(arg, t) ? 0 : -Errno.EFAULT;
      }
      case TIOCGWINSZ: {
        const ws = this.stream.winsize?.() ?? { rows: 24, cols: 80 };
        const b = new Uint8Array(8);
        const dv = new DataView(b.buffer);
        dv.setUint16(0, ws.rows, true); dv.setUint16(2, ws.cols, true);
        return io.copyOut(arg, b) ? 0 : -Errno.EFAULT;
      }
      case TIOCGPGRP: {
        const b = new Uint8Array(4);
        new DataView(b.buffer).setInt32(0, 1, true);
        return io.copyOut(arg, b) ? 0 : -Errno.EFAULT;
      }
      default: return -Errno.ENOTTY;
    }
  }

  /** The host's stdio stays open; only a read-ahead under way is abandoned. */
  release(): void { this.cancelReadAhead?.(); }
}
