/* cmd-sendmail.c — `unscatter sendmail [--db P] [--config P] [--] [ARGS]`:
 * a mail client's "sendmail" hook. Reads the message on stdin, records it
 * (recipients of the header fields and the non-option ARGS), then executes
 * the real sendmail ([sendmail] path) with the same ARGS, feeding it the
 * message byte for byte, so that its exit status is ours.
 *
 * ARGS are read as sendmail(8) / Postfix sendmail(1) options (getopt, letters
 * that take a value in sendmail_value_opts). With [batv] sign = true and BATV
 * keys, the envelope sender (-f ADDR, -fADDR, or -r) is replaced by its
 * signed form (draft-levine-smtp-batv-01), or "-f SIGNED-FROM" is added from
 * the From header when there is none.
 *
 * With [sign] header = true and keys ([sign] keys, else the BATV keys), an
 * X-Unscatter-Sig field (usc-sign.h) goes at the top of the header, and a
 * Message-ID and a Date when the message has none (what is signed must be
 * what is sent). The message is recorded as it is sent.
 *
 * Modes that send no message (-bs SMTP on stdin, -bp, -bv, -q, -I) are
 * passed straight to sendmail with stdin untouched.
 *
 * Recording never stops the mail: a record failure is a warning on stderr.
 */
#include "config.h"
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Option letters that take a value (attached or in the next argument), the
 * union of sendmail 8 and Postfix. */
static const char sendmail_value_opts[] = "BCFLMNORVXbdefhopqr";

/* Our own options come first (or before "--"). */
static gboolean
is_own_option (const char *a, gboolean *takes_value_r)
{
  static const char *const own[] = { "--db", "--config" };
  *takes_value_r = FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (own); i++) {
    gsize n = strlen (own[i]);
    if (strncmp (a, own[i], n) == 0 && (a[n] == '\0' || a[n] == '=')) {
      *takes_value_r = a[n] == '\0';
      return TRUE;
    }
  }
  return strcmp (a, "--help") == 0 || strcmp (a, "-h") == 0 || strcmp (a, "--help-all") == 0;
}

typedef struct {
  int      arg;      /* index in args of the string holding the value, -1 none */
  gsize    offset;   /* where the value starts in it */
  gboolean no_mail;  /* a mode that sends no message from stdin: -b other than
                        -bm, -q (queue run), -I (newaliases) */
} SenderPos;

/* Walk @args like getopt (permuting): collect non-option arguments (the
 * recipients) into @rcpts and find the last -f / -r. */
static void
scan_args (char **args, int n, GPtrArray *rcpts, SenderPos *sender)
{
  sender->arg = -1;
  sender->no_mail = FALSE;
  gboolean opts_done = FALSE;
  for (int i = 0; i < n; i++) {
    const char *a = args[i];
    if (opts_done || a[0] != '-' || a[1] == '\0') {
      g_ptr_array_add (rcpts, (gpointer) a);
      continue;
    }
    if (strcmp (a, "--") == 0) {
      opts_done = TRUE;
      continue;
    }
    for (gsize j = 1; a[j]; j++) {
      if (a[j] == 'I')
        sender->no_mail = TRUE;
      if (strchr (sendmail_value_opts, a[j]) == NULL)
        continue;
      gboolean is_sender = a[j] == 'f' || a[j] == 'r';
      const char *value = NULL;
      if (a[j + 1] != '\0') {
        value = a + j + 1;
        if (is_sender) {
          sender->arg = i;
          sender->offset = j + 1;
        }
      } else if (i + 1 < n) {
        i++;
        value = args[i];
        if (is_sender) {
          sender->arg = i;
          sender->offset = 0;
        }
      }
      if (a[j] == 'q' || (a[j] == 'b' && value && strcmp (value, "m") != 0))
        sender->no_mail = TRUE;
      break;
    }
  }
}

/* The unfolded value of the first @name field of the header in @data (up to
 * the empty line), or NULL. */
static char *
header_value (const char *data, gsize len, const char *name)
{
  gsize nl = strlen (name);
  const char *p = data, *end = data + len;
  while (p < end) {
    const char *eol = memchr (p, '\n', end - p);
    if (eol == NULL)
      eol = end;
    if (eol == p || (eol == p + 1 && *p == '\r'))
      break; /* end of header */
    if ((gsize) (eol - p) > nl && g_ascii_strncasecmp (p, name, nl) == 0 && p[nl] == ':') {
      GString *v = g_string_new_len (p + nl + 1, eol - p - nl - 1);
      const char *q = eol + 1;
      while (q < end && (*q == ' ' || *q == '\t')) {
        const char *e2 = memchr (q, '\n', end - q);
        if (e2 == NULL)
          e2 = end;
        g_string_append_len (v, q, e2 - q);
        q = e2 + 1;
      }
      for (gsize i = 0; i < v->len; i++)
        if (v->str[i] == '\r')
          v->str[i] = ' ';
      return g_strstrip (g_string_free (v, FALSE));
    }
    p = eol + 1;
  }
  return NULL;
}

