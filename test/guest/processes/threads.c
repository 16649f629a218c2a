// Threads (glibc's pthreads over clone, futexes and signals): mutexes of every type, condition
// variables with timeouts, barriers, rwlocks, thread-local storage (__thread, keys with
// destructors), cancellation (deferred, at a blocking read and a condition wait, asynchronous,
// disabled), detached threads, join values, 64 threads on one counter, PI mutexes (contended,
// timed, with a condition variable), robust mutexes whose owner dies (EOWNERDEAD, consistent,
// ENOTRECOVERABLE; PI; across processes), fork from a thread, signals to threads (pthread_kill,
// tgkill, a process signal taken by the one thread that does not block it, sigwaitinfo in a
// dedicated thread), and what threads do to the whole process: the main thread leaving first,
// exit and execve from another thread, a fault in a thread.
// Output: totals and checks only (no ids, addresses or times), so native and sandbox runs match.
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void say(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  fflush(stdout);
}

static pid_t tid(void) { return (pid_t)syscall(SYS_gettid); }
static const char *yes(int ok) { return ok ? "yes" : "NO"; }
static const char *err(int e) { return e == 0 ? "0" : strerrorname_np(e); }
static void sleepMs(int ms) { struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L }; while (nanosleep(&ts, &ts) != 0) {} }

/** An absolute time `ms` from now on `clock`. */
static struct timespec after(clockid_t clock, int ms) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  ts.tv_nsec += (long)ms * 1000000L;
  ts.tv_sec += ts.tv_nsec / 1000000000L;
  ts.tv_nsec %= 1000000000L;
  return ts;
}

/** The "Threads:" line of /proc/self/status. */
static int threadCount(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  int n = -1;
  while (f && fgets(line, sizeof line, f)) if (strncmp(line, "Threads:", 8) == 0) n = atoi(line + 8);
  if (f) fclose(f);
  return n;
}

/** The state letter of /proc/self/status. */
static char selfState(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256], c = '?';
  while (f && fgets(line, sizeof line, f)) if (strncmp(line, "State:", 6) == 0) sscanf(line + 6, " %c", &c);
  if (f) fclose(f);
  return c;
}

static void waitChild(pid_t pid, const char *what) {
  int st;
  if (waitpid(pid, &st, 0) != pid) { say("%s: waitpid failed\n", what); return; }
  if (WIFEXITED(st)) say("%s: exited %d\n", what, WEXITSTATUS(st));
  else if (WIFSIGNALED(st)) say("%s: killed by signal %d\n", what, WTERMSIG(st));
  else say("%s: status 0x%x\n", what, st);
}

// --- 64 threads, one counter, join values --------------------------------------------------------

static pthread_mutex_t counterLock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *addMany(void *arg) {
  long n = (long)arg;
  for (int i = 0; i < 1000; i++) {
    pthread_mutex_lock(&counterLock);
    counter++;
    if (i % 100 == 0) sched_yield(); // hold it while others run: they must sleep on it
    pthread_mutex_unlock(&counterLock);
  }
  if (n % 2) pthread_exit((void *)(n * n)); // exit(2) of one thread while the others run
  return (void *)(n * n);
}

static void testCounter(void) {
  pthread_t th[64];
  for (long i = 0; i < 64; i++) pthread_create(&th[i], NULL, addMany, (void *)i);
  long sum = 0;
  for (int i = 0; i < 64; i++) {
    void *r;
    pthread_join(th[i], &r);
    sum += (long)r;
  }
  say("64 threads: counter %ld (want 64000), join values sum %ld (want 85344)\n", counter, sum);
}

// --- mutex types -------------------------------------------------------------------------------

static pthread_mutex_t held;
static void *tryHeld(void *arg) {
  (void)arg;
  long r = pthread_mutex_trylock(&held);
  struct timespec ts = after(CLOCK_REALTIME, 30);
  long t = pthread_mutex_timedlock(&held, &ts);
  return (void *)(r << 16 | t);
}

