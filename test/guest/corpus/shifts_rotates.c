/* Shifts by every count at 8/16/32/64/128 bits, signed (arithmetic) shifts, and rotates, on
   values the compiler cannot see (volatile), printed as one checksum line per width and count. */
#include <stdio.h>
#include <stdint.h>

static volatile uint64_t vals[] = { 0, 1, 0x80, 0xff, 0x8000, 0xffff, 0x80000000u, 0xdeadbeefu, 0xffffffffu,
                                    0x8000000000000000ULL, 0xffffffffffffffffULL, 0x0123456789abcdefULL,
                                    0xfedcba9876543210ULL, 0x7fffffffffffffffULL };
#define NV (sizeof vals / sizeof vals[0])
static volatile int counts[130];

static uint8_t rol8(uint8_t x, unsigned c) { c &= 7; return (uint8_t)((x << c) | (x >> ((8 - c) & 7))); }
static uint16_t rol16(uint16_t x, unsigned c) { c &= 15; return (uint16_t)((x << c) | (x >> ((16 - c) & 15))); }
static uint32_t rol32(uint32_t x, unsigned c) { c &= 31; return (x << c) | (x >> ((32 - c) & 31)); }
static uint64_t rol64(uint64_t x, unsigned c) { c &= 63; return (x << c) | (x >> ((64 - c) & 63)); }
static uint32_t ror32(uint32_t x, unsigned c) { c &= 31; return (x >> c) | (x << ((32 - c) & 31)); }
static uint64_t ror64(uint64_t x, unsigned c) { c &= 63; return (x >> c) | (x << ((64 - c) & 63)); }

static uint64_t h;
static void mix(uint64_t v) { h = (h ^ v) * 0x100000001b3ULL; }

int main(void) {
    for (int i = 0; i < 130; i++) counts[i] = i;
    for (int c = 0; c < 8; c++) {
        h = 0xcbf29ce484222325ULL;
        for (unsigned i = 0; i < NV; i++) {
            uint8_t u = (uint8_t)vals[i]; int8_t s = (int8_t)u; int n = counts[c];
            mix((uint8_t)(u << n)); mix((uint8_t)(u >> n)); mix((uint8_t)(s >> n)); mix(rol8(u, (unsigned)n));
        }
        printf("w8 c=%d %016llx\n", c, (unsigned long long)h);
    }
    for (int c = 0; c < 16; c++) {
        h = 0xcbf29ce484222325ULL;
        for (unsigned i = 0; i < NV; i++) {
            uint16_t u = (uint16_t)vals[i]; int16_t s = (int16_t)u; int n = counts[c];
            mix((uint16_t)(u << n)); mix((uint16_t)(u >> n)); mix((uint16_t)(s >> n)); mix(rol16(u, (unsigned)n));
        }
        printf("w16 c=%d %016llx\n", c, (unsigned long long)h);
    }
    for (int c = 0; c < 32; c++) {
        h = 0xcbf29ce484222325ULL;
        for (unsigned i = 0; i < NV; i++) {
            uint32_t u = (uint32_t)vals[i]; int32_t s = (int32_t)u; int n = counts[c];
            mix(u << n); mix(u >> n); mix((uint32_t)(s >> n)); mix(rol32(u, (unsigned)n)); mix(ror32(u, (unsigned)n));
        }
        printf("w32 c=%d %016llx sar(-1)=%d shl(1)=%u\n", c, (unsigned long long)h, (int32_t)0x80000000u >> counts[c], 1u << counts[c]);
    }
    for (int c = 0; c < 64; c++) {
        h = 0xcbf29ce484222325ULL;
        for (unsigned i = 0; i < NV; i++) {
            uint64_t u = vals[i]; int64_t s = (int64_t)u; int n = counts[c];
            mix(u << n); mix(u >> n); mix((uint64_t)(s >> n)); mix(rol64(u, (unsigned)n)); mix(ror64(u, (unsigned)n));
        }
        printf("w64 c=%d %016llx sar=%lld\n", c, (unsigned long long)h, (long long)(INT64_MIN >> counts[c]));
    }
    for (int c = 0; c < 128; c++) {
        h = 0xcbf29ce484222325ULL;
        for (unsigned i = 0; i < NV; i++) {
            unsigned __int128 u = ((unsigned __int128)vals[i] << 64) | vals[(i + 3) % NV];
            __int128 s = (__int128)u;
            int n = counts[c];
            unsigned __int128 a = u << n, b = u >> n;
            __int128 d = s >> n;
            mix((uint64_t)a); mix((uint64_t)(a >> 64)); mix((uint64_t)b); mix((uint64_t)(b >> 64));
            mix((uint64_t)d); mix((uint64_t)((unsigned __int128)d >> 64));
        }
        printf("w128 c=%d %016llx\n", c, (unsigned long long)h);
    }
    /* x86 masks the count: shifts through a variable wider than the width use the masked count */
    uint64_t x = vals[11];
    printf("masked: %016llx %016llx\n", (unsigned long long)(x << (counts[65] & 63)), (unsigned long long)(x >> (counts[127] & 63)));
    /* mixed-width promotions */
    volatile uint8_t b8 = 0x81; volatile int8_t s8 = -127;
    printf("promote: %d %d %u %d\n", b8 << 23, s8 >> 1, (unsigned)(b8 << 1), (int)(int8_t)(b8 << 1));
    return (int)(h & 0xff);
}
