/* usv-child.c — libsieve in a child process (see usv-child.h).
 *
 * Report format, child to parent: records of one type byte, a 4-byte
 * big-endian length and that many bytes of text:
 *   'K' keep, 'D' discard, 'F' fileinto (mailbox), 'R' refused (what),
 *   'P' parse error, 'E' runtime error, and last 'Z' (the decimal rc of
 *   sieve2_execute). A report without its 'Z' record is incomplete.
 * The child never returns into the caller's code: it writes the report and
 * _exit()s (no atexit handlers, no stdio flush, no record or Maildir access).
 */
#include "config.h"
#include "usv-child.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

/* A report longer than this is garbage (a script has few actions). */
#define REPORT_MAX (4u << 20)

static void
put_record (GByteArray *b, char type, const char *text)
{
  gsize n = text ? strlen (text) : 0;
  guint8 head[5] = { (guint8) type, (guint8) (n >> 24), (guint8) (n >> 16), (guint8) (n >> 8), (guint8) n };
  g_byte_array_append (b, head, sizeof head);
  if (n)
    g_byte_array_append (b, (const guint8 *) text, (guint) n);
}

GBytes *
usv_report_build (const UsvOutcome *out)
{
  static const char codes[] = { [USV_ACTION_KEEP] = 'K', [USV_ACTION_DISCARD] = 'D',
                                [USV_ACTION_FILEINTO] = 'F', [USV_ACTION_REFUSED] = 'R' };
  GByteArray *b = g_byte_array_new ();
  for (guint i = 0; i < out->actions->len; i++) {
    const UsvAction *a = &g_array_index (out->actions, UsvAction, i);
    put_record (b, codes[a->type], a->arg);
  }
  for (guint i = 0; i < out->parse_errors->len; i++)
    put_record (b, 'P', out->parse_errors->pdata[i]);
  for (guint i = 0; i < out->runtime_errors->len; i++)
    put_record (b, 'E', out->runtime_errors->pdata[i]);
  char rc[16];
  g_snprintf (rc, sizeof rc, "%d", out->rc);
  put_record (b, 'Z', rc);
  return g_byte_array_free_to_bytes (b);
}

gboolean
usv_report_parse (const guint8 *p, gsize len, UsvOutcome *out)
{
  gsize at = 0;
  while (at < len) {
    if (len - at < 5)
      return FALSE;
    char type = (char) p[at];
    gsize n = ((gsize) p[at + 1] << 24) | ((gsize) p[at + 2] << 16) | ((gsize) p[at + 3] << 8) | p[at + 4];
    at += 5;
    if (n > len - at || memchr (p + at, '\0', n))
      return FALSE;
    char *text = g_strndup ((const char *) p + at, n);
    at += n;
    switch (type) {
    case 'K': usv_outcome_add_action (out, USV_ACTION_KEEP, NULL); break;
    case 'D': usv_outcome_add_action (out, USV_ACTION_DISCARD, NULL); break;
    case 'F': usv_outcome_add_action (out, USV_ACTION_FILEINTO, text); break;
    case 'R': usv_outcome_add_action (out, USV_ACTION_REFUSED, text); break;
    case 'P': g_ptr_array_add (out->parse_errors, text); text = NULL; break;
    case 'E': g_ptr_array_add (out->runtime_errors, text); text = NULL; break;
    case 'Z': {
      char *end = NULL;
      long rc = strtol (text, &end, 10);
      gboolean good = *text && end && *end == '\0' && at == len && rc >= 0 && rc < 1000;
      g_free (text);
      if (!good)
        return FALSE;
      out->rc = (int) rc;
      out->status = USV_STATUS_DONE;
      return TRUE;
    }
    default:
      g_free (text);
      return FALSE;
    }
    g_free (text);
  }
  return FALSE;
}

static gboolean
write_all (int fd, const guint8 *p, gsize n)
{
  while (n > 0) {
    ssize_t w = write (fd, p, n);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return FALSE;
    p += w;
    n -= (gsize) w;
  }
  return TRUE;
}

/* Fill the stack below the caller's frame with a pattern that is no valid
 * pointer (0xa5a5... is a non-canonical address on x86-64): libsieve reads
 * uninitialised locals (the envelope "auth" case), and stale stack data
 * could point at real memory and make a test match garbage. Poisoned, such a
 * read faults, every time: the child dies and the message is kept. */
#define POISON_BYTES (128 * 1024)
G_GNUC_NO_INLINE static void
poison_stack (void)
{
  volatile guint8 pad[POISON_BYTES];
  for (gsize i = 0; i < sizeof pad; i++)
    pad[i] = 0xa5;
}

