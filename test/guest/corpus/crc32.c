/* CRC-32 (IEEE, reflected) bitwise, table-driven and slice-by-4, plus Adler-32 and CRC-32C,
   over generated data; all implementations must agree. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

static uint32_t T[4][256], TC[256];
static void tables(void) {
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i, d = i;
        for (int k = 0; k < 8; k++) { c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1; d = d & 1 ? 0x82f63b78u ^ (d >> 1) : d >> 1; }
        T[0][i] = c; TC[i] = d;
    }
    for (uint32_t i = 0; i < 256; i++)
        for (int t = 1; t < 4; t++) T[t][i] = (T[t - 1][i] >> 8) ^ T[0][T[t - 1][i] & 0xff];
}
static uint32_t crc_bitwise(const unsigned char *p, size_t n) {
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++) { c ^= p[i]; for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1))); }
    return ~c;
}
static uint32_t crc_table(const unsigned char *p, size_t n) {
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++) c = T[0][(c ^ p[i]) & 0xff] ^ (c >> 8);
    return ~c;
}
static uint32_t crc_slice4(const unsigned char *p, size_t n) {
    uint32_t c = 0xffffffffu;
    while (n >= 4) {
        uint32_t w; memcpy(&w, p, 4);
        c ^= w;
        c = T[3][c & 0xff] ^ T[2][(c >> 8) & 0xff] ^ T[1][(c >> 16) & 0xff] ^ T[0][c >> 24];
        p += 4; n -= 4;
    }
    while (n--) c = T[0][(c ^ *p++) & 0xff] ^ (c >> 8);
    return ~c;
}
static uint32_t crc32c(const unsigned char *p, size_t n) {
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++) c = TC[(c ^ p[i]) & 0xff] ^ (c >> 8);
    return ~c;
}
static uint32_t adler32(const unsigned char *p, size_t n) {
    uint32_t a = 1, b = 0;
    for (size_t i = 0; i < n; i++) { a = (a + p[i]) % 65521; b = (b + a) % 65521; }
    return b << 16 | a;
}

int main(void) {
    tables();
    const char *check = "123456789";
    printf("check crc32=%08x crc32c=%08x adler32=%08x\n", crc_table((const unsigned char *)check, 9),
           crc32c((const unsigned char *)check, 9), adler32((const unsigned char *)check, 9));
    static unsigned char data[100000];
    uint64_t s = 0x123456789ULL;
    for (size_t i = 0; i < sizeof data; i++) { s = s * 6364136223846793005ULL + 1442695040888963407ULL; data[i] = (unsigned char)(s >> 56); }
    int bad = 0;
    uint32_t acc = 0;
    for (size_t len = 0; len < 600; len += 1 + len / 16) {
        for (size_t off = 0; off < 8; off++) {
            uint32_t a = crc_bitwise(data + off, len), b = crc_table(data + off, len), c = crc_slice4(data + off, len);
            if (a != b || b != c) bad++;
            acc ^= a + (uint32_t)len * 31 + (uint32_t)off;
            if (off == 0) printf("len %zu crc32=%08x crc32c=%08x adler=%08x\n", len, a, crc32c(data, len), adler32(data, len));
        }
    }
    printf("whole crc32=%08x crc32c=%08x adler=%08x\n", crc_slice4(data, sizeof data), crc32c(data, sizeof data), adler32(data, sizeof data));
    printf("acc=%08x bad=%d\n", acc, bad);
    return bad ? 1 : (int)(crc_table((const unsigned char *)check, 9) & 0x7f);
}
