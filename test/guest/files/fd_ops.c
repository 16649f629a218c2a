/* Descriptor conformance: open flags, the dup family, fcntl, every read/write variant, lseek, the
 * stat family and statx, getdents64, readlink, access, the cwd calls, sync, statfs, fallocate,
 * sendfile, copy_file_range and close_range, each with its error cases, run in an empty directory
 * given as argv[1]. Prints one line per call: its result or errno name.
 *
 * The native run is on the host's filesystem (ext4 or overlay under /tmp), the sandbox's on its
 * tmpfs overlay, so only what does not depend on the filesystem is printed: no inode numbers,
 * devices, st_blocks, directory sizes, f_type or times; directory entries sorted by name; holes
 * only at page-aligned offsets (ext4's block and tmpfs's page are both 4 KiB). The directory's
 * absolute path differs between the runs too, so paths are compared, never printed.
 *
 * Not here: ESPIPE and splice/tee need pipes, and FIFOs are not opened (pipes come later); the
 * file offset of a description shared by fork needs processes; SEEK_DATA over a fallocated range
 * never written (a hole to Linux, data still to the Sentry's tmpfs page map). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <sys/xattr.h>
#include <unistd.h>

/* Newer than this glibc's headers (linux/fs.h). */
#ifndef RWF_NOAPPEND
#define RWF_NOAPPEND 0x20
#endif
#ifndef RWF_ATOMIC
#define RWF_ATOMIC 0x40
#endif

static void report(const char *what, long r) {
  if (r < 0) printf("%-48s -1 %s\n", what, strerrorname_np(errno));
  else printf("%-48s %ld\n", what, r);
}
#define T(call) report(#call, (long)(call))
/* For calls that return a new fd: report it and close it again, so later fd numbers do not depend on it. */
#define TO(call) do { long fd_ = (long)(call); report(#call, fd_); if (fd_ >= 0) close((int)fd_); } while (0)

/* An address no program maps: the kernel must answer EFAULT, not crash. volatile keeps gcc from
 * reasoning about it. */
static void *volatile bad = (void *)16;
/* iovec counts out of range, hidden from gcc's access checks likewise. */
static volatile int minus1 = -1, too_many = IOV_MAX + 1;

static char cwd0[PATH_MAX];

static int mkfile(const char *path, const char *data, mode_t mode) {
  int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, mode);
  if (fd < 0) { printf("mkfile %s: %s\n", path, strerrorname_np(errno)); return -1; }
  if (write(fd, data, strlen(data)) != (ssize_t)strlen(data)) printf("mkfile %s: short write\n", path);
  close(fd);
  return 0;
}

static void cat(const char *path) {
  char buf[128];
  int fd = open(path, O_RDONLY);
  if (fd < 0) { printf("cat %s: %s\n", path, strerrorname_np(errno)); return; }
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n < 0) { printf("cat %s: read %s\n", path, strerrorname_np(errno)); return; }
  for (ssize_t i = 0; i < n; i++) if (buf[i] == 0) buf[i] = '.'; /* holes read as zeros */
  buf[n] = 0;
  printf("cat %s: %zd '%s'\n", path, n, buf);
}

