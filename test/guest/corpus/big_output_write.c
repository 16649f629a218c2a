/* About 3 MB of binary (non-text) data to stdout through write(2) and writev(2) in chunk sizes
   from 1 byte to 1 MB, retrying partial writes; ends with a checksum line. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>
#include <sys/uio.h>

static unsigned char data[1 << 20];

static int write_all(const unsigned char *p, size_t n) {
    while (n) {
        ssize_t w = write(1, p, n);
        if (w < 0) { if (errno == EINTR) continue; return -1; }
        p += w; n -= (size_t)w;
    }
    return 0;
}

int main(void) {
    uint32_t x = 0x12345678u;
    for (size_t i = 0; i < sizeof data; i++) { x ^= x << 13; x ^= x >> 17; x ^= x << 5; data[i] = (unsigned char)x; }
    uint64_t h = 0xcbf29ce484222325ULL, total = 0;
    static const size_t sizes[] = { 1, 2, 3, 100, 511, 4096, 4097, 65536, 100000, 1 << 20 };
    size_t off = 0;
    for (int round = 0; round < 2; round++) {
        for (unsigned s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
            int reps = sizes[s] < 1000 ? 50 : sizes[s] < 500000 ? 2 : 1;
            for (int r = 0; r < reps; r++) {
                size_t n = sizes[s];
                if (off + n > sizeof data) off = 0;
                if (write_all(data + off, n)) return 2;
                for (size_t i = 0; i < n; i++) h = (h ^ data[off + i]) * 0x100000001b3ULL;
                total += n;
                off += n * 3 + 1;
            }
        }
    }
    /* writev with several iovecs, including empty ones */
    struct iovec iov[5] = { { data, 1000 }, { data + 5000, 0 }, { data + 7, 200000 }, { data, 0 }, { data + 300000, 33333 } };
    size_t want = 1000 + 200000 + 33333;
    ssize_t w = writev(1, iov, 5);
    if (w < 0) return 3;
    /* finish a partial writev by hand */
    size_t done = (size_t)w;
    for (int k = 0; k < 5 && done < want; k++) {
        size_t len = iov[k].iov_len;
        if (done >= len) { done -= len; continue; }
        if (write_all((unsigned char *)iov[k].iov_base + done, len - done)) return 4;
        done = 0;
    }
    for (int k = 0; k < 5; k++)
        for (size_t i = 0; i < iov[k].iov_len; i++) h = (h ^ ((unsigned char *)iov[k].iov_base)[i]) * 0x100000001b3ULL;
    total += want;
    char line[80];
    int n = snprintf(line, sizeof line, "\ntotal=%llu fnv=%016llx\n", (unsigned long long)total, (unsigned long long)h);
    if (write_all((unsigned char *)line, (size_t)n)) return 5;
    return 0;
}
