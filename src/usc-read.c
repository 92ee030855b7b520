/* usc-read.c — read all of a file descriptor (a file, a pipe, a socket)
 * into memory, bounded.
 *
 * GMime's fd stream seeks, so it cannot read pipes: the whole input is read
 * into memory here (bounded by the size limit), and the raw bytes kept for
 * filter and deliver, which write them back unchanged.
 */
#include "config.h"
#include "usc-read.h"
#include "usc-common.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

GBytes *
usc_read_all (int fd, gsize max_bytes, GError **error)
{
  struct stat st;
  gsize cap = 64 * 1024;
  if (fstat (fd, &st) == 0 && S_ISREG (st.st_mode) && st.st_size > 0) {
    if (max_bytes && (guint64) st.st_size > max_bytes) {
      g_set_error (error, USC_ERROR, USC_ERROR_LIMIT,
                   "message of %" G_GUINT64_FORMAT " bytes exceeds the size limit of %" G_GSIZE_FORMAT " bytes",
                   (guint64) st.st_size, max_bytes);
      return NULL;
    }
    cap = (gsize) st.st_size + 1; /* +1: see EOF without a regrow */
  }
  /* g_try_*: running out of memory is an error for the caller to handle
   * (filter and deliver must then defer), never an abort. */
  char *buf = g_try_malloc (cap);
  if (buf == NULL)
    goto nomem;
  gsize len = 0;
  for (;;) {
    if (len == cap) {
      if (max_bytes && len > max_bytes) {
        g_set_error (error, USC_ERROR, USC_ERROR_LIMIT,
                     "message exceeds the size limit of %" G_GSIZE_FORMAT " bytes", max_bytes);
        g_free (buf);
        return NULL;
      }
      cap = cap < G_MAXSIZE / 2 ? cap * 2 : G_MAXSIZE;
      if (max_bytes && cap > max_bytes + 1)
        cap = max_bytes + 1; /* one byte over is enough to know */
      char *nb = g_try_realloc (buf, cap);
      if (nb == NULL) {
        g_free (buf);
        goto nomem;
      }
      buf = nb;
    }
    ssize_t n = read (fd, buf + len, MIN (cap - len, (gsize) 1 << 20));
    if (n < 0) {
      int e = errno;
      if (e == EINTR)
        continue;
      g_set_error (error, USC_ERROR, USC_ERROR_IO, "read: %s", g_strerror (e));
      g_free (buf);
      return NULL;
    }
    if (n == 0)
      break;
    len += (gsize) n;
  }
  if (max_bytes && len > max_bytes) {
    g_set_error (error, USC_ERROR, USC_ERROR_LIMIT,
                 "message of %" G_GSIZE_FORMAT " bytes exceeds the size limit of %" G_GSIZE_FORMAT " bytes",
                 len, max_bytes);
    g_free (buf);
    return NULL;
  }
  if (cap - len > 4096) {
    char *nb = g_try_realloc (buf, len ? len : 1);
    if (nb != NULL)
      buf = nb;
  }
  return g_bytes_new_take (buf, len);

nomem:
  g_set_error (error, USC_ERROR, USC_ERROR_IO, "read: %s", g_strerror (ENOMEM));
  return NULL;
}