static void testMutexTypes(void) {
  pthread_mutexattr_t a;
  pthread_mutex_t m;
  pthread_mutexattr_init(&a);
  pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
  pthread_mutex_init(&m, &a);
  int r1 = pthread_mutex_lock(&m), r2 = pthread_mutex_lock(&m), r3 = pthread_mutex_unlock(&m), r4 = pthread_mutex_unlock(&m);
  say("errorcheck: lock %s, again %s, unlock %s, again %s\n", err(r1), err(r2), err(r3), err(r4));
  pthread_mutex_destroy(&m);
  pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
  pthread_mutex_init(&m, &a);
  int ok = 1;
  for (int i = 0; i < 3; i++) ok &= pthread_mutex_lock(&m) == 0;
  for (int i = 0; i < 3; i++) ok &= pthread_mutex_unlock(&m) == 0;
  say("recursive: 3 locks and unlocks %s, one more unlock %s\n", yes(ok), err(pthread_mutex_unlock(&m)));
  pthread_mutex_destroy(&m);
  pthread_mutexattr_destroy(&a);

  pthread_mutex_init(&held, NULL);
  pthread_mutex_lock(&held);
  pthread_t th;
  void *r;
  pthread_create(&th, NULL, tryHeld, NULL);
  pthread_join(th, &r);
  pthread_mutex_unlock(&held);
  say("held elsewhere: trylock %s, timedlock %s\n", err((int)((long)r >> 16)), err((int)((long)r & 0xffff)));
}

// --- condition variables: a bounded queue, broadcast, timeouts -----------------------------------

#define QSIZE 8
static int queue[QSIZE], qHead, qCount;
static pthread_mutex_t qLock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t notEmpty = PTHREAD_COND_INITIALIZER, notFull = PTHREAD_COND_INITIALIZER;

static void put(int v) {
  pthread_mutex_lock(&qLock);
  while (qCount == QSIZE) pthread_cond_wait(&notFull, &qLock);
  queue[(qHead + qCount++) % QSIZE] = v;
  pthread_cond_signal(&notEmpty);
  pthread_mutex_unlock(&qLock);
}

static int get(void) {
  pthread_mutex_lock(&qLock);
  while (qCount == 0) pthread_cond_wait(&notEmpty, &qLock);
  int v = queue[qHead];
  qHead = (qHead + 1) % QSIZE;
  qCount--;
  pthread_cond_signal(&notFull);
  pthread_mutex_unlock(&qLock);
  return v;
}

static void *producer(void *arg) {
  long base = (long)arg;
  for (int i = 1; i <= 500; i++) put((int)(base * 1000 + i));
  return NULL;
}

static void *consumer(void *arg) {
  (void)arg;
  long sum = 0, n = 0;
  for (;;) {
    int v = get();
    if (v < 0) break;
    sum += v;
    n++;
  }
  return (void *)(sum << 20 | n);
}

static int woken;
static pthread_cond_t bell = PTHREAD_COND_INITIALIZER;
static int rung;
static void *waitBell(void *arg) {
  (void)arg;
  pthread_mutex_lock(&qLock);
  while (!rung) pthread_cond_wait(&bell, &qLock);
  woken++;
  pthread_mutex_unlock(&qLock);
  return NULL;
}

static void testCondvars(void) {
  pthread_t p[4], c[3];
  for (long i = 0; i < 4; i++) pthread_create(&p[i], NULL, producer, (void *)(i + 1));
  for (int i = 0; i < 3; i++) pthread_create(&c[i], NULL, consumer, NULL);
  for (int i = 0; i < 4; i++) pthread_join(p[i], NULL);
  for (int i = 0; i < 3; i++) put(-1);
  long sum = 0, n = 0;
  for (int i = 0; i < 3; i++) {
    void *r;
    pthread_join(c[i], &r);
    sum += (long)r >> 20;
    n += (long)r & 0xfffff;
  }
  say("condvar queue: 4 producers, 3 consumers: %ld items, sum %ld (want 2000, 5501000)\n", n, sum);

  pthread_t w[5];
  for (int i = 0; i < 5; i++) pthread_create(&w[i], NULL, waitBell, NULL);
  sleepMs(20);
  pthread_mutex_lock(&qLock);
  rung = 1;
  pthread_cond_broadcast(&bell);
  pthread_mutex_unlock(&qLock);
  for (int i = 0; i < 5; i++) pthread_join(w[i], NULL);
  say("broadcast woke %d of 5\n", woken);

  pthread_mutex_lock(&qLock);
  struct timespec ts = after(CLOCK_REALTIME, 20);
  int r1 = pthread_cond_timedwait(&bell, &qLock, &ts);
  ts = after(CLOCK_MONOTONIC, 20);
  int r2 = pthread_cond_clockwait(&bell, &qLock, CLOCK_MONOTONIC, &ts);
  pthread_mutex_unlock(&qLock);
  say("cond timedwait %s, clockwait (monotonic) %s\n", err(r1), err(r2));
}

