/* qsort and bsearch over ints, strings and structs, with total orders so results are unique. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

static uint32_t st = 42;
static uint32_t rnd(void) { st ^= st << 13; st ^= st >> 17; st ^= st << 5; return st; }

static int cmp_int(const void *a, const void *b) { int x = *(const int *)a, y = *(const int *)b; return (x > y) - (x < y); }
static int cmp_int_desc(const void *a, const void *b) { return cmp_int(b, a); }
static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }
struct rec { int key; double weight; char name[12]; };
static int cmp_rec(const void *a, const void *b) {
    const struct rec *x = a, *y = b;
    if (x->key != y->key) return (x->key > y->key) - (x->key < y->key);
    if (x->weight != y->weight) return (x->weight > y->weight) - (x->weight < y->weight);
    return strcmp(x->name, y->name);
}

int main(void) {
    printf("seed %u\n", st);
    enum { N = 5000 };
    static int a[N];
    for (int i = 0; i < N; i++) a[i] = (int)(rnd() % 20000) - 10000;
    qsort(a, N, sizeof a[0], cmp_int);
    uint64_t h = 0;
    int sorted = 1;
    for (int i = 0; i < N; i++) { h = h * 31 + (uint32_t)a[i]; if (i && a[i - 1] > a[i]) sorted = 0; }
    printf("ints sorted=%d first=%d last=%d median=%d hash=%016llx\n", sorted, a[0], a[N - 1], a[N / 2], (unsigned long long)h);
    int found = 0, absent = 0;
    for (int k = -10050; k < 10050; k += 7) {
        int *p = bsearch(&k, a, N, sizeof a[0], cmp_int);
        if (p) { found++; if (*p != k) return 9; } else absent++;
    }
    printf("bsearch found=%d absent=%d\n", found, absent);
    qsort(a, N, sizeof a[0], cmp_int_desc);
    printf("desc first=%d last=%d\n", a[0], a[N - 1]);
    /* edge sizes */
    for (int n = 0; n <= 9; n++) {
        int b[9];
        for (int i = 0; i < n; i++) b[i] = (i * 7) % 5 - i;
        qsort(b, n, sizeof b[0], cmp_int);
        printf("n=%d:", n);
        for (int i = 0; i < n; i++) printf(" %d", b[i]);
        printf("\n");
    }
    /* strings */
    enum { NS = 1500 };
    static char store[NS][16];
    static char *strs[NS];
    for (int i = 0; i < NS; i++) {
        int len = 1 + (int)(rnd() % 10);
        for (int j = 0; j < len; j++) store[i][j] = (char)('a' + rnd() % 6);
        store[i][len] = 0;
        strs[i] = store[i];
    }
    qsort(strs, NS, sizeof strs[0], cmp_str);
    for (int i = 0; i < NS; i += 50) printf("str[%d]=%s\n", i, strs[i]);
    int dup = 0;
    for (int i = 1; i < NS; i++) { if (strcmp(strs[i - 1], strs[i]) > 0) return 8; if (!strcmp(strs[i - 1], strs[i])) dup++; }
    const char *keys[] = { "a", "abc", "fff", "cab", "zzz", "b", "ddddd" };
    for (unsigned k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        char **p = bsearch(&keys[k], strs, NS, sizeof strs[0], cmp_str);
        printf("find %s: %s\n", keys[k], p ? "yes" : "no");
    }
    printf("dups=%d\n", dup);
    /* structs */
    enum { NR = 2000 };
    static struct rec r[NR];
    for (int i = 0; i < NR; i++) {
        r[i].key = (int)(rnd() % 50);
        r[i].weight = (double)(rnd() % 1000) / 8.0;
        snprintf(r[i].name, sizeof r[i].name, "n%u", rnd() % 100000);
    }
    qsort(r, NR, sizeof r[0], cmp_rec);
    for (int i = 0; i < NR; i += 100) printf("rec %d: %d %.3f %s\n", i, r[i].key, r[i].weight, r[i].name);
    struct rec probe = r[777];
    struct rec *pr = bsearch(&probe, r, NR, sizeof r[0], cmp_rec);
    printf("probe found=%d\n", pr != NULL && cmp_rec(pr, &probe) == 0);
    return found % 100;
}
