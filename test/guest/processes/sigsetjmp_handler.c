/* siglongjmp out of a signal handler, with and without the saved mask (signal delivery:
   the processes issue; not in the corpus run until then). */
#include <stdio.h>
#include <setjmp.h>
#include <signal.h>

static sigjmp_buf sjb;
static volatile sig_atomic_t handled;
static void on_usr1(int sig) { handled++; siglongjmp(sjb, sig); }

int main(void) {
    /* signals: siglongjmp out of a handler, mask restored */
    signal(SIGUSR1, on_usr1);
    for (int k = 0; k < 3; k++) {
        int s = sigsetjmp(sjb, 1);
        if (s == 0) {
            raise(SIGUSR1);
            printf("not reached\n");
        } else {
            sigset_t cur;
            sigprocmask(SIG_BLOCK, NULL, &cur);
            printf("siglongjmp %d: sig=%d handled=%d usr1_blocked=%d\n", k, s, (int)handled, sigismember(&cur, SIGUSR1));
        }
    }
    /* without saving the mask, SIGUSR1 stays blocked after jumping out of the handler */
    int s = sigsetjmp(sjb, 0);
    if (s == 0) raise(SIGUSR1);
    sigset_t cur;
    sigprocmask(SIG_BLOCK, NULL, &cur);
    printf("nosave: sig=%d usr1_blocked=%d\n", s, sigismember(&cur, SIGUSR1));
    return 40 + (int)handled;
}