/* The attributes that do not depend on the filesystem. */
static void show_stat(const char *what, const struct stat *st) {
  printf("  %s: mode %06o nlink %lu size %lld\n", what, st->st_mode, (unsigned long)st->st_nlink,
         S_ISDIR(st->st_mode) ? 0LL : (long long)st->st_size);
}
static void fdstat(const char *what, int fd) {
  struct stat st;
  if (fstat(fd, &st) < 0) { printf("  %s: fstat %s\n", what, strerrorname_np(errno)); return; }
  show_stat(what, &st);
}
static void pathstat(const char *path) {
  struct stat st;
  if (lstat(path, &st) < 0) { printf("  lstat %s: %s\n", path, strerrorname_np(errno)); return; }
  show_stat(path, &st);
}
static long offset(int fd) { return lseek(fd, 0, SEEK_CUR); }
static void flags(const char *what, int fd) {
  int fl = fcntl(fd, F_GETFL);
  if (fl < 0) printf("  F_GETFL %s: %s\n", what, strerrorname_np(errno));
  else printf("  F_GETFL %s: %o\n", what, fl);
}
static int same_file(int fd, const char *path) {
  struct stat a, b;
  return fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

static void section(const char *name) { printf("--- %s\n", name); }

static void open_flags(void) {
  section("open and its flags");
  int fd = open("f", O_CREAT | O_EXCL | O_RDWR, 0666);
  report("open f O_CREAT|O_EXCL|O_RDWR", fd);
  T(write(fd, "hello world", 11)); fdstat("f", fd);
  TO(open("f", O_CREAT | O_EXCL | O_RDWR, 0644)); TO(open("nothing", O_RDONLY)); TO(open("f/x", O_RDONLY));
  TO(open("f", O_RDONLY | O_DIRECTORY)); TO(open("f/", O_RDONLY)); TO(open("", O_RDONLY)); TO(open(bad, O_RDONLY));
  TO(open("new/", O_CREAT | O_WRONLY, 0644)); TO(open("nodir/new", O_CREAT | O_WRONLY, 0644));
  T(mkdir("d", 0755));
  TO(open("d", O_WRONLY)); TO(open("d", O_RDWR)); TO(open("d", O_RDONLY | O_CREAT, 0644)); TO(open("d", O_RDONLY | O_TRUNC));
  TO(open("newdir", O_CREAT | O_DIRECTORY | O_RDWR, 0755)); pathstat("newdir");
  int dfd = open("d", O_RDONLY | O_DIRECTORY); report("open d O_DIRECTORY", dfd); flags("d", dfd); close(dfd);
  /* Access mode 3 asks for read and write permission and grants neither. */
  int both = open("f", O_ACCMODE); report("open f O_ACCMODE", both);
  if (both >= 0) { char c; T(read(both, &c, 1)); T(write(both, "x", 1)); flags("accmode 3", both); close(both); }
  flags("f O_RDWR", fd); close(fd);
  fd = open("f", O_RDONLY | O_NONBLOCK); flags("O_RDONLY|O_NONBLOCK", fd);
  char buf[16] = {0}; T(read(fd, buf, 5)); printf("  read '%s'\n", buf); close(fd);
  fd = open("f", O_WRONLY | O_APPEND); flags("O_WRONLY|O_APPEND", fd);
  T(lseek(fd, 0, SEEK_SET)); T(write(fd, "!", 1)); T(offset(fd)); close(fd); cat("f");
  fd = open("f", O_RDWR | O_CREAT, 0600); report("open existing O_CREAT", fd); fdstat("f keeps its mode", fd); close(fd);

  /* umask applies to O_CREAT's mode; O_TRUNC truncates even with O_RDONLY. */
  umask(077); fd = open("masked", O_CREAT | O_WRONLY, 0666); fdstat("masked", fd); close(fd); umask(022);
  fd = open("f", O_RDONLY | O_TRUNC); report("open f O_RDONLY|O_TRUNC", fd); fdstat("f", fd); close(fd);
  mkfile("f", "hello world", 0644);

  T(symlink("f", "l")); T(symlink("missing", "dangling")); T(symlink("loop2", "loop1")); T(symlink("loop1", "loop2"));
  TO(open("l", O_RDONLY | O_NOFOLLOW)); TO(open("loop1", O_RDONLY)); TO(open("loop1", O_RDONLY | O_NOFOLLOW));
  TO(open("l/", O_RDONLY)); TO(open("dangling", O_RDONLY)); TO(open("l", O_CREAT | O_EXCL | O_WRONLY, 0644));
  TO(open("dangling", O_CREAT | O_EXCL | O_WRONLY, 0644)); TO(open("l", O_CREAT | O_NOFOLLOW | O_WRONLY, 0644));
  fd = open("l", O_RDONLY); report("open l follows", fd); fdstat("l", fd); close(fd);

  fd = creat("c", 0640); report("creat c", fd); T(write(fd, "abc", 3)); flags("creat", fd); close(fd); pathstat("c");
  fd = creat("c", 0600); report("creat c again", fd); fdstat("c truncated, mode kept", fd); close(fd);
  TO(creat("d", 0644)); TO(creat("nodir/c", 0644));

  /* O_NOATIME needs ownership (a host file owned by root), or CAP_FOWNER. */
  fd = open("/etc/passwd", O_RDONLY | O_NOATIME); report("open /etc/passwd O_NOATIME", fd >= 0 ? 0 : -1); if (fd >= 0) close(fd);
}

static void openat_dirfd(void) {
  section("openat and dirfd");
  int dfd = open("d", O_RDONLY | O_DIRECTORY), ffd = open("f", O_RDONLY);
  int fd = openat(dfd, "in_d", O_CREAT | O_WRONLY, 0644); report("openat d/in_d O_CREAT", fd); close(fd); pathstat("d/in_d");
  TO(openat(ffd, "x", O_RDONLY)); TO(openat(ffd, "", O_RDONLY)); TO(openat(999, "f", O_RDONLY)); TO(openat(-5, "f", O_RDONLY));
  TO(openat(dfd, "../f", O_RDONLY)); TO(openat(dfd, "", O_RDONLY));
  fd = openat(AT_FDCWD, "f", O_RDONLY); report("openat AT_FDCWD f", fd >= 0 ? 0 : -1); close(fd);
  char abs[PATH_MAX + 8]; snprintf(abs, sizeof abs, "%s/f", cwd0);
  fd = openat(999, abs, O_RDONLY); report("openat bad dirfd, absolute path", fd >= 0 ? 0 : -1); close(fd);
  fd = openat(ffd, abs, O_RDONLY); report("openat file dirfd, absolute path", fd >= 0 ? 0 : -1); close(fd);
  close(dfd); close(ffd);
}

static void tmpfile_flag(void) {
  section("O_TMPFILE");
  TO(open(".", O_TMPFILE | O_RDONLY, 0600)); TO(open("f", O_TMPFILE | O_RDWR, 0600)); TO(open("nodir", O_TMPFILE | O_RDWR, 0600));
  TO(open(".", O_TMPFILE | O_RDWR | O_CREAT | O_EXCL, 0600)); TO(open(".", O_TMPFILE | O_ACCMODE, 0600));
  TO(open(".", O_TMPFILE | O_PATH, 0600)); TO(open("f", O_TMPFILE | O_PATH, 0600));
  int fd = open(".", O_TMPFILE | O_RDWR, 0666);
  report("open . O_TMPFILE|O_RDWR", fd >= 0 ? 0 : -1);
  T(write(fd, "unnamed", 7)); fdstat("tmpfile", fd); flags("O_TMPFILE", fd);
  char proc[64]; snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
  T(linkat(AT_FDCWD, proc, AT_FDCWD, "named", AT_SYMLINK_FOLLOW)); fdstat("after linkat", fd); cat("named");
  T(linkat(AT_FDCWD, proc, AT_FDCWD, "named", AT_SYMLINK_FOLLOW)); T(linkat(AT_FDCWD, proc, AT_FDCWD, "named2", AT_SYMLINK_FOLLOW));
  fdstat("two names", fd); T(unlink("named")); T(unlink("named2")); fdstat("unlinked again", fd);
  /* Once linked, the file is an ordinary unlinked one: no way back in. */
  T(linkat(AT_FDCWD, proc, AT_FDCWD, "named3", AT_SYMLINK_FOLLOW));
  close(fd);
  /* linkat(fd, "", AT_EMPTY_PATH) needs CAP_DAC_READ_SEARCH (ENOENT without it). */
  fd = open(".", O_TMPFILE | O_WRONLY, 0600);
  T(linkat(fd, "", AT_FDCWD, "flinked", AT_EMPTY_PATH)); pathstat("flinked"); close(fd);
  /* Not the opener's credentials (root with fsuid 1000 has no CAP_DAC_READ_SEARCH either): ENOENT. */
  fd = open(".", O_TMPFILE | O_WRONLY, 0600);
  if (getuid() == 0) {
    T(setfsuid(1000)); T(linkat(fd, "", AT_FDCWD, "other_creds", AT_EMPTY_PATH)); T(setfsuid(0));
    T(linkat(fd, "", AT_FDCWD, "other_creds", AT_EMPTY_PATH)); unlink("other_creds");
  }
  close(fd);
  fd = open(".", O_TMPFILE | O_WRONLY | O_EXCL, 0600);
  snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
  T(linkat(AT_FDCWD, proc, AT_FDCWD, "excl", AT_SYMLINK_FOLLOW)); T(linkat(fd, "", AT_FDCWD, "excl", AT_EMPTY_PATH)); close(fd);
  int ffd = open("f", O_RDONLY);
  T(linkat(ffd, "", AT_FDCWD, "f_again", AT_EMPTY_PATH)); T(linkat(ffd, "", AT_FDCWD, "f_again2", 0));
  T(linkat(AT_FDCWD, "f", AT_FDCWD, "f_again3", 0x8000)); close(ffd);
  unlink("f_again"); unlink("flinked");
}

static void opath(void) {
  section("O_PATH");
  char c;
  int p = open("f", O_PATH | O_RDWR | O_CREAT | O_TRUNC, 0600);
  report("open f O_PATH|O_RDWR|O_CREAT|O_TRUNC", p); fdstat("f not truncated", p); flags("O_PATH", p);
  TO(open("nothing", O_PATH | O_CREAT, 0600));
  T(read(p, &c, 1)); T(write(p, "x", 1)); T(pread(p, &c, 1, 0)); T(lseek(p, 0, SEEK_SET)); T(fchmod(p, 0600));
  T(fchown(p, 0, 0)); T(ftruncate(p, 0)); T(fsync(p)); T(fdatasync(p)); T(fallocate(p, 0, 0, 10)); T(syncfs(p));
  T(fgetxattr(p, "user.x", &c, 1)); T(fcntl(p, F_SETFL, O_NONBLOCK)); T(fcntl(p, F_GETFD)); T(ioctl(p, FIONREAD, &c));
  struct statfs sf; T(fstatfs(p, &sf));
  T(futimens(p, NULL));
  int q = dup(p); report("dup of O_PATH", q); flags("dup of O_PATH", q); close(q);
  struct stat st; T(fstatat(p, "", &st, AT_EMPTY_PATH)); T(fstat(p, &st)); printf("  same inode as f: %d\n", same_file(p, "f"));
  close(p);
  int dp = open("d", O_PATH | O_DIRECTORY); report("open d O_PATH|O_DIRECTORY", dp);
  TO(open("f", O_PATH | O_DIRECTORY));
  char buf[256]; T(syscall(SYS_getdents64, dp, buf, sizeof buf));
  int fd = openat(dp, "via_opath", O_CREAT | O_WRONLY, 0644); report("openat O_PATH dir, create", fd >= 0 ? 0 : -1); close(fd);
  T(faccessat(dp, "via_opath", R_OK, 0)); T(fstatat(dp, "via_opath", &st, 0)); T(mkdirat(dp, "sub", 0755));
  T(fchdir(dp)); printf("  in d: %d\n", access("via_opath", F_OK) == 0); T(chdir(cwd0)); close(dp);
  int lp = open("l", O_PATH | O_NOFOLLOW); report("open l O_PATH|O_NOFOLLOW", lp); fdstat("symlink itself", lp);
  char target[16] = {0}; T(readlinkat(lp, "", target, sizeof target)); printf("  target '%s'\n", target);
  T(fstatat(lp, "", &st, AT_EMPTY_PATH)); show_stat("fstatat AT_EMPTY_PATH", &st);
  T(fstatat(lp, "", &st, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW)); T(read(lp, &c, 1)); close(lp);
}

static void cloexec_and_dup(void) {
  section("O_CLOEXEC, close, dup, dup2, dup3");
  int fd = open("f", O_RDONLY | O_CLOEXEC); report("open f O_CLOEXEC", fd);
  T(fcntl(fd, F_GETFD)); flags("O_CLOEXEC is no status flag", fd);
  int d = dup(fd); report("dup", d); T(fcntl(d, F_GETFD));
  /* Duplicates share the offset and status flags. */
  T(lseek(fd, 3, SEEK_SET)); T(offset(d)); T(fcntl(d, F_SETFL, O_NONBLOCK)); flags("original after F_SETFL on dup", fd);
  T(dup(999)); T(dup(-1)); T(close(999)); T(close(-1));
  T(dup2(fd, fd)); T(dup2(999, 999)); T(dup2(999, 20)); T(dup2(fd, -1)); T(dup2(fd, 1 << 20));
  T(dup2(fd, 20)); T(fcntl(20, F_GETFD)); T(dup2(d, 20)); T(offset(20));
  T(dup3(fd, fd, 0)); T(dup3(fd, fd, O_CLOEXEC)); T(dup3(fd, 21, O_CLOEXEC)); T(fcntl(21, F_GETFD)); T(dup3(fd, 22, O_NONBLOCK));
  T(dup3(999, 22, 0)); T(dup3(fd, -1, 0)); T(dup3(fd, 21, 0)); T(fcntl(21, F_GETFD));
  T(close(20)); T(close(20)); T(close(21)); T(close(d)); T(offset(fd)); close(fd);

  section("fcntl");
  fd = open("f", O_RDWR);
  T(fcntl(fd, F_DUPFD, 10)); T(fcntl(fd, F_DUPFD, 10)); T(fcntl(fd, F_DUPFD_CLOEXEC, 10)); T(fcntl(12, F_GETFD)); T(fcntl(11, F_GETFD));
  TO(fcntl(fd, F_DUPFD, 0)); T(fcntl(fd, F_DUPFD, -1)); T(fcntl(fd, F_DUPFD, 1 << 20));
  close(10); close(11); close(12);
  T(fcntl(fd, F_SETFD, FD_CLOEXEC | 2)); T(fcntl(fd, F_GETFD)); T(fcntl(fd, F_SETFD, 0)); T(fcntl(fd, F_GETFD));
  T(fcntl(999, F_GETFD)); T(fcntl(999, F_GETFL)); T(fcntl(fd, 9999)); T(fcntl(-1, F_DUPFD, 0));
  flags("O_RDWR", fd);
  /* F_SETFL changes only O_APPEND, O_NONBLOCK, O_ASYNC, O_DIRECT and O_NOATIME: not the access mode or the open-time flags. */
  T(fcntl(fd, F_SETFL, O_WRONLY | O_APPEND | O_NONBLOCK | O_CREAT | O_TRUNC | O_EXCL | O_DSYNC | O_SYNC));
  flags("after F_SETFL", fd);
  T(write(fd, "+", 1)); cat("f"); T(offset(fd));
  T(fcntl(fd, F_SETFL, 0)); flags("after F_SETFL 0", fd); T(lseek(fd, 0, SEEK_SET)); T(write(fd, "H", 1)); cat("f");
  T(fcntl(fd, F_SETFL, O_NOATIME)); flags("O_NOATIME on own file", fd); close(fd);
  fd = open("/etc/passwd", O_RDONLY); T(fcntl(fd, F_SETFL, O_NOATIME)); close(fd);
  mkfile("f", "hello world", 0644);
}

static void read_write(void) {
  section("read and write");
  mkfile("rw", "0123456789", 0644);
  int fd = open("rw", O_RDWR), ro = open("rw", O_RDONLY), wo = open("rw", O_WRONLY), dfd = open("d", O_RDONLY);
  char buf[64] = {0};
  T(read(fd, buf, 4)); printf("  '%s'\n", buf); T(read(fd, buf, 0)); T(read(fd, NULL, 0)); T(write(fd, bad, 0));
  T(read(fd, bad, 4)); T(offset(fd)); T(write(fd, bad, 4)); T(offset(fd));
  T(read(wo, buf, 1)); T(read(wo, buf, 0)); T(write(ro, "x", 1)); T(write(ro, "x", 0)); T(read(999, buf, 1)); T(write(-1, buf, 1));
  T(read(dfd, buf, 1)); T(read(dfd, buf, 0)); T(read(dfd, bad, 1)); T(write(dfd, "x", 1));
  /* Nothing to copy, nothing to fault on: a bad buffer at the end of the file reads 0. */
  T(lseek(fd, 0, SEEK_END)); T(read(fd, bad, 4)); T(pread(fd, bad, 4, 10)); T(read(fd, buf, 4)); T(lseek(fd, 100, SEEK_SET)); T(read(fd, buf, 4));
  T(write(fd, "X", 1)); fdstat("write past EOF", fd); T(pread(fd, buf, 4, 98)); printf("  %d%d%d '%c'\n", buf[0], buf[1], buf[2], buf[3]);
  T(ftruncate(fd, 10));

  section("pread and pwrite");
  memset(buf, 0, sizeof buf);
  T(lseek(fd, 2, SEEK_SET)); T(pread(fd, buf, 3, 5)); printf("  '%s'\n", buf); T(offset(fd));
  T(pread(fd, buf, 3, 10)); T(pread(fd, buf, 3, 1000)); T(pread(fd, buf, 3, -1)); T(pread(fd, buf, 0, -1)); T(pread(fd, bad, 3, 0));
  T(pread(dfd, buf, 3, 0)); T(pread(wo, buf, 3, 0)); T(pread(999, buf, 3, 0));
  T(pwrite(fd, "ab", 2, 12)); T(offset(fd)); cat("rw"); T(pwrite(fd, "ab", 2, -1)); T(pwrite(ro, "ab", 2, 0)); T(pwrite(fd, bad, 2, 0));
  int ap = open("rw", O_WRONLY | O_APPEND);
  /* Linux ignores pwrite's offset on an O_APPEND file and appends; the file offset stays. */
  T(pwrite(ap, "A", 1, 0)); T(offset(ap)); cat("rw"); T(write(ap, "B", 1)); T(offset(ap)); close(ap);

  section("readv and writev");
  char a[4] = {0}, b[8] = {0};
  struct iovec w0[1] = { { "", 0 } };
  struct iovec iov[2] = { { a, 3 }, { b, 5 } };
  T(lseek(fd, 0, SEEK_SET)); T(readv(fd, iov, 2)); printf("  '%s' '%s'\n", a, b);
  T(readv(fd, iov, 0)); T(readv(fd, iov, minus1)); T(readv(fd, iov, too_many)); T(readv(fd, bad, 1)); T(readv(999, iov, 1));
  T(readv(dfd, iov, 1)); T(readv(dfd, iov, 0)); T(readv(ro, iov, 0)); T(writev(ro, w0, 0));
  struct iovec badiov[2] = { { a, 1 }, { bad, 4 } };
  T(lseek(fd, 0, SEEK_SET)); T(readv(fd, badiov, 2)); T(offset(fd));
  struct iovec huge[2] = { { a, 1 }, { b, (size_t)-1 } };
  T(readv(fd, huge, 2));
  struct iovec w[3] = { { "wx", 2 }, { "", 0 }, { "yz", 2 } };
  T(lseek(fd, 0, SEEK_SET)); T(writev(fd, w, 3)); T(offset(fd)); cat("rw"); T(writev(fd, w, 0)); T(writev(fd, w, too_many));
  T(writev(ro, w, 1));

  section("preadv, pwritev, preadv2, pwritev2");
  memset(a, 0, sizeof a); memset(b, 0, sizeof b);
  T(lseek(fd, 1, SEEK_SET)); T(preadv(fd, iov, 2, 4)); printf("  '%s' '%s'\n", a, b); T(offset(fd));
  T(preadv(fd, iov, 2, -1)); T(preadv(fd, iov, 0, 0)); T(preadv(fd, iov, too_many, 0)); T(preadv(dfd, iov, 1, 0));
  T(pwritev(fd, w, 3, 20)); T(offset(fd)); fdstat("pwritev at 20", fd); T(pwritev(fd, w, 1, -2));
  memset(a, 0, sizeof a); memset(b, 0, sizeof b);
  /* preadv2/pwritev2: offset -1 is the file offset, which then advances. */
  T(preadv2(fd, iov, 1, -1, 0)); printf("  '%s'\n", a); T(offset(fd)); T(preadv2(fd, iov, 1, 0, 0)); T(offset(fd));
  T(preadv2(fd, iov, 1, -2, 0)); T(pwritev2(fd, w, 1, -2, 0)); T(preadv2(999, iov, 1, -2, 0)); T(pread(999, buf, 1, -1));
  /* With nothing to move the flags are not even looked at. */
  T(preadv2(fd, iov, 0, 0, 0x10000)); T(pwritev2(fd, w0, 1, -1, RWF_APPEND | RWF_NOAPPEND));
  T(preadv2(fd, iov, 1, 0, RWF_HIPRI)); T(preadv2(fd, iov, 1, 0, RWF_DSYNC | RWF_SYNC)); T(preadv2(fd, iov, 1, 0, 0x10000));
  T(preadv2(fd, iov, 1, 0, RWF_APPEND | RWF_NOAPPEND)); T(preadv2(fd, iov, 1, 0, RWF_APPEND)); T(preadv2(fd, iov, 1, 0, RWF_ATOMIC));
  T(pwritev2(fd, w, 1, -1, 0)); T(offset(fd)); T(pwritev2(fd, w, 1, 0, 0x10000)); T(pwritev2(fd, w, 1, 0, RWF_DSYNC));
  T(pwritev2(fd, w, 1, 0, RWF_SYNC)); T(pwritev2(fd, w, 1, 0, RWF_HIPRI));
  T(pwritev2(fd, w, 1, 0, RWF_NOWAIT)); T(pwritev2(fd, w, 1, 0, RWF_ATOMIC)); T(pwritev2(fd, w, 1, 0, RWF_APPEND | RWF_NOAPPEND));
  T(ftruncate(fd, 4)); T(lseek(fd, 1, SEEK_SET));
  T(pwritev2(fd, w, 1, 0, RWF_APPEND)); T(offset(fd)); cat("rw"); T(pwritev2(fd, w, 1, -1, RWF_APPEND)); T(offset(fd)); cat("rw");
  ap = open("rw", O_WRONLY | O_APPEND);
  /* RWF_NOAPPEND undoes O_APPEND for one call: the write goes to the offset given. */
  T(pwritev2(ap, w, 1, 0, RWF_NOAPPEND)); cat("rw"); T(pwritev2(ap, w, 1, 0, 0)); cat("rw"); close(ap);
  close(fd); close(ro); close(wo); close(dfd);
}

static void seeking(void) {
  section("lseek");
  mkfile("s", "0123456789", 0644);
  int fd = open("s", O_RDWR);
  T(lseek(fd, 5, SEEK_SET)); T(lseek(fd, -2, SEEK_CUR)); T(lseek(fd, 0, SEEK_END)); T(lseek(fd, -3, SEEK_END));
  T(lseek(fd, -100, SEEK_END)); T(lseek(fd, -1, SEEK_SET)); T(lseek(fd, -100, SEEK_CUR)); T(offset(fd));
  T(lseek(fd, 1000, SEEK_CUR)); T(lseek(fd, 0, 5)); T(lseek(fd, 0, -1)); T(lseek(999, 0, SEEK_SET));
  T(lseek(fd, 1L << 40, SEEK_SET)); T(lseek(fd, 1, SEEK_END)); T(lseek(fd, LONG_MAX, SEEK_CUR));
  int dfd = open("d", O_RDONLY | O_DIRECTORY); T(lseek(dfd, 0, SEEK_SET)); close(dfd);

  /* SEEK_DATA and SEEK_HOLE: data in the first page and one page at 1 MiB of a 2 MiB file. */
  section("SEEK_DATA and SEEK_HOLE");
  char page[4096]; memset(page, 'p', sizeof page);
  T(ftruncate(fd, 0)); T(pwrite(fd, page, sizeof page, 0)); T(pwrite(fd, page, sizeof page, 1 << 20)); T(ftruncate(fd, 2 << 20));
  long at[] = { 0, 100, 4096, 8192, (1 << 20) - 1, 1 << 20, (1 << 20) + 4096, (2 << 20) - 1, 2 << 20, 3 << 20, -1 };
  for (unsigned i = 0; i < sizeof at / sizeof *at; i++) {
    long d = lseek(fd, at[i], SEEK_DATA); int ed = errno;
    long h = lseek(fd, at[i], SEEK_HOLE); int eh = errno;
    printf("  at %8ld: data %8ld %-6s hole %8ld %s\n", at[i], d, d < 0 ? strerrorname_np(ed) : "", h, h < 0 ? strerrorname_np(eh) : "");
  }
  T(lseek(fd, 4096, SEEK_HOLE)); T(offset(fd));
  /* A file written all through has its only hole at the end. */
  mkfile("full", "abc", 0644); int full = open("full", O_RDONLY);
  T(lseek(full, 0, SEEK_DATA)); T(lseek(full, 0, SEEK_HOLE)); T(lseek(full, 3, SEEK_DATA)); close(full);
  int empty = open("masked", O_RDONLY); T(lseek(empty, 0, SEEK_DATA)); T(lseek(empty, 0, SEEK_HOLE)); close(empty);
  close(fd);
}

static void stats(void) {
  section("stat, lstat, fstat, fstatat");
  struct stat st;
  T(stat("l", &st)); show_stat("stat l", &st); T(lstat("l", &st)); show_stat("lstat l", &st);
  T(stat("d", &st)); show_stat("stat d", &st); T(lstat("dangling", &st)); show_stat("lstat dangling", &st);
  T(stat("dangling", &st)); T(stat("loop1", &st)); T(lstat("loop1", &st)); T(stat("f/", &st)); T(stat("l/", &st)); T(lstat("d/", &st));
  T(stat("", &st)); T(stat(bad, &st)); T(stat("f", bad)); T(fstat(999, &st)); T(fstat(-1, &st));
  int fd = open("f", O_RDONLY), dfd = open("d", O_RDONLY | O_DIRECTORY);
  T(fstat(fd, bad));
  T(fstatat(AT_FDCWD, "l", &st, AT_SYMLINK_NOFOLLOW)); show_stat("fstatat l NOFOLLOW", &st);
  T(fstatat(dfd, "in_d", &st, 0)); show_stat("fstatat d/in_d", &st); T(fstatat(fd, "x", &st, 0)); T(fstatat(999, "x", &st, 0));
  T(fstatat(fd, "", &st, AT_EMPTY_PATH)); show_stat("fstatat f AT_EMPTY_PATH", &st); T(fstatat(fd, "", &st, 0));
  T(fstatat(AT_FDCWD, "", &st, AT_EMPTY_PATH)); show_stat("cwd", &st); T(fstatat(999, "", &st, AT_EMPTY_PATH));
  T(fstatat(AT_FDCWD, "f", &st, 0x1)); T(fstatat(AT_FDCWD, "f", &st, 0x10000));
  /* Since Linux 6.11 a NULL path with AT_EMPTY_PATH names the fd. */
  T(syscall(SYS_newfstatat, fd, NULL, &st, AT_EMPTY_PATH)); T(syscall(SYS_newfstatat, fd, NULL, &st, 0));
  T(syscall(SYS_newfstatat, AT_FDCWD, NULL, &st, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW)); show_stat("cwd by NULL path", &st);

  section("statx");
  struct statx sx;
#define SX(call) do { memset(&sx, 0xff, sizeof sx); T(call); } while (0)
/* stx_mask: mtime and ctime are left out (and zeroed) unless asked for, on ext4 and tmpfs alike
 * (multigrain timestamps, Linux 6.13); btime only when asked for; the mount id always. */
#define SHOWX(what) printf("  %s: mask %#x mode %06o nlink %u size %llu mtime %d btime %d\n", what, sx.stx_mask, sx.stx_mode, sx.stx_nlink, \
    S_ISDIR(sx.stx_mode) ? 0ULL : (unsigned long long)sx.stx_size, sx.stx_mtime.tv_sec != 0, sx.stx_btime.tv_sec != 0)
  SX(statx(AT_FDCWD, "f", 0, STATX_BASIC_STATS, &sx)); SHOWX("f");
  SX(statx(AT_FDCWD, "f", 0, STATX_SIZE, &sx)); SHOWX("f mask SIZE");
  SX(statx(AT_FDCWD, "f", 0, 0, &sx)); SHOWX("f mask 0");
  SX(statx(AT_FDCWD, "f", 0, STATX_CTIME, &sx)); SHOWX("f mask CTIME");
  SX(statx(AT_FDCWD, "f", 0, STATX_BASIC_STATS | STATX_BTIME, &sx)); SHOWX("f mask BASIC|BTIME");
  SX(statx(AT_FDCWD, "l", AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &sx)); SHOWX("l NOFOLLOW");
  SX(statx(AT_FDCWD, "l", 0, STATX_BASIC_STATS, &sx)); SHOWX("l");
  SX(statx(dfd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &sx)); SHOWX("d AT_EMPTY_PATH");
  SX(syscall(SYS_statx, fd, NULL, AT_EMPTY_PATH, STATX_BASIC_STATS, &sx)); SHOWX("f NULL path");
  SX(syscall(SYS_statx, AT_FDCWD, NULL, AT_EMPTY_PATH, STATX_BASIC_STATS, &sx)); SHOWX("cwd NULL path");
  SX(syscall(SYS_statx, fd, NULL, 0, STATX_BASIC_STATS, &sx));
  SX(statx(AT_FDCWD, "f", AT_STATX_FORCE_SYNC, STATX_BASIC_STATS, &sx)); SX(statx(AT_FDCWD, "f", AT_STATX_DONT_SYNC, STATX_BASIC_STATS, &sx));
  SX(statx(AT_FDCWD, "f", AT_STATX_FORCE_SYNC | AT_STATX_DONT_SYNC, STATX_BASIC_STATS, &sx));
  SX(statx(AT_FDCWD, "f", 0x1, STATX_BASIC_STATS, &sx)); SX(statx(AT_FDCWD, "f", 0, 0x80000000u, &sx));
  SX(statx(AT_FDCWD, "nothing", 0, STATX_BASIC_STATS, &sx)); SX(statx(AT_FDCWD, "", 0, STATX_BASIC_STATS, &sx));
  SX(statx(999, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &sx)); SX(statx(AT_FDCWD, "f", 0, STATX_BASIC_STATS, bad));
  SX(statx(fd, "x", 0, STATX_BASIC_STATS, &sx));
  struct statx dx; statx(dfd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &dx);
  memset(&sx, 0, sizeof sx); statx(AT_FDCWD, "f", 0, STATX_BASIC_STATS, &sx);
  printf("  one mount id for f and d: %d\n", sx.stx_mnt_id == dx.stx_mnt_id && sx.stx_mnt_id != 0);
  stat("f", &st);
  printf("  statx agrees with stat: %d\n", sx.stx_ino == st.st_ino && sx.stx_mode == st.st_mode && sx.stx_uid == st.st_uid &&
         sx.stx_gid == st.st_gid && sx.stx_blocks == (unsigned long long)st.st_blocks && sx.stx_mtime.tv_sec == st.st_mtim.tv_sec &&
         sx.stx_mtime.tv_nsec == st.st_mtim.tv_nsec && sx.stx_ctime.tv_nsec == st.st_ctim.tv_nsec &&
         makedev(sx.stx_dev_major, sx.stx_dev_minor) == st.st_dev && sx.stx_blksize == st.st_blksize);
  close(fd); close(dfd);
}

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void dirents(void) {
  section("getdents64");
  T(mkdir("g", 0755)); mkfile("g/a", "", 0644); mkfile("g/bb", "", 0644); T(mkdir("g/sub", 0755)); T(symlink("a", "g/ln"));
  int dfd = open("g", O_RDONLY | O_DIRECTORY);
  char buf[4096];
  T(syscall(SYS_getdents64, dfd, buf, 10)); T(syscall(SYS_getdents64, dfd, buf, 0)); T(syscall(SYS_getdents64, dfd, bad, sizeof buf));
  T(syscall(SYS_getdents64, 999, buf, sizeof buf));
  int ffd = open("f", O_RDONLY); T(syscall(SYS_getdents64, ffd, buf, sizeof buf)); close(ffd);
  /* A 32-byte buffer holds one of these entries: list them one call at a time (the order is the filesystem's). */
  for (int round = 0; round < 2; round++) {
    char *names[16]; int n = 0, calls = 0;
    long r;
    while ((r = syscall(SYS_getdents64, dfd, buf, 32)) > 0 && n < 16) {
      calls++;
      for (long pos = 0; pos < r && n < 16;) {
        struct dirent64 *e = (struct dirent64 *)(buf + pos);
        char name[300]; snprintf(name, sizeof name, "%s:%d", e->d_name, e->d_type);
        names[n++] = strdup(name);
        pos += e->d_reclen;
      }
    }
    report("getdents64 at the end", r);
    qsort(names, n, sizeof *names, cmp);
    printf("  round %d, %d calls:", round, calls);
    for (int i = 0; i < n; i++) { printf(" %s", names[i]); free(names[i]); }
    printf("\n");
    T(syscall(SYS_getdents64, dfd, buf, sizeof buf));
    T(lseek(dfd, 0, SEEK_SET));
  }
  /* A name added after the rewind shows up. */
  mkfile("g/new", "", 0644);
  long total = 0, r;
  while ((r = syscall(SYS_getdents64, dfd, buf, sizeof buf)) > 0)
    for (long pos = 0; pos < r; pos += ((struct dirent64 *)(buf + pos))->d_reclen) total++;
  printf("  entries after adding one: %ld\n", total);
  close(dfd);
  /* A removed directory lists nothing. */
  T(mkdir("gone", 0755)); dfd = open("gone", O_RDONLY | O_DIRECTORY); T(rmdir("gone"));
  T(syscall(SYS_getdents64, dfd, buf, sizeof buf)); close(dfd);
}

