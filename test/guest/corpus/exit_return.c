/* Exit status via return from main: the value is truncated to 8 bits (return 300 -> 44),
   after printing a partial line with no newline (flushed at exit). */
#include <stdio.h>

int main(int argc, char **argv) {
    (void)argv;
    for (int i = 0; i < 10; i++) printf("%d squared is %d\n", i, i * i);
    printf("argc=%d; returning 300 so the status is 300 & 255 = 44 (no newline here)", argc);
    return 300;
}
