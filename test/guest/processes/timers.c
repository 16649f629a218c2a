// Timers and resource calls: alarm, setitimer/getitimer (ITIMER_REAL, VIRTUAL, PROF), POSIX
// timers (SIGEV_SIGNAL with si_value, the default SIGALRM, SIGEV_THREAD_ID, SIGEV_NONE, CPU
// clocks, TIMER_ABSTIME, periodic timers and overruns, errors), timers across fork and exec,
// getrusage and times, the sched_* calls, getpriority/setpriority, and prctl's PDEATHSIG and
// CHILD_SUBREAPER. It runs as PID 1 (natively under unshare). Only facts that hold on any
// machine are printed: no pids, times or CPU counts, only comparisons of them.
#define _GNU_SOURCE
#include <errno.h>
#include <linux/capability.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define T(call) report(#call, (long)(call))
static void report(const char *what, long r) {
  if (r < 0) printf("%s: -1 %s\n", what, strerrorname_np(errno));
  else printf("%s: %ld\n", what, r);
}
static const char *yes(int c) { return c ? "yes" : "NO"; }

// Raw POSIX timer calls: the kernel's int ids, without the C library's SIGEV_THREAD machinery.
static long tcreate(clockid_t c, struct sigevent *sev, int *id) { return syscall(SYS_timer_create, c, sev, id); }
static long tset(int id, int flags, const struct itimerspec *v, struct itimerspec *old) { return syscall(SYS_timer_settime, id, flags, v, old); }
static long tget(int id, struct itimerspec *v) { return syscall(SYS_timer_gettime, id, v); }
static long tover(int id) { return syscall(SYS_timer_getoverrun, id); }
static long tdel(int id) { return syscall(SYS_timer_delete, id); }
/** A CPU clock id as clock_getcpuclockid makes them: ((~pid) << 3) | per-thread | kind. */
#define CPUCLOCK(pid, thread, kind) ((clockid_t)((~(unsigned)(pid) << 3) | ((thread) ? 4 : 0) | (kind)))

static volatile sig_atomic_t count, lastCode, lastValue, lastTimerId, lastOverrun, lastPid;

static void onCount(int sig) { (void)sig; count++; }
static void onInfo(int sig, siginfo_t *si, void *uc) {
  (void)sig; (void)uc;
  count++;
  lastCode = si->si_code;
  lastValue = si->si_value.sival_int;
  lastTimerId = si->si_timerid;
  lastOverrun = si->si_overrun;
  lastPid = si->si_pid;
}

static void handle(int sig, int info) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  if (info) { sa.sa_sigaction = onInfo; sa.sa_flags = SA_SIGINFO; }
  else sa.sa_handler = onCount;
  sigaction(sig, &sa, NULL);
}

static void block(int sig, int how) {
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, sig);
  sigprocmask(how, &s, NULL);
}

/** Waits (with `sig` blocked outside the wait) until `count` reaches n. */
static void waitCount(int sig, int n) {
  sigset_t mask;
  sigprocmask(SIG_SETMASK, NULL, &mask);
  sigdelset(&mask, sig);
  while (count < n) sigsuspend(&mask);
}

