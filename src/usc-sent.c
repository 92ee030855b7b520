/* usc-sent.c — recording one sent message: its header block (RFC 5322
 * section 2.2: it ends at the first empty line) gives Message-ID (3.6.4),
 * Date (3.6.1), To/Cc/Bcc (3.6.3) and Resent-To/Cc/Bcc (3.6.6); addresses are
 * parsed by GMime. A message without a Message-ID is recorded under a
 * fingerprint of its Date, From, Subject and recipients, so that importing it
 * twice adds it once. Shared by `record`, `sendmail` and every other way a
 * sent message reaches the record (Sieve's unscatter_record, the Sent folder).
 */
#include "config.h"
#include "usc-sent.h"
#include "usc-common.h"
#include "usc-message.h"

#include <gmime/gmime.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

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

gsize
usc_sent_header_length (const char *data, gsize len)
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
usc_sent_record_message (UscRecord *record, const char *data, gsize len, const char *const *extra,
                         gint64 min_date, UscSentCounts *counts, GError **error)
{
  gsize hlen = usc_sent_header_length (data, len);
  /* One unfolded field per element, LF-only. */
  char *fields[G_N_ELEMENTS (record_fields)] = { NULL };
  GPtrArray *rcpts = g_ptr_array_new_with_free_func (g_free);
  GString *cur = g_string_new (NULL);
  guint n_fields = 0;
  gboolean bad = FALSE;
  const char *p = data + usc_mbox_from_end (data, hlen), *end = data + hlen;

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
usc_sent_summary (const UscSentCounts *c, guint since_days)
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

GByteArray *
usc_sent_read_header (int fd, gsize max, GError **error)
{
  GByteArray *buf = g_byte_array_sized_new (8192);
  gsize scanned = 0;
  for (;;) {
    guint old = buf->len;
    g_byte_array_set_size (buf, old + 8192);
    ssize_t n = read (fd, buf->data + old, 8192);
    if (n < 0 && errno == EINTR) {
      g_byte_array_set_size (buf, old);
      continue;
    }
    if (n < 0) {
      int e = errno;
      g_set_error_literal (error, USC_ERROR, USC_ERROR_IO, g_strerror (e));
      g_byte_array_unref (buf);
      return NULL;
    }
    g_byte_array_set_size (buf, old + n);
    if (n == 0 || buf->len >= max)
      break;
    /* Look for the empty line in what is new (and the 3 bytes before). */
    gsize from = scanned > 3 ? scanned - 3 : 0;
    if (usc_sent_header_length ((const char *) buf->data + from, buf->len - from) < buf->len - from)
      break;
    scanned = buf->len;
  }
  return buf;
}
