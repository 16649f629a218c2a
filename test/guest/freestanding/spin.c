/* Prints "ready" and then makes syscalls forever, until a signal ends it. */
#include "sys.h"
void __attribute__((force_align_arg_pointer)) start_c(void) {
  put("ready\n");
  for (;;) sys3(110, 0, 0, 0);
}
__asm__(".globl _start\n_start:\n call start_c\n");