static double now(clockid_t c) {
  struct timespec ts;
  clock_gettime(c, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

/** Burns CPU: a loop the compiler must keep, of cheap instructions (fast under emulation too). */
static volatile unsigned long sink;
static void burn(long iterations) {
  unsigned long x = 1;
  for (long i = 0; i < iterations; i++) { x += i; __asm__ volatile("" : "+r"(x)); }
  sink = x;
}

/** Burns CPU until `count` reaches n (or 60 s pass); returns whether it did. */
static int spinUntil(int n) {
  double start = now(CLOCK_MONOTONIC);
  while (count < n) {
    burn(100000);
    if (now(CLOCK_MONOTONIC) - start > 60) return 0;
  }
  return 1;
}

static struct itimerval itv(long vs, long vus, long is, long ius) {
  struct itimerval v = { { is, ius }, { vs, vus } };
  return v;
}

static struct itimerspec its(long vs, long vns, long is, long ins) {
  struct itimerspec v = { { is, ins }, { vs, vns } };
  return v;
}

static void sleepMs(long ms) {
  struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
  while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {}
}

// --- alarm and interval timers -----------------------------------------------------------------

static void alarms(void) {
  puts("== alarm");
  handle(SIGALRM, 0);
  T(alarm(0));
  T(alarm(10));
  printf("alarm(0) after alarm(10) returns: %u\n", alarm(0)); // 9.99... s rounds up
  count = 0;
  block(SIGALRM, SIG_BLOCK);
  alarm(1);
  waitCount(SIGALRM, 1);
  printf("alarm fired, handler ran: %s\n", yes(count == 1));
  T(alarm(0));
  block(SIGALRM, SIG_UNBLOCK);

  puts("== setitimer ITIMER_REAL");
  struct itimerval v = itv(0, 200000, 0, 0), old;
  count = 0;
  block(SIGALRM, SIG_BLOCK);
  T(setitimer(ITIMER_REAL, &v, NULL));
  struct itimerval cur;
  T(getitimer(ITIMER_REAL, &cur));
  long left = cur.it_value.tv_sec * 1000000L + cur.it_value.tv_usec;
  printf("one-shot: 0 < left <= 200 ms: %s, interval 0: %s\n", yes(left > 0 && left <= 200000), yes(cur.it_interval.tv_sec == 0 && cur.it_interval.tv_usec == 0));
  waitCount(SIGALRM, 1);
  T(getitimer(ITIMER_REAL, &cur));
  printf("after it fired: disarmed %s\n", yes(cur.it_value.tv_sec == 0 && cur.it_value.tv_usec == 0));

  v = itv(0, 20000, 0, 20000);
  count = 0;
  T(setitimer(ITIMER_REAL, &v, NULL));
  waitCount(SIGALRM, 5);
  printf("interval timer delivered >= 5: %s\n", yes(count >= 5));
  v = itv(0, 0, 0, 0);
  T(setitimer(ITIMER_REAL, &v, &old));
  printf("old interval: %ld.%06ld\n", (long)old.it_interval.tv_sec, (long)old.it_interval.tv_usec);
  block(SIGALRM, SIG_UNBLOCK);
  int before = count;
  sleepMs(60);
  printf("nothing after disarming: %s\n", yes(count == before));

  v = itv(0, 1000000, 0, 0);
  T(setitimer(ITIMER_REAL, &v, NULL));
  v = itv(-1, 0, 0, 0);
  T(setitimer(ITIMER_REAL, &v, NULL));
  v = itv(0, 0, 0, -5);
  T(setitimer(ITIMER_REAL, &v, NULL));
  v = itv(1, 0, 0, 0);
  T(setitimer(99, &v, NULL));
  T(getitimer(99, &cur));
  T(getitimer(-1, &cur));
  T(syscall(SYS_getitimer, ITIMER_REAL, (void *)8));
  T(syscall(SYS_setitimer, ITIMER_REAL, (void *)8, NULL));

  puts("== ITIMER_VIRTUAL and ITIMER_PROF");
  handle(SIGVTALRM, 0);
  handle(SIGPROF, 0);
  v = itv(1, 0, 0, 0);
  T(setitimer(ITIMER_VIRTUAL, &v, NULL));
  T(getitimer(ITIMER_VIRTUAL, &cur));
  printf("virtual armed: %s\n", yes(cur.it_value.tv_sec > 0 || cur.it_value.tv_usec > 0));
  v = itv(0, 10000, 0, 10000);
  count = 0;
  T(setitimer(ITIMER_VIRTUAL, &v, NULL));
  printf("SIGVTALRM >= 3 while computing: %s\n", yes(spinUntil(3)));
  v = itv(0, 0, 0, 0);
  T(setitimer(ITIMER_VIRTUAL, &v, &old));
  printf("old virtual interval: %ld.%06ld\n", (long)old.it_interval.tv_sec, (long)old.it_interval.tv_usec);
  v = itv(0, 10000, 0, 10000);
  count = 0;
  T(setitimer(ITIMER_PROF, &v, NULL));
  printf("SIGPROF >= 3 while computing: %s\n", yes(spinUntil(3)));
  v = itv(0, 0, 0, 0);
  T(setitimer(ITIMER_PROF, &v, NULL));
  T(getitimer(ITIMER_PROF, &cur));
  printf("prof disarmed: %s\n", yes(cur.it_value.tv_sec == 0 && cur.it_value.tv_usec == 0));
}

// --- POSIX timers ------------------------------------------------------------------------------

static volatile int threadTid, threadGot;

static void *timerThread(void *arg) {
  (void)arg;
  threadTid = gettid();
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, SIGUSR2);
  siginfo_t si;
  int sig = sigwaitinfo(&s, &si);
  threadGot = sig == SIGUSR2 && si.si_code == SI_TIMER && si.si_value.sival_int == 77;
  return NULL;
}

static void posixTimers(const char *self) {
  puts("== timer_create errors");
  int id = -1;
  struct sigevent sev;
  memset(&sev, 0, sizeof sev);
  sev.sigev_notify = SIGEV_SIGNAL;
  sev.sigev_signo = SIGUSR1;
  T(tcreate(99, &sev, &id));
  T(tcreate(CPUCLOCK(0x7ffffff0, 0, 2), &sev, &id)); // the CPU clock of a process that does not exist
  T(tcreate(CPUCLOCK(getpid(), 0, 3), &sev, &id));    // the bits of a clock fd's id: no timers
  T(tcreate(CPUCLOCK(getpid(), 1, 3), &sev, &id));    // no such CPU clock kind
  T(tcreate(CPUCLOCK(0, 1, 2), &sev, &id));           // our own thread's: fine
  T(tdel(id));
  sev.sigev_notify = 99;
  T(tcreate(CLOCK_MONOTONIC, &sev, &id));
  sev.sigev_notify = SIGEV_SIGNAL;
  sev.sigev_signo = 0;
  T(tcreate(CLOCK_MONOTONIC, &sev, &id));
  sev.sigev_signo = 65;
  T(tcreate(CLOCK_MONOTONIC, &sev, &id));
  sev.sigev_signo = SIGUSR1;
  sev.sigev_notify = SIGEV_THREAD_ID;
  sev._sigev_un._tid = 0x7ffffff0;
  T(tcreate(CLOCK_MONOTONIC, &sev, &id));
  sev.sigev_notify = SIGEV_SIGNAL;
  T(syscall(SYS_timer_create, CLOCK_MONOTONIC, (void *)8, &id));
  T(syscall(SYS_timer_create, CLOCK_MONOTONIC, &sev, (void *)8));
  struct itimerspec v = its(1, 0, 0, 0), cur, old;
  T(tset(12345, 0, &v, NULL));
  T(tget(12345, &cur));
  T(tover(12345));
  T(tdel(12345));
  T(tdel(-1));

  puts("== SIGEV_SIGNAL");
  handle(SIGUSR1, 1);
  sev.sigev_value.sival_int = 42;
  T(tcreate(CLOCK_MONOTONIC, &sev, &id));
  T(tset(id, 0, NULL, NULL));
  v = its(1, 1000000000, 0, 0);
  T(tset(id, 0, &v, NULL));
  v = its(-1, 0, 0, 0);
  T(tset(id, 0, &v, NULL));
  T(tget(id, (void *)8));
  count = 0;
  block(SIGUSR1, SIG_BLOCK);
  v = its(0, 30000000, 0, 0);
  T(tset(id, 0, &v, NULL));
  waitCount(SIGUSR1, 1);
  printf("si_code SI_TIMER %s, si_value %d, si_timerid is the id %s, overrun %d\n",
         yes(lastCode == SI_TIMER), (int)lastValue, yes(lastTimerId == id), (int)lastOverrun);
  T(tget(id, &cur));
  printf("after it fired: value 0 %s, interval 0 %s\n", yes(cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0),
         yes(cur.it_interval.tv_sec == 0 && cur.it_interval.tv_nsec == 0));
  T(tover(id));

  // One-shot, read back while armed, then disarmed with the old setting returned.
  v = its(5, 0, 0, 0);
  T(tset(id, 0, &v, NULL));
  T(tget(id, &cur));
  printf("armed for 5 s: 4 s < left <= 5 s %s\n", yes(cur.it_value.tv_sec == 4 || (cur.it_value.tv_sec == 5 && cur.it_value.tv_nsec == 0)));
  v = its(0, 0, 0, 0);
  T(tset(id, 0, &v, &old));
  printf("disarming returns the old setting: %s\n", yes(old.it_value.tv_sec == 4 || old.it_value.tv_sec == 5));
  T(tget(id, &cur));
  printf("disarmed: %s\n", yes(cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0));

  // TIMER_ABSTIME: in 20 ms, and in the past (fires at once).
  struct timespec t0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  t0.tv_nsec += 20000000;
  if (t0.tv_nsec >= 1000000000) { t0.tv_sec++; t0.tv_nsec -= 1000000000; }
  v.it_value = t0;
  count = 0;
  T(tset(id, TIMER_ABSTIME, &v, NULL));
  waitCount(SIGUSR1, 1);
  puts("absolute expiry fired");
  v = its(1, 0, 0, 0);
  count = 0;
  T(tset(id, TIMER_ABSTIME, &v, NULL));
  sigset_t usr1;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  struct timespec second = { 1, 0 };
  siginfo_t si;
  printf("an absolute time in the past fires at once: %s\n", yes(sigtimedwait(&usr1, &si, &second) == SIGUSR1 && si.si_code == SI_TIMER));
  T(tdel(id));
  T(tget(id, &cur));
  T(tdel(id));

  puts("== the default sigevent: SIGALRM with the id as its value");
  handle(SIGALRM, 1);
  block(SIGALRM, SIG_BLOCK);
  T(tcreate(CLOCK_REALTIME, NULL, &id));
  v = its(0, 10000000, 0, 0);
  count = 0;
  T(tset(id, 0, &v, NULL));
  waitCount(SIGALRM, 1);
  printf("SIGALRM, si_value == si_timerid == id: %s\n", yes(lastCode == SI_TIMER && lastValue == id && lastTimerId == id));
  T(tdel(id));
  block(SIGALRM, SIG_UNBLOCK);

  puts("== periodic timers and overruns");
  int rt = SIGRTMIN + 1;
  sev.sigev_signo = rt;
  sev.sigev_value.sival_int = 5;
  block(rt, SIG_BLOCK);
  T(tcreate(CLOCK_MONOTONIC, &sev, &id));
  v = its(0, 10000000, 0, 10000000);
  T(tset(id, 0, &v, NULL));
  sigset_t rts;
  sigemptyset(&rts);
  sigaddset(&rts, rt);
  int taken = 0;
  for (int i = 0; i < 5; i++) if (sigwaitinfo(&rts, &si) == rt && si.si_code == SI_TIMER && si.si_value.sival_int == 5) taken++;
  printf("periodic: 5 signals taken one after another: %s\n", yes(taken == 5));
  // Left blocked and untaken, expirations are counted as overruns of the one queued signal.
  sleepMs(100);
  sigpending(&rts);
  printf("one signal pending: %s\n", yes(sigismember(&rts, rt)));
  sigemptyset(&rts);
  sigaddset(&rts, rt);
  sigwaitinfo(&rts, &si);
  printf("si_overrun >= 3: %s, timer_getoverrun agrees: %s\n", yes(si.si_overrun >= 3), yes(tover(id) == si.si_overrun));
  v = its(0, 0, 0, 0);
  T(tset(id, 0, &v, &old));
  printf("old interval: %ld.%09ld\n", (long)old.it_interval.tv_sec, old.it_interval.tv_nsec);
  T(tover(id));
  T(tdel(id));
  struct timespec zero = { 0, 0 };
  while (sigtimedwait(&rts, &si, &zero) == rt) {} // a last one may have been queued
  block(rt, SIG_UNBLOCK);

  puts("== SIGEV_THREAD_ID");
  block(SIGUSR2, SIG_BLOCK); // in every thread: only sigwaitinfo takes it
  pthread_t th;
  pthread_create(&th, NULL, timerThread, NULL);
  while (!threadTid) sched_yield();
  sev.sigev_notify = SIGEV_THREAD_ID;
  sev._sigev_un._tid = threadTid;
  sev.sigev_signo = SIGUSR2;
  sev.sigev_value.sival_int = 77;
  T(tcreate(CLOCK_MONOTONIC, &sev, &id));
  v = its(0, 20000000, 0, 0);
  T(tset(id, 0, &v, NULL));
  pthread_join(th, NULL);
  sigset_t pend;
  sigpending(&pend);
  printf("the thread got it: %s, not the main thread: %s\n", yes(threadGot), yes(!sigismember(&pend, SIGUSR2)));
  T(tdel(id));
  fflush(stdout);
  pid_t other = fork();
  if (other == 0) { pause(); _exit(0); }
  sev._sigev_un._tid = other;
  T(tcreate(CLOCK_MONOTONIC, &sev, &id)); // another process's thread
  kill(other, SIGKILL);
  waitpid(other, NULL, 0);
  sev.sigev_notify = SIGEV_SIGNAL;

  puts("== SIGEV_NONE");
  struct sigevent none;
  memset(&none, 0, sizeof none);
  none.sigev_notify = SIGEV_NONE;
  T(tcreate(CLOCK_MONOTONIC, &none, &id));
  v = its(0, 200000000, 0, 0);
  T(tset(id, 0, &v, NULL));
  T(tget(id, &cur));
  printf("counting down: %s\n", yes(cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0 && cur.it_value.tv_nsec <= 200000000));
  sleepMs(250);
  T(tget(id, &cur));
  printf("expired: reads 0 %s\n", yes(cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0));
  T(tdel(id));

  puts("== CPU clocks");
  sev.sigev_signo = SIGUSR1;
  sev.sigev_value.sival_int = 9;
  block(SIGUSR1, SIG_UNBLOCK);
  T(tcreate(CLOCK_PROCESS_CPUTIME_ID, &sev, &id));
  v = its(0, 20000000, 0, 0);
  count = 0;
  T(tset(id, 0, &v, NULL));
  printf("process CPU timer fired while computing: %s\n", yes(spinUntil(1) && lastValue == 9));
  T(tdel(id));
  T(tcreate(CLOCK_THREAD_CPUTIME_ID, &sev, &id));
  count = 0;
  T(tset(id, 0, &v, NULL));
  printf("thread CPU timer fired while computing: %s\n", yes(spinUntil(1) && lastCode == SI_TIMER));
  T(tdel(id));
  clockid_t mine;
  T(clock_getcpuclockid(0, &mine));
  T(tcreate(mine, &sev, &id));
  T(tdel(id));
  struct timespec res;
  T(clock_gettime(mine, &res));
  T(clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &res));
  printf("process CPU time > 0: %s\n", yes(res.tv_sec > 0 || res.tv_nsec > 0));

  puts("== across fork and exec");
  T(tcreate(CLOCK_MONOTONIC, &sev, &id));
  v = its(60, 0, 0, 0);
  T(tset(id, 0, &v, NULL));
  struct itimerval iv = itv(60, 0, 0, 0), icur;
  T(setitimer(ITIMER_REAL, &iv, NULL));
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) {
    printf("child: the timer is not inherited: %s\n", tget(id, &cur) < 0 && errno == EINVAL ? "EINVAL" : "NO");
    getitimer(ITIMER_REAL, &icur);
    printf("child: no interval timer: %s\n", yes(icur.it_value.tv_sec == 0 && icur.it_value.tv_usec == 0));
    // execve: POSIX timers go, ITIMER_REAL stays.
    T(tcreate(CLOCK_MONOTONIC, &sev, &id));
    T(tset(id, 0, &v, NULL));
    alarm(60);
    fflush(stdout);
    char idText[16];
    snprintf(idText, sizeof idText, "%d", id);
    execl(self, self, "after-exec", idText, (char *)NULL);
    printf("exec failed: %s\n", strerrorname_np(errno));
    _exit(1);
  }
  int st;
  waitpid(c, &st, 0);
  printf("child exited %d\n", WEXITSTATUS(st));
  T(getitimer(ITIMER_REAL, &icur));
  printf("parent's timers go on: %s %s\n", yes(icur.it_value.tv_sec > 30), yes(tget(id, &cur) == 0 && cur.it_value.tv_sec > 30));
  iv = itv(0, 0, 0, 0);
  setitimer(ITIMER_REAL, &iv, NULL);
  T(tdel(id));
}

