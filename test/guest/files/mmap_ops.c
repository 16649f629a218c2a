// File-backed mmap: MAP_SHARED stores are the file's data and writes to the file show in the
// mapping; MAP_PRIVATE pages are the file's until written, then private; msync, mprotect and
// munmap/mremap of file mappings; the errors. Run in an empty directory; the output must match
// the native run byte for byte (nothing printed depends on the filesystem or on addresses).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define PG 4096
#define T(call) report(#call, (long)(call))
#define M(call) reportMap(#call, (call))

static void report(const char *what, long r) {
  if (r < 0) printf("%s: -1 %s\n", what, strerrorname_np(errno));
  else printf("%s: %ld\n", what, r);
}

static void reportMap(const char *what, void *p) {
  if (p == MAP_FAILED) printf("%s: MAP_FAILED %s\n", what, strerrorname_np(errno));
  else printf("%s: mapped\n", what);
}

/** A file of `pages` pages plus `tail` bytes, byte k being 'a' + (k / PG) % 26. */
static int makeFile(const char *name, int pages, int tail) {
  int fd = open(name, O_CREAT | O_RDWR | O_TRUNC, 0644);
  char page[PG];
  for (int p = 0; p < pages; p++) { memset(page, 'a' + p % 26, PG); if (write(fd, page, PG) != PG) abort(); }
  memset(page, 'a' + pages % 26, tail);
  if (tail && write(fd, page, tail) != tail) abort();
  return fd;
}

static char at(int fd, off_t off) { char c = '?'; if (pread(fd, &c, 1, off) != 1) return '!'; return c; }

