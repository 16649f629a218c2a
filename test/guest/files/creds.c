/* Credentials: dropping from root to uid 1000 with setresuid (keeping a saved 0), what that
 * uid may and may not do in a directory it owns or not, regaining root through the saved id,
 * and losing it for good. Run as root in an empty directory given as argv[1]. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sys/fsuid.h>
#include <grp.h>
#define T(x) do { long r = (long)(x); printf("%-45s %ld %s\n", #x, r, r < 0 ? strerrorname_np(errno) : ""); } while (0)
int main(int argc, char **argv) {
  uid_t r, e, s; getresuid(&r, &e, &s); printf("uids %u %u %u\n", r, e, s);
  chdir(argv[1]);
  T(mkdir("d", 0700)); T(open("d/f", O_CREAT|O_WRONLY, 0600));
  T(chown("d", 1000, 1000)); T(setgroups(0, NULL)); T(setresgid(1000, 1000, 1000));
  T(setresuid(1000, 1000, 0)); getresuid(&r, &e, &s); printf("uids %u %u %u\n", r, e, s);
  T(open("d/f", O_RDONLY)); T(open("d/g", O_CREAT|O_WRONLY, 0600)); T(unlink("d/f")); T(chmod("d/f", 0777)); T(chown("d", 0, 0));
  T(setuid(0)); getresuid(&r, &e, &s); printf("uids %u %u %u\n", r, e, s);
  T(setuid(1000)); T(setuid(0)); T(setfsuid(0)); T(mkdir("/x", 0755)); T(mknod("d/n", S_IFCHR|0600, 0x103));
  return 0;
}