// --- barriers and rwlocks ------------------------------------------------------------------------

#define BTHREADS 8
#define ROUNDS 50
static pthread_barrier_t barrier;
static atomic_long roundSum[ROUNDS];
static atomic_int serials, badRounds;

static void *barrierWorker(void *arg) {
  long me = (long)arg;
  for (int r = 0; r < ROUNDS; r++) {
    roundSum[r] += me;
    if (pthread_barrier_wait(&barrier) == PTHREAD_BARRIER_SERIAL_THREAD) serials++;
    if (roundSum[r] != BTHREADS * (BTHREADS - 1) / 2) badRounds++;
    pthread_barrier_wait(&barrier);
  }
  return NULL;
}

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static long rwA, rwB;
static atomic_int torn, reads;

static void *rwWriter(void *arg) {
  (void)arg;
  for (int i = 0; i < 500; i++) {
    pthread_rwlock_wrlock(&rw);
    rwA++;
    if (i % 50 == 0) sched_yield();
    rwB++;
    pthread_rwlock_unlock(&rw);
  }
  return NULL;
}

static void *rwReader(void *arg) {
  (void)arg;
  for (int i = 0; i < 500; i++) {
    pthread_rwlock_rdlock(&rw);
    if (rwA != rwB) torn++;
    reads++;
    if (i % 50 == 0) sched_yield();
    pthread_rwlock_unlock(&rw);
  }
  return NULL;
}

static void *tryRw(void *arg) {
  long wantWrite = (long)arg;
  return (void *)(long)(wantWrite ? pthread_rwlock_trywrlock(&rw) : pthread_rwlock_tryrdlock(&rw));
}

static void testBarriersAndRwlocks(void) {
  pthread_t th[BTHREADS];
  pthread_barrier_init(&barrier, NULL, BTHREADS);
  for (long i = 0; i < BTHREADS; i++) pthread_create(&th[i], NULL, barrierWorker, (void *)i);
  for (int i = 0; i < BTHREADS; i++) pthread_join(th[i], NULL);
  pthread_barrier_destroy(&barrier);
  say("barrier: %d rounds, serial threads %d, bad rounds %d\n", ROUNDS, (int)serials, (int)badRounds);

  pthread_t w[2], r[4];
  for (int i = 0; i < 2; i++) pthread_create(&w[i], NULL, rwWriter, NULL);
  for (int i = 0; i < 4; i++) pthread_create(&r[i], NULL, rwReader, NULL);
  for (int i = 0; i < 2; i++) pthread_join(w[i], NULL);
  for (int i = 0; i < 4; i++) pthread_join(r[i], NULL);
  say("rwlock: writes %ld/%ld, reads %d, torn reads %d\n", rwA, rwB, (int)reads, (int)torn);
  pthread_t t;
  void *res;
  pthread_rwlock_rdlock(&rw);
  pthread_create(&t, NULL, tryRw, (void *)1L);
  pthread_join(t, &res);
  int w1 = (int)(long)res;
  pthread_create(&t, NULL, tryRw, (void *)0L);
  pthread_join(t, &res);
  int r1 = (int)(long)res;
  pthread_rwlock_unlock(&rw);
  pthread_rwlock_unlock(&rw); // the reader lock the helper took
  pthread_rwlock_wrlock(&rw);
  pthread_create(&t, NULL, tryRw, (void *)0L);
  pthread_join(t, &res);
  pthread_rwlock_unlock(&rw);
  say("rwlock read-held: trywrlock %s, tryrdlock %s; write-held: tryrdlock %s\n", err(w1), err(r1), err((int)(long)res));
}

