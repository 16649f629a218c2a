/* malloc/free/realloc/calloc churn driven by a seeded PRNG, including blocks above the mmap
   threshold; contents are verified and folded into a final checksum (addresses never printed). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

#define SLOTS 256
static unsigned char *ptr[SLOTS];
static size_t sz[SLOTS];
static unsigned char tag[SLOTS];
static uint64_t st = 0x2545F4914F6CDD1DULL;
static uint64_t rnd(void) { st ^= st >> 12; st ^= st << 25; st ^= st >> 27; return st * 0x2545F4914F6CDD1DULL; }

static size_t pick_size(void) {
    uint64_t r = rnd();
    switch (r % 16) {
    case 0: return 0;
    case 1: case 2: case 3: case 4: case 5: return 1 + (size_t)(rnd() % 64);
    case 6: case 7: case 8: case 9: return 1 + (size_t)(rnd() % 1024);
    case 10: case 11: case 12: return 1 + (size_t)(rnd() % 16384);
    case 13: case 14:
        return 1 + (size_t)(rnd() % 131072);
    default:
        if (rnd() % 4) return 1 + (size_t)(rnd() % 2048);
        return 140000 + (size_t)(rnd() % 300000); /* over the mmap threshold */
    }
}
static int check(int i) {
    for (size_t k = 0; k < sz[i]; k += (sz[i] > 4096 ? 61 : 1))
        if (ptr[i][k] != (unsigned char)(tag[i] + k)) return 0;
    return 1;
}
static void paint(int i, size_t from) {
    for (size_t k = from; k < sz[i]; k++) ptr[i][k] = (unsigned char)(tag[i] + k);
}

int main(void) {
    printf("seed %016llx\n", (unsigned long long)st);
    unsigned bad = 0, mallocs = 0, frees = 0, reallocs = 0, callocs = 0;
    uint64_t sum = 0;
    for (int step = 0; step < 6000; step++) {
        int i = (int)(rnd() % SLOTS);
        int action = (int)(rnd() % 10);
        if (ptr[i] && !check(i)) { bad++; printf("corrupt slot %d at step %d\n", i, step); }
        if (!ptr[i] || action < 3) {
            free(ptr[i]); if (ptr[i]) frees++;
            sz[i] = pick_size();
            tag[i] = (unsigned char)rnd();
            if (action == 0) {
                ptr[i] = calloc(sz[i] ? sz[i] : 1, 1); callocs++;
                for (size_t k = 0; k < sz[i]; k += 97) if (ptr[i][k]) bad++;
            } else { ptr[i] = malloc(sz[i]); mallocs++; }
            if (!ptr[i] && sz[i]) { printf("alloc failed\n"); return 2; }
            if (!ptr[i]) ptr[i] = malloc(1);
            paint(i, 0);
        } else if (action < 6) {
            size_t old = sz[i], nsz = pick_size();
            unsigned char *np = realloc(ptr[i], nsz ? nsz : 1);
            if (!np) { printf("realloc failed\n"); return 3; }
            reallocs++;
            ptr[i] = np;
            sz[i] = nsz;
            size_t keep = old < nsz ? old : nsz;
            for (size_t k = 0; k < keep; k += 13) if (np[k] != (unsigned char)(tag[i] + k)) { bad++; break; }
            paint(i, keep);
        } else if (action < 8) {
            free(ptr[i]); ptr[i] = NULL; sz[i] = 0; frees++;
        } else {
            for (size_t k = 0; k < sz[i]; k += 29) sum += ptr[i][k] * (k + 1);
        }
        if (step % 1000 == 0) {
            size_t live = 0; int n = 0;
            for (int j = 0; j < SLOTS; j++) if (ptr[j]) { live += sz[j]; n++; }
            printf("step %d live=%d bytes=%zu sum=%llu\n", step, n, live, (unsigned long long)sum);
        }
    }
    for (int i = 0; i < SLOTS; i++) { if (ptr[i] && !check(i)) bad++; free(ptr[i]); }
    /* many small blocks, freed in a different order */
    void **many = malloc(20000 * sizeof *many);
    for (int i = 0; i < 20000; i++) { many[i] = malloc(8 + i % 40); memset(many[i], i & 0xff, 8 + i % 40); }
    for (int i = 0; i < 20000; i += 2) free(many[i]);
    for (int i = 1; i < 20000; i += 2) { if (((unsigned char *)many[i])[0] != (i & 0xff)) bad++; free(many[i]); }
    free(many);
    printf("mallocs=%u callocs=%u reallocs=%u frees=%u sum=%llu bad=%u\n", mallocs, callocs, reallocs, frees,
           (unsigned long long)sum, bad);
    return bad ? 1 : (int)(sum % 97) + 2;
}
