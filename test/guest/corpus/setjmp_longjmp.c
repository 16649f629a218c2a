/* setjmp/longjmp: non-local exits from deep recursion, volatile locals across jumps, nested
   jump buffers, and sigsetjmp/siglongjmp with a saved signal mask. */
#include <stdio.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>

static jmp_buf top;
static int depth_reached;

static int search(int depth, int target) {
    volatile char pad[32];
    pad[0] = (char)depth;
    if (depth == target) { depth_reached = depth + (pad[0] != (char)depth); longjmp(top, depth + 1); }
    if (depth > 100000) return 0;
    return search(depth + 1, target) + 1;
}

static jmp_buf inner;
static int nested(int n) {
    jmp_buf saved;
    memcpy(saved, inner, sizeof saved);
    int r = setjmp(inner);
    if (r == 0) {
        if (n > 0) nested(n - 1);
        longjmp(inner, 100 + n);
    }
    memcpy(inner, saved, sizeof saved);
    return r;
}

static sigjmp_buf sjb;

int main(void) {
    for (int t = 0; t < 2000; t += 97) {
        volatile int counter = t * 3;
        int r = setjmp(top);
        if (r == 0) {
            counter++;
            search(0, t);
            printf("not reached\n");
        } else {
            printf("target %d: setjmp returned %d, depth %d, counter %d\n", t, r, depth_reached, counter);
        }
    }
    /* longjmp with value 0 makes setjmp return 1 */
    volatile int once = 0;
    int r = setjmp(top);
    printf("setjmp -> %d\n", r);
    if (!once) { once = 1; longjmp(top, 0); }
    /* nested buffers */
    int got = setjmp(inner);
    if (got == 0) printf("nested -> %d\n", nested(5));
    /* sigsetjmp/siglongjmp without a signal: the saved mask is restored */
    sigset_t block, cur;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR2);
    int s = sigsetjmp(sjb, 1);
    if (s == 0) { sigprocmask(SIG_BLOCK, &block, NULL); siglongjmp(sjb, 7); }
    sigprocmask(SIG_BLOCK, NULL, &cur);
    printf("siglongjmp: %d usr2_blocked=%d\n", s, sigismember(&cur, SIGUSR2));
    return 40 + s;
}
