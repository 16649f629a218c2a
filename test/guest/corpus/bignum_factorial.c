/* Arbitrary-precision arithmetic in base 10^9: factorials up to 1000!, a big Fibonacci number,
   2^4000, with digit sums and leading/trailing digits printed. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#define BASE 1000000000u
#define MAXL 400
typedef struct { uint32_t d[MAXL]; int n; } big;

static void set(big *a, uint32_t v) { a->n = 0; while (v) { a->d[a->n++] = v % BASE; v /= BASE; } }
static void mul_small(big *a, uint32_t m) {
    uint64_t carry = 0;
    for (int i = 0; i < a->n; i++) { uint64_t t = (uint64_t)a->d[i] * m + carry; a->d[i] = (uint32_t)(t % BASE); carry = t / BASE; }
    while (carry) { a->d[a->n++] = (uint32_t)(carry % BASE); carry /= BASE; }
}
static void add(big *r, const big *a, const big *b) {
    uint32_t carry = 0;
    int n = a->n > b->n ? a->n : b->n;
    for (int i = 0; i < n; i++) {
        uint32_t t = (i < a->n ? a->d[i] : 0) + (i < b->n ? b->d[i] : 0) + carry;
        carry = t >= BASE; r->d[i] = t - (carry ? BASE : 0);
    }
    r->n = n;
    if (carry) r->d[r->n++] = carry;
}
static uint32_t divmod_small(big *a, uint32_t m) {
    uint64_t rem = 0;
    for (int i = a->n - 1; i >= 0; i--) { uint64_t cur = a->d[i] + rem * BASE; a->d[i] = (uint32_t)(cur / m); rem = cur % m; }
    while (a->n && a->d[a->n - 1] == 0) a->n--;
    return (uint32_t)rem;
}
static int to_str(const big *a, char *out) {
    if (!a->n) { strcpy(out, "0"); return 1; }
    int len = sprintf(out, "%u", a->d[a->n - 1]);
    for (int i = a->n - 2; i >= 0; i--) len += sprintf(out + len, "%09u", a->d[i]);
    return len;
}
static void report(const char *name, const big *a) {
    static char s[MAXL * 9 + 2];
    int len = to_str(a, s);
    long dsum = 0; int zeros = 0;
    for (int i = 0; i < len; i++) dsum += s[i] - '0';
    for (int i = len - 1; i >= 0 && s[i] == '0'; i--) zeros++;
    printf("%s: digits=%d sum=%ld trailing_zeros=%d head=%.30s tail=%s\n", name, len, dsum, zeros, s, len > 30 ? s + len - 30 : s);
}

int main(void) {
    big f; set(&f, 1);
    char name[32];
    for (uint32_t k = 1; k <= 1000; k++) {
        mul_small(&f, k);
        if (k <= 30 || k % 100 == 0 || k == 171 || k == 449) { snprintf(name, sizeof name, "%u!", k); report(name, &f); }
    }
    /* 1000! / 999! / ... checks via division */
    big g = f;
    for (uint32_t k = 1000; k > 990; k--) if (divmod_small(&g, k) != 0) { printf("bad division\n"); return 1; }
    report("1000!/(1000..991)", &g);
    uint32_t r7 = divmod_small(&g, 1000003);
    printf("990! mod 1000003 = %u\n", r7);
    big a, b, c; set(&a, 0); set(&b, 1);
    for (int k = 0; k < 3000; k++) { add(&c, &a, &b); a = b; b = c; }
    report("fib(3001)", &b);
    big p; set(&p, 1);
    for (int k = 0; k < 4000; k++) mul_small(&p, 2);
    report("2^4000", &p);
    return (int)(f.d[f.n - 1] % 256);
}
