// Readiness and event files: poll, ppoll, select and pselect6 on pipes (ready or not, timeouts
// and the time left written back, POLLHUP, POLLERR, POLLNVAL, a child's late write waking the
// poller); epoll (level- and edge-triggered, one-shot, MOD and DEL, errors, maxevents and its
// round robin, entries outliving a closed dup, epoll over an eventfd, a timerfd and a pipe,
// nested instances); eventfd (counter and semaphore modes, overflow, blocking); timerfd (one-shot,
// periodic, absolute, gettime, old values); signalfd (reading and polling blocked signals); and
// poll, select, epoll_wait and ppoll interrupted by a signal handler (EINTR, masks restored).
// Output must match the native run byte for byte: no pids, times or addresses are printed, and
// counts that depend on timing only as bounds.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define T(call) report(#call, (long)(call))
static void report(const char *what, long r) {
  if (r < 0) printf("%s: -1 %s\n", what, strerrorname_np(errno));
  else printf("%s: %ld\n", what, r);
}

/** An address the kernel cannot write (volatile: the compiler must not reason about it). */
static void *volatile bad = (void *)8;

static const char *yes(int v) { return v ? "yes" : "no"; }

static long long nowMs(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void sleepMs(int ms) { usleep(ms * 1000); }

/** poll events as names, in a fixed order. */
static void showEvents(const char *what, int ev) {
  static const struct { int bit; const char *name; } names[] = {
    { POLLIN, "IN" }, { POLLPRI, "PRI" }, { POLLOUT, "OUT" }, { POLLERR, "ERR" }, { POLLHUP, "HUP" },
    { POLLNVAL, "NVAL" }, { POLLRDNORM, "RDNORM" }, { POLLWRNORM, "WRNORM" }, { POLLRDHUP, "RDHUP" },
  };
  printf("%s:", what);
  if (!ev) printf(" none");
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) if (ev & names[i].bit) printf(" %s", names[i].name);
  if (ev & ~(POLLIN | POLLPRI | POLLOUT | POLLERR | POLLHUP | POLLNVAL | POLLRDNORM | POLLWRNORM | POLLRDHUP)) printf(" other %#x", ev);
  printf("\n");
}

static int pollOne(int fd, int events, int timeout) {
  struct pollfd p = { fd, (short)events, 0 };
  int r = poll(&p, 1, timeout);
  return r < 0 ? -1 : p.revents;
}

/** A child that writes `msg` into `fd` after `ms` milliseconds and exits. */
static pid_t lateWriter(int fd, const void *msg, size_t len, int ms) {
  pid_t c = fork();
  if (c == 0) { sleepMs(ms); if (write(fd, msg, len) < 0) _exit(1); _exit(0); }
  return c;
}

static void reap(pid_t c) {
  int st;
  waitpid(c, &st, 0);
  if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) printf("child failed: %#x\n", st);
}

// --- poll and ppoll ------------------------------------------------------------------------------

