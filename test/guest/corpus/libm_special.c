/* libm special functions: expm1 log1p erf erfc lgamma tgamma, plus float variants. */
#include <stdio.h>
#include <math.h>
#include <string.h>
#include <stdint.h>

static uint64_t h = 7;
static void p(const char *name, double x, double r) {
    uint64_t u; memcpy(&u, &r, 8);
    printf("%s(%.17g) = %.17g [%016llx]\n", name, x, r, (unsigned long long)u);
    h = h * 1099511628211ULL ^ u;
}

int main(void) {
    volatile double xs[] = {
        -0.0, 0.0, 1e-300, 1e-17, 1e-10, 1e-5, 0.001, 0.1, 0.5, 0.69314718055994529, 1.0, 1.5, 2.0,
        2.5, 3.0, 4.5, 5.0, 10.0, 20.5, 50.0, 100.0, 170.5, 171.7, 200.0, 1e10, 1e300, -1e-5,
        -0.1, -0.5, -0.99999, -1.0, -1.5, -2.5, -3.7, -10.5, -100.5, -200.25, INFINITY, -INFINITY, NAN,
    };
    int n = sizeof xs / sizeof xs[0];
    for (int i = 0; i < n; i++) {
        double x = xs[i];
        p("expm1", x, expm1(x));
        p("log1p", x, log1p(x));
        p("erf", x, erf(x));
        p("erfc", x, erfc(x));
        p("lgamma", x, lgamma(x));
        p("tgamma", x, tgamma(x));
        p("asinh", x, asinh(x));
        p("acosh", x, acosh(x));
        p("atanh", x, atanh(x));
        float f = (float)x;
        printf("f %a: expm1f=%a log1pf=%a erff=%a lgammaf=%a tgammaf=%a sinf=%a expf=%a\n", (double)f,
               (double)expm1f(f), (double)log1pf(f), (double)erff(f), (double)lgammaf(f),
               (double)tgammaf(f), (double)sinf(f), (double)expf(f));
    }
    double s = 0;
    for (int k = 1; k < 1500; k++) {
        double x = k * 0.0137 - 6.0;
        s += erf(x) + erfc(x) * 0.25 + expm1(x * 0.1) + log1p(fabs(x)) + lgamma(fabs(x) + 0.5);
        double t = tgamma(x);
        uint64_t u; memcpy(&u, &t, 8);
        h ^= u + (uint64_t)k;
    }
    printf("sum %.17g\nhash %016llx\n", s, (unsigned long long)h);
    return (int)(h % 100) + 1;
}
