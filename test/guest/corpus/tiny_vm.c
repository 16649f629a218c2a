/* A small stack-based bytecode VM with an assembler: runs a few programs (primes sieve, collatz
   lengths through a subroutine, a gcd table) and prints their output and instruction counts. */
#include <stdio.h>
#include <string.h>
#include <stdint.h>

enum { PUSH, POP, DUP, SWAP, OVER, ADD, SUB, MUL, DIV, MOD, AND, OR, XOR, SHL, SHR, LT, EQ, NOT,
       JMP, JZ, JNZ, LOAD, STORE, PRINT, CALL, RET, HALT, NOPS };
static const char *names[NOPS] = { "push", "pop", "dup", "swap", "over", "add", "sub", "mul", "div", "mod", "and", "or",
                                   "xor", "shl", "shr", "lt", "eq", "not", "jmp", "jz", "jnz", "load", "store", "print",
                                   "call", "ret", "halt" };

typedef struct { int64_t code[512]; int n; } prog;
static void emit(prog *p, int64_t op) { p->code[p->n++] = op; }
static void emit2(prog *p, int64_t op, int64_t arg) { emit(p, op); emit(p, arg); }
static int has_arg(int64_t op) { return op == PUSH || op == JMP || op == JZ || op == JNZ || op == LOAD || op == STORE || op == CALL; }

static uint64_t out_hash;
static long run(const prog *p, int trace) {
    int64_t stack[256], mem[4096];
    int rstack[64], sp = 0, rsp = 0, pc = 0;
    long steps = 0;
    memset(mem, 0, sizeof mem);
    for (;;) {
        int64_t op = p->code[pc++], a, b;
        steps++;
        if (trace && steps <= 12) printf("  trace pc=%d %s sp=%d\n", pc - 1, names[op], sp);
        switch (op) {
        case PUSH: stack[sp++] = p->code[pc++]; break;
        case POP: sp--; break;
        case DUP: stack[sp] = stack[sp - 1]; sp++; break;
        case SWAP: a = stack[sp - 1]; stack[sp - 1] = stack[sp - 2]; stack[sp - 2] = a; break;
        case OVER: stack[sp] = stack[sp - 2]; sp++; break;
        case ADD: case SUB: case MUL: case DIV: case MOD: case AND: case OR: case XOR: case SHL: case SHR: case LT: case EQ:
            b = stack[--sp]; a = stack[--sp];
            switch (op) {
            case ADD: a = (int64_t)((uint64_t)a + (uint64_t)b); break;
            case SUB: a = (int64_t)((uint64_t)a - (uint64_t)b); break;
            case MUL: a = (int64_t)((uint64_t)a * (uint64_t)b); break;
            case DIV: a = b ? a / b : 0; break;
            case MOD: a = b ? a % b : 0; break;
            case AND: a &= b; break;
            case OR: a |= b; break;
            case XOR: a ^= b; break;
            case SHL: a = (int64_t)((uint64_t)a << (b & 63)); break;
            case SHR: a = (int64_t)((uint64_t)a >> (b & 63)); break;
            case LT: a = a < b; break;
            case EQ: a = a == b; break;
            }
            stack[sp++] = a;
            break;
        case NOT: stack[sp - 1] = !stack[sp - 1]; break;
        case JMP: pc = (int)p->code[pc]; break;
        case JZ: pc = stack[--sp] ? pc + 1 : (int)p->code[pc]; break;
        case JNZ: pc = stack[--sp] ? (int)p->code[pc] : pc + 1; break;
        case LOAD: a = stack[--sp]; stack[sp++] = mem[(p->code[pc++] + a) & 4095]; break;
        case STORE: a = stack[--sp]; b = stack[--sp]; mem[(p->code[pc++] + a) & 4095] = b; break;
        case PRINT: a = stack[--sp]; printf("%lld ", (long long)a); out_hash = out_hash * 31 + (uint64_t)a; break;
        case CALL: rstack[rsp++] = pc + 1; pc = (int)p->code[pc]; break;
        case RET: pc = rstack[--rsp]; break;
        case HALT: printf("\n"); return steps;
        default: printf("bad opcode %lld\n", (long long)op); return -1;
        }
    }
}
static void disasm(const prog *p) {
    for (int i = 0; i < p->n && i < 24;) {
        int64_t op = p->code[i];
        if (has_arg(op)) { printf("  %3d %s %lld\n", i, names[op], (long long)p->code[i + 1]); i += 2; }
        else { printf("  %3d %s\n", i, names[op]); i++; }
    }
}

