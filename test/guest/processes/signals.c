// Signals: handlers with SA_SIGINFO and what they receive, sigreturn restoring registers and the
// mask, nested signals and SA_NODEFER, SA_RESETHAND, sigaltstack, SIGSEGV and SIGFPE caught and
// recovered with siglongjmp, sigprocmask/sigpending, sigsuspend, sigtimedwait, kill/tgkill,
// SA_RESTART versus EINTR on a blocking pipe read, SIGCHLD, and deaths by signal in wait status.
// Output must match the native run byte for byte (no pids or addresses printed).
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t got, depth, maxDepth, calls, lastCode, senderOk;
static sigjmp_buf jump;
static char *altBase;

static void say(const char *s) { fputs(s, stdout); fflush(stdout); }

#define T(call) report(#call, (long)(call))
static void report(const char *what, long r) {
  if (r < 0) printf("%s: -1 %s\n", what, strerrorname_np(errno));
  else printf("%s: %ld\n", what, r);
}

static void onInfo(int sig, siginfo_t *si, void *uc) {
  (void)uc;
  got = sig;
  lastCode = si->si_code;
  senderOk = si->si_pid == getpid() && si->si_uid == getuid();
}

/** Raises its own signal until it has run three times: nested, or one after another when blocked. */
static void nested(int sig) {
  depth++;
  if (depth > maxDepth) maxDepth = depth;
  if (++calls < 3) raise(sig);
  depth--;
}

static void onAlt(int sig) {
  (void)sig;
  char here;
  got = &here >= altBase && &here < altBase + SIGSTKSZ * 4;
}

static void onFault(int sig, siginfo_t *si, void *uc) {
  (void)uc;
  lastCode = si->si_code;
  got = sig;
  senderOk = si->si_addr == (void *)16;
  siglongjmp(jump, 1);
}

static void onFpe(int sig) { got = sig; siglongjmp(jump, 2); }
static void onUsr(int sig) { got = sig; }

