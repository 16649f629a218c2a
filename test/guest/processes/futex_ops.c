// futex(2) operation by operation, with raw syscalls: argument errors (EINVAL, EFAULT, ENOSYS,
// EAGAIN), timeouts on each clock, how many each operation wakes or moves (FUTEX_WAKE of 0 wakes
// one, REQUEUE and CMP_REQUEUE counts, bitsets, every FUTEX_WAKE_OP operation and comparison),
// private against shared keys, signals interrupting a wait (SA_RESTART or not, with and without a
// timeout), the PI word protocol (owner tid, FUTEX_WAITERS, handover on unlock, EDEADLK, EPERM,
// ESRCH, OWNER_DIED, TRYLOCK, the requeue-PI pair), and robust lists walked by the kernel at
// thread exit (owned and foreign words, PI entries, the pending operation, a circular list),
// set_robust_list and get_robust_list.
// Output: results and checks only (no ids or addresses).
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef FUTEX_LOCK_PI2
#define FUTEX_LOCK_PI2 13
#endif

static long fx(void *uaddr, int op, int val, const void *ts, void *uaddr2, int val3) {
  long r = syscall(SYS_futex, uaddr, op, val, ts, uaddr2, val3);
  return r < 0 ? -errno : r;
}

/** A result: a count, 0, or an errno's name. */
static const char *res(long r) {
  static char buf[8][32];
  static int k;
  char *b = buf[k++ % 8];
  if (r >= 0) snprintf(b, 32, "%ld", r);
  else snprintf(b, 32, "%s", strerrorname_np((int)-r));
  return b;
}

#define SHOW(what, call) printf("%-58s %s\n", what, res(call))
static pid_t gettid_(void) { return (pid_t)syscall(SYS_gettid); }
static void sleepMs(int ms) { struct timespec ts = { 0, ms * 1000000L }; while (nanosleep(&ts, &ts) != 0) {} }
static const char *yes(int ok) { return ok ? "yes" : "NO"; }

/** Waits until thread `tid` sleeps (state S in /proc/TID/stat): it is in its futex wait by then. */
static void waitAsleep(pid_t tid) {
  char path[64], buf[512];
  snprintf(path, sizeof path, "/proc/%d/stat", (int)tid);
  for (int tries = 0; tries < 10000; tries++) {
    FILE *f = fopen(path, "r");
    if (!f) return; // gone
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    char *paren = strrchr(buf, ')');
    if (paren && paren[1] == ' ' && paren[2] == 'S') break;
    sleepMs(1);
  }
  sleepMs(10);
}

static struct timespec after(clockid_t clock, int ms) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  ts.tv_nsec += (long)ms * 1000000L;
  ts.tv_sec += ts.tv_nsec / 1000000000L;
  ts.tv_nsec %= 1000000000L;
  return ts;
}

static long elapsedMs(const struct timespec *start) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000;
}

// --- waiters that sleep in the kernel, started and counted ---------------------------------------

struct waitArgs { int *word; int op; int val; int bitset; long result; pthread_t th; atomic_int tid; };
static atomic_int started;

static void *waiter(void *arg) {
  struct waitArgs *w = arg;
  w->tid = gettid_();
  started++;
  w->result = fx(w->word, w->op, w->val, NULL, NULL, w->bitset);
  return NULL;
}

/** Starts `n` threads waiting on `word` (which holds `val`). */
static void launchWaiters(struct waitArgs *w, int n, int *word, int op, int val, const int *bitsets) {
  for (int i = 0; i < n; i++) {
    w[i] = (struct waitArgs){ word, op, val, bitsets ? bitsets[i] : FUTEX_BITSET_MATCH_ANY, 99, 0, 0 };
    pthread_create(&w[i].th, NULL, waiter, &w[i]);
  }
}

/** Waits until the `n` waiters of `w` sleep in the kernel. */
static void settle(struct waitArgs *w, int n) {
  for (int i = 0; i < n; i++) {
    while (w[i].tid == 0) sleepMs(1);
    waitAsleep(w[i].tid);
  }
}

