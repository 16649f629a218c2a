// An epoll server over pipes: six children each stream numbered messages into a pipe of their
// own at different paces; the parent multiplexes them with one epoll instance (level-triggered
// for some, edge-triggered with non-blocking reads until EAGAIN for the others), together with an
// eventfd the children count themselves done on, a signalfd for SIGCHLD to reap them, and a
// timerfd as a watchdog. It checks every stream arrived whole and in order. Output must match the
// native run byte for byte.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHILDREN 6
#define MESSAGES 200

enum { TAG_EVENTFD = 100, TAG_SIGNALFD, TAG_TIMER };

struct stream {
  int fd;
  int edge;
  char line[256];
  size_t have;
  int next;      // the message number expected next
  int messages;
  int disorder;
  long bytes;
  int closed;
};

static struct stream streams[CHILDREN];

static void child(int i, int fd, int done) {
  char msg[128];
  for (int m = 0; m < MESSAGES; m++) {
    // Lines of different lengths, some written in two pieces, with pauses now and then.
    int n = snprintf(msg, sizeof msg, "child %d message %d %.*s\n", i, m, (i * 13 + m * 7) % 60, "------------------------------------------------------------");
    if (m % 9 == 4) {
      if (write(fd, msg, n / 2) < 0 || write(fd, msg + n / 2, n - n / 2) < 0) _exit(10);
    } else if (write(fd, msg, n) != n) _exit(10);
    if ((m + i) % 40 == 0) usleep(1000 * (1 + i % 3));
  }
  uint64_t one = 1;
  if (write(done, &one, sizeof one) != sizeof one) _exit(11);
  _exit(i);
}

/** Takes complete lines out of the stream's buffer and checks their numbers. */
static void consume(struct stream *s, int i, const char *data, size_t n) {
  s->bytes += n;
  for (size_t k = 0; k < n; k++) {
    if (s->have < sizeof s->line - 1) s->line[s->have++] = data[k];
    if (data[k] != '\n') continue;
    s->line[s->have] = 0;
    int who = -1, num = -1;
    if (sscanf(s->line, "child %d message %d", &who, &num) != 2 || who != i || num != s->next) s->disorder++;
    s->next = num + 1;
    s->messages++;
    s->have = 0;
  }
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  if (argc < 2 || chdir(argv[1]) < 0) { perror("chdir"); return 2; }

  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  sigprocmask(SIG_BLOCK, &chld, NULL);
  int ep = epoll_create1(EPOLL_CLOEXEC);
  int done = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  int sfd = signalfd(-1, &chld, SFD_NONBLOCK | SFD_CLOEXEC);
  int watchdog = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
  struct itimerspec limit = { { 0, 0 }, { 60, 0 } };
  timerfd_settime(watchdog, 0, &limit, NULL);
  struct epoll_event e = { .events = EPOLLIN };
  e.data.u32 = TAG_EVENTFD; epoll_ctl(ep, EPOLL_CTL_ADD, done, &e);
  e.data.u32 = TAG_SIGNALFD; epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &e);
  e.data.u32 = TAG_TIMER; epoll_ctl(ep, EPOLL_CTL_ADD, watchdog, &e);

  pid_t pids[CHILDREN];
  for (int i = 0; i < CHILDREN; i++) {
    int p[2];
    if (pipe(p) < 0) { perror("pipe"); return 1; }
    pid_t c = fork();
    if (c == 0) {
      close(p[0]);
      for (int j = 0; j < i; j++) close(streams[j].fd);
      child(i, p[1], done);
    }
    pids[i] = c;
    close(p[1]);
    struct stream *s = &streams[i];
    s->fd = p[0];
    s->edge = i % 2;
    if (s->edge) fcntl(p[0], F_SETFL, O_NONBLOCK);
    e.events = EPOLLIN | (s->edge ? EPOLLET : 0);
    e.data.u32 = i;
    epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &e);
  }

  int closed = 0, reaped = 0, statusSum = 0, wakeups = 0;
  uint64_t finished = 0;
  char buf[1000];
  while (closed < CHILDREN || reaped < CHILDREN || finished < CHILDREN) {
    struct epoll_event ev[4];
    int n = epoll_wait(ep, ev, 4, -1);
    if (n < 0) { if (errno == EINTR) continue; perror("epoll_wait"); return 1; }
    wakeups++;
    for (int k = 0; k < n; k++) {
      uint32_t tag = ev[k].data.u32;
      if (tag == TAG_TIMER) { printf("watchdog fired: closed %d reaped %d finished %llu\n", closed, reaped, (unsigned long long)finished); return 1; }
      if (tag == TAG_EVENTFD) {
        uint64_t v;
        if (read(done, &v, sizeof v) == sizeof v) finished += v;
        continue;
      }
      if (tag == TAG_SIGNALFD) {
        struct signalfd_siginfo si;
        while (read(sfd, &si, sizeof si) == sizeof si) {
          if (si.ssi_signo != SIGCHLD) printf("unexpected signal %u\n", si.ssi_signo);
        }
        int st;
        pid_t c;
        while ((c = waitpid(-1, &st, WNOHANG)) > 0) {
          for (int i = 0; i < CHILDREN; i++) if (pids[i] == c) { reaped++; statusSum += WIFEXITED(st) ? WEXITSTATUS(st) : 100; }
        }
        continue;
      }
      struct stream *s = &streams[tag];
      // Edge-triggered streams must be read until they are empty; level-triggered ones take one read.
      for (;;) {
        ssize_t got = read(s->fd, buf, sizeof buf);
        if (got > 0) { consume(s, tag, buf, got); if (!s->edge) break; continue; }
        if (got == 0) {
          epoll_ctl(ep, EPOLL_CTL_DEL, s->fd, NULL);
          close(s->fd);
          s->closed = 1;
          closed++;
        } else if (errno != EAGAIN) printf("read: %s\n", strerrorname_np(errno));
        break;
      }
    }
  }

  for (int i = 0; i < CHILDREN; i++) {
    struct stream *s = &streams[i];
    printf("child %d (%s): %d messages, %ld bytes, %s, leftover %zu\n", i, s->edge ? "edge" : "level",
           s->messages, s->bytes, s->disorder ? "OUT OF ORDER" : "in order", s->have);
  }
  printf("finished %llu, reaped %d, exit statuses sum %d, woken more than once: %s\n", (unsigned long long)finished, reaped,
         statusSum, wakeups > 1 ? "yes" : "no");
  struct itimerspec left;
  timerfd_gettime(watchdog, &left);
  printf("watchdog still armed: %s\n", left.it_value.tv_sec > 0 || left.it_value.tv_nsec > 0 ? "yes" : "no");
  // A SIGCHLD may still be queued for a child reaped with an earlier one's.
  struct signalfd_siginfo si;
  while (read(sfd, &si, sizeof si) == sizeof si) {}
  struct epoll_event ev[4];
  printf("nothing left: %d\n", epoll_wait(ep, ev, 4, 0));
  return 0;
}
