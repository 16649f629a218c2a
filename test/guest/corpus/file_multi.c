/* Opens every path given on the command line (nothing else on the host) and reports size via
   fstat, a checksum, pread at fixed offsets, getline counts, and errno for failures. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <fcntl.h>
#include <unistd.h>
#include <errno.h>
#include <sys/stat.h>

static uint64_t fnv(const unsigned char *p, size_t n, uint64_t h) {
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 0x100000001b3ULL;
    return h;
}

int main(int argc, char **argv) {
    int failures = 0;
    for (int a = 1; a < argc; a++) {
        const char *path = argv[a];
        const char *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        int fd = open(path, O_RDONLY);
        if (fd < 0) { printf("%s: open errno=%d\n", base, errno); failures++; continue; }
        struct stat sb;
        if (fstat(fd, &sb) != 0) { printf("%s: fstat errno=%d\n", base, errno); failures++; close(fd); continue; }
        printf("%s: reg=%d dir=%d size=%lld\n", base, S_ISREG(sb.st_mode), S_ISDIR(sb.st_mode),
               S_ISREG(sb.st_mode) ? (long long)sb.st_size : -1LL);
        unsigned char buf[8192];
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0) { printf("%s: read errno=%d\n", base, errno); failures++; close(fd); continue; }
        uint64_t h = 0xcbf29ce484222325ULL;
        size_t total = 0;
        while (n > 0) { h = fnv(buf, (size_t)n, h); total += (size_t)n; n = read(fd, buf, sizeof buf); }
        printf("%s: total=%zu fnv=%016llx\n", base, total, (unsigned long long)h);
        static const off_t offs[] = { 0, 1, 511, 4096, 4097, 65535, 65536, 1000000 };
        for (unsigned i = 0; i < sizeof offs / sizeof offs[0]; i++) {
            unsigned char small[24];
            ssize_t m = pread(fd, small, sizeof small, offs[i]);
            printf("  pread@%lld -> %zd", (long long)offs[i], m);
            for (ssize_t k = 0; k < m && k < 8; k++) printf(" %02x", small[k]);
            printf("\n");
        }
        printf("  pos after pread=%lld\n", (long long)lseek(fd, 0, SEEK_CUR));
        FILE *f = fdopen(fd, "r");
        rewind(f);
        char *line = NULL;
        size_t cap = 0;
        ssize_t len;
        long count = 0, maxlen = 0, empty = 0, noeol = 0;
        while ((len = getline(&line, &cap, f)) >= 0) {
            count++;
            if (len > maxlen) maxlen = len;
            if (len == 1 && line[0] == '\n') empty++;
            if (len && line[len - 1] != '\n') noeol++;
        }
        printf("  getline: lines=%ld max=%ld empty=%ld noeol=%ld\n", count, maxlen, empty, noeol);
        /* fseek/ftell/ungetc */
        if (total > 10) {
            fseek(f, -5, SEEK_END);
            long pos = ftell(f);
            int c = fgetc(f);
            ungetc('Z', f);
            int z = fgetc(f), d = fgetc(f);
            printf("  ftell=%ld c=%d unget=%c next=%d\n", pos, c, z, d);
        }
        free(line);
        fclose(f);
    }
    printf("failures=%d\n", failures);
    return failures;
}
