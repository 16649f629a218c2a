// What the emulated CPU advertises (CPUID leaf 1), for the kernel's AT_HWCAP.

import { cpuidLeaf } from '../vm/index.js';

export function cpuidFeatures(): { ecx: number; edx: number } {
  const [, , ecx, edx] = cpuidLeaf(1, 0);
  return { ecx, edx };
}

/** Any CPUID leaf as the guest sees it (the kernel's /proc/cpuinfo). */
export function cpuid(leaf: number, sub = 0): [number, number, number, number] {
  return cpuidLeaf(leaf, sub);
}