// --- thread-local storage ---------------------------------------------------------------------

static __thread int tlsValue = 7;
static __thread char tlsName[16] = "initial";
static pthread_key_t key;
static atomic_long destroyed;
static void destructor(void *p) { destroyed += (long)p; }

static void *tlsWorker(void *arg) {
  long me = (long)arg;
  int ok = tlsValue == 7 && strcmp(tlsName, "initial") == 0 && pthread_getspecific(key) == NULL;
  tlsValue = (int)me;
  snprintf(tlsName, sizeof tlsName, "t%ld", me);
  pthread_setspecific(key, (void *)(me + 1));
  for (int i = 0; i < 20; i++) sched_yield();
  char want[16];
  snprintf(want, sizeof want, "t%ld", me);
  ok &= tlsValue == me && strcmp(tlsName, want) == 0 && pthread_getspecific(key) == (void *)(me + 1);
  return (void *)(long)ok;
}

static void testTls(void) {
  pthread_key_create(&key, destructor);
  pthread_setspecific(key, (void *)1000L);
  tlsValue = 99;
  pthread_t th[10];
  for (long i = 0; i < 10; i++) pthread_create(&th[i], NULL, tlsWorker, (void *)i);
  long ok = 0;
  for (int i = 0; i < 10; i++) {
    void *r;
    pthread_join(th[i], &r);
    ok += (long)r;
  }
  say("tls: %ld of 10 threads saw their own values, main kept its own %s, destructors got %ld (want 55)\n",
      ok, yes(tlsValue == 99 && pthread_getspecific(key) == (void *)1000L), (long)destroyed);
  pthread_key_delete(key);
}

// --- cancellation ------------------------------------------------------------------------------

static atomic_int cleanups;
static volatile int spinning;
static void cleanup(void *arg) { (void)arg; cleanups++; }
static void unlockCleanup(void *m) { cleanups++; pthread_mutex_unlock(m); }
static int cancelPipe[2];
static pthread_mutex_t cancelLock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t never = PTHREAD_COND_INITIALIZER;
static sem_t started;

static void *cancelDeferred(void *arg) {
  (void)arg;
  pthread_cleanup_push(cleanup, NULL);
  sem_post(&started);
  for (;;) pthread_testcancel();
  pthread_cleanup_pop(0);
  return NULL;
}

static void *cancelRead(void *arg) {
  (void)arg;
  char c;
  ssize_t n;
  pthread_cleanup_push(cleanup, NULL);
  sem_post(&started);
  n = read(cancelPipe[0], &c, 1); // blocks: nothing is ever written
  pthread_cleanup_pop(0);
  return (void *)n;
}

static void *cancelCondWait(void *arg) {
  (void)arg;
  pthread_mutex_lock(&cancelLock);
  pthread_cleanup_push(unlockCleanup, &cancelLock);
  sem_post(&started);
  for (;;) pthread_cond_wait(&never, &cancelLock);
  pthread_cleanup_pop(0);
  return NULL;
}

static void *cancelAsync(void *arg) {
  (void)arg;
  pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, NULL);
  sem_post(&started);
  for (;;) spinning++; // no cancellation point: only the signal stops it
  return NULL;
}

static void *cancelDisabled(void *arg) {
  (void)arg;
  pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
  sem_post(&started);
  sleepMs(30); // a cancellation point, but cancellation is off
  int old;
  pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, &old);
  pthread_cleanup_push(cleanup, NULL);
  pthread_testcancel();
  pthread_cleanup_pop(0);
  return (void *)1L;
}

static const char *cancelOne(void *(*fn)(void *), int waitMs) {
  pthread_t th;
  void *r;
  pthread_create(&th, NULL, fn, NULL);
  sem_wait(&started);
  if (waitMs) sleepMs(waitMs);
  pthread_cancel(th);
  pthread_join(th, &r);
  return r == PTHREAD_CANCELED ? "canceled" : "NOT canceled";
}