/* The first mailbox of the From header of @data, or NULL. */
static char *
from_address (const char *data, gsize len)
{
  char *v = header_value (data, len, "From");
  if (v == NULL)
    return NULL;
  InternetAddressList *l = internet_address_list_parse (NULL, v);
  g_free (v);
  char *r = NULL;
  for (int i = 0; l && i < internet_address_list_length (l) && r == NULL; i++) {
    InternetAddress *ia = internet_address_list_get_address (l, i);
    if (INTERNET_ADDRESS_IS_MAILBOX (ia))
      r = g_strdup (internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (ia)));
  }
  if (l)
    g_object_unref (l);
  return r;
}

/* A file descriptor at offset 0 holding @data (memfd, else an unlinked temp file). */
static int
data_fd (const guint8 *data, gsize len, GError **error)
{
  int fd = -1;
#ifdef MFD_CLOEXEC
  fd = memfd_create ("unscatter-sendmail", MFD_CLOEXEC);
#endif
  if (fd < 0) {
    char *tmp = NULL;
    fd = g_file_open_tmp ("unscatter-sendmail-XXXXXX", &tmp, error);
    if (fd < 0)
      return -1;
    unlink (tmp);
    g_free (tmp);
  }
  gsize off = 0;
  while (off < len) {
    ssize_t n = write (fd, data + off, len - off);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      int e = errno;
      g_set_error (error, USC_ERROR, USC_ERROR_IO, "buffering the message: %s", g_strerror (e));
      close (fd);
      return -1;
    }
    off += n;
  }
  if (lseek (fd, 0, SEEK_SET) < 0) {
    int e = errno;
    g_set_error (error, USC_ERROR, USC_ERROR_IO, "buffering the message: %s", g_strerror (e));
    close (fd);
    return -1;
  }
  return fd;
}

static void
warn (const char *what, GError *error)
{
  fprintf (stderr, "unscatter: sendmail: warning: %s: %s\n", what, error ? error->message : "unknown error");
}

/* Sign the envelope sender in @args (a GPtrArray of owned char*, NULL-free). */
static void
sign_sender (CliContext *ctx, GPtrArray *args, const GByteArray *msg)
{
  GError *error = NULL;
  UscBatvKeys *keys = cli_context_keys (ctx, &error);
  if (keys == NULL || usc_batv_keys_count (keys) == 0) {
    if (error)
      warn ("BATV keys unusable, sender not signed", error);
    else
      fprintf (stderr, "unscatter: sendmail: warning: batv.sign is set but there are no BATV keys; sender not signed\n");
    g_clear_error (&error);
    return;
  }
  GPtrArray *rcpts = g_ptr_array_new ();
  SenderPos pos;
  scan_args ((char **) args->pdata, args->len, rcpts, &pos);
  g_ptr_array_free (rcpts, TRUE);

  char *addr;
  if (pos.arg >= 0)
    addr = g_strdup ((const char *) args->pdata[pos.arg] + pos.offset);
  else
    addr = from_address ((const char *) msg->data, msg->len);
  char *bare = addr ? usc_strip_angle (addr, TRUE) : NULL;
  g_free (addr);
  if (bare == NULL || strchr (bare, '@') == NULL || g_ascii_strncasecmp (bare, "prvs=", 5) == 0
      || strstr (bare, "+prvs=") != NULL) {
    g_free (bare); /* the null sender, no address, or already signed */
    return;
  }
  char *signed_addr = usc_batv_sign (keys, -1, bare, usc_now (), &error);
  g_free (bare);
  if (signed_addr == NULL) {
    warn ("could not sign the sender", error);
    g_clear_error (&error);
    return;
  }
  if (pos.arg >= 0) {
    char *old = args->pdata[pos.arg];
    args->pdata[pos.arg] = g_strdup_printf ("%.*s%s", (int) pos.offset, old, signed_addr);
    g_free (old);
  } else {
    g_ptr_array_insert (args, 0, g_strdup ("-f"));
    g_ptr_array_insert (args, 1, g_strdup (signed_addr));
  }
  g_free (signed_addr);
}