static void testPoll(void) {
  printf("== poll\n");
  int p[2];
  pipe(p);
  showEvents("empty read end", pollOne(p[0], POLLIN | POLLOUT, 0));
  showEvents("empty write end", pollOne(p[1], POLLIN | POLLOUT | POLLWRNORM, 0));
  write(p[1], "abc", 3);
  showEvents("read end with data", pollOne(p[0], POLLIN | POLLRDNORM | POLLPRI, 0));
  showEvents("read end, asking nothing", pollOne(p[0], 0, 0));

  struct pollfd fds[4] = { { p[0], POLLIN, 0 }, { p[1], POLLOUT, 0 }, { -1, POLLIN, 0 }, { 99, POLLIN, 0 } };
  T(poll(fds, 4, 0));
  for (int i = 0; i < 4; i++) { char n[16]; snprintf(n, sizeof n, "  fds[%d]", i); showEvents(n, fds[i].revents); }

  char buf[64];
  read(p[0], buf, sizeof buf);
  long long t0 = nowMs();
  T(poll(fds, 1, 50));
  printf("waited the timeout: %s\n", yes(nowMs() - t0 >= 45));

  // A child writes later: an infinite poll wakes for it.
  pid_t c = lateWriter(p[1], "late", 4, 60);
  fds[0].revents = 0;
  T(poll(fds, 1, -1));
  showEvents("woken by the child", fds[0].revents);
  reap(c);
  read(p[0], buf, sizeof buf);

  // Hangup when the writers are gone, with and without data left.
  write(p[1], "x", 1);
  close(p[1]);
  showEvents("data then hangup", pollOne(p[0], POLLIN, 0));
  read(p[0], buf, sizeof buf);
  showEvents("hangup only", pollOne(p[0], POLLIN, 0));
  showEvents("hangup without asking", pollOne(p[0], 0, 0));
  close(p[0]);

  // An error on the write end when the readers are gone.
  pipe(p);
  close(p[0]);
  showEvents("write end without readers", pollOne(p[1], POLLOUT, 0));
  close(p[1]);

  // The child closes its write end later: the poller wakes with POLLHUP.
  pipe(p);
  c = fork();
  if (c == 0) { close(p[0]); sleepMs(50); _exit(0); }
  close(p[1]);
  showEvents("woken by the last writer leaving", pollOne(p[0], POLLIN, 5000));
  reap(c);
  close(p[0]);

  // Regular files, directories and /dev/null are always ready, whatever their access mode.
  int f = open("file", O_CREAT | O_RDONLY, 0644);
  showEvents("regular file", pollOne(f, POLLIN | POLLOUT | POLLPRI, 0));
  int d = open(".", O_RDONLY | O_DIRECTORY);
  showEvents("directory", pollOne(d, POLLIN | POLLOUT, 0));
  int n = open("/dev/null", O_WRONLY);
  showEvents("/dev/null", pollOne(n, POLLIN | POLLOUT, 0));
  int o = open(".", O_PATH);
  showEvents("O_PATH", pollOne(o, POLLIN, 0));
  close(f); close(d); close(n); close(o);

  // Errors.
  struct rlimit rl;
  getrlimit(RLIMIT_NOFILE, &rl);
  T(poll(fds, rl.rlim_cur + 1, 0));
  T(poll((struct pollfd *)bad, 1, 0));
  T(poll(NULL, 0, 10));

  // ppoll: a timespec timeout, validated, and the time left written back (raw syscall: glibc
  // passes a copy).
  pipe(p);
  struct pollfd pf = { p[0], POLLIN, 0 };
  struct timespec ts = { 0, 20 * 1000000 };
  T(ppoll(&pf, 1, &ts, NULL));
  ts = (struct timespec){ 0, 2000000000 };
  T(ppoll(&pf, 1, &ts, NULL));
  ts = (struct timespec){ -1, 0 };
  T(ppoll(&pf, 1, &ts, NULL));
  ts = (struct timespec){ 0, 10 * 1000000 };
  T(syscall(SYS_ppoll, &pf, 1, &ts, NULL, 8));
  printf("time left after a timeout: %ld.%09ld\n", (long)ts.tv_sec, ts.tv_nsec);
  write(p[1], "y", 1);
  ts = (struct timespec){ 5, 0 };
  T(syscall(SYS_ppoll, &pf, 1, &ts, NULL, 8));
  printf("time left when ready at once: 4 to 5 s: %s\n", yes(ts.tv_sec == 4 || (ts.tv_sec == 5 && ts.tv_nsec == 0)));
  ts = (struct timespec){ 0, 0 };
  T(syscall(SYS_ppoll, &pf, 1, &ts, NULL, 8));
  sigset_t none;
  sigemptyset(&none);
  T(syscall(SYS_ppoll, &pf, 1, NULL, &none, 4));
  T(syscall(SYS_ppoll, &pf, 1, NULL, bad, 8));
  T(syscall(SYS_ppoll, &pf, 1, NULL, &none, 8));
  close(p[0]); close(p[1]);
}

// --- select and pselect6 -------------------------------------------------------------------------

