// Guest physical memory: one SharedArrayBuffer shared by every CPU of the sandbox, in 4 KiB frames.
// Its size is the sandbox's memory limit; the host commits pages lazily, only as the guest touches
// them. (A growable SharedArrayBuffer would also commit lazily, but V8 compiles accesses through
// length-tracking views far more slowly, about 25x in a microbenchmark here.)
// Which frames are in use is decided by the kernel's frame allocator, not here.

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 4096;
export const PAGE_MASK = 4095;

/** Called when code is written, so decoded instructions from that frame can be dropped. */
export type CodeWriteListener = (frame: number) => void;

export class PhysicalMemory {
  readonly buffer: SharedArrayBuffer;
  readonly u8: Uint8Array;
  readonly view: DataView;
  readonly frameCount: number;
  /** 1 for frames that hold decoded code: writes to them bypass the TLB and invalidate the code. */
  readonly codeFrames: Uint8Array;
  private codeWriteListeners: CodeWriteListener[] = [];

  constructor(bytes: number) {
    if (bytes % PAGE_SIZE !== 0 || bytes <= 0 || bytes > 2 ** 32) throw new RangeError(`bad guest memory size ${bytes}`);
    this.buffer = new SharedArrayBuffer(bytes);
    this.u8 = new Uint8Array(this.buffer);
    this.view = new DataView(this.buffer);
    this.frameCount = bytes / PAGE_SIZE;
    this.codeFrames = new Uint8Array(this.frameCount);
  }

  onCodeWrite(listener: CodeWriteListener): void { this.codeWriteListeners.push(listener); }

  /** Drops decoded code of `frame`: it was written, or is being freed or reused. */
  invalidateCode(frame: number): void {
    if (this.codeFrames[frame] === 0) return;
    this.codeFrames[frame] = 0;
    for (const l of this.codeWriteListeners) l(frame);
  }

  zeroFrame(frame: number): void {
    this.u8.fill(0, frame * PAGE_SIZE, (frame + 1) * PAGE_SIZE);
  }
}
