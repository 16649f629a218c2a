/* strlen/strchr/strrchr/strstr/strcmp/strncmp/strcpy/strncpy/strcat/strspn/strcspn/strtok_r over
   lengths 0..300 and all 16 alignments; one checksum line per length and routine. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <stdint.h>

#define MAXLEN 300
#define BUFSZ (MAXLEN + 160)

static char A[BUFSZ] __attribute__((aligned(64)));
static char B[BUFSZ] __attribute__((aligned(64)));
static uint32_t seed = 2024;
/* strncpy's truncation is exactly what is being tested */
#pragma GCC diagnostic ignored "-Wstringop-truncation"

static uint32_t fnv(const char *p, size_t n, uint32_t h) {
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)p[i]) * 16777619u;
    return h;
}
/* a string of letters 'a'..'h' (so strspn/strstr find things) */
static void mkstr(char *p, int len, uint32_t salt) {
    for (int i = 0; i < len; i++) p[i] = (char)('a' + ((i * 7 + salt * 13 + (i >> 3)) & 7));
    p[len] = 0;
}
static void clear(int len) {
    memset(A, 0x55, len + 80);
    memset(B, 0x66, len + 80);
}
static long sgn(int c) { return (c > 0) - (c < 0); }

int main(void) {
    static const char *names[] = { "strlen", "strchr", "strrchr", "strcmp", "strncmp", "strcpy", "strncpy",
                                   "strcat", "strstr", "strspn", "strcspn", "strtok_r" };
    const int nops = 12;
    uint32_t total = 2166136261u;
    printf("seed %u\n", seed);
    for (int op = 0; op < nops; op++) {
        for (int len = 0; len <= MAXLEN; len++) {
            uint32_t h = 2166136261u;
            for (int s = 0; s < 16; s++) {
                int d = (s * 5 + len * 3) % 16;
                clear(len);
                char *src = A + 16 + s, *dst = B + 16 + d;
                long r = 0;
                uint32_t salt = (uint32_t)(len + s) ^ seed;
                mkstr(src, len, salt);
                switch (op) {
                case 0: r = (long)strlen(src); break;
                case 1: { char *p = strchr(src, 'a' + (s & 7)); r = p ? p - src : -1;
                          p = strchr(src, 0); r = r * 1000 + (p - src); break; }
                case 2: { char *p = strrchr(src, 'a' + (s & 7)); r = p ? p - src : -1;
                          p = strrchr(src, 'z'); r = r * 2 + (p != NULL); break; }
                case 3: case 4: {
                    mkstr(dst, len, salt);
                    if (len && (s & 1)) dst[(s * 17) % len] += (s & 2) ? 1 : -1;
                    if (len && s == 4) dst[len - 1] = (char)0xe0; /* high byte compares as unsigned */
                    int n = len ? (s * 19) % (len + 3) : s;
                    r = op == 3 ? sgn(strcmp(src, dst)) : sgn(strncmp(src, dst, n));
                    r = r * 10 + sgn(op == 3 ? strcmp(dst, src) : strncmp(dst, src, n)) + 5;
                    break; }
                case 5: { char *p = strcpy(dst, src); r = p == dst; break; }
                case 6: { int n = (s * 23 + len) % (len + 20); char *p = strncpy(dst, src, n); r = p == dst; break; }
                case 7: { int pre = s * 3; mkstr(dst, pre, 9); char *p = strcat(dst, src); r = (p == dst) + (long)strlen(dst) * 2; break; }
                case 8: {
                    int nl = (s % 6) + (s > 12 ? 8 : 0);
                    char needle[32];
                    if (len >= nl && len) {
                        int at = (s * 37) % (len - nl + 1);
                        memcpy(needle, src + at, nl);
                    } else memset(needle, 'b', nl);
                    needle[nl] = 0;
                    if (s == 7) needle[0] = 'z';
                    char *p = strstr(src, needle);
                    r = p ? p - src : -1;
                    break; }
                case 9: r = (long)strspn(src, s & 1 ? "abcde" : "abcdefg"); break;
                case 10: r = (long)strcspn(src, s & 1 ? "h" : "gh"); break;
                case 11: {
                    char *save, *tok; long cnt = 0; unsigned long sum = 0;
                    for (tok = strtok_r(src, s & 1 ? "a" : "ab", &save); tok; tok = strtok_r(NULL, s & 1 ? "a" : "ab", &save)) {
                        cnt++; sum = sum * 31 + strlen(tok) + (unsigned long)(tok - src);
                    }
                    r = cnt * 100000 + (long)(sum & 0xffff);
                    break; }
                }
                h = fnv(A, len + 80, h);
                h = fnv(B, len + 80, h);
                h = (h ^ (uint32_t)r) * 16777619u;
            }
            printf("%s len=%d %08x\n", names[op], len, h);
            total = (total ^ h) * 16777619u;
        }
    }
    /* a few readable results */
    char buf[64];
    strcpy(buf, "hello");
    strcat(buf, ", world");
    printf("%s len=%zu cmp=%d ncmp=%d chr=%s rchr=%s str=%s spn=%zu cspn=%zu\n", buf, strlen(buf),
           strcmp(buf, "hello") > 0, strncmp(buf, "help", 3), strchr(buf, 'o'), strrchr(buf, 'o'),
           strstr(buf, "wor"), strspn(buf, "hel"), strcspn(buf, " ,"));
    printf("total %08x\n", total);
    return (int)(total % 256);
}
