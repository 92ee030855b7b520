/* cli-jobs.c — `check --jobs N`: worker processes, output in input order.
 *
 * Each worker takes the next file from a counter shared by all (a page
 * mapped MAP_SHARED before the fork), so a slow message holds up only its
 * own worker, and sends per file two frames through its own pipe: BEGIN
 * (the index it took) and DONE (the index, its answer, its stdout and stderr
 * text). The parent polls the pipes, keeps what arrives out of order and
 * writes each message's text once all before it are written. A worker that
 * ends after BEGIN without DONE died on that message (the watchdog's
 * _exit(), a crash): the batch ends there, with what came before it, as one
 * process would have ended. Processes, not threads: nothing has to be made
 * thread-safe, and a message that trips the watchdog takes only its worker.
 */
#include "config.h"
#include "cli-jobs.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

enum { FRAME_BEGIN = 1, FRAME_DONE = 2, FRAME_YES = 4 };

/* How long the parent lets answers gather between two reads while
 * messages are left to take (see cli_jobs_run()): at ~2,000 messages a
 * second a worker and ~800 bytes an answer (--explain), 4 ms fill about
 * 7 KB of a worker's 64 KB pipe, so a worker never waits for the parent. */
#define GATHER_USEC 4000

/* Bytes read from a pipe at once (its whole default capacity). */
#define READ_CHUNK 65536

typedef struct {
  guint32 index, flags, out_len, err_len;
} Frame;

typedef struct {
  gboolean done, yes;
  char *out, *err;       /* owned until written */
  gsize out_len, err_len;
} Slot;

/* The answers and the next one to write (input order). */
typedef struct {
  Slot *slots;
  guint n, next;
  gboolean all;       /* every answer written so far was yes */
  gint64 died_at;     /* the first message a worker died on; -1: none */
} Order;

typedef struct {
  pid_t pid;
  int fd;                /* -1: closed */
  GByteArray *buf;       /* bytes not yet parsed */
  gint64 current;        /* index after BEGIN, before DONE; -1: none */
} Worker;

static gboolean
write_all (int fd, const void *data, gsize len)
{
  const char *p = data;
  while (len > 0) {
    ssize_t w = write (fd, p, len);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return FALSE;
    p += w;
    len -= (gsize) w;
  }
  return TRUE;
}

static char *
copy_bytes (const char *p, gsize len)
{
  char *r = g_malloc (len + 1);
  memcpy (r, p, len);
  r[len] = '\0';
  return r;
}

/* One message's text: its stderr, then its stdout. With @flush, stdout is
 * flushed after it (one process: a watchdog's _exit() must lose nothing
 * already answered); without, it is flushed before any stderr text (the two
 * stay in order when they share a file) and by the caller. */
static void
emit (const char *out, gsize out_len, const char *err, gsize err_len, gboolean flush)
{
  if (err_len) {
    fflush (stdout);
    fwrite (err, 1, err_len, stderr);
  }
  if (out_len)
    fwrite (out, 1, out_len, stdout);
  if (flush)
    fflush (stdout);
}

static gboolean
run_serial (const char *const *files, guint n, CliJobFn fn, gpointer data)
{
  gboolean all = TRUE;
  GString *out = g_string_sized_new (1024), *err = g_string_new (NULL);
  for (guint i = 0; i < n; i++) {
    g_string_truncate (out, 0);
    g_string_truncate (err, 0);
    all &= fn (data, files[i], out, err) ? TRUE : FALSE;
    emit (out->str, out->len, err->str, err->len, TRUE);
  }
  g_string_free (out, TRUE);
  g_string_free (err, TRUE);
  return all;
}

/* The worker: never returns. Message i's DONE frame goes out in the same
 * write as the BEGIN frame of the message it takes next: one system call a
 * message, and BEGIN still precedes the work. */
