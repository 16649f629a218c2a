// The guest's terminal (Linux drivers/tty/tty_io.c and tty_jobctrl.c, gVisor kernel/tty): when
// runts runs in a host terminal, the host terminal is put in raw mode and the guest gets a tty
// of its own, whose line discipline (line_discipline.ts) turns typed bytes into input and
// signals. The tty belongs to PID 1's session; its foreground process group gets the keyboard's
// signals and may read; a background group that reads gets SIGTTIN (and SIGTTOU for writes
// with TOSTOP, or for changing the terminal), as job control shells expect.

import { Errno } from '../abi/errno.js';
import type { HostStream, HostTerminal } from '../host.js';
import { O_NONBLOCK, type Dirent, type FileDescription, type IoctlIo } from '../vfs/file.js';
import type { Stat } from '../vfs/stat.js';
import { LineDiscipline, TOSTOP, VMIN, VTIME, type DisciplineSink } from './line_discipline.js';
import { ERESTARTSYS } from './signals.js';
import { SIG_IGN, SIGTTIN, SIGTTOU, SIGWINCH } from './sigset.js';
import type { Task, ThreadGroup } from './task.js';
import { WaitQueue } from './wait_queue.js';

const TCGETS = 0x5401, TCSETS = 0x5402, TCSETSW = 0x5403, TCSETSF = 0x5404, TCSBRK = 0x5409, TCXONC = 0x540a,
  TCFLSH = 0x540b, TIOCSCTTY = 0x540e, TIOCGPGRP = 0x540f, TIOCSPGRP = 0x5410, TIOCOUTQ = 0x5411,
  TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414, FIONREAD = 0x541b, TIOCNOTTY = 0x5422, TIOCGSID = 0x5429;
const POLLIN = 0x1, POLLOUT = 0x4, POLLRDNORM = 0x40, POLLWRNORM = 0x100;

/** What the terminal needs from the kernel. */
export interface TtyHost {
  currentTask(): Task | null;
  /** Sends `sig` to every process of group `pgid`, from the kernel. */
  signalGroup(pgid: number, sig: number): void;
  orphaned(pgid: number, sid: number): boolean;
  groupExists(pgid: number, sid: number): boolean;
  sleep(ms: number): Promise<void>;
}

export class Terminal implements DisciplineSink {
  readonly ldisc = new LineDiscipline(this);
  /** Input arrived (or the settings changed): readers look again. */
  readonly changed = new WaitQueue();
  /** The session that has it as its controlling terminal, and that session's foreground group. */
  session = 0;
  foreground = 0;
  private winsize: { rows: number; cols: number; xpixel: number; ypixel: number };
  /** Output (the guest's and echo) leaves in order. */
  private writing: Promise<unknown> = Promise.resolve();

  constructor(private readonly out: HostStream, private readonly host: HostTerminal, private readonly kernel: TtyHost, readonly stat: () => Stat) {
    const s = host.size();
    this.winsize = { rows: s.rows, cols: s.cols, xpixel: 0, ypixel: 0 };
    host.onInput((bytes) => { this.ldisc.receive(bytes); this.changed.notifyAll(); });
    host.onResize(() => {
      const n = host.size();
      this.setWinsize({ ...this.winsize, rows: n.rows, cols: n.cols });
    });
  }

  /** The session leader `tg` takes it as its controlling terminal. */
  attach(tg: ThreadGroup): void {
    tg.ctty = this;
    this.session = tg.sid;
    this.foreground = tg.pgid;
  }

  output(bytes: Uint8Array): void { void this.write(bytes); }

  write(bytes: Uint8Array): Promise<number> {
    const done = this.writing.then(() => this.out.write(bytes));
    this.writing = done;
    return done;
  }

  signalForeground(sig: number): void { if (this.foreground) this.kernel.signalGroup(this.foreground, sig); }

  private setWinsize(w: Terminal['winsize']): void {
    const changed = w.rows !== this.winsize.rows || w.cols !== this.winsize.cols;
    this.winsize = w;
    if (changed) this.signalForeground(SIGWINCH);
  }

  /** The sandbox is over: stop reading the host terminal. */
  close(): void { this.host.close(); }

  open(flags: number, path: string): TtyFile { return new TtyFile(this, flags, path, this.kernel); }

  encodeWinsize(): Uint8Array {
    const b = new Uint8Array(8);
    const dv = new DataView(b.buffer);
    dv.setUint16(0, this.winsize.rows, true); dv.setUint16(2, this.winsize.cols, true);
    dv.setUint16(4, this.winsize.xpixel, true); dv.setUint16(6, this.winsize.ypixel, true);
    return b;
  }

  decodeWinsize(b: Uint8Array): void {
    const dv = new DataView(b.buffer, b.byteOffset, 8);
    this.setWinsize({ rows: dv.getUint16(0, true), cols: dv.getUint16(2, true), xpixel: dv.getUint16(4, true), ypixel: dv.getUint16(6, true) });
  }
}

export class TtyFile implements FileDescription {
  constructor(readonly terminal: Terminal, public flags: number, readonly path: string, private readonly kernel: TtyHost) {}

