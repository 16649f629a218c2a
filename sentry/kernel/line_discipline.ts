// A terminal's line discipline (Linux drivers/tty/n_tty.c, gVisor kernel/tty/line_discipline.go):
// the termios settings, what typed bytes become (canonical lines with erase and kill, echo, the
// characters that raise SIGINT, SIGQUIT and SIGTSTP), and output processing (\n -> \r\n).

export const VINTR = 0, VQUIT = 1, VERASE = 2, VKILL = 3, VEOF = 4, VTIME = 5, VMIN = 6, VSTART = 8,
  VSTOP = 9, VSUSP = 10, VEOL = 11, VREPRINT = 12, VWERASE = 14, VLNEXT = 15, VEOL2 = 16;
const NCCS = 19;
// c_iflag, c_oflag, c_lflag bits (include/uapi/asm-generic/termbits.h).
const ISTRIP = 0x20, INLCR = 0x40, IGNCR = 0x80, ICRNL = 0x100, IXON = 0x400;
const OPOST = 0x1, ONLCR = 0x4;
const ISIG = 0x1, ICANON = 0x2, ECHO = 0x8, ECHOE = 0x10, ECHOK = 0x20, ECHONL = 0x40, NOFLSH = 0x80,
  ECHOCTL = 0x200, ECHOKE = 0x800, IEXTEN = 0x8000;
export const TOSTOP = 0x100;
/** The longest canonical line (N_TTY_BUF_SIZE - 1). */
const MAX_LINE = 4095;

export class Termios {
  iflag = ICRNL | IXON;
  oflag = OPOST | ONLCR;
  cflag = 0xbf; // B38400 | CS8 | CREAD
  lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN;
  line = 0;
  cc = Uint8Array.from([3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0, 0, 0]);

  /** The kernel's struct termios (TCGETS): four flag words, c_line, c_cc[19]. */
  encode(): Uint8Array {
    const b = new Uint8Array(36);
    const dv = new DataView(b.buffer);
    dv.setUint32(0, this.iflag, true); dv.setUint32(4, this.oflag, true);
    dv.setUint32(8, this.cflag, true); dv.setUint32(12, this.lflag, true);
    b[16] = this.line;
    b.set(this.cc, 17);
    return b;
  }

  decode(b: Uint8Array): void {
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    this.iflag = dv.getUint32(0, true); this.oflag = dv.getUint32(4, true);
    this.cflag = dv.getUint32(8, true); this.lflag = dv.getUint32(12, true);
    this.line = b[16];
    this.cc = b.slice(17, 17 + NCCS);
  }

  get canonical(): boolean { return (this.lflag & ICANON) !== 0; }
}

/** What the discipline asks of its terminal: echo and output bytes, and signal the foreground. */
export interface DisciplineSink {
  output(bytes: Uint8Array): void;
  signalForeground(sig: number): void;
}

export class LineDiscipline {
  readonly termios = new Termios();
  /** Input ready for read(): complete lines when canonical, else every byte. */
  private ready: number[] = [];
  /** The line being edited (canonical mode). */
  private line: number[] = [];
  /** End-of-file marks (VEOF on an empty line) waiting to make a read return 0, by position in `ready`. */
  private eofAt: number[] = [];
  private literalNext = false;

  constructor(private readonly sink: DisciplineSink) {}

  /** Bytes ready to read (FIONREAD). */
  get available(): number { return this.ready.length; }
  get hasEof(): boolean { return this.eofAt.length > 0 && this.eofAt[0] === 0; }

  /** Typed bytes from the terminal. */
  receive(bytes: Uint8Array): void {
    const t = this.termios;
    for (let c of bytes) {
      if (t.iflag & ISTRIP) c &= 0x7f;
      if (this.literalNext) { this.literalNext = false; this.accept(c); continue; }
      if (c === 13 && (t.iflag & IGNCR)) continue;
      if (c === 13 && (t.iflag & ICRNL)) c = 10;
      else if (c === 10 && (t.iflag & INLCR)) c = 13;
      if ((t.lflag & ISIG) && (c === t.cc[VINTR] || c === t.cc[VQUIT] || c === t.cc[VSUSP]) && c !== 0) {
        if (!(t.lflag & NOFLSH)) this.flushInput();
        this.echoChar(c);
        this.sink.signalForeground(c === t.cc[VINTR] ? 2 : c === t.cc[VQUIT] ? 3 : 20);
        continue;
      }
      if ((t.iflag & IXON) && (c === t.cc[VSTART] || c === t.cc[VSTOP])) continue; // flow control: no output is held
      if (t.canonical) this.edit(c); else this.accept(c);
    }
  }

