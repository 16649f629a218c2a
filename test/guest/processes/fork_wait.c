// fork, vfork, exec and wait: exit statuses through waitpid/wait4/waitid, copy-on-write memory
// after fork, vfork sharing memory until exec, a fork tree, orphans reparented to init (PID 1
// reaps them: here the test program itself runs as PID 1), process groups and sessions, and the
// errors (ECHILD, EINVAL). Output must match the native run (under unshare --pid, as PID 1).
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define T(call) report(#call, (long)(call))
static void report(const char *what, long r) {
  if (r < 0) printf("%s: -1 %s\n", what, strerrorname_np(errno));
  else printf("%s: %ld\n", what, r);
  fflush(stdout);
}

static int shared = 5;

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0); // nothing buffered is copied into children
  printf("pid 1: %d, ppid 0: %d\n", getpid() == 1, getppid() == 0);
  fflush(stdout);

  // Exit statuses, and memory that is copied on write.
  for (int i = 0; i < 3; i++) {
    pid_t p = fork();
    if (p == 0) { shared += i; printf("child %d sees %d, parent is us: %d\n", i, shared, getppid() == 1); fflush(stdout); _exit(10 + i); }
    int st;
    pid_t w = waitpid(p, &st, 0);
    printf("waited the right child: %d, exited %d status %d, ours still %d\n", w == p, WIFEXITED(st), WEXITSTATUS(st), shared);
  }

  // vfork: the child borrows our memory until it execs.
  volatile int seen = 0;
  pid_t v = vfork();
  if (v == 0) { seen = 1; execl("/bin/echo", "echo", "vfork child exec'd", (char *)NULL); _exit(127); }
  int st;
  waitpid(v, &st, 0);
  printf("vfork: child wrote our memory %d, status %d\n", seen, WEXITSTATUS(st));

  // A tree: each of 4 children forks 3 grandchildren and sums their statuses.
  fflush(stdout);
  for (int i = 0; i < 4; i++) {
    if (fork() == 0) {
      int sum = 0;
      for (int j = 0; j < 3; j++) { if (fork() == 0) _exit(i * 10 + j); }
      for (int j = 0; j < 3; j++) { wait(&st); sum += WEXITSTATUS(st); }
      _exit(sum);
    }
  }
  int total = 0;
  for (int i = 0; i < 4; i++) { wait(&st); total += WEXITSTATUS(st); }
  printf("fork tree total %d\n", total);

  // waitid, WNOHANG, WNOWAIT, and wait4 with rusage.
  pid_t c = fork();
  if (c == 0) { usleep(50 * 1000); _exit(3); }
  siginfo_t si; memset(&si, 0, sizeof si);
  T(waitid(P_PID, c, &si, WEXITED | WNOHANG));
  printf("WNOHANG before exit: si_pid %d\n", si.si_pid);
  T(waitid(P_PID, c, &si, WEXITED | WNOWAIT) == 0 && si.si_pid == c);
  printf("waitid: code %s status %d\n", si.si_code == CLD_EXITED ? "CLD_EXITED" : "other", si.si_status);
  struct rusage ru;
  T(wait4(c, &st, 0, &ru) == c);
  T(waitpid(-1, &st, WNOHANG));
  T(waitid(P_ALL, 0, &si, 0));
  T(waitpid(-1, &st, 0x1000000));

  // An orphan: its parent exits first and we (init) reap it.
  fflush(stdout);
  pid_t mid = fork();
  if (mid == 0) {
    if (fork() == 0) { usleep(100 * 1000); printf("orphan's parent is now init: %d\n", getppid() == 1); fflush(stdout); _exit(42); }
    _exit(0);
  }
  waitpid(mid, &st, 0);
  int orphanStatus = -1;
  while (wait(&st) > 0) orphanStatus = WEXITSTATUS(st);
  printf("reaped the orphan: status %d\n", orphanStatus);

  // Process groups and sessions.
  fflush(stdout);
  pid_t g = fork();
  if (g == 0) {
    printf("child starts in our group: %d\n", getpgrp() == getpgid(getppid()));
    T(setpgid(0, 0) == 0 && getpgrp() == getpid());
    T(setsid());
    printf("session leader: %d\n", getsid(0) == getpid());
    T(setpgid(0, 0));
    fflush(stdout);
    _exit(0);
  }
  waitpid(g, &st, 0);
  T(getpgid(999999));
  T(setpgid(999999, 0));
  T(kill(-999999, SIGTERM));
  return 0;
}
