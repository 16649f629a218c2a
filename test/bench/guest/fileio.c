/* Benchmark: file access through the sandbox's VFS and the Gofer. Usage:
 *   fileio stat PATH N        stat PATH N times                  -> "stat N ok"
 *   fileio small DIR N        open+read+close DIR/f0 .. f(N-1)    -> "small N files B bytes"
 *   fileio read PATH          read PATH sequentially, 1 MiB reads -> "read B bytes sum S"
 * (S: the bytes summed modulo 2^32, so the bench can check that every byte was read.) */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: fileio stat|small|read ...\n"); return 2; }
  if (!strcmp(argv[1], "stat") && argc == 4) {
    long n = strtol(argv[3], NULL, 10);
    struct stat st;
    for (long i = 0; i < n; i++) if (stat(argv[2], &st) < 0) { perror("stat"); return 1; }
    printf("stat %ld ok\n", n);
  } else if (!strcmp(argv[1], "small") && argc == 4) {
    long n = strtol(argv[3], NULL, 10), bytes = 0;
    char path[4096], buf[4096];
    for (long i = 0; i < n; i++) {
      snprintf(path, sizeof path, "%s/f%ld", argv[2], i);
      int fd = open(path, O_RDONLY);
      if (fd < 0) { perror(path); return 1; }
      ssize_t r;
      while ((r = read(fd, buf, sizeof buf)) > 0) bytes += r;
      close(fd);
    }
    printf("small %ld files %ld bytes\n", n, bytes);
  } else if (!strcmp(argv[1], "read")) {
    int fd = open(argv[2], O_RDONLY);
    if (fd < 0) { perror(argv[2]); return 1; }
    static unsigned char buf[1 << 20];
    long total = 0;
    unsigned sum = 0;
    ssize_t r;
    while ((r = read(fd, buf, sizeof buf)) > 0) {
      for (ssize_t i = 0; i < r; i++) sum += buf[i];
      total += r;
    }
    printf("read %ld bytes sum %u\n", total, sum);
  } else { fprintf(stderr, "fileio: bad arguments\n"); return 2; }
  return 0;
}
