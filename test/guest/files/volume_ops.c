/* Volumes: a writable one, a read-only one, and the root overlay beside them.
 *   volume_ops RW RO OTHER
 * RW is a writable bind mount (empty), RO a read-only bind mount holding the file "f" ("ro
 * data\n") and the directory "d", OTHER a directory of the root filesystem (empty). Prints one
 * line per call: its result or errno name, and attributes that do not depend on the host. Every
 * write call on RO must fail with EROFS; rename and link between two mounts with EXDEV; what is
 * written in RW stays there (the test reads it back on the host: RW/written.txt). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/xattr.h>
#include <unistd.h>

static char path_buf[8][4096];
static int path_next;
/* "DIR/NAME" in one of a few rotating buffers. */
static const char *P(const char *dir, const char *name) {
  char *b = path_buf[path_next++ % 8];
  snprintf(b, sizeof path_buf[0], "%s/%s", dir, name);
  return b;
}

static const char *section = "";
static void report(const char *what, long r) {
  if (r < 0) printf("%s %-58s -1 %s\n", section, what, strerrorname_np(errno));
  else printf("%s %-58s %ld\n", section, what, r);
}
#define T(call) report(#call, (long)(call))

static void show(const char *label, const char *path, int follow) {
  struct stat st;
  int r = follow ? stat(path, &st) : lstat(path, &st);
  if (r < 0) { printf("%s stat %-30s -1 %s\n", section, label, strerrorname_np(errno)); return; }
  printf("%s stat %-30s mode %06o nlink %lu size %lld uid %u gid %u\n", section, label, st.st_mode, (unsigned long)st.st_nlink,
         S_ISDIR(st.st_mode) ? 0LL : (long long)st.st_size, st.st_uid, st.st_gid);
}

static void cat(const char *label, const char *path) {
  char buf[128] = {0};
  int fd = open(path, O_RDONLY);
  if (fd < 0) { printf("%s cat %s: %s\n", section, label, strerrorname_np(errno)); return; }
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  printf("%s cat %s: %zd '%s'\n", section, label, n, n > 0 ? buf : "");
}

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void list(const char *label, const char *path) {
  DIR *d = opendir(path);
  if (!d) { printf("%s ls %s: %s\n", section, label, strerrorname_np(errno)); return; }
  char *names[64]; int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) && n < 64) names[n++] = strdup(e->d_name);
  closedir(d);
  qsort(names, n, sizeof *names, cmp);
  printf("%s ls %s:", section, label);
  for (int i = 0; i < n; i++) { printf(" %s", names[i]); free(names[i]); }
  printf("\n");
}

static void put(const char *path, const char *text) {
  int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
  if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) { printf("%s put failed: %s\n", section, strerrorname_np(errno)); }
  if (fd >= 0) close(fd);
}