static void testSelect(void) {
  printf("== select\n");
  int p[2], q[2];
  pipe(p); pipe(q);
  write(q[1], "q", 1);
  fd_set r, w, e;
  FD_ZERO(&r); FD_ZERO(&w); FD_ZERO(&e);
  FD_SET(p[0], &r); FD_SET(q[0], &r); FD_SET(p[1], &w); FD_SET(p[0], &e);
  struct timeval tv = { 0, 0 };
  int maxfd = (p[1] > q[1] ? p[1] : q[1]) + 1;
  T(select(maxfd, &r, &w, &e, &tv));
  printf("readable: p %d q %d, writable: p %d, exceptional: p %d\n", FD_ISSET(p[0], &r), FD_ISSET(q[0], &r), FD_ISSET(p[1], &w), FD_ISSET(p[0], &e));

  // Nothing ready: the sets come back empty after the timeout.
  FD_ZERO(&r);
  FD_SET(p[0], &r);
  tv = (struct timeval){ 0, 30000 };
  long long t0 = nowMs();
  T(select(p[0] + 1, &r, NULL, NULL, &tv));
  printf("waited %s, set cleared %s\n", yes(nowMs() - t0 >= 25), yes(!FD_ISSET(p[0], &r)));

  // The raw select writes the time left back.
  FD_SET(p[0], &r);
  tv = (struct timeval){ 0, 10000 };
  T(syscall(SYS_select, p[0] + 1, &r, NULL, NULL, &tv));
  printf("time left after a timeout: %ld.%06ld\n", (long)tv.tv_sec, (long)tv.tv_usec);
  FD_ZERO(&r);
  FD_SET(q[0], &r);
  tv = (struct timeval){ 5, 0 };
  T(syscall(SYS_select, q[0] + 1, &r, NULL, NULL, &tv));
  printf("time left when ready at once: 4 to 5 s: %s\n", yes(tv.tv_sec == 4 || (tv.tv_sec == 5 && tv.tv_usec == 0)));
  // Microseconds past a second are carried into the seconds: -1 s + 1000100 us is 100 us.
  tv = (struct timeval){ -1, 1000100 };
  FD_ZERO(&r);
  T(syscall(SYS_select, 0, &r, NULL, NULL, &tv));
  tv = (struct timeval){ 0, -1 };
  T(syscall(SYS_select, 0, NULL, NULL, NULL, &tv));

  // A child's late write wakes select.
  pid_t c = lateWriter(p[1], "s", 1, 50);
  FD_ZERO(&r);
  FD_SET(p[0], &r);
  T(select(p[0] + 1, &r, NULL, NULL, NULL));
  printf("readable after the child's write: %d\n", FD_ISSET(p[0], &r));
  reap(c);

  // Errors: a closed fd in a set, a negative count, a bad set address.
  FD_ZERO(&r);
  FD_SET(50, &r);
  tv = (struct timeval){ 0, 0 };
  T(select(51, &r, NULL, NULL, &tv));
  T(select(-1, NULL, NULL, NULL, &tv));
  T(select(p[0] + 1, (fd_set *)bad, NULL, NULL, &tv));
  // An O_PATH fd is open: select finds it ready rather than EBADF.
  int o = open(".", O_PATH);
  FD_ZERO(&r);
  FD_SET(o, &r);
  T(select(o + 1, &r, NULL, NULL, &tv));

  // pselect6: a timespec, and the sigmask argument pack.
  FD_ZERO(&r);
  FD_SET(p[0], &r);
  struct timespec ts = { 0, 10 * 1000000 };
  T(pselect(p[0] + 1, &r, NULL, NULL, &ts, NULL));
  ts = (struct timespec){ 0, 1000000000 };
  T(pselect(p[0] + 1, &r, NULL, NULL, &ts, NULL));
  sigset_t none;
  sigemptyset(&none);
  struct { const sigset_t *ss; size_t len; } pack = { &none, 4 };
  ts = (struct timespec){ 0, 0 };
  T(syscall(SYS_pselect6, p[0] + 1, &r, NULL, NULL, &ts, &pack));
  pack.len = 8;
  FD_SET(q[0], &r);
  T(syscall(SYS_pselect6, q[0] + 1, &r, NULL, NULL, &ts, &pack));
  T(syscall(SYS_pselect6, q[0] + 1, &r, NULL, NULL, &ts, bad));
  close(o);
  close(p[0]); close(p[1]); close(q[0]); close(q[1]);
}

// --- epoll ---------------------------------------------------------------------------------------

static void showEpoll(const char *what, int ep, int max, int timeout) {
  struct epoll_event ev[8];
  int n = epoll_wait(ep, ev, max, timeout);
  if (n < 0) { printf("%s: -1 %s\n", what, strerrorname_np(errno)); return; }
  printf("%s: %d", what, n);
  for (int i = 0; i < n; i++) {
    printf(" [data %llu:", (unsigned long long)ev[i].data.u64);
    if (ev[i].events & EPOLLIN) printf(" IN");
    if (ev[i].events & EPOLLOUT) printf(" OUT");
    if (ev[i].events & EPOLLERR) printf(" ERR");
    if (ev[i].events & EPOLLHUP) printf(" HUP");
    if (ev[i].events & ~(EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP)) printf(" other %#x", ev[i].events);
    printf("]");
  }
  printf("\n");
}

static int ctl(int ep, int op, int fd, uint32_t events, uint64_t data) {
  struct epoll_event e = { .events = events, .data.u64 = data };
  return epoll_ctl(ep, op, fd, &e);
}

