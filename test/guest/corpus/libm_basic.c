/* libm: sin cos tan exp log pow sqrt cbrt atan2 fmod hypot floor ceil round trunc, exact bits printed. */
#include <stdio.h>
#include <math.h>
#include <string.h>
#include <stdint.h>

static uint64_t bits(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
static uint64_t h = 1;
static void show(const char *name, double x, double r) {
    printf("%s(%.17g) = %.17g [%016llx]\n", name, x, r, (unsigned long long)bits(r));
    h = h * 0x100000001b3ULL ^ bits(r);
}
static void show2(const char *name, double x, double y, double r) {
    printf("%s(%.17g, %.17g) = %.17g [%016llx]\n", name, x, y, r, (unsigned long long)bits(r));
    h = h * 0x100000001b3ULL ^ bits(r);
}

int main(void) {
    volatile double xs[] = {
        0.0, -0.0, 1e-310, 1e-20, 1e-8, 0.1, 0.5, 0.75, 1.0, 1.5, 2.0, 2.5, 3.0, M_PI / 4, M_PI / 2,
        M_PI, 3.5, 10.0, 22.0, 100.0, 710.0, 1e5, 1e10, 1e22, 1e300, -0.1, -0.5, -1.0, -1.5, -2.5,
        -3.5, -10.0, -100.0, -745.0, -1e10, 0.49999999999999994, 4503599627370495.5, INFINITY,
        -INFINITY, NAN,
    };
    int n = sizeof xs / sizeof xs[0];
    for (int i = 0; i < n; i++) {
        double x = xs[i];
        show("sin", x, sin(x)); show("cos", x, cos(x)); show("tan", x, tan(x));
        show("exp", x, exp(x)); show("log", x, log(x)); show("log10", x, log10(x));
        show("log2", x, log2(x)); show("sqrt", x, sqrt(x)); show("cbrt", x, cbrt(x));
        show("floor", x, floor(x)); show("ceil", x, ceil(x)); show("round", x, round(x));
        show("trunc", x, trunc(x)); show("fabs", x, fabs(x)); show("atan", x, atan(x));
        show("asin", x, asin(x)); show("acos", x, acos(x)); show("sinh", x, sinh(x));
        show("cosh", x, cosh(x)); show("tanh", x, tanh(x)); show("exp2", x, exp2(x));
        int e;
        double m = frexp(x, &e);
        printf("frexp(%.17g) = %.17g * 2^%d\n", x, m, isfinite(x) ? e : 0);
        double ip;
        double fp = modf(x, &ip);
        printf("modf(%.17g) = %.17g + %.17g\n", x, ip, fp);
    }
    volatile double ys[] = { 0.0, -0.0, 0.5, 1.0, -1.0, 2.0, 3.0, -3.0, 0.3333333333333333, 10.0, 1e-3, 1e3, INFINITY, NAN };
    int m = sizeof ys / sizeof ys[0];
    for (int i = 0; i < n; i += 2) {
        for (int j = 0; j < m; j++) {
            double x = xs[i], y = ys[j];
            show2("pow", x, y, pow(x, y)); show2("atan2", x, y, atan2(x, y));
            show2("fmod", x, y, fmod(x, y)); show2("hypot", x, y, hypot(x, y));
            show2("remainder", x, y, remainder(x, y)); show2("copysign", x, y, copysign(x, y));
            show2("fmin", x, y, fmin(x, y)); show2("fmax", x, y, fmax(x, y));
            show2("ldexp", x, y, ldexp(x, (int)(isfinite(y) ? y * 100 : 0)));
        }
    }
    /* a sweep so many argument-reduction paths are hit */
    double acc = 0;
    for (int k = -2000; k <= 2000; k++) {
        double x = k * 0.0123456789;
        acc += sin(x) + cos(x) * 0.5 + exp(x * 0.01) + log1p(fabs(x)) + atan2(x, 1.0 + k % 7) + sqrt(fabs(x));
        h = h * 0x100000001b3ULL ^ bits(tan(x)) ^ bits(pow(1.0001, x));
    }
    printf("sweep %.17g\nhash %016llx\n", acc, (unsigned long long)h);
    return (int)(h % 50) + 3;
}