static void startWaiters(struct waitArgs *w, int n, int *word, int op, int val, const int *bitsets) {
  started = 0;
  launchWaiters(w, n, word, op, val, bitsets);
  settle(w, n);
}

static void joinWaiters(struct waitArgs *w, int n) {
  for (int i = 0; i < n; i++) pthread_join(w[i].th, NULL);
}

// --- argument errors -------------------------------------------------------------------------

static int w1, w2;

static void testErrors(void) {
  struct timespec bad = { 0, 1000000000 }, neg = { -1, 0 }, zero = { 0, 0 };
  void *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  void *none = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  w1 = 0;
  SHOW("WAIT value differs", fx(&w1, FUTEX_WAIT_PRIVATE, 1, NULL, NULL, 0));
  SHOW("WAIT misaligned", fx((char *)&w1 + 1, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0));
  SHOW("WAIT NULL", fx(NULL, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0));
  SHOW("WAIT timeout nsec 1e9", fx(&w1, FUTEX_WAIT_PRIVATE, 1, &bad, NULL, 0));
  SHOW("WAIT timeout negative", fx(&w1, FUTEX_WAIT_PRIVATE, 1, &neg, NULL, 0));
  SHOW("WAIT timeout unreadable", fx(&w1, FUTEX_WAIT_PRIVATE, 0, none, NULL, 0));
  SHOW("WAIT timeout zero", fx(&w1, FUTEX_WAIT_PRIVATE, 0, &zero, NULL, 0));
  SHOW("WAIT|CLOCK_REALTIME", fx(&w1, FUTEX_WAIT_PRIVATE | FUTEX_CLOCK_REALTIME, 0, &zero, NULL, 0));
  SHOW("WAIT_BITSET bitset 0", fx(&w1, FUTEX_WAIT_BITSET_PRIVATE, 0, NULL, NULL, 0));
  SHOW("WAKE_BITSET bitset 0", fx(&w1, FUTEX_WAKE_BITSET_PRIVATE, 1, NULL, NULL, 0));
  SHOW("WAKE private NULL (no memory needed)", fx(NULL, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
  SHOW("WAKE shared NULL", fx(NULL, FUTEX_WAKE, 1, NULL, NULL, 0));
  SHOW("WAKE private at the top of user space", fx((void *)0x7ffffffff000UL, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
  SHOW("WAKE private past it", fx((void *)0x7ffffffffffcUL, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
  SHOW("WAKE private kernel address", fx((void *)0xffff800000000000UL, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
  SHOW("WAKE|CLOCK_REALTIME", fx(&w1, FUTEX_WAKE | FUTEX_CLOCK_REALTIME, 1, NULL, NULL, 0));
  SHOW("WAIT private, read-only page", fx(ro, FUTEX_WAIT_PRIVATE, 1, NULL, NULL, 0));
  SHOW("WAIT shared, read-only anonymous page", fx(ro, FUTEX_WAIT, 1, NULL, NULL, 0));
  SHOW("WAKE shared, read-only anonymous page", fx(ro, FUTEX_WAKE, 1, NULL, NULL, 0));
  SHOW("WAIT private, PROT_NONE page", fx(none, FUTEX_WAIT_PRIVATE, 1, NULL, NULL, 0));
  SHOW("WAKE shared, PROT_NONE page", fx(none, FUTEX_WAKE, 1, NULL, NULL, 0));
  SHOW("FUTEX_FD (removed)", fx(&w1, 2, 0, NULL, NULL, 0));
  SHOW("operation 14", fx(&w1, 14, 0, NULL, NULL, 0));
  SHOW("operation 0x40 (unknown flag)", fx(&w1, 0x40 | FUTEX_WAKE, 0, NULL, NULL, 0));
  SHOW("REQUEUE negative count", fx(&w1, FUTEX_REQUEUE_PRIVATE, 1, (void *)-1L, &w2, 0));
  SHOW("CMP_REQUEUE negative wake", fx(&w1, FUTEX_CMP_REQUEUE_PRIVATE, -1, (void *)1L, &w2, 0));
  SHOW("CMP_REQUEUE value differs", fx(&w1, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)1L, &w2, 7));
  SHOW("CMP_REQUEUE nobody waiting", fx(&w1, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)1L, &w2, 0));
  SHOW("REQUEUE count in the high half ignored", fx(&w1, FUTEX_REQUEUE_PRIVATE, 1, (void *)0x100000001L, &w2, 0));
  SHOW("REQUEUE misaligned target", fx(&w1, FUTEX_REQUEUE_PRIVATE, 1, (void *)1L, (char *)&w2 + 2, 0));
  SHOW("CMP_REQUEUE private NULL target", fx(&w1, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)1L, NULL, 0));
  SHOW("CMP_REQUEUE shared NULL target", fx(&w1, FUTEX_CMP_REQUEUE, 1, (void *)1L, NULL, 0));
  SHOW("WAKE_OP NULL target", fx(&w1, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, NULL, FUTEX_OP(FUTEX_OP_SET, 3, 0, 0)));
  SHOW("WAKE_OP read-only target", fx(&w1, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, ro, FUTEX_OP(FUTEX_OP_SET, 3, 0, 0)));
  munmap(ro, 4096);
  munmap(none, 4096);
}

// --- timeouts --------------------------------------------------------------------------------

static void testTimeouts(void) {
  w1 = 0;
  struct timespec start, rel = { 0, 30000000 };
  clock_gettime(CLOCK_MONOTONIC, &start);
  long r = fx(&w1, FUTEX_WAIT_PRIVATE, 0, &rel, NULL, 0);
  printf("WAIT relative 30 ms: %s, waited long enough %s\n", res(r), yes(elapsedMs(&start) >= 29));
  struct timespec abs = after(CLOCK_MONOTONIC, 30);
  clock_gettime(CLOCK_MONOTONIC, &start);
  r = fx(&w1, FUTEX_WAIT_BITSET_PRIVATE, 0, &abs, NULL, FUTEX_BITSET_MATCH_ANY);
  printf("WAIT_BITSET absolute monotonic +30 ms: %s, waited long enough %s\n", res(r), yes(elapsedMs(&start) >= 29));
  abs = after(CLOCK_REALTIME, 30);
  clock_gettime(CLOCK_MONOTONIC, &start);
  r = fx(&w1, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 0, &abs, NULL, FUTEX_BITSET_MATCH_ANY);
  printf("WAIT_BITSET absolute realtime +30 ms: %s, waited long enough %s\n", res(r), yes(elapsedMs(&start) >= 29));
  struct timespec past = { 1, 0 };
  SHOW("WAIT_BITSET absolute in the past", fx(&w1, FUTEX_WAIT_BITSET_PRIVATE, 0, &past, NULL, FUTEX_BITSET_MATCH_ANY));
  SHOW("WAIT_BITSET past, value differs", fx(&w1, FUTEX_WAIT_BITSET_PRIVATE, 1, &past, NULL, FUTEX_BITSET_MATCH_ANY));
  // A timeout argument of an operation without one is a count and is not read.
  SHOW("WAKE with a bad timeout pointer", fx(&w1, FUTEX_WAKE_PRIVATE, 1, (void *)8, NULL, 0));
}

// --- wake counts, requeue, bitsets -------------------------------------------------------------------

static void testCounts(void) {
  struct waitArgs w[5];
  w1 = 0;
  startWaiters(w, 5, &w1, FUTEX_WAIT_PRIVATE, 0, NULL);
  SHOW("5 waiting: WAKE 0 (wakes one all the same)", fx(&w1, FUTEX_WAKE_PRIVATE, 0, NULL, NULL, 0));
  SHOW("4 waiting: WAKE -1 (one)", fx(&w1, FUTEX_WAKE_PRIVATE, -1, NULL, NULL, 0));
  SHOW("3 waiting: shared WAKE of private waiters", fx(&w1, FUTEX_WAKE, 3, NULL, NULL, 0));
  SHOW("3 waiting: REQUEUE wake 0 move 0", fx(&w1, FUTEX_REQUEUE_PRIVATE, 0, (void *)0L, &w2, 0));
  SHOW("3 waiting: CMP_REQUEUE wake 1 move 1", fx(&w1, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)1L, &w2, 0));
  SHOW("1 left: WAKE 10", fx(&w1, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0));
  SHOW("1 moved: WAKE 10 on the target", fx(&w2, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0));
  joinWaiters(w, 5);
  int ok = 1;
  for (int i = 0; i < 5; i++) ok &= w[i].result == 0;
  printf("every waiter returned 0: %s\n", yes(ok));

  int bits[4] = { 1, 2, 4, 6 };
  startWaiters(w, 4, &w1, FUTEX_WAIT_BITSET_PRIVATE, 0, bits);
  SHOW("bitsets 1,2,4,6 waiting: WAKE_BITSET 2, up to 10", fx(&w1, FUTEX_WAKE_BITSET_PRIVATE, 10, NULL, NULL, 2));
  SHOW("then WAKE_BITSET 8", fx(&w1, FUTEX_WAKE_BITSET_PRIVATE, 10, NULL, NULL, 8));
  SHOW("then plain WAKE (any bit)", fx(&w1, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0));
  joinWaiters(w, 4);

  // Shared waiters on private memory and private wakes do not meet (separate key spaces).
  startWaiters(w, 1, &w1, FUTEX_WAIT, 0, NULL);
  SHOW("shared waiter: private WAKE", fx(&w1, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
  SHOW("shared waiter: shared WAKE", fx(&w1, FUTEX_WAKE, 1, NULL, NULL, 0));
  joinWaiters(w, 1);
}

// --- FUTEX_WAKE_OP ----------------------------------------------------------------------------

static void testWakeOp(void) {
  static const char *opNames[] = { "SET", "ADD", "OR", "ANDN", "XOR" };
  static const char *cmpNames[] = { "EQ", "NE", "LT", "LE", "GT", "GE" };
  for (int op = 0; op < 5; op++) {
    w2 = 12;
    long r = fx(&w1, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, &w2, FUTEX_OP(op, 10, FUTEX_OP_CMP_EQ, 12));
    printf("WAKE_OP %-4s 10 on 12: %s, word %d\n", opNames[op], res(r), w2);
    w2 = 12;
    r = fx(&w1, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, &w2, FUTEX_OP((op | FUTEX_OP_OPARG_SHIFT), 3, FUTEX_OP_CMP_EQ, 12));
    printf("WAKE_OP %-4s 1<<3 on 12: %s, word %d\n", opNames[op], res(r), w2);
  }
  w2 = 5;
  SHOW("WAKE_OP shift 40 (masked to 8)", fx(&w1, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, &w2, FUTEX_OP((FUTEX_OP_SET | FUTEX_OP_OPARG_SHIFT), 40, 0, 0)));
  printf("  word %d\n", w2);
  SHOW("WAKE_OP oparg -1 (sign-extended)", fx(&w1, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, &w2, FUTEX_OP(FUTEX_OP_ADD, -1, 0, 0)));
  printf("  word %d\n", w2);
  w2 = 5;
  SHOW("WAKE_OP unknown operation 6", fx(&w1, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, &w2, FUTEX_OP(6, 1, 0, 0)));
  printf("  word %d (unchanged)\n", w2);
  SHOW("WAKE_OP unknown comparison 7", fx(&w1, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, &w2, FUTEX_OP(FUTEX_OP_ADD, 1, 7, 0)));
  printf("  word %d (changed first)\n", w2);
  SHOW("WAKE_OP private NULL first word", fx(NULL, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, &w2, FUTEX_OP(FUTEX_OP_SET, 3, 0, 0)));

  // Comparisons decide whether the second word's waiters wake: 2 waiters on each word.
  for (int cmp = 0; cmp < 6; cmp++) {
    for (int arg = -1; arg <= 1; arg++) {
      struct waitArgs a[2], b[2];
      w1 = 0;
      w2 = 0;
      started = 0;
      launchWaiters(a, 2, &w1, FUTEX_WAIT_PRIVATE, 0, NULL);
      launchWaiters(b, 2, &w2, FUTEX_WAIT_PRIVATE, 0, NULL);
      settle(a, 2);
      settle(b, 2);
      long r = fx(&w1, FUTEX_WAKE_OP_PRIVATE, 1, (void *)2L, &w2, FUTEX_OP(FUTEX_OP_ADD, 0, cmp, arg));
      long rest = fx(&w1, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0) * 10 + fx(&w2, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0);
      printf("WAKE_OP old 0 %s %2d: woke %s (left %02ld)\n", cmpNames[cmp], arg, res(r), rest);
      joinWaiters(a, 2);
      joinWaiters(b, 2);
    }
  }
}

// --- signals and waits ------------------------------------------------------------------------

static volatile sig_atomic_t handled;
static void onUsr1(int sig) { (void)sig; handled++; }

struct timedArgs { int *word; const struct timespec *ts; long result; atomic_int tid; };
static void *timedWaiter(void *arg) {
  struct timedArgs *a = arg;
  a->tid = gettid_();
  started++;
  a->result = fx(a->word, FUTEX_WAIT_PRIVATE, 0, a->ts, NULL, 0);
  return NULL;
}

/** A thread waits (with `ts` or forever); SIGUSR1 interrupts it; then it is woken if still waiting. */
static void signalWait(const char *what, int flags, const struct timespec *ts) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = onUsr1;
  sa.sa_flags = flags;
  sigaction(SIGUSR1, &sa, NULL);
  handled = 0;
  w1 = 0;
  started = 0;
  struct timedArgs a = { &w1, ts, 99, 0 };
  pthread_t th;
  pthread_create(&th, NULL, timedWaiter, &a);
  while (started < 1) sleepMs(1);
  waitAsleep(a.tid);
  syscall(SYS_tgkill, getpid(), a.tid, SIGUSR1);
  while (!handled) sleepMs(1);
  waitAsleep(a.tid); // waiting again (SA_RESTART), or gone
  long woke = fx(&w1, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
  pthread_join(th, NULL);
  printf("%s: handler ran %s, wait returned %s, later wake woke %ld\n", what, yes(handled == 1), res(a.result), woke);
}

static void testSignals(void) {
  struct timespec longTime = { 5, 0 };
  signalWait("WAIT, SA_RESTART handler", SA_RESTART, NULL);
  signalWait("WAIT, handler without SA_RESTART", 0, NULL);
  signalWait("WAIT with a timeout, SA_RESTART handler", SA_RESTART, &longTime);
}

// --- PI -------------------------------------------------------------------------------------------

static int pw, cw;
static atomic_int stage;
static atomic_int otherTid;

/** What a PI waiter saw, printed by the main thread once it is joined (so the order is fixed). */
static char seen[160];

static void *piLocker(void *arg) {
  (void)arg;
  otherTid = gettid_();
  stage = 1;
  long r = fx(&pw, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0);
  int mine = (pw & FUTEX_TID_MASK) == otherTid;
  unsigned bits = (unsigned)pw & ~FUTEX_TID_MASK;
  long u = fx(&pw, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0);
  snprintf(seen, sizeof seen, "  waiter: LOCK_PI %s, owner is the waiter %s, bits %#x; UNLOCK_PI %s, word %#x", res(r), yes(mine), bits, res(u), pw);
  return NULL;
}

static void *rqWaiter(void *arg) {
  (void)arg;
  otherTid = gettid_();
  stage = 1;
  long r = fx(&cw, FUTEX_WAIT_REQUEUE_PI_PRIVATE, 0, NULL, &pw, 0);
  int mine = (pw & FUTEX_TID_MASK) == otherTid;
  unsigned bits = (unsigned)pw & ~FUTEX_TID_MASK;
  long u = fx(&pw, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0);
  snprintf(seen, sizeof seen, "  requeued waiter: %s, owner is the waiter %s, bits %#x; UNLOCK_PI %s", res(r), yes(mine), bits, res(u));
  return NULL;
}

static void *plainWaiter(void *arg) {
  int *word = arg;
  otherTid = gettid_();
  stage = 1;
  return (void *)fx(word, FUTEX_WAIT_PRIVATE, *word, NULL, NULL, 0);
}

static void testPi(void) {
  pid_t me = gettid_();
  pw = 0;
  SHOW("LOCK_PI free word", fx(&pw, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0));
  printf("  word is our tid: %s\n", yes(pw == me));
  SHOW("LOCK_PI again", fx(&pw, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0));
  SHOW("TRYLOCK_PI again", fx(&pw, FUTEX_TRYLOCK_PI_PRIVATE, 0, NULL, NULL, 0));
  SHOW("UNLOCK_PI", fx(&pw, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0));
  printf("  word %#x\n", pw);
  SHOW("UNLOCK_PI of a free word", fx(&pw, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0));
  pw = 0x3ffff0; // a tid nobody has
  SHOW("LOCK_PI owned by a dead tid", fx(&pw, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0));
  printf("  word %#x (FUTEX_WAITERS set on the way)\n", pw);
  pw = 0x3ffff0;
  SHOW("TRYLOCK_PI owned by a dead tid", fx(&pw, FUTEX_TRYLOCK_PI_PRIVATE, 0, NULL, NULL, 0));
  pw = FUTEX_OWNER_DIED;
  SHOW("LOCK_PI of OWNER_DIED, no owner", fx(&pw, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0));
  printf("  OWNER_DIED kept %s, owner is us %s\n", yes(pw & FUTEX_OWNER_DIED), yes((pw & FUTEX_TID_MASK) == me));
  SHOW("UNLOCK_PI", fx(&pw, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0));
  printf("  word %#x\n", pw);
  pw = FUTEX_WAITERS;
  SHOW("TRYLOCK_PI of FUTEX_WAITERS, no owner", fx(&pw, FUTEX_TRYLOCK_PI_PRIVATE, 0, NULL, NULL, 0));
  printf("  word bits %#x\n", (unsigned)pw & ~FUTEX_TID_MASK);
  pw = me | FUTEX_WAITERS;
  SHOW("UNLOCK_PI with FUTEX_WAITERS but no waiter", fx(&pw, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0));
  printf("  word %#x\n", pw);
  SHOW("LOCK_PI misaligned", fx((char *)&pw + 1, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0));
  SHOW("LOCK_PI NULL", fx(NULL, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0));
  SHOW("UNLOCK_PI NULL", fx(NULL, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0));
  SHOW("UNLOCK_PI misaligned, not ours", fx((char *)&pw + 1, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0));
  SHOW("LOCK_PI|CLOCK_REALTIME", fx(&pw, FUTEX_LOCK_PI_PRIVATE | FUTEX_CLOCK_REALTIME, 0, NULL, NULL, 0));
  pw = 0;
  SHOW("LOCK_PI2|CLOCK_REALTIME, free", fx(&pw, FUTEX_LOCK_PI2 | FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME, 0, NULL, NULL, 0));
  SHOW("UNLOCK_PI", fx(&pw, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0));
  struct timespec past = { 1, 0 };
  SHOW("LOCK_PI free, deadline passed (takes it)", fx(&pw, FUTEX_LOCK_PI_PRIVATE, 0, &past, NULL, 0));
  SHOW("UNLOCK_PI", fx(&pw, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0));

  // Contended: a waiter queues, FUTEX_WAITERS appears, unlock hands the lock over.
  pw = 0;
  fx(&pw, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0);
  pthread_t th;
  stage = 0;
  pthread_create(&th, NULL, piLocker, NULL);
  while (!stage) sleepMs(1);
  waitAsleep(otherTid);
  printf("contended: word bits %#x, still ours %s\n", (unsigned)pw & ~FUTEX_TID_MASK, yes((pw & FUTEX_TID_MASK) == me));
  SHOW("  WAKE on a PI word with a PI waiter", fx(&pw, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
  SHOW("  REQUEUE from it", fx(&pw, FUTEX_REQUEUE_PRIVATE, 0, (void *)1L, &w1, 0));
  SHOW("  TRYLOCK_PI by the owner", fx(&pw, FUTEX_TRYLOCK_PI_PRIVATE, 0, NULL, NULL, 0));
  struct timespec soon = after(CLOCK_REALTIME, 20);
  SHOW("  LOCK_PI timed by the owner", fx(&pw, FUTEX_LOCK_PI_PRIVATE, 0, &soon, NULL, 0));
  SHOW("  UNLOCK_PI (hands over)", fx(&pw, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0));
  pthread_join(th, NULL);
  puts(seen);

  // A plain waiter on the word: LOCK_PI refuses (mixed operations).
  w1 = 0;
  stage = 0;
  pthread_create(&th, NULL, plainWaiter, &w1);
  while (!stage) sleepMs(1);
  waitAsleep(otherTid);
  SHOW("LOCK_PI on a word with a plain waiter", fx(&w1, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0));
  printf("  word %#x\n", w1);
  fx(&w1, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
  pthread_join(th, NULL);

  // The requeue-PI pair.
  SHOW("WAIT_REQUEUE_PI onto itself", fx(&cw, FUTEX_WAIT_REQUEUE_PI_PRIVATE, 0, NULL, &cw, 0));
  SHOW("WAIT_REQUEUE_PI value differs", fx(&cw, FUTEX_WAIT_REQUEUE_PI_PRIVATE, 9, NULL, &pw, 0));
  SHOW("CMP_REQUEUE_PI wake 2", fx(&cw, FUTEX_CMP_REQUEUE_PI_PRIVATE, 2, (void *)1L, &pw, 0));
  SHOW("CMP_REQUEUE_PI onto itself", fx(&cw, FUTEX_CMP_REQUEUE_PI_PRIVATE, 1, (void *)1L, &cw, 0));
  SHOW("CMP_REQUEUE_PI value differs", fx(&cw, FUTEX_CMP_REQUEUE_PI_PRIVATE, 1, (void *)1L, &pw, cw + 1));
  SHOW("CMP_REQUEUE_PI nobody waiting", fx(&cw, FUTEX_CMP_REQUEUE_PI_PRIVATE, 1, (void *)1L, &pw, cw));
  for (int variant = 0; variant < 3; variant++) {
    cw = 0;
    pw = 0;
    if (variant == 0) fx(&pw, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0);
    stage = 0;
    pthread_create(&th, NULL, rqWaiter, NULL);
    while (!stage) sleepMs(1);
    waitAsleep(otherTid);
    if (variant == 0) {
      SHOW("requeue-PI waiter: WAKE refuses it", fx(&cw, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
      SHOW("requeue-PI waiter: CMP_REQUEUE_PI to another word", fx(&cw, FUTEX_CMP_REQUEUE_PI_PRIVATE, 1, (void *)1L, &w1, 0));
      SHOW("CMP_REQUEUE_PI while we hold the PI word", fx(&cw, FUTEX_CMP_REQUEUE_PI_PRIVATE, 1, (void *)1L, &pw, 0));
      printf("  word bits %#x\n", (unsigned)pw & ~FUTEX_TID_MASK);
      SHOW("UNLOCK_PI (hands over)", fx(&pw, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0));
    } else {
      SHOW(variant == 1 ? "CMP_REQUEUE_PI, word free, move 0" : "CMP_REQUEUE_PI, word free, move 1",
           fx(&cw, FUTEX_CMP_REQUEUE_PI_PRIVATE, 1, (void *)(long)(variant - 1), &pw, 0));
    }
    pthread_join(th, NULL);
    puts(seen);
    printf("  word after %#x\n", pw);
  }
}

// --- robust lists --------------------------------------------------------------------------------

struct entry { struct entry *next; long pad; int word; };
struct robustHead { struct entry *list; long futexOffset; struct entry *pending; };

static struct robustHead head;
static struct entry owned, ownedWaited, foreign, piOwned, pendingEntry;
static int piWaiterResult;

static void *robustOwner(void *arg) {
  (void)arg;
  pid_t me = gettid_();
  head.list = &owned;
  owned.next = &ownedWaited;
  ownedWaited.next = &foreign;
  foreign.next = (struct entry *)((long)&piOwned | 1); // bit 0: a PI futex
  piOwned.next = (struct entry *)&head;
  head.futexOffset = offsetof(struct entry, word);
  head.pending = &pendingEntry;
  owned.word = me;
  ownedWaited.word = me | FUTEX_WAITERS;
  foreign.word = 12345;
  piOwned.word = me;
  pendingEntry.word = 0;
  long r = syscall(SYS_set_robust_list, &head, sizeof head);
  struct robustHead *got;
  size_t len;
  long g = syscall(SYS_get_robust_list, 0, &got, &len);
  printf("set_robust_list %s; get_robust_list %s, ours %s, len %zu\n", res(r < 0 ? -errno : r), res(g < 0 ? -errno : g), yes(got == &head), len);
  stage = 1;
  while (stage != 2) sleepMs(1);
  syscall(SYS_exit, 0); // not pthread_exit: only the kernel looks at the list
  return NULL;
}

static atomic_int piWaiterTid;
static void *piRobustWaiter(void *arg) {
  (void)arg;
  piWaiterTid = gettid_();
  started++;
  piWaiterResult = (int)fx(&piOwned.word, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0);
  return NULL;
}

static struct entry loop;
static void *circularOwner(void *arg) {
  (void)arg;
  static struct robustHead h;
  loop.next = &loop; // a cycle that never returns to the head
  loop.word = gettid_();
  h.list = &loop;
  h.futexOffset = offsetof(struct entry, word);
  syscall(SYS_set_robust_list, &h, sizeof h);
  syscall(SYS_exit, 0);
  return NULL;
}

static void testRobust(void) {
  SHOW("set_robust_list with a wrong size", syscall(SYS_set_robust_list, &head, 16) < 0 ? -errno : 0);
  SHOW("get_robust_list of no such thread", syscall(SYS_get_robust_list, 0x3ffff0, &head, &head) < 0 ? -errno : 0);
  pthread_t owner, pw1, pw2, pi;
  stage = 0;
  pthread_create(&owner, NULL, robustOwner, NULL);
  while (stage != 1) sleepMs(1);
  struct robustHead *got;
  size_t len;
  long g = syscall(SYS_get_robust_list, otherTid = 0, &got, &len); // our own (glibc's)
  printf("get_robust_list of ourselves %s, not the other thread's %s\n", res(g < 0 ? -errno : g), yes(got != &head));
  // Waiters: one on the owned word (shared, as robust futexes are woken), one on the pending one.
  struct waitArgs a, b;
  started = 0;
  a = (struct waitArgs){ &ownedWaited.word, FUTEX_WAIT, ownedWaited.word, FUTEX_BITSET_MATCH_ANY, 99, 0, 0 };
  b = (struct waitArgs){ &pendingEntry.word, FUTEX_WAIT, 0, FUTEX_BITSET_MATCH_ANY, 99, 0, 0 };
  pthread_create(&pw1, NULL, waiter, &a);
  pthread_create(&pw2, NULL, waiter, &b);
  pthread_create(&pi, NULL, piRobustWaiter, NULL);
  while (started < 3 || a.tid == 0 || b.tid == 0 || piWaiterTid == 0) sleepMs(1);
  waitAsleep(a.tid);
  waitAsleep(b.tid);
  waitAsleep(piWaiterTid);
  stage = 2;
  pthread_join(owner, NULL);
  pthread_join(pw1, NULL);
  pthread_join(pw2, NULL);
  pthread_join(pi, NULL);
  printf("after the owner exited:\n");
  printf("  owned word %#x\n", owned.word);
  printf("  owned word with a waiter %#x, waiter woken with %s\n", ownedWaited.word, res(a.result));
  printf("  foreign word %d (untouched)\n", foreign.word);
  printf("  PI word: the PI waiter got it %s (LOCK_PI %s), OWNER_DIED %s, FUTEX_WAITERS %s\n",
         yes((piOwned.word & FUTEX_TID_MASK) != 0), res(piWaiterResult), yes(piOwned.word & FUTEX_OWNER_DIED),
         yes(piOwned.word & FUTEX_WAITERS));
  printf("  pending word %d, its waiter woken with %s\n", pendingEntry.word, res(b.result));
  pthread_create(&owner, NULL, circularOwner, NULL);
  pthread_join(owner, NULL);
  printf("circular robust list: the thread exited, its word %#x\n", loop.word & ~FUTEX_TID_MASK);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  testErrors();
  testTimeouts();
  testCounts();
  testWakeOp();
  testSignals();
  testPi();
  testRobust();
  return 0;
}
