/* exit() from a nested call with atexit handlers (run in reverse order, each printing) and
   buffered stdout that must be flushed by exit; exit status 42. */
#include <stdio.h>
#include <stdlib.h>

static void h1(void) { printf("atexit handler 1 (registered first, runs last)\n"); }
static void h2(void) { printf("atexit handler 2\n"); }
static void h3(void) { printf("atexit handler 3 (registered last, runs first)\n"); fflush(stdout); }

static void deep(int n) {
    if (n < 0) return;
    if (n == 0) {
        printf("calling exit(42) from depth 10; this line is still buffered\n");
        exit(42);
    }
    deep(n - 1);
    printf("never printed\n");
}

int main(void) {
    atexit(h1); atexit(h2); atexit(h3);
    for (int i = 0; i < 100; i++) printf("line %d before exit\n", i);
    deep(10);
    return 0;
}
