// Owns the native side of the instruction tests (test/insn/*.test.ts): runs generated snippets on
// the real CPU and dumps the architectural state they leave; built with -DX87, the x87 state too.
//
// Compiled at test time into a temporary directory (runNative in test/insn/machine.ts:
// gcc -O2 -DMEM_SIZE=n [-DX87]); one process serves a whole run.
//
// Protocol (little-endian, fixed-size records; keep in step with test/insn/machine.ts and, for the
// x87 part, test/insn/x87_machine.ts):
//   stdin:  input records, read until EOF
//     0    u8 code_len, u8 pad, u16 code_off, u8 code[28]
//                                      the snippet (one or more instructions), placed at
//                                      CODE_ADDR + code_off (it may straddle the two code pages)
//     32   u64 gpr[16]                 rax rcx rdx rbx rsp rbp rsi rdi r8..r15 (rsp is loaded too:
//                                      the generator points it into the data area)
//     160  u64 rflags                  only the arithmetic flags and DF are taken
//     168  u8 mem[MEM_SIZE]            the scratch block, copied to SCRATCH_ADDR
//     with X87, then:
//          u16 fcw, u16 fsw, u8 ftw (abridged: bit p = physical register p valid), u8 pad[3]
//          u8 st[8][10]                ST(0)..ST(7) (relative to TOP, as fxsave orders them)
//   stdout: one output record per input record
//     0    u32 signal (0 = ran to the end), u32 pad
//     8    u64 rip                     the end of the snippet, or where the signal was raised
//     16   u64 fault_addr              si_addr of SIGSEGV/SIGBUS, else 0
//     24   u64 gpr[16]
//     152  u64 rflags                  arithmetic flags and DF
//     160  u8 mem[MEM_SIZE]
//     with X87, then:
//          u16 fcw, u16 fsw, u8 ftw, u8 pad, u16 fop, u32 mxcsr, u32 pad
//          u8 st[8][10]                ST(0)..ST(7) relative to the final TOP
//
// The snippet runs in the two fixed code pages at CODE_ADDR, followed by an absolute `jmp` back
// into the harness. The data area (DATA_ADDR, DATA_SIZE) holds the scratch block at SCRATCH_ADDR and
// doubles as the snippet's stack, and nothing is mapped on either side of it. The first and last ZONE
// bytes of the data area are reset to a fixed pattern before every case (faulting string instructions
// read and write there). The emulator maps the same addresses, so addresses left in registers
// (lea, string ops, push/pop) compare directly. The harness's own rsp is saved in a global while the
// snippet runs. Faults (SIGFPE for #DE and #MF, SIGSEGV, SIGBUS, SIGILL, SIGTRAP) are taken on an
// alternate signal stack; the handler records the signal and the faulting rip and resumes at the
// same exit path as a normal return, so the registers at the fault are dumped too.
//
// With X87 the x87 state is loaded with fxrstor64 from an image that holds FIP = FDP = FOP = 0 and
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
#include <sys/syscall.h>
#include <asm/prctl.h>

#ifndef MEM_SIZE
#error "build with -DMEM_SIZE=n (the scratch block size of the suite's records)"
#endif

#define CODE_ADDR 0x10000000UL
#define CODE_SIZE 0x2000UL
#define DATA_ADDR 0x10010000UL
#define DATA_SIZE 0x10000UL
#define SCRATCH_ADDR 0x10017fe0UL /* straddles a page boundary */
#define ZONE 128
#define MAX_CODE 28
#define HEADER 4

#define IN_GPR (HEADER + MAX_CODE)
#define IN_FLAGS (IN_GPR + 128)
#define IN_MEM (IN_FLAGS + 8)
#define OUT_GPR 24
#define OUT_FLAGS (OUT_GPR + 128)
#define OUT_MEM (OUT_FLAGS + 8)
#ifdef X87
#define IN_X87 (IN_MEM + MEM_SIZE)
#define IN_ST (IN_X87 + 8)
#define IN_RECORD (IN_ST + 80)
#define OUT_X87 (OUT_MEM + MEM_SIZE)
#define OUT_ST (OUT_X87 + 16)
#define OUT_RECORD (OUT_ST + 80)
#else
#define IN_RECORD (IN_MEM + MEM_SIZE)
#define OUT_RECORD (OUT_MEM + MEM_SIZE)
#endif

// Arithmetic flags (CF PF AF ZF SF OF) and DF: what the snippet is given and what is reported.
#define FLAGS_IN_MASK 0xcd5UL

// Shared with the assembly below (referenced by name, so not static).
uint64_t g_in[17];      // gpr[16], rflags
uint64_t g_out[17];     // gpr[16], rflags
uint64_t g_saved_rsp;   // the harness's own stack while a snippet runs
uint64_t g_code_entry = CODE_ADDR;
volatile uint32_t g_signal;
volatile uint64_t g_fault_rip;
volatile uint64_t g_fault_addr;

#ifdef X87
unsigned char g_fx_in[512] __attribute__((aligned(64)));
unsigned char g_fx_out[512] __attribute__((aligned(64)));
#define X87_LOAD "  fxrstor64 [rip + g_fx_in]\n"
#define X87_SAVE "  fxsave64 [rip + g_fx_out]\n"
#define X87_RESET "  fninit\n  push 0x1f80\n  ldmxcsr [rsp]\n  add rsp, 8\n"
#else
#define X87_LOAD ""
#define X87_SAVE ""
#define X87_RESET ""
#endif

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
    X87_LOAD
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
    X87_SAVE
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
    X87_RESET
    "  pop r15\n  pop r14\n  pop r13\n  pop r12\n  pop rbp\n  pop rbx\n"
    "  ret\n"
    ".size run_snippet, . - run_snippet\n"
    ".att_syntax prefix\n");

