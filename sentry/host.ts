// What the Sentry needs from its host, as interfaces: clocks, randomness, the debug log and host
// stdio. Host files are not here: they come through the Gofer as a filesystem of the VFS
// (sentry/vfs/fs/goferfs.ts). The Node implementations live in sentry/node/; tests supply fakes.

import type { Dirent } from './vfs/file.js';
import type { Stat, Timespec } from './vfs/stat.js';

export interface Clock {
  realtime(): Timespec;
  monotonic(): Timespec;
}

export interface HostStream {
  readonly isTty: boolean;
  /** Reads what is available (waiting for at least one byte); 0 at end of input. -errno on error. */
  read(dst: Uint8Array): Promise<number>;
  /**
   * A read started only to learn whether input is waiting (poll's read-ahead): `done` settles as
   * read()'s promise does, and cancel() abandons it (`done` never settles then), so that a
   * sandbox that has ended is not kept waiting for input nobody will read. Streams without it
   * read ahead with read(), which cannot be abandoned.
   */
  readAhead?(dst: Uint8Array): { done: Promise<number>; cancel(): void };
  /** Writes everything (waiting while the host pipe is full); -errno on error (-EPIPE). */
  write(src: Uint8Array): Promise<number>;
  stat(): Stat;
  /** Terminal size, when a terminal. */
  winsize?(): { rows: number; cols: number };
}

/** The host terminal runts runs in (its stdin is a TTY). */
export interface HostTerminal {
  /** Puts it in raw mode; the function returned restores it (runts also does on any exit). */
  makeRaw(): () => void;
  size(): { rows: number; cols: number };
  onResize(cb: () => void): void;
  /** Delivers typed bytes from now on. */
  onInput(cb: (bytes: Uint8Array) => void): void;
  /** Stops reading, so nothing holds runts open once the sandbox is over. */
  close(): void;
}

/** An open host file read by path (only sentry/vfs/host_file.ts still names it). */
export interface HostFile {
  readonly stat: Stat;
  read(dst: Uint8Array, position: number): Promise<number>;
  readdir(): Promise<Dirent[] | number>;
  close(): void;
}

export interface Host {
  clock: Clock;
  randomBytes(n: number): Uint8Array;
  /** The Sentry's own log (--debug-log): warnings, --strace. Never the guest's stdout/stderr. */
  log(line: string): void;
  stdio: [HostStream, HostStream, HostStream];
  /** Present when stdin is a terminal: the guest then gets a tty of its own. */
  terminal?: HostTerminal;
  hostname: string;
  /** Lets the host's event loop run (timers, I/O) before the caller continues. */
  yield(): Promise<void>;
  /** Waits `ms` milliseconds of host time. */
  sleep(ms: number): Promise<void>;
  /**
   * Calls `fire` once, about `ms` milliseconds of host time from now (any length: one longer
   * than the host's own timers allow is chained), unless cancelled first. It may come a little
   * early: the caller checks its clock.
   */
  setTimer(ms: number, fire: () => void): HostTimer;
}

/** A pending host timer (Host.setTimer). */
export interface HostTimer {
  cancel(): void;
}
