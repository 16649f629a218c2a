/* File-lock conformance: fcntl record locks (F_SETLK/F_GETLK), open-file-description locks
 * (F_OFD_*) and flock(2), in one process, in an empty directory given as argv[1]. A process never
 * conflicts with its own POSIX locks, so they are observed through F_OFD_GETLK on a description
 * that holds nothing. Prints one line per call (its result or errno name) and the locks seen;
 * pids only as comparisons, since native and sandbox pids differ. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/syscall.h>
#include <unistd.h>

static void report(const char *what, long r) {
  if (r < 0) printf("%-48s -1 %s\n", what, strerrorname_np(errno));
  else printf("%-48s %ld\n", what, r);
}
#define T(call) report(#call, (long)(call))

static const char *type_name(int t) {
  switch (t) {
    case F_RDLCK: return "F_RDLCK";
    case F_WRLCK: return "F_WRLCK";
    case F_UNLCK: return "F_UNLCK";
    default: return "?";
  }
}

static const char *pid_name(pid_t p) {
  if (p == -1) return "-1";
  if (p == 0) return "0";
  return p == getpid() ? "getpid()" : "other";
}

/* fcntl(fd, cmd, {type, whence, start, len, pid}); prints the call and its result. */
static int lk(const char *label, int fd, int cmd, int type, int whence, long long start, long long len, pid_t pid) {
  struct flock fl;
  memset(&fl, 0, sizeof fl);
  fl.l_type = type; fl.l_whence = whence; fl.l_start = start; fl.l_len = len; fl.l_pid = pid;
  int r = fcntl(fd, cmd, &fl);
  char what[96];
  snprintf(what, sizeof what, "%s(%s %lld %lld)", label, type_name(type), start, len);
  report(what, r);
  return r;
}
#define SETLK(fd, type, start, len) lk("F_SETLK", fd, F_SETLK, type, SEEK_SET, start, len, 0)
#define OFDLK(fd, type, start, len) lk("F_OFD_SETLK", fd, F_OFD_SETLK, type, SEEK_SET, start, len, 0)

/* F_GETLK or F_OFD_GETLK: prints every field that comes back. */
static void getlk(const char *label, int fd, int cmd, int type, int whence, long long start, long long len) {
  struct flock fl;
  memset(&fl, 0, sizeof fl);
  fl.l_type = type; fl.l_whence = whence; fl.l_start = start; fl.l_len = len;
  int r = fcntl(fd, cmd, &fl);
  if (r < 0) { printf("%-48s -1 %s\n", label, strerrorname_np(errno)); return; }
  printf("%-48s %s whence %d start %lld len %lld pid %s\n", label, type_name(fl.l_type), fl.l_whence,
         (long long)fl.l_start, (long long)fl.l_len, pid_name(fl.l_pid));
}

/* Lists the locks another owner sees, lowest first: probes with a write lock from `pos` to EOF
 * through `fd`, a description that holds no locks (exact while the others have one owner). */
static void dump(const char *label, int fd) {
  printf("locks %s:", label);
  long long pos = 0;
  for (int n = 0; n < 32; n++) {
    struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = pos, .l_len = 0 };
    if (fcntl(fd, F_OFD_GETLK, &fl) < 0) { printf(" error %s", strerrorname_np(errno)); break; }
    if (fl.l_type == F_UNLCK) break;
    printf(" [%s %lld+%lld pid %s]", fl.l_type == F_RDLCK ? "R" : "W", (long long)fl.l_start, (long long)fl.l_len,
           pid_name(fl.l_pid));
    if (fl.l_len == 0) break;
    pos = fl.l_start + fl.l_len;
  }
  printf("\n");
}

static int make_file(const char *name, int size) {
  int fd = open(name, O_CREAT | O_RDWR | O_TRUNC, 0644);
  char buf[256];
  memset(buf, 'x', sizeof buf);
  if (fd >= 0 && size > 0 && write(fd, buf, size) != size) printf("short write\n");
  return fd;
}