G_GNUC_NORETURN static void
worker_main (int fd, guint *counter, const char *const *files, guint n, CliJobFn fn, gpointer data)
{
  GString *out = g_string_sized_new (1024), *err = g_string_new (NULL);
  GByteArray *pending = g_byte_array_sized_new (4096);
  for (;;) {
    guint i = __atomic_fetch_add (counter, 1, __ATOMIC_SEQ_CST);
    if (i < n) {
      Frame b = { i, FRAME_BEGIN, 0, 0 };
      g_byte_array_append (pending, (const guint8 *) &b, sizeof b);
    }
    if (pending->len > 0 && !write_all (fd, pending->data, pending->len))
      _exit (1);
    g_byte_array_set_size (pending, 0);
    if (i >= n)
      break;
    g_string_truncate (out, 0);
    g_string_truncate (err, 0);
    gboolean yes = fn (data, files[i], out, err);
    Frame d = { i, FRAME_DONE | (yes ? FRAME_YES : 0), (guint32) out->len, (guint32) err->len };
    g_byte_array_append (pending, (const guint8 *) &d, sizeof d);
    g_byte_array_append (pending, (const guint8 *) out->str, (guint) out->len);
    g_byte_array_append (pending, (const guint8 *) err->str, (guint) err->len);
  }
  g_byte_array_unref (pending);
  g_string_free (out, TRUE);
  g_string_free (err, TRUE);
  /* _exit: the parent's stdio buffers, atexit handlers and library
   * destructors belong to the parent. */
  _exit (0);
}

/* Writes the answers that are next in input order and have come, up to
 * the first message a worker died on. */
static void
write_ready (Order *o)
{
  for (; o->next < o->n && o->slots[o->next].done; o->next++) {
    Slot *s = &o->slots[o->next];
    if (o->died_at < 0 || (gint64) o->next < o->died_at) {
      emit (s->out, s->out_len, s->err, s->err_len, FALSE);
      o->all &= s->yes;
    }
    g_clear_pointer (&s->out, g_free);
    g_clear_pointer (&s->err, g_free);
  }
}

/* Parses the complete frames in @w's buffer. An answer that is the next to
 * write is written from the buffer (most are, with two workers taking
 * messages in turn); one that came early is copied into its slot. */
static void
parse_frames (Worker *w, Order *o)
{
  gsize off = 0;
  while (w->buf->len - off >= sizeof (Frame)) {
    Frame f;
    memcpy (&f, w->buf->data + off, sizeof f);
    gsize need = sizeof f + (gsize) f.out_len + f.err_len;
    if (f.index >= o->n)
      break;  /* cannot happen: our own worker wrote it */
    if (f.flags & FRAME_BEGIN) {
      w->current = f.index;
      off += sizeof f;
      continue;
    }
    if (w->buf->len - off < need)
      break;
    Slot *s = &o->slots[f.index];
    const char *p = (const char *) w->buf->data + off + sizeof f;
    s->yes = (f.flags & FRAME_YES) != 0;
    s->done = TRUE;
    w->current = -1;
    off += need;
    if (f.index == o->next && o->died_at < 0) {
      /* No message before it is missing, so no death can come before it. */
      emit (p, f.out_len, p + f.out_len, f.err_len, FALSE);
      o->all &= s->yes;
      o->next++;
      write_ready (o);
      continue;
    }
    s->out = copy_bytes (p, f.out_len);
    s->out_len = f.out_len;
    s->err = copy_bytes (p + f.out_len, f.err_len);
    s->err_len = f.err_len;
  }
  g_byte_array_remove_range (w->buf, 0, (guint) off);
}

