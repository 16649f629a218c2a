// Producer/consumer queues built directly on futex(2), no libc locks:
//   1. threads, private futexes: a ring buffer guarded by a futex mutex, with two futex
//      semaphores (free slots, items); several producers and consumers, every item counted;
//   2. threads, a mutex and condition variables in the style of old glibc: a signal that unlocks
//      the mutex and wakes a waiter in one FUTEX_WAKE_OP, and a broadcast that wakes one waiter
//      and requeues the rest onto the mutex with FUTEX_CMP_REQUEUE;
//   3. processes, shared futexes: the queue of 1 in MAP_SHARED anonymous memory, producer and
//      consumer processes;
//   4. processes, shared futexes in a file (in the scratch directory, argv[1]) that each process
//      maps itself: a ping-pong, and two mappings of one page in one process meeting;
//   and that private futexes do not meet across processes or mappings.
// Output: totals and checks only.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long futex(atomic_int *uaddr, int op, int val, long val2, atomic_int *uaddr2, int val3) {
  return syscall(SYS_futex, (int *)uaddr, op, val, (void *)val2, (int *)uaddr2, val3);
}

static void sleepMs(int ms) { struct timespec ts = { 0, ms * 1000000L }; while (nanosleep(&ts, &ts) != 0) {} }

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

// --- a futex mutex (Drepper, "Futexes Are Tricky": 0 free, 1 locked, 2 locked with waiters) ------

static void lockM(atomic_int *m, int priv) {
  int c = 0;
  if (atomic_compare_exchange_strong(m, &c, 1)) return;
  if (c != 2) c = atomic_exchange(m, 2);
  while (c != 0) {
    futex(m, FUTEX_WAIT | priv, 2, 0, NULL, 0);
    c = atomic_exchange(m, 2);
  }
}

static void unlockM(atomic_int *m, int priv) {
  if (atomic_fetch_sub(m, 1) != 1) {
    atomic_store(m, 0);
    futex(m, FUTEX_WAKE | priv, 1, 0, NULL, 0);
  }
}

// --- a futex semaphore: the count, and how many may sleep on it ------------------------------------

typedef struct { atomic_int value, waiters; } Sem;

static void semWait(Sem *s, int priv) {
  for (;;) {
    int v = atomic_load(&s->value);
    while (v > 0) if (atomic_compare_exchange_weak(&s->value, &v, v - 1)) return;
    atomic_fetch_add(&s->waiters, 1);
    futex(&s->value, FUTEX_WAIT | priv, 0, 0, NULL, 0);
    atomic_fetch_sub(&s->waiters, 1);
  }
}

static void semPost(Sem *s, int priv) {
  atomic_fetch_add(&s->value, 1);
  if (atomic_load(&s->waiters) > 0) futex(&s->value, FUTEX_WAKE | priv, 1, 0, NULL, 0);
}

// --- 1. the semaphore queue ------------------------------------------------------------------------

#define SLOTS 16
typedef struct {
  Sem free, items;
  atomic_int lock;
  int head, tail, buf[SLOTS];
  atomic_long sum, count;
} SemQueue;

static void sqPut(SemQueue *q, int v, int priv) {
  semWait(&q->free, priv);
  lockM(&q->lock, priv);
  q->buf[q->tail] = v;
  q->tail = (q->tail + 1) % SLOTS;
  unlockM(&q->lock, priv);
  semPost(&q->items, priv);
}

static int sqGet(SemQueue *q, int priv) {
  semWait(&q->items, priv);
  lockM(&q->lock, priv);
  int v = q->buf[q->head];
  q->head = (q->head + 1) % SLOTS;
  unlockM(&q->lock, priv);
  semPost(&q->free, priv);
  return v;
}

static void sqInit(SemQueue *q) {
  memset(q, 0, sizeof *q);
  q->free.value = SLOTS;
}

#define PRODUCERS 4
#define CONSUMERS 3
#define ITEMS 3000
static SemQueue sq;

static void *sqProducer(void *arg) {
  long base = (long)arg;
  for (int i = 1; i <= ITEMS; i++) sqPut(&sq, (int)(base * 100000 + i), FUTEX_PRIVATE_FLAG);
  return NULL;
}

static void consumeAll(SemQueue *q, int priv) {
  long sum = 0, n = 0;
  for (;;) {
    int v = sqGet(q, priv);
    if (v < 0) break;
    sum += v;
    n++;
  }
  q->sum += sum;
  q->count += n;
}

static void *sqConsumer(void *arg) {
  (void)arg;
  consumeAll(&sq, FUTEX_PRIVATE_FLAG);
  return NULL;
}

