/* cmd-record.c — `unscatter record [FILE... | --maildir DIR | --mbox FILE]
 * [--since DAYS] [--recipient ADDR...]`: add sent messages to the record.
 *
 * Only the header block is read (RFC 5322 section 2.2: it ends at the first
 * empty line): Message-ID (3.6.4), Date (3.6.1), To/Cc/Bcc (3.6.3) and
 * Resent-To/Cc/Bcc (3.6.6), addresses parsed by GMime. Maildir (and Maildir++
 * folders): the files of cur/ and new/. mbox: messages start at a "From "
 * line at the start of the file or after an empty line (mboxrd/mboxo).
 * Writes are grouped in transactions of up to half a second so that an
 * import is fast without holding the lock long enough to stall deliveries.
 * Exit: 0 ok, 75 the record failed (temporary), 65 some input was not a
 * message (the rest is recorded).
 */
#include "config.h"
#include <sys/mman.h>
#include <unistd.h>
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define MAX_HEADER_READ (4 * 1024 * 1024)
#define BATCH_USEC (500 * 1000)

static const struct {
  const char *name;
  gboolean    addresses; /* a recipient field */
} record_fields[] = {
  { "message-id", FALSE }, { "date", FALSE }, { "from", FALSE }, { "subject", FALSE },
  { "to", TRUE }, { "cc", TRUE }, { "bcc", TRUE },
  { "resent-to", TRUE }, { "resent-cc", TRUE }, { "resent-bcc", TRUE },
};

static void
add_addresses (GPtrArray *out, InternetAddressList *list, int depth)
{
  if (list == NULL || depth > 4)
    return;
  int n = internet_address_list_length (list);
  for (int i = 0; i < n; i++) {
    InternetAddress *ia = internet_address_list_get_address (list, i);
    if (INTERNET_ADDRESS_IS_MAILBOX (ia)) {
      const char *a = internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (ia));
      char *s = a ? usc_strip_angle (a, FALSE) : NULL;
      if (s) {
        char *l = g_ascii_strdown (s, -1);
        g_free (s);
        usc_ptr_array_add_unique (out, l, FALSE);
      }
    } else if (INTERNET_ADDRESS_IS_GROUP (ia)) {
      add_addresses (out, internet_address_group_get_members (INTERNET_ADDRESS_GROUP (ia)), depth + 1);
    }
  }
}

/* Keep the unfolded field @line ("Name: value") when it is one we want. */
static void
take_field (const char *line, char **fields, GPtrArray *rcpts)
{
  const char *colon = strchr (line, ':');
  if (colon == NULL)
    return;
  gsize nl = colon - line;
  for (gsize f = 0; f < G_N_ELEMENTS (record_fields); f++) {
    if (strlen (record_fields[f].name) != nl || g_ascii_strncasecmp (line, record_fields[f].name, nl) != 0)
      continue;
    if (record_fields[f].addresses) {
      InternetAddressList *l = internet_address_list_parse (NULL, colon + 1);
      add_addresses (rcpts, l, 0);
      if (l)
        g_object_unref (l);
    } else if (fields[f] == NULL) {
      fields[f] = g_strstrip (g_strdup (colon + 1));
    }
    return;
  }
}