static void testEpoll(void) {
  printf("== epoll\n");
  T(epoll_create(0));
  T(epoll_create1(1));
  int ep = epoll_create1(EPOLL_CLOEXEC);
  printf("cloexec %d, access mode O_RDWR %s\n", fcntl(ep, F_GETFD) & FD_CLOEXEC, yes((fcntl(ep, F_GETFL) & O_ACCMODE) == O_RDWR));
  char link[64] = "";
  char path[32];
  snprintf(path, sizeof path, "/proc/self/fd/%d", ep);
  readlink(path, link, sizeof link - 1);
  printf("link %s\n", link);
  struct stat st;
  fstat(ep, &st);
  printf("mode %o, no file type %s\n", st.st_mode & 07777, yes((st.st_mode & S_IFMT) == 0));
  char buf[64];
  T(read(ep, buf, 8));

  int p[2];
  pipe(p);
  int f = open("file", O_CREAT | O_RDWR, 0644);
  int o = open(".", O_PATH);
  // Errors, in Linux's order.
  T(ctl(99, EPOLL_CTL_ADD, p[0], EPOLLIN, 0));
  T(ctl(ep, EPOLL_CTL_ADD, 99, EPOLLIN, 0));
  T(ctl(ep, EPOLL_CTL_ADD, o, EPOLLIN, 0));
  T(ctl(ep, EPOLL_CTL_ADD, f, EPOLLIN, 0));
  T(ctl(p[0], EPOLL_CTL_ADD, p[1], EPOLLIN, 0));
  T(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], (struct epoll_event *)bad));
  T(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], (struct epoll_event *)bad));
  T(ctl(ep, EPOLL_CTL_MOD, p[0], EPOLLIN, 0));
  T(ctl(ep, 9, p[0], EPOLLIN, 0));
  T(ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN | EPOLLEXCLUSIVE | EPOLLONESHOT, 0));
  T(ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN, 1));
  T(ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN, 1));
  T(ctl(ep, EPOLL_CTL_MOD, p[0], EPOLLIN | EPOLLEXCLUSIVE, 1));
  printf("adding an instance to itself fails: %s\n", yes(ctl(ep, EPOLL_CTL_ADD, ep, EPOLLIN, 0) < 0));
  struct epoll_event out[4];
  T(epoll_wait(ep, out, 0, 0));
  T(epoll_wait(p[0], out, 1, 0));
  T(epoll_wait(99, out, 1, 0));
  close(o);
  close(f);

  // Level-triggered: reported as long as it is ready.
  showEpoll("LT empty", ep, 4, 0);
  write(p[1], "0123456789", 10);
  showEpoll("LT data", ep, 4, 0);
  showEpoll("LT again", ep, 4, 0);
  read(p[0], buf, 10);
  showEpoll("LT drained", ep, 4, 0);
  long long t0 = nowMs();
  showEpoll("LT timeout", ep, 4, 30);
  printf("waited the timeout: %s\n", yes(nowMs() - t0 >= 25));

  // Edge-triggered: reported once per change of the kind it watches.
  T(ctl(ep, EPOLL_CTL_MOD, p[0], EPOLLIN | EPOLLET, 2));
  showEpoll("ET nothing yet", ep, 4, 0);
  write(p[1], "0123456789", 10);
  showEpoll("ET write", ep, 4, 0);
  showEpoll("ET again", ep, 4, 0);
  read(p[0], buf, 4);
  showEpoll("ET after a partial read", ep, 4, 0);
  write(p[1], "ab", 2);
  showEpoll("ET another write", ep, 4, 0);
  read(p[0], buf, sizeof buf);
  // MOD re-arms: a ready entry is reported again.
  write(p[1], "c", 1);
  showEpoll("ET write", ep, 4, 0);
  T(ctl(ep, EPOLL_CTL_MOD, p[0], EPOLLIN | EPOLLET, 3));
  showEpoll("ET after MOD", ep, 4, 0);
  read(p[0], buf, sizeof buf);

  // One-shot: reported once, then disabled until MOD.
  T(ctl(ep, EPOLL_CTL_MOD, p[0], EPOLLIN | EPOLLONESHOT, 4));
  write(p[1], "d", 1);
  showEpoll("ONESHOT", ep, 4, 0);
  showEpoll("ONESHOT again", ep, 4, 0);
  write(p[1], "e", 1);
  showEpoll("ONESHOT more data", ep, 4, 0);
  T(ctl(ep, EPOLL_CTL_MOD, p[0], EPOLLIN | EPOLLONESHOT, 5));
  showEpoll("ONESHOT re-armed", ep, 4, 0);
  read(p[0], buf, sizeof buf);

  // The write end, then DEL.
  T(ctl(ep, EPOLL_CTL_ADD, p[1], EPOLLOUT, 6));
  T(ctl(ep, EPOLL_CTL_MOD, p[0], EPOLLIN, 7));
  showEpoll("write end", ep, 4, 0);
  T(ctl(ep, EPOLL_CTL_DEL, p[1], 0, 0));
  T(ctl(ep, EPOLL_CTL_DEL, p[1], 0, 0));
  showEpoll("after DEL", ep, 4, 0);

  // A child's late write wakes an infinite wait.
  pid_t c = lateWriter(p[1], "late", 4, 50);
  showEpoll("woken by the child", ep, 4, -1);
  reap(c);
  read(p[0], buf, sizeof buf);

  // The entry belongs to the open file description: closing one fd of it keeps the entry.
  int d = dup(p[0]);
  int dfd = d;
  T(ctl(ep, EPOLL_CTL_ADD, d, EPOLLIN, 8));
  write(p[1], "z", 1);
  showEpoll("two fds of one pipe end", ep, 4, 0);
  close(p[0]);
  showEpoll("after closing the first fd", ep, 4, 0);
  T(ctl(ep, EPOLL_CTL_DEL, p[0], 0, 0));
  close(d);
  showEpoll("after closing the last fd", ep, 4, 0);
  int again = open("/dev/null", O_RDONLY);
  printf("fd reused: %s\n", yes(again == dfd || again == p[0]));
  T(ctl(ep, EPOLL_CTL_DEL, dfd, 0, 0));
  close(again);

  // Hangup and error are reported unasked.
  int q[2];
  pipe(q);
  T(ctl(ep, EPOLL_CTL_ADD, q[0], EPOLLIN, 10));
  close(q[1]);
  showEpoll("writer gone", ep, 4, 0);
  close(q[0]);
  pipe(q);
  T(ctl(ep, EPOLL_CTL_ADD, q[1], EPOLLOUT, 11));
  close(q[0]);
  showEpoll("reader gone", ep, 4, 0);
  close(q[1]);
  close(p[1]);
  close(ep);

  // maxevents: what is not reported stays first in line; reported level-triggered entries go last.
  ep = epoll_create1(0);
  int pipes[3][2];
  for (int i = 0; i < 3; i++) {
    pipe(pipes[i]);
    write(pipes[i][1], "r", 1);
    ctl(ep, EPOLL_CTL_ADD, pipes[i][0], EPOLLIN, 20 + i);
  }
  showEpoll("max 2", ep, 2, 0);
  showEpoll("max 2", ep, 2, 0);
  showEpoll("max 2", ep, 2, 0);
  showEpoll("max 8", ep, 8, 0);
  // An event array the kernel cannot write: EFAULT when something is to be written.
  T(epoll_wait(ep, (struct epoll_event *)bad, 1, 0));
  for (int i = 0; i < 3; i++) { close(pipes[i][0]); close(pipes[i][1]); }
  showEpoll("all closed", ep, 8, 0);
  close(ep);

  // epoll over an eventfd, a timerfd and a pipe.
  ep = epoll_create1(0);
  int efd = eventfd(0, EFD_NONBLOCK);
  int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
  pipe(p);
  ctl(ep, EPOLL_CTL_ADD, efd, EPOLLIN, 30);
  ctl(ep, EPOLL_CTL_ADD, tfd, EPOLLIN, 31);
  ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN, 32);
  showEpoll("none ready", ep, 8, 0);
  uint64_t one = 1;
  write(efd, &one, 8);
  showEpoll("eventfd written", ep, 8, 0);
  uint64_t v;
  read(efd, &v, 8);
  struct itimerspec its = { { 0, 0 }, { 0, 20 * 1000000 } };
  timerfd_settime(tfd, 0, &its, NULL);
  showEpoll("timer expired", ep, 8, 2000);
  read(tfd, &v, 8);
  c = lateWriter(p[1], "p", 1, 30);
  showEpoll("pipe written", ep, 8, 5000);
  reap(c);
  read(p[0], buf, sizeof buf);

  // Nested: an instance inside another is readable while something in it is ready.
  int outer = epoll_create1(0);
  T(ctl(outer, EPOLL_CTL_ADD, ep, EPOLLIN, 40));
  showEpoll("outer, inner idle", outer, 8, 0);
  showEvents("poll of the inner", pollOne(ep, POLLIN | POLLOUT, 0));
  write(efd, &one, 8);
  showEpoll("outer, inner ready", outer, 8, 0);
  showEvents("poll of the inner", pollOne(ep, POLLIN | POLLOUT, 0));
  read(efd, &v, 8);
  showEpoll("outer, inner drained", outer, 8, 0);
  c = lateWriter(p[1], "n", 1, 30);
  showEpoll("outer woken through the inner", outer, 8, 5000);
  reap(c);
  showEpoll("inner", ep, 8, 0);
  read(p[0], buf, sizeof buf);
  // Loops and depth.
  T(ctl(ep, EPOLL_CTL_ADD, outer, EPOLLIN, 0));
  int chain[6];
  chain[0] = outer;
  for (int i = 1; i < 6; i++) {
    chain[i] = epoll_create1(0);
    int r = ctl(chain[i], EPOLL_CTL_ADD, chain[i - 1], EPOLLIN, 0);
    printf("nesting %d deep: %s\n", i + 1, r < 0 ? strerrorname_np(errno) : "ok");
  }
  // The outer instance goes away with its last fd: the chain's first link goes with it.
  close(outer);
  printf("re-adding the inner at the chain's bottom: %s\n", ctl(chain[1], EPOLL_CTL_ADD, ep, EPOLLIN, 0) < 0 ? strerrorname_np(errno) : "ok");
  for (int i = 1; i < 6; i++) close(chain[i]);
  close(ep); close(efd); close(tfd); close(p[0]); close(p[1]);

  // epoll_pwait2 with a timespec.
  ep = epoll_create1(0);
  pipe(p);
  ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN, 50);
  struct timespec ts = { 0, 10 * 1000000 };
  T(syscall(SYS_epoll_pwait2, ep, out, 4, &ts, NULL, 8));
  ts.tv_nsec = 2000000000;
  T(syscall(SYS_epoll_pwait2, ep, out, 4, &ts, NULL, 8));
  write(p[1], "w", 1);
  T(syscall(SYS_epoll_pwait2, ep, out, 4, NULL, NULL, 8));
  printf("data %llu\n", (unsigned long long)out[0].data.u64);
  close(ep); close(p[0]); close(p[1]);
}

