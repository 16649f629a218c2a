/* atoi/atol/strtol/strtoul/strtoll/strtoull with every base, signs, whitespace, prefixes,
   end pointers and ERANGE/EINVAL edge cases. */
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <limits.h>

int main(void) {
    const char *in[] = { "0", "1", "-1", "+42", "  \t\n 17xyz", "0x1A", "0X1a", "0x", "0xg", "077", "08", "0b101", "-0",
                         "2147483647", "2147483648", "-2147483648", "-2147483649", "9223372036854775807",
                         "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "18446744073709551615",
                         "18446744073709551616", "-18446744073709551615", "99999999999999999999999", "zzzz", "ZZ", "",
                         "   ", "-", "+-1", "1e5", "12.5", "1_000", "0x7fffffffffffffff", "0xffffffffffffffff",
                         "-0x8000000000000000", "0x10000000000000000", "11111111111111111111111111111111111111111111111111111111111111111" };
    int n = sizeof in / sizeof in[0];
    int bases[] = { 0, 2, 8, 10, 16, 36 };
    int erange = 0;
    for (int i = 0; i < n; i++) {
        printf("[%s] atoi=%d atol=%ld atoll=%lld\n", in[i][0] == ' ' ? "(ws)17xyz" : in[i],
               (i >= 13 && i <= 24) || i == 38 ? 0 : atoi(in[i]), (i >= 17 && i <= 24) || i == 38 ? 0L : atol(in[i]),
               (i >= 18 && i <= 24) || i == 38 ? 0LL : atoll(in[i]));
        for (unsigned b = 0; b < sizeof bases / sizeof bases[0]; b++) {
            char *end;
            errno = 0;
            long l = strtol(in[i], &end, bases[b]);
            int e1 = errno; long c1 = end - in[i];
            errno = 0;
            unsigned long ul = strtoul(in[i], &end, bases[b]);
            int e2 = errno; long c2 = end - in[i];
            errno = 0;
            long long ll = strtoll(in[i], &end, bases[b]);
            int e3 = errno; long c3 = end - in[i];
            errno = 0;
            unsigned long long ull = strtoull(in[i], &end, bases[b]);
            int e4 = errno; long c4 = end - in[i];
            erange += (e1 == ERANGE) + (e2 == ERANGE) + (e3 == ERANGE) + (e4 == ERANGE);
            printf("  b%-2d l=%ld/%ld/%s ul=%lu/%ld/%s ll=%lld/%ld/%s ull=%llu/%ld/%s\n", bases[b], l, c1,
                   e1 == ERANGE ? "ERANGE" : e1 == EINVAL ? "EINVAL" : "ok", ul, c2,
                   e2 == ERANGE ? "ERANGE" : e2 == EINVAL ? "EINVAL" : "ok", ll, c3,
                   e3 == ERANGE ? "ERANGE" : e3 == EINVAL ? "EINVAL" : "ok", ull, c4,
                   e4 == ERANGE ? "ERANGE" : e4 == EINVAL ? "EINVAL" : "ok");
        }
    }
    /* every base 2..36 on one string */
    for (int b = 2; b <= 36; b++) {
        static const char digits[] = "1z9a8b7c6d5e4f";
        char *end;
        errno = 0;
        unsigned long long v = strtoull(digits, &end, b);
        printf("base %d: %llu used=%ld erange=%d\n", b, v, (long)(end - digits), errno == ERANGE);
    }
    printf("erange=%d\n", erange);
    return erange;
}
