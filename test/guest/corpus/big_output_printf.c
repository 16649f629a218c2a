/* About 3 MB to stdout through printf/puts/putchar (stdio buffering, full pipes). */
#include <stdio.h>
#include <stdint.h>

int main(void) {
    uint32_t x = 1;
    unsigned long bytes = 0;
    for (int i = 0; i < 60000; i++) {
        x = x * 1664525u + 1013904223u;
        int n = printf("%06d %08x %11d %-12s|%5.2f|%c\n", i, x, (int)x, i % 3 ? "lorem" : "ipsum-dolor", (x % 10000) / 100.0,
                       'A' + (int)(x >> 27));
        bytes += (unsigned long)n;
        if (i % 1000 == 999) {
            puts("-- a line written by puts --");
            bytes += 29;
            for (int k = 0; k < 70; k++) putchar('a' + (k + i) % 26);
            putchar('\n');
            bytes += 71;
        }
    }
    printf("total %lu\n", bytes);
    fflush(stdout);
    return 7;
}
