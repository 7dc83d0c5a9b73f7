/*
 * Mitsu's benchmark load generator: one epoll loop, IPv4 to loopback only. `short` keeps C
 * connections in flight (connect, send a 64-byte HTTP request, read a reply byte, close);
 * `idle` opens N connections and holds them. Every loop is bounded in count and time; the
 * results are JSON lines on stdout. Compiled on demand by bench/run.js (`cc -O2`).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define REQUEST_BYTES 64
#define MAX_CONCURRENCY 10000
#define MAX_IDLE_CONNS 1000000
#define MAX_SOURCES 200
#define MAX_SECONDS 3600
#define MAX_SEND_BYTES REQUEST_BYTES
#define MAX_TIMEOUT_MS 60000
#define SPARE_FDS 16              /* stdio, epoll and slack below RLIMIT_NOFILE */
#define HIST_BUCKET_US 10
#define HIST_BUCKETS 100000       /* 10 us buckets up to 1 s; slower ones share the last */
#define EPOLL_BATCH 512
#define TICK_MS 10                /* longest epoll wait, so deadlines are checked often */
#define SWEEP_INTERVAL_MS 100     /* how often pending connections are checked for timeouts */
#define IDLE_INFLIGHT_MAX 256     /* connects in progress at once while opening idle conns */
#define NS_PER_MS 1000000LL
#define NS_PER_S 1000000000LL

enum mode { MODE_SHORT, MODE_IDLE };
enum slot_state { SLOT_FREE, SLOT_CONNECTING, SLOT_AWAIT_REPLY, SLOT_OPEN, SLOT_DONE };

struct opts {
  enum mode mode;
  struct in_addr host;
  int port;
  int concurrency;
  double duration_s, warmup_s;
  int count;
  double hold_s, open_timeout_s;
  int send_bytes;
  int sources;
  int timeout_ms;
};

struct slot {
  int fd;
  int state;
  int64_t start_ns;
};

struct stats {
  uint64_t completed;
  uint64_t err_connect, err_send, err_reset, err_eof, err_timeout;
  int64_t max_ns;
  uint32_t hist[HIST_BUCKETS];
};

static struct opts g_opts;
static struct stats g_stats;
static char g_request[REQUEST_BYTES + 1];
static int g_epoll = -1;
static int g_next_source;

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * NS_PER_S + ts.tv_nsec;
}

static double cpu_seconds(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
         (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static void die(int code, const char *what) {
  fprintf(stderr, "loadgen: %s\n", what);
  exit(code);
}

/* Raises the soft open-file limit to the hard one; returns the limit now in force. */
static long raise_nofile(void) {
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return 1024;
  rl.rlim_cur = rl.rlim_max;
  setrlimit(RLIMIT_NOFILE, &rl);
  getrlimit(RLIMIT_NOFILE, &rl);
  return (long)rl.rlim_cur;
}

/* A complete HTTP/1.1 request padded with an X-Pad header to exactly REQUEST_BYTES. */
static void build_request(void) {
  char host[INET_ADDRSTRLEN];
  char head[REQUEST_BYTES + 1];
  inet_ntop(AF_INET, &g_opts.host, host, sizeof host);
  int used = snprintf(head, sizeof head, "GET / HTTP/1.1\r\nHost: %s\r\nX-Pad: ", host);
  int pad = REQUEST_BYTES - used - 4;
  if (used < 0 || pad < 1) die(2, "host name too long for a 64-byte request");
  memcpy(g_request, head, (size_t)used);
  memset(g_request + used, 'a', (size_t)pad);
  memcpy(g_request + used + pad, "\r\n\r\n", 4);
  g_request[REQUEST_BYTES] = '\0';
}

/* Binds to the next source address 127.0.0.2.. so each address has its own port range. */
static int bind_source(int fd) {
  if (g_opts.sources == 0) return 0;
  int one = 1;
  setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
  struct sockaddr_in src = { .sin_family = AF_INET };
  src.sin_addr.s_addr = htonl(0x7f000002u + (uint32_t)g_next_source);
  g_next_source = (g_next_source + 1) % g_opts.sources;
  return bind(fd, (struct sockaddr *)&src, sizeof src);
}

/* Starts a nonblocking connect; returns the fd, or -1 when it failed at once. */
static int start_connect(void) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  struct sockaddr_in dst = { .sin_family = AF_INET, .sin_port = htons((uint16_t)g_opts.port) };
  dst.sin_addr = g_opts.host;
  if (bind_source(fd) != 0 ||
      (connect(fd, (struct sockaddr *)&dst, sizeof dst) != 0 && errno != EINPROGRESS)) {
    close(fd);
    return -1;
  }
  return fd;
}

static void watch(int op, int fd, uint32_t events, uint32_t index) {
  struct epoll_event ev = { .events = events, .data.u32 = index };
  if (epoll_ctl(g_epoll, op, fd, &ev) != 0) die(1, "epoll_ctl failed");
}

static int socket_error(int fd) {
  int err = 0;
  socklen_t len = sizeof err;
  if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) return errno;
  return err;
}

