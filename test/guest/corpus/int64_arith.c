/* 64-bit integer arithmetic and division edge cases (INT64_MIN / -1 is UB and avoided). */
#include <stdio.h>
#include <stdint.h>
#include <inttypes.h>

static const int64_t sv[] = {
    INT64_MIN, INT64_MIN + 1, -4611686018427387904LL, -4294967297LL, -4294967296LL,
    -4294967295LL, -2147483649LL, -2147483648LL, -2147483647LL, -65536, -1000, -7, -3, -2, -1,
    0, 1, 2, 3, 7, 10, 1000, 65535, 2147483647LL, 2147483648LL, 4294967295LL, 4294967296LL,
    4294967297LL, 1000000007LL, 4611686018427387904LL, INT64_MAX - 1, INT64_MAX,
};
static const uint64_t uv[] = {
    0, 1, 2, 3, 7, 10, 255, 256, 65535, 65536, 4294967295ULL, 4294967296ULL, 4294967297ULL,
    1000000007ULL, 0x8000000000000000ULL, 0x8000000000000001ULL, 0xfffffffffffffffeULL,
    UINT64_MAX, 0x123456789abcdef0ULL, 0xdeadbeefcafebabeULL,
};
#define NS (sizeof sv / sizeof sv[0])
#define NU (sizeof uv / sizeof uv[0])

/* volatile so gcc cannot fold everything at compile time */
static volatile int64_t vs[NS];
static volatile uint64_t vu[NU];

int main(void) {
    uint64_t h = 1469598103934665603ULL;
    unsigned i, j;
    for (i = 0; i < NS; i++) vs[i] = sv[i];
    for (i = 0; i < NU; i++) vu[i] = uv[i];
    for (i = 0; i < NS; i++) {
        for (j = 0; j < NS; j++) {
            int64_t a = vs[i], b = vs[j];
            /* wrapping add/sub/mul via unsigned to avoid UB */
            uint64_t add = (uint64_t)a + (uint64_t)b;
            uint64_t sub = (uint64_t)a - (uint64_t)b;
            uint64_t mul = (uint64_t)a * (uint64_t)b;
            int64_t q = 0, r = 0;
            int ok = b != 0 && !(a == INT64_MIN && b == -1);
            if (ok) { q = a / b; r = a % b; }
            printf("s %" PRId64 " %" PRId64 " add=%" PRIx64 " sub=%" PRIx64 " mul=%" PRIx64,
                   a, b, add, sub, mul);
            if (ok) printf(" q=%" PRId64 " r=%" PRId64, q, r);
            printf(" lt=%d eq=%d\n", a < b, a == b);
            h = (h ^ add ^ (sub << 1) ^ (mul >> 1) ^ (uint64_t)q ^ (uint64_t)r) * 1099511628211ULL;
        }
    }
    for (i = 0; i < NU; i++) {
        for (j = 0; j < NU; j++) {
            uint64_t a = vu[i], b = vu[j];
            printf("u %" PRIu64 " %" PRIu64 " mul=%" PRIu64, a, b, a * b);
            if (b) printf(" q=%" PRIu64 " r=%" PRIu64, a / b, a % b);
            printf(" lt=%d\n", a < b);
            h = (h ^ (a * b) ^ (b ? a / b : 0) ^ (b ? a % b : 0)) * 1099511628211ULL;
        }
    }
    /* 32-bit division on the same values, truncated */
    for (i = 0; i < NS; i++) {
        for (j = 0; j < NS; j++) {
            int32_t a = (int32_t)vs[i], b = (int32_t)vs[j];
            if (b == 0 || (a == INT32_MIN && b == -1)) continue;
            h = (h ^ (uint32_t)(a / b) ^ ((uint64_t)(uint32_t)(a % b) << 32)) * 1099511628211ULL;
        }
    }
    /* division by constants (gcc turns these into multiplies) */
    for (i = 0; i < NU; i++) {
        uint64_t a = vu[i];
        printf("c %" PRIu64 " /3=%" PRIu64 " /7=%" PRIu64 " /10=%" PRIu64 " /1000000007=%" PRIu64
               " %%10=%" PRIu64 "\n", a, a / 3, a / 7, a / 10, a / (uint64_t)1000000007, a % 10);
    }
    for (i = 0; i < NS; i++) {
        int64_t a = vs[i];
        printf("c %" PRId64 " /3=%" PRId64 " /-7=%" PRId64 " /10=%" PRId64 " %%10=%" PRId64 "\n",
               a, a / 3, a / -7, a / 10, a % 10);
    }
    printf("hash %016" PRIx64 "\n", h);
    return (int)(h & 0x7f);
}