/* [sign] header: put X-Unscatter-Sig (usc-sign.h) at the top of @msg's
 * header, with a Message-ID and a Date first when the message has none (so
 * that the MTA adds none we did not sign: the ID from usc_sign_message_id,
 * in [sign] msgid_domain or the From address's domain). In the message's
 * own line ending. A failure is a warning: the mail goes out unsigned. */
static void
sign_header (CliContext *ctx, GByteArray *msg)
{
  GError *error = NULL;
  UscBatvKeys *keys = usc_context_sign_keys (ctx->usc, &error);
  if (keys == NULL || usc_batv_keys_count (keys) == 0) {
    if (error)
      warn ("signing keys unusable, X-Unscatter-Sig not added", error);
    else
      fprintf (stderr, "unscatter: sendmail: warning: sign.header is set but there are no keys; X-Unscatter-Sig not added\n");
    g_clear_error (&error);
    return;
  }
  const char *data = (const char *) msg->data;
  gsize len = msg->len;
  const char *nl = memchr (data, '\n', len);
  const char *eol = nl && nl > data && nl[-1] == '\r' ? "\r\n" : "\n";
  char *mid = header_value (data, len, "Message-ID");
  char *date = header_value (data, len, "Date");
  char *from = header_value (data, len, "From");
  char *to = header_value (data, len, "To");
  char *cc = header_value (data, len, "Cc");
  GString *add = g_string_new (NULL);
  if (mid == NULL || *mid == '\0') {
    g_free (mid);
    char *domain = NULL;
    if (ctx->config->msgid_domain)
      domain = g_strdup (ctx->config->msgid_domain);
    else {
      char *a = from_address (data, len);
      const char *at = a ? strrchr (a, '@') : NULL;
      domain = at && at[1] ? g_strdup (at + 1) : NULL;
      g_free (a);
    }
    mid = usc_sign_message_id (domain);
    g_free (domain);
    g_string_append_printf (add, "Message-ID: %s%s", mid, eol);
  }
  if (date == NULL || *date == '\0') {
    g_free (date);
    GDateTime *now = g_date_time_new_from_unix_local (usc_now ());
    date = g_mime_utils_header_format_date (now);
    g_date_time_unref (now);
    g_string_append_printf (add, "Date: %s%s", date, eol);
  }
  UscSignFields f = { mid, date, from, to, cc };
  char *value = usc_sign_value (keys, -1, &f, usc_now (), &error);
  if (value == NULL) {
    warn ("X-Unscatter-Sig not added", error);
    g_clear_error (&error);
  } else {
    GString *sig = g_string_new (NULL);
    g_string_append_printf (sig, "%s: %s%s", USC_SIGN_FIELD, value, eol);
    g_string_append_len (sig, add->str, add->len);
    g_byte_array_prepend (msg, (const guint8 *) sig->str, sig->len);
    g_string_free (sig, TRUE);
    g_free (value);
  }
  g_string_free (add, TRUE);
  g_free (mid);
  g_free (date);
  g_free (from);
  g_free (to);
  g_free (cc);
}

