/* Benchmark: futex ping-pong between two threads. Usage: futex_pingpong N. Two threads take turns
 * N times on one word with FUTEX_WAIT_PRIVATE/FUTEX_WAKE_PRIVATE: each round trip is two wakes,
 * two waits and two thread switches (the wake-up latency a contended lock or a condition
 * variable pays). Prints "pingpong rounds=N turns=2N". */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

static atomic_int turn;
static long rounds;
static atomic_long turns;

static void play(int me) {
  for (long i = 0; i < rounds; i++) {
    while (atomic_load(&turn) != me) syscall(SYS_futex, &turn, FUTEX_WAIT_PRIVATE, !me, NULL, NULL, 0);
    turns++;
    atomic_store(&turn, !me);
    syscall(SYS_futex, &turn, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
  }
}

static void *other(void *arg) {
  (void)arg;
  play(1);
  return NULL;
}

int main(int argc, char **argv) {
  rounds = argc > 1 ? strtol(argv[1], NULL, 10) : 100000;
  pthread_t th;
  pthread_create(&th, NULL, other, NULL);
  play(0);
  pthread_join(th, NULL);
  printf("pingpong rounds=%ld turns=%ld\n", rounds, (long)turns);
  return 0;
}