/* The writable volume: every call that changes names, contents or attributes works there. */
static void writable(const char *rw) {
  section = "rw";
  int fd = open(P(rw, "written.txt"), O_CREAT | O_EXCL | O_WRONLY, 0640);
  report("open written.txt O_CREAT|O_EXCL", fd >= 0 ? 0 : -1);
  T(write(fd, "written in the sandbox\n", 23)); T(close(fd));
  T(open(P(rw, "written.txt"), O_CREAT | O_EXCL | O_WRONLY, 0644));
  show("written.txt", P(rw, "written.txt"), 1); cat("written.txt", P(rw, "written.txt"));
  put(P(rw, "a"), "aaaa");
  T(mkdir(P(rw, "dir"), 0750)); T(mkdir(P(rw, "dir"), 0750)); show("dir", P(rw, "dir"), 1);
  T(mkdir(P(rw, "dir/sub"), 0700)); show("dir (2 links more)", P(rw, "dir"), 1);
  T(symlink("a", P(rw, "sym"))); show("sym", P(rw, "sym"), 0); cat("sym", P(rw, "sym"));
  char buf[64] = {0}; T(readlink(P(rw, "sym"), buf, sizeof buf)); printf("rw readlink: '%s'\n", buf);
  T(link(P(rw, "a"), P(rw, "hard"))); show("a after link", P(rw, "a"), 1);
  fd = open(P(rw, "hard"), O_WRONLY | O_APPEND); T(write(fd, "+hard", 5)); close(fd);
  show("a after a write through hard", P(rw, "a"), 1); cat("a", P(rw, "a"));
  T(rename(P(rw, "hard"), P(rw, "dir/moved"))); show("hard", P(rw, "hard"), 1); show("dir/moved", P(rw, "dir/moved"), 1);
  T(rename(P(rw, "dir"), P(rw, "dir2"))); cat("dir2/moved", P(rw, "dir2/moved")); show("dir", P(rw, "dir"), 1);
  put(P(rw, "victim"), "old");
  T(rename(P(rw, "a"), P(rw, "victim"))); cat("victim", P(rw, "victim")); show("a", P(rw, "a"), 1);
  T(renameat2(AT_FDCWD, P(rw, "victim"), AT_FDCWD, P(rw, "written.txt"), RENAME_NOREPLACE));
  T(chmod(P(rw, "victim"), 0600)); show("victim after chmod", P(rw, "victim"), 1);
  T(chown(P(rw, "victim"), 1234, 4321)); show("victim after chown", P(rw, "victim"), 1);
  T(truncate(P(rw, "victim"), 3)); cat("victim", P(rw, "victim"));
  struct timespec ts[2] = { { 1000000000, 0 }, { 1234567000, 500000000 } };
  T(utimensat(AT_FDCWD, P(rw, "victim"), ts, 0));
  struct stat st; stat(P(rw, "victim"), &st);
  printf("rw times %lld.%09ld %lld.%09ld\n", (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
  fd = open(P(rw, "victim"), O_RDWR);
  T(fallocate(fd, 0, 0, 10000)); T(fsync(fd)); T(fdatasync(fd));
  close(fd); show("victim after fallocate", P(rw, "victim"), 1);
  fd = open(P(rw, "victim"), O_WRONLY | O_TRUNC); close(fd); show("victim after O_TRUNC", P(rw, "victim"), 1);
  /* An open file outlives its name. */
  put(P(rw, "doomed"), "still here");
  fd = open(P(rw, "doomed"), O_RDONLY);
  T(unlink(P(rw, "doomed"))); show("doomed", P(rw, "doomed"), 1);
  memset(buf, 0, sizeof buf); T(pread(fd, buf, sizeof buf - 1, 0)); printf("rw unlinked read: '%s'\n", buf);
  fstat(fd, &st); printf("rw unlinked nlink %lu\n", (unsigned long)st.st_nlink);
  close(fd);
  T(mkfifo(P(rw, "fifo"), 0600)); show("fifo", P(rw, "fifo"), 0);
  T(unlink(P(rw, "fifo"))); T(unlink(P(rw, "sym")));
  T(rmdir(P(rw, "dir2"))); T(unlink(P(rw, "dir2/moved"))); T(rmdir(P(rw, "dir2/sub"))); T(rmdir(P(rw, "dir2")));
  T(unlink(P(rw, "nothing"))); T(rmdir(P(rw, "victim")));
  list("rw", rw);
  struct statvfs sv; T(statvfs(rw, &sv)); printf("rw statvfs ST_RDONLY %lu\n", sv.f_flag & ST_RDONLY);
  T(access(P(rw, "written.txt"), W_OK));
}

/* The read-only volume: reads work, every write call is EROFS (EEXIST and ENOENT come first). */
static void readonly(const char *ro) {
  section = "ro";
  cat("f", P(ro, "f")); show("f", P(ro, "f"), 1); list("ro", ro);
  T(open(P(ro, "f"), O_WRONLY)); T(open(P(ro, "f"), O_RDWR)); T(open(P(ro, "f"), O_RDONLY | O_TRUNC));
  T(open(P(ro, "new"), O_WRONLY | O_CREAT, 0644)); T(creat(P(ro, "new"), 0644)); T(open(ro, O_WRONLY | O_TMPFILE, 0600));
  T(open(P(ro, "f"), O_WRONLY | O_CREAT | O_EXCL, 0644));
  T(mkdir(P(ro, "newdir"), 0755)); T(mkdir(P(ro, "d"), 0755));
  T(unlink(P(ro, "f"))); T(unlink(P(ro, "missing"))); T(rmdir(P(ro, "d")));
  T(rename(P(ro, "f"), P(ro, "g"))); T(link(P(ro, "f"), P(ro, "g"))); T(symlink("f", P(ro, "l")));
  T(chmod(P(ro, "f"), 0600)); T(chown(P(ro, "f"), 0, 0)); T(lchown(P(ro, "f"), 0, 0));
  T(utimensat(AT_FDCWD, P(ro, "f"), NULL, 0));
  struct timespec ts[2] = { { 1, 0 }, { 2, 0 } }; T(utimensat(AT_FDCWD, P(ro, "f"), ts, 0));
  T(truncate(P(ro, "f"), 0));
  T(setxattr(P(ro, "f"), "user.x", "v", 1, 0)); T(removexattr(P(ro, "f"), "user.x"));
  T(mknod(P(ro, "fifo"), S_IFIFO | 0600, 0)); T(mkfifo(P(ro, "fifo"), 0600));
  T(access(P(ro, "f"), W_OK)); T(access(P(ro, "f"), R_OK));
  int fd = open(P(ro, "f"), O_RDONLY);
  T(fchmod(fd, 0600)); T(fchown(fd, 0, 0)); T(fsetxattr(fd, "user.x", "v", 1, 0)); T(futimens(fd, NULL));
  close(fd);
  struct statvfs sv; T(statvfs(ro, &sv)); printf("ro statvfs ST_RDONLY %lu\n", sv.f_flag & ST_RDONLY);
  cat("f (unchanged)", P(ro, "f")); list("ro (unchanged)", ro);
}

/* Across mounts: rename and link are EXDEV (before EROFS, as Linux checks the mounts first). */
static void across(const char *rw, const char *ro, const char *other) {
  section = "xdev";
  put(P(rw, "x"), "x"); put(P(other, "y"), "y");
  T(rename(P(rw, "x"), P(other, "x"))); T(rename(P(other, "y"), P(rw, "y")));
  T(link(P(rw, "x"), P(other, "lx"))); T(link(P(other, "y"), P(rw, "ly")));
  T(rename(P(rw, "x"), P(ro, "x"))); T(rename(P(ro, "f"), P(rw, "f"))); T(link(P(ro, "f"), P(rw, "lf")));
  T(mkdir(P(rw, "xd"), 0755)); T(rename(P(rw, "xd"), P(other, "xd")));
  T(renameat2(AT_FDCWD, P(other, "y"), AT_FDCWD, P(rw, "x"), RENAME_EXCHANGE));
  show("rw/x", P(rw, "x"), 1); show("other/y", P(other, "y"), 1); show("other/x", P(other, "x"), 1); show("rw/y", P(rw, "y"), 1);
  T(unlink(P(rw, "x"))); T(rmdir(P(rw, "xd"))); T(unlink(P(other, "y")));
}

int main(int argc, char **argv) {
  if (argc < 4) { fprintf(stderr, "usage: volume_ops RW RO OTHER\n"); return 2; }
  umask(022);
  setvbuf(stdout, NULL, _IOLBF, 0);
  readonly(argv[2]);
  across(argv[1], argv[2], argv[3]);
  writable(argv[1]);
  return 0;
}
