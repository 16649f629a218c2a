// Spawns the Gofer as the sandbox does (channel on fd 3, a socketpair) and gives tests a client,
// the raw socket (for garbage frames) and the child's exit.

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type net from 'node:net';
import { fileURLToPath } from 'node:url';
import { GoferClient, type Transport } from '../../gofer/client.js';
import { Errno, type Inode, type OpName, type Replies, type Requests } from '../../gofer/protocol.js';

const here = path.dirname(fileURLToPath(import.meta.url));
// The compiled gofer/main.js, two folders up from this compiled test file.
export const GOFER_MAIN = path.resolve(here, '../../gofer/main.js');

export interface Gofer {
  child: ChildProcess;
  sock: net.Socket;
  client: GoferClient;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr: () => string;
}

export function spawnGofer(mounts: string[], extra: string[] = []): Gofer {
  const args = [GOFER_MAIN, ...mounts.flatMap((m) => ['--mount', m]), ...extra];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
  const sock = child.stdio[3] as net.Socket;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  const transport: Transport = {
    send: (b) => { if (!sock.destroyed) sock.write(b); },
    onData: (cb) => sock.on('data', cb),
    onClose: (cb) => sock.on('close', cb),
    close: () => sock.destroy(),
  };
  sock.on('error', () => {});
  return { child, sock, client: new GoferClient(transport), exited, stderr: () => err };
}

export async function stopGofer(g: Gofer): Promise<void> {
  g.sock.end();
  const timer = setTimeout(() => g.child.kill('SIGKILL'), 5000);
  await g.exited;
  clearTimeout(timer);
}

export function tmpTree(prefix = 'gofer-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
export const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

/** A few shortcuts over GoferClient for tests. */
export class Ops {
  constructor(readonly c: GoferClient) {}
  call<K extends OpName>(op: K, args: Requests[K]) { return this.c.call(op, args); }
  must<K extends OpName>(op: K, args: Requests[K]): Promise<Replies[K]> { return this.c.must(op, args); }
  /** The errno of a call that must fail (0 if it succeeded). */
  async errno<K extends OpName>(op: K, args: Requests[K]): Promise<number> {
    const r = await this.c.call(op, args);
    return r.ok ? 0 : r.errno;
  }
  async root(mount = 'root'): Promise<Inode> { return (await this.must('Mount', { mount })).root; }
  /** Walks a slash-separated relative path; fails unless every component exists. */
  async walk(dir: number, rel: string): Promise<Inode> {
    const names = rel.split('/').filter(Boolean).map(enc);
    const r = await this.must('Walk', { dir, names });
    if (r.status !== 0) throw new Error(`walk ${rel}: status ${r.status}`);
    return r.inodes[r.inodes.length - 1];
  }
  async readAll(handle: number): Promise<string> {
    const { fd } = await this.must('OpenAt', { handle, flags: 0 });
    const { data } = await this.must('PRead', { fd, offset: 0, count: 1 << 20 });
    await this.must('Close', { handles: [fd] });
    return dec(data);
  }
  async names(dir: number): Promise<string[]> {
    const { fd } = await this.must('OpenAt', { handle: dir, flags: 0 });
    const out: string[] = [];
    let off = 0;
    for (;;) {
      const { dirents } = await this.must('Getdents64', { fd, offset: off, count: 4096 });
      if (dirents.length === 0) break;
      for (const d of dirents) out.push(dec(d.name));
      off = dirents[dirents.length - 1].off;
    }
    await this.must('Close', { handles: [fd] });
    return out.sort();
  }
}

export { Errno };