static gint
cmp_str_ptr (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* Length of the header block of @data (up to and excluding the empty line). */
static gsize
header_length (const char *data, gsize len)
{
  for (gsize i = 0; i < len; i++) {
    if (data[i] != '\n' && data[i] != '\r')
      continue;
    gsize j = i + 1;
    if (data[i] == '\r' && j < len && data[j] == '\n')
      j++;
    if (j < len && (data[j] == '\n' || data[j] == '\r'))
      return i;
  }
  return len;
}

int
cli_record_message (UscRecord *record, const char *data, gsize len, const char *const *extra,
                    gint64 min_date, CliRecordCounts *counts, GError **error)
{
  gsize hlen = header_length (data, len);
  /* One unfolded field per element, LF-only. */
  char *fields[G_N_ELEMENTS (record_fields)] = { NULL };
  GPtrArray *rcpts = g_ptr_array_new_with_free_func (g_free);
  GString *cur = g_string_new (NULL);
  guint n_fields = 0;
  gboolean bad = FALSE;
  const char *p = data, *end = data + hlen;

  if (hlen >= 5 && memcmp (p, "From ", 5) == 0) {
    while (p < end && *p != '\n' && *p != '\r')
      p++;
    if (p < end && *p == '\r')
      p++;
    if (p < end && *p == '\n')
      p++;
  }
  while (p < end) {
    const char *eol = p;
    while (eol < end && *eol != '\n' && *eol != '\r')
      eol++;
    gboolean cont = (*p == ' ' || *p == '\t');
    if (cont && cur->len) {
      g_string_append_len (cur, p, eol - p);
    } else if (!cont) {
      /* Finish the previous field, start a new one. */
      if (cur->len) {
        take_field (cur->str, fields, rcpts);
        g_string_truncate (cur, 0);
      }
      const char *q = p;
      while (q < eol && *q != ':' && *q > ' ' && *q < 0x7f)
        q++;
      if (q == p || q == eol || *q != ':') {
        if (n_fields == 0)
          bad = TRUE;
        break;
      }
      n_fields++;
      g_string_append_len (cur, p, eol - p);
    }
    p = eol;
    if (p < end && *p == '\r')
      p++;
    if (p < end && *p == '\n')
      p++;
  }
  if (cur->len && !bad)
    take_field (cur->str, fields, rcpts);
  g_string_free (cur, TRUE);

  int ret;
  if (bad || n_fields == 0) {
    g_set_error (error, USC_ERROR, USC_ERROR_PARSE, "not a message (no header fields)");
    counts->bad++;
    ret = -2;
    goto out;
  }
  for (guint i = 0; extra && extra[i]; i++) {
    char *s = usc_strip_angle (extra[i], FALSE);
    if (s) {
      char *l = g_ascii_strdown (s, -1);
      g_free (s);
      usc_ptr_array_add_unique (rcpts, l, FALSE);
    }
  }

  char *id = fields[0] ? g_mime_utils_decode_message_id (fields[0]) : NULL;
  if (id && *id == '\0')
    g_clear_pointer (&id, g_free);
  gint64 date = 0;
  if (fields[1]) {
    GDateTime *dt = g_mime_utils_header_decode_date (fields[1]);
    if (dt) {
      date = g_date_time_to_unix (dt);
      g_date_time_unref (dt);
    }
  }
  if (min_date > 0 && date > 0 && date < min_date) {
    counts->old++;
    g_free (id);
    ret = 0;
    goto out;
  }
  if (id == NULL && rcpts->len == 0) {
    counts->empty++;
    ret = 0;
    goto out;
  }
  g_ptr_array_add (rcpts, NULL);
  char *fp = NULL;
  if (id == NULL) {
    /* No Message-ID: the same message is recognised by what it says. */
    GString *f = g_string_new (NULL);
    g_string_append_printf (f, "%s\n%s\n%s", fields[1] ? fields[1] : "", fields[2] ? fields[2] : "",
                            fields[3] ? fields[3] : "");
    GPtrArray *sorted = g_ptr_array_new ();
    for (guint i = 0; i + 1 < rcpts->len; i++)
      g_ptr_array_add (sorted, rcpts->pdata[i]);
    g_ptr_array_sort (sorted, cmp_str_ptr);
    for (guint i = 0; i < sorted->len; i++)
      g_string_append_printf (f, "\n%s", (const char *) sorted->pdata[i]);
    g_ptr_array_free (sorted, TRUE);
    fp = g_string_free (f, FALSE);
  }
  UscSentMessage m = {
    .message_id = id,
    .recipients = (const char *const *) rcpts->pdata,
    .date = date,
    .recorded = usc_now (),
    .fingerprint = fp,
  };
  ret = usc_record_add (record, &m, error);
  if (ret == 1)
    counts->recorded++;
  else if (ret == 0)
    counts->present++;
  g_free (id);
  g_free (fp);
out:
  for (gsize f = 0; f < G_N_ELEMENTS (fields); f++)
    g_free (fields[f]);
  g_ptr_array_free (rcpts, TRUE);
  return ret;
}

char *
cli_record_summary (const CliRecordCounts *c, guint since_days)
{
  GString *s = g_string_new (NULL);
  g_string_append_printf (s, "recorded %u, already present %u", c->recorded, c->present);
  if (c->old)
    g_string_append_printf (s, ", skipped %u older than %u days", c->old, since_days);
  if (c->empty)
    g_string_append_printf (s, ", skipped %u with neither Message-ID nor recipient", c->empty);
  if (c->bad)
    g_string_append_printf (s, ", %u not messages", c->bad);
  return g_string_free (s, FALSE);
}

/* ------------------------------------------------------------------------ */

typedef struct {
  CliContext      *ctx;
  UscRecord       *record;
  const char *const *extra;
  gint64           min_date;
  CliRecordCounts  counts;
  gint64           batch_start;
  gboolean         failed;   /* the record failed: stop */
  gboolean         bad;      /* some input was bad */
} Import;

/* Add one message; FALSE when the record failed (stop). */
static gboolean
import_one (Import *im, const char *name, const char *data, gsize len)
{
  GError *error = NULL;
  int rc = cli_record_message (im->record, data, len, im->extra, im->min_date, &im->counts, &error);
  if (rc == -2) {
    cli_error (name, error);
    g_clear_error (&error);
    im->bad = TRUE;
    return TRUE;
  }
  if (rc == -1) {
    cli_error (name, error);
    g_clear_error (&error);
    im->failed = TRUE;
    return FALSE;
  }
  if (usc_now_monotonic () - im->batch_start > BATCH_USEC) {
    if (usc_record_commit (im->record, &error) < 0 || usc_record_begin (im->record, &error) < 0) {
      cli_error ("record", error);
      g_clear_error (&error);
      im->failed = TRUE;
      return FALSE;
    }
    im->batch_start = usc_now_monotonic ();
  }
  return TRUE;
}

/* Read the header block of @path (stops at the empty line). */
static gboolean
import_file (Import *im, const char *path)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    fprintf (stderr, "unscatter: %s: %s\n", path, g_strerror (errno));
    im->bad = TRUE;
    return TRUE;
  }
  GByteArray *buf = g_byte_array_sized_new (8192);
  gsize scanned = 0;
  gboolean ok = TRUE;
  for (;;) {
    guint old = buf->len;
    g_byte_array_set_size (buf, old + 8192);
    ssize_t n = read (fd, buf->data + old, 8192);
    if (n < 0 && errno == EINTR) {
      g_byte_array_set_size (buf, old);
      continue;
    }
    if (n < 0) {
      fprintf (stderr, "unscatter: %s: %s\n", path, g_strerror (errno));
      im->bad = TRUE;
      ok = FALSE;
      g_byte_array_set_size (buf, old);
      break;
    }
    g_byte_array_set_size (buf, old + n);
    if (n == 0 || buf->len >= MAX_HEADER_READ)
      break;
    /* Look for the empty line in what is new (and the 3 bytes before). */
    gsize from = scanned > 3 ? scanned - 3 : 0;
    if (header_length ((const char *) buf->data + from, buf->len - from) < buf->len - from)
      break;
    scanned = buf->len;
  }
  close (fd);
  gboolean cont = TRUE;
  if (ok)
    cont = import_one (im, path, (const char *) buf->data, buf->len);
  g_byte_array_free (buf, TRUE);
  return cont;
}