static void posix_ranges(void) {
  printf("-- POSIX ranges, split and merge\n");
  int fd1 = make_file("f", 100), fd2 = open("f", O_RDWR), probe = open("f", O_RDONLY);
  SETLK(fd1, F_WRLCK, 0, 10); dump("after W 0+10", probe);
  getlk("F_GETLK via the other fd", fd2, F_GETLK, F_WRLCK, SEEK_SET, 0, 10);
  SETLK(fd2, F_RDLCK, 5, 10); dump("after R 5+10 via fd2", probe);
  SETLK(fd1, F_WRLCK, 0, 100); dump("after W 0+100", probe);
  SETLK(fd1, F_UNLCK, 40, 20); dump("after UNLCK 40+20", probe);
  SETLK(fd1, F_WRLCK, 40, 20); dump("after W 40+20 (merge)", probe);
  SETLK(fd1, F_WRLCK, 100, 10); dump("after W 100+10 (adjacent)", probe);
  SETLK(fd1, F_RDLCK, 20, 10); dump("after R 20+10 (downgrade)", probe);
  SETLK(fd1, F_RDLCK, 30, 5); dump("after R 30+5 (grow the read lock)", probe);
  SETLK(fd1, F_WRLCK, 20, 15); dump("after W 20+15 (upgrade)", probe);
  SETLK(fd1, F_UNLCK, 0, 5); dump("after UNLCK 0+5", probe);
  SETLK(fd1, F_UNLCK, 100, 0); dump("after UNLCK 100+0 (to EOF)", probe);
  SETLK(fd1, F_RDLCK, 200, 0); dump("after R 200+0", probe);
  SETLK(fd1, F_RDLCK, 110, 0); dump("after R 110+0 (merges to EOF)", probe);
  SETLK(fd1, F_WRLCK, 150, 10); dump("after W 150+10 (inside a lock to EOF)", probe);
  getlk("F_OFD_GETLK R 0+0", probe, F_OFD_GETLK, F_RDLCK, SEEK_SET, 0, 0);
  getlk("F_OFD_GETLK R 160+0", probe, F_OFD_GETLK, F_RDLCK, SEEK_SET, 160, 0);
  getlk("F_OFD_GETLK W 300+10", probe, F_OFD_GETLK, F_WRLCK, SEEK_SET, 300, 10);
  getlk("F_OFD_GETLK W 1+3", probe, F_OFD_GETLK, F_WRLCK, SEEK_SET, 1, 3);
  getlk("F_OFD_GETLK W 0+5 (free: fields kept)", probe, F_OFD_GETLK, F_WRLCK, SEEK_CUR, 0, 5);
  SETLK(fd1, F_UNLCK, 0, 0); dump("after UNLCK 0+0", probe);
  close(fd1); close(fd2); close(probe);
}