static void links_and_access(void) {
  section("readlink");
  char buf[64];
  memset(buf, 0, sizeof buf); T(readlink("l", buf, sizeof buf)); printf("  '%s'\n", buf);
  memset(buf, 0, sizeof buf); T(readlink("dangling", buf, 3)); printf("  '%s'\n", buf);
  T(readlink("f", buf, sizeof buf)); T(readlink("d", buf, sizeof buf)); T(readlink("nothing", buf, sizeof buf));
  T(readlink("l", buf, 0)); T(readlink("l", buf, (size_t)minus1)); T(readlink("l", bad, 8)); T(readlink(bad, buf, 8)); T(readlink("", buf, 8));
  T(readlink("l/", buf, sizeof buf)); T(readlink("f/", buf, sizeof buf));
  int dfd = open(".", O_RDONLY | O_DIRECTORY), ffd = open("f", O_RDONLY);
  memset(buf, 0, sizeof buf); T(readlinkat(dfd, "l", buf, sizeof buf)); printf("  '%s'\n", buf);
  T(readlinkat(ffd, "", buf, sizeof buf)); T(readlinkat(dfd, "", buf, sizeof buf)); T(readlinkat(ffd, "l", buf, sizeof buf));
  T(readlinkat(999, "l", buf, sizeof buf));
  char proc[64], link[PATH_MAX], want[PATH_MAX + 8];
  snprintf(proc, sizeof proc, "/proc/self/fd/%d", ffd); snprintf(want, sizeof want, "%s/f", cwd0);
  long n = readlink(proc, link, sizeof link - 1); if (n >= 0) link[n] = 0;
  printf("  /proc/self/fd/N names f: %d\n", n > 0 && strcmp(link, want) == 0);
  close(dfd); close(ffd);

  section("access, faccessat, faccessat2");
  mkfile("ro", "", 0444); mkfile("none", "", 0); mkfile("x", "", 0755);
  T(access("f", R_OK | W_OK)); T(access("f", X_OK)); T(access("x", X_OK)); T(access("ro", W_OK)); T(access("none", R_OK));
  T(access("d", X_OK)); T(access("nothing", F_OK)); T(access("f", 8)); T(access("f", -1)); T(access("", F_OK)); T(access(bad, F_OK));
  T(access("dangling", F_OK)); T(access("loop1", F_OK)); T(access("f/", F_OK));
  T(faccessat(AT_FDCWD, "dangling", F_OK, AT_SYMLINK_NOFOLLOW)); T(faccessat(AT_FDCWD, "ro", W_OK, AT_EACCESS));
  T(syscall(SYS_faccessat, AT_FDCWD, "f", R_OK)); T(syscall(SYS_faccessat2, AT_FDCWD, "f", R_OK, 0));
  T(syscall(SYS_faccessat2, AT_FDCWD, "f", R_OK, AT_EACCESS)); T(syscall(SYS_faccessat2, AT_FDCWD, "none", R_OK, AT_EACCESS));
  T(syscall(SYS_faccessat2, AT_FDCWD, "dangling", F_OK, AT_SYMLINK_NOFOLLOW)); T(syscall(SYS_faccessat2, AT_FDCWD, "f", R_OK, 0x1));
  T(syscall(SYS_faccessat2, AT_FDCWD, "f", 8, 0));
  ffd = open("none", O_PATH);
  T(syscall(SYS_faccessat2, ffd, "", R_OK, AT_EMPTY_PATH)); T(syscall(SYS_faccessat2, ffd, "", F_OK, AT_EMPTY_PATH));
  T(syscall(SYS_faccessat2, ffd, "", F_OK, 0)); T(syscall(SYS_faccessat2, ffd, "x", F_OK, 0)); close(ffd);
  /* Opening checks the same bits. */
  TO(open("none", O_RDONLY)); TO(open("ro", O_WRONLY)); TO(open("ro", O_RDONLY | O_TRUNC));
}

