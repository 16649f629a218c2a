/* Rounding: lrint/llrint/rint/nearbyint/lround under every fesetround mode, and float<->int conversions. */
#include <stdio.h>
#include <math.h>
#include <fenv.h>
#include <stdint.h>
#include <string.h>

static const int modes[] = { FE_TONEAREST, FE_DOWNWARD, FE_UPWARD, FE_TOWARDZERO };
static const char *mnames[] = { "nearest", "down", "up", "zero" };

int main(void) {
    volatile double xs[] = {
        0.0, -0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5, -2.4999999999999996,
        2.5000000000000004, 1e15 + 0.5, 4503599627370495.5, 4503599627370496.0, -4503599627370495.5,
        1e18, -1e18, 123456.789, -987654.321, 0.49999999999999994, 2147483647.5, -2147483648.5,
    };
    int n = sizeof xs / sizeof xs[0];
    uint64_t h = 0;
    for (int mi = 0; mi < 4; mi++) {
        if (fesetround(modes[mi]) != 0) { printf("fesetround failed\n"); return 99; }
        printf("mode %s get=%d\n", mnames[mi], fegetround() == modes[mi]);
        for (int i = 0; i < n; i++) {
            double x = xs[i];
            long lr = lrint(x);
            long long llr = llrint(x);
            double r = rint(x), nb = nearbyint(x);
            long lro = lround(x);
            float fr = rintf((float)x);
            printf(" x=%.17g lrint=%ld llrint=%lld rint=%.17g nearbyint=%.17g lround=%ld rintf=%.9g\n",
                   x, lr, llr, r, nb, lro, (double)fr);
            h = h * 31 + (uint64_t)lr + (uint64_t)llr * 7;
        }
        /* arithmetic results depend on the rounding mode too */
        volatile double a = 1.0, b = 3.0, c = 1e308, d = 1e-308;
        double q = a / b, big = c * 10.0, tiny = d / 1e10, s = a + 1e-17;
        float fq = (float)a / (float)b;
        printf(" 1/3=%a 1e308*10=%g 1e-308/1e10=%a 1+1e-17=%a (float)1/3=%a sqrt2=%a\n", q, big, tiny, s,
               (double)fq, sqrt(2.0));
        volatile double dd = 16777217.0;
        printf(" (float)16777217=%.1f (float)0.1=%a\n", (double)(float)dd, (double)(float)0.1);
        volatile long long ll = 9007199254740993LL;
        printf(" (double)2^53+1=%.1f (double)-(2^53+1)=%.1f\n", (double)ll, (double)-ll);
        volatile uint64_t ub = 0xffffffffffffffffULL;
        printf(" (double)u64max=%a (float)u64max=%a\n", (double)ub, (double)(float)ub);
    }
    fesetround(FE_TONEAREST);
    /* truncating conversions (mode independent) */
    for (int i = 0; i < n; i++) {
        double x = xs[i];
        if (fabs(x) < 9e18) printf("trunc %.17g -> %lld %d\n", x, (long long)x, fabs(x) < 2e9 ? (int)x : 0);
    }
    /* exceptions */
    feclearexcept(FE_ALL_EXCEPT);
    volatile double z = 0.0, one = 1.0;
    volatile double r1 = one / z;
    printf("divbyzero=%d inf=%g\n", fetestexcept(FE_DIVBYZERO) != 0, r1);
    feclearexcept(FE_ALL_EXCEPT);
    volatile double r2 = one / 3.0;
    printf("inexact=%d %a\n", fetestexcept(FE_INEXACT) != 0, r2);
    feclearexcept(FE_ALL_EXCEPT);
    volatile double r3 = sqrt(-one);
    printf("invalid=%d nan=%d\n", fetestexcept(FE_INVALID) != 0, isnan(r3));
    printf("hash %016llx\n", (unsigned long long)h);
    return (int)(h % 64);
}
