/* Bit builtins: popcount/clz/ctz/parity/bswap/ffs/clrsb at 32 and 64 bits, plus classic tricks
   (next power of two, bit reversal, lowest set bit, gray code). */
#include <stdio.h>
#include <stdint.h>

static uint64_t st = 0x853c49e6748fea9bULL;
static uint64_t rnd(void) { st ^= st >> 12; st ^= st << 25; st ^= st >> 27; return st * 0x2545F4914F6CDD1DULL; }

static uint32_t rev32(uint32_t x) {
    x = ((x >> 1) & 0x55555555u) | ((x & 0x55555555u) << 1);
    x = ((x >> 2) & 0x33333333u) | ((x & 0x33333333u) << 2);
    x = ((x >> 4) & 0x0f0f0f0fu) | ((x & 0x0f0f0f0fu) << 4);
    return __builtin_bswap32(x);
}
static uint64_t npow2(uint64_t x) {
    if (x <= 1) return 1;
    return x > (1ULL << 63) ? 0 : 1ULL << (64 - __builtin_clzll(x - 1));
}
static int slow_pop(uint64_t x) { int c = 0; while (x) { c += (int)(x & 1); x >>= 1; } return c; }

int main(void) {
    printf("seed %016llx\n", (unsigned long long)st);
    volatile uint64_t fixed[] = { 0, 1, 2, 3, 0x80, 0xff, 0x100, 0x7fffffff, 0x80000000, 0xffffffff,
                                  0x100000000ULL, 0x8000000000000000ULL, 0xffffffffffffffffULL,
                                  0x0123456789abcdefULL, 0x5555555555555555ULL, 0xaaaaaaaaaaaaaaaaULL };
    for (unsigned i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        uint64_t x = fixed[i];
        uint32_t w = (uint32_t)x;
        printf("x=%016llx pop=%d pop32=%d par=%d par32=%d ffs=%d ffs64=%d clrsb=%d clrsb64=%d bswap=%016llx bswap32=%08x bswap16=%04x",
               (unsigned long long)x, __builtin_popcountll(x), __builtin_popcount(w), __builtin_parityll(x),
               __builtin_parity(w), __builtin_ffs((int)w), __builtin_ffsll((long long)x), __builtin_clrsb((int)w),
               __builtin_clrsbll((long long)x), (unsigned long long)__builtin_bswap64(x), __builtin_bswap32(w),
               __builtin_bswap16((uint16_t)w));
        if (x) printf(" clz=%d ctz=%d", __builtin_clzll(x), __builtin_ctzll(x));
        if (w) printf(" clz32=%d ctz32=%d", __builtin_clz(w), __builtin_ctz(w));
        printf(" rev=%08x npow2=%llu low=%llx gray=%llx\n", rev32(w), (unsigned long long)npow2(x),
               (unsigned long long)(x & -x), (unsigned long long)(x ^ (x >> 1)));
    }
    uint64_t h = 0;
    int bad = 0;
    for (int k = 0; k < 20000; k++) {
        uint64_t x = rnd() >> (k % 64);
        uint32_t w = (uint32_t)(x >> (k % 32));
        uint16_t s = (uint16_t)x;
        int pc = __builtin_popcountll(x);
        if (pc != slow_pop(x)) bad++;
        if (__builtin_parityll(x) != (pc & 1)) bad++;
        h = h * 0x9e3779b97f4a7c15ULL + (uint64_t)pc;
        h ^= __builtin_bswap64(x) + __builtin_bswap32(w) + __builtin_bswap16(s);
        if (x) h += (uint64_t)(__builtin_clzll(x) * 64 + __builtin_ctzll(x));
        if (w) h += (uint64_t)(__builtin_clz(w) * 32 + __builtin_ctz(w));
        h += (uint64_t)__builtin_popcount(w) + (uint64_t)__builtin_clrsbll((long long)x);
        h ^= rev32(w);
        /* bit-twiddling identities */
        if ((x & (x - 1)) != (x ? x - (x & -x) : 0)) bad++;
        if (x != ~0ULL && (x & (x + 1)) != (x & ~((x ^ (x + 1)) >> 1))) bad++; /* clear trailing ones */
        if (k % 2000 == 0) printf("k=%d x=%016llx h=%016llx\n", k, (unsigned long long)x, (unsigned long long)h);
    }
    printf("hash=%016llx bad=%d\n", (unsigned long long)h, bad);
    return bad ? 1 : (int)(h >> 58);
}