static void cwd_calls(void) {
  section("chdir, fchdir, getcwd");
  char buf[PATH_MAX];
  T(chdir("d")); if (getcwd(buf, sizeof buf)) printf("  getcwd ends with /d: %d\n", strcmp(buf + strlen(buf) - 2, "/d") == 0);
  T(chdir("..")); T(chdir("f")); T(chdir("nothing")); T(chdir("")); T(chdir(bad)); T(chdir("l")); T(chdir("loop1"));
  int len = (int)strlen(cwd0);
  T(syscall(SYS_getcwd, buf, 0)); T(syscall(SYS_getcwd, buf, 1)); T(syscall(SYS_getcwd, buf, len));
  report("getcwd with room for the path and NUL", syscall(SYS_getcwd, buf, len + 1) == len + 1 ? 0 : -1);
  T(syscall(SYS_getcwd, bad, sizeof buf));
  int home = open(".", O_RDONLY | O_DIRECTORY), ffd = open("f", O_RDONLY);
  T(fchdir(ffd)); T(fchdir(999)); T(fchdir(-1)); close(ffd);
  T(mkdir("nox", 0600)); T(mkdir("nox/inner", 0755)); T(chdir("nox")); T(fchdir(home)); T(chdir("nox/inner"));
  T(fchdir(home)); int nox = open("nox", O_RDONLY | O_DIRECTORY); report("open nox", nox >= 0 ? 0 : -1);
  if (nox >= 0) { T(fchdir(nox)); T(fchdir(home)); close(nox); }
  /* The cwd removed: getcwd fails with ENOENT, relative lookups find nothing. */
  T(mkdir("gone2", 0755)); T(chdir("gone2")); T(rmdir("../gone2")); T(syscall(SYS_getcwd, buf, sizeof buf));
  TO(open("x", O_CREAT | O_WRONLY, 0644)); T(mkdir("y", 0755)); T(chdir("."));
  T(fchdir(home)); report("back home", syscall(SYS_getcwd, buf, sizeof buf) == len + 1 ? 0 : -1); close(home);

  section("umask");
  T(umask(027)); int fd = open("um", O_CREAT | O_WRONLY, 0666); fdstat("um", fd); close(fd); T(mkdir("umd", 0777)); pathstat("umd");
  T(umask(01777)); T(umask(022)); T(umask(022));
}

