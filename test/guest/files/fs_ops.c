/* File-system conformance: every name- and attribute-changing call with its error cases, run in
 * an empty directory given as argv[1]. Prints one line per call: its result or errno name, and
 * the attributes that do not depend on the host (no inode numbers, devices or current times). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

static void report(const char *what, long r) {
  if (r < 0) printf("%-40s -1 %s\n", what, strerrorname_np(errno));
  else printf("%-40s %ld\n", what, r);
}
#define T(call) report(#call, (long)(call))

static void show(const char *path, int follow) {
  struct stat st;
  int r = follow ? stat(path, &st) : lstat(path, &st);
  if (r < 0) { printf("stat %-35s -1 %s\n", path, strerrorname_np(errno)); return; }
  /* A directory's size depends on the filesystem (4096 on ext4, 20 per entry on tmpfs). */
  printf("stat %-35s mode %06o nlink %lu size %lld\n", path, st.st_mode, (unsigned long)st.st_nlink, S_ISDIR(st.st_mode) ? 0LL : (long long)st.st_size);
}

static void cat(const char *path) {
  char buf[64] = {0};
  int fd = open(path, O_RDONLY);
  if (fd < 0) { printf("cat %s: %s\n", path, strerrorname_np(errno)); return; }
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  printf("cat %s: %zd '%s'\n", path, n, n > 0 ? buf : "");
}

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void list(const char *path) {
  DIR *d = opendir(path);
  if (!d) { printf("ls %s: %s\n", path, strerrorname_np(errno)); return; }
  char *names[64]; int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) && n < 64) names[n++] = strdup(e->d_name);
  closedir(d);
  qsort(names, n, sizeof *names, cmp);
  printf("ls %s:", path);
  for (int i = 0; i < n; i++) { printf(" %s", names[i]); free(names[i]); }
  printf("\n");
}

