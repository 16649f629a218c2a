/* Reads the file named by argv[1] three ways (read(2) in odd-sized chunks, fread, fgets with a
   small buffer) and prints byte/line counts and checksums, which must agree with each other. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <fcntl.h>
#include <unistd.h>
#include <errno.h>

static uint32_t crc_table[256];
static void crc_init(void) {
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
}
static uint32_t crc(uint32_t c, const unsigned char *p, size_t n) {
    for (size_t i = 0; i < n; i++) c = crc_table[(c ^ p[i]) & 0xff] ^ (c >> 8);
    return c;
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: file_read FILE\n"); return 64; }
    crc_init();
    const char *path = argv[1];
    printf("file %s\n", path);
    /* 1: read(2) with chunk sizes 1, 7, 100, 4096, 65536 in turn */
    int fd = open(path, O_RDONLY);
    if (fd < 0) { printf("open failed errno=%d\n", errno); return 2; }
    static unsigned char buf[65536];
    static const size_t chunks[] = { 1, 7, 100, 4096, 65536, 3 };
    size_t total = 0, lines = 0, reads = 0;
    uint32_t c1 = 0xffffffffu;
    for (;;) {
        size_t want = chunks[reads % 6];
        ssize_t n = read(fd, buf, want);
        if (n < 0) { printf("read failed errno=%d\n", errno); return 3; }
        if (n == 0) break;
        reads++;
        total += (size_t)n;
        c1 = crc(c1, buf, (size_t)n);
        for (ssize_t i = 0; i < n; i++) lines += buf[i] == '\n';
    }
    ssize_t again = read(fd, buf, 10);
    printf("read: bytes=%zu lines=%zu crc=%08x reads=%zu eof_again=%zd\n", total, lines, ~c1, reads, again);
    off_t end = lseek(fd, 0, SEEK_END), mid = lseek(fd, (off_t)(total / 2), SEEK_SET);
    ssize_t n = read(fd, buf, 16);
    printf("lseek end=%lld mid=%lld then read %zd bytes crc=%08x\n", (long long)end, (long long)mid, n, n > 0 ? ~crc(0xffffffffu, buf, (size_t)n) : 0);
    close(fd);
    /* 2: fread in 1000-byte records */
    FILE *f = fopen(path, "rb");
    if (!f) { printf("fopen failed errno=%d\n", errno); return 4; }
    size_t t2 = 0, recs = 0;
    uint32_t c2 = 0xffffffffu;
    size_t got;
    while ((got = fread(buf, 1, 1000, f)) > 0) { t2 += got; recs++; c2 = crc(c2, buf, got); }
    printf("fread: bytes=%zu records=%zu crc=%08x eof=%d error=%d\n", t2, recs, ~c2, feof(f) != 0, ferror(f) != 0);
    /* 3: fgets with a 64-byte buffer, then getc for the character histogram */
    rewind(f);
    char line[64];
    size_t pieces = 0, glines = 0, longest = 0, cur = 0, words = 0;
    uint32_t c3 = 0xffffffffu;
    int inword = 0;
    while (fgets(line, sizeof line, f)) {
        size_t len = strlen(line);
        pieces++;
        cur += len;
        c3 = crc(c3, (unsigned char *)line, len);
        for (size_t i = 0; i < len; i++) {
            int sp = line[i] == ' ' || line[i] == '\n' || line[i] == '\t';
            if (!sp && !inword) words++;
            inword = !sp;
        }
        if (len && line[len - 1] == '\n') { glines++; if (cur > longest) longest = cur; cur = 0; }
        if (glines && glines % 250 == 0 && len && line[len - 1] == '\n') printf("line %zu: %s", glines, line);
    }
    if (cur > longest) longest = cur;
    printf("fgets: pieces=%zu lines=%zu longest=%zu words=%zu crc=%08x\n", pieces, glines, longest, words, ~c3);
    rewind(f);
    size_t hist[256] = {0};
    int ch;
    while ((ch = getc(f)) != EOF) hist[ch]++;
    for (int i = 0; i < 256; i++) if (hist[i]) printf("%02x:%zu%s", i, hist[i], i % 16 == 15 ? "\n" : " ");
    printf("\n");
    fclose(f);
    int agree = total == t2 && ~c1 == ~c2 && ~c2 == ~c3 && lines == glines;
    printf("agree=%d\n", agree);
    return agree ? (int)(lines % 97) : 1;
}