static void sync_statfs(void) {
  section("fsync, fdatasync, sync, syncfs");
  int fd = open("f", O_RDONLY), dfd = open("d", O_RDONLY | O_DIRECTORY), wfd = open("f", O_WRONLY);
  T(fsync(fd)); T(fsync(wfd)); T(fsync(dfd)); T(fdatasync(fd)); T(fdatasync(dfd)); T(syncfs(fd)); T(syncfs(dfd));
  sync(); printf("  sync done\n");
  T(fsync(999)); T(fdatasync(-1)); T(syncfs(999));

  section("statfs, fstatfs");
  struct statfs a, b;
  T(statfs(".", &a)); T(fstatfs(fd, &b)); printf("  same type: %d, namelen %ld, flags valid %d rdonly %d\n", a.f_type == b.f_type,
    (long)a.f_namelen, (a.f_flags & 0x20) != 0, (a.f_flags & 1) != 0);
  T(statfs("nothing", &a)); T(statfs("f/", &a)); T(statfs(bad, &a)); T(statfs(".", bad)); T(fstatfs(999, &a)); T(fstatfs(fd, bad));
  T(statfs("l", &a)); T(statfs("dangling", &a));
  close(fd); close(dfd); close(wfd);
}

static void allocate(void) {
  section("fallocate");
  int fd = open("fa", O_CREAT | O_RDWR | O_TRUNC, 0644), ro = open("fa", O_RDONLY), dfd = open("d", O_RDONLY);
  T(fallocate(fd, 0, 0, 8192)); fdstat("mode 0 extends", fd);
  T(fallocate(fd, FALLOC_FL_KEEP_SIZE, 8192, 4096)); fdstat("KEEP_SIZE", fd);
  T(fallocate(fd, 0, 100, 10)); fdstat("inside", fd);
  char page[8192]; memset(page, 'q', sizeof page); T(pwrite(fd, page, sizeof page, 0));
  T(fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 4096, 4096)); fdstat("punched", fd);
  T(fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 10, 20)); fdstat("punched unaligned", fd);
  char back[8192]; T(pread(fd, back, sizeof back, 0));
  int zeros = 0, qs = 0; for (int i = 0; i < 8192; i++) { zeros += back[i] == 0; qs += back[i] == 'q'; }
  printf("  zeros %d, data %d, first zero at 10: %d %d\n", zeros, qs, back[9] == 'q', back[10] == 0);
  T(fallocate(fd, FALLOC_FL_PUNCH_HOLE, 0, 10)); T(fallocate(fd, 0, 0, 0)); T(fallocate(fd, 0, -1, 10)); T(fallocate(fd, 0, 0, -1));
  T(fallocate(ro, 0, 0, 10)); T(fallocate(ro, 0, 0, 0)); T(fallocate(dfd, 0, 0, 10)); T(fallocate(999, 0, 0, 10));
  T(fallocate(fd, 0x1000, 0, 10));
  int ap = open("fa", O_WRONLY | O_APPEND); T(fallocate(ap, 0, 0, 20000)); fdstat("O_APPEND", ap); close(ap);
  close(fd); close(ro); close(dfd);
}