static int afterExec(const char *idText) {
  struct itimerspec cur;
  printf("after exec: the POSIX timer is gone: %s\n", tget(atoi(idText), &cur) < 0 && errno == EINVAL ? "EINVAL" : "NO");
  unsigned left = alarm(0);
  printf("after exec: the alarm survived: %s\n", yes(left > 30 && left <= 60));
  return 3;
}

// --- resource usage ----------------------------------------------------------------------------

static void usage(void) {
  puts("== getrusage and times");
  struct rusage ru;
  T(getrusage(RUSAGE_SELF, &ru));
  printf("self: utime >= 0 %s, maxrss > 0 %s\n", yes(ru.ru_utime.tv_sec >= 0 && ru.ru_utime.tv_usec >= 0), yes(ru.ru_maxrss > 0));
  T(getrusage(RUSAGE_THREAD, &ru));
  T(getrusage(99, &ru));
  T(syscall(SYS_getrusage, RUSAGE_SELF, (void *)8));
  T(getrusage(RUSAGE_CHILDREN, &ru));
  struct tms before;
  clock_t t1 = times(&before);
  printf("times: not an error %s\n", yes(t1 != (clock_t)-1));
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) { burn(150000000); _exit(0); }
  struct rusage cru;
  int st;
  T(wait4(c, &st, 0, &cru) == c);
  printf("wait4's rusage: utime > 0 %s, maxrss > 0 %s\n", yes(cru.ru_utime.tv_sec > 0 || cru.ru_utime.tv_usec > 0), yes(cru.ru_maxrss > 0));
  T(getrusage(RUSAGE_CHILDREN, &ru));
  printf("children: utime > 0 %s, maxrss > 0 %s\n", yes(ru.ru_utime.tv_sec > 0 || ru.ru_utime.tv_usec > 0), yes(ru.ru_maxrss > 0));
  struct tms after;
  clock_t t2 = times(&after);
  printf("times: children's ticks > 0 %s, clock goes on %s\n", yes(after.tms_cutime > 0), yes(t2 >= t1));
  T(syscall(SYS_times, (void *)8));
}

