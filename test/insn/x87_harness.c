// Native side of the x87 instruction test (test/insn/x87.test.ts): runs generated x87 snippets
// on the real CPU and dumps the state they leave, the x87 state included. Derived from
// test/insn/native_harness.c (same address layout and fault handling), with a larger scratch
// block (fnsave and fxsave images fit in it) and the x87 state loaded with fxrstor before the
// snippet and dumped with fxsave after it.
//
// Compiled at test time (gcc -O2) into a temporary directory; one process serves a whole run.
//
// Protocol (little-endian, fixed-size records; keep in step with test/insn/x87_machine.ts):
//   stdin:  input records, read until EOF (X_IN_RECORD bytes each)
//     0    u8 code_len, u8 pad, u16 code_off, u8 code[28]
//     32   u64 gpr[16]                 rax rcx rdx rbx rsp rbp rsi rdi r8..r15
//     160  u64 rflags                  only the arithmetic flags and DF are taken
//     168  u8 mem[192]                 the scratch block, copied to SCRATCH_ADDR
//     360  u16 fcw, u16 fsw, u8 ftw (abridged: bit p = physical register p valid), u8 pad[3]
//     368  u8 st[8][10]                ST(0)..ST(7) (relative to TOP, as fxsave orders them)
//   stdout: one output record per input record (X_OUT_RECORD bytes each)
//     0    u32 signal (0 = ran to the end), u32 pad
//     8    u64 rip                     the end of the snippet, or where the signal was raised
//     16   u64 fault_addr              si_addr of SIGSEGV/SIGBUS, else 0
//     24   u64 gpr[16]
//     152  u64 rflags                  arithmetic flags and DF
//     160  u8 mem[192]
//     352  u16 fcw, u16 fsw, u8 ftw, u8 pad, u16 fop, u32 mxcsr, u32 pad
//     368  u8 st[8][10]                ST(0)..ST(7) relative to the final TOP
//
// The x87 state is loaded with fxrstor64 from an image that holds FIP = FDP = FOP = 0 and
// MXCSR = 0x1f80, and saved with fxsave64 right after the snippet (or at the fault: the kernel
// restores the FPU state of the signal frame on sigreturn). fxsave does not wait, so a pending
// unmasked x87 exception left by the snippet is not delivered; fninit then clears it before the
// harness's own code runs again.

#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#define CODE_ADDR 0x10000000UL
#define CODE_SIZE 0x2000UL
#define DATA_ADDR 0x10010000UL
#define DATA_SIZE 0x10000UL
#define SCRATCH_ADDR 0x10017fe0UL /* straddles a page boundary (at offset 32) */
#define MEM_SIZE 192
#define MAX_CODE 28
#define HEADER 4

#define X_IN_RECORD 448
#define X_OUT_RECORD 448
#define IN_GPR 32
#define IN_FLAGS 160
#define IN_MEM 168
#define IN_X87 360
#define IN_ST 368
#define OUT_GPR 24
#define OUT_FLAGS 152
#define OUT_MEM 160
#define OUT_X87 352
#define OUT_ST 368

#define FLAGS_IN_MASK 0xcd5UL

uint64_t g_in[17];
uint64_t g_out[17];
uint64_t g_saved_rsp;
uint64_t g_code_entry = CODE_ADDR;
unsigned char g_fx_in[512] __attribute__((aligned(64)));
unsigned char g_fx_out[512] __attribute__((aligned(64)));
volatile uint32_t g_signal;
volatile uint64_t g_fault_rip;
volatile uint64_t g_fault_addr;

void run_snippet(void);
extern char snippet_return[];