  private accept(c: number): void {
    if (this.termios.canonical) { this.line.push(c); this.echoChar(c); return; }
    this.ready.push(c);
    this.echoChar(c);
  }

  /** Canonical editing of the current line. */
  private edit(c: number): void {
    const t = this.termios;
    if ((t.lflag & IEXTEN) && c === t.cc[VLNEXT]) { this.literalNext = true; return; }
    if (c === t.cc[VERASE]) { this.erase(1); return; }
    if ((t.lflag & IEXTEN) && c === t.cc[VWERASE]) {
      let n = 0;
      while (n < this.line.length && isBlank(this.line[this.line.length - 1 - n])) n++;
      while (n < this.line.length && !isBlank(this.line[this.line.length - 1 - n])) n++;
      this.erase(n);
      return;
    }
    if (c === t.cc[VKILL]) {
      if ((t.lflag & ECHOKE) && (t.lflag & ECHOE)) this.erase(this.line.length);
      else { this.line = []; if (t.lflag & ECHOK) this.echoRaw([10]); }
      return;
    }
    if (c === t.cc[VEOF]) {
      if (this.line.length === 0) this.eofAt.push(this.ready.length);
      this.complete();
      return;
    }
    if (c === 10 || (c !== 0 && (c === t.cc[VEOL] || c === t.cc[VEOL2]))) {
      this.line.push(c);
      if ((t.lflag & ECHO) || (c === 10 && (t.lflag & ECHONL))) this.echoRaw([c]);
      this.complete();
      return;
    }
    if (this.line.length < MAX_LINE) { this.line.push(c); this.echoChar(c); }
  }

  private complete(): void {
    this.ready.push(...this.line);
    this.line = [];
  }

  private erase(n: number): void {
    const t = this.termios;
    for (let k = 0; k < n && this.line.length > 0; k++) {
      const c = this.line.pop()!;
      if ((t.lflag & ECHO) && (t.lflag & ECHOE)) {
        const width = c < 32 && (t.lflag & ECHOCTL) && c !== 9 ? 2 : 1;
        for (let w = 0; w < width; w++) this.echoRaw([8, 32, 8]);
      }
    }
  }

  private echoChar(c: number): void {
    const t = this.termios;
    if (!(t.lflag & ECHO)) return;
    if ((c < 32 || c === 127) && c !== 9 && c !== 10 && c !== 13 && (t.lflag & ECHOCTL)) this.echoRaw([94, c === 127 ? 63 : c + 64]);
    else this.echoRaw([c]);
  }

  private echoRaw(bytes: number[]): void { this.sink.output(this.processOutput(Uint8Array.from(bytes))); }

  /** Output processing: OPOST with ONLCR turns \n into \r\n. */
  processOutput(src: Uint8Array): Uint8Array {
    const t = this.termios;
    if (!(t.oflag & OPOST) || !(t.oflag & ONLCR) || !src.includes(10)) return src;
    const out: number[] = [];
    for (const c of src) { if (c === 10) out.push(13); out.push(c); }
    return Uint8Array.from(out);
  }

  /**
   * Takes what a read returns now: up to `max` bytes (canonical: of the first complete line;
   * an end-of-file mark gives an empty array), or null when nothing is ready.
   */
  take(max: number): Uint8Array | null {
    if (this.hasEof) { this.eofAt.shift(); return new Uint8Array(0); }
    if (this.ready.length === 0) return null;
    let n = Math.min(max, this.ready.length);
    if (this.termios.canonical) {
      const nl = this.ready.findIndex((c, k) => k < n && (c === 10 || (c !== 0 && (c === this.termios.cc[VEOL] || c === this.termios.cc[VEOL2]))));
      if (nl >= 0) n = nl + 1;
      if (this.eofAt.length > 0) n = Math.min(n, this.eofAt[0]);
    }
    const out = Uint8Array.from(this.ready.splice(0, n));
    this.eofAt = this.eofAt.map((p) => p - n);
    return out;
  }

  /** TCFLSH / TCSETSF / a signal character: typed input is dropped. */
  flushInput(): void { this.ready = []; this.line = []; this.eofAt = []; }

  /** The discipline's setting changed to non-canonical: the line being edited becomes input. */
  settingsChanged(): void { if (!this.termios.canonical && this.line.length > 0) this.complete(); }
}

function isBlank(c: number): boolean { return c === 32 || c === 9; }
