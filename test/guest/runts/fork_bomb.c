// A fork bomb, contained by `runts do --pids-limit`: forks until fork fails, reports the count and
// the errno, then kills its children (all in one process group of their own), reaps them and shows
// that fork works again. Usage: fork_bomb [pause|zombie]: the children wait for the kill, or exit
// at once and stay unreaped (zombies hold their pids too).
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
  int zombies = argc > 1 && strcmp(argv[1], "zombie") == 0;
  setvbuf(stdout, NULL, _IONBF, 0);
  pid_t group = 0;
  long forked = 0;
  for (;;) {
    pid_t c = fork();
    if (c < 0) {
      printf("forked %ld children\nfork failed: %s\n", forked, strerrorname_np(errno));
      break;
    }
    if (c == 0) {
      if (zombies) _exit(0);
      for (;;) pause();
    }
    if (group == 0) group = c;
    setpgid(c, group);
    if (++forked > 100000) { puts("fork never failed"); break; }
  }
  if (!zombies && group != 0) kill(-group, SIGKILL);
  long reaped = 0;
  while (waitpid(-1, NULL, 0) > 0) reaped++;
  printf("killed and reaped %ld\n", reaped);
  pid_t c = fork();
  if (c == 0) _exit(42);
  int st = 0;
  waitpid(c, &st, 0);
  printf("fork after cleanup: %s\n", c > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 42 ? "ok" : "FAILED");
  return 0;
}