static void testCancel(void) {
  sem_init(&started, 0, 0);
  if (pipe(cancelPipe) != 0) abort();
  const char *a = cancelOne(cancelDeferred, 0);
  const char *b = cancelOne(cancelRead, 20);
  const char *c = cancelOne(cancelCondWait, 20);
  int relock = pthread_mutex_trylock(&cancelLock);
  if (relock == 0) pthread_mutex_unlock(&cancelLock);
  const char *d = cancelOne(cancelAsync, 10);
  const char *e = cancelOne(cancelDisabled, 0);
  say("cancel: testcancel loop %s, blocking read %s, cond wait %s (mutex free again: %s), async %s, disabled then enabled %s\n",
      a, b, c, yes(relock == 0), d, e);
  say("cancel: cleanup handlers ran %d (want 4)\n", (int)cleanups);
  close(cancelPipe[0]);
  close(cancelPipe[1]);
}

// --- detached threads ----------------------------------------------------------------------------

static sem_t detachedDone;
static atomic_int detachedRuns;
static void *detached(void *arg) {
  detachedRuns += (int)(long)arg;
  sem_post(&detachedDone);
  return NULL;
}

static void testDetached(void) {
  sem_init(&detachedDone, 0, 0);
  pthread_attr_t a;
  pthread_attr_init(&a);
  pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
  for (long i = 1; i <= 16; i++) {
    pthread_t th;
    pthread_create(&th, &a, detached, (void *)i);
  }
  pthread_attr_destroy(&a);
  pthread_t th;
  pthread_create(&th, NULL, detached, (void *)100L);
  int d = pthread_detach(th);
  for (int i = 0; i < 17; i++) sem_wait(&detachedDone);
  say("detached: 17 threads ran, sum %d (want 236), pthread_detach %s\n", (int)detachedRuns, err(d));
}

// --- PI mutexes ---------------------------------------------------------------------------------

static pthread_mutex_t pi;
static long piCounter;
static void *piWorker(void *arg) {
  (void)arg;
  for (int i = 0; i < 300; i++) {
    pthread_mutex_lock(&pi);
    piCounter++;
    if (i % 10 == 0) sched_yield(); // others block in FUTEX_LOCK_PI meanwhile
    pthread_mutex_unlock(&pi);
  }
  return NULL;
}

static void *piTry(void *arg) {
  (void)arg;
  int a = pthread_mutex_trylock(&pi);
  struct timespec ts = after(CLOCK_REALTIME, 20);
  int b = pthread_mutex_timedlock(&pi, &ts);
  ts = after(CLOCK_MONOTONIC, 20);
  int c = pthread_mutex_clocklock(&pi, CLOCK_MONOTONIC, &ts);
  return (void *)(long)(a << 20 | b << 10 | c);
}

static pthread_cond_t piCond = PTHREAD_COND_INITIALIZER;
static int piItems, piTaken;
static void *piConsumer(void *arg) {
  (void)arg;
  for (int i = 0; i < 100; i++) {
    pthread_mutex_lock(&pi);
    while (piItems == 0) pthread_cond_wait(&piCond, &pi);
    piItems--;
    piTaken++;
    pthread_cond_signal(&piCond);
    pthread_mutex_unlock(&pi);
  }
  return NULL;
}

static void testPi(void) {
  pthread_mutexattr_t a;
  pthread_mutexattr_init(&a);
  pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT);
  pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
  pthread_mutex_init(&pi, &a);
  int proto = -1;
  pthread_mutexattr_getprotocol(&a, &proto);
  pthread_t th[8];
  for (int i = 0; i < 8; i++) pthread_create(&th[i], NULL, piWorker, NULL);
  for (int i = 0; i < 8; i++) pthread_join(th[i], NULL);
  say("PI mutex: protocol inherit %s, 8 threads counted %ld (want 2400)\n", yes(proto == PTHREAD_PRIO_INHERIT), piCounter);

  pthread_mutex_lock(&pi);
  int self = pthread_mutex_lock(&pi);
  pthread_t t;
  void *r;
  pthread_create(&t, NULL, piTry, NULL);
  pthread_join(t, &r);
  pthread_mutex_unlock(&pi);
  long v = (long)r;
  say("PI held elsewhere: trylock %s, timedlock %s, clocklock %s; relock by owner %s\n",
      err((int)(v >> 20)), err((int)((v >> 10) & 1023)), err((int)(v & 1023)), err(self));

  pthread_t c[2];
  for (int i = 0; i < 2; i++) pthread_create(&c[i], NULL, piConsumer, NULL);
  for (int i = 0; i < 200; i++) {
    pthread_mutex_lock(&pi);
    while (piItems >= 3) pthread_cond_wait(&piCond, &pi);
    piItems++;
    pthread_cond_broadcast(&piCond);
    pthread_mutex_unlock(&pi);
  }
  for (int i = 0; i < 2; i++) pthread_join(c[i], NULL);
  say("PI mutex with a condvar: %d items taken (want 200)\n", piTaken);
  pthread_mutex_destroy(&pi);
  pthread_mutexattr_destroy(&a);
}

