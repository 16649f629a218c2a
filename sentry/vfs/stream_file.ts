// A host stdio stream as a file description: reads and writes go to the host asynchronously, so a
// slow terminal or a full pipe blocks the guest task, never the Sentry's event loop.

import { Errno } from '../abi/errno.js';
import type { HostStream } from '../host.js';
import type { Dirent, FileDescription, IoctlIo } from './file.js';
import type { Stat } from './stat.js';

const TCGETS = 0x5401, TIOCGWINSZ = 0x5413, FIONREAD = 0x541b, TIOCGPGRP = 0x540f;

export class StreamFile implements FileDescription {
  /** `brokenPipe` runs when the host's reader went away (EPIPE): the kernel raises SIGPIPE. */
  constructor(private readonly stream: HostStream, public flags: number, readonly path: string, private readonly brokenPipe?: () => void) {}

  read(dst: Uint8Array): Promise<number> { return this.stream.read(dst); }
  async write(src: Uint8Array): Promise<number> {
    const n = await this.stream.write(src);
    if (n === -Errno.EPIPE) this.brokenPipe?.();
    return n;
  }
  seek(): number { return -Errno.ESPIPE; }
  stat(): Stat { return this.stream.stat(); }
  readdir(): Dirent[] | number { return -Errno.ENOTDIR; }

  ioctl(cmd: number, arg: number, io: IoctlIo): number {
    if (cmd === FIONREAD) {
      return io.copyOut(arg, new Uint8Array(4)) ? 0 : -Errno.EFAULT;
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

  release(): void { /* the host's stdio stays open */ }
}