gboolean
cli_jobs_run (const char *const *files, guint n, guint jobs, CliJobFn fn, gpointer data)
{
  if (jobs > n)
    jobs = n;
  if (jobs <= 1)
    return run_serial (files, n, fn, data);

  guint *counter = mmap (NULL, sizeof *counter, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (counter == MAP_FAILED)
    return run_serial (files, n, fn, data);
  *counter = 0;
  fflush (stdout);
  fflush (stderr);

  Worker *ws = g_new0 (Worker, jobs);
  guint nw = 0;
  for (guint k = 0; k < jobs; k++) {
    int p[2];
    if (pipe (p) != 0)
      break;
    pid_t pid = fork ();
    if (pid < 0) {
      close (p[0]);
      close (p[1]);
      break;
    }
    if (pid == 0) {
      close (p[0]);
      for (guint j = 0; j < nw; j++)
        close (ws[j].fd);
      worker_main (p[1], counter, files, n, fn, data);
    }
    close (p[1]);
    ws[nw++] = (Worker) { pid, p[0], g_byte_array_new (), -1 };
  }
  if (nw == 0) {
    g_free (ws);
    munmap (counter, sizeof *counter);
    return run_serial (files, n, fn, data);
  }

  Order o = { g_new0 (Slot, n), n, 0, TRUE, -1 };
  struct pollfd *pfd = g_new (struct pollfd, nw);
  guint open = nw;
  gint died_worker = -1;
  while (open > 0) {
    guint np = 0;
    for (guint k = 0; k < nw; k++)
      if (ws[k].fd >= 0)
        pfd[np++] = (struct pollfd) { ws[k].fd, POLLIN, 0 };
    if (poll (pfd, np, -1) < 0) {
      if (errno == EINTR)
        continue;
      break;
    }
    for (guint k = 0; k < nw; k++) {
      Worker *w = &ws[k];
      if (w->fd < 0)
        continue;
      gboolean ready = FALSE;
      for (guint j = 0; j < np; j++)
        if (pfd[j].fd == w->fd && pfd[j].revents)
          ready = TRUE;
      if (!ready)
        continue;
      /* read straight into the worker's buffer */
      guint have = w->buf->len;
      g_byte_array_set_size (w->buf, have + READ_CHUNK);
      ssize_t r = read (w->fd, w->buf->data + have, READ_CHUNK);
      g_byte_array_set_size (w->buf, have + (guint) MAX (r, 0));
      if (r < 0 && errno == EINTR)
        continue;
      if (r > 0) {
        parse_frames (w, &o);
        continue;
      }
      /* end of file (or an error): the worker is gone */
      close (w->fd);
      w->fd = -1;
      open--;
      if (w->current >= 0 && (o.died_at < 0 || w->current < o.died_at)) {
        o.died_at = w->current;
        died_worker = (gint) k;
      }
    }
    write_ready (&o);
    fflush (stdout); /* once a round, not once a message */
    /* Let the workers' answers gather: one wake-up of the parent for
     * several messages instead of one a message (each a context switch
     * on CPUs the workers want). Only the reading waits, never a worker:
     * a pipe holds far more than GATHER_USEC of answers. Once every
     * message is taken, no more waiting: the last answers are written as
     * they come, so the batch ends with its last message. */
    if (open > 0 && o.next < n && o.died_at < 0
        && __atomic_load_n (counter, __ATOMIC_SEQ_CST) < n)
      g_usleep (GATHER_USEC);
    if (o.died_at >= 0 && (gint64) o.next >= o.died_at) {
      /* everything the single process would have printed is out */
      for (guint k = 0; k < nw; k++)
        if (ws[k].fd >= 0)
          kill (ws[k].pid, SIGTERM);
    }
  }
  int died_status = 0;
  for (guint k = 0; k < nw; k++) {
    int status = 0;
    while (waitpid (ws[k].pid, &status, 0) < 0 && errno == EINTR)
      ;
    if ((gint) k == died_worker)
      died_status = status;
    if (ws[k].fd >= 0)
      close (ws[k].fd);
    g_byte_array_free (ws[k].buf, TRUE);
  }
  gboolean all = o.all;
  guint next = o.next;
  gint64 died_at = o.died_at;
  if (next < n) {
    /* A worker died on files[next] (or a pipe failed): the batch stops
     * there. The watchdog has said why when it was the watchdog. */
    all = FALSE;
    if (died_at < 0 || (guint) died_at != next)
      fprintf (stderr, "unscatter: %s: not classified (a worker process failed)\n", files[next]);
    else if (WIFSIGNALED (died_status))
      fprintf (stderr, "unscatter: %s: the worker process was killed by signal %d\n", files[next],
               WTERMSIG (died_status));
  }
  for (guint i = 0; i < n; i++) {
    g_free (o.slots[i].out);
    g_free (o.slots[i].err);
  }
  g_free (o.slots);
  g_free (pfd);
  g_free (ws);
  munmap (counter, sizeof *counter);
  return all;
}