// --- scheduling --------------------------------------------------------------------------------

/** Drops CAP_SYS_NICE, as a container's root lacks it (natively the test runs as full root). */
static void dropSysNice(void) {
  struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
  struct __user_cap_data_struct d[2];
  syscall(SYS_capget, &h, d);
  d[0].effective &= ~(1u << CAP_SYS_NICE);
  d[0].permitted &= ~(1u << CAP_SYS_NICE);
  d[0].inheritable &= ~(1u << CAP_SYS_NICE);
  printf("drop CAP_SYS_NICE: %ld\n", syscall(SYS_capset, &h, d));
}

static void scheduling(void) {
  puts("== sched_*");
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) {
    dropSysNice();
    struct rlimit none = { 0, 0 };
    T(setrlimit(RLIMIT_NICE, &none));
    T(setrlimit(RLIMIT_RTPRIO, &none));
    struct sched_param p = { 0 };
    T(sched_getscheduler(0));
    T(sched_getparam(0, &p));
    printf("priority %d\n", p.sched_priority);
    T(sched_get_priority_max(SCHED_FIFO));
    T(sched_get_priority_min(SCHED_FIFO));
    T(sched_get_priority_max(SCHED_RR));
    T(sched_get_priority_max(SCHED_OTHER));
    T(sched_get_priority_min(SCHED_OTHER));
    T(sched_get_priority_max(SCHED_BATCH));
    T(sched_get_priority_min(SCHED_IDLE));
    T(sched_get_priority_max(99));
    T(sched_get_priority_min(-1));
    p.sched_priority = 1;
    T(sched_setscheduler(0, SCHED_FIFO, &p));
    T(sched_setscheduler(0, SCHED_RR, &p));
    T(sched_setscheduler(0, SCHED_OTHER, &p));
    p.sched_priority = 100;
    T(sched_setscheduler(0, SCHED_FIFO, &p));
    p.sched_priority = 0;
    T(sched_setscheduler(0, SCHED_FIFO, &p));
    T(sched_setscheduler(0, 4, &p));
    T(sched_setscheduler(0, -1, &p));
    T(sched_setscheduler(-1, SCHED_OTHER, &p));
    T(syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, NULL));
    T(syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, (void *)8));
    T(sched_setscheduler(0x7ffffff0, SCHED_OTHER, &p));
    T(sched_setscheduler(0, SCHED_OTHER, &p));
    p.sched_priority = 5;
    T(sched_setparam(0, &p));
    p.sched_priority = 0;
    T(sched_setparam(0, &p));
    T(sched_getscheduler(-1));
    T(sched_getscheduler(0x7ffffff0));
    T(sched_getparam(0x7ffffff0, &p));
    T(syscall(SYS_sched_getparam, 0, NULL));
    T(sched_setscheduler(0, SCHED_BATCH, &p));
    T(sched_getscheduler(0));
    T(sched_setscheduler(0, SCHED_OTHER | SCHED_RESET_ON_FORK, &p));
    T(sched_getscheduler(0));
    T(sched_setscheduler(0, SCHED_OTHER, &p)); // an unprivileged process cannot clear it
    T(sched_setscheduler(0, SCHED_IDLE | SCHED_RESET_ON_FORK, &p));
    T(sched_getscheduler(0));
    T(sched_setscheduler(0, SCHED_OTHER | SCHED_RESET_ON_FORK, &p)); // leaving SCHED_IDLE needs RLIMIT_NICE
    T(sched_yield());
    struct timespec rr;
    T(sched_rr_get_interval(0, &rr));
    T(sched_rr_get_interval(-1, &rr));

    puts("== CPU affinity");
    cpu_set_t set;
    CPU_ZERO(&set);
    long n = syscall(SYS_sched_getaffinity, 0, sizeof set, &set);
    printf("getaffinity returns the kernel's mask size, whole longs: %s\n", yes(n >= 8 && n % 8 == 0 && n <= (long)sizeof set));
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    printf("1 <= CPUs allowed <= CPUs online: %s\n", yes(CPU_COUNT(&set) >= 1 && CPU_COUNT(&set) <= online));
    T(syscall(SYS_sched_getaffinity, 0, 4, &set));
    T(syscall(SYS_sched_getaffinity, 0, 0, &set));
    T(syscall(SYS_sched_getaffinity, 0x7ffffff0, sizeof set, &set));
    T(syscall(SYS_sched_getaffinity, 0, sizeof set, (void *)8));
    T(sched_setaffinity(0, sizeof set, &set));
    cpu_set_t empty;
    CPU_ZERO(&empty);
    T(sched_setaffinity(0, sizeof empty, &empty));
    T(sched_setaffinity(0x7ffffff0, sizeof set, &set));
    T(syscall(SYS_sched_setaffinity, 0, sizeof set, (void *)8));

    puts("== getpriority and setpriority");
    errno = 0;
    int n0 = getpriority(PRIO_PROCESS, 0);
    printf("getpriority ok: %s\n", yes(errno == 0));
    T(setpriority(PRIO_PROCESS, 0, n0 + 5));
    printf("nice raised by 5: %s\n", yes(getpriority(PRIO_PROCESS, 0) == n0 + 5));
    T(setpriority(PRIO_PROCESS, 0, n0)); // lowering it needs CAP_SYS_NICE or RLIMIT_NICE
    printf("still raised: %s\n", yes(getpriority(PRIO_PROCESS, 0) == n0 + 5));
    T(setpriority(PRIO_PROCESS, getpid(), 100)); // clamped to 19
    printf("nice now: %d\n", getpriority(PRIO_PROCESS, 0));
    printf("process group's highest priority is the parent's: %s\n", yes(getpriority(PRIO_PGRP, 0) == n0));
    printf("user's highest priority is the parent's: %s\n", yes(getpriority(PRIO_USER, 0) == n0));
    T(setpriority(99, 0, 0));
    T(getpriority(99, 0));
    T(getpriority(PRIO_PROCESS, 0x7ffffff0));
    T(setpriority(PRIO_PROCESS, 0x7ffffff0, 0));
    T(getpriority(PRIO_PGRP, 0x7ffffff0));
    fflush(stdout);
    pid_t g = fork();
    if (g == 0) {
      printf("nice inherited by fork: %d, policy reset: %d\n", getpriority(PRIO_PROCESS, 0), sched_getscheduler(0));
      fflush(stdout);
      _exit(0);
    }
    waitpid(g, NULL, 0);
    fflush(stdout);
    _exit(0);
  }
  waitpid(c, NULL, 0);
  fflush(stdout);
}