__asm__(
    ".intel_syntax noprefix\n"
    ".text\n"
    ".globl run_snippet\n"
    ".type run_snippet, @function\n"
    "run_snippet:\n"
    "  push rbx\n  push rbp\n  push r12\n  push r13\n  push r14\n  push r15\n"
    "  mov [rip + g_saved_rsp], rsp\n"
    "  fxrstor64 [rip + g_fx_in]\n"
    "  push qword ptr [rip + g_in + 128]\n"
    "  popfq\n"
    "  mov rax, [rip + g_in + 0]\n"
    "  mov rcx, [rip + g_in + 8]\n"
    "  mov rdx, [rip + g_in + 16]\n"
    "  mov rbx, [rip + g_in + 24]\n"
    "  mov rbp, [rip + g_in + 40]\n"
    "  mov rsi, [rip + g_in + 48]\n"
    "  mov rdi, [rip + g_in + 56]\n"
    "  mov r8, [rip + g_in + 64]\n"
    "  mov r9, [rip + g_in + 72]\n"
    "  mov r10, [rip + g_in + 80]\n"
    "  mov r11, [rip + g_in + 88]\n"
    "  mov r12, [rip + g_in + 96]\n"
    "  mov r13, [rip + g_in + 104]\n"
    "  mov r14, [rip + g_in + 112]\n"
    "  mov r15, [rip + g_in + 120]\n"
    "  mov rsp, [rip + g_in + 32]\n"
    "  jmp qword ptr [rip + g_code_entry]\n"
    ".globl snippet_return\n"
    "snippet_return:\n"
    "  fxsave64 [rip + g_fx_out]\n"
    "  mov [rip + g_out + 0], rax\n"
    "  mov [rip + g_out + 8], rcx\n"
    "  mov [rip + g_out + 16], rdx\n"
    "  mov [rip + g_out + 24], rbx\n"
    "  mov [rip + g_out + 32], rsp\n"
    "  mov [rip + g_out + 40], rbp\n"
    "  mov [rip + g_out + 48], rsi\n"
    "  mov [rip + g_out + 56], rdi\n"
    "  mov [rip + g_out + 64], r8\n"
    "  mov [rip + g_out + 72], r9\n"
    "  mov [rip + g_out + 80], r10\n"
    "  mov [rip + g_out + 88], r11\n"
    "  mov [rip + g_out + 96], r12\n"
    "  mov [rip + g_out + 104], r13\n"
    "  mov [rip + g_out + 112], r14\n"
    "  mov [rip + g_out + 120], r15\n"
    "  mov rsp, [rip + g_saved_rsp]\n"
    "  pushfq\n"
    "  pop qword ptr [rip + g_out + 128]\n"
    "  cld\n"
    "  fninit\n"
    "  push 0x1f80\n"
    "  ldmxcsr [rsp]\n"
    "  add rsp, 8\n"
    "  pop r15\n  pop r14\n  pop r13\n  pop r12\n  pop rbp\n  pop rbx\n"
    "  ret\n"
    ".size run_snippet, . - run_snippet\n"
    ".att_syntax prefix\n");

static void on_fault(int sig, siginfo_t *si, void *uctx) {
  ucontext_t *uc = (ucontext_t *)uctx;
  uint64_t rip = (uint64_t)uc->uc_mcontext.gregs[REG_RIP];
  if (rip < CODE_ADDR || rip >= CODE_ADDR + CODE_SIZE) {
    static const char msg[] = "x87_harness: fault outside the snippet\n";
    if (write(2, msg, sizeof msg - 1) < 0) { /* nothing more to do */ }
    _exit(99);
  }
  g_signal = (uint32_t)sig;
  g_fault_addr = sig == SIGSEGV || sig == SIGBUS ? (uint64_t)(uintptr_t)si->si_addr : 0;
  g_fault_rip = sig == SIGTRAP ? rip - 1 : rip;
  uc->uc_mcontext.gregs[REG_RIP] = (greg_t)(uintptr_t)snippet_return;
}

