/* Benchmark: syscall round trip. Usage: getppid N [getppid|syscall]. Calls getppid() (libc's
 * three-instruction wrapper) or syscall(SYS_getppid) (the generic wrapper, with its argument
 * shuffle and error check) N times and sums the results. The parent pid differs between runs
 * (natively it is the bench's pid, in the sandbox the guest is PID 1 with parent 0), so what is
 * printed is whether every call agreed with the first, not the pid itself.
 * Prints "getppid calls=N consistent=yes". */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv) {
  long n = argc > 1 ? strtol(argv[1], NULL, 10) : 1000000L;
  int generic = argc > 2 && strcmp(argv[2], "syscall") == 0;
  long first = getppid();
  long sum = 0;
  if (generic) {
    for (long i = 0; i < n; i++) sum += syscall(SYS_getppid);
  } else {
    for (long i = 0; i < n; i++) sum += getppid();
  }
  printf("getppid calls=%ld consistent=%s\n", n, sum == first * n ? "yes" : "NO");
  return 0;
}
