// Pipes and FIFOs: pipe2 flags, EOF when the writers are gone, EPIPE and SIGPIPE when the readers
// are, PIPE_BUF atomicity, O_NONBLOCK (EAGAIN), F_GETPIPE_SZ/F_SETPIPE_SZ, FIONREAD, a FIFO made
// with mknod opened by two processes (and O_NONBLOCK's ENXIO), splice, tee and vmsplice, and a
// 5-stage pipeline of processes. Output must match the native run byte for byte.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#define T(call) report(#call, (long)(call))
static void report(const char *what, long r) {
  if (r < 0) printf("%s: -1 %s\n", what, strerrorname_np(errno));
  else printf("%s: %ld\n", what, r);
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  if (argc < 2 || chdir(argv[1]) < 0) { perror("chdir"); return 2; }
  int p[2];
  T(pipe2(p, O_CLOEXEC | O_NONBLOCK));
  printf("cloexec %d, nonblock %d, read end %s\n", fcntl(p[0], F_GETFD) & FD_CLOEXEC, (fcntl(p[1], F_GETFL) & O_NONBLOCK) != 0,
         (fcntl(p[0], F_GETFL) & O_ACCMODE) == O_RDONLY ? "O_RDONLY" : "other");
  char buf[70000];
  T(read(p[0], buf, 10));
  T(write(p[1], "hello", 5));
  int avail = -1; ioctl(p[0], FIONREAD, &avail); printf("FIONREAD %d\n", avail);
  T(read(p[0], buf, sizeof buf));
  T(fcntl(p[1], F_GETPIPE_SZ));
  memset(buf, 'x', sizeof buf);
  T(write(p[1], buf, sizeof buf));
  T(write(p[1], buf, 1));
  T(fcntl(p[1], F_SETPIPE_SZ, 4096));
  T(fcntl(p[1], F_SETPIPE_SZ, 100000));
  T(fcntl(p[1], F_GETPIPE_SZ));
  T(read(p[0], buf, sizeof buf));
  T(lseek(p[0], 0, SEEK_SET));
  T(pread(p[0], buf, 1, 0));
  T(pipe2(p, 0x8000000));
  close(p[0]); close(p[1]);

  // EOF and EPIPE.
  T(pipe(p));
  close(p[1]);
  T(read(p[0], buf, 10));
  close(p[0]);
  T(pipe(p));
  close(p[0]);
  signal(SIGPIPE, SIG_IGN);
  T(write(p[1], "x", 1));
  signal(SIGPIPE, SIG_DFL);
  pid_t c = fork();
  if (c == 0) { write(p[1], "x", 1); _exit(0); }
  int st; waitpid(c, &st, 0);
  printf("writer with no reader: killed by %d\n", WIFSIGNALED(st) ? WTERMSIG(st) : 0);
  close(p[1]);

  // PIPE_BUF atomicity: two writers of 4096-byte blocks never interleave within a block.
  T(pipe(p));
  for (int w = 0; w < 2; w++) {
    if (fork() == 0) {
      close(p[0]);
      char block[4096];
      memset(block, 'a' + w, sizeof block);
      for (int i = 0; i < 20; i++) write(p[1], block, sizeof block);
      _exit(0);
    }
  }
  close(p[1]);
  int blocks = 0, mixed = 0; char block[4096]; size_t have = 0; ssize_t n;
  while ((n = read(p[0], block + have, sizeof block - have)) > 0) {
    have += n;
    if (have == sizeof block) { blocks++; for (size_t i = 1; i < have; i++) if (block[i] != block[0]) { mixed++; break; } have = 0; }
  }
  while (wait(NULL) > 0) {}
  printf("atomic blocks %d, mixed %d\n", blocks, mixed);
  close(p[0]);

  // A FIFO between two processes.
  T(mkfifo("fifo", 0644));
  T(open("fifo", O_WRONLY | O_NONBLOCK));
  int rn = open("fifo", O_RDONLY | O_NONBLOCK);
  T(read(rn, buf, 10));
  close(rn);
  c = fork();
  if (c == 0) { int w = open("fifo", O_WRONLY); write(w, "through the fifo", 16); close(w); _exit(0); }
  int r = open("fifo", O_RDONLY);
  n = read(r, buf, sizeof buf);
  printf("fifo read %zd: %.*s\n", n, (int)n, buf);
  T(read(r, buf, 10));
  close(r);
  waitpid(c, NULL, 0);
  struct stat fs; fstat(open("fifo", O_RDWR), &fs);
  printf("fstat of a fifo: is fifo %d\n", S_ISFIFO(fs.st_mode));

  // splice, tee, vmsplice.
  int fd = open("file", O_CREAT | O_RDWR | O_TRUNC, 0644);
  write(fd, "0123456789", 10);
  int a[2], b[2];
  pipe(a); pipe(b);
  loff_t off = 2;
  T(splice(fd, &off, a[1], NULL, 5, 0));
  printf("offset now %lld\n", (long long)off);
  T(tee(a[0], b[1], 100, 0));
  T(splice(a[0], NULL, b[1], NULL, 3, 0));
  n = read(b[0], buf, sizeof buf); printf("b has %.*s\n", (int)n, buf);
  off = 0;
  T(splice(a[0], NULL, fd, &off, 10, 0));
  T(pread(fd, buf, 10, 0)); printf("file now %.10s\n", buf);
  T(splice(fd, NULL, fd, NULL, 1, 0));
  T(splice(a[0], &off, b[1], NULL, 1, 0));
  T(splice(a[0], NULL, b[1], NULL, 1, SPLICE_F_NONBLOCK));
  T(tee(a[0], fd, 1, 0));
  struct iovec iov[2] = { { "vm", 2 }, { "splice", 6 } };
  T(vmsplice(b[1], iov, 2, 0));
  n = read(b[0], buf, sizeof buf); printf("vmsplice gave %.*s\n", (int)n, buf);

  // A pipeline of five processes, each adding its stage number.
  int in = -1;
  for (int s = 0; s < 5; s++) {
    int q[2]; pipe(q);
    if (fork() == 0) {
      close(q[0]);
      long v = 0;
      if (in >= 0) { read(in, &v, sizeof v); close(in); }
      v = v * 10 + s + 1;
      write(q[1], &v, sizeof v);
      _exit(0);
    }
    close(q[1]);
    if (in >= 0) close(in);
    in = q[0];
  }
  long v = 0; read(in, &v, sizeof v);
  while (wait(NULL) > 0) {}
  printf("pipeline result %ld\n", v);
  return 0;
}