// --- robust mutexes --------------------------------------------------------------------------------

static pthread_mutex_t robust;
static sem_t robustHeld;

static void *dieHolding(void *arg) {
  long delayMs = (long)arg;
  pthread_mutex_lock(&robust);
  sem_post(&robustHeld);
  if (delayMs) sleepMs((int)delayMs);
  return NULL; // ends holding it
}

static void initRobust(pthread_mutex_t *m, int protocol, int pshared) {
  pthread_mutexattr_t a;
  pthread_mutexattr_init(&a);
  pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
  pthread_mutexattr_setprotocol(&a, protocol);
  pthread_mutexattr_setpshared(&a, pshared);
  pthread_mutex_init(m, &a);
  pthread_mutexattr_destroy(&a);
}

/** The owner dies holding the mutex: after it is gone (delay 0), or while we wait for it. */
static void robustCase(const char *name, int protocol, long delayMs) {
  initRobust(&robust, protocol, PTHREAD_PROCESS_PRIVATE);
  pthread_t th;
  pthread_create(&th, NULL, dieHolding, (void *)delayMs);
  sem_wait(&robustHeld);
  if (!delayMs) pthread_join(th, NULL);
  int r1 = pthread_mutex_lock(&robust);
  int c = pthread_mutex_consistent(&robust);
  int u = pthread_mutex_unlock(&robust);
  int r2 = pthread_mutex_lock(&robust);
  pthread_mutex_unlock(&robust);
  if (delayMs) pthread_join(th, NULL);
  say("robust %s: lock %s, consistent %s, unlock %s, lock again %s\n", name, err(r1), err(c), err(u), err(r2));
  pthread_mutex_destroy(&robust);
}

static void testRobust(void) {
  sem_init(&robustHeld, 0, 0);
  robustCase("(owner gone)", PTHREAD_PRIO_NONE, 0);
  robustCase("(owner dies while we wait)", PTHREAD_PRIO_NONE, 30);
  robustCase("PI (owner gone)", PTHREAD_PRIO_INHERIT, 0);
  robustCase("PI (owner dies while we wait)", PTHREAD_PRIO_INHERIT, 30);

  // Unlocked without being made consistent: unusable for good.
  initRobust(&robust, PTHREAD_PRIO_NONE, PTHREAD_PROCESS_PRIVATE);
  pthread_t th;
  pthread_create(&th, NULL, dieHolding, NULL);
  pthread_join(th, NULL);
  int r1 = pthread_mutex_lock(&robust);
  pthread_mutex_unlock(&robust);
  int r2 = pthread_mutex_lock(&robust);
  say("robust not made consistent: lock %s, then %s\n", err(r1), err(r2));

  // Process-shared, in shared memory: the owner is another process that exits holding it.
  pthread_mutex_t *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  for (int pi = 0; pi < 2; pi++) {
    initRobust(shared, pi ? PTHREAD_PRIO_INHERIT : PTHREAD_PRIO_NONE, PTHREAD_PROCESS_SHARED);
    pid_t child = fork();
    if (child == 0) {
      pthread_mutex_lock(shared);
      _exit(0);
    }
    waitpid(child, NULL, 0);
    int a = pthread_mutex_lock(shared);
    int b = pthread_mutex_consistent(shared);
    pthread_mutex_unlock(shared);
    say("robust process-shared%s: owner process exited: lock %s, consistent %s\n", pi ? " PI" : "", err(a), err(b));
    pthread_mutex_destroy(shared);
  }
  munmap(shared, 4096);
}

