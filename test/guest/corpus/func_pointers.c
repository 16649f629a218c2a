/* Function pointers: dispatch tables, callbacks with context, pointers returned from functions,
   arrays of pointers to functions taking/returning pointers to functions, and qsort-style use. */
#include <stdio.h>
#include <stdint.h>

typedef int64_t (*binop)(int64_t, int64_t);
static int64_t op_add(int64_t a, int64_t b) { return (int64_t)((uint64_t)a + (uint64_t)b); }
static int64_t op_sub(int64_t a, int64_t b) { return (int64_t)((uint64_t)a - (uint64_t)b); }
static int64_t op_mul(int64_t a, int64_t b) { return (int64_t)((uint64_t)a * (uint64_t)b); }
static int64_t op_max(int64_t a, int64_t b) { return a > b ? a : b; }
static int64_t op_xor(int64_t a, int64_t b) { return a ^ b; }
static const binop table[] = { op_add, op_sub, op_mul, op_max, op_xor };
static const char *tnames[] = { "add", "sub", "mul", "max", "xor" };

static binop pick(int k) { return table[k % 5]; }
typedef binop (*picker)(int);
static picker get_picker(void) { return pick; }

static int64_t fold(const int64_t *v, int n, binop f, int64_t init) { for (int i = 0; i < n; i++) init = f(init, v[i]); return init; }

struct visitor { void (*visit)(struct visitor *, int); int64_t state; int count; };
static void visit_sum(struct visitor *v, int x) { v->state += x; v->count++; }
static void visit_hash(struct visitor *v, int x) { v->state = (int64_t)((uint64_t)v->state * 131 + (uint64_t)x); v->count++; }
static void walk(int n, struct visitor *v) { for (int i = 0; i < n; i++) v->visit(v, i * i - 3 * i); }

static int apply_n(int (*f)(int), int n, int x) { while (n--) x = f(x); return x; }
static int inc(int x) { return x + 1; }
static int dbl(int x) { return x * 2; }
static int collatz(int x) { return x % 2 ? 3 * x + 1 : x / 2; }

/* a tiny state machine driven by function pointers returning the next state */
struct state;
typedef struct state (*state_fn)(char c, int *acc);
struct state { state_fn fn; const char *name; };
static struct state s_num(char c, int *acc);
static struct state s_idle(char c, int *acc) {
    if (c >= '0' && c <= '9') { *acc = (*acc * 10 + (c - '0')) % 1000003; return (struct state){ s_num, "num" }; }
    return (struct state){ s_idle, "idle" };
}
static struct state s_num(char c, int *acc) {
    if (c >= '0' && c <= '9') { *acc = (*acc * 10 + (c - '0')) % 1000003; return (struct state){ s_num, "num" }; }
    *acc += 1000000;
    return (struct state){ s_idle, "idle" };
}

int main(void) {
    int64_t vals[] = { 3, -7, 12, 5, 100, -1, 42 };
    for (int k = 0; k < 5; k++) printf("fold %s = %lld\n", tnames[k], (long long)fold(vals, 7, table[k], k == 2 ? 1 : 0));
    picker p = get_picker();
    int64_t x = 1;
    for (int k = 0; k < 40; k++) x = p(k)(x, k + 2);
    printf("chain = %lld\n", (long long)x);
    struct visitor vs = { visit_sum, 0, 0 }, vh = { visit_hash, 7, 0 };
    walk(1000, &vs); walk(1000, &vh);
    printf("visit sum=%lld/%d hash=%lld/%d\n", (long long)vs.state, vs.count, (long long)vh.state, vh.count);
    int (*fs[])(int) = { inc, dbl, collatz };
    for (int k = 0; k < 3; k++) printf("apply %d: %d\n", k, apply_n(fs[k], 20, 27));
    int acc = 0;
    struct state st = { s_idle, "idle" };
    const char *input = "ab12 cd345 6 78x9";
    for (const char *c = input; *c; c++) { st = st.fn(*c, &acc); printf("%c:%s ", *c, st.name); }
    printf("\nacc=%d\n", acc);
    /* indirect calls through a volatile pointer so they stay indirect */
    int64_t (*volatile vp)(int64_t, int64_t) = op_mul;
    int64_t prod = 1;
    for (int k = 1; k <= 25; k++) prod = vp(prod, k);
    printf("25! mod 2^64 = %llu\n", (unsigned long long)prod);
    return (int)(acc % 256);
}
