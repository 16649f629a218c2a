// Named pipes (Linux fs/pipe.c fifo_open): every open of a FIFO inode shares one pipe. An open
// for reading waits for a writer and one for writing waits for a reader, unless O_NONBLOCK
// (then a lone writer gets ENXIO); O_RDWR never waits. The pipe lives while the inode does.

import { Errno } from '../abi/errno.js';
import type { Inode } from '../vfs/inode.js';
import { O_ACCMODE, O_NONBLOCK, O_RDONLY, O_RDWR, type FileDescription } from '../vfs/file.js';
import type { Stat } from '../vfs/stat.js';
import { Pipe, type PipeHost } from './pipe.js';
import { ERESTARTSYS } from './signals.js';

const pipes = new WeakMap<Inode, Pipe>();

/** Opens the FIFO `inode` (whose attributes are `st`) with `flags`, as fifo_open does. */
export async function openFifo(host: PipeHost, inode: Inode, st: Stat, flags: number, path: string): Promise<FileDescription | number> {
  let pipe = pipes.get(inode);
  if (!pipe) { pipe = new Pipe(st.dev, st.ino, host.now(), st.uid, st.gid); pipes.set(inode, pipe); }
  const mode = flags & O_ACCMODE;
  const t = host.currentTask();
  if (mode === O_RDWR) return pipe.open(flags, host, path, () => inode.stat());
  if (mode === O_RDONLY) {
    const f = pipe.open(flags, host, path, () => inode.stat());
    if (flags & O_NONBLOCK) return f;
    // Wait for a writer to open (one that came and went since also counts, as Linux's counter does).
    const seen = pipe.opens.writers;
    while (pipe.writers === 0 && pipe.opens.writers === seen) {
      if (!(await pipe.changed.wait(t))) { f.release(); return -ERESTARTSYS; }
    }
    return f;
  }
  if (pipe.readers === 0) {
    if (flags & O_NONBLOCK) return -Errno.ENXIO;
    const seen = pipe.opens.readers;
    while (pipe.readers === 0 && pipe.opens.readers === seen) {
      if (!(await pipe.changed.wait(t))) return -ERESTARTSYS;
    }
  }
  return pipe.open(flags, host, path, () => inode.stat());
}
