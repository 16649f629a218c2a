/* Escape attempts from inside the sandbox: reach a host file outside the root and the volumes.
 *   escape OUTSIDE VOLUME ITERATIONS
 * OUTSIDE is the host directory holding the secret files (its path on the host), VOLUME where the
 * writable volume is mounted. The volume holds absolute and relative symlinks to OUTSIDE and the
 * directories s0..s49 (files f0..f9 reading "INSIDE") that the host keeps swapping, one after
 * the other, with a symlink to OUTSIDE/dir while this program opens files under them. Every read
 * prints what it got, so a secret that leaked shows up in the output; every write tries to change
 * or create a file outside. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *outside, *vol;

static void result(const char *what, long r) {
  if (r < 0) printf("%-70s -1 %s\n", what, strerrorname_np(errno));
  else printf("%-70s %ld\n", what, r);
}

/* Opens `path` (from `dirfd`) and prints what it reads: an errno, or the bytes. */
static void try_read_at(int dirfd, const char *path) {
  char what[4200], buf[200] = {0};
  snprintf(what, sizeof what, "read %s", path);
  int fd = openat(dirfd, path, O_RDONLY);
  if (fd < 0) { result(what, -1); return; }
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n < 0) { result(what, -1); return; }
  for (ssize_t i = 0; i < n; i++) if (buf[i] == '\n') buf[i] = ' ';
  printf("%-70s got '%s'\n", what, buf);
}
static void try_read(const char *path) { try_read_at(AT_FDCWD, path); }

/* Opens `path` for writing (creating it) and writes a marker. */
static void try_write(const char *path) {
  char what[4200];
  snprintf(what, sizeof what, "write %s", path);
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
  if (fd < 0) { result(what, -1); return; }
  long n = write(fd, "PWNED\n", 6);
  close(fd);
  result(what, n);
}

static char pbuf[16][4200];
static int pnext;
static const char *P(const char *fmt, const char *a, const char *b) {
  char *s = pbuf[pnext++ % 16];
  snprintf(s, sizeof pbuf[0], fmt, a, b);
  return s;
}