int main(void) {
    /* sieve of Eratosthenes below 2000, printing primes; mem[i] = composite flag */
    prog s = { .n = 0 };
    emit2(&s, PUSH, 2);                       /* i */
    int outer = s.n;
    emit(&s, DUP); emit2(&s, PUSH, 2000); emit(&s, LT); emit2(&s, JZ, 0); int patch_end = s.n - 1;
    emit(&s, DUP); emit2(&s, LOAD, 0); emit2(&s, JNZ, 0); int patch_next = s.n - 1;
    emit(&s, DUP); emit(&s, PRINT);
    emit(&s, DUP); emit(&s, DUP); emit(&s, ADD);  /* i, j=2i */
    int inner = s.n;
    emit(&s, DUP); emit2(&s, PUSH, 2000); emit(&s, LT); emit2(&s, JZ, 0); int patch_inner_end = s.n - 1;
    emit2(&s, PUSH, 1); emit(&s, OVER); emit2(&s, STORE, 0);
    emit(&s, OVER); emit(&s, ADD); emit2(&s, JMP, inner);
    s.code[patch_inner_end] = s.n; emit(&s, POP);
    s.code[patch_next] = s.n; emit2(&s, PUSH, 1); emit(&s, ADD); emit2(&s, JMP, outer);
    s.code[patch_end] = s.n; emit(&s, HALT);
    printf("sieve:\n"); disasm(&s);
    long st1 = run(&s, 1);
    printf("sieve steps=%ld\n", st1);

    /* collatz chain lengths for 1..300, with a subroutine */
    prog c = { .n = 0 };
    emit2(&c, PUSH, 1);
    int top = c.n;
    emit(&c, DUP); emit2(&c, PUSH, 301); emit(&c, LT); emit2(&c, JZ, 0); int cend = c.n - 1;
    emit(&c, DUP); emit2(&c, CALL, 0); int csub = c.n - 1; emit(&c, PRINT);
    emit2(&c, PUSH, 1); emit(&c, ADD); emit2(&c, JMP, top);
    c.code[cend] = c.n; emit(&c, HALT);
    c.code[csub] = c.n;                                  /* sub: n -> steps */
    emit2(&c, PUSH, 0); emit(&c, SWAP);                  /* steps n */
    int loop = c.n;
    emit(&c, DUP); emit2(&c, PUSH, 1); emit(&c, EQ); emit2(&c, JNZ, 0); int cdone = c.n - 1;
    emit(&c, DUP); emit2(&c, PUSH, 1); emit(&c, AND); emit2(&c, JZ, 0); int ceven = c.n - 1;
    emit2(&c, PUSH, 3); emit(&c, MUL); emit2(&c, PUSH, 1); emit(&c, ADD); emit2(&c, JMP, 0); int cjoin = c.n - 1;
    c.code[ceven] = c.n; emit2(&c, PUSH, 1); emit(&c, SHR);
    c.code[cjoin] = c.n; emit(&c, SWAP); emit2(&c, PUSH, 1); emit(&c, ADD); emit(&c, SWAP); emit2(&c, JMP, loop);
    c.code[cdone] = c.n; emit(&c, POP); emit(&c, RET);
    printf("collatz:\n");
    long st2 = run(&c, 0);
    printf("collatz steps=%ld\n", st2);

    /* gcd table via euclid, nested loops */
    prog g = { .n = 0 };
    emit2(&g, PUSH, 1);
    int gi = g.n;
    emit(&g, DUP); emit2(&g, PUSH, 40); emit(&g, LT); emit2(&g, JZ, 0); int gend = g.n - 1;
    emit2(&g, PUSH, 1);
    int gj = g.n;
    emit(&g, DUP); emit2(&g, PUSH, 40); emit(&g, LT); emit2(&g, JZ, 0); int gjend = g.n - 1;
    emit(&g, OVER); emit(&g, OVER);               /* i j i j */
    int eu = g.n;
    emit(&g, DUP); emit2(&g, JZ, 0); int eudone = g.n - 1;
    emit(&g, SWAP); emit(&g, OVER); emit(&g, MOD); emit2(&g, JMP, eu);
    g.code[eudone] = g.n; emit(&g, POP); emit(&g, PRINT);
    emit2(&g, PUSH, 1); emit(&g, ADD); emit2(&g, JMP, gj);
    g.code[gjend] = g.n; emit(&g, POP); emit2(&g, PUSH, 1); emit(&g, ADD); emit2(&g, JMP, gi);
    g.code[gend] = g.n; emit(&g, HALT);
    printf("gcd:\n");
    long st3 = run(&g, 0);
    printf("gcd steps=%ld\nout_hash=%016llx\n", st3, (unsigned long long)out_hash);
    return (int)((st1 + st2 + st3) % 250);
}
