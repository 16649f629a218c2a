/* Benchmark: the fixed cost of starting and ending a process (exec, loader, libc init, exit).
 * Prints "hello". */
#include <stdio.h>

int main(void) {
  puts("hello");
  return 0;
}