int main(int argc, char **argv) {
  if (argc < 2 || chdir(argv[1]) < 0) { perror("chdir"); return 2; }
  umask(022);
  T(mkdir("a", 0755)); T(mkdir("a", 0755)); T(mkdir("a/b/c", 0755)); T(mkdir("", 0755)); T(mkdir("a/", 0700));
  int fd = open("a/f", O_CREAT | O_EXCL | O_WRONLY, 0666);
  report("open a/f O_CREAT|O_EXCL", fd >= 0 ? 0 : -1);
  T(write(fd, "hello", 5)); T(close(fd));
  T(open("a/f", O_CREAT | O_EXCL | O_WRONLY, 0644)); T(open("a/f/x", O_RDONLY)); T(open("a", O_WRONLY)); T(open("a/f", O_RDONLY | O_DIRECTORY));
  show("a/f", 1); show("a", 1);
  T(rename("a/f", "a/g")); show("a/f", 1); show("a/g", 1);
  T(link("a/g", "a/h")); show("a/g", 1); T(link("a/g", "a/h")); T(link("a", "a/dirlink")); T(unlink("a/h")); show("a/g", 1);
  T(symlink("g", "a/s")); show("a/s", 0); show("a/s", 1); cat("a/s");
  char buf[64] = {0}; T(readlink("a/s", buf, sizeof buf)); printf("readlink: '%s'\n", buf); T(readlink("a/g", buf, sizeof buf));
  T(symlink("loop2", "a/loop1")); T(symlink("loop1", "a/loop2")); T(open("a/loop1", O_RDONLY)); T(open("a/s", O_RDONLY | O_NOFOLLOW));
  T(symlink("missing", "a/dangling")); T(open("a/dangling", O_RDONLY)); fd = open("a/dangling", O_CREAT | O_WRONLY, 0600); report("create through dangling link", fd >= 0 ? 0 : -1); if (fd >= 0) close(fd); show("a/missing", 1);
  T(rmdir("a")); T(unlink("a")); T(rmdir("a/g")); T(rmdir(".")); T(rmdir("a/..")); T(unlink("a/nothing"));
  T(truncate("a/g", 2)); cat("a/g"); T(truncate("a/g", -1)); T(truncate("a", 0)); show("a/g", 1);
  fd = open("a/g", O_RDONLY); T(ftruncate(fd, 0)); close(fd);
  fd = open("a/g", O_RDWR | O_APPEND); T(write(fd, "xyz", 3)); T(lseek(fd, 0, SEEK_SET)); T(write(fd, "!", 1)); close(fd); cat("a/g");
  fd = open("a/g", O_WRONLY | O_TRUNC); close(fd); show("a/g", 1);
  T(chmod("a/g", 0600)); show("a/g", 1); T(chmod("a/g", 04755)); show("a/g", 1); T(chmod("a/nothing", 0600));
  struct timespec ts[2] = { { 1000000000, 5 }, { 1200000000, 700 } };
  T(utimensat(AT_FDCWD, "a/g", ts, 0));
  struct stat st; stat("a/g", &st); printf("times %lld.%ld %lld.%ld\n", (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
  struct timespec bad[2] = { { 0, 1000000000 }, { 0, 0 } }; T(utimensat(AT_FDCWD, "a/g", bad, 0));
  T(mkdir("a/sub", 0755)); T(rename("a", "a/sub/x")); T(rename("a/sub", "a/g")); T(rename("a/g", "a/sub"));
  T(mkdir("a/sub2", 0755)); T(mkdir("a/sub2/inner", 0755)); T(rename("a/sub", "a/sub2")); T(rmdir("a/sub2/inner")); T(rename("a/sub", "a/sub2")); show("a/sub2", 1); show("a/sub", 1);
  fd = open("a/one", O_CREAT | O_WRONLY, 0644); write(fd, "1", 1); close(fd);
  fd = open("a/two", O_CREAT | O_WRONLY, 0644); write(fd, "22", 2); close(fd);
  T(syscall(SYS_renameat2, AT_FDCWD, "a/one", AT_FDCWD, "a/two", 1 /* NOREPLACE */));
  T(syscall(SYS_renameat2, AT_FDCWD, "a/one", AT_FDCWD, "a/two", 2 /* EXCHANGE */)); cat("a/one"); cat("a/two");
  T(syscall(SYS_renameat2, AT_FDCWD, "a/one", AT_FDCWD, "a/none", 2)); T(syscall(SYS_renameat2, AT_FDCWD, "a/one", AT_FDCWD, "a/two", 3));
  T(rename("a/one", "a/two")); show("a/one", 1); cat("a/two");
  list("a");
  int dfd = open("a", O_RDONLY | O_DIRECTORY);
  T(mkdirat(dfd, "at", 0700)); T(unlinkat(dfd, "at", 0)); T(unlinkat(dfd, "at", AT_REMOVEDIR)); T(unlinkat(dfd, "at", AT_REMOVEDIR));
  T(symlinkat("two", dfd, "l2")); T(linkat(dfd, "l2", dfd, "l3", 0)); show("a/l3", 0); T(linkat(dfd, "l2", dfd, "l4", AT_SYMLINK_FOLLOW)); show("a/l4", 0);
  T(fchmodat(dfd, "two", 0640, 0)); show("a/two", 1); T(faccessat(dfd, "two", R_OK | W_OK, 0)); T(faccessat(dfd, "nothing", F_OK, 0));
  T(mknodat(dfd, "fifo", S_IFIFO | 0644, 0)); show("a/fifo", 1); T(mknodat(dfd, "dir", S_IFDIR | 0755, 0));
  T(fchdir(dfd)); char cwd[4096]; if (getcwd(cwd, sizeof cwd)) printf("cwd ends with /a: %s\n", strlen(cwd) >= 2 && !strcmp(cwd + strlen(cwd) - 2, "/a") ? "yes" : "no");
  T(chdir("..")); close(dfd);
  char longname[300]; memset(longname, 'n', 256); longname[256] = 0; T(mkdir(longname, 0755)); longname[255] = 0; T(mkdir(longname, 0755)); T(rmdir(longname));
  T(setxattr("a/two", "user.color", "blue", 4, 0)); char v[16] = {0}; T(getxattr("a/two", "user.color", v, sizeof v)); printf("xattr '%s'\n", v);
  T(getxattr("a/two", "user.none", v, sizeof v)); T(setxattr("a/two", "user.color", "red", 3, XATTR_CREATE)); T(setxattr("a/two", "user.new", "x", 1, XATTR_REPLACE));
  T(getxattr("a/two", "user.color", v, 1)); T(getxattr("a/two", "user.color", NULL, 0)); T(removexattr("a/two", "user.color")); T(removexattr("a/two", "user.color"));
  T(setxattr("a/two", "bogus.name", "x", 1, 0));
  fd = open("a/big", O_CREAT | O_RDWR, 0644); T(pwrite(fd, "end", 3, 1 << 20)); struct stat bs; fstat(fd, &bs); printf("sparse size %lld\n", (long long)bs.st_size);
  char z[4] = {1, 1, 1, 1}; T(pread(fd, z, 4, 4096)); printf("hole reads %d%d%d%d\n", z[0], z[1], z[2], z[3]); close(fd);
  list("a");
  return 0;
}
