/* Deep recursion: ackermann, naive fibonacci, mutual recursion, and a 20000-deep call chain (about 5 MB of stack). */
#include <stdio.h>
#include <stdint.h>

static unsigned long calls;
static unsigned long ack(unsigned long m, unsigned long n) {
    calls++;
    if (m == 0) return n + 1;
    if (n == 0) return ack(m - 1, 1);
    return ack(m - 1, ack(m, n - 1));
}
static unsigned long fib(unsigned n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
static int is_odd(unsigned n);
static int is_even(unsigned n) { return n == 0 ? 1 : is_odd(n - 1); }
static int is_odd(unsigned n) { return n == 0 ? 0 : is_even(n - 1); }

/* non-tail recursion with a frame the optimiser cannot remove */
static uint64_t deep(int n, volatile char *prev) {
    volatile char frame[64];
    frame[0] = (char)n;
    frame[63] = prev ? prev[0] : 0;
    if (n == 0) return (uint64_t)(unsigned char)frame[63];
    uint64_t r = deep(n - 1, frame);
    return r * 3 + (unsigned char)frame[0] + (unsigned char)frame[63];
}
static int hanoi_moves;
static void hanoi(int n, int from, int to, int via, uint64_t *h) {
    if (!n) return;
    hanoi(n - 1, from, via, to, h);
    hanoi_moves++;
    *h = *h * 7 + (uint64_t)(from * 3 + to);
    hanoi(n - 1, via, to, from, h);
}

int main(void) {
    for (unsigned long m = 0; m <= 3; m++)
        for (unsigned long n = 0; n <= 5; n++) {
            calls = 0;
            unsigned long r = ack(m, n);
            printf("ack(%lu,%lu)=%lu calls=%lu\n", m, n, r, calls);
        }
    calls = 0;
    printf("ack(2,300)=%lu calls=%lu\n", ack(2, 300), calls);
    for (unsigned n = 0; n <= 24; n++) printf("fib(%u)=%lu\n", n, fib(n));
    printf("even(10001)=%d odd(77777)=%d\n", is_even(10001), is_odd(77777));
    printf("deep(20000)=%llu\n", (unsigned long long)deep(20000, 0));
    uint64_t h = 0;
    hanoi(14, 1, 3, 2, &h);
    printf("hanoi moves=%d hash=%016llx\n", hanoi_moves, (unsigned long long)h);
    return (int)(fib(20) % 256);
}
