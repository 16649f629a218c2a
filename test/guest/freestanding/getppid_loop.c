/* N getppid calls (argv[1], default 1000000); prints the sum of the results. */
#include "sys.h"
void __attribute__((force_align_arg_pointer)) start_c(long *sp) {
  long n = 1000000;
  if (sp[0] > 1) { n = 0; for (const char *s = (const char *)sp[2]; *s; s++) n = n * 10 + (*s - '0'); }
  long sum = 0;
  for (long i = 0; i < n; i++) sum += sys3(110, 0, 0, 0);
  putnum(sum); put("\n");
  exit_group(0);
}
__asm__(".globl _start\n_start:\n mov %rsp, %rdi\n call start_c\n");
