// execve and execveat: the errors before the point of no return (the caller goes on), argv and
// envp, #! scripts with an argument and nested interpreters, close-on-exec, signal dispositions
// across exec, AT_EMPTY_PATH and AT_SYMLINK_NOFOLLOW. Run in an empty directory with its own path
// as argv[0]; it re-executes itself for each stage. Output must match the native run byte for byte.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define T(call) report(#call, (long)(call))

static void report(const char *what, long r) {
  if (r < 0) printf("%s: -1 %s\n", what, strerrorname_np(errno));
  else printf("%s: %ld\n", what, r);
  fflush(stdout);
}

static void writeFile(const char *name, const char *text, mode_t mode) {
  int fd = open(name, O_CREAT | O_WRONLY | O_TRUNC, mode);
  if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) { perror(name); exit(2); }
  close(fd);
  chmod(name, mode);
}

static void onUsr1(int sig) { (void)sig; }

/** What a re-executed image sees: its arguments, environment, fds and signal dispositions. */
static int stage2(int argc, char **argv) {
  printf("stage2 argc=%d", argc);
  for (int i = 2; i < argc; i++) printf(" [%s]", argv[i]);
  printf(" EXEC_TEST=%s\n", getenv("EXEC_TEST") ? getenv("EXEC_TEST") : "(unset)");
  printf("fd 20 (cloexec) %s, fd 21 (kept) %s\n", fcntl(20, F_GETFD) < 0 ? "closed" : "open", fcntl(21, F_GETFD) < 0 ? "closed" : "open");
  struct sigaction sa;
  sigaction(SIGUSR1, NULL, &sa);
  printf("SIGUSR1 handler reset to default: %s\n", sa.sa_handler == SIG_DFL ? "yes" : "no");
  sigaction(SIGUSR2, NULL, &sa);
  printf("SIGUSR2 still ignored: %s\n", sa.sa_handler == SIG_IGN ? "yes" : "no");
  sigset_t mask;
  sigprocmask(SIG_SETMASK, NULL, &mask);
  printf("SIGHUP still blocked: %s\n", sigismember(&mask, SIGHUP) ? "yes" : "no");
  char exe[256] = {0};
  readlink("/proc/self/exe", exe, sizeof exe - 1);
  const char *base = strrchr(exe, '/');
  printf("/proc/self/exe is this program: %s\n", base && !strncmp(base + 1, "exec_ops", 8) ? "yes" : "no");
  // Last, execveat of an O_PATH descriptor with AT_EMPTY_PATH.
  int fd = open("/proc/self/exe", O_PATH | O_CLOEXEC);
  char *args[] = { "again", "stage3", NULL };
  fflush(stdout);
  T(syscall(SYS_execveat, fd, "", args, environ, AT_EMPTY_PATH));
  return 1;
}

int main(int argc, char **argv) {
  if (argc >= 2 && !strcmp(argv[1], "stage2")) return stage2(argc, argv);
  if (argc >= 2 && !strcmp(argv[1], "stage3")) { printf("stage3 argv[0]=%s\n", argv[0]); return 0; }
  if (argc < 2 || chdir(argv[1]) < 0) { perror("chdir"); return 2; }
  const char *self = argv[0];
  char *args[] = { "x", NULL };
  char *env[] = { NULL };

  // Failures leave the caller running.
  T(execve("missing", args, env));
  T(execve("missing/dir", args, env));
  writeFile("plain", "data\n", 0644);
  T(execve("plain", args, env));
  T(execve("plain/x", args, env));
  T(execve(".", args, env));
  writeFile("garbage", "this is not a program\n", 0755);
  T(execve("garbage", args, env));
  writeFile("loop1", "#!./loop2\n", 0755);
  writeFile("loop2", "#!./loop1\n", 0755);
  T(execve("loop1", args, env));
  writeFile("noninterp", "#!./plain\n", 0755);
  T(execve("noninterp", args, env));
  writeFile("empty", "#!\n", 0755);
  T(execve("empty", args, env));
  writeFile("missinginterp", "#!/no/such/interpreter\n", 0755);
  T(execve("missinginterp", args, env));
  char **volatile bad = (char **)8;
  T(execve(self, bad, env));
  T(syscall(SYS_execveat, AT_FDCWD, self, args, env, 0x4000));
  T(symlink("plain", "link"));
  T(syscall(SYS_execveat, AT_FDCWD, "link", args, env, AT_SYMLINK_NOFOLLOW));
  T(syscall(SYS_execveat, 99, "", args, env, AT_EMPTY_PATH));

  // A script's interpreter gets its argument and the script's name; interpreters nest. The chain
  // ends in stage2 (through the script's exec), which checks what exec kept and dropped.
  writeFile("script.sh", "#!/bin/sh -e\necho \"script: \\$0=$0 \\$1=[$1] \\$2=[$2] \\$3=[$3]\"\nexec \"$SELF\" stage2 \"$@\"\n", 0755);
  writeFile("nested", "#!./script.sh   one  arg  \n", 0755);
  if (dup3(open("plain", O_RDONLY), 20, O_CLOEXEC) != 20 || dup2(open("plain", O_RDONLY), 21) != 21) { perror("dup2"); return 2; }
  struct sigaction sa = { .sa_handler = onUsr1 };
  sigaction(SIGUSR1, &sa, NULL);
  signal(SIGUSR2, SIG_IGN);
  sigset_t hup;
  sigemptyset(&hup); sigaddset(&hup, SIGHUP);
  sigprocmask(SIG_BLOCK, &hup, NULL);
  char selfEnv[4200];
  snprintf(selfEnv, sizeof selfEnv, "SELF=%s", self);
  char *chain[] = { "nested", "a b", NULL };
  char *chainEnv[] = { "EXEC_TEST=1", selfEnv, "PATH=/usr/bin:/bin", NULL };
  T(execve("nested", chain, chainEnv));
  return 1;
}
