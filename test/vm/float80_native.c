/* The real x87 as an oracle for test/vm/float80.test.ts.
 * Reads lines "OP CW A_SE A_HI A_LO B_SE B_HI B_LO" (hex) on stdin and prints, per line,
 * "R1_SE R1_HI R1_LO R2_SE R2_HI R2_LO SW" (hex): up to two 80-bit results (ST0 then ST1 for
 * instructions that leave two) and the status word right after the instruction.
 * Memory results (fst, fist) come back in R1_HI:R1_LO. Each operation starts from fninit and
 * the given control word (exceptions masked), so the status word holds exactly its flags.
 * B is loaded first, so A is ST0 and B is ST1. Only ST0-destination register forms are used:
 * AT&T syntax swaps fsub/fsubr (and fdiv/fdivr) in the ST(i)-destination forms. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct { unsigned char b[16]; } __attribute__((aligned(16))) f80;

static void make(f80 *x, unsigned se, unsigned hi, unsigned lo) {
  memset(x, 0, sizeof *x);
  memcpy(x->b, &lo, 4);
  memcpy(x->b + 4, &hi, 4);
  uint16_t s = (uint16_t)se;
  memcpy(x->b + 8, &s, 2);
}

static void parts(const f80 *x, unsigned *se, unsigned *hi, unsigned *lo) {
  uint16_t s;
  memcpy(lo, x->b, 4);
  memcpy(hi, x->b + 4, 4);
  memcpy(&s, x->b + 8, 2);
  *se = s;
}

#define CLOBBERS "st", "st(1)", "st(2)", "st(3)", "st(4)", "st(5)", "st(6)", "st(7)", "memory"

/* Two operands in, one result (ST0) out. */
#define BINARY(name, insn)                                                              \
  static uint16_t name(uint16_t cw, f80 *a, f80 *b, f80 *r1, f80 *r2) {                 \
    uint16_t sw;                                                                        \
    (void)r2;                                                                           \
    __asm__ volatile("fninit\n\tfldcw %2\n\tfldt %4\n\tfldt %3\n\t" insn                \
                     "\n\tfnstsw %0\n\tfstpt %1\n\tfninit"                              \
                     : "=m"(sw), "=m"(*r1)                                              \
                     : "m"(cw), "m"(*a), "m"(*b)                                        \
                     : CLOBBERS);                                                       \
    return sw;                                                                          \
  }

/* One operand in, one or two results out (ST1 is whatever the instruction leaves). */
#define UNARY(name, insn)                                                               \
  static uint16_t name(uint16_t cw, f80 *a, f80 *b, f80 *r1, f80 *r2) {                 \
    uint16_t sw;                                                                        \
    (void)b;                                                                            \
    __asm__ volatile("fninit\n\tfldcw %3\n\tfldz\n\tfldt %4\n\t" insn                   \
                     "\n\tfnstsw %0\n\tfstpt %1\n\tfstpt %2\n\tfninit"                  \
                     : "=m"(sw), "=m"(*r1), "=m"(*r2)                                   \
                     : "m"(cw), "m"(*a)                                                 \
                     : CLOBBERS);                                                       \
    return sw;                                                                          \
  }

/* ST0 stored to memory with a store instruction; the memory image returned in r1's bytes. */
#define STORE(name, insn)                                                               \
  static uint16_t name(uint16_t cw, f80 *a, f80 *b, f80 *r1, f80 *r2) {                 \
    uint16_t sw;                                                                        \
    uint64_t m = 0;                                                                     \
    (void)b; (void)r2;                                                                  \
    __asm__ volatile("fninit\n\tfldcw %2\n\tfldt %3\n\t" insn " %1"                     \
                     "\n\tfnstsw %0\n\tfninit"                                          \
                     : "=m"(sw), "+m"(m)                                                \
                     : "m"(cw), "m"(*a)                                                 \
                     : CLOBBERS);                                                       \
    make(r1, 0, (unsigned)(m >> 32), (unsigned)m);                                      \
    return sw;                                                                          \
  }

