/* memcpy/memmove/memset/memcmp/memchr/memrchr over lengths 0..300 and all 16 source and
   destination alignments; one checksum line per length and routine. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <stdint.h>

#define MAXLEN 300
#define BUFSZ (MAXLEN + 128)

static unsigned char srcbuf[BUFSZ] __attribute__((aligned(64)));
static unsigned char dstbuf[BUFSZ] __attribute__((aligned(64)));
static uint32_t seed = 12345;
static uint32_t rnd(void) { seed = seed * 1103515245u + 12345u; return seed >> 8; }

static uint32_t fnv(const unsigned char *p, size_t n, uint32_t h) {
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 16777619u;
    return h;
}
static unsigned char srcinit[BUFSZ], dstinit[BUFSZ];
static void init(void) {
    for (int i = 0; i < BUFSZ; i++) { srcinit[i] = (unsigned char)(rnd() | 1); dstinit[i] = (unsigned char)(0xa0 + (i & 15)); }
}
/* restore the window a case may touch: [0, len + 48) */
static void fill(int len) {
    for (int i = 0; i < len + 48; i++) { srcbuf[i] = srcinit[i]; dstbuf[i] = dstinit[i]; }
}
/* alignment pairs for a length: all 16 source alignments, destination varies with length;
   for a few lengths the full 16x16 cross product */
static int full_cross(int len) { return len <= 8 || len == 15 || len == 16 || len == 17 || len == 31 || len == 32 ||
                                 len == 33 || len == 63 || len == 64 || len == 65 || len == 127 || len == 128 ||
                                 len == 255 || len == 256 || len == 300; }

int main(void) {
    printf("seed %u\n", seed);
    init();
    memcpy(srcbuf, srcinit, BUFSZ);
    memcpy(dstbuf, dstinit, BUFSZ);
    uint32_t total = 2166136261u;
    static const char *names[] = { "memcpy", "memmove_fwd", "memmove_back", "memset", "memcmp", "memchr", "memrchr" };
    for (int op = 0; op < 7; op++) {
        for (int len = 0; len <= MAXLEN; len++) {
            uint32_t h = 2166136261u;
            int cross = full_cross(len);
            for (int s = 0; s < 16; s++) {
                for (int di = 0; di < (cross ? 16 : 1); di++) {
                    int d = cross ? di : (s * 7 + len) % 16;
                    fill(len);
                    unsigned char *src = srcbuf + 16 + s, *dst = dstbuf + 16 + d;
                    long r = 0;
                    switch (op) {
                    case 0: memcpy(dst, src, len); break;
                    case 1: { /* overlapping, destination below source */
                        unsigned char *p = srcbuf + 32 + s;
                        memmove(p - 1 - (d % 9), p, len);
                        memcpy(dst, srcbuf + 16, len);
                        break; }
                    case 2: { /* overlapping, destination above source */
                        unsigned char *p = srcbuf + 16 + s;
                        memmove(p + 1 + (d % 9), p, len);
                        memcpy(dst, srcbuf + 16, len);
                        break; }
                    case 3: memset(dst, (s * 16 + d) & 0xff, len); break;
                    case 4: {
                        memcpy(dst, src, len);
                        if (len) dst[(s * 13 + d * 3) % len] ^= (unsigned char)(1 << (d & 7));
                        int c = memcmp(src, dst, len);
                        r = (c > 0) - (c < 0);
                        int c2 = memcmp(src, src, len);
                        r = r * 3 + ((c2 > 0) - (c2 < 0));
                        break; }
                    case 5: case 6: {
                        int pos = len ? (s * 31 + d * 7) % len : 0;
                        unsigned char want = 0;
                        if (len) { src[pos] = 0; want = 0; }
                        if (d & 1) want = src[len ? (pos * 5) % len : 0];
                        if (d == 3) want = 0xfe; /* usually absent: all bytes odd */
                        void *p = op == 5 ? memchr(src, want, len) : memrchr(src, want, len);
                        r = p ? (long)((unsigned char *)p - src) : -1;
                        break; }
                    }
                    h = fnv(dstbuf, len + 48, h);
                    if (op == 1 || op == 2) h = fnv(srcbuf, len + 48, h);
                    h = (h ^ (uint32_t)r) * 16777619u;
                }
            }
            printf("%s len=%d %08x\n", names[op], len, h);
            total = (total ^ h) * 16777619u;
        }
    }
    /* large copies and fills */
    static unsigned char big1[70000], big2[70000];
    for (int i = 0; i < 70000; i++) big1[i] = (unsigned char)(i * 7 + (i >> 8));
    for (int k = 0; k < 8; k++) {
        size_t n = 4096 * (size_t)(k + 1) + (size_t)k * 33;
        memcpy(big2 + k, big1 + (k * 5) % 16, n);
        memmove(big2 + 100, big2 + 100 + k * 3, n / 2);
        memset(big2 + n, k, 1000);
        printf("big %d %08x cmp=%d\n", k, fnv(big2, sizeof big2, 2166136261u), memcmp(big1, big2, n) > 0);
    }
    printf("total %08x\n", total);
    return (int)(total % 256);
}