int main(int argc, char **argv) {
  if (argc < 2 || chdir(argv[1]) < 0) { perror("chdir"); return 2; }
  int fd = makeFile("f", 3, 100); // 3 pages and 100 bytes

  // MAP_SHARED: both directions, at once.
  char *s = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  M(s);
  printf("shared reads %c%c%c%c, past EOF in last page: %d\n", s[0], s[PG], s[2 * PG], s[3 * PG + 99], s[3 * PG + 100]);
  s[5] = 'X';
  printf("file sees mapping store: %c\n", at(fd, 5));
  T(pwrite(fd, "Y", 1, PG + 7));
  printf("mapping sees file write: %c\n", s[PG + 7]);
  T(ftruncate(fd, 5 * PG));
  printf("after growing, old tail reads %d\n", s[3 * PG + 200]);
  T(msync(s, 4 * PG, MS_SYNC)); T(msync(s, PG, MS_ASYNC)); T(msync(s, PG, MS_INVALIDATE));
  T(msync(s, PG, MS_SYNC | MS_ASYNC)); T(msync(s, PG, 0x100)); T(msync(s + 1, PG, MS_SYNC));
  T(munmap(s + PG, PG));
  printf("after unmapping the middle, third page reads %c\n", s[2 * PG]);
  T(msync(s, 3 * PG, MS_SYNC));
  T(munmap(s, 4 * PG));

  // Two shared mappings of one file are the same memory.
  char *a = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, PG);
  char *b = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, PG);
  M(a); M(b);
  a[1] = 'Z';
  printf("second shared mapping sees it: %c, file: %c\n", b[1], at(fd, PG + 1));
  T(mprotect(b, PG, PROT_READ | PROT_WRITE));
  munmap(a, PG); munmap(b, PG);

  // MAP_PRIVATE: the file's pages until written, then a private copy.
  char *p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  M(p);
  p[0] = 'P';
  printf("private store: mapping %c, file %c\n", p[0], at(fd, 0));
  T(pwrite(fd, "Q", 1, 1));
  T(pwrite(fd, "R", 1, PG + 2));
  printf("file write to a copied page: %c; to an untouched page: %c\n", p[1], p[PG + 2]);
  T(madvise(p, PG, MADV_DONTNEED));
  printf("after MADV_DONTNEED the private page is the file's again: %c%c\n", p[0], p[1]);
  char *q = mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 0);
  printf("another private mapping: %c\n", q[0]);
  munmap(p, 2 * PG); munmap(q, PG);

  // mremap of a shared file mapping keeps the file behind it.
  // (Two pages of our own, so that the page after the file mapping is ours to block growth with.)
  char *blocker = mmap(NULL, 2 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  char *r = mmap(blocker, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0);
  M(r);
  char *r2 = mremap(r, PG, 3 * PG, MREMAP_MAYMOVE);
  M(r2);
  printf("moved mapping: %c %c %c\n", r2[0], r2[PG + 2], r2[2 * PG]);
  r2[2 * PG + 3] = 'M';
  printf("file sees the moved mapping's store: %c\n", at(fd, 2 * PG + 3));
  munmap(r2, 3 * PG); munmap(blocker + PG, PG);

  // /proc/self/maps shows the file and the offset.
  char *o = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 2 * PG);
  struct stat st; fstat(fd, &st);
  FILE *maps = fopen("/proc/self/maps", "r");
  char line[512]; int found = 0;
  while (maps && fgets(line, sizeof line, maps)) {
    unsigned long lo, off, ino; char perms[8]; unsigned maj, min;
    if (sscanf(line, "%lx-%*x %7s %lx %x:%x %lu", &lo, perms, &off, &maj, &min, &ino) == 6 && lo == (unsigned long)o) {
      size_t n = strlen(line);
      found = 1;
      printf("maps: %s offset %lx, inode matches: %s, ends with /f: %s\n", perms, off, ino == st.st_ino ? "yes" : "no",
             n > 3 && !strcmp(line + n - 3, "/f\n") ? "yes" : "no");
    }
  }
  if (maps) fclose(maps);
  printf("maps line found: %s\n", found ? "yes" : "no");
  munmap(o, PG);
  close(fd);

  // A read-only description: shared writable mappings and making them writable are refused.
  int ro = open("f", O_RDONLY);
  M(mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0));
  char *rs = mmap(NULL, PG, PROT_READ, MAP_SHARED, ro, 0);
  M(rs);
  T(mprotect(rs, PG, PROT_READ | PROT_WRITE));
  char *rp = mmap(NULL, PG, PROT_READ, MAP_PRIVATE, ro, 0);
  T(mprotect(rp, PG, PROT_READ | PROT_WRITE));
  rp[0] = 'W';
  printf("private copy of a read-only file: %c, file %c\n", rp[0], at(ro, 0));
  munmap(rs, PG); munmap(rp, PG);

  // Errors.
  int wo = open("f", O_WRONLY), ap = open("f", O_RDWR | O_APPEND), dir = open(".", O_RDONLY), path = open("f", O_PATH);
  M(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, wo, 0));
  M(mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, ap, 0));
  M(mmap(NULL, PG, PROT_READ, MAP_SHARED, ap, 0));
  M(mmap(NULL, PG, PROT_READ, MAP_SHARED, dir, 0));
  M(mmap(NULL, PG, PROT_READ, MAP_SHARED, path, 0));
  M(mmap(NULL, PG, PROT_READ, MAP_SHARED, 999, 0));
  M(mmap(NULL, PG, PROT_READ, MAP_SHARED, ro, 100));
  M(mmap(NULL, 0, PROT_READ, MAP_SHARED, ro, 0));
  M(mmap(NULL, PG, PROT_READ, MAP_SHARED | MAP_PRIVATE, ro, 0));
  M(mmap(NULL, PG, PROT_READ, MAP_SHARED_VALIDATE, ro, 0));
  M(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, ro, -4096));

  // A host file (in the sandbox, the read-only layer's page cache): the mapping reads as read() does.
  int host = open("/etc/passwd", O_RDONLY);
  if (host >= 0) {
    struct stat hs; fstat(host, &hs);
    char *h = mmap(NULL, hs.st_size, PROT_READ | PROT_WRITE, MAP_PRIVATE, host, 0);
    char *h2 = mmap(NULL, hs.st_size, PROT_READ, MAP_PRIVATE, host, 0);
    char *buf = malloc(hs.st_size);
    ssize_t n = pread(host, buf, hs.st_size, 0);
    printf("host file mapping equals its contents: %s\n", n == hs.st_size && !memcmp(h, buf, n) ? "yes" : "no");
    h[0] ^= 1;
    printf("a private store stays private: %s\n", h2[0] == buf[0] && at(host, 0) == buf[0] && h[0] != buf[0] ? "yes" : "no");
    M(mmap(NULL, hs.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, host, 0));
  }
  return 0;
}
