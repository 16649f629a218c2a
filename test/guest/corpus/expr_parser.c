/* A recursive descent parser and evaluator for integer expressions with variables, and a
   pretty-printer; evaluates generated expressions and a fixed list of tricky ones. */
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <stdlib.h>

static const char *p;
static int err;
static int64_t vars[26];

static void skip(void) { while (*p == ' ') p++; }
static int64_t expr(void);
static int64_t primary(void) {
    skip();
    if (*p == '(') {
        p++;
        int64_t v = expr();
        skip();
        if (*p == ')') p++; else err = 1;
        return v;
    }
    if (*p == '-') { p++; return -(uint64_t)primary(); }
    if (*p == '~') { p++; return ~primary(); }
    if (*p >= 'a' && *p <= 'z') return vars[*p++ - 'a'];
    if (*p >= '0' && *p <= '9') {
        int64_t v = 0;
        while (*p >= '0' && *p <= '9') v = (int64_t)((uint64_t)v * 10 + (uint64_t)(*p++ - '0'));
        return v;
    }
    err = 2;
    return 0;
}
static int64_t power(void) {
    int64_t b = primary();
    skip();
    if (p[0] == '*' && p[1] == '*') {
        p += 2;
        int64_t e = power(); /* right associative */
        uint64_t r = 1;
        for (int64_t i = 0; i < e && i < 64; i++) r *= (uint64_t)b;
        return (int64_t)r;
    }
    return b;
}
static int64_t term(void) {
    int64_t v = power();
    for (;;) {
        skip();
        char c = *p;
        if ((c == '*' && p[1] != '*') || c == '/' || c == '%') {
            p++;
            int64_t r = power();
            if (c == '*') v = (int64_t)((uint64_t)v * (uint64_t)r);
            else if (r == 0 || (v == INT64_MIN && r == -1)) { err = 3; v = 0; }
            else v = c == '/' ? v / r : v % r;
        } else return v;
    }
}
static int64_t sum(void) {
    int64_t v = term();
    for (;;) {
        skip();
        if (*p == '+') { p++; v = (int64_t)((uint64_t)v + (uint64_t)term()); }
        else if (*p == '-') { p++; v = (int64_t)((uint64_t)v - (uint64_t)term()); }
        else return v;
    }
}
static int64_t shift(void) {
    int64_t v = sum();
    for (;;) {
        skip();
        if (p[0] == '<' && p[1] == '<') { p += 2; v = (int64_t)((uint64_t)v << (sum() & 63)); }
        else if (p[0] == '>' && p[1] == '>') { p += 2; v = v >> (sum() & 63); }
        else return v;
    }
}
static int64_t bitand(void) { int64_t v = shift(); for (;;) { skip(); if (*p == '&') { p++; v &= shift(); } else return v; } }
static int64_t bitxor(void) { int64_t v = bitand(); for (;;) { skip(); if (*p == '^') { p++; v ^= bitand(); } else return v; } }
static int64_t expr(void) { int64_t v = bitxor(); for (;;) { skip(); if (*p == '|') { p++; v |= bitxor(); } else return v; } }

static int64_t eval(const char *s, int *e) {
    p = s; err = 0;
    int64_t v = expr();
    skip();
    if (*p) err = err ? err : 4;
    *e = err;
    return v;
}

static uint32_t st = 7;
static uint32_t rnd(void) { st = st * 1103515245u + 12345u; return (st >> 16) & 0x7fff; }
static char gbuf[1 << 16];
static int gpos;
static void gen(int depth) {
    static const char *ops[] = { "+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>", "**" };
    if (depth == 0 || rnd() % 4 == 0) {
        if (rnd() % 3 == 0) gpos += sprintf(gbuf + gpos, "%c", 'a' + rnd() % 26);
        else gpos += sprintf(gbuf + gpos, "%u", rnd() % 1000);
        return;
    }
    int paren = rnd() % 2;
    if (paren) gbuf[gpos++] = '(';
    if (rnd() % 8 == 0) gbuf[gpos++] = rnd() % 2 ? '-' : '~';
    gen(depth - 1);
    const char *op = ops[rnd() % 11];
    if (!strcmp(op, "**") || !strcmp(op, "<<") || !strcmp(op, ">>")) {
        gpos += sprintf(gbuf + gpos, " %s %u", op, rnd() % 5);
    } else {
        gpos += sprintf(gbuf + gpos, " %s ", op);
        gen(depth - 1);
    }
    if (paren) gbuf[gpos++] = ')';
    gbuf[gpos] = 0;
}

int main(void) {
    for (int i = 0; i < 26; i++) vars[i] = (int64_t)i * 37 - 400;
    const char *fixed[] = { "1+2*3", "(1+2)*3", "2**3**2", "-2**2", "100/7%3", "1<<62<<1", "-1>>63",
                            "~0&255|256", "a*b-c", "((((((((1))))))))", "9223372036854775807+1",
                            "10/0", "(1+2", "1+", "7 % -3", "-7 / 2", "3 ^ 5 & 6 | 8", "z**3" };
    int e;
    for (unsigned i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        int64_t v = eval(fixed[i], &e);
        printf("%-24s = %lld err=%d\n", fixed[i], (long long)v, e);
    }
    uint64_t h = 0;
    int errors = 0;
    printf("seed %u\n", st);
    for (int k = 0; k < 400; k++) {
        gpos = 0;
        gen(1 + k % 9);
        int64_t v = eval(gbuf, &e);
        if (e) errors++;
        if (k % 10 == 0) printf("%d: %s = %lld err=%d\n", k, gpos < 120 ? gbuf : "(long)", (long long)v, e);
        h = h * 1000003u ^ (uint64_t)v ^ (uint64_t)e;
    }
    printf("hash=%016llx errors=%d\n", (unsigned long long)h, errors);
    return errors % 256;
}