/** What PRODUCERS producers of ITEMS items each add up to (producer p sends p*100000 + i). */
static long expectedSum(int producers) {
  long s = 0;
  for (long p = 1; p <= producers; p++) s += p * 100000L * ITEMS + (long)ITEMS * (ITEMS + 1) / 2;
  return s;
}

static void testSemQueue(void) {
  sqInit(&sq);
  pthread_t p[PRODUCERS], c[CONSUMERS];
  for (long i = 0; i < PRODUCERS; i++) pthread_create(&p[i], NULL, sqProducer, (void *)(i + 1));
  for (int i = 0; i < CONSUMERS; i++) pthread_create(&c[i], NULL, sqConsumer, NULL);
  for (int i = 0; i < PRODUCERS; i++) pthread_join(p[i], NULL);
  for (int i = 0; i < CONSUMERS; i++) sqPut(&sq, -1, FUTEX_PRIVATE_FLAG);
  for (int i = 0; i < CONSUMERS; i++) pthread_join(c[i], NULL);
  printf("semaphore queue (threads): %ld items, sum %s, slots back %d\n", (long)sq.count,
         sq.sum == expectedSum(PRODUCERS) ? "exact" : "WRONG", (int)sq.free.value);
}

// --- 2. condition variables with FUTEX_WAKE_OP and FUTEX_CMP_REQUEUE --------------------------------

typedef struct { atomic_int seq; } Cond;

static void condWait(Cond *c, atomic_int *m) {
  int seq = atomic_load(&c->seq);
  unlockM(m, FUTEX_PRIVATE_FLAG);
  futex(&c->seq, FUTEX_WAIT_PRIVATE, seq, 0, NULL, 0);
  // Woken, or requeued onto the mutex: take it as contended, so each unlock wakes the next.
  while (atomic_exchange(m, 2) != 0) futex(m, FUTEX_WAIT_PRIVATE, 2, 0, NULL, 0);
}

static atomic_long wakeOps, requeues;

/** Unlocks `m` and signals `c` in one call: *m = 0, wake one on c, and one on m if it was contended. */
static void unlockAndSignal(Cond *c, atomic_int *m) {
  atomic_fetch_add(&c->seq, 1);
  long r = futex(&c->seq, FUTEX_WAKE_OP_PRIVATE, 1, 1, m, FUTEX_OP(FUTEX_OP_SET, 0, FUTEX_OP_CMP_GT, 1));
  if (r >= 0) wakeOps++;
}

/** Wakes one waiter of `c` and moves the others onto the mutex (held by the caller). */
static void broadcast(Cond *c, atomic_int *m) {
  for (;;) {
    int seq = atomic_fetch_add(&c->seq, 1) + 1;
    long r = futex(&c->seq, FUTEX_CMP_REQUEUE_PRIVATE, 1, INT_MAX, m, seq);
    if (r >= 0) { requeues++; return; }
    if (errno != EAGAIN) { printf("CMP_REQUEUE failed: %s\n", strerrorname_np(errno)); return; }
  }
}

static struct {
  atomic_int lock;
  Cond notEmpty, notFull;
  int buf[SLOTS], head, count, done;
  long sum, taken;
} cq;

static void *cqProducer(void *arg) {
  long base = (long)arg;
  for (int i = 1; i <= ITEMS; i++) {
    lockM(&cq.lock, FUTEX_PRIVATE_FLAG);
    while (cq.count == SLOTS) condWait(&cq.notFull, &cq.lock);
    cq.buf[(cq.head + cq.count++) % SLOTS] = (int)(base * 100000 + i);
    unlockAndSignal(&cq.notEmpty, &cq.lock);
  }
  return NULL;
}

static void *cqConsumer(void *arg) {
  (void)arg;
  for (;;) {
    lockM(&cq.lock, FUTEX_PRIVATE_FLAG);
    while (cq.count == 0 && !cq.done) condWait(&cq.notEmpty, &cq.lock);
    if (cq.count == 0) {
      unlockM(&cq.lock, FUTEX_PRIVATE_FLAG);
      return NULL;
    }
    cq.sum += cq.buf[cq.head];
    cq.taken++;
    cq.head = (cq.head + 1) % SLOTS;
    cq.count--;
    unlockAndSignal(&cq.notFull, &cq.lock);
  }
}

