// /dev: a tmpfs holding the device nodes, links and directories every program expects, as
// gVisor's devtmpfs (Linux's devtmpfs is a tmpfs too). Device nodes are attributes only, wherever
// they are (here or made by mknod in any tmpfs); opening one goes through openDevice(), by its
// device number, so a node made by mknod opens the same device as /dev's.

import { Errno } from '../../abi/errno.js';
import { DeviceFile, type DeviceKind } from '../devices.js';
import { O_ACCMODE, O_RDONLY, O_WRONLY, type Dirent, type FileDescription, type MaybeAsync } from '../file.js';
import type { FsCreds } from '../inode.js';
import { S_IFCHR, type Stat, type Timespec } from '../stat.js';
import { TmpFs } from './tmpfs.js';

/** Character device majors (Documentation/admin-guide/devices.txt). */
export const MEM_MAJOR = 1, TTYAUX_MAJOR = 5;

/** A dev_t in Linux's encoding (new_encode_dev). */
export function makedev(maj: number, min: number): number {
  return (min & 0xff) + (maj & 0xfff) * 256 + (min & 0xfff00) * 4096;
}

function majorOf(dev: number): number { return Math.floor(dev / 256) & 0xfff; }
function minorOf(dev: number): number { return (dev & 0xff) | (Math.floor(dev / 4096) & 0xfff00); }

const MEM_DEVICES: Record<number, DeviceKind> = { 3: 'null', 5: 'zero', 7: 'full', 8: 'random', 9: 'urandom' };

/** What opening devices needs from the kernel. */
export interface DeviceHost {
  randomBytes(n: number): Uint8Array;
  /** Logs a line once per key (to the debug log). */
  logOnce(key: string, line: string): void;
  /** /dev/tty: the caller's controlling terminal opened again; null when it has none (ENXIO). */
  controllingTerminal?(flags: number): MaybeAsync<FileDescription | null>;
  /** /dev/console: the system console; null when there is none (ENXIO). */
  console?(flags: number): MaybeAsync<FileDescription | null>;
}

/** The node a device was opened through: its path and attributes (what fstat shows). */
export interface DeviceNode {
  path: string;
  stat(): MaybeAsync<Stat | number>;
}

/**
 * Opens the character device `rdev` (a dev_t) with open(2) `flags`: the memory devices of major
 * 1, tty, console and ptmx of major 5. -ENXIO for a device without a driver (chrdev_open).
 */
export async function openDevice(rdev: number, flags: number, host: DeviceHost, node?: DeviceNode): Promise<FileDescription | number> {
  const maj = majorOf(rdev), min = minorOf(rdev);
  if (maj === MEM_MAJOR) {
    const kind = MEM_DEVICES[min];
    if (kind === undefined) return -Errno.ENXIO;
    const dev = new DeviceFile(kind, flags, (n) => host.randomBytes(n));
    return node ? new DeviceNodeFile(dev, node) : dev;
  }
  if (maj === TTYAUX_MAJOR) {
    switch (min) {
      case 0: return (await host.controllingTerminal?.(flags)) ?? -Errno.ENXIO;
      case 1: return (await host.console?.(flags)) ?? -Errno.ENXIO;
      case 2:
        host.logOnce('ptmx', 'ptmx: pseudo-terminals arrive with the terminal work');
        return -Errno.ENOSYS;
    }
  }
  return -Errno.ENXIO;
}

/** A memory device opened through a node: the node's path and attributes, the access mode checked. */
class DeviceNodeFile implements FileDescription {
  constructor(private readonly dev: DeviceFile, private readonly node: DeviceNode) {}

  get flags(): number { return this.dev.flags; }
  set flags(f: number) { this.dev.flags = f; }
  get path(): string { return this.node.path; }

  read(dst: Uint8Array): number {
    return (this.flags & O_ACCMODE) === O_WRONLY ? -Errno.EBADF : this.dev.read(dst);
  }
  write(src: Uint8Array): number {
    return (this.flags & O_ACCMODE) === O_RDONLY ? -Errno.EBADF : this.dev.write(src);
  }
  seek(): number { return this.dev.seek(); }
  stat(): MaybeAsync<Stat | number> { return this.node.stat(); }
  ioctl(): number { return this.dev.ioctl(); }
  readdir(): Dirent[] | number { return this.dev.readdir(); }
  release(): void { this.dev.release(); }
}

export interface DevFsOptions {
  dev: number;
  now: () => Timespec;
}

/** Root, with every capability: the creator of /dev's entries. */
const ROOT: FsCreds = { fsuid: 0, fsgid: 0, groups: [], caps: 2 ** 41 - 1 };

/** The nodes of /dev: name, major, minor, permissions (as a Linux distribution's udev leaves them). */
const NODES: readonly (readonly [string, number, number, number])[] = [
  ['null', MEM_MAJOR, 3, 0o666],
  ['zero', MEM_MAJOR, 5, 0o666],
  ['full', MEM_MAJOR, 7, 0o666],
  ['random', MEM_MAJOR, 8, 0o666],
  ['urandom', MEM_MAJOR, 9, 0o666],
  ['tty', TTYAUX_MAJOR, 0, 0o666],
  ['console', TTYAUX_MAJOR, 1, 0o600],
  ['ptmx', TTYAUX_MAJOR, 2, 0o666],
];

const LINKS: readonly (readonly [string, string])[] = [
  ['fd', '/proc/self/fd'],
  ['stdin', '/proc/self/fd/0'],
  ['stdout', '/proc/self/fd/1'],
  ['stderr', '/proc/self/fd/2'],
];

/** /dev, mode 0755; pts/ and shm/ are empty (the sandbox mounts a tmpfs on shm). */
export class DevFs extends TmpFs {
  constructor(opts: DevFsOptions) {
    super({ dev: opts.dev, now: opts.now, rootMode: 0o755 });
    const check = (r: unknown, what: string) => {
      if (typeof r === 'number') throw new Error(`devfs: cannot make ${what}: ${r}`);
    };
    for (const [name, maj, min, perm] of NODES) check(this.root.mknod(name, S_IFCHR | perm, makedev(maj, min), ROOT), name);
    for (const [name, target] of LINKS) check(this.root.symlink(name, target, ROOT), name);
    check(this.root.mkdir('pts', 0o755, ROOT), 'pts');
    check(this.root.mkdir('shm', 0o1777, ROOT), 'shm');
  }
}
