// The machine: what the platforms use of vm/. Nothing here imports anything outside vm/.
import './cpu/ops/index.js';
export { Cpu, StopReason } from './cpu/cpu.js';
export { CodeCache } from './cpu/code_cache.js';
export { CpuException, Vector } from './cpu/exception.js';
export { getRflags, setFlagBits } from './cpu/flags.js';
export { readFxImage, writeFxImage } from './cpu/fpu_image.js';
export { cpuidLeaf } from './cpu/ops/system.js';
export { Access, PageFault } from './memory/fault.js';
export { Mmu } from './memory/mmu.js';
export { FlatPageTable, Perm, USER_ADDRESS_LIMIT, type PageTranslator } from './memory/page_table.js';
export { PAGE_MASK, PAGE_SIZE, PhysicalMemory } from './memory/physical.js';
export { Gpr, GPR_NAMES, RegisterFile, REGFILE_BYTES, Slot, setPair } from './regfile.js';
