/* sprintf/snprintf of integers and strings with every flag, truncation return values, %n, and
   strftime with fixed struct tm values (and gmtime_r of fixed times: no time zone involved). */
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <inttypes.h>
#include <limits.h>
#include <time.h>
#include <stddef.h>
#include <sys/types.h>

int main(void) {
    char buf[256];
    long long ivals[] = { 0, 1, -1, 42, -42, 127, -128, 255, 65535, INT_MAX, INT_MIN, LLONG_MAX, LLONG_MIN, 1000000 };
    const char *ifmts[] = { "%d", "%5d", "%-5d|", "%05d", "%+d", "% d", "%.3d", "%8.3d", "%x", "%#x", "%X", "%#o", "%o", "%u",
                            "%hhd", "%hd", "%hhu", "%hx", "%#.0x", "%.0d" };
    for (unsigned i = 0; i < sizeof ivals / sizeof ivals[0]; i++) {
        printf("%lld:", ivals[i]);
        for (unsigned f = 0; f < sizeof ifmts / sizeof ifmts[0]; f++) {
            snprintf(buf, sizeof buf, ifmts[f], (int)ivals[i]);
            printf(" [%s]", buf);
        }
        printf(" ll[%lld|%llx|%20lld|%-20llu|%+.25lld]\n", ivals[i], (unsigned long long)ivals[i], ivals[i],
               (unsigned long long)ivals[i], ivals[i]);
    }
    printf("[%" PRId64 "] [%" PRIu64 "] [%" PRIx64 "] [%zu] [%zd] [%jd] [%td]\n", INT64_MIN, UINT64_MAX, UINT64_MAX,
           (size_t)12345, (ssize_t)-5, (intmax_t)-99, (ptrdiff_t)77);
    const char *s = "Hello, world";
    printf("[%s] [%20s] [%-20s] [%.5s] [%20.5s] [%-8.3s] [%c] [%5c] [%-5c] [%%]\n", s, s, s, s, s, s, 'x', 'y', 'z');
    /* truncation */
    for (int n = 0; n <= 14; n++) {
        memset(buf, '#', 20);
        int r = snprintf(buf, (size_t)n, "%s-%d", "abcdef", 12345);
        printf("snprintf n=%d r=%d buf=[%.*s] next=%c\n", n, r, n ? n - 1 : 0, buf, buf[n < 19 ? n : 19]);
    }
    int pos1 = 0, pos2 = 0;
    sprintf(buf, "abc%nde%dfg%n", &pos1, 99, &pos2);
    printf("%%n: %s %d %d\n", buf, pos1, pos2);
    int len = sprintf(buf, "%s|%*d|%-*d|%.*f|%0*d", "x", 6, 42, 6, 42, 3, 3.14159, 8, -42);
    printf("star: %s len=%d\n", buf, len);
    printf("positional: %2$s %1$s %2$s\n", "world", "hello");
    /* strftime */
    struct tm tms[] = {
        { .tm_sec = 0, .tm_min = 0, .tm_hour = 0, .tm_mday = 1, .tm_mon = 0, .tm_year = 70, .tm_wday = 4, .tm_yday = 0 },
        { .tm_sec = 59, .tm_min = 59, .tm_hour = 23, .tm_mday = 31, .tm_mon = 11, .tm_year = 99, .tm_wday = 5, .tm_yday = 364 },
        { .tm_sec = 7, .tm_min = 8, .tm_hour = 9, .tm_mday = 29, .tm_mon = 1, .tm_year = 124, .tm_wday = 4, .tm_yday = 59 },
        { .tm_sec = 60, .tm_min = 30, .tm_hour = 12, .tm_mday = 3, .tm_mon = 6, .tm_year = 1100, .tm_wday = 0, .tm_yday = 183 },
        { .tm_sec = 1, .tm_min = 2, .tm_hour = 13, .tm_mday = 4, .tm_mon = 0, .tm_year = 121, .tm_wday = 1, .tm_yday = 3 },
    };
    const char *tfmts[] = { "%Y-%m-%d %H:%M:%S", "%a %A %b %B", "%c", "%x %X", "%D %T %R %r", "%j %U %W %u %w",
                            "%G-W%V-%u %g", "%e|%k|%l|%I|%p", "%C %y %h %n%t|%%", "%F", "%Ey %Od" };
    for (unsigned i = 0; i < sizeof tms / sizeof tms[0]; i++) {
        for (unsigned f = 0; f < sizeof tfmts / sizeof tfmts[0]; f++) {
            size_t n = strftime(buf, sizeof buf, tfmts[f], &tms[i]);
            printf("tm%u %-22s -> %zu [%s]\n", i, tfmts[f], n, buf);
        }
        char small[8];
        size_t n = strftime(small, sizeof small, "%Y-%m-%d", &tms[i]);
        printf("tm%u small -> %zu\n", i, n);
    }
    time_t times[] = { 0, 86399, 951782400, 1700000000, 2147483647, 4102444800LL, -1, -86401 };
    for (unsigned i = 0; i < sizeof times / sizeof times[0]; i++) {
        struct tm tm;
        if (!gmtime_r(&times[i], &tm)) { printf("gmtime_r failed\n"); continue; }
        strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %a yday=%j", &tm);
        printf("gmtime(%lld) = %s wday=%d\n", (long long)times[i], buf, tm.tm_wday);
    }
    return 17;
}