static void record_latency(int64_t ns) {
  int64_t bucket = ns / (HIST_BUCKET_US * 1000);
  if (bucket >= HIST_BUCKETS) bucket = HIST_BUCKETS - 1;
  g_stats.hist[bucket]++;
  if (ns > g_stats.max_ns) g_stats.max_ns = ns;
}

/* The latency in ms below which a fraction q of completed connections fall. */
static double percentile_ms(double q) {
  uint64_t want = (uint64_t)(q * (double)g_stats.completed + 0.999999);
  uint64_t seen = 0;
  if (g_stats.completed == 0) return 0;
  for (int i = 0; i < HIST_BUCKETS - 1; i++) {
    seen += g_stats.hist[i];
    if (seen >= want) return (i + 1) * HIST_BUCKET_US / 1000.0;
  }
  return (double)g_stats.max_ns / NS_PER_MS;
}

/* ---- short mode: connect, send, first reply byte, close; C slots always busy ---- */

static void short_begin(struct slot *s, uint32_t index) {
  s->start_ns = now_ns();
  s->fd = start_connect();
  if (s->fd < 0) {
    g_stats.err_connect++;
    s->state = SLOT_FREE;
    return;
  }
  s->state = SLOT_CONNECTING;
  /* Edge-triggered for both directions at once: one epoll_ctl per connection, not two. */
  watch(EPOLL_CTL_ADD, s->fd, EPOLLOUT | EPOLLIN | EPOLLET, index);
}

static void short_finish(struct slot *s, uint64_t *error, int measuring) {
  close(s->fd);
  s->fd = -1;
  s->state = SLOT_FREE;
  if (!measuring) return;
  if (error != NULL) {
    (*error)++;
    return;
  }
  g_stats.completed++;
  record_latency(now_ns() - s->start_ns);
}

/* A failed connect makes send() fail with its error, so SO_ERROR need not be read. */
static void short_on_connected(struct slot *s, int measuring) {
  ssize_t sent = send(s->fd, g_request, REQUEST_BYTES, MSG_NOSIGNAL);
  if (sent == REQUEST_BYTES) {
    s->state = SLOT_AWAIT_REPLY;
  } else if (sent < 0 && (errno == EAGAIN || errno == ENOTCONN)) {
    return; /* not connected yet: the next edge brings us back */
  } else {
    uint64_t *kind = sent < 0 && errno != EPIPE && errno != ECONNRESET
                         ? &g_stats.err_connect : &g_stats.err_send;
    short_finish(s, kind, measuring);
  }
}

static void short_on_readable(struct slot *s, int measuring) {
  char buf[4096];
  ssize_t n = recv(s->fd, buf, sizeof buf, 0);
  if (n > 0) short_finish(s, NULL, measuring);
  else if (n == 0) short_finish(s, &g_stats.err_eof, measuring);
  else if (errno != EAGAIN && errno != EINTR) short_finish(s, &g_stats.err_reset, measuring);
}

static void short_event(struct slot *slots, uint32_t index, int measuring) {
  struct slot *s = &slots[index];
  if (s->state == SLOT_CONNECTING) short_on_connected(s, measuring);
  else if (s->state == SLOT_AWAIT_REPLY) short_on_readable(s, measuring);
}

/* Fails connections older than the timeout and restarts free slots. */
static void short_sweep(struct slot *slots, int measuring) {
  int64_t limit = now_ns() - (int64_t)g_opts.timeout_ms * NS_PER_MS;
  for (int i = 0; i < g_opts.concurrency; i++) {
    struct slot *s = &slots[i];
    if (s->state != SLOT_FREE && s->start_ns < limit) {
      short_finish(s, &g_stats.err_timeout, measuring);
    }
  }
}