// --- prctl: PDEATHSIG and CHILD_SUBREAPER ----------------------------------------------------

static volatile sig_atomic_t deathSig, deathCode, deathPid;
static void onDeath(int sig, siginfo_t *si, void *uc) { (void)uc; deathSig = sig; deathCode = si->si_code; deathPid = si->si_pid; }

/** In a grandchild: asks for SIGUSR1 on its parent's death, tells `ready`, waits for it. */
static void awaitParentDeath(int ready, pid_t parent) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = onDeath;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGUSR1, &sa, NULL);
  block(SIGUSR1, SIG_BLOCK);
  prctl(PR_SET_PDEATHSIG, SIGUSR1);
  write(ready, "r", 1);
  sigset_t mask;
  sigprocmask(SIG_SETMASK, NULL, &mask);
  sigdelset(&mask, SIGUSR1);
  while (!deathSig) sigsuspend(&mask);
  printf("grandchild: got SIGUSR1 %s, SI_USER %s, from the dead parent %s\n", yes(deathSig == SIGUSR1), yes(deathCode == SI_USER), yes(deathPid == parent));
}

static void *forkFromThread(void *arg) {
  int *fds = arg;
  fflush(stdout);
  pid_t parent = getpid();
  pid_t g = fork();
  if (g == 0) {
    awaitParentDeath(fds[1], parent);
    printf("grandchild: its parent process lives on: %s\n", yes(getppid() == parent));
    fflush(stdout);
    _exit(5);
  }
  char b;
  read(fds[0], &b, 1);
  return (void *)(intptr_t)g; // the thread exits: its children's parent thread is gone
}

