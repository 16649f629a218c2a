// The sandbox's Gofer child: spawned as a separate Node process serving the mounts over a
// socketpair inherited as its fd 3 (never a path on the host), stopped by closing that channel.
// It exits by itself when the channel closes, so it cannot outlive the sandbox process either.

import { spawn, type ChildProcess } from 'node:child_process';
import type net from 'node:net';
import { fileURLToPath } from 'node:url';

/** gofer/main.js in the same build as this file (dist/container-runtime/ -> dist/gofer/). */
const GOFER_MAIN = fileURLToPath(new URL('../gofer/main.js', import.meta.url));
/** How long a closed channel may take to end the Gofer before it is killed. */
const STOP_TIMEOUT_MS = 2000;

/** A mount as the Gofer's command line takes it: `NAME=HOSTPATH[:ro]`. */
export function goferMount(name: string, hostPath: string, readOnly: boolean): string {
  return `${name}=${hostPath}${readOnly ? ':ro' : ''}`;
}

export interface GoferExit { pid: number; code: number | null; signal: NodeJS.Signals | null }

export class GoferProcess {
  readonly socket: net.Socket;
  private readonly child: ChildProcess;
  private stopping = false;
  /** The channel closed from the Gofer's side before stop(): it died, whenever its exit shows up. */
  private channelLost = false;
  private reported = false;
  private readonly exited: Promise<GoferExit>;
  private onDeath: ((e: GoferExit) => void) | null = null;

  /** `mounts` as the gofer takes them (`NAME=HOSTDIR[:ro]`); `log` appends its log to a file. */
  constructor(mounts: string[], log?: string) {
    const args = [GOFER_MAIN, ...mounts.flatMap((m) => ['--mount', m]), '--fd', '3', ...(log ? ['--log', log] : [])];
    // stdio 'pipe' as fd 3 is a socketpair end (libuv). detached: a terminal's ^C goes to the
    // sandbox (which forwards it to the guest), not to the Gofer.
    this.child = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit', 'pipe'], detached: true });
    const sock = this.child.stdio[3] as net.Socket | null;
    if (!sock) throw new Error('cannot start the Gofer: no channel');
    this.socket = sock;
    const pid = this.child.pid ?? -1;
    this.exited = new Promise((resolve) => {
      this.child.on('error', () => resolve({ pid, code: null, signal: null })); // could not spawn
      this.child.on('exit', (code, signal) => resolve({ pid, code, signal }));
    });
    sock.once('close', () => { if (!this.stopping) this.channelLost = true; });
    // A death is reported even when the sandbox is already stopping because of it (the guest saw
    // EIO and exited before the child's exit event arrived).
    void this.exited.then((e) => {
      if ((this.stopping && !this.channelLost) || this.reported) return;
      this.reported = true;
      this.onDeath?.(e);
    });
    // A backstop for exits that skip stop() (an uncaught error, process.exit).
    const kill = (): void => { if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL'); };
    process.once('exit', kill);
    void this.exited.then(() => process.off('exit', kill));
  }

  get pid(): number { return this.child.pid ?? -1; }

  /** Called once if the Gofer ends before stop(): a crash or a kill from outside. */
  onUnexpectedExit(cb: (e: GoferExit) => void): void { this.onDeath = cb; }

  /** Closes the channel and waits (briefly) for the Gofer to exit; never keeps the caller alive. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.socket.destroy();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await this.exited;
    clearTimeout(timer);
  }
}

/** "signal SIGKILL" or "status 3", for messages. */
export function describeExit(e: GoferExit): string {
  if (e.signal) return `signal ${e.signal}`;
  if (e.code !== null) return `status ${e.code}`;
  return 'could not be started';
}
