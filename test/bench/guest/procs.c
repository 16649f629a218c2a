/* Benchmark: process operations. Usage:
 *   procs forkexit N      fork N children that exit at once, waiting for each  -> "forkexit N ok"
 *   procs forkexec N      the same, each child exec'ing this program (argv[0]) with "exit"
 *                         (a tiny static program: exec, libc start-up, exit)   -> "forkexec N ok"
 *   procs pingpong N      two processes bouncing one byte through two pipes N times
 *                                                                               -> "pingpong N ok"
 *   procs exit            exits 0 at once (what forkexec's children run) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int reap(pid_t c) {
  int st;
  return waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

int main(int argc, char **argv) {
  if (argc == 2 && !strcmp(argv[1], "exit")) return 0;
  if (argc != 3) { fprintf(stderr, "usage: procs forkexit|forkexec|pingpong N\n"); return 2; }
  long n = strtol(argv[2], NULL, 10);
  if (!strcmp(argv[1], "forkexit")) {
    for (long i = 0; i < n; i++) {
      pid_t c = fork();
      if (c == 0) _exit(0);
      if (c < 0 || !reap(c)) { perror("fork"); return 1; }
    }
  } else if (!strcmp(argv[1], "forkexec")) {
    for (long i = 0; i < n; i++) {
      pid_t c = fork();
      if (c == 0) { execl(argv[0], argv[0], "exit", (char *)NULL); _exit(127); }
      if (c < 0 || !reap(c)) { perror("fork/exec"); return 1; }
    }
  } else if (!strcmp(argv[1], "pingpong")) {
    int ping[2], pong[2];
    if (pipe(ping) < 0 || pipe(pong) < 0) { perror("pipe"); return 1; }
    pid_t c = fork();
    if (c == 0) {
      char b;
      for (long i = 0; i < n; i++) {
        if (read(ping[0], &b, 1) != 1 || write(pong[1], &b, 1) != 1) _exit(1);
      }
      _exit(0);
    }
    char b = 'x';
    for (long i = 0; i < n; i++) {
      if (write(ping[1], &b, 1) != 1 || read(pong[0], &b, 1) != 1) { perror("pingpong"); return 1; }
    }
    if (!reap(c)) { fprintf(stderr, "pingpong: the child failed\n"); return 1; }
  } else {
    fprintf(stderr, "procs: unknown mode %s\n", argv[1]);
    return 2;
  }
  printf("%s %ld ok\n", argv[1], n);
  return 0;
}
