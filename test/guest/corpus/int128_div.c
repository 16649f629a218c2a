/* unsigned and signed __int128: multiply, divide, modulo, shifts, printing via own routine. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

typedef unsigned __int128 u128;
typedef __int128 s128;

static void u128_str(u128 v, char *out) {
    char tmp[48];
    int n = 0;
    if (v == 0) tmp[n++] = '0';
    while (v) { tmp[n++] = (char)('0' + (int)(v % 10)); v /= 10; }
    for (int i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
    out[n] = 0;
}
static void s128_str(s128 v, char *out) {
    if (v < 0) { out[0] = '-'; u128_str((u128)0 - (u128)v, out + 1); }
    else u128_str((u128)v, out);
}
static void phex(const char *tag, u128 v) {
    printf("%s=%016llx%016llx", tag, (unsigned long long)(v >> 64), (unsigned long long)v);
}

static uint64_t st = 0x9e3779b97f4a7c15ULL;
static uint64_t rnd(void) { /* xorshift64* */
    st ^= st >> 12; st ^= st << 25; st ^= st >> 27;
    return st * 2685821657736338717ULL;
}

int main(void) {
    u128 UMAX = ~(u128)0;
    s128 SMAX = (s128)(UMAX >> 1), SMIN = -SMAX - 1;
    u128 uvals[24];
    int n = 0;
    uvals[n++] = 0; uvals[n++] = 1; uvals[n++] = 2; uvals[n++] = 3; uvals[n++] = 10;
    uvals[n++] = UINT64_MAX; uvals[n++] = (u128)UINT64_MAX + 1; uvals[n++] = (u128)UINT64_MAX + 2;
    uvals[n++] = (u128)1 << 100; uvals[n++] = UMAX; uvals[n++] = UMAX - 1; uvals[n++] = UMAX >> 1;
    uvals[n++] = (UMAX >> 1) + 1; uvals[n++] = (u128)1000000000000000000ULL * 1000000000000000000ULL;
    uvals[n++] = ((u128)0x123456789abcdef0ULL << 64) | 0xfedcba9876543210ULL;
    uvals[n++] = (u128)0xffffffffULL << 64; uvals[n++] = (u128)1 << 64 | 1;
    uvals[n++] = 0xffffffffffffffffULL / 3;
    char a[64], b[64], c[64], d[64];
    printf("seed %016llx\n", (unsigned long long)st);
    u128 h = 0;
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
            volatile u128 x = uvals[i], y = uvals[j];
            u128 p = x * y;
            u128_str(x, a); u128_str(y, b);
            printf("u %s %s ", a, b);
            phex("mul", p);
            if (y) {
                u128 q = x / y, r = x % y;
                u128_str(q, c); u128_str(r, d);
                printf(" q=%s r=%s ok=%d", c, d, q * y + r == x && r < y);
                h = h * 31 + q + (r << 7);
            }
            printf("\n");
            h ^= p;
        }
    }
    s128 svals[] = { SMIN, SMIN + 1, -(s128)UINT64_MAX - 1, -(s128)UINT64_MAX, -1000000007, -10, -3,
                     -1, 0, 1, 3, 10, 1000000007, (s128)UINT64_MAX, (s128)UINT64_MAX + 1, SMAX - 1, SMAX };
    int ns = sizeof svals / sizeof svals[0];
    for (int i = 0; i < ns; i++) {
        for (int j = 0; j < ns; j++) {
            volatile s128 x = svals[i], y = svals[j];
            s128_str(x, a); s128_str(y, b);
            printf("s %s %s", a, b);
            if (y != 0 && !(x == SMIN && y == -1)) {
                s128 q = x / y, r = x % y;
                s128_str(q, c); s128_str(r, d);
                printf(" q=%s r=%s", c, d);
                h = h * 131 + (u128)q + ((u128)r << 3);
            }
            printf(" lt=%d sar=", x < y);
            s128_str(x >> (j % 127), c);
            printf("%s\n", c);
        }
    }
    /* random stress: check identities */
    unsigned bad = 0;
    for (int k = 0; k < 3000; k++) {
        u128 x = ((u128)rnd() << 64) | rnd();
        u128 y = ((u128)rnd() << 64) | rnd();
        int sh = (int)(rnd() % 128);
        y >>= sh;
        if (y == 0) y = 1;
        u128 q = x / y, r = x % y;
        if (q * y + r != x || r >= y) bad++;
        s128 sx = (s128)x, sy = (s128)y;
        if ((rnd() & 1) && sy != SMIN) sy = -sy;
        if (sy != 0 && !(sx == SMIN && sy == -1)) {
            s128 sq = sx / sy, sr = sx % sy;
            if (sq * sy + sr != sx) bad++;
            h ^= (u128)sq * 3 + (u128)sr;
        }
        h = h * 1000003 + q + r;
        u128 sl = x << (k % 128), sr2 = x >> (k % 128);
        h ^= sl ^ (sr2 << 1);
    }
    phex("hash", h);
    printf(" bad=%u\n", bad);
    return bad ? 100 : (int)(h % 200);
}