G_GNUC_NORETURN static void
child_main (int fd, const char *script, const UsvView *view)
{
  /* Die visibly: the delivering process's handlers would exit 75 or 0 and
   * hide a crash as a result; no core file of a user's mail. */
  static const int sigs[] = { SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL, SIGTRAP, SIGSYS,
                              SIGALRM, SIGTERM, SIGHUP, SIGINT, SIGXCPU, SIGXFSZ, SIGPIPE };
  for (gsize i = 0; i < G_N_ELEMENTS (sigs); i++)
    signal (sigs[i], SIG_DFL);
  struct rlimit core = { 0, 0 };
  setrlimit (RLIMIT_CORE, &core);

  UsvOutcome out;
  usv_outcome_init (&out);
  poison_stack ();
  usv_run (script, view, &out);
  GBytes *report = usv_report_build (&out);
  gsize n = 0;
  const guint8 *p = g_bytes_get_data (report, &n);
  gboolean ok = write_all (fd, p, n);
  close (fd);
  g_bytes_unref (report);
  usv_outcome_clear (&out);
  _exit (ok ? 0 : 1);
}

static void
set_status (UsvOutcome *out, UsvStatus status, char *detail)
{
  /* A report cut short is not to be acted on in part. */
  for (guint i = 0; i < out->actions->len; i++)
    g_free (g_array_index (out->actions, UsvAction, i).arg);
  g_array_set_size (out->actions, 0);
  g_ptr_array_set_size (out->parse_errors, 0);
  g_ptr_array_set_size (out->runtime_errors, 0);
  out->status = status;
  g_free (out->status_detail);
  out->status_detail = detail;
}

void
usv_run_isolated (const char *script, const UsvView *view, double timeout, UsvOutcome *out)
{
  int fds[2];
  if (pipe (fds) < 0) {
    set_status (out, USV_STATUS_FAILED, g_strdup_printf ("pipe: %s", g_strerror (errno)));
    return;
  }
  pid_t pid = fork ();
  if (pid < 0) {
    int e = errno;
    close (fds[0]);
    close (fds[1]);
    set_status (out, USV_STATUS_FAILED, g_strdup_printf ("fork: %s", g_strerror (e)));
    return;
  }
  if (pid == 0) {
    close (fds[0]);
    child_main (fds[1], script, view);
  }
  close (fds[1]);

  GByteArray *buf = g_byte_array_new ();
  gint64 deadline = g_get_monotonic_time () + (gint64) (timeout * G_USEC_PER_SEC);
  gboolean timed_out = FALSE, too_long = FALSE;
  for (;;) {
    gint64 left = (deadline - g_get_monotonic_time ()) / 1000;
    if (left <= 0) {
      timed_out = TRUE;
      break;
    }
    struct pollfd pfd = { fds[0], POLLIN, 0 };
    int r = poll (&pfd, 1, left > G_MAXINT ? G_MAXINT : (int) left);
    if (r < 0 && errno == EINTR)
      continue;
    if (r == 0) {
      timed_out = TRUE;
      break;
    }
    guint8 chunk[8192];
    ssize_t n = read (fds[0], chunk, sizeof chunk);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;   /* EOF (or an error: the report is judged below) */
    g_byte_array_append (buf, chunk, (guint) n);
    if (buf->len > REPORT_MAX) {
      too_long = TRUE;
      break;
    }
  }
  close (fds[0]);
  if (timed_out || too_long)
    kill (pid, SIGKILL);
  int status = 0;
  while (waitpid (pid, &status, 0) < 0 && errno == EINTR)
    ;

  if (timed_out)
    set_status (out, USV_STATUS_TIMEOUT, g_strdup_printf ("no result after %g s, stopped", timeout));
  else if (too_long)
    set_status (out, USV_STATUS_FAILED, g_strdup_printf ("report over %u bytes", REPORT_MAX));
  else if (WIFSIGNALED (status))
    set_status (out, USV_STATUS_CRASHED, g_strdup_printf ("killed by signal %d (%s)", WTERMSIG (status),
                                                          g_strsignal (WTERMSIG (status))));
  else if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    set_status (out, USV_STATUS_CRASHED, g_strdup_printf ("exited with status %d", WEXITSTATUS (status)));
  else if (!usv_report_parse (buf->data, buf->len, out))
    set_status (out, USV_STATUS_CRASHED, g_strdup ("its report was incomplete"));
  g_byte_array_unref (buf);
}