static void posix_whence(void) {
  printf("-- l_whence and l_len\n");
  int fd = make_file("w", 100), probe = open("w", O_RDONLY);
  T(lseek(fd, 50, SEEK_SET));
  lk("SEEK_CUR", fd, F_SETLK, F_WRLCK, SEEK_CUR, -10, 5, 0); dump("after SEEK_CUR -10+5", probe);
  lk("SEEK_END", fd, F_SETLK, F_WRLCK, SEEK_END, 0, 0, 0); dump("after SEEK_END 0+0", probe);
  lk("SEEK_END", fd, F_SETLK, F_UNLCK, SEEK_END, -20, 10, 0); dump("after SEEK_END UNLCK -20+10", probe);
  lk("SEEK_SET", fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0, 0);
  lk("len < 0", fd, F_SETLK, F_WRLCK, SEEK_SET, 30, -10, 0); dump("after 30-10", probe);
  lk("len < 0 SEEK_CUR", fd, F_SETLK, F_RDLCK, SEEK_CUR, 0, -50, 0); dump("after SEEK_CUR 0-50", probe);
  lk("len < 0 below 0", fd, F_SETLK, F_WRLCK, SEEK_SET, 5, -10, 0);
  lk("len < 0 to 0", fd, F_SETLK, F_WRLCK, SEEK_SET, 5, -5, 0);
  lk("start < 0", fd, F_SETLK, F_WRLCK, SEEK_SET, -1, 5, 0);
  lk("SEEK_CUR start < 0", fd, F_SETLK, F_WRLCK, SEEK_CUR, -51, 5, 0);
  lk("SEEK_END start < 0", fd, F_SETLK, F_WRLCK, SEEK_END, -101, 0, 0);
  lk("start LLONG_MAX", fd, F_SETLK, F_WRLCK, SEEK_SET, LLONG_MAX, 1, 0);
  lk("SEEK_END start LLONG_MAX", fd, F_SETLK, F_WRLCK, SEEK_END, LLONG_MAX, 1, 0);
  lk("SEEK_CUR start LLONG_MAX-50", fd, F_SETLK, F_WRLCK, SEEK_CUR, LLONG_MAX - 50, 1, 0);
  lk("SEEK_CUR start LLONG_MAX-49", fd, F_SETLK, F_WRLCK, SEEK_CUR, LLONG_MAX - 49, 1, 0);
  lk("len LLONG_MAX from 1", fd, F_SETLK, F_WRLCK, SEEK_SET, 1, LLONG_MAX, 0);
  dump("after 1+LLONG_MAX", probe);
  lk("len LLONG_MAX from 2", fd, F_SETLK, F_WRLCK, SEEK_SET, 2, LLONG_MAX, 0);
  lk("len LLONG_MIN", fd, F_SETLK, F_WRLCK, SEEK_SET, 10, LLONG_MIN, 0);
  lk("unlock all", fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0, 0);
  lk("high range", fd, F_SETLK, F_WRLCK, SEEK_SET, LLONG_MAX - 100, 50, 0);
  lk("ending at OFFSET_MAX", fd, F_SETLK, F_RDLCK, SEEK_SET, LLONG_MAX - 4, 5, 0);
  getlk("F_OFD_GETLK high", probe, F_OFD_GETLK, F_WRLCK, SEEK_SET, LLONG_MAX - 200, 0);
  getlk("F_OFD_GETLK at OFFSET_MAX", probe, F_OFD_GETLK, F_WRLCK, SEEK_END, LLONG_MAX - 100, 0);
  getlk("F_OFD_GETLK overflow", probe, F_OFD_GETLK, F_WRLCK, SEEK_END, LLONG_MAX - 99, 0);
  getlk("F_GETLK len < 0 SEEK_END", fd, F_GETLK, F_WRLCK, SEEK_END, 0, -100);
  close(fd); close(probe);
}