static void copying(void) {
  section("sendfile");
  mkfile("src", "abcdefghij", 0644);
  int src = open("src", O_RDONLY), dst = open("dst", O_CREAT | O_WRONLY | O_TRUNC, 0644), wo = open("src", O_WRONLY);
  int dfd = open("d", O_RDONLY), ap = open("dst", O_WRONLY | O_APPEND);
  off_t off = 2;
  T(sendfile(dst, src, NULL, 4)); T(offset(src)); T(offset(dst));
  T(sendfile(dst, src, &off, 3)); printf("  off %ld\n", (long)off); T(offset(src)); T(offset(dst));
  T(sendfile(dst, src, NULL, 100)); T(sendfile(dst, src, NULL, 100)); T(sendfile(dst, src, NULL, 0)); cat("dst");
  off = -1; T(sendfile(dst, src, &off, 1)); T(sendfile(dst, src, bad, 1));
  T(sendfile(dst, wo, NULL, 1)); T(sendfile(src, src, NULL, 1)); T(sendfile(dst, 999, NULL, 1)); T(sendfile(999, src, NULL, 1));
  T(sendfile(ap, src, &off, 1)); T(sendfile(dst, dfd, NULL, 1));
  off = 8; T(sendfile(dst, src, &off, 10)); printf("  off %ld\n", (long)off); cat("dst");

  section("copy_file_range");
  off_t in = 1, out = 0;
  int d2 = open("dst2", O_CREAT | O_RDWR | O_TRUNC, 0644);
  T(copy_file_range(src, &in, d2, &out, 3, 0)); printf("  in %ld out %ld\n", (long)in, (long)out); T(offset(src)); T(offset(d2));
  T(lseek(src, 0, SEEK_SET)); T(copy_file_range(src, NULL, d2, NULL, 2, 0)); T(offset(src)); T(offset(d2)); cat("dst2");
  T(copy_file_range(src, NULL, d2, NULL, 2, 1)); T(copy_file_range(src, NULL, d2, NULL, 0, 0)); in = 100;
  T(copy_file_range(src, &in, d2, NULL, 2, 0)); in = -1; T(copy_file_range(src, &in, d2, NULL, 2, 0));
  /* Linux adds the count to a negative offset as unsigned: -1 + 2 wraps (EOVERFLOW), -5 + 2 does not (EINVAL). */
  in = -5; T(copy_file_range(src, &in, d2, NULL, 2, 0)); in = -1; T(copy_file_range(src, &in, d2, NULL, 0, 0));
  in = 0; out = -1; T(copy_file_range(src, &in, d2, &out, 2, 0));
  T(copy_file_range(src, bad, d2, NULL, 2, 0));
  T(copy_file_range(wo, NULL, d2, NULL, 2, 0)); T(copy_file_range(src, NULL, src, NULL, 2, 0)); T(copy_file_range(src, NULL, ap, NULL, 2, 0));
  T(copy_file_range(dfd, NULL, d2, NULL, 2, 0)); T(copy_file_range(src, NULL, 999, NULL, 2, 0));
  int rw = open("src", O_RDWR);
  in = 0; out = 4; T(copy_file_range(rw, &in, rw, &out, 5, 0)); in = 0; out = 4; T(copy_file_range(rw, &in, rw, &out, 4, 0));
  cat("src"); in = 8; out = 0; T(copy_file_range(rw, &in, rw, &out, 4, 0)); cat("src"); close(rw);
  close(src); close(dst); close(wo); close(dfd); close(ap); close(d2);
}