/* A memory operand (A_HI:A_LO) loaded with a load instruction. */
#define LOAD(name, insn, type)                                                          \
  static uint16_t name(uint16_t cw, f80 *a, f80 *b, f80 *r1, f80 *r2) {                 \
    uint16_t sw;                                                                        \
    unsigned se, hi, lo;                                                                \
    (void)b; (void)r2;                                                                  \
    parts(a, &se, &hi, &lo);                                                            \
    uint64_t v = ((uint64_t)hi << 32) | lo;                                             \
    type m;                                                                             \
    memcpy(&m, &v, sizeof m);                                                           \
    __asm__ volatile("fninit\n\tfldcw %2\n\t" insn " %3"                                \
                     "\n\tfnstsw %0\n\tfstpt %1\n\tfninit"                              \
                     : "=m"(sw), "=m"(*r1)                                              \
                     : "m"(cw), "m"(m)                                                  \
                     : CLOBBERS);                                                       \
    return sw;                                                                          \
  }

/* ST0 = A combined with a memory operand: B_HI:B_LO as a double, or B_LO as a float. */
#define MEMORY(name, insn, type)                                                        \
  static uint16_t name(uint16_t cw, f80 *a, f80 *b, f80 *r1, f80 *r2) {                 \
    uint16_t sw;                                                                        \
    unsigned se, hi, lo;                                                                \
    (void)r2;                                                                           \
    parts(b, &se, &hi, &lo);                                                            \
    uint64_t v = sizeof(type) == 8 ? ((uint64_t)hi << 32) | lo : lo;                    \
    type m;                                                                             \
    memcpy(&m, &v, sizeof m);                                                           \
    __asm__ volatile("fninit\n\tfldcw %2\n\tfldt %3\n\t" insn " %4"                    \
                     "\n\tfnstsw %0\n\tfstpt %1\n\tfninit"                              \
                     : "=m"(sw), "=m"(*r1)                                              \
                     : "m"(cw), "m"(*a), "m"(m)                                         \
                     : CLOBBERS);                                                       \
    return sw;                                                                          \
  }

/* A constant load. */
#define CONST(name, insn)                                                               \
  static uint16_t name(uint16_t cw, f80 *a, f80 *b, f80 *r1, f80 *r2) {                 \
    uint16_t sw;                                                                        \
    (void)a; (void)b; (void)r2;                                                         \
    __asm__ volatile("fninit\n\tfldcw %2\n\t" insn                                      \
                     "\n\tfnstsw %0\n\tfstpt %1\n\tfninit"                              \
                     : "=m"(sw), "=m"(*r1)                                              \
                     : "m"(cw)                                                          \
                     : CLOBBERS);                                                       \
    return sw;                                                                          \
  }

BINARY(op_add, "fadd %%st(1), %%st")
BINARY(op_sub, "fsub %%st(1), %%st")
BINARY(op_mul, "fmul %%st(1), %%st")
BINARY(op_div, "fdiv %%st(1), %%st")
BINARY(op_com, "fcom %%st(1)")
BINARY(op_ucom, "fucom %%st(1)")
BINARY(op_scale, "fscale")
BINARY(op_prem, "fprem")
BINARY(op_prem1, "fprem1")
BINARY(op_patan, "fpatan")
BINARY(op_yl2x, "fyl2x")
BINARY(op_yl2xp1, "fyl2xp1")
UNARY(op_sqrt, "fsqrt")
UNARY(op_rndint, "frndint")
UNARY(op_xtract, "fxtract")
UNARY(op_xam, "fxam")
UNARY(op_tst, "ftst")
UNARY(op_f2xm1, "f2xm1")
UNARY(op_sin, "fsin")
UNARY(op_cos, "fcos")
UNARY(op_sincos, "fsincos")
UNARY(op_ptan, "fptan")
STORE(op_st64, "fstpl")
STORE(op_st32, "fstps")
STORE(op_ist16, "fistps")
STORE(op_ist32, "fistpl")
STORE(op_ist64, "fistpll")
STORE(op_istt16, "fisttps")
STORE(op_istt32, "fisttpl")
STORE(op_istt64, "fisttpll")
LOAD(op_ld64, "fldl", double)
LOAD(op_ld32, "flds", float)
LOAD(op_ild16, "filds", int16_t)
LOAD(op_ild32, "fildl", int32_t)
LOAD(op_ild64, "fildll", int64_t)
MEMORY(op_addm64, "faddl", double)
MEMORY(op_mulm64, "fmull", double)
MEMORY(op_divm64, "fdivl", double)
MEMORY(op_divrm64, "fdivrl", double)
MEMORY(op_comm64, "fcoml", double)
MEMORY(op_subm32, "fsubs", float)
CONST(op_ld1, "fld1")
CONST(op_ldl2t, "fldl2t")
CONST(op_ldl2e, "fldl2e")
CONST(op_ldpi, "fldpi")
CONST(op_ldlg2, "fldlg2")
CONST(op_ldln2, "fldln2")
CONST(op_ldz, "fldz")