static void posix_errors(void) {
  printf("-- errors\n");
  int fd = make_file("e", 10), ro = open("e", O_RDONLY), wo = open("e", O_WRONLY), path = open("e", O_PATH);
  lk("bad type", fd, F_SETLK, 3, SEEK_SET, 0, 1, 0);
  lk("bad type -1", fd, F_SETLK, -1, SEEK_SET, 0, 1, 0);
  lk("bad whence", fd, F_SETLK, F_WRLCK, 3, 0, 1, 0);
  lk("bad whence -1", fd, F_SETLK, F_WRLCK, -1, 0, 1, 0);
  lk("bad whence and type", fd, F_SETLK, 9, 7, 0, 1, 0);
  lk("bad type, overflow", fd, F_SETLK, 9, SEEK_END, LLONG_MAX, 1, 0);
  lk("bad type, start < 0", fd, F_SETLK, 9, SEEK_SET, -1, 1, 0);
  lk("F_GETLK bad type", fd, F_GETLK, 7, SEEK_SET, 0, 1, 0);
  lk("F_GETLK F_UNLCK", fd, F_GETLK, F_UNLCK, SEEK_SET, 0, 1, 0);
  lk("F_GETLK bad whence", fd, F_GETLK, F_RDLCK, 5, 0, 1, 0);
  lk("F_SETLKW bad type", fd, F_SETLKW, 3, SEEK_SET, 0, 1, 0);
  lk("F_OFD_GETLK bad type", fd, F_OFD_GETLK, 3, SEEK_SET, 0, 1, 0);
  lk("F_WRLCK on O_RDONLY", ro, F_SETLK, F_WRLCK, SEEK_SET, 0, 1, 0);
  lk("F_RDLCK on O_RDONLY", ro, F_SETLK, F_RDLCK, SEEK_SET, 0, 1, 0);
  lk("F_UNLCK on O_RDONLY", ro, F_SETLK, F_UNLCK, SEEK_SET, 0, 1, 0);
  lk("F_RDLCK on O_WRONLY", wo, F_SETLK, F_RDLCK, SEEK_SET, 0, 1, 0);
  lk("F_WRLCK on O_WRONLY", wo, F_SETLK, F_WRLCK, SEEK_SET, 0, 1, 0);
  lk("F_WRLCK on O_RDONLY, bad whence", ro, F_SETLK, F_WRLCK, 4, 0, 1, 0);
  lk("F_OFD_SETLK F_WRLCK on O_RDONLY", ro, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 1, 0);
  lk("F_OFD_SETLK on O_RDONLY, pid 1", ro, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 1, 1);
  lk("F_SETLKW F_RDLCK on O_WRONLY", wo, F_SETLKW, F_RDLCK, SEEK_SET, 0, 1, 0);
  lk("F_GETLK F_WRLCK on O_RDONLY", ro, F_GETLK, F_WRLCK, SEEK_SET, 0, 1, 0);
  lk("F_SETLK on O_PATH", path, F_SETLK, F_RDLCK, SEEK_SET, 0, 1, 0);
  lk("F_GETLK on O_PATH", path, F_GETLK, F_RDLCK, SEEK_SET, 0, 1, 0);
  lk("F_OFD_SETLK on O_PATH", path, F_OFD_SETLK, F_RDLCK, SEEK_SET, 0, 1, 0);
  lk("F_SETLK on fd -1", -1, F_SETLK, F_RDLCK, SEEK_SET, 0, 1, 0);
  lk("F_SETLK on a closed fd", 99, F_SETLK, F_RDLCK, SEEK_SET, 0, 1, 0);
  lk("F_OFD_GETLK on a closed fd", 99, F_OFD_GETLK, F_RDLCK, SEEK_SET, 0, 1, 0);
  lk("F_OFD_SETLK pid 1", fd, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 1, 1);
  lk("F_OFD_SETLK pid -1", fd, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 1, -1);
  lk("F_OFD_SETLKW pid 1", fd, F_OFD_SETLKW, F_WRLCK, SEEK_SET, 0, 1, 1);
  lk("F_OFD_GETLK pid 1", fd, F_OFD_GETLK, F_WRLCK, SEEK_SET, 0, 1, 1);
  lk("F_OFD_SETLK pid 1, bad type", fd, F_OFD_SETLK, 5, SEEK_SET, 0, 1, 1);
  lk("F_OFD_SETLK F_UNLCK pid 1", fd, F_OFD_SETLK, F_UNLCK, SEEK_SET, 0, 1, 1);
  lk("F_SETLK pid 12345 (ignored)", fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 1, 12345);
  lk("unlock", fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0, 0);
  T(syscall(SYS_fcntl, fd, F_SETLK, (void *)1));
  T(syscall(SYS_fcntl, fd, F_SETLKW, (void *)1));
  T(syscall(SYS_fcntl, fd, F_GETLK, (void *)1));
  T(syscall(SYS_fcntl, fd, F_OFD_SETLK, (void *)1));
  T(syscall(SYS_fcntl, fd, F_OFD_SETLKW, (void *)1));
  T(syscall(SYS_fcntl, fd, F_OFD_GETLK, (void *)1));
  T(syscall(SYS_fcntl, 99, F_GETLK, (void *)1));
  T(syscall(SYS_fcntl, fd, F_GETLK, NULL));
  /* A read-only page: F_GETLK reads the struct, then fails to write it back. */
  static const struct flock ro_lock = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1 };
  T(syscall(SYS_fcntl, fd, F_GETLK, &ro_lock));
  T(syscall(SYS_fcntl, fd, F_SETLK, &ro_lock));
  T(syscall(SYS_fcntl, fd, 39, 0));
  close(fd); close(ro); close(wo); close(path);
}