static void on_fault(int sig, siginfo_t *si, void *uctx) {
  ucontext_t *uc = (ucontext_t *)uctx;
  uint64_t rip = (uint64_t)uc->uc_mcontext.gregs[REG_RIP];
  if (rip < CODE_ADDR || rip >= CODE_ADDR + CODE_SIZE) {
    // Not the snippet: a harness bug. Do not loop.
    static const char msg[] = "insn harness: fault outside the snippet\n";
    if (write(2, msg, sizeof msg - 1) < 0) { /* nothing more to do */ }
    _exit(99);
  }
  g_signal = (uint32_t)sig;
  g_fault_addr = sig == SIGSEGV || sig == SIGBUS ? (uint64_t)(uintptr_t)si->si_addr : 0;
  // int3 reports the address after it; every other fault the faulting instruction.
  g_fault_rip = sig == SIGTRAP ? rip - 1 : rip;
  uc->uc_mcontext.gregs[REG_RIP] = (greg_t)(uintptr_t)snippet_return;
}

static void *map_fixed(unsigned long addr, unsigned long size, int prot) {
  void *p = mmap((void *)addr, size, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  if (p == MAP_FAILED || (unsigned long)p != addr) {
    fprintf(stderr, "insn harness: cannot map 0x%lx\n", addr);
    exit(2);
  }
  return p;
}

static void put64(unsigned char *p, uint64_t v) { memcpy(p, &v, 8); }
static uint64_t get64(const unsigned char *p) { uint64_t v; memcpy(&v, p, 8); return v; }

#ifdef X87
// The record's x87 state into the fxrstor image, and the fxsave image into the record.
static void load_x87(const unsigned char *in) {
  memset(g_fx_in, 0, sizeof g_fx_in);
  memcpy(g_fx_in + 0, in + IN_X87, 2);      // FCW
  memcpy(g_fx_in + 2, in + IN_X87 + 2, 2);  // FSW
  g_fx_in[4] = in[IN_X87 + 4];              // abridged FTW
  uint32_t mxcsr = 0x1f80;
  memcpy(g_fx_in + 24, &mxcsr, 4);
  for (int k = 0; k < 8; k++) memcpy(g_fx_in + 32 + 16 * k, in + IN_ST + 10 * k, 10);
}

static void store_x87(unsigned char *out) {
  memcpy(out + OUT_X87, g_fx_out + 0, 2);      // FCW
  memcpy(out + OUT_X87 + 2, g_fx_out + 2, 2);  // FSW
  out[OUT_X87 + 4] = g_fx_out[4];              // abridged FTW
  memcpy(out + OUT_X87 + 6, g_fx_out + 6, 2);  // FOP
  memcpy(out + OUT_X87 + 8, g_fx_out + 24, 4); // MXCSR
  for (int k = 0; k < 8; k++) memcpy(out + OUT_ST + 10 * k, g_fx_out + 32 + 16 * k, 10);
}
#endif

int main(void) {
  unsigned char *code = map_fixed(CODE_ADDR, CODE_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC);
  map_fixed(DATA_ADDR, DATA_SIZE, PROT_READ | PROT_WRITE);
  unsigned char *scratch = (unsigned char *)SCRATCH_ADDR;

  // gs-prefixed operands are compared with an emulator whose gs base is 0
  unsigned long gs = 1;
  if (syscall(SYS_arch_prctl, ARCH_GET_GS, &gs) != 0 || gs != 0) { fprintf(stderr, "insn harness: gs base is not 0\n"); return 2; }

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

  static unsigned char in[IN_RECORD], out[OUT_RECORD], zone_lo[ZONE], zone_hi[ZONE];
  for (int k = 0; k < ZONE; k++) { zone_lo[k] = (unsigned char)(k * 37 + 11); zone_hi[k] = (unsigned char)(k * 53 + 29); }
  setvbuf(stdin, NULL, _IOFBF, 1 << 20);
  setvbuf(stdout, NULL, _IOFBF, 1 << 20);
  while (fread(in, IN_RECORD, 1, stdin) == 1) {
    unsigned len = in[0];
    unsigned off = in[2] | (unsigned)in[3] << 8;
    if (len > MAX_CODE || off + len + 14 > CODE_SIZE) { fprintf(stderr, "insn harness: bad code %u at %u\n", len, off); return 2; }
    unsigned char *at = code + off;
    memcpy(at, in + HEADER, len);
    // jmp qword ptr [rip + 0]; dq snippet_return
    unsigned char *j = at + len;
    j[0] = 0xff; j[1] = 0x25; j[2] = j[3] = j[4] = j[5] = 0;
    put64(j + 6, (uint64_t)(uintptr_t)snippet_return);
    g_code_entry = CODE_ADDR + off;
    for (int r = 0; r < 16; r++) g_in[r] = get64(in + IN_GPR + 8 * r);
    g_in[16] = (get64(in + IN_FLAGS) & FLAGS_IN_MASK) | 0x202;
    memcpy(scratch, in + IN_MEM, MEM_SIZE);
    memcpy((void *)DATA_ADDR, zone_lo, ZONE);
    memcpy((void *)(DATA_ADDR + DATA_SIZE - ZONE), zone_hi, ZONE);
#ifdef X87
    load_x87(in);
#endif
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
#ifdef X87
    store_x87(out);
#endif
    if (fwrite(out, OUT_RECORD, 1, stdout) != 1) return 3;
  }
  fflush(stdout);
  return 0;
}