static void restart_free(struct slot *slots) {
  for (int i = 0; i < g_opts.concurrency; i++) {
    if (slots[i].state == SLOT_FREE) short_begin(&slots[i], (uint32_t)i);
  }
}

static void print_short(double seconds, double cpu) {
  uint64_t errors = g_stats.err_connect + g_stats.err_send + g_stats.err_reset +
                    g_stats.err_eof + g_stats.err_timeout;
  printf("{\"mode\":\"short\",\"phase\":\"done\",\"concurrency\":%d,\"seconds\":%.3f,"
         "\"completed\":%llu,\"conns_per_s\":%.1f,"
         "\"latency_ms\":{\"p50\":%.3f,\"p99\":%.3f,\"max\":%.3f},"
         "\"errors\":{\"total\":%llu,\"connect\":%llu,\"send\":%llu,\"reset\":%llu,"
         "\"eof\":%llu,\"timeout\":%llu},\"generator_cpu\":%.3f}\n",
         g_opts.concurrency, seconds, (unsigned long long)g_stats.completed,
         g_stats.completed / seconds, percentile_ms(0.50), percentile_ms(0.99),
         (double)g_stats.max_ns / NS_PER_MS, (unsigned long long)errors,
         (unsigned long long)g_stats.err_connect, (unsigned long long)g_stats.err_send,
         (unsigned long long)g_stats.err_reset, (unsigned long long)g_stats.err_eof,
         (unsigned long long)g_stats.err_timeout, cpu / seconds);
  fflush(stdout);
}

static void run_short(void) {
  struct slot *slots = calloc((size_t)g_opts.concurrency, sizeof *slots);
  struct epoll_event events[EPOLL_BATCH];
  if (slots == NULL) die(1, "out of memory");
  int64_t t0 = now_ns();
  int64_t measure_ns = t0 + (int64_t)(g_opts.warmup_s * NS_PER_S);
  int64_t end_ns = measure_ns + (int64_t)(g_opts.duration_s * NS_PER_S);
  int64_t next_sweep = t0 + SWEEP_INTERVAL_MS * NS_PER_MS;
  int measuring = g_opts.warmup_s <= 0;
  double cpu0 = cpu_seconds();

  restart_free(slots);
  for (int64_t now = t0; now < end_ns; now = now_ns()) {
    int n = epoll_wait(g_epoll, events, EPOLL_BATCH, TICK_MS);
    for (int i = 0; i < n; i++) short_event(slots, events[i].data.u32, measuring);
    if (!measuring && now >= measure_ns) {
      memset(&g_stats, 0, sizeof g_stats);
      measuring = 1;
      cpu0 = cpu_seconds();
    }
    if (now >= next_sweep) {
      short_sweep(slots, measuring);
      next_sweep = now + SWEEP_INTERVAL_MS * NS_PER_MS;
    }
    restart_free(slots);
  }
  double seconds = (double)(now_ns() - (measuring ? measure_ns : t0)) / NS_PER_S;
  print_short(seconds, cpu_seconds() - cpu0);
  for (int i = 0; i < g_opts.concurrency; i++) {
    if (slots[i].fd > 0) close(slots[i].fd);
  }
  free(slots);
}

/* ---- idle mode: open N connections (a bounded number pending at once), then hold ---- */

struct idle_state {
  struct slot *slots;
  int next;             /* next slot to open */
  int pending;          /* connects in progress */
  int open;             /* established and not yet closed */
  int open_min;         /* fewest open at once during the hold */
  uint64_t failed, closed_by_peer, received_bytes;
};

static void idle_close(struct idle_state *st, struct slot *s, int was_open) {
  close(s->fd);
  s->fd = -1;
  s->state = SLOT_DONE;
  if (was_open) st->open--;
  else st->pending--;
}

static void idle_open_more(struct idle_state *st) {
  while (st->pending < IDLE_INFLIGHT_MAX && st->next < g_opts.count) {
    struct slot *s = &st->slots[st->next];
    s->start_ns = now_ns();
    s->fd = start_connect();
    if (s->fd < 0) {
      s->state = SLOT_DONE;
      st->failed++;
    } else {
      s->state = SLOT_CONNECTING;
      st->pending++;
      watch(EPOLL_CTL_ADD, s->fd, EPOLLOUT, (uint32_t)st->next);
    }
    st->next++;
  }
}

