// Job control: stop signals stop a child (SIGSTOP, SIGTSTP by default), SIGCONT resumes it, and
// the parent sees both through waitpid(WUNTRACED / WCONTINUED), waitid(WSTOPPED / WCONTINUED) and
// SIGCHLD (not with SA_NOCLDSTOP); a caught SIGTSTP does not stop; SIGKILL ends a stopped child;
// a pending SIGCONT is dropped by a later stop signal. Output must match the native run.
// (SIGTSTP's default stop is ignored in an orphaned process group, as PID 1's own group is here
// and natively under the test harness, so that child makes a group of its own first.)
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t chld, chldCode, tstp;
static void onChld(int sig, siginfo_t *si, void *uc) { (void)sig; (void)uc; chld++; chldCode = si->si_code; }
static void onTstp(int sig) { (void)sig; tstp++; }

static const char *codeName(int c) {
  return c == CLD_STOPPED ? "CLD_STOPPED" : c == CLD_CONTINUED ? "CLD_CONTINUED" : c == CLD_EXITED ? "CLD_EXITED" : c == CLD_KILLED ? "CLD_KILLED" : "other";
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  struct sigaction sa = { .sa_sigaction = onChld, .sa_flags = SA_SIGINFO | SA_RESTART };
  sigaction(SIGCHLD, &sa, NULL);
  int st;

  int go[2]; pipe(go);
  pid_t c = fork();
  if (c == 0) { char b; raise(SIGSTOP); read(go[0], &b, 1); _exit(5); } // exits when told, after the parent saw it continue
  waitpid(c, &st, WUNTRACED);
  printf("stopped %d by %d; SIGCHLD %s\n", WIFSTOPPED(st), WSTOPSIG(st), codeName(chldCode));
  printf("a second WUNTRACED wait sees nothing new: %d\n", waitpid(c, &st, WUNTRACED | WNOHANG));
  kill(c, SIGCONT);
  waitpid(c, &st, WCONTINUED);
  printf("continued %d\n", WIFCONTINUED(st));
  write(go[1], "x", 1);
  waitpid(c, &st, 0);
  printf("then exited %d with %d\n", WIFEXITED(st), WEXITSTATUS(st));

  // SIGTSTP: caught, it runs the handler; by default it stops.
  c = fork();
  if (c == 0) {
    setpgid(0, 0); // a group with a parent elsewhere in the session: not orphaned, so SIGTSTP may stop it
    signal(SIGTSTP, onTstp);
    raise(SIGTSTP);
    printf("handler ran %d times, not stopped\n", (int)tstp);
    signal(SIGTSTP, SIG_DFL);
    raise(SIGTSTP);
    char b; read(go[0], &b, 1);
    _exit(0);
  }
  siginfo_t si;
  memset(&si, 0, sizeof si);
  waitid(P_PID, c, &si, WSTOPPED);
  printf("waitid: %s status %d\n", codeName(si.si_code), si.si_status);
  kill(c, SIGCONT);
  memset(&si, 0, sizeof si);
  waitid(P_PID, c, &si, WCONTINUED);
  printf("waitid: %s status %d\n", codeName(si.si_code), si.si_status);
  write(go[1], "x", 1);
  waitpid(c, &st, 0);

  // SA_NOCLDSTOP: no SIGCHLD for a stop; SIGKILL ends a stopped child.
  sa.sa_flags |= SA_NOCLDSTOP;
  sigaction(SIGCHLD, &sa, NULL);
  chld = 0;
  c = fork();
  if (c == 0) { raise(SIGSTOP); _exit(1); }
  waitpid(c, &st, WUNTRACED);
  printf("SIGCHLD for the stop with SA_NOCLDSTOP: %d\n", (int)chld);
  kill(c, SIGKILL);
  waitpid(c, &st, 0);
  printf("killed while stopped: %d by %d\n", WIFSIGNALED(st), WTERMSIG(st));

  // A stop signal drops a pending SIGCONT; SIGCONT drops a pending stop signal.
  sigset_t both; sigemptyset(&both); sigaddset(&both, SIGCONT); sigaddset(&both, SIGTSTP);
  sigprocmask(SIG_BLOCK, &both, NULL);
  raise(SIGCONT); raise(SIGTSTP);
  sigset_t pend; sigpending(&pend);
  printf("pending after CONT then TSTP: CONT %d TSTP %d\n", sigismember(&pend, SIGCONT), sigismember(&pend, SIGTSTP));
  raise(SIGCONT);
  sigpending(&pend);
  printf("pending after CONT again: CONT %d TSTP %d\n", sigismember(&pend, SIGCONT), sigismember(&pend, SIGTSTP));
  return 0;
}
