/* Sorting algorithms (insertion, shell, heap, merge, quick, radix) on seeded random,
   sorted, reversed and few-unique arrays; each result is checked and checksummed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

static uint32_t st = 20240601;
static uint32_t rnd(void) { st ^= st << 13; st ^= st >> 17; st ^= st << 5; return st; }
static long cmps;

static void insertion(int32_t *a, int n) {
    for (int i = 1; i < n; i++) { int32_t v = a[i]; int j = i - 1; while (j >= 0 && (cmps++, a[j] > v)) { a[j + 1] = a[j]; j--; } a[j + 1] = v; }
}
static void shell(int32_t *a, int n) {
    for (int gap = n / 2; gap > 0; gap = gap == 2 ? 1 : gap * 5 / 11)
        for (int i = gap; i < n; i++) { int32_t v = a[i]; int j = i; while (j >= gap && (cmps++, a[j - gap] > v)) { a[j] = a[j - gap]; j -= gap; } a[j] = v; }
}
static void sift(int32_t *a, int start, int end) {
    int root = start;
    while (2 * root + 1 <= end) {
        int child = 2 * root + 1, sw = root;
        if (cmps++, a[sw] < a[child]) sw = child;
        if (child + 1 <= end && (cmps++, a[sw] < a[child + 1])) sw = child + 1;
        if (sw == root) return;
        int32_t t = a[root]; a[root] = a[sw]; a[sw] = t; root = sw;
    }
}
static void heap(int32_t *a, int n) {
    for (int s = (n - 2) / 2; s >= 0; s--) sift(a, s, n - 1);
    for (int e = n - 1; e > 0; e--) { int32_t t = a[e]; a[e] = a[0]; a[0] = t; sift(a, 0, e - 1); }
}
static int32_t tmp[20000];
static void merge_rec(int32_t *a, int lo, int hi) {
    if (hi - lo < 2) return;
    int mid = (lo + hi) / 2;
    merge_rec(a, lo, mid); merge_rec(a, mid, hi);
    int i = lo, j = mid, k = lo;
    while (i < mid && j < hi) tmp[k++] = (cmps++, a[j] < a[i]) ? a[j++] : a[i++];
    while (i < mid) tmp[k++] = a[i++];
    while (j < hi) tmp[k++] = a[j++];
    memcpy(a + lo, tmp + lo, (size_t)(hi - lo) * sizeof *a);
}
static void merge(int32_t *a, int n) { merge_rec(a, 0, n); }
static void quick_rec(int32_t *a, int lo, int hi) {
    while (hi - lo > 16) {
        int32_t x = a[lo], y = a[(lo + hi) / 2], z = a[hi];
        int32_t p = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
        int i = lo, j = hi;
        while (i <= j) {
            while (cmps++, a[i] < p) i++;
            while (cmps++, a[j] > p) j--;
            if (i <= j) { int32_t t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; }
        }
        if (j - lo < hi - i) { quick_rec(a, lo, j); lo = i; } else { quick_rec(a, i, hi); hi = j; }
    }
    insertion(a + lo, hi - lo + 1);
}
static void quick(int32_t *a, int n) { if (n) quick_rec(a, 0, n - 1); }
static void radix(int32_t *a, int n) {
    static uint32_t b[20000];
    uint32_t *src = (uint32_t *)a, *dst = b;
    for (int i = 0; i < n; i++) src[i] ^= 0x80000000u;
    for (int shift = 0; shift < 32; shift += 8) {
        int cnt[257] = {0};
        for (int i = 0; i < n; i++) cnt[((src[i] >> shift) & 0xff) + 1]++;
        for (int i = 0; i < 256; i++) cnt[i + 1] += cnt[i];
        for (int i = 0; i < n; i++) dst[cnt[(src[i] >> shift) & 0xff]++] = src[i];
        uint32_t *t = src; src = dst; dst = t;
    }
    for (int i = 0; i < n; i++) a[i] = (int32_t)(src[i] ^ 0x80000000u);
}

typedef void (*sorter)(int32_t *, int);
int main(void) {
    printf("seed %u\n", st);
    static int32_t orig[20000], work[20000], ref[20000];
    struct { const char *name; sorter f; int maxn; } algs[] = {
        { "insertion", insertion, 600 }, { "shell", shell, 20000 }, { "heap", heap, 20000 },
        { "merge", merge, 20000 }, { "quick", quick, 20000 }, { "radix", radix, 20000 } };
    const char *kinds[] = { "random", "sorted", "reversed", "fewunique", "organpipe" };
    int sizes[] = { 0, 1, 2, 3, 10, 100, 600, 5000 };
    int bad = 0;
    for (int k = 0; k < 5; k++) {
        for (unsigned si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
            int n = sizes[si];
            for (int i = 0; i < n; i++) {
                switch (k) {
                case 0: orig[i] = (int32_t)rnd(); break;
                case 1: orig[i] = i * 3 - 1000; break;
                case 2: orig[i] = n - i * 7; break;
                case 3: orig[i] = (int32_t)(rnd() % 4) - 2; break;
                default: orig[i] = i < n / 2 ? i : n - i; break;
                }
            }
            /* reference: merge sort (checked against every other algorithm) */
            memcpy(ref, orig, (size_t)n * sizeof *ref);
            merge(ref, n);
            uint64_t rh = 0;
            for (int i = 0; i < n; i++) rh = rh * 1000003 + (uint32_t)ref[i];
            printf("%s n=%d ref=%016llx", kinds[k], n, (unsigned long long)rh);
            for (unsigned a = 0; a < sizeof algs / sizeof algs[0]; a++) {
                if (n > algs[a].maxn) continue;
                memcpy(work, orig, (size_t)n * sizeof *work);
                cmps = 0;
                algs[a].f(work, n);
                int ok = memcmp(work, ref, (size_t)n * sizeof *work) == 0;
                bad += !ok;
                printf(" %s=%ld%s", algs[a].name, cmps, ok ? "" : "!BAD");
            }
            printf("\n");
        }
    }
    printf("bad=%d\n", bad);
    return bad ? 1 : 22;
}