int main(int argc, char **argv) {
  if (argc < 4) { fprintf(stderr, "usage: escape OUTSIDE VOLUME ITERATIONS\n"); return 2; }
  outside = argv[1]; vol = argv[2];
  int iterations = atoi(argv[3]);
  setvbuf(stdout, NULL, _IOLBF, 0);
  const char *dots = "../../../../../../../../../../../../../../../..";

  /* Symlinks planted in the root and the volume, pointing at the host's file. */
  try_read("/abs-link"); try_read("/rel-link"); try_read("/dir-link/secret");
  try_read(P("%s/%s", vol, "abs-link")); try_read(P("%s/%s", vol, "rel-link")); try_read(P("%s/%s", vol, "dir-link/secret"));
  /* The host path itself, and `..` beyond the root and beyond the volume's root. */
  try_read(P("%s/%s", outside, "secret"));
  try_read(P("/%s%s/secret", dots, outside));
  try_read(P("%s/%s", vol, P("%s%s/secret", dots, outside)));
  /* procfs: the root and cwd links, and the fd of a directory. */
  try_read(P("/proc/self/root%s/%s", outside, "secret"));
  try_read(P("/proc/self/root/%s%s/secret", dots, outside));
  try_read(P("/proc/self/cwd/%s%s/secret", dots, outside));
  int dfd = open(vol, O_RDONLY | O_DIRECTORY);
  result("open the volume as a directory", dfd >= 0 ? 0 : -1);
  char fdpath[64];
  snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", dfd);
  try_read(P("%s/%s", fdpath, P("%s%s/secret", dots, outside)));
  try_read(P("%s/%s", fdpath, "abs-link"));
  try_read_at(dfd, P("%s%s/secret", dots, outside));
  try_read_at(dfd, "abs-link");
  try_read_at(dfd, "rel-link");
  /* chdir up and out. */
  result("chdir to the volume", chdir(vol));
  for (int i = 0; i < 20; i++) chdir("..");
  char cwd[4096] = {0};
  printf("%-70s %s\n", "cwd after chdir(..) x20", getcwd(cwd, sizeof cwd) ? cwd : strerrorname_np(errno));
  try_read(P("%s%s/secret", dots, outside));
  /* A hard link the host made beforehand is the host's choice: readable, as on Linux. */
  try_read("/hardlink");
  try_write("/hardlink"); /* the root is read-only under the overlay: the copy changes, not the host's */
  try_read("/hardlink");

  /* Writes through the links and paths above: nothing may change or appear outside. */
  try_write("/abs-link"); try_write("/rel-link"); try_write("/dir-link/secret"); try_write("/dir-link/new");
  try_write(P("%s/%s", vol, "abs-link")); try_write(P("%s/%s", vol, "rel-link")); try_write(P("%s/%s", vol, "dir-link/new"));
  try_write(P("/%s%s/secret", dots, outside));
  try_write(P("/proc/self/root%s/%s", outside, "secret"));
  try_write(P("%s/%s", fdpath, P("%s%s/new", dots, outside)));
  result("mkdir through a link to the outside", mkdir(P("%s/%s", vol, "dir-link/newdir"), 0755));
  result("symlink in the volume to the outside", symlink(P("%s/%s", outside, "secret"), P("%s/%s", vol, "planted")));
  try_read(P("%s/%s", vol, "planted"));
  /* Hard links: the guest must not make one to an outside file. */
  result("link a planted symlink (not followed)", link(P("%s/%s", vol, "abs-link"), P("%s/%s", vol, "hl-symlink")));
  try_read(P("%s/%s", vol, "hl-symlink"));
  result("link following a symlink out", linkat(AT_FDCWD, P("%s/%s", vol, "abs-link"), AT_FDCWD, P("%s/%s", vol, "hl-follow"), AT_SYMLINK_FOLLOW));
  result("link following a relative symlink out", linkat(AT_FDCWD, P("%s/%s", vol, "rel-link"), AT_FDCWD, P("%s/%s", vol, "hl-rel"), AT_SYMLINK_FOLLOW));
  result("link the root's hard link into the volume", link("/hardlink", P("%s/%s", vol, "hl-root")));
  result("link from the fd of a directory", linkat(dfd, P("%s%s/secret", dots, outside), dfd, "hl-dots", 0));
  result("rename a planted link over nothing outside", rename(P("%s/%s", vol, "abs-link"), P("%s/%s", vol, "dir-link/moved")));

  /* The race: the host swaps VOLUME/sK with a symlink to OUTSIDE/dir; each directory is looked up
   * at some moment of that, then files under it are opened later; it is renamed back and forth too. */
  int inside = 0, failed = 0, other = 0;
  for (int i = 0; i < iterations; i++) {
    char path[4200], dir[64], moved[64], buf[200] = {0};
    snprintf(dir, sizeof dir, "s%d", i % 50);
    snprintf(moved, sizeof moved, "s%d.guest", i % 50);
    snprintf(path, sizeof path, "%s/%s/f%d", vol, dir, (i / 50) % 10);
    int fd = open(path, O_RDONLY);
    if (fd < 0) { failed++; }
    else {
      ssize_t n = read(fd, buf, sizeof buf - 1);
      close(fd);
      if (n == 6 && memcmp(buf, "INSIDE", 6) == 0) inside++;
      else { other++; printf("race read %s: '%s'\n", path, buf); }
    }
    if (i % 7 == 3) {
      rename(P("%s/%s", vol, dir), P("%s/%s", vol, moved));
      rename(P("%s/%s", vol, moved), P("%s/%s", vol, dir));
    }
  }
  printf("race: %d opens, %d read INSIDE, %d failed, %d read something else\n", iterations, inside, failed, other);
  close(dfd);
  return 0;
}