// --- eventfd -------------------------------------------------------------------------------------

static void testEventfd(void) {
  printf("== eventfd\n");
  T(eventfd(0, 0x1000));
  int e = eventfd(5, 0);
  printf("flags O_RDWR %s, cloexec %d\n", yes(fcntl(e, F_GETFL) == O_RDWR), fcntl(e, F_GETFD));
  uint64_t v = 0;
  T(read(e, &v, 8));
  printf("counter %llu\n", (unsigned long long)v);
  T(read(e, &v, 4));
  T(write(e, &v, 7));
  close(e);

  e = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  printf("nonblock %s, cloexec %d\n", yes(fcntl(e, F_GETFL) & O_NONBLOCK), fcntl(e, F_GETFD));
  T(read(e, &v, 8));
  showEvents("zero", pollOne(e, POLLIN | POLLOUT, 0));
  v = 3; T(write(e, &v, 8));
  v = 4; T(write(e, &v, 8));
  showEvents("seven", pollOne(e, POLLIN | POLLOUT, 0));
  T(read(e, &v, sizeof v));
  printf("counter %llu\n", (unsigned long long)v);
  // The counter stops at 2^64 - 2.
  v = 0xfffffffffffffffeULL; T(write(e, &v, 8));
  showEvents("full", pollOne(e, POLLIN | POLLOUT, 0));
  v = 1; T(write(e, &v, 8));
  v = 0; T(write(e, &v, 8));
  v = UINT64_MAX; T(write(e, &v, 8));
  T(read(e, &v, 8));
  printf("counter %llu\n", (unsigned long long)v);
  close(e);

  // Semaphore mode: each read takes one.
  e = eventfd(3, EFD_SEMAPHORE | EFD_NONBLOCK);
  for (int i = 0; i < 4; i++) {
    v = 0;
    long r = read(e, &v, 8);
    printf("semaphore read %ld value %llu%s%s\n", r, (unsigned long long)v, r < 0 ? " " : "", r < 0 ? strerrorname_np(errno) : "");
  }
  close(e);

  // Blocking: a read waits for a child's write; a write waits for room.
  e = eventfd(0, 0);
  uint64_t seven = 7;
  pid_t c = lateWriter(e, &seven, 8, 50);
  T(read(e, &v, 8));
  printf("from the child %llu\n", (unsigned long long)v);
  reap(c);
  v = 0xfffffffffffffff0ULL; write(e, &v, 8);
  c = fork();
  if (c == 0) { uint64_t x; sleepMs(50); read(e, &x, 8); _exit(x == 0xfffffffffffffff0ULL ? 0 : 1); }
  v = 0x20;
  T(write(e, &v, 8));
  reap(c);
  T(read(e, &v, 8));
  printf("counter %llu\n", (unsigned long long)v);
  close(e);
}