static gboolean
import_stdin (Import *im)
{
  GByteArray *buf = g_byte_array_new ();
  guint8 chunk[65536];
  for (;;) {
    ssize_t n = read (0, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      fprintf (stderr, "unscatter: stdin: %s\n", g_strerror (errno));
      im->bad = TRUE;
      g_byte_array_free (buf, TRUE);
      return TRUE;
    }
    if (n == 0)
      break;
    if (buf->len < MAX_HEADER_READ)  /* drain the rest; only the header matters */
      g_byte_array_append (buf, chunk, n);
  }
  gboolean cont = import_one (im, "stdin", (const char *) buf->data, buf->len);
  g_byte_array_free (buf, TRUE);
  return cont;
}

static gboolean
import_maildir (Import *im, const char *dir)
{
  static const char *const subs[] = { "cur", "new" };
  gboolean any = FALSE;
  for (gsize s = 0; s < G_N_ELEMENTS (subs); s++) {
    char *sub = g_build_filename (dir, subs[s], NULL);
    GError *error = NULL;
    GDir *d = g_dir_open (sub, 0, &error);
    if (d == NULL) {
      g_clear_error (&error);
      g_free (sub);
      continue;
    }
    any = TRUE;
    const char *name;
    while ((name = g_dir_read_name (d)) != NULL) {
      if (name[0] == '.')
        continue;
      char *path = g_build_filename (sub, name, NULL);
      gboolean cont = import_file (im, path);
      g_free (path);
      if (!cont) {
        g_dir_close (d);
        g_free (sub);
        return FALSE;
      }
    }
    g_dir_close (d);
    g_free (sub);
  }
  if (!any) {
    fprintf (stderr, "unscatter: %s: not a Maildir (no cur/ or new/)\n", dir);
    im->bad = TRUE;
  }
  return TRUE;
}

static gboolean
is_from_line (const char *p, const char *end)
{
  return end - p >= 5 && memcmp (p, "From ", 5) == 0;
}