int
cmd_sendmail (int argc, char **argv)
{
  CliContext ctx = { 0 };
  /* Split: our options, then the sendmail ARGS. */
  int first = 1;
  while (first < argc) {
    gboolean takes;
    if (strcmp (argv[first], "--") == 0) {
      first++;
      break;
    }
    if (!is_own_option (argv[first], &takes))
      break;
    first += takes ? 2 : 1;
  }
  if (first > argc)
    first = argc;
  int own_argc = first;
  char **own_argv = g_new0 (char *, own_argc + 1);
  for (int i = 0; i < own_argc; i++)
    own_argv[i] = argv[i];
  if (own_argc > 1 && strcmp (own_argv[own_argc - 1], "--") == 0)
    own_argc--; /* GOption would keep it; it is ours */
  own_argv[own_argc] = NULL;

  GOptionContext *oc = g_option_context_new ("[--] [SENDMAIL-ARGS...] — record the message on stdin, then run the real sendmail");
  cli_add_common_options (oc, &ctx);
  GError *error = NULL;
  char **parse_argv = own_argv;
  int parse_argc = own_argc;
  if (!g_option_context_parse (oc, &parse_argc, &parse_argv, &error)) {
    cli_error ("sendmail", error);
    g_clear_error (&error);
    g_option_context_free (oc);
    g_free (own_argv);
    cli_context_clear (&ctx);
    return CLI_EX_USAGE;
  }
  g_option_context_free (oc);
  g_free (own_argv);

  GPtrArray *args = g_ptr_array_new_with_free_func (g_free);
  for (int i = first; i < argc; i++)
    g_ptr_array_add (args, g_strdup (argv[i]));

  /* -bs (SMTP on stdin), -bp, -bv, -q, -I ...: no message to record; stdin
   * belongs to sendmail untouched. */
  GPtrArray *rcpts = g_ptr_array_new ();
  SenderPos pos;
  scan_args ((char **) args->pdata, args->len, rcpts, &pos);
  if (pos.no_mail) {
    g_ptr_array_free (rcpts, TRUE);
    if (!cli_context_init (&ctx, &error)) {
      cli_error ("sendmail", error);
      g_clear_error (&error);
      g_ptr_array_free (args, TRUE);
      cli_context_clear (&ctx);
      return CLI_EX_TEMPFAIL;
    }
    char *path = g_strdup (ctx.config->sendmail);
    cli_context_clear (&ctx);
    g_ptr_array_insert (args, 0, g_strdup (path));
    g_ptr_array_add (args, NULL);
    execv (path, (char **) args->pdata);
    fprintf (stderr, "unscatter: sendmail: cannot run %s: %s\n", path, g_strerror (errno));
    g_free (path);
    g_ptr_array_free (args, TRUE);
    return CLI_EX_TEMPFAIL;
  }

  GBytes *raw = usc_read_all (0, 0, &error);
  if (raw == NULL) {
    g_prefix_error (&error, "reading the message: ");
    cli_error ("sendmail", error);
    g_clear_error (&error);
    g_ptr_array_free (args, TRUE);
    cli_context_clear (&ctx);
    return CLI_EX_TEMPFAIL;
  }
  /* sign_header prepends to it: an array (the bytes are not copied). */
  GByteArray *msg = g_bytes_unref_to_array (raw);

  if (!cli_context_init (&ctx, &error)) {
    /* The configuration names the real sendmail: without it we cannot know
     * which program to run, so nothing is sent and the client keeps it. */
    cli_error ("sendmail", error);
    fprintf (stderr, "unscatter: sendmail: the message was NOT sent\n");
    g_clear_error (&error);
    g_byte_array_free (msg, TRUE);
    g_ptr_array_free (args, TRUE);
    cli_context_clear (&ctx);
    return CLI_EX_TEMPFAIL;
  }
  const char *sendmail = ctx.config->sendmail;

  if (ctx.config->sign_header)
    sign_header (&ctx, msg);

  /* Record. */
  g_ptr_array_add (rcpts, NULL);
  UscRecord *record = cli_context_record (&ctx, TRUE, &error);
  UscSentCounts counts = { 0 };
  if (record == NULL
      || usc_sent_record_message (record, (const char *) msg->data, msg->len,
                             (const char *const *) rcpts->pdata, 0, &counts, &error) < 0) {
    warn ("the message was not recorded (it is sent anyway)", error);
    g_clear_error (&error);
  }
  g_ptr_array_free (rcpts, TRUE);

  if (ctx.config->batv_sign)
    sign_sender (&ctx, args, msg);

  char *path = g_strdup (sendmail);
  usc_context_close_record (ctx.usc); /* committed; nothing stays open across exec */

  int fd = data_fd (msg->data, msg->len, &error);
  g_byte_array_free (msg, TRUE);
  if (fd < 0) {
    cli_error ("sendmail", error);
    g_clear_error (&error);
    g_free (path);
    g_ptr_array_free (args, TRUE);
    cli_context_clear (&ctx);
    return CLI_EX_TEMPFAIL;
  }
  if (fd != 0) {
    if (dup2 (fd, 0) < 0) {
      fprintf (stderr, "unscatter: sendmail: %s\n", g_strerror (errno));
      return CLI_EX_TEMPFAIL;
    }
    close (fd);
  }
  g_ptr_array_insert (args, 0, g_strdup (path));
  g_ptr_array_add (args, NULL);
  fflush (stdout);
  fflush (stderr);
  execv (path, (char **) args->pdata);
  int e = errno;
  fprintf (stderr, "unscatter: sendmail: cannot run %s: %s (the message was NOT sent)\n", path, g_strerror (e));
  g_free (path);
  g_ptr_array_free (args, TRUE);
  cli_context_clear (&ctx);
  return CLI_EX_TEMPFAIL;
}