static int volatile zero = 0;
/** Unmapped addresses, through a volatile so the compiler cannot see the fault coming. */
static int *volatile badAddr[2] = { (int *)16, (int *)8 };

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);

  // SA_SIGINFO: the number, the code and the sender.
  sa.sa_sigaction = onInfo; sa.sa_flags = SA_SIGINFO;
  sigaction(SIGUSR1, &sa, NULL);
  raise(SIGUSR1);
  printf("raise: got %d code %s sender ok %d\n", got, lastCode == SI_TKILL ? "SI_TKILL" : "other", senderOk);
  kill(getpid(), SIGUSR1);
  printf("kill: got %d code %s sender ok %d\n", got, lastCode == SI_USER ? "SI_USER" : "other", senderOk);
  union sigval v = { .sival_int = 42 };
  got = 0;
  sigqueue(getpid(), SIGUSR1, v);
  printf("sigqueue: got %d code %s\n", got, lastCode == SI_QUEUE ? "SI_QUEUE" : "other");

  // Registers survive a handler: a loop with live values across raise().
  long acc = 0;
  for (long i = 1; i <= 1000; i++) { acc += i * 3; if (i % 250 == 0) raise(SIGUSR1); }
  printf("registers survive handlers: %ld\n", acc);

  // Nesting: the handler raises its own signal; blocked during the handler unless SA_NODEFER.
  sa.sa_handler = nested; sa.sa_flags = 0;
  sigaction(SIGUSR2, &sa, NULL);
  depth = maxDepth = calls = 0; raise(SIGUSR2);
  printf("without SA_NODEFER, deepest nesting %d of %d calls\n", maxDepth, calls);
  sa.sa_flags = SA_NODEFER;
  sigaction(SIGUSR2, &sa, NULL);
  depth = maxDepth = calls = 0; raise(SIGUSR2);
  printf("with SA_NODEFER, deepest nesting %d of %d calls\n", maxDepth, calls);

  // SA_RESETHAND: one shot, then the default action.
  sa.sa_handler = onUsr; sa.sa_flags = SA_RESETHAND;
  sigaction(SIGUSR2, &sa, NULL);
  raise(SIGUSR2);
  struct sigaction now;
  sigaction(SIGUSR2, NULL, &now);
  printf("SA_RESETHAND: got %d, handler now default %d\n", got, now.sa_handler == SIG_DFL);

  // sigaltstack and SA_ONSTACK.
  stack_t ss = { .ss_sp = altBase = malloc(SIGSTKSZ * 4), .ss_size = SIGSTKSZ * 4 };
  printf("sigaltstack: %d\n", sigaltstack(&ss, NULL));
  sa.sa_handler = onAlt; sa.sa_flags = SA_ONSTACK;
  sigaction(SIGWINCH, &sa, NULL);
  got = 0; raise(SIGWINCH);
  printf("handler ran on the alternate stack: %d\n", got);
  stack_t small = { .ss_sp = altBase, .ss_size = 100 };
  T(sigaltstack(&small, NULL));

  // Faults caught and recovered.
  sa.sa_sigaction = onFault; sa.sa_flags = SA_SIGINFO;
  sigaction(SIGSEGV, &sa, NULL);
  if (sigsetjmp(jump, 1) == 0) { *badAddr[0] = 1; say("not reached\n"); }
  printf("SIGSEGV caught: sig %d code %s addr ok %d\n", got, lastCode == SEGV_MAPERR ? "SEGV_MAPERR" : "other", senderOk);
  sa.sa_handler = onFpe; sa.sa_flags = 0;
  sigaction(SIGFPE, &sa, NULL);
  if (sigsetjmp(jump, 1) == 0) { printf("%d\n", 7 / zero); }
  printf("SIGFPE caught: %d\n", got);
  sigset_t cur;
  sigprocmask(SIG_SETMASK, NULL, &cur);
  printf("mask restored by siglongjmp: %d\n", !sigismember(&cur, SIGSEGV) && !sigismember(&cur, SIGFPE));

  // Blocked signals stay pending; sigsuspend takes one; sigtimedwait takes one without a handler.
  sa.sa_handler = onUsr; sa.sa_flags = 0;
  sigaction(SIGUSR1, &sa, NULL);
  sigset_t usr1; sigemptyset(&usr1); sigaddset(&usr1, SIGUSR1);
  sigprocmask(SIG_BLOCK, &usr1, NULL);
  got = 0; raise(SIGUSR1);
  sigset_t pend; sigpending(&pend);
  printf("blocked: got %d, pending %d\n", got, sigismember(&pend, SIGUSR1));
  sigset_t empty; sigemptyset(&empty);
  T(sigsuspend(&empty));
  printf("sigsuspend's handler ran: %d\n", got);
  raise(SIGUSR1);
  siginfo_t si;
  printf("sigtimedwait: %d\n", sigwaitinfo(&usr1, &si));
  struct timespec ts = { 0, 20 * 1000 * 1000 };
  T(sigtimedwait(&usr1, &si, &ts));
  sigprocmask(SIG_UNBLOCK, &usr1, NULL);

  // A blocking read interrupted by a signal from a child: EINTR, or restarted with SA_RESTART.
  for (int restart = 0; restart <= 1; restart++) {
    sa.sa_handler = onUsr; sa.sa_flags = restart ? SA_RESTART : 0;
    sigaction(SIGUSR1, &sa, NULL);
    int p[2]; pipe(p);
    pid_t parent = getpid();
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
      usleep(100 * 1000);
      kill(parent, SIGUSR1);
      usleep(100 * 1000);
      write(p[1], "x", 1);
      _exit(0);
    }
    char b;
    got = 0;
    ssize_t n = read(p[0], &b, 1);
    printf("read with%s SA_RESTART: %zd %s, handler ran %d\n", restart ? "" : "out", n, n < 0 ? strerrorname_np(errno) : "ok", got == SIGUSR1);
    waitpid(c, NULL, 0);
    close(p[0]); close(p[1]);
  }

  // SIGCHLD arrives with the child's status.
  sa.sa_sigaction = onInfo; sa.sa_flags = SA_SIGINFO;
  sigaction(SIGCHLD, &sa, NULL);
  got = 0;
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) _exit(7);
  int st;
  waitpid(c, &st, 0);
  printf("SIGCHLD: got %d code %s\n", got, lastCode == CLD_EXITED ? "CLD_EXITED" : "other");

  // Deaths by signal, as the parent sees them.
  int sigs[] = { SIGTERM, SIGKILL, SIGSEGV, SIGABRT, SIGPIPE };
  for (int i = 0; i < 5; i++) {
    fflush(stdout);
    pid_t k = fork();
    if (k == 0) {
      signal(sigs[i], SIG_DFL); // the parent's handlers would jump into its own past
      if (sigs[i] == SIGSEGV) *badAddr[1] = 0;
      if (sigs[i] == SIGPIPE) { int q[2]; pipe(q); close(q[0]); write(q[1], "x", 1); }
      if (sigs[i] == SIGABRT) abort();
      raise(sigs[i]);
      _exit(99);
    }
    waitpid(k, &st, 0);
    printf("child killed by %d: signaled %d sig %d core %d\n", sigs[i], WIFSIGNALED(st), WTERMSIG(st), WCOREDUMP(st) ? 1 : 0);
  }

  // tgkill to our own thread, and errors.
  got = 0;
  sa.sa_handler = onUsr; sa.sa_flags = 0;
  sigaction(SIGUSR2, &sa, NULL);
  syscall(SYS_tgkill, getpid(), gettid(), SIGUSR2);
  printf("tgkill: got %d\n", got);
  T(kill(getpid(), 99));
  T(kill(999999, 0));
  T(sigaction(SIGKILL, &sa, NULL));
  T(sigprocmask(99, &empty, NULL));
  return 0;
}