static atomic_int ready, through;
static pid_t waiterTids[6];
static Cond bell;
static atomic_int rung;
static void *waiter(void *arg) {
  (void)arg;
  lockM(&cq.lock, FUTEX_PRIVATE_FLAG);
  waiterTids[ready++] = (pid_t)syscall(SYS_gettid);
  while (!rung) condWait(&bell, &cq.lock);
  through++;
  unlockM(&cq.lock, FUTEX_PRIVATE_FLAG);
  return NULL;
}

static void testCondQueue(void) {
  pthread_t p[PRODUCERS], c[CONSUMERS];
  for (long i = 0; i < PRODUCERS; i++) pthread_create(&p[i], NULL, cqProducer, (void *)(i + 1));
  for (int i = 0; i < CONSUMERS; i++) pthread_create(&c[i], NULL, cqConsumer, NULL);
  for (int i = 0; i < PRODUCERS; i++) pthread_join(p[i], NULL);
  lockM(&cq.lock, FUTEX_PRIVATE_FLAG);
  cq.done = 1;
  broadcast(&cq.notEmpty, &cq.lock);
  unlockM(&cq.lock, FUTEX_PRIVATE_FLAG);
  for (int i = 0; i < CONSUMERS; i++) pthread_join(c[i], NULL);
  printf("condvar queue (WAKE_OP signal, CMP_REQUEUE broadcast): %ld items, sum %s, wake_ops %s, requeues %ld\n",
         cq.taken, cq.sum == expectedSum(PRODUCERS) ? "exact" : "WRONG", wakeOps == 2L * PRODUCERS * ITEMS ? "all" : "SOME FAILED",
         (long)requeues);

  // A broadcast to waiters that are all asleep: one is woken, the rest requeued onto the mutex,
  // and every one of them gets through the mutex in turn.
  pthread_t w[6];
  for (int i = 0; i < 6; i++) pthread_create(&w[i], NULL, waiter, NULL);
  while (ready < 6) sleepMs(1);
  lockM(&cq.lock, FUTEX_PRIVATE_FLAG); // the last one has let go of it: every tid is written
  unlockM(&cq.lock, FUTEX_PRIVATE_FLAG);
  for (int i = 0; i < 6; i++) waitAsleep(waiterTids[i]);
  lockM(&cq.lock, FUTEX_PRIVATE_FLAG);
  rung = 1;
  int seq = atomic_fetch_add(&bell.seq, 1) + 1;
  long moved = futex(&bell.seq, FUTEX_CMP_REQUEUE_PRIVATE, 1, INT_MAX, &cq.lock, seq);
  unlockM(&cq.lock, FUTEX_PRIVATE_FLAG);
  for (int i = 0; i < 6; i++) pthread_join(w[i], NULL);
  printf("broadcast to 6 sleeping waiters: CMP_REQUEUE woke and moved %ld, all through the mutex %s\n", moved, through == 6 ? "yes" : "NO");
}

// --- 3. processes: the semaphore queue in shared memory -------------------------------------------