// --- fork from a thread ----------------------------------------------------------------------------

static void *trivial(void *arg) { return arg; }

static void *forker(void *arg) {
  (void)arg;
  pthread_mutex_lock(&counterLock); // held by this thread: the child's copy is held by it too
  pid_t child = fork();
  if (child == 0) {
    int code = 0;
    if (threadCount() == 1) code |= 1;
    if (tid() == getpid()) code |= 2;
    pthread_t th;
    void *r = NULL;
    if (pthread_create(&th, NULL, trivial, (void *)5L) == 0 && pthread_join(th, &r) == 0 && r == (void *)5L) code |= 4;
    if (pthread_mutex_unlock(&counterLock) == 0) code |= 8;
    _exit(code);
  }
  pthread_mutex_unlock(&counterLock);
  waitChild(child, "fork from a thread: child (1 thread, tid is pid, new thread, mutex) wants 15");
  return NULL;
}

static void *napper(void *arg) { sleepMs((int)(long)arg); return NULL; }

static void testForkFromThread(void) {
  pthread_t th[3];
  for (int i = 0; i < 2; i++) pthread_create(&th[i], NULL, napper, (void *)50L);
  pthread_create(&th[2], NULL, forker, NULL);
  for (int i = 0; i < 3; i++) pthread_join(th[i], NULL);
}

// --- signals and threads -------------------------------------------------------------------------

static volatile pid_t handledBy;
static volatile sig_atomic_t handledCount;
static void onUsr1(int sig) { (void)sig; handledBy = tid(); handledCount++; }

static volatile pid_t targetTid;
static volatile int stopTarget;
static void *signalTarget(void *arg) {
  long unblock = (long)arg;
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, SIGUSR1);
  pthread_sigmask(unblock ? SIG_UNBLOCK : SIG_BLOCK, &s, NULL);
  if (unblock) targetTid = tid();
  sem_post(&started);
  while (!stopTarget) sleepMs(2);
  return NULL;
}

static atomic_long waited;
static atomic_int waitedCount;
static void *sigwaiter(void *arg) {
  (void)arg;
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, SIGRTMIN);
  sigaddset(&s, SIGUSR2);
  sem_post(&started);
  for (;;) {
    siginfo_t si;
    int sig = sigwaitinfo(&s, &si);
    if (sig == SIGUSR2) break;
    if (sig == SIGRTMIN) { waited += si.si_value.sival_int; waitedCount++; }
  }
  return NULL;
}

static void testSignals(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = onUsr1;
  sigaction(SIGUSR1, &sa, NULL);

  // pthread_kill and tgkill: the handler runs in the thread named.
  stopTarget = 0;
  pthread_t t;
  pthread_create(&t, NULL, signalTarget, (void *)1L);
  sem_wait(&started);
  handledCount = 0;
  pthread_kill(t, SIGUSR1);
  while (handledCount < 1) sleepMs(1);
  int ok1 = handledBy == targetTid;
  syscall(SYS_tgkill, getpid(), targetTid, SIGUSR1);
  while (handledCount < 2) sleepMs(1);
  int ok2 = handledBy == targetTid;
  stopTarget = 1;
  pthread_join(t, NULL);
  say("pthread_kill: handler ran in the target %s; tgkill: %s\n", yes(ok1), yes(ok2));

  // A process signal goes to the one thread that does not block it.
  sigset_t s, old;
  sigemptyset(&s);
  sigaddset(&s, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &s, &old);
  stopTarget = 0;
  pthread_t b[3];
  pthread_create(&b[0], NULL, signalTarget, (void *)0L);
  pthread_create(&b[1], NULL, signalTarget, (void *)1L);
  pthread_create(&b[2], NULL, signalTarget, (void *)0L);
  for (int i = 0; i < 3; i++) sem_wait(&started);
  handledCount = 0;
  kill(getpid(), SIGUSR1);
  while (handledCount < 1) sleepMs(1);
  int ok3 = handledBy == targetTid;
  stopTarget = 1;
  for (int i = 0; i < 3; i++) pthread_join(b[i], NULL);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  say("kill to the process: taken by the thread not blocking it %s\n", yes(ok3));

  // sigwaitinfo in a dedicated thread; every thread blocks the signals.
  sigemptyset(&s);
  sigaddset(&s, SIGRTMIN);
  sigaddset(&s, SIGUSR2);
  pthread_sigmask(SIG_BLOCK, &s, &old);
  pthread_t w;
  pthread_create(&w, NULL, sigwaiter, NULL);
  sem_wait(&started);
  for (int i = 1; i <= 10; i++) {
    union sigval v = { .sival_int = i };
    sigqueue(getpid(), SIGRTMIN, v);
    if (i % 3 == 0) sleepMs(5);
  }
  while (waitedCount < 10) sleepMs(2);
  kill(getpid(), SIGUSR2);
  pthread_join(w, NULL);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  say("sigwaitinfo thread: %d queued signals, values sum %ld (want 10, 55)\n", (int)waitedCount, (long)waited);
}

