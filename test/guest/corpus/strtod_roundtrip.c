/* strtod/strtof/sscanf round trips: %.17g and %a printed values parse back to the same bits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <errno.h>
#include <math.h>

static uint64_t st = 88172645463325252ULL;
static uint64_t rnd(void) { st ^= st << 13; st ^= st >> 7; st ^= st << 17; return st; }
static uint64_t dbits(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
static uint32_t fbits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }

int main(void) {
    const char *inputs[] = {
        "0", "-0", "1", "0.1", "1e23", "8.98846567431158e307", "1.7976931348623157e308",
        "1.7976931348623159e308", "2.2250738585072011e-308", "2.2250738585072012e-308", "4.9e-324",
        "2.4703282292062327e-324", "2.4703282292062328e-324", "1e-400", "1e400", "inf", "-Infinity",
        "nan", "0x1p-1074", "0x1.fffffffffffffp1023", "0x1.8p1", "  +3.25xyz", "1e", ".5", "5.",
        "123456789012345678901234567890", "0.000000000000000000000000000001", "9007199254740993",
        "9007199254740992.5", "1.00000000000000011102230246251565404236316680908203125",
        "3.4028235e38", "3.4028236e38", "1.17549435e-38", "1.4e-45", "7e-46", "abc", "",
        "2.47032822920623272088e-324", "0.1e-2147483648", "1e+2147483648",
    };
    int n = sizeof inputs / sizeof inputs[0];
    for (int i = 0; i < n; i++) {
        char *end;
        errno = 0;
        double d = strtod(inputs[i], &end);
        int e1 = errno;
        errno = 0;
        float f = strtof(inputs[i], NULL);
        int e2 = errno;
        printf("[%s] d=%016llx %.17g end=%d erange=%d f=%08x %.9g erange=%d\n", inputs[i],
               (unsigned long long)dbits(d), d, (int)(end - inputs[i]), e1 == ERANGE,
               (unsigned)fbits(f), (double)f, e2 == ERANGE);
    }
    unsigned bad = 0;
    uint64_t h = 0;
    char buf[64];
    for (int k = 0; k < 3000; k++) {
        uint64_t bits = rnd();
        double d;
        memcpy(&d, &bits, 8);
        if (isnan(d) || isinf(d)) continue;
        snprintf(buf, sizeof buf, "%.17g", d);
        double back = strtod(buf, NULL);
        if (dbits(back) != bits) { bad++; printf("BAD %s\n", buf); }
        snprintf(buf, sizeof buf, "%a", d);
        back = strtod(buf, NULL);
        if (dbits(back) != bits) { bad++; printf("BADA %s\n", buf); }
        double s;
        snprintf(buf, sizeof buf, "%.17e", d);
        if (sscanf(buf, "%lf", &s) != 1 || dbits(s) != bits) { bad++; printf("BADS %s\n", buf); }
        snprintf(buf, sizeof buf, "%.15g", d);
        h = h * 1000003 + dbits(strtod(buf, NULL));
        if (k % 100 == 0) printf("%d %s\n", k, buf);
        uint32_t fb = (uint32_t)rnd();
        float fl;
        memcpy(&fl, &fb, 4);
        if (isnan(fl) || isinf(fl)) continue;
        snprintf(buf, sizeof buf, "%.9g", (double)fl);
        float fback = strtof(buf, NULL);
        if (fbits(fback) != fb) { bad++; printf("BADF %s\n", buf); }
        h ^= fbits(strtof(buf + 1, NULL));
    }
    /* sscanf with several fields */
    double a, b; float c; int m;
    int got = sscanf("1.5e3, -0x1.8p-3 2.5e-3 42", "%lf, %lf %f %d", &a, &b, &c, &m);
    printf("sscanf got=%d %.17g %.17g %.9g %d\n", got, a, b, (double)c, m);
    printf("hash %016llx bad=%u\n", (unsigned long long)h, bad);
    return bad ? 1 : 0;
}