static void idle_on_connected(struct idle_state *st, struct slot *s, uint32_t index) {
  int sent = g_opts.send_bytes;
  if (socket_error(s->fd) != 0 ||
      (sent > 0 && send(s->fd, g_request, (size_t)sent, MSG_NOSIGNAL) != sent)) {
    st->failed++;
    idle_close(st, s, 0);
    return;
  }
  st->pending--;
  st->open++;
  s->state = SLOT_OPEN;
  watch(EPOLL_CTL_MOD, s->fd, EPOLLIN | EPOLLRDHUP, index);
}

/* Drains what the server sends (a banner, a reply) and notices when it closes. */
static void idle_on_readable(struct idle_state *st, struct slot *s) {
  char buf[4096];
  ssize_t n = recv(s->fd, buf, sizeof buf, 0);
  if (n > 0) {
    st->received_bytes += (uint64_t)n;
  } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
    st->closed_by_peer++;
    idle_close(st, s, 1);
  }
}

static void idle_event(struct idle_state *st, uint32_t index) {
  struct slot *s = &st->slots[index];
  if (s->state == SLOT_CONNECTING) idle_on_connected(st, s, index);
  else if (s->state == SLOT_OPEN) idle_on_readable(st, s);
}

static void idle_sweep(struct idle_state *st, int64_t limit_ns) {
  for (int i = 0; i < st->next; i++) {
    struct slot *s = &st->slots[i];
    if (s->state == SLOT_CONNECTING && s->start_ns < limit_ns) {
      st->failed++;
      idle_close(st, s, 0);
    }
  }
}

static void idle_poll(struct idle_state *st, int64_t until_ns, int opening) {
  struct epoll_event events[EPOLL_BATCH];
  int64_t next_sweep = now_ns() + SWEEP_INTERVAL_MS * NS_PER_MS;
  for (int64_t now = now_ns(); now < until_ns; now = now_ns()) {
    if (opening && st->next >= g_opts.count && st->pending == 0) return;
    int n = epoll_wait(g_epoll, events, EPOLL_BATCH, TICK_MS);
    for (int i = 0; i < n; i++) idle_event(st, events[i].data.u32);
    if (opening) idle_open_more(st);
    else if (st->open < st->open_min) st->open_min = st->open;
    if (now >= next_sweep) {
      idle_sweep(st, now - (int64_t)g_opts.timeout_ms * NS_PER_MS);
      next_sweep = now + SWEEP_INTERVAL_MS * NS_PER_MS;
    }
  }
}

static void run_idle(void) {
  struct idle_state st = { .slots = calloc((size_t)g_opts.count, sizeof(struct slot)) };
  if (st.slots == NULL) die(1, "out of memory");
  int64_t t0 = now_ns();
  idle_open_more(&st);
  idle_poll(&st, t0 + (int64_t)(g_opts.open_timeout_s * NS_PER_S), 1);
  idle_sweep(&st, INT64_MAX);
  double open_s = (double)(now_ns() - t0) / NS_PER_S;
  int established = st.open;
  printf("{\"mode\":\"idle\",\"phase\":\"held\",\"open\":%d,\"failed\":%llu,"
         "\"open_s\":%.3f}\n", st.open, (unsigned long long)st.failed, open_s);
  fflush(stdout);

  st.open_min = st.open;
  idle_poll(&st, now_ns() + (int64_t)(g_opts.hold_s * NS_PER_S), 0);
  printf("{\"mode\":\"idle\",\"phase\":\"done\",\"requested\":%d,\"established\":%d,"
         "\"open_at_end\":%d,\"open_min\":%d,\"failed\":%llu,\"closed_by_peer\":%llu,"
         "\"received_bytes\":%llu,\"open_s\":%.3f,\"hold_s\":%.3f}\n",
         g_opts.count, established, st.open, st.open_min, (unsigned long long)st.failed,
         (unsigned long long)st.closed_by_peer, (unsigned long long)st.received_bytes,
         open_s, g_opts.hold_s);
  fflush(stdout);
  for (int i = 0; i < g_opts.count; i++) {
    if (st.slots[i].state != SLOT_DONE && st.slots[i].state != SLOT_FREE) close(st.slots[i].fd);
  }
  free(st.slots);
}