static void prctls(void) {
  puts("== PR_SET_PDEATHSIG");
  int sig = -1;
  T(prctl(PR_GET_PDEATHSIG, &sig));
  printf("pdeathsig %d\n", sig);
  T(prctl(PR_SET_PDEATHSIG, 65));
  T(prctl(PR_SET_PDEATHSIG, SIGUSR2));
  T(prctl(PR_GET_PDEATHSIG, &sig));
  printf("pdeathsig %d\n", sig);
  T(prctl(PR_SET_PDEATHSIG, 0));
  T(prctl(PR_GET_PDEATHSIG, (void *)8));

  // A grandchild whose parent exits: the signal comes, and init adopts it.
  int fds[2];
  pipe(fds);
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) {
    pid_t me = getpid();
    pid_t g = fork();
    if (g == 0) {
      awaitParentDeath(fds[1], me);
      printf("grandchild: adopted by init: %s\n", yes(getppid() == 1));
      fflush(stdout);
      _exit(4);
    }
    char b;
    read(fds[0], &b, 1);
    _exit(0); // the grandchild learns of this
  }
  int st;
  waitpid(c, &st, 0);
  pid_t w = waitpid(-1, &st, 0); // the orphan is ours now
  printf("init reaped the orphan: %s, status %d\n", yes(w > 0), WEXITSTATUS(st));

  // Linux ties the death signal to the parent thread: a thread that forked and exits sends it.
  fflush(stdout);
  c = fork();
  if (c == 0) {
    pthread_t th;
    pthread_create(&th, NULL, forkFromThread, fds);
    void *g;
    pthread_join(th, &g);
    waitpid((pid_t)(intptr_t)g, &st, 0);
    printf("child: reaped the grandchild its thread forked, status %d\n", WEXITSTATUS(st));
    fflush(stdout);
    _exit(0);
  }
  waitpid(c, &st, 0);
  close(fds[0]);
  close(fds[1]);

  puts("== PR_SET_CHILD_SUBREAPER");
  int flag = -1;
  T(prctl(PR_GET_CHILD_SUBREAPER, &flag));
  printf("subreaper %d\n", flag);
  T(prctl(PR_GET_CHILD_SUBREAPER, (void *)8));
  int go[2];
  pipe(go);
  fflush(stdout);
  c = fork();
  if (c == 0) {
    T(prctl(PR_SET_CHILD_SUBREAPER, 1));
    prctl(PR_GET_CHILD_SUBREAPER, &flag);
    printf("subreaper %d\n", flag);
    pid_t me = getpid();
    fflush(stdout);
    pid_t mid = fork();
    if (mid == 0) {
      if (fork() == 0) {
        char b;
        read(go[0], &b, 1);
        printf("orphan: adopted by the subreaper, not init: %s\n", yes(getppid() == me));
        fflush(stdout);
        _exit(7);
      }
      _exit(0);
    }
    waitpid(mid, NULL, 0);
    write(go[1], "g", 1);
    pid_t w = waitpid(-1, &st, 0);
    printf("subreaper reaped the orphan: %s, status %d\n", yes(w > 0 && w != mid), WEXITSTATUS(st));
    T(waitpid(-1, NULL, WNOHANG));
    fflush(stdout);
    _exit(0);
  }
  waitpid(c, &st, 0);
  T(prctl(PR_SET_CHILD_SUBREAPER, 0));
}

int main(int argc, char **argv) {
  if (argc > 2 && strcmp(argv[1], "after-exec") == 0) return afterExec(argv[2]);
  setvbuf(stdout, NULL, _IOLBF, 0);
  char self[4096];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) { puts("cannot find myself"); return 1; }
  self[n] = 0;
  alarms();
  posixTimers(self);
  usage();
  scheduling();
  prctls();

  // Leaving with timers armed and a child asleep: the sandbox must end at once all the same.
  puts("== leaving with timers pending");
  fflush(stdout);
  if (fork() == 0) { sleep(1000); _exit(0); }
  alarm(1000);
  struct sigevent sev;
  memset(&sev, 0, sizeof sev);
  sev.sigev_notify = SIGEV_SIGNAL;
  sev.sigev_signo = SIGUSR1;
  int id;
  tcreate(CLOCK_MONOTONIC, &sev, &id);
  struct itimerspec v = its(1000, 0, 0, 0);
  tset(id, 0, &v, NULL);
  puts("done");
  return 0;
}