// --- timerfd -------------------------------------------------------------------------------------

static long long specMs(const struct timespec *ts) { return ts->tv_sec * 1000LL + ts->tv_nsec / 1000000; }

static void testTimerfd(void) {
  printf("== timerfd\n");
  T(timerfd_create(CLOCK_PROCESS_CPUTIME_ID, 0));
  T(timerfd_create(CLOCK_MONOTONIC, 1));
  int t = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  printf("nonblock %s, cloexec %d\n", yes(fcntl(t, F_GETFL) & O_NONBLOCK), fcntl(t, F_GETFD));
  struct itimerspec cur;
  T(timerfd_gettime(t, &cur));
  printf("disarmed: %ld %ld %ld %ld\n", (long)cur.it_value.tv_sec, cur.it_value.tv_nsec, (long)cur.it_interval.tv_sec, cur.it_interval.tv_nsec);
  uint64_t v = 0;
  T(read(t, &v, 8));

  // One-shot.
  struct itimerspec its = { { 0, 0 }, { 1, 0 } };
  T(timerfd_settime(t, 0, &its, NULL));
  T(timerfd_gettime(t, &cur));
  printf("left in (0, 1000] ms: %s, no interval %s\n", yes(specMs(&cur.it_value) <= 1000 && (cur.it_value.tv_sec || cur.it_value.tv_nsec)), yes(!cur.it_interval.tv_sec && !cur.it_interval.tv_nsec));
  its.it_value = (struct timespec){ 0, 30 * 1000000 };
  T(timerfd_settime(t, 0, &its, NULL));
  T(read(t, &v, 8));
  T(read(t, &v, 4));
  showEvents("expired", pollOne(t, POLLIN, 5000));
  T(read(t, &v, 8));
  printf("expirations %llu\n", (unsigned long long)v);
  T(timerfd_gettime(t, &cur));
  printf("after: %ld %ld\n", (long)cur.it_value.tv_sec, cur.it_value.tv_nsec);
  T(read(t, &v, 8));

  // Periodic: the expirations pile up unread.
  its = (struct itimerspec){ { 0, 10 * 1000000 }, { 0, 10 * 1000000 } };
  T(timerfd_settime(t, 0, &its, NULL));
  sleepMs(60);
  T(read(t, &v, 8));
  printf("at least 3 expirations: %s\n", yes(v >= 3));
  T(timerfd_gettime(t, &cur));
  printf("interval %ld ms, next within it: %s\n", (long)specMs(&cur.it_interval), yes(specMs(&cur.it_value) <= 10));
  // The old setting comes back; a zero value disarms.
  struct itimerspec old, off = { { 0, 0 }, { 0, 0 } };
  T(timerfd_settime(t, 0, &off, &old));
  printf("old interval %ld ms\n", (long)specMs(&old.it_interval));
  sleepMs(20);
  T(read(t, &v, 8));

  // A blocking read waits for the expiry.
  int b = timerfd_create(CLOCK_REALTIME, 0);
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  its = (struct itimerspec){ { 0, 0 }, { now.tv_sec, now.tv_nsec } };
  its.it_value.tv_nsec += 30 * 1000000;
  if (its.it_value.tv_nsec >= 1000000000) { its.it_value.tv_sec++; its.it_value.tv_nsec -= 1000000000; }
  T(timerfd_settime(b, TFD_TIMER_ABSTIME, &its, NULL));
  T(read(b, &v, 8));
  printf("absolute realtime timer: %llu\n", (unsigned long long)v);
  // Absolute and already past: expires at once.
  its = (struct itimerspec){ { 0, 0 }, { 1, 0 } };
  T(timerfd_settime(b, TFD_TIMER_ABSTIME, &its, NULL));
  T(read(b, &v, 8));
  printf("in the past: %llu\n", (unsigned long long)v);
  close(b);

  // Errors.
  its.it_value.tv_nsec = 1000000000;
  T(timerfd_settime(t, 0, &its, NULL));
  its.it_value.tv_nsec = 0;
  T(timerfd_settime(t, 4, &its, NULL));
  T(timerfd_settime(0, 0, &its, NULL));
  T(timerfd_settime(99, 0, &its, NULL));
  T(timerfd_gettime(0, &cur));
  T(timerfd_settime(t, 0, (struct itimerspec *)bad, NULL));

  // Edge-triggered epoll on a periodic timer: one wakeup until it is read (it is re-armed by reads).
  int ep = epoll_create1(0);
  ctl(ep, EPOLL_CTL_ADD, t, EPOLLIN | EPOLLET, 60);
  its = (struct itimerspec){ { 0, 10 * 1000000 }, { 0, 10 * 1000000 } };
  timerfd_settime(t, 0, &its, NULL);
  showEpoll("ET periodic timer", ep, 4, 1000);
  showEpoll("ET periodic timer, unread", ep, 4, 50);
  T(read(t, &v, 8));
  showEpoll("ET periodic timer, after a read", ep, 4, 1000);
  close(ep);
  close(t);
}