static void ranges_and_limits(void) {
  section("close_range");
  int fd = open("f", O_RDONLY);
  for (int i = 10; i <= 16; i++) dup2(fd, i);
  T(close_range(12, 13, 0)); T(fcntl(12, F_GETFD)); T(fcntl(13, F_GETFD)); T(fcntl(14, F_GETFD));
  T(close_range(14, 15, CLOSE_RANGE_CLOEXEC)); T(fcntl(14, F_GETFD)); T(fcntl(15, F_GETFD)); T(fcntl(16, F_GETFD));
  T(close_range(5, 4, 0)); T(close_range(0, ~0U, 0x80)); T(close_range(100, 200, 0)); T(close_range(11, 11, 0)); T(fcntl(11, F_GETFD));
  T(close_range(10, ~0U, 0)); T(fcntl(10, F_GETFD)); T(fcntl(16, F_GETFD)); T(fcntl(fd, F_GETFD));

  section("EMFILE");
  struct rlimit old, lim; getrlimit(RLIMIT_NOFILE, &old); lim = old; lim.rlim_cur = 16;
  T(setrlimit(RLIMIT_NOFILE, &lim));
  int last = -1, r;
  while ((r = dup(fd)) >= 0) last = r;
  report("dup until it fails", r); printf("  last fd %d\n", last);
  TO(open("f", O_RDONLY)); TO(fcntl(fd, F_DUPFD, 0)); T(fcntl(fd, F_DUPFD, 16)); T(dup2(fd, 16)); T(dup2(fd, 15)); T(dup3(fd, 16, 0));
  TO(open(".", O_TMPFILE | O_RDWR, 0600));
  T(close_range(fd + 1, ~0U, 0)); T(dup(fd));
  T(setrlimit(RLIMIT_NOFILE, &old)); T(close_range(fd, ~0U, 0));
}

int main(int argc, char **argv) {
  if (argc < 2 || chdir(argv[1]) < 0) { perror("chdir"); return 2; }
  if (!getcwd(cwd0, sizeof cwd0)) { perror("getcwd"); return 2; }
  setvbuf(stdout, NULL, _IOFBF, 1 << 16);
  close_range(3, ~0U, 0); /* start from fds 0, 1 and 2 only, whatever the runner left open */
  umask(022);
  printf("uid %d\n", getuid());
  open_flags();
  openat_dirfd();
  tmpfile_flag();
  opath();
  cloexec_and_dup();
  read_write();
  seeking();
  stats();
  dirents();
  links_and_access();
  cwd_calls();
  sync_statfs();
  allocate();
  copying();
  ranges_and_limits();
  return 0;
}
