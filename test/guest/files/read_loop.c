// Reads a file over and over (open, read, close) until a call fails, then prints the errno and
// exits 3. Prints "ready" after the first good read, so a test can act while the loop runs.
// Used to check that killing the Gofer makes file calls fail with EIO, without a hang.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
  const char *path = argc > 1 ? argv[1] : "/etc/hostname";
  char buf[4096];
  for (unsigned long i = 0;; i++) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) { printf("open failed: errno %d (%s) after %lu reads\n", errno, strerror(errno), i); return 3; }
    ssize_t n = read(fd, buf, sizeof buf);
    int err = errno;
    close(fd);
    if (n < 0) { printf("read failed: errno %d (%s) after %lu reads\n", err, strerror(err), i); return 3; }
    if (i == 0) { printf("ready\n"); fflush(stdout); }
  }
}