static void posix_close(void) {
  printf("-- closing any fd drops the process's POSIX locks on the file\n");
  int fd1 = make_file("c", 10), fd2 = open("c", O_RDONLY), probe = open("c", O_RDONLY);
  int other = make_file("other", 0);
  SETLK(fd1, F_WRLCK, 0, 5); SETLK(fd1, F_RDLCK, 6, 2); dump("locked", probe);
  T(close(other)); dump("after closing a fd of another file", probe);
  T(close(fd2)); dump("after closing the other fd of the file", probe);
  SETLK(fd1, F_WRLCK, 0, 5);
  int d = dup(fd1);
  T(close(d)); dump("after closing a dup", probe);
  SETLK(fd1, F_WRLCK, 0, 5);
  fd2 = open("c", O_RDWR);
  other = open("other", O_RDONLY);
  T(dup2(other, fd2) == fd2); dump("after dup2 over the other fd", probe);
  SETLK(fd1, F_WRLCK, 0, 5);
  T(dup2(fd1, fd2) == fd2); dump("after dup2 of fd1 onto a fd of another file", probe);
  T(dup3(other, fd2, O_CLOEXEC) == fd2); dump("after dup3 over a dup of fd1", probe);
  SETLK(fd1, F_WRLCK, 0, 5);
  fd2 = open("c", O_RDWR);
  T(syscall(SYS_close_range, fd2, fd2, 0)); dump("after close_range of the other fd", probe);
  SETLK(fd1, F_WRLCK, 0, 5);
  fd2 = open("c", O_RDWR);
  T(syscall(SYS_close_range, fd2, fd2, 4 /* CLOSE_RANGE_CLOEXEC */)); dump("after close_range CLOEXEC (not closed)", probe);
  T(close(fd2)); dump("after closing it", probe);
  /* The probe's own OFD locks are not POSIX locks: closing fd1 leaves them. */
  OFDLK(probe, F_RDLCK, 0, 1);
  int probe2 = open("c", O_RDONLY);
  SETLK(fd1, F_WRLCK, 3, 2); T(close(fd1)); dump("OFD lock after closing fd1", probe2);
  close(probe); close(probe2); close(other);
}

