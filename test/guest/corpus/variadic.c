/* Variadic functions: va_arg over ints, longs, doubles (register and stack classes), va_copy,
   a mini printf built on vsnprintf, and forwarding of a va_list. */
#include <stdio.h>
#include <stdarg.h>
#include <string.h>
#include <stdint.h>

static long sum_ints(int n, ...) {
    va_list ap; va_start(ap, n);
    long s = 0;
    for (int i = 0; i < n; i++) s += va_arg(ap, int);
    va_end(ap);
    return s;
}
static double mixed(const char *types, ...) {
    va_list ap, ap2; va_start(ap, types);
    va_copy(ap2, ap);
    double acc = 0;
    for (const char *t = types; *t; t++) {
        switch (*t) {
        case 'i': acc = acc * 2 + va_arg(ap, int); break;
        case 'l': acc = acc * 2 + (double)va_arg(ap, long long); break;
        case 'd': acc = acc * 2 + va_arg(ap, double); break;
        case 's': acc = acc * 2 + (double)strlen(va_arg(ap, const char *)); break;
        case 'p': acc = acc * 2 + (va_arg(ap, void *) != NULL); break;
        }
    }
    va_end(ap);
    /* second pass over the copy: only count */
    int n = 0;
    for (const char *t = types; *t; t++, n++) {
        if (*t == 'd') (void)va_arg(ap2, double); else if (*t == 'l') (void)va_arg(ap2, long long);
        else if (*t == 's' || *t == 'p') (void)va_arg(ap2, void *); else (void)va_arg(ap2, int);
    }
    va_end(ap2);
    return acc + n * 1e-3;
}
static int logf_(char *out, size_t cap, const char *fmt, va_list ap) { return vsnprintf(out, cap, fmt, ap); }
static int fmt(char *out, size_t cap, const char *f, ...) {
    va_list ap; va_start(ap, f);
    int r = logf_(out, cap, f, ap);
    va_end(ap);
    return r;
}
struct pair { long a; double b; };
static double sum_structs(int n, ...) {
    va_list ap; va_start(ap, n);
    double s = 0;
    for (int i = 0; i < n; i++) { struct pair p = va_arg(ap, struct pair); s += (double)p.a * p.b; }
    va_end(ap);
    return s;
}
static long double sum_ld(int n, ...) {
    va_list ap; va_start(ap, n);
    long double s = 0;
    for (int i = 0; i < n; i++) s += va_arg(ap, long double);
    va_end(ap);
    return s;
}

int main(void) {
    printf("sum0=%ld sum3=%ld sum12=%ld\n", sum_ints(0), sum_ints(3, 1, 2, 3),
           sum_ints(12, 1, -2, 3, -4, 5, -6, 7, -8, 9, -10, 11, 1000000));
    printf("mixed=%.17g\n", mixed("idldsipddddddddddl", 1, 2.5, 3LL, 4.25, "hello", 6, (void *)&main, 0.5, 1.5, 2.5, 3.5,
                                  4.5, 5.5, 6.5, 7.5, 8.5, 9.5, -7LL));
    printf("many doubles=%.17g\n", mixed("dddddddddddddddd", 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0,
                                           12.0, 13.0, 14.0, 15.0, 16.0));
    char buf[128];
    int r = fmt(buf, sizeof buf, "%s|%5d|%-6.2f|%c|%lld|%#x", "fwd", 42, 3.14159, 'Q', -1234567890123LL, 255u);
    printf("fmt=[%s] r=%d\n", buf, r);
    r = fmt(buf, 8, "%s", "truncated output");
    printf("trunc=[%s] r=%d\n", buf, r);
    struct pair p1 = { 3, 1.5 }, p2 = { -4, 0.25 }, p3 = { 1000, 1e-3 };
    printf("structs=%.17g\n", sum_structs(3, p1, p2, p3));
    printf("ld=%La\n", sum_ld(4, 1.0L, 0.1L, 1e-30L, -3.5L));
    uint64_t h = 0;
    for (int k = 0; k < 200; k++) h = h * 31 + (uint64_t)sum_ints(6, k, k * 2, -k, k * k, 7, k ^ 5);
    printf("hash=%016llx\n", (unsigned long long)h);
    return (int)(h % 100) + 100;
}
