/* Writes to both stdout and stderr, interleaved, through stdio (line-buffered vs unbuffered
   stderr, explicit fflush) and raw write(2); exits 3. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
    for (int i = 0; i < 200; i++) {
        printf("out %d\n", i);
        if (i % 10 == 0) fprintf(stderr, "err %d: something noteworthy\n", i);
        if (i % 50 == 0) fflush(stdout);
    }
    static const char raw_out[] = "raw stdout line\n", raw_err[] = "raw stderr line\n";
    fflush(stdout);
    if (write(1, raw_out, strlen(raw_out)) < 0) return 10;
    if (write(2, raw_err, strlen(raw_err)) < 0) return 11;
    fputs("partial line on stderr without newline", stderr);
    perror("perror with errno 0");
    printf("last stdout line\n");
    return 3;
}
