/* __builtin_add/sub/mul_overflow at every signedness and width (including mixed types and
   __int128), checked against wide arithmetic. */
#include <stdio.h>
#include <stdint.h>
#include <limits.h>

static const int64_t sv[] = { INT64_MIN, INT64_MIN + 1, INT32_MIN - 1LL, INT32_MIN, -65537, -32768, -129, -128, -2, -1,
                              0, 1, 2, 127, 128, 255, 256, 32767, 65535, 65536, INT32_MAX, INT32_MAX + 1LL,
                              UINT32_MAX, 3037000499LL, 3037000500LL, INT64_MAX - 1, INT64_MAX };
#define NS (sizeof sv / sizeof sv[0])
static volatile int64_t vv[NS];

int main(void) {
    for (unsigned i = 0; i < NS; i++) vv[i] = sv[i];
    unsigned long flags = 0, lines = 0, bad = 0;
    uint64_t h = 0;
    for (unsigned i = 0; i < NS; i++) {
        for (unsigned j = 0; j < NS; j++) {
            int64_t a = vv[i], b = vv[j];
            int64_t r64; uint64_t u64; int32_t r32; uint32_t u32; int16_t r16; uint8_t u8; __int128 r128;
            int o[12];
            o[0] = __builtin_add_overflow(a, b, &r64);
            o[1] = __builtin_sub_overflow(a, b, &r64);
            o[2] = __builtin_mul_overflow(a, b, &r64);
            o[3] = __builtin_add_overflow(a, b, &u64);
            o[4] = __builtin_sub_overflow((uint64_t)a, (uint64_t)b, &u64);
            o[5] = __builtin_mul_overflow((uint64_t)a, (uint64_t)b, &u64);
            o[6] = __builtin_add_overflow((int32_t)a, (int32_t)b, &r32);
            o[7] = __builtin_mul_overflow((int32_t)a, (int32_t)b, &r32);
            o[8] = __builtin_mul_overflow((uint32_t)a, (uint32_t)b, &u32);
            o[9] = __builtin_add_overflow(a, b, &r16);
            o[10] = __builtin_sub_overflow(a, b, &u8);
            o[11] = __builtin_mul_overflow(a, b, &r128);
            /* reference: signed 64-bit add via 128-bit arithmetic */
            __int128 wide = (__int128)a + b;
            if (o[0] != (wide < INT64_MIN || wide > INT64_MAX)) bad++;
            __int128 wm = (__int128)a * b;
            if (o[2] != (wm < INT64_MIN || wm > INT64_MAX)) bad++;
            if (o[9] != (wide < INT16_MIN || wide > INT16_MAX)) bad++;
            if (o[11] || r128 != wm) bad++;
            int bits = 0;
            for (int k = 0; k < 12; k++) { bits |= o[k] << k; flags += (unsigned long)o[k]; }
            __builtin_add_overflow(a, b, &r64);
            h = h * 0x9e3779b97f4a7c15ULL + (uint64_t)r64 + (uint64_t)bits;
            __builtin_mul_overflow(a, b, &r32);
            h ^= (uint32_t)r32;
            if ((i + j) % 5 == 0) { printf("%lld %lld -> %03x sum=%lld\n", (long long)a, (long long)b, bits, (long long)r64); lines++; }
        }
    }
    /* the _p variants only answer the question */
    printf("p: %d %d %d\n", __builtin_add_overflow_p(INT_MAX, 1, (int)0), __builtin_mul_overflow_p(65536, 65536, (int)0),
           __builtin_sub_overflow_p(0u, 1u, (unsigned)0));
    printf("flags=%lu lines=%lu bad=%lu hash=%016llx\n", flags, lines, bad, (unsigned long long)h);
    return bad ? 1 : (int)(flags % 256);
}