// --- signalfd ------------------------------------------------------------------------------------

static volatile sig_atomic_t handled;
static void onSignal(int sig) { handled = sig; }

static void showSiginfo(const struct signalfd_siginfo *si) {
  printf("signo %u code %d from us %s int %d\n", si->ssi_signo, si->ssi_code, yes(si->ssi_pid == (uint32_t)getpid() && si->ssi_uid == getuid()), si->ssi_int);
}

static void testSignalfd(void) {
  printf("== signalfd\n");
  sigset_t mask, old;
  sigemptyset(&mask);
  sigaddset(&mask, SIGUSR1);
  sigaddset(&mask, SIGUSR2);
  sigprocmask(SIG_BLOCK, &mask, &old);
  T(signalfd(-1, &mask, 0x4));
  T(syscall(SYS_signalfd4, -1, &mask, 4, 0));
  T(syscall(SYS_signalfd4, -1, bad, 8, 0));
  int s = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
  printf("nonblock %s, cloexec %d\n", yes(fcntl(s, F_GETFL) & O_NONBLOCK), fcntl(s, F_GETFD));
  struct signalfd_siginfo si[2];
  T(read(s, si, sizeof si[0]));
  T(read(s, si, 100));
  showEvents("nothing pending", pollOne(s, POLLIN | POLLOUT, 0));
  raise(SIGUSR1);
  showEvents("SIGUSR1 pending", pollOne(s, POLLIN | POLLOUT, 0));
  T(read(s, si, sizeof si));
  showSiginfo(&si[0]);
  // Two at once: a kill and a queued value.
  kill(getpid(), SIGUSR2);
  union sigval val = { .sival_int = 42 };
  sigqueue(getpid(), SIGUSR1, val);
  T(read(s, si, sizeof si));
  showSiginfo(&si[0]);
  showSiginfo(&si[1]);
  // Only the signals of its set: SIGUSR2 stays pending when the set is changed to SIGUSR1.
  sigset_t only1;
  sigemptyset(&only1);
  sigaddset(&only1, SIGUSR1);
  T(signalfd(s, &only1, 0) == s);
  raise(SIGUSR2);
  T(read(s, si, sizeof si));
  sigset_t pending;
  sigpending(&pending);
  printf("SIGUSR2 still pending: %s\n", yes(sigismember(&pending, SIGUSR2)));
  T(signalfd(s, &mask, 0) == s);
  T(read(s, si, sizeof si));
  printf("then read: signo %u\n", si[0].ssi_signo);
  int p[2];
  pipe(p);
  T(signalfd(p[0], &mask, 0));
  T(signalfd(99, &mask, 0));

  // A blocking read waits for a child's kill; epoll sees it too.
  int b = signalfd(-1, &mask, 0);
  pid_t c = fork();
  if (c == 0) { sleepMs(50); kill(getppid(), SIGUSR1); _exit(0); }
  T(read(b, si, sizeof si[0]));
  printf("signo %u from the child %s code %d\n", si[0].ssi_signo, yes(si[0].ssi_pid == (uint32_t)c), si[0].ssi_code);
  reap(c);
  int ep = epoll_create1(0);
  ctl(ep, EPOLL_CTL_ADD, b, EPOLLIN, 70);
  showEpoll("signalfd idle", ep, 4, 0);
  c = fork();
  if (c == 0) { sleepMs(50); kill(getppid(), SIGUSR2); _exit(0); }
  showEpoll("signalfd woken", ep, 4, 5000);
  reap(c);
  T(read(b, si, sizeof si[0]));
  printf("signo %u\n", si[0].ssi_signo);
  close(ep); close(b); close(s); close(p[0]); close(p[1]);
  sigprocmask(SIG_SETMASK, &old, NULL);
}