  /** -errno, or 0, for a task touching the terminal from outside its foreground group (job control). */
  private jobControl(t: Task | null, sig: number): number {
    const term = this.terminal;
    if (!t || t.tg.ctty !== term || t.tg.pgid === term.foreground) return 0;
    const ignored = t.tg.handlers.actions[sig].handler === SIG_IGN || t.sigmask.has(sig);
    if (ignored) return sig === SIGTTIN ? -Errno.EIO : 0; // a background write that ignores SIGTTOU goes ahead
    if (this.kernel.orphaned(t.tg.pgid, t.tg.sid)) return -Errno.EIO;
    this.kernel.signalGroup(t.tg.pgid, sig);
    return -ERESTARTSYS;
  }

  read(dst: Uint8Array, offset: number): number | Promise<number> {
    if (offset >= 0) return -Errno.ESPIPE;
    const t = this.kernel.currentTask();
    const denied = this.jobControl(t, SIGTTIN);
    if (denied) return denied;
    return this.readWhenReady(dst, t);
  }

  private async readWhenReady(dst: Uint8Array, t: Task | null): Promise<number> {
    const ld = this.terminal.ldisc, cc = ld.termios.cc;
    const timed = !ld.termios.canonical && cc[VTIME] > 0;
    for (;;) {
      const got = ld.take(dst.length);
      if (got) { dst.set(got); return got.length; }
      if (this.flags & O_NONBLOCK) return -Errno.EAGAIN;
      if (!ld.termios.canonical && cc[VMIN] === 0 && cc[VTIME] === 0) return 0;
      const woken = timed ? await Promise.race([this.terminal.changed.wait(t), this.kernel.sleep(cc[VTIME] * 100).then(() => 'timeout' as const)]) : await this.terminal.changed.wait(t);
      if (woken === 'timeout') return 0;
      if (!woken) return -ERESTARTSYS;
    }
  }

  async write(src: Uint8Array, offset: number): Promise<number> {
    if (offset >= 0) return -Errno.ESPIPE;
    const ld = this.terminal.ldisc;
    if (ld.termios.lflag & TOSTOP) {
      const denied = this.jobControl(this.kernel.currentTask(), SIGTTOU);
      if (denied) return denied;
    }
    const n = await this.terminal.write(ld.processOutput(src));
    return n < 0 ? n : src.length;
  }

  seek(): number { return -Errno.ESPIPE; }
  stat(): Stat { return this.terminal.stat(); }
  readdir(): Dirent[] | number { return -Errno.ENOTDIR; }
  readable(): number { return this.terminal.ldisc.available; }
  readiness(): number {
    const ld = this.terminal.ldisc;
    return (ld.available > 0 || ld.hasEof ? POLLIN | POLLRDNORM : 0) | POLLOUT | POLLWRNORM;
  }
  get events(): WaitQueue { return this.terminal.changed; }

  ioctl(cmd: number, arg: number, io: IoctlIo): number {
    const term = this.terminal, ld = term.ldisc;
    const t = this.kernel.currentTask();
    const put32 = (v: number) => { const b = new Uint8Array(4); new DataView(b.buffer).setInt32(0, v, true); return io.copyOut(arg, b) ? 0 : -Errno.EFAULT; };
    const isCtty = t !== null && t.tg.ctty === term;
    switch (cmd) {
      case TCGETS: return io.copyOut(arg, ld.termios.encode()) ? 0 : -Errno.EFAULT;
      case TCSETS: case TCSETSW: case TCSETSF: {
        const denied = this.jobControl(t, SIGTTOU);
        if (denied) return denied;
        const b = new Uint8Array(36);
        if (!io.copyIn(arg, b)) return -Errno.EFAULT;
        if (cmd === TCSETSF) ld.flushInput();
        ld.termios.decode(b);
        ld.settingsChanged();
        term.changed.notifyAll();
        return 0;
      }
      case TIOCGWINSZ: return io.copyOut(arg, term.encodeWinsize()) ? 0 : -Errno.EFAULT;
      case TIOCSWINSZ: {
        const b = new Uint8Array(8);
        if (!io.copyIn(arg, b)) return -Errno.EFAULT;
        term.decodeWinsize(b);
        return 0;
      }
      case TIOCGPGRP: return isCtty ? put32(term.foreground) : -Errno.ENOTTY;
      case TIOCGSID: return isCtty ? put32(term.session) : -Errno.ENOTTY;
      case TIOCSPGRP: {
        if (!isCtty) return -Errno.ENOTTY;
        const b = new Uint8Array(4);
        if (!io.copyIn(arg, b)) return -Errno.EFAULT;
        const pgid = new DataView(b.buffer).getInt32(0, true);
        if (pgid < 0) return -Errno.EINVAL;
        const denied = this.jobControl(t, SIGTTOU);
        if (denied) return denied;
        if (!this.kernel.groupExists(pgid, term.session)) return -Errno.EPERM;
        term.foreground = pgid;
        return 0;
      }
      case TIOCSCTTY: {
        if (!t || t.tg.pid !== t.tg.sid) return -Errno.EPERM; // only a session leader
        if (t.tg.ctty === term) return 0;
        if (t.tg.ctty) return -Errno.EPERM;
        term.attach(t.tg);
        return 0;
      }
      case TIOCNOTTY: {
        if (!isCtty) return -Errno.ENOTTY;
        t.tg.ctty = null;
        return 0;
      }
      case FIONREAD: return put32(ld.available);
      case TIOCOUTQ: return put32(0);
      case TCFLSH: if (arg === 0 || arg === 2) ld.flushInput(); return 0;
      case TCSBRK: case TCXONC: return 0;
      default: return -Errno.ENOTTY;
    }
  }

  release(): void { /* the terminal lives as long as the sandbox */ }
}
