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
 * `record --export FILE` writes the whole record (entries, decision counts)
 * as text and `record --import FILE` adds such a file to the record, which
 * moves a record between backends (SQLite <-> Redis) without loss.
 * Exit: 0 ok, 75 the record failed (temporary), 65 some input was not a
 * message (the rest is recorded) or the import file is malformed.
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

/* ------------------------------------------------------------------------ */

typedef struct {
  CliContext      *ctx;
  UscRecord       *record;
  const char *const *extra;
  gint64           min_date;
  UscSentCounts  counts;
  gint64           batch_start;
  gboolean         failed;   /* the record failed: stop */
  gboolean         bad;      /* some input was bad */
} Import;

/* Add one message; FALSE when the record failed (stop). */
static gboolean
import_one (Import *im, const char *name, const char *data, gsize len)
{
  GError *error = NULL;
  int rc = usc_sent_record_message (im->record, data, len, im->extra, im->min_date, &im->counts, &error);
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
  GError *error = NULL;
  GByteArray *buf = usc_sent_read_header (fd, MAX_HEADER_READ, &error);
  close (fd);
  if (buf == NULL) {
    fprintf (stderr, "unscatter: %s: %s\n", path, error->message);
    g_error_free (error);
    im->bad = TRUE;
    return TRUE;
  }
  gboolean cont = import_one (im, path, (const char *) buf->data, buf->len);
  g_byte_array_unref (buf);
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
  if (len > 0 && usc_mbox_from_end (data, len) == 0) {
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
    const char *next = data + usc_mbox_next (data, len, (gsize) (start - data));
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

/* `record --export FILE` / `--import FILE` ("-": stdout / stdin): move a
 * record between backends (usc_record_export / usc_record_import). */
static int
export_import (CliContext *ctx, const char *export_to, const char *import_from)
{
  GError *error = NULL;
  UscRecord *record = cli_context_record (ctx, import_from != NULL, &error);
  if (record == NULL) {
    if (error == NULL) {
      fprintf (stderr, "unscatter: record: --export: there is no record (%s)\n",
               usc_context_record_path (ctx->usc));
      return CLI_EX_TEMPFAIL;
    }
    cli_error ("record", error);
    g_clear_error (&error);
    return CLI_EX_TEMPFAIL;
  }
  const char *name = export_to ? export_to : import_from;
  gboolean std = strcmp (name, "-") == 0;
  FILE *f = std ? (export_to ? stdout : stdin) : fopen (name, export_to ? "w" : "r");
  if (f == NULL) {
    fprintf (stderr, "unscatter: record: %s: %s\n", name, g_strerror (errno));
    return export_to ? CLI_EX_TEMPFAIL : CLI_EX_DATAERR;
  }
  int ret = CLI_EX_OK;
  if (export_to) {
    gint64 n = 0;
    int rc = usc_record_export (record, f, &n, &error);
    if (!std && fclose (f) != 0 && rc == 0) {
      g_set_error (&error, USC_ERROR, USC_ERROR_IO, "%s: %s", name, g_strerror (errno));
      rc = -1;
    }
    if (rc < 0) {
      cli_error ("record --export", error);
      g_clear_error (&error);
      return CLI_EX_TEMPFAIL;
    }
    fprintf (stderr, "unscatter: record: exported %" G_GINT64_FORMAT " entries\n", n);
    return CLI_EX_OK;
  }
  UscRecordImportCounts c = { 0 };
  if (usc_record_import (record, f, &c, &error) < 0) {
    ret = error->code == USC_ERROR_PARSE ? CLI_EX_DATAERR : CLI_EX_TEMPFAIL;
    cli_error ("record --import", error);
    g_clear_error (&error);
  } else {
    fprintf (stderr, "unscatter: record: imported %" G_GINT64_FORMAT " entries: added %" G_GINT64_FORMAT
             ", already present or expired %" G_GINT64_FORMAT "; %" G_GINT64_FORMAT " decision counts\n",
             c.entries, c.added, c.present, c.decisions);
  }
  if (!std)
    fclose (f);
  return ret;
}

int
cmd_record (int argc, char **argv)
{
  CliContext ctx = { 0 };
  char *maildir = NULL, *mbox = NULL, *export_to = NULL, *import_from = NULL;
  char **rcpts = NULL;
  int since_days = 0;
  GOptionEntry entries[] = {
    { "maildir", 'm', 0, G_OPTION_ARG_FILENAME, &maildir, "import a Maildir (or Maildir++ folder): cur/ and new/", "DIR" },
    { "mbox", 0, 0, G_OPTION_ARG_FILENAME, &mbox, "import an mbox file", "FILE" },
    { "since", 0, 0, G_OPTION_ARG_INT, &since_days, "skip messages dated more than DAYS days ago", "DAYS" },
    { "recipient", 'r', 0, G_OPTION_ARG_STRING_ARRAY, &rcpts, "an envelope recipient (repeatable)", "ADDR" },
    { "export", 0, 0, G_OPTION_ARG_FILENAME, &export_to, "write the whole record to FILE (- for stdout)", "FILE" },
    { "import", 0, 0, G_OPTION_ARG_FILENAME, &import_from, "add a record written by --export (- for stdin)", "FILE" },
    { NULL }
  };
  GOptionContext *oc = g_option_context_new ("[FILE...] — add sent messages to the record (stdin when no FILE)");
  g_option_context_add_main_entries (oc, entries, NULL);
  cli_add_common_options (oc, &ctx);
  GError *error = NULL;
  int ret = CLI_EX_OK;
  if (!g_option_context_parse (oc, &argc, &argv, &error) || since_days < 0
      || ((maildir != NULL) + (mbox != NULL) + (argc > 1) + (export_to != NULL) + (import_from != NULL) > 1)
      || ((export_to || import_from) && (since_days || rcpts))) {
    if (error)
      cli_error ("record", error);
    else
      fprintf (stderr, "unscatter: record: give FILEs, --maildir, --mbox, --export or --import (one of them), "
               "and --since >= 0 (not with --export or --import)\n");
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
  if (export_to || import_from) {
    ret = export_import (&ctx, export_to, import_from);
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
  char *sum = usc_sent_summary (&im.counts, since_days);
  fprintf (stderr, "unscatter: record: %s%s\n", sum, im.failed ? " (the last batch was not saved)" : "");
  g_free (sum);
out:
  cli_context_clear (&ctx);
  g_free (maildir);
  g_free (mbox);
  g_free (export_to);
  g_free (import_from);
  g_strfreev (rcpts);
  return ret;
}