static void testSharedQueue(void) {
  SemQueue *q = mmap(NULL, sizeof *q, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  sqInit(q); // written before fork: the pages are shared however they were first touched
  pid_t kids[4];
  for (int i = 0; i < 2; i++) {
    if ((kids[i] = fork()) == 0) {
      for (int k = 1; k <= ITEMS; k++) sqPut(q, (i + 1) * 100000 + k, 0);
      _exit(0);
    }
  }
  for (int i = 2; i < 4; i++) {
    if ((kids[i] = fork()) == 0) {
      consumeAll(q, 0);
      _exit(0);
    }
  }
  for (int i = 0; i < 2; i++) waitpid(kids[i], NULL, 0);
  sqPut(q, -1, 0);
  sqPut(q, -1, 0);
  int ok = 1;
  for (int i = 2; i < 4; i++) {
    int st;
    waitpid(kids[i], &st, 0);
    ok &= WIFEXITED(st) && WEXITSTATUS(st) == 0;
  }
  printf("semaphore queue (2 producer and 2 consumer processes, shared futexes): %ld items, sum %s, children ok %s\n",
         (long)q->count, q->sum == expectedSum(2) ? "exact" : "WRONG", ok ? "yes" : "NO");
  munmap(q, sizeof *q);

  // Pages never touched before the fork are shared too.
  atomic_int *fresh = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  pid_t c = fork();
  if (c == 0) {
    atomic_store(&fresh[1024], 1);
    futex(&fresh[1024], FUTEX_WAKE, 1, 0, NULL, 0);
    _exit(0);
  }
  while (atomic_load(&fresh[1024]) == 0) futex(&fresh[1024], FUTEX_WAIT, 0, 0, NULL, 0);
  waitpid(c, NULL, 0);
  printf("untouched shared page seen by both processes: yes\n");
  munmap(fresh, 8192);
}

// --- 4. shared futexes: private ones do not cross processes; a file mapped twice ------------------

/** A child sleeps on `word` (a shared futex) until woken; its status is what FUTEX_WAIT returned. */
static void wakeAcross(atomic_int *word, atomic_int *ready, const char *what) {
  atomic_store(word, 0);
  atomic_store(ready, 0);
  pid_t c = fork();
  if (c == 0) {
    atomic_store(ready, 1);
    long r = futex(word, FUTEX_WAIT, 0, 0, NULL, 0);
    _exit(r == 0 ? 0 : 1);
  }
  while (!atomic_load(ready)) sleepMs(1);
  waitAsleep(c);
  long priv = futex(word, FUTEX_WAKE_PRIVATE, 1, 0, NULL, 0);
  long shared = futex(word, FUTEX_WAKE, 1, 0, NULL, 0);
  int st;
  waitpid(c, &st, 0);
  printf("%s: private wake woke %ld, shared wake woke %ld, child woken %s\n", what, priv, shared,
         WIFEXITED(st) && WEXITSTATUS(st) == 0 ? "yes" : "NO");
}

static void pingPong(atomic_int *turn, int me, int rounds) {
  for (int i = 0; i < rounds; i++) {
    while (atomic_load(turn) != me) futex(turn, FUTEX_WAIT, !me, 0, NULL, 0);
    atomic_store(turn, !me);
    futex(turn, FUTEX_WAKE, 1, 0, NULL, 0);
  }
}

static atomic_int *map2;
static atomic_int waiterReady;
static void *waitOnFirst(void *arg) {
  atomic_int *w = arg;
  atomic_store(&waiterReady, (int)syscall(SYS_gettid));
  return (void *)futex(w, FUTEX_WAIT, 0, 0, NULL, 0);
}

static void testSharedFile(const char *dir) {
  char path[4096];
  snprintf(path, sizeof path, "%s/futex-page", dir);
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
  if (fd < 0 || ftruncate(fd, 4096) != 0) { printf("cannot make %s\n", path); return; }
  atomic_int *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  wakeAcross(&page[0], &page[1], "file page, two processes");

  atomic_store(&page[2], 0);
  pid_t c = fork();
  if (c == 0) {
    // The child maps the file again itself: the futex is met through the file, not the mapping.
    int cfd = open(path, O_RDWR);
    atomic_int *mine = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, cfd, 0);
    munmap(page, 4096);
    pingPong(&mine[2], 1, 2000);
    _exit(0);
  }
  pingPong(&page[2], 0, 2000);
  int st;
  waitpid(c, &st, 0);
  printf("file page ping-pong between processes: 2000 rounds, child ok %s\n", WIFEXITED(st) && WEXITSTATUS(st) == 0 ? "yes" : "NO");

  // One process, two mappings of the page: a shared futex on one is the futex on the other.
  map2 = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  atomic_store(&page[3], 0);
  pthread_t t;
  pthread_create(&t, NULL, waitOnFirst, &page[3]);
  while (!atomic_load(&waiterReady)) sleepMs(1);
  waitAsleep(atomic_load(&waiterReady));
  long priv = futex(&map2[3], FUTEX_WAKE_PRIVATE, 1, 0, NULL, 0);
  long shared = futex(&map2[3], FUTEX_WAKE, 1, 0, NULL, 0);
  void *r;
  pthread_join(t, &r);
  printf("two mappings of one file page: private wake through the other mapping woke %ld, shared woke %ld, waiter got %ld\n",
         priv, shared, (long)r);
  munmap(map2, 4096);
  munmap(page, 4096);
  close(fd);
  unlink(path);

  atomic_int *anon = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  wakeAcross(&anon[0], &anon[1], "MAP_SHARED|MAP_ANONYMOUS page, two processes");
  atomic_store(&anon[2], 0);
  if ((c = fork()) == 0) {
    pingPong(&anon[2], 1, 2000);
    _exit(0);
  }
  pingPong(&anon[2], 0, 2000);
  waitpid(c, &st, 0);
  printf("anonymous shared page ping-pong between processes: 2000 rounds, child ok %s\n", WIFEXITED(st) && WEXITSTATUS(st) == 0 ? "yes" : "NO");
  munmap(anon, 4096);
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  testSemQueue();
  testCondQueue();
  testSharedQueue();
  testSharedFile(argc > 1 ? argv[1] : "/tmp");
  return 0;
}
