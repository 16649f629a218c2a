/* Benchmark: sieve of Eratosthenes (one byte per number). Usage: sieve N.
 * Prints "primes <= N: COUNT". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  long n = argc > 1 ? strtol(argv[1], NULL, 10) : 50000000L;
  if (n < 1) n = 1;
  unsigned char *composite = calloc((size_t)n + 1, 1);
  if (!composite) { perror("calloc"); return 1; }
  for (long i = 2; i * i <= n; i++)
    if (!composite[i])
      for (long j = i * i; j <= n; j += i) composite[j] = 1;
  long count = 0;
  for (long i = 2; i <= n; i++) count += !composite[i];
  printf("primes <= %ld: %ld\n", n, count);
  free(composite);
  return 0;
}
