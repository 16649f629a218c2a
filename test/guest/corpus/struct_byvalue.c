/* Structs passed and returned by value across the SysV classes: INTEGER pairs, SSE pairs,
   mixed, 3-word MEMORY structs, structs with arrays, long double, and nested structs. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

struct i2 { long a, b; };
struct d2 { double x, y; };
struct mix { int i; float f; double d; };
struct big { long v[5]; char tag[9]; };
struct small { char c; short s; };
struct f4 { float a, b, c, d; };
struct ld { long double v; int n; };
struct nest { struct d2 p; struct i2 q; unsigned char flags; };

__attribute__((noinline)) static struct i2 add_i2(struct i2 a, struct i2 b) { return (struct i2){ a.a + b.a, a.b * b.b }; }
__attribute__((noinline)) static struct d2 rot(struct d2 v, double c, double s) { return (struct d2){ v.x * c - v.y * s, v.x * s + v.y * c }; }
__attribute__((noinline)) static struct mix twist(struct mix m) { m.i = -m.i * 3; m.f *= 0.5f; m.d = m.d * m.d; return m; }
__attribute__((noinline)) static struct big bump(struct big b, int k) { for (int i = 0; i < 5; i++) b.v[i] += k * i; b.tag[k % 8] = '!'; return b; }
__attribute__((noinline)) static struct small sm(struct small a, struct small b) { return (struct small){ (char)(a.c + b.c), (short)(a.s - b.s) }; }
__attribute__((noinline)) static struct f4 scale(struct f4 v, float k) { return (struct f4){ v.a * k, v.b * k, v.c * k, v.d * k }; }
__attribute__((noinline)) static struct ld half(struct ld x) { x.v /= 2; x.n++; return x; }
__attribute__((noinline)) static struct nest combine(struct nest a, struct nest b, struct mix m, struct i2 extra, double z, struct big bb) {
    struct nest r;
    r.p = (struct d2){ a.p.x + b.p.x + z, a.p.y - b.p.y + m.d };
    r.q = add_i2(a.q, b.q);
    r.q.a += extra.a + bb.v[4];
    r.flags = (unsigned char)(a.flags ^ b.flags ^ (unsigned char)m.i);
    return r;
}
/* many struct args so some go on the stack */
__attribute__((noinline)) static double many(struct d2 a, struct d2 b, struct d2 c, struct d2 d, struct d2 e, struct i2 f,
                                             struct i2 g, struct i2 h, struct d2 i) {
    return a.x + b.y + c.x * d.y + e.x - e.y + (double)(f.a + g.b - h.a) + i.x * i.y;
}

int main(void) {
    struct i2 acc = { 1, 1 };
    for (int k = 1; k <= 20; k++) { acc = add_i2(acc, (struct i2){ k, k % 3 + 1 }); }
    printf("i2: %ld %ld\n", acc.a, acc.b);
    struct d2 v = { 1.0, 0.0 };
    for (int k = 0; k < 12; k++) v = rot(v, 0.8660254037844387, 0.5);
    printf("d2: %.17g %.17g\n", v.x, v.y);
    struct mix m = { 7, 3.5f, 1.25 };
    for (int k = 0; k < 3; k++) m = twist(m);
    printf("mix: %d %a %.17g\n", m.i, (double)m.f, m.d);
    struct big b = { { 1, 2, 3, 4, 5 }, "abcdefgh" };
    for (int k = 0; k < 10; k++) b = bump(b, k);
    printf("big: %ld %ld %ld %ld %ld %s\n", b.v[0], b.v[1], b.v[2], b.v[3], b.v[4], b.tag);
    struct small s = sm((struct small){ 'A', 1000 }, (struct small){ 2, -234 });
    printf("small: %c %d\n", s.c, s.s);
    struct f4 f = scale((struct f4){ 1.5f, -2.25f, 1e-3f, 3e7f }, 3.0f);
    printf("f4: %a %a %a %a\n", (double)f.a, (double)f.b, (double)f.c, (double)f.d);
    struct ld l = { 1.0L, 0 };
    for (int k = 0; k < 70; k++) l = half(l);
    printf("ld: %La %d\n", l.v, l.n);
    struct nest n1 = { { 1.5, 2.5 }, { 10, 20 }, 0x5a }, n2 = { { -0.5, 0.25 }, { 3, 4 }, 0xff };
    struct nest r = combine(n1, n2, m, acc, 0.125, b);
    printf("nest: %.17g %.17g %ld %ld %u\n", r.p.x, r.p.y, r.q.a, r.q.b, r.flags);
    struct d2 d = { 1, 2 };
    struct i2 i = { 3, 4 };
    double x = many(d, d, d, d, d, i, i, i, (struct d2){ 0.5, 8 });
    printf("many: %.17g\n", x);
    return (int)(acc.a % 100);
}
