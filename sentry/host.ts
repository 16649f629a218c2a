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
  /** Writes everything (waiting while the host pipe is full); -errno on error (-EPIPE). */
  write(src: Uint8Array): Promise<number>;
  stat(): Stat;
  /** Terminal size, when a terminal. */
  winsize?(): { rows: number; cols: number };
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
  hostname: string;
  /** Lets the host's event loop run (timers, I/O) before the caller continues. */
  yield(): Promise<void>;
  /** Waits `ms` milliseconds of host time. */
  sleep(ms: number): Promise<void>;
  /**
   * Calls `fire` after `ms` milliseconds of host time (however long) unless the returned function
   * is called first: a wait that ends early leaves no timer behind to hold the host up.
   */
  setTimer(ms: number, fire: () => void): () => void;
}
