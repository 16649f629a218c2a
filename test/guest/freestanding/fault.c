/* Ends by the fault named in argv[1]: ud2, segv (write to text), div0, int3, wild (jump to 0). */
#include "sys.h"
static int streq(const char *a, const char *b) { while (*a && *a == *b) { a++; b++; } return *a == *b; }
static volatile long zero = 0;
void __attribute__((force_align_arg_pointer)) start_c(long *sp) {
  const char *what = (const char *)sp[2];
  if (streq(what, "ud2")) __asm__ volatile("ud2");
  if (streq(what, "segv")) *(volatile char *)start_c = 0;
  if (streq(what, "div0")) { volatile long n = 100; volatile long x = n / zero; (void)x; }
  if (streq(what, "int3")) __asm__ volatile("int3");
  if (streq(what, "wild")) ((void (*)(void))zero)();
  exit_group(0);
}
__asm__(".globl _start\n_start:\n mov %rsp, %rdi\n call start_c\n");
