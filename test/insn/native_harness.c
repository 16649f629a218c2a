// Native side of the instruction tests (test/insn/*.test.ts): runs generated instruction snippets
// on the real CPU and dumps the architectural state they leave, for comparison with the emulator.
//
// Compiled at test time (gcc -O2) into a temporary directory; one process serves a whole run.
//
// Protocol (all little-endian, fixed-size records, see RECORD_* in test/insn/case.ts):
//   stdin:  a sequence of input records, read until EOF
//     u8  code_len, u8 pad, u16 code_off, u8 code[28]
//                                      the snippet (one or more instructions), placed at
//                                      CODE_ADDR + code_off (it may straddle the two code pages)
//     u64 gpr[16]                      rax rcx rdx rbx rsp rbp rsi rdi r8..r15 (rsp is loaded too:
//                                      the generator points it into the data area)
//     u64 rflags                       only the arithmetic flags and DF are taken
//     u8  mem[64]                      the scratch block, copied to SCRATCH_ADDR
//   stdout: one output record per input record
//     u32 signal (0 = ran to the end), u32 pad
//     u64 rip                          the end of the snippet, or where the signal was raised
//     u64 fault_addr                   si_addr of SIGSEGV/SIGBUS, else 0
//     u64 gpr[16], u64 rflags (arithmetic flags and DF), u8 mem[64]
//
// The snippet runs in the two fixed code pages at CODE_ADDR, followed by an absolute `jmp` back
// into the harness. The data area (DATA_ADDR, DATA_SIZE) holds the scratch block at SCRATCH_ADDR and doubles
// as the snippet's stack, and nothing is mapped on either side of it. The first and last ZONE bytes
// of the data area are reset to a fixed pattern before every case (faulting string instructions
// read and write there). The emulator maps the same addresses, so addresses left in registers
// (lea, string ops, push/pop) compare directly. The harness's own rsp is saved in a global while the
// snippet runs. Faults (SIGFPE for #DE, SIGSEGV, SIGBUS, SIGILL, SIGTRAP) are taken on an alternate
// signal stack; the handler records the signal and the faulting rip and resumes at the same exit
// path as a normal return, so the registers at the fault are dumped too.

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

#define CODE_ADDR 0x10000000UL
#define CODE_SIZE 0x2000UL
#define DATA_ADDR 0x10010000UL
#define DATA_SIZE 0x10000UL
#define SCRATCH_ADDR 0x10017fe0UL /* straddles a page boundary */
#define MEM_SIZE 64
#define ZONE 128
#define MAX_CODE 28
#define HEADER 4

#define IN_RECORD (HEADER + MAX_CODE + 16 * 8 + 8 + MEM_SIZE)
#define OUT_RECORD (8 + 8 + 8 + 16 * 8 + 8 + MEM_SIZE)

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
    "  pop r15\n  pop r14\n  pop r13\n  pop r12\n  pop rbp\n  pop rbx\n"
    "  ret\n"
    ".size run_snippet, . - run_snippet\n"
    ".att_syntax prefix\n");

static void on_fault(int sig, siginfo_t *si, void *uctx) {
  ucontext_t *uc = (ucontext_t *)uctx;
  uint64_t rip = (uint64_t)uc->uc_mcontext.gregs[REG_RIP];
  if (rip < CODE_ADDR || rip >= CODE_ADDR + CODE_SIZE) {
    // Not the snippet: a harness bug. Do not loop.
    static const char msg[] = "native_harness: fault outside the snippet\n";
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
    fprintf(stderr, "native_harness: cannot map 0x%lx\n", addr);
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

  // gs-prefixed operands are compared with an emulator whose gs base is 0
  unsigned long gs = 1;
  if (syscall(SYS_arch_prctl, ARCH_GET_GS, &gs) != 0 || gs != 0) { fprintf(stderr, "native_harness: gs base is not 0\n"); return 2; }

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
    if (len > MAX_CODE || off + len + 14 > CODE_SIZE) { fprintf(stderr, "native_harness: bad code %u at %u\n", len, off); return 2; }
    unsigned char *at = code + off;
    memcpy(at, in + HEADER, len);
    // jmp qword ptr [rip + 0]; dq snippet_return
    unsigned char *j = at + len;
    j[0] = 0xff; j[1] = 0x25; j[2] = j[3] = j[4] = j[5] = 0;
    put64(j + 6, (uint64_t)(uintptr_t)snippet_return);
    g_code_entry = CODE_ADDR + off;
    const unsigned char *p = in + HEADER + MAX_CODE;
    for (int r = 0; r < 16; r++) g_in[r] = get64(p + 8 * r);
    g_in[16] = (get64(p + 128) & FLAGS_IN_MASK) | 0x202;
    memcpy(scratch, p + 136, MEM_SIZE);
    memcpy((void *)DATA_ADDR, zone_lo, ZONE);
    memcpy((void *)(DATA_ADDR + DATA_SIZE - ZONE), zone_hi, ZONE);
    g_signal = 0;
    g_fault_rip = CODE_ADDR + off + len;
    g_fault_addr = 0;
    run_snippet();
    memset(out, 0, sizeof out);
    uint32_t sig = g_signal;
    memcpy(out, &sig, 4);
    put64(out + 8, g_fault_rip);
    put64(out + 16, g_fault_addr);
    for (int r = 0; r < 16; r++) put64(out + 24 + 8 * r, g_out[r]);
    put64(out + 152, g_out[16] & FLAGS_IN_MASK);
    memcpy(out + 160, scratch, MEM_SIZE);
    if (fwrite(out, OUT_RECORD, 1, stdout) != 1) return 3;
  }
  fflush(stdout);
  return 0;
}