static void *map_fixed(unsigned long addr, unsigned long size, int prot) {
  void *p = mmap((void *)addr, size, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  if (p == MAP_FAILED || (unsigned long)p != addr) {
    fprintf(stderr, "x87_harness: cannot map 0x%lx\n", addr);
    exit(2);
  }
  return p;
}

static void put64(unsigned char *p, uint64_t v) { memcpy(p, &v, 8); }
static uint64_t get64(const unsigned char *p) { uint64_t v; memcpy(&v, p, 8); return v; }

int main(void) {
  unsigned char *code = map_fixed(CODE_ADDR, CODE_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC);
  map_fixed(DATA_ADDR, DATA_SIZE, PROT_READ | PROT_WRITE);
  unsigned char *scratch = (unsigned char *)SCRATCH_ADDR;

  static unsigned char altstack[1 << 16];
  stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0 };
  if (sigaltstack(&ss, NULL) != 0) { perror("sigaltstack"); return 2; }
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_fault;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&sa.sa_mask);
  int sigs[] = { SIGFPE, SIGSEGV, SIGBUS, SIGILL, SIGTRAP };
  for (unsigned k = 0; k < sizeof sigs / sizeof sigs[0]; k++) sigaction(sigs[k], &sa, NULL);

  static unsigned char in[X_IN_RECORD], out[X_OUT_RECORD];
  setvbuf(stdin, NULL, _IOFBF, 1 << 20);
  setvbuf(stdout, NULL, _IOFBF, 1 << 20);
  while (fread(in, X_IN_RECORD, 1, stdin) == 1) {
    unsigned len = in[0];
    unsigned off = in[2] | (unsigned)in[3] << 8;
    if (len > MAX_CODE || off + len + 14 > CODE_SIZE) { fprintf(stderr, "x87_harness: bad code %u at %u\n", len, off); return 2; }
    unsigned char *at = code + off;
    memcpy(at, in + HEADER, len);
    unsigned char *j = at + len; // jmp qword ptr [rip + 0]; dq snippet_return
    j[0] = 0xff; j[1] = 0x25; j[2] = j[3] = j[4] = j[5] = 0;
    put64(j + 6, (uint64_t)(uintptr_t)snippet_return);
    g_code_entry = CODE_ADDR + off;
    for (int r = 0; r < 16; r++) g_in[r] = get64(in + IN_GPR + 8 * r);
    g_in[16] = (get64(in + IN_FLAGS) & FLAGS_IN_MASK) | 0x202;
    memcpy(scratch, in + IN_MEM, MEM_SIZE);

    memset(g_fx_in, 0, sizeof g_fx_in);
    memcpy(g_fx_in + 0, in + IN_X87, 2);      // FCW
    memcpy(g_fx_in + 2, in + IN_X87 + 2, 2);  // FSW
    g_fx_in[4] = in[IN_X87 + 4];              // abridged FTW
    uint32_t mxcsr = 0x1f80;
    memcpy(g_fx_in + 24, &mxcsr, 4);
    for (int k = 0; k < 8; k++) memcpy(g_fx_in + 32 + 16 * k, in + IN_ST + 10 * k, 10);

    g_signal = 0;
    g_fault_rip = CODE_ADDR + off + len;
    g_fault_addr = 0;
    run_snippet();
    memset(out, 0, sizeof out);
    uint32_t sig = g_signal;
    memcpy(out, &sig, 4);
    put64(out + 8, g_fault_rip);
    put64(out + 16, g_fault_addr);
    for (int r = 0; r < 16; r++) put64(out + OUT_GPR + 8 * r, g_out[r]);
    put64(out + OUT_FLAGS, g_out[16] & FLAGS_IN_MASK);
    memcpy(out + OUT_MEM, scratch, MEM_SIZE);
    memcpy(out + OUT_X87, g_fx_out + 0, 2);     // FCW
    memcpy(out + OUT_X87 + 2, g_fx_out + 2, 2); // FSW
    out[OUT_X87 + 4] = g_fx_out[4];             // abridged FTW
    memcpy(out + OUT_X87 + 6, g_fx_out + 6, 2); // FOP
    memcpy(out + OUT_X87 + 8, g_fx_out + 24, 4); // MXCSR
    for (int k = 0; k < 8; k++) memcpy(out + OUT_ST + 10 * k, g_fx_out + 32 + 16 * k, 10);
    if (fwrite(out, X_OUT_RECORD, 1, stdout) != 1) return 3;
  }
  fflush(stdout);
  return 0;
}