static void ofd_locks(void) {
  printf("-- OFD locks\n");
  int a = make_file("o", 50), b = open("o", O_RDWR), probe = open("o", O_RDONLY), p = open("o", O_RDWR);
  OFDLK(a, F_WRLCK, 0, 10);
  OFDLK(b, F_WRLCK, 5, 10);
  getlk("F_OFD_GETLK b W 5+10", b, F_OFD_GETLK, F_WRLCK, SEEK_SET, 5, 10);
  OFDLK(b, F_RDLCK, 10, 10);
  OFDLK(b, F_RDLCK, 0, 1);
  getlk("F_OFD_GETLK a W 0+0", a, F_OFD_GETLK, F_WRLCK, SEEK_SET, 0, 0);
  getlk("F_OFD_GETLK a R 0+0", a, F_OFD_GETLK, F_RDLCK, SEEK_SET, 0, 0);
  OFDLK(a, F_RDLCK, 12, 3);
  OFDLK(a, F_WRLCK, 12, 3);
  printf("-- OFD against POSIX\n");
  SETLK(p, F_WRLCK, 0, 5);
  getlk("F_GETLK W 0+5", p, F_GETLK, F_WRLCK, SEEK_SET, 0, 5);
  SETLK(p, F_RDLCK, 15, 5);
  SETLK(p, F_RDLCK, 40, 5);
  getlk("F_GETLK W 0+0", p, F_GETLK, F_WRLCK, SEEK_SET, 0, 0);
  getlk("F_GETLK W 20+0", p, F_GETLK, F_WRLCK, SEEK_SET, 20, 0);
  OFDLK(a, F_WRLCK, 15, 1);
  getlk("F_OFD_GETLK b W 15+5", b, F_OFD_GETLK, F_WRLCK, SEEK_SET, 15, 5);
  getlk("F_OFD_GETLK b W 20+0", b, F_OFD_GETLK, F_WRLCK, SEEK_SET, 20, 0);
  OFDLK(b, F_WRLCK, 40, 1);
  getlk("F_OFD_GETLK probe R 40+1", probe, F_OFD_GETLK, F_RDLCK, SEEK_SET, 40, 1);
  lk("F_SETLKW no wait", p, F_SETLKW, F_WRLCK, SEEK_SET, 30, 5, 0);
  lk("F_OFD_SETLKW no wait", b, F_OFD_SETLKW, F_WRLCK, SEEK_SET, 25, 5, 0);
  lk("F_OFD_SETLKW conflicting with nothing", a, F_OFD_SETLKW, F_RDLCK, SEEK_SET, 45, 0, 0);
  SETLK(p, F_UNLCK, 0, 0);
  printf("-- OFD locks split and merge\n");
  OFDLK(b, F_UNLCK, 0, 0);
  OFDLK(a, F_UNLCK, 0, 0);
  OFDLK(a, F_WRLCK, 0, 30); dump("a W 0+30", probe);
  OFDLK(a, F_UNLCK, 10, 5); dump("a UNLCK 10+5", probe);
  OFDLK(a, F_RDLCK, 20, 0); dump("a R 20+0", probe);
  OFDLK(a, F_WRLCK, 8, 4); dump("a W 8+4", probe);
  OFDLK(a, F_WRLCK, 12, 3); dump("a W 12+3", probe);
  lk("a R SEEK_END before 0", a, F_OFD_SETLK, F_RDLCK, SEEK_END, -60, 10, 0);
  lk("a W SEEK_END", a, F_OFD_SETLK, F_WRLCK, SEEK_END, -40, 10, 0);
  dump("a W SEEK_END -40+10", probe);
  T(lseek(a, 25, SEEK_SET));
  lk("a UNLCK SEEK_CUR", a, F_OFD_SETLK, F_UNLCK, SEEK_CUR, -5, -5, 0);
  dump("a UNLCK SEEK_CUR -5-5", probe);
  printf("-- OFD locks live until the last fd of the description closes\n");
  int c = dup(a);
  T(close(c)); dump("after closing a dup of a", probe);
  c = dup(a);
  T(close(a)); dump("after closing a (its dup is open)", probe);
  T(close(p)); dump("after closing a POSIX fd of the file", probe);
  T(close(c)); dump("after closing the last fd", probe);
  close(b); close(probe);
}