typedef uint16_t (*op_fn)(uint16_t, f80 *, f80 *, f80 *, f80 *);
static const struct { const char *name; op_fn fn; } ops[] = {
  {"add", op_add}, {"sub", op_sub}, {"mul", op_mul}, {"div", op_div},
  {"com", op_com}, {"ucom", op_ucom}, {"scale", op_scale}, {"prem", op_prem},
  {"prem1", op_prem1}, {"patan", op_patan}, {"yl2x", op_yl2x}, {"yl2xp1", op_yl2xp1},
  {"sqrt", op_sqrt}, {"rndint", op_rndint}, {"xtract", op_xtract}, {"xam", op_xam},
  {"tst", op_tst}, {"f2xm1", op_f2xm1}, {"sin", op_sin}, {"cos", op_cos},
  {"sincos", op_sincos}, {"ptan", op_ptan},
  {"st64", op_st64}, {"st32", op_st32}, {"ist16", op_ist16}, {"ist32", op_ist32},
  {"ist64", op_ist64}, {"istt16", op_istt16}, {"istt32", op_istt32}, {"istt64", op_istt64},
  {"ld64", op_ld64}, {"ld32", op_ld32}, {"ild16", op_ild16}, {"ild32", op_ild32},
  {"ild64", op_ild64},
  {"addm64", op_addm64}, {"mulm64", op_mulm64}, {"divm64", op_divm64},
  {"divrm64", op_divrm64}, {"comm64", op_comm64}, {"subm32", op_subm32},
  {"ld1", op_ld1}, {"ldl2t", op_ldl2t}, {"ldl2e", op_ldl2e}, {"ldpi", op_ldpi},
  {"ldlg2", op_ldlg2}, {"ldln2", op_ldln2}, {"ldz", op_ldz},
};

int main(void) {
  char line[256], name[32];
  unsigned cw, ase, ahi, alo, bse, bhi, blo;
  while (fgets(line, sizeof line, stdin)) {
    if (sscanf(line, "%31s %x %x %x %x %x %x %x", name, &cw, &ase, &ahi, &alo, &bse, &bhi, &blo) != 8) {
      printf("error\n");
      continue;
    }
    op_fn fn = 0;
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
      if (strcmp(ops[i].name, name) == 0) fn = ops[i].fn;
    if (!fn) {
      printf("error\n");
      continue;
    }
    f80 a, b, r1, r2;
    make(&a, ase, ahi, alo);
    make(&b, bse, bhi, blo);
    make(&r1, 0, 0, 0);
    make(&r2, 0, 0, 0);
    uint16_t sw = fn((uint16_t)cw, &a, &b, &r1, &r2);
    unsigned s1, h1, l1, s2, h2, l2;
    parts(&r1, &s1, &h1, &l1);
    parts(&r2, &s2, &h2, &l2);
    printf("%04x %08x %08x %04x %08x %08x %04x\n", s1, h1, l1, s2, h2, l2, sw);
  }
  return 0;
}
