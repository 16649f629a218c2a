// The Gofer process: `node gofer/main.js --mount NAME=HOSTPATH[:ro] ... [--fd N] [--log FILE]`
// (HOSTPATH a directory, or a regular file served on its own).
// The sandbox spawns it with the channel on an inherited fd (3 by default: stdio
// ['ignore', 'inherit', 'inherit', 'pipe'], a socketpair) and it exits when that channel closes.

import fs from 'node:fs';
import net from 'node:net';
import { GoferServer, serveSocket, type MountSpec } from './server.js';

function usage(msg: string): never {
  process.stderr.write(`gofer: ${msg}\nusage: gofer --mount NAME=HOSTPATH[:ro] ... [--fd N] [--log FILE]\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): { mounts: MountSpec[]; fd: number; log?: string } {
  const mounts: MountSpec[] = [];
  let fd = 3;
  let log: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = (): string => { const v = argv[++i]; if (v === undefined) usage(`${a} needs a value`); return v; };
    if (a === '--mount') {
      let v = val();
      const eq = v.indexOf('=');
      if (eq <= 0) usage(`bad --mount ${v}`);
      const name = v.slice(0, eq);
      v = v.slice(eq + 1);
      const readOnly = v.endsWith(':ro');
      if (readOnly) v = v.slice(0, -3);
      else if (v.endsWith(':rw')) v = v.slice(0, -3);
      if (!v) usage(`bad --mount ${name}=`);
      mounts.push({ name, hostDir: v, readOnly });
    } else if (a === '--fd') {
      fd = Number(val());
      if (!Number.isInteger(fd) || fd < 3) usage('--fd must be an integer >= 3');
    } else if (a === '--log') {
      log = val();
    } else usage(`unknown argument ${a}`);
  }
  if (mounts.length === 0) usage('no --mount given');
  return { mounts, fd, log };
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  // Modes arrive already masked by the guest's umask; apply them exactly.
  process.umask(0);
  const logFd = args.log ? fs.openSync(args.log, 'a') : undefined;
  const log = (msg: string): void => {
    if (logFd !== undefined) try { fs.writeSync(logFd, `gofer[${process.pid}]: ${msg}\n`); } catch { /* ignore */ }
  };
  let server: GoferServer;
  try { server = new GoferServer(args.mounts); } catch (e) {
    process.stderr.write(`gofer: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  }
  // Never die of a stray exception: log it and keep serving (handlers already turn host errors
  // into errnos; this is the last guard).
  process.on('uncaughtException', (e) => log(`uncaught: ${e.stack ?? String(e)}`));
  let sock: net.Socket;
  try { sock = new net.Socket({ fd: args.fd, readable: true, writable: true }); } catch (e) {
    process.stderr.write(`gofer: cannot use fd ${args.fd} as the channel: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  }
  log(`serving ${args.mounts.map((m) => `${m.name}=${m.hostDir}${m.readOnly ? ':ro' : ''}`).join(' ')} on fd ${args.fd}`);
  void serveSocket(server, sock, log).then(() => {
    log('channel closed, exiting');
    server.close();
    process.exit(0);
  });
}

main();