/* ---- command line ---- */

static void usage(void) {
  fputs("usage: loadgen short --port P [--host 127.0.0.1] [--concurrency C] [--duration S]\n"
        "                     [--warmup S] [--sources N] [--timeout-ms MS]\n"
        "       loadgen idle  --port P [--host 127.0.0.1] [--count N] [--hold S]\n"
        "                     [--open-timeout S] [--send-bytes B] [--sources N]\n",
        stderr);
  exit(2);
}

static double parse_num(const char *text, double low, double high) {
  char *end = NULL;
  double value = strtod(text, &end);
  if (end == text || *end != '\0' || value < low || value > high) usage();
  return value;
}

static void parse_option(int opt, const char *arg) {
  switch (opt) {
  case 'h':
    if (inet_pton(AF_INET, arg, &g_opts.host) != 1) usage();
    if ((ntohl(g_opts.host.s_addr) >> 24) != 127) die(2, "only 127.0.0.0/8 targets");
    break;
  case 'p': g_opts.port = (int)parse_num(arg, 1, 65535); break;
  case 'c': g_opts.concurrency = (int)parse_num(arg, 1, MAX_CONCURRENCY); break;
  case 'd': g_opts.duration_s = parse_num(arg, 0.1, MAX_SECONDS); break;
  case 'w': g_opts.warmup_s = parse_num(arg, 0, MAX_SECONDS); break;
  case 'n': g_opts.count = (int)parse_num(arg, 1, MAX_IDLE_CONNS); break;
  case 'H': g_opts.hold_s = parse_num(arg, 0, MAX_SECONDS); break;
  case 'o': g_opts.open_timeout_s = parse_num(arg, 0.1, MAX_SECONDS); break;
  case 'b': g_opts.send_bytes = (int)parse_num(arg, 0, MAX_SEND_BYTES); break;
  case 's': g_opts.sources = (int)parse_num(arg, 0, MAX_SOURCES); break;
  case 't': g_opts.timeout_ms = (int)parse_num(arg, 1, MAX_TIMEOUT_MS); break;
  default: usage();
  }
}

static void parse_args(int argc, char **argv) {
  static const struct option longs[] = {
    { "host", 1, 0, 'h' }, { "port", 1, 0, 'p' }, { "concurrency", 1, 0, 'c' },
    { "duration", 1, 0, 'd' }, { "warmup", 1, 0, 'w' }, { "count", 1, 0, 'n' },
    { "hold", 1, 0, 'H' }, { "open-timeout", 1, 0, 'o' }, { "send-bytes", 1, 0, 'b' },
    { "sources", 1, 0, 's' }, { "timeout-ms", 1, 0, 't' }, { 0, 0, 0, 0 },
  };
  g_opts = (struct opts){ .concurrency = 50, .duration_s = 10, .warmup_s = 2, .count = 1000,
                          .hold_s = 5, .open_timeout_s = 60, .sources = 16, .timeout_ms = 5000 };
  inet_pton(AF_INET, "127.0.0.1", &g_opts.host);
  if (argc < 2) usage();
  if (strcmp(argv[1], "short") == 0) g_opts.mode = MODE_SHORT;
  else if (strcmp(argv[1], "idle") == 0) g_opts.mode = MODE_IDLE;
  else usage();
  optind = 2;
  for (int opt; (opt = getopt_long(argc, argv, "", longs, NULL)) != -1;) parse_option(opt, optarg);
  if (optind != argc || g_opts.port == 0) usage();
}

int main(int argc, char **argv) {
  parse_args(argc, argv);
  long nofile = raise_nofile();
  long needed = (g_opts.mode == MODE_SHORT ? g_opts.concurrency : g_opts.count) + SPARE_FDS;
  if (needed > nofile) {
    fprintf(stderr, "loadgen: needs %ld open files, the limit is %ld\n", needed, nofile);
    return 2;
  }
  build_request();
  g_epoll = epoll_create1(EPOLL_CLOEXEC);
  if (g_epoll < 0) die(1, "epoll_create1 failed");
  if (g_opts.mode == MODE_SHORT) run_short();
  else run_idle();
  return 0;
}
