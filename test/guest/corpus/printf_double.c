/* printf of doubles: %f %e %g %a at many precisions, subnormals, huge/tiny values, inf/nan. */
#include <stdio.h>
#include <float.h>
#include <math.h>
#include <string.h>
#include <stdint.h>

static uint32_t crc_update(uint32_t c, const char *s) {
    while (*s) {
        c ^= (unsigned char)*s++;
        for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
    }
    return c;
}

int main(void) {
    volatile double vals[] = {
        0.0, -0.0, 1.0, -1.0, 0.1, 0.5, 1.5, 2.5, -2.5, 3.14159265358979323846, 1e-5, 123456.789,
        1e15, 1e16, 1e17, 9007199254740993.0, 1e21, 1e22, 1e23, 1e100, 1e300, DBL_MAX, -DBL_MAX,
        DBL_MIN, DBL_MIN / 2, DBL_TRUE_MIN, 4.9406564584124654e-324 * 3, 2.2250738585072009e-308,
        DBL_EPSILON, 1.0 / 3.0, 2.0 / 3.0, 0.05, 0.15, 0.25, 0.35, 999.9995, 0.0009765625,
        1e-300, 123e-310, 5e-324, 1.7976931348623157e308, 0.000123456789, 9.5, 10.5, 99.995,
        INFINITY, -INFINITY, NAN,
    };
    int n = sizeof vals / sizeof vals[0];
    const char *convs[] = { "f", "e", "g", "a", "E", "G", "A" };
    int precs[] = { -1, 0, 1, 2, 3, 5, 6, 10, 15, 17, 20, 30 };
    char fmt[32], buf[2048];
    uint32_t crc = 0xffffffffu;
    for (int i = 0; i < n; i++) {
        double v = vals[i];
        for (unsigned c = 0; c < sizeof convs / sizeof convs[0]; c++) {
            for (unsigned p = 0; p < sizeof precs / sizeof precs[0]; p++) {
                if (precs[p] < 0) snprintf(fmt, sizeof fmt, "%%%s", convs[c]);
                else snprintf(fmt, sizeof fmt, "%%.%d%s", precs[p], convs[c]);
                /* %f of 1e300 with 30 digits is long but fine: buf is big */
                int len = snprintf(buf, sizeof buf, fmt, v);
                if (strcmp(convs[c], "f") == 0 && fabs(v) > 1e30 && !isinf(v)) {
                    printf("%d %s len=%d head=%.20s\n", i, fmt, len, buf);
                } else {
                    printf("%d %s [%s]\n", i, fmt, buf);
                }
                crc = crc_update(crc, buf);
            }
        }
        /* flags and widths */
        printf("%d flags [%+.3e] [% .4f] [%-14.5g|] [%014.3f] [%#.0f] [%#g] [%#.3a] [%+a]\n", i, v, v, v, v, v, v, v, v);
        snprintf(buf, sizeof buf, "%*.*g|%-*.*e", 20, 8, v, 25, 12, v);
        printf("%d star [%s]\n", i, buf);
        crc = crc_update(crc, buf);
    }
    /* exact decimal expansion of some binary fractions */
    for (int k = 1; k <= 60; k++) {
        double v = ldexp(1.0, -k);
        printf("2^-%d = %.*f\n", k, k, v);
    }
    for (int k = 0; k <= 1023; k += 31) {
        double v = ldexp(1.0, k);
        printf("2^%d = %.0f\n", k, v);
    }
    printf("crc %08x\n", ~crc);
    return (int)(~crc % 7) + 1;
}