static void flocks(void) {
  printf("-- flock\n");
  int a = make_file("l", 10), b = open("l", O_RDONLY), wo = open("l", O_WRONLY), path = open("l", O_PATH);
  T(flock(a, LOCK_EX | LOCK_NB));
  T(flock(b, LOCK_EX | LOCK_NB));
  T(flock(b, LOCK_SH | LOCK_NB));
  T(flock(a, LOCK_EX | LOCK_NB));
  T(flock(a, LOCK_UN));
  T(flock(b, LOCK_SH | LOCK_NB));
  T(flock(a, LOCK_SH | LOCK_NB));
  T(flock(wo, LOCK_SH));
  T(flock(a, LOCK_EX | LOCK_NB)); /* fails, and a's shared lock is gone: conversion is not atomic */
  T(flock(wo, LOCK_UN));
  T(flock(b, LOCK_EX | LOCK_NB)); /* b upgrades: nobody else holds it now */
  T(flock(a, LOCK_SH | LOCK_NB));
  T(flock(b, LOCK_SH)); /* downgrade */
  T(flock(a, LOCK_SH | LOCK_NB));
  T(flock(a, LOCK_UN));
  T(flock(a, LOCK_UN));
  T(flock(b, LOCK_UN));
  printf("-- flock: dup'd fds share one lock\n");
  T(flock(a, LOCK_EX));
  int c = dup(a);
  T(flock(c, LOCK_EX | LOCK_NB));
  T(flock(c, LOCK_UN));
  T(flock(b, LOCK_EX | LOCK_NB));
  T(flock(a, LOCK_SH | LOCK_NB));
  T(flock(b, LOCK_UN));
  T(flock(c, LOCK_EX | LOCK_NB));
  T(close(a));
  T(flock(b, LOCK_SH | LOCK_NB));
  T(close(c));
  T(flock(b, LOCK_EX | LOCK_NB));
  printf("-- flock and fcntl locks are independent\n");
  a = open("l", O_RDWR);
  int probe = open("l", O_RDONLY);
  SETLK(a, F_WRLCK, 0, 0);
  OFDLK(probe, F_RDLCK, 0, 0);
  getlk("F_OFD_GETLK b W 0+0", b, F_OFD_GETLK, F_WRLCK, SEEK_SET, 0, 0);
  T(flock(probe, LOCK_SH | LOCK_NB));
  T(flock(a, LOCK_UN));
  T(close(a)); /* drops the POSIX lock, not b's flock */
  T(flock(probe, LOCK_SH | LOCK_NB));
  T(flock(b, LOCK_UN));
  T(flock(probe, LOCK_SH | LOCK_NB));
  close(probe);
  printf("-- flock errors\n");
  T(flock(b, 0));
  T(flock(b, LOCK_SH | LOCK_EX));
  T(flock(b, LOCK_NB));
  T(flock(b, 16));
  T(flock(b, LOCK_UN | LOCK_NB));
  T(flock(b, LOCK_UN | LOCK_SH));
  T(flock(-1, LOCK_SH));
  T(flock(99, LOCK_UN));
  T(flock(-1, 0));
  T(flock(99, LOCK_SH | LOCK_EX));
  T(flock(path, LOCK_SH));
  T(flock(path, LOCK_UN));
  T(flock(wo, LOCK_EX | LOCK_NB));
  T(flock(wo, LOCK_UN));
  int dir = open(".", O_RDONLY | O_DIRECTORY);
  T(flock(dir, LOCK_EX | LOCK_NB));
  lk("F_SETLK on a directory", dir, F_SETLK, F_RDLCK, SEEK_SET, 0, 0, 0);
  lk("F_SETLK W on a directory", dir, F_SETLK, F_WRLCK, SEEK_SET, 0, 0, 0);
  close(dir); close(b); close(wo); close(path);
}

static void unlinked(void) {
  printf("-- locks stay with the inode across unlink and rename\n");
  int a = make_file("u", 10), b = open("u", O_RDWR);
  OFDLK(a, F_WRLCK, 0, 0);
  T(flock(a, LOCK_EX | LOCK_NB));
  T(rename("u", "u2"));
  int c = open("u2", O_RDWR);
  OFDLK(c, F_RDLCK, 0, 1);
  T(flock(c, LOCK_SH | LOCK_NB));
  T(unlink("u2"));
  OFDLK(b, F_RDLCK, 0, 1);
  T(flock(b, LOCK_SH | LOCK_NB));
  T(close(a));
  OFDLK(b, F_RDLCK, 0, 1);
  T(flock(b, LOCK_SH | LOCK_NB));
  close(b); close(c);
}

static void host_file(void) {
  printf("-- a file of the host (read-only): two opens share its locks\n");
  int a = open("/proc/self/exe", O_RDONLY), b = open("/proc/self/exe", O_RDONLY);
  T(flock(a, LOCK_EX | LOCK_NB));
  T(flock(b, LOCK_SH | LOCK_NB));
  OFDLK(a, F_RDLCK, 0, 100);
  getlk("F_OFD_GETLK W 50+0 on the host file", b, F_OFD_GETLK, F_WRLCK, SEEK_SET, 50, 0);
  OFDLK(b, F_WRLCK, 0, 1);
  T(close(a));
  T(flock(b, LOCK_SH | LOCK_NB));
  getlk("F_OFD_GETLK after close", b, F_OFD_GETLK, F_WRLCK, SEEK_SET, 0, 0);
  close(b);
}

int main(int argc, char **argv) {
  if (argc < 2 || chdir(argv[1]) < 0) { perror("chdir"); return 2; }
  setvbuf(stdout, NULL, _IOLBF, 0);
  posix_ranges();
  posix_whence();
  posix_errors();
  posix_close();
  ofd_locks();
  flocks();
  unlinked();
  host_file();
  printf("pid check: getpid() == syscall(SYS_getpid): %s\n", getpid() == syscall(SYS_getpid) ? "yes" : "no");
  return 0;
}
