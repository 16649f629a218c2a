/* Prints argc and every argument after argv[0] (which depends on how the binary was named),
   byte by byte, including empty arguments, spaces and non-ASCII bytes. */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    printf("argc=%d\n", argc);
    unsigned long total = 0;
    for (int i = 1; i < argc; i++) {
        size_t len = strlen(argv[i]);
        total += len;
        printf("argv[%d] len=%zu [%s] bytes:", i, len, argv[i]);
        for (size_t k = 0; k < len; k++) printf(" %02x", (unsigned char)argv[i][k]);
        printf("\n");
    }
    printf("argv[argc]=%s total=%lu\n", argv[argc] ? "non-null" : "NULL", total);
    return argc;
}