// --- interrupted by a signal ---------------------------------------------------------------------

/** A child that sends SIGUSR1 to its parent every 20 ms until killed (so no wait can miss it). */
static pid_t nagger(void) {
  pid_t c = fork();
  if (c == 0) { for (;;) { sleepMs(20); kill(getppid(), SIGUSR1); } }
  return c;
}

static void stopNagger(pid_t c) {
  kill(c, SIGKILL);
  waitpid(c, NULL, 0);
}

static void testInterrupted(void) {
  printf("== interrupted\n");
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = onSignal;
  sigaction(SIGUSR1, &sa, NULL);
  int p[2];
  pipe(p);
  struct pollfd pf = { p[0], POLLIN, 0 };

  handled = 0;
  pid_t c = nagger();
  T(poll(&pf, 1, -1));
  printf("handler ran %s\n", yes(handled == SIGUSR1));
  stopNagger(c);

  // SA_RESTART does not restart poll, select or epoll_wait.
  sa.sa_flags = SA_RESTART;
  sigaction(SIGUSR1, &sa, NULL);
  handled = 0;
  c = nagger();
  fd_set r;
  FD_ZERO(&r);
  FD_SET(p[0], &r);
  T(select(p[0] + 1, &r, NULL, NULL, NULL));
  printf("handler ran %s\n", yes(handled == SIGUSR1));
  stopNagger(c);

  int ep = epoll_create1(0);
  ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN, 1);
  handled = 0;
  c = nagger();
  struct epoll_event ev;
  T(epoll_wait(ep, &ev, 1, -1));
  printf("handler ran %s\n", yes(handled == SIGUSR1));
  stopNagger(c);

  // ppoll, pselect and epoll_pwait let a blocked signal in while they wait, then block it again.
  sigset_t block, empty, now;
  sigemptyset(&block);
  sigaddset(&block, SIGUSR1);
  sigemptyset(&empty);
  sigprocmask(SIG_BLOCK, &block, NULL);
  handled = 0;
  c = nagger();
  T(ppoll(&pf, 1, NULL, &empty));
  sigprocmask(SIG_BLOCK, NULL, &now);
  printf("handler ran %s, blocked again %s\n", yes(handled == SIGUSR1), yes(sigismember(&now, SIGUSR1)));
  stopNagger(c);

  // A signal already pending and blocked is let in at once.
  raise(SIGUSR1);
  handled = 0;
  struct timespec ts = { 5, 0 };
  T(pselect(p[0] + 1, &r, NULL, NULL, &ts, &empty));
  sigprocmask(SIG_BLOCK, NULL, &now);
  printf("handler ran %s, blocked again %s\n", yes(handled == SIGUSR1), yes(sigismember(&now, SIGUSR1)));

  raise(SIGUSR1);
  handled = 0;
  T(epoll_pwait(ep, &ev, 1, 5000, &empty));
  sigprocmask(SIG_BLOCK, NULL, &now);
  printf("handler ran %s, blocked again %s\n", yes(handled == SIGUSR1), yes(sigismember(&now, SIGUSR1)));

  // Ready at once: the mask is back before the pending signal could be delivered.
  raise(SIGUSR1);
  write(p[1], "x", 1);
  handled = 0;
  sigset_t usr2;
  sigemptyset(&usr2);
  sigaddset(&usr2, SIGUSR2);
  T(ppoll(&pf, 1, &ts, &usr2));
  printf("handler ran %s\n", yes(handled));
  sigpending(&now);
  printf("SIGUSR1 still pending %s\n", yes(sigismember(&now, SIGUSR1)));
  sigprocmask(SIG_UNBLOCK, &block, NULL);
  printf("handler ran after unblocking %s\n", yes(handled == SIGUSR1));
  close(ep); close(p[0]); close(p[1]);
  signal(SIGUSR1, SIG_DFL);
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  if (argc < 2 || chdir(argv[1]) < 0) { perror("chdir"); return 2; }
  testPoll();
  testSelect();
  testEpoll();
  testEventfd();
  testTimerfd();
  testSignalfd();
  testInterrupted();
  printf("done\n");
  return 0;
}