// --- whole-process effects -------------------------------------------------------------------------

static pid_t parentPid;

/** In a child: the main thread leaves with pthread_exit; this thread goes on in a live process. */
static void *outlive(void *arg) {
  (void)arg;
  char state = selfState();
  for (int tries = 0; state != 'Z' && tries < 10000; tries++) { sleepMs(1); state = selfState(); }
  int threads = threadCount();
  pid_t g = fork();
  if (g == 0) _exit(getppid() == parentPid ? 0 : 1);
  int st;
  waitpid(g, &st, 0);
  say("main thread gone: process state %c, threads %d, a child's getppid is the process %s\n",
      state, threads, yes(WIFEXITED(st) && WEXITSTATUS(st) == 0));
  return NULL; // the last thread: the process exits 0
}

static void *exitFromThread(void *arg) {
  (void)arg;
  sleepMs(20);
  exit(42);
}

static char *selfExe;
static void *execFromThread(void *arg) {
  (void)arg;
  char pid[16];
  snprintf(pid, sizeof pid, "%d", getpid());
  sleepMs(20);
  execl(selfExe, selfExe, "--exec-child", pid, (char *)NULL);
  _exit(99);
}

static void *faultInThread(void *arg) {
  (void)arg;
  sleepMs(20);
  *(volatile int *)arg = 1; // NULL
  return NULL;
}

static void *spinForever(void *arg) { (void)arg; for (;;) sleepMs(1000); return NULL; }

static void inChild(const char *what, void *(*fn)(void *), int mainExits) {
  pid_t c = fork();
  if (c == 0) {
    parentPid = getpid();
    struct rlimit nocore = { 0, 0 };
    setrlimit(RLIMIT_CORE, &nocore);
    pthread_t th, other;
    pthread_create(&th, NULL, fn, NULL);
    if (mainExits) pthread_exit(NULL);
    pthread_create(&other, NULL, spinForever, NULL); // a bystander the process's end takes along
    pthread_join(th, NULL);
    _exit(77);
  }
  waitChild(c, what);
}

static void testProcessEffects(void) {
  inChild("main thread exits first, the last thread returns", outlive, 1);
  inChild("exit(42) in a thread", exitFromThread, 0);
  inChild("execve in a thread (the new program exits 5)", execFromThread, 0);
  inChild("NULL store in a thread", faultInThread, 0);
}

static int execChild(const char *pid) {
  int same = atoi(pid) == getpid();
  say("exec from a thread: same pid %s, tid is the pid %s, threads %d\n", yes(same), yes(tid() == getpid()), threadCount());
  return 5;
}

int main(int argc, char **argv) {
  if (argc > 2 && strcmp(argv[1], "--exec-child") == 0) return execChild(argv[2]);
  static char exe[4096];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0) return 2;
  exe[n] = 0;
  selfExe = exe;
  testCounter();
  testMutexTypes();
  testCondvars();
  testBarriersAndRwlocks();
  testTls();
  testCancel();
  testDetached();
  testPi();
  testRobust();
  testForkFromThread();
  testSignals();
  testProcessEffects();
  say("threads now %d\n", threadCount());
  return 0;
}
