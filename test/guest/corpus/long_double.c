/* long double (x87 80-bit): arithmetic, %Lf %Le %Lg %La, strtold, division, sqrtl, int conversions. */
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <float.h>
#include <string.h>
#include <stdint.h>

static uint64_t h = 0xcbf29ce484222325ULL;
static void mix(long double v) {
    unsigned char b[16] = {0};
    memcpy(b, &v, 10); /* only the 80 significant bits */
    for (int i = 0; i < 10; i++) h = (h ^ b[i]) * 0x100000001b3ULL;
}
static void show(const char *what, long double v) {
    printf("%s: %.25Lg | %La | %.6Le | %.3Lf\n", what, v, v, v, fabsl(v) < 1e30L ? v : 0.0L);
    mix(v);
}

int main(void) {
    printf("LDBL_MANT_DIG=%d LDBL_DIG=%d LDBL_MAX_EXP=%d\n", LDBL_MANT_DIG, LDBL_DIG, LDBL_MAX_EXP);
    volatile long double vals[] = {
        0.0L, -0.0L, 1.0L, -1.0L, 0.1L, 1.0L / 3.0L, 2.0L / 3.0L, 3.14159265358979323846264338327950288L,
        1e-4000L, LDBL_MIN, LDBL_MIN / 1024, LDBL_TRUE_MIN, LDBL_EPSILON, LDBL_MAX, -LDBL_MAX,
        18446744073709551615.0L, 9223372036854775807.0L, 9223372036854775808.0L, 1e18L, 1e19L,
        1e4000L, 123456789.123456789L, -0.5L, 2.5L, 1e-310L, INFINITY, -INFINITY, NAN,
    };
    int n = sizeof vals / sizeof vals[0];
    for (int i = 0; i < n; i++) {
        char name[32];
        snprintf(name, sizeof name, "v%d", i);
        show(name, vals[i]);
        printf("  %%Lf=%.10Lf %%Le=%Le %%.20Le=%.20Le %%Lg=%Lg %%.0La=%.0La\n", fabsl(vals[i]) < 1e25L ? vals[i] : 1.0L,
               vals[i], vals[i], vals[i], vals[i]);
    }
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j += 3) {
            long double a = vals[i], b = vals[j];
            long double s = a + b, d = a - b, m = a * b, q = a / b;
            printf("%d,%d: + %La - %La * %La / %La\n", i, j, s, d, m, q);
            mix(s); mix(d); mix(m); mix(q);
        }
    }
    /* sqrtl and friends */
    for (int k = 0; k <= 40; k++) {
        long double x = (long double)k * 0.75L + 0.001L;
        printf("k=%d sqrtl=%La fmodl=%La floorl=%La ceill=%La roundl=%La\n", k, sqrtl(x), fmodl(x * 1000, 7.25L),
               floorl(x * 3.3L), ceill(x * 3.3L), roundl(x * 1.5L));
        mix(sqrtl(x));
    }
    /* conversions */
    volatile long double convs[] = { 0.5L, -0.5L, 1.999999L, -1.999999L, 4294967296.75L, -4294967296.75L,
                                     9223372036854775807.0L, -9223372036854775808.0L, 18446744073709551615.0L,
                                     1e18L + 0.5L, 12345678901234567890.0L };
    for (unsigned i = 0; i < sizeof convs / sizeof convs[0]; i++) {
        long double x = convs[i];
        long long ll = (x >= -9223372036854775808.0L && x < 9223372036854775808.0L) ? (long long)x : 0;
        unsigned long long ull = (x >= 0 && x < 18446744073709551616.0L) ? (unsigned long long)x : 0;
        double d = (double)x;
        float f = (float)x;
        printf("conv %La -> ll=%lld ull=%llu d=%a f=%a\n", x, ll, ull, d, (double)f);
    }
    volatile long long ilist[] = { 0, 1, -1, 9007199254740993LL, -9007199254740993LL, INT64_MAX, INT64_MIN };
    for (unsigned i = 0; i < sizeof ilist / sizeof ilist[0]; i++) {
        long double x = (long double)ilist[i];
        printf("int2ld %lld -> %La %.0Lf\n", ilist[i], x, x);
    }
    volatile unsigned long long um = UINT64_MAX;
    printf("u64max -> %La %.0Lf\n", (long double)um, (long double)um);
    /* strtold */
    const char *strs[] = { "0.1", "1e4932", "1e4933", "1e-4951", "3.36210314311209350626e-4932",
                           "0x1.23456789abcdef01p+100", "123456789012345678901234567890", "-inf", "nan" };
    for (unsigned i = 0; i < sizeof strs / sizeof strs[0]; i++) {
        long double v = strtold(strs[i], NULL);
        printf("strtold(%s) = %La = %.21Lg\n", strs[i], v, v);
        mix(v);
    }
    /* a series: e and pi in long double */
    long double e = 1, term = 1;
    for (int k = 1; k < 30; k++) { term /= k; e += term; }
    long double pi = 0;
    for (int k = 0; k < 2000; k++) pi += (k % 2 ? -4.0L : 4.0L) / (2 * k + 1);
    printf("e=%.21Lf pi~%.21Lf\n", e, pi);
    mix(e); mix(pi);
    printf("hash %016llx\n", (unsigned long long)h);
    return (int)(h % 90) + 10;
}
