/* Benchmark: syscall round trip. Usage: getppid N. Calls syscall(SYS_getppid) N times and sums
 * the results. The parent pid differs between runs (natively it is the bench's pid, in the
 * sandbox the guest is PID 1 with parent 0), so what is printed is whether every call agreed
 * with the first, not the pid itself. Prints "getppid calls=N consistent=yes". */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv) {
  long n = argc > 1 ? strtol(argv[1], NULL, 10) : 1000000L;
  long first = syscall(SYS_getppid);
  long sum = 0;
  for (long i = 0; i < n; i++) sum += syscall(SYS_getppid);
  printf("getppid calls=%ld consistent=%s\n", n, sum == first * n ? "yes" : "NO");
  return 0;
}