static gboolean
import_mbox (Import *im, const char *path)
{
  GError *error = NULL;
  GMappedFile *mf = g_mapped_file_new (path, FALSE, &error);
  if (mf == NULL) {
    cli_error (path, error);
    g_clear_error (&error);
    im->bad = TRUE;
    return TRUE;
  }
  const char *data = g_mapped_file_get_contents (mf);
  gsize len = g_mapped_file_get_length (mf);
  const char *end = data + len;
  if (len > 0 && !is_from_line (data, end)) {
    fprintf (stderr, "unscatter: %s: not an mbox (no \"From \" line at the start)\n", path);
    im->bad = TRUE;
    g_mapped_file_unref (mf);
    return TRUE;
  }
  const char *start = data;
  const char *done = data;  /* page-aligned: the mapping starts on a page */
  const gsize page = (gsize) sysconf (_SC_PAGESIZE);
  gboolean cont = TRUE;
  guint n = 0;
  while (cont && start < end) {
    /* Find the next "From " line that follows an empty line. */
    const char *p = memchr (start, '\n', end - start);
    const char *next = end;
    while (p && p + 1 < end) {
      const char *line = p + 1;
      if (is_from_line (line, end)) {
        /* previous line empty? */
        const char *q = p;
        if (q > start && q[-1] == '\r')
          q--;
        if (q > start && q[-1] == '\n') {
          next = line;
          break;
        }
      }
      p = memchr (line, '\n', end - line);
    }
    char *name = g_strdup_printf ("%s: message %u", path, ++n);
    cont = import_one (im, name, start, next - start);
    g_free (name);
    start = next;
    /* The mapping is read once, front to back: give the pages already
     * read back to the kernel, so that a Sent folder of gigabytes does
     * not show (and keep) gigabytes of resident memory. */
    if ((gsize) (start - done) >= 16 * 1024 * 1024) {
      const char *upto = data + (((gsize) (start - data)) & ~(gsize) (page - 1));
      madvise ((void *) done, upto - done, MADV_DONTNEED);
      done = upto;
    }
  }
  g_mapped_file_unref (mf);
  return cont;
}

int
cmd_record (int argc, char **argv)
{
  CliContext ctx = { 0 };
  char *maildir = NULL, *mbox = NULL;
  char **rcpts = NULL;
  int since_days = 0;
  GOptionEntry entries[] = {
    { "maildir", 'm', 0, G_OPTION_ARG_FILENAME, &maildir, "import a Maildir (or Maildir++ folder): cur/ and new/", "DIR" },
    { "mbox", 0, 0, G_OPTION_ARG_FILENAME, &mbox, "import an mbox file", "FILE" },
    { "since", 0, 0, G_OPTION_ARG_INT, &since_days, "skip messages dated more than DAYS days ago", "DAYS" },
    { "recipient", 'r', 0, G_OPTION_ARG_STRING_ARRAY, &rcpts, "an envelope recipient (repeatable)", "ADDR" },
    { NULL }
  };
  GOptionContext *oc = g_option_context_new ("[FILE...] — add sent messages to the record (stdin when no FILE)");
  g_option_context_add_main_entries (oc, entries, NULL);
  cli_add_common_options (oc, &ctx);
  GError *error = NULL;
  int ret = CLI_EX_OK;
  if (!g_option_context_parse (oc, &argc, &argv, &error) || since_days < 0
      || ((maildir != NULL) + (mbox != NULL) + (argc > 1) > 1)) {
    if (error)
      cli_error ("record", error);
    else
      fprintf (stderr, "unscatter: record: give FILEs, --maildir or --mbox (one of them), and --since >= 0\n");
    g_clear_error (&error);
    g_option_context_free (oc);
    ret = CLI_EX_USAGE;
    goto out;
  }
  g_option_context_free (oc);
  if (!cli_context_init (&ctx, &error)) {
    cli_error ("record", error);
    g_clear_error (&error);
    ret = CLI_EX_TEMPFAIL;
    goto out;
  }
  Import im = { .ctx = &ctx, .extra = (const char *const *) rcpts };
  if (since_days > 0)
    im.min_date = usc_now () - (gint64) since_days * 86400;
  im.record = cli_context_record (&ctx, TRUE, &error);
  if (im.record == NULL || usc_record_begin (im.record, &error) < 0) {
    cli_error ("record", error);
    g_clear_error (&error);
    ret = CLI_EX_TEMPFAIL;
    goto out;
  }
  im.batch_start = usc_now_monotonic ();
  if (maildir)
    import_maildir (&im, maildir);
  else if (mbox)
    import_mbox (&im, mbox);
  else if (argc <= 1)
    import_stdin (&im);
  else
    for (int i = 1; i < argc; i++) {
      gboolean cont = strcmp (argv[i], "-") == 0 ? import_stdin (&im) : import_file (&im, argv[i]);
      if (!cont)
        break;
    }
  if (!im.failed && usc_record_commit (im.record, &error) < 0) {
    cli_error ("record", error);
    g_clear_error (&error);
    im.failed = TRUE;
  }
  if (im.failed) {
    usc_record_rollback (im.record, NULL);
    ret = CLI_EX_TEMPFAIL;
  } else if (im.bad) {
    ret = CLI_EX_DATAERR;
  }
  char *sum = cli_record_summary (&im.counts, since_days);
  fprintf (stderr, "unscatter: record: %s%s\n", sum, im.failed ? " (the last batch was not saved)" : "");
  g_free (sum);
out:
  cli_context_clear (&ctx);
  g_free (maildir);
  g_free (mbox);
  g_strfreev (rcpts);
  return ret;
}
