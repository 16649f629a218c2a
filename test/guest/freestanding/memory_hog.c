/* Maps writable memory in 16 MiB steps until mmap fails; reports how it failed and how much it got. */
#include "sys.h"
void __attribute__((force_align_arg_pointer)) start_c(void) {
  long total = 0;
  for (int k = 0; k < 1024; k++) {
    long p = sys6(9, 0, 16 << 20, 3, 0x22, -1, 0);
    if (p < 0) { put("mmap failed: errno "); putnum(-p); put("\n"); break; }
    for (long o = 0; o < (16 << 20); o += 4096) ((volatile char *)p)[o] = 1; /* touch every page */
    total += 16;
  }
  long b = sys3(12, 0, 0, 0), nb = sys3(12, b + (1L << 40), 0, 0);
  put(nb == b ? "brk refused\n" : "brk grew\n");
  put("mapped MiB: "); putnum(total); put("\n");
  exit_group(0);
}
__asm__(".globl _start\n_start:\n call start_c\n");
