/* usc-header-block.c — a header copy read as GMime reads a message's fields,
 * without the GMimeMessage: the fields split where GMime's parser splits
 * them (only blocks of plain fields are taken; anything else is GMime's to
 * parse), each value decoded by GMime's own functions when a reader first
 * asks for it. A GMimeMessage of a few fields costs ~0.2 M instructions to
 * build and free (its six address lists, a header object a field, the
 * empty body part); a block costs its split.
 *
 * What GMime 3 does with a parsed field, and so what is done here: the raw
 * value is everything after the colon up to and with the field's last
 * newline, continuation lines included; Content-* fields go to the body
 * part, not the message; g_mime_object_get_header() answers the first field
 * of a name (any case), its value unfolded (g_mime_utils_header_unfold) and
 * RFC 2047-decoded (g_mime_utils_header_decode_text); the message's
 * Message-ID and Subject are the last such field's; its address lists hold
 * the addresses of every field of the name, each raw value parsed by
 * internet_address_list_parse(). tests/test-message.c compares every reader
 * with a GMime parse of the same blocks.
 */
#include "config.h"
#include "usc-header-block.h"
#include "usc-header.h"

#include <string.h>

typedef struct {
  const char *name;
  gsize name_len;
  const char *raw; /* after the colon, through the field's last newline */
  gsize raw_len;
  char *value;     /* unfolded and decoded, once asked for */
} Field;

#define N_ADDR 6 /* GMIME_ADDRESS_TYPE_SENDER .. _BCC */

struct UscHeaderBlock {
  GBytes *backing;
  GArray *fields; /* Field */
  char *message_id;
  char *subject;
  gboolean have_message_id, have_subject;
  InternetAddressList *addr[N_ADDR];
};

/* GMime's names of the address fields, by GMimeAddressType. */
static const char *const addr_names[N_ADDR] = { "Sender", "From", "Reply-To", "To", "Cc", "Bcc" };

UscHeaderBlock *
usc_header_block_new (const char *text, gsize len, GBytes *backing, UscFieldKeep keep)
{
  GArray *fields = g_array_sized_new (FALSE, FALSE, sizeof (Field), 8);
  gsize p = 0;
  gboolean first = TRUE, keeping = FALSE;
  while (p < len) {
    const char *nl = memchr (text + p, '\n', len - p);
    gsize e = nl ? (gsize) (nl - text) : len;
    gsize next = nl ? e + 1 : len;
    if (e == p)
      break; /* the blank line */
    if (memchr (text + p, '\0', e - p) != NULL)
      goto not_plain;
    if (text[p] == ' ' || text[p] == '\t') {
      gsize q = p;
      while (q < e && (text[q] == ' ' || text[q] == '\t'))
        q++;
      if (first || q == e)
        goto not_plain;
      if (keeping)
        g_array_index (fields, Field, fields->len - 1).raw_len = next - (gsize) (g_array_index (fields, Field, fields->len - 1).raw - text);
    } else {
      gsize q = p;
      while (q < e && (g_ascii_isalnum (text[q]) || text[q] == '-' || text[q] == '_'))
        q++;
      if (q == p || q == e || text[q] != ':')
        goto not_plain;
      keeping = first || keep (text + p, q - p);
      first = FALSE;
      /* a Content-* field is the body part's, not the message's */
      if (keeping && q - p >= 8 && g_ascii_strncasecmp (text + p, "Content-", 8) == 0)
        keeping = FALSE;
      if (keeping) {
        Field f = { text + p, q - p, text + q + 1, next - (q + 1), NULL };
        g_array_append_val (fields, f);
      }
    }
    p = next;
  }
  if (first)
    goto not_plain; /* no field at all */
  UscHeaderBlock *b = g_new0 (UscHeaderBlock, 1);
  b->backing = g_bytes_ref (backing);
  b->fields = fields;
  return b;
not_plain:
  g_array_unref (fields);
  return NULL;
}

void
usc_header_block_free (UscHeaderBlock *b)
{
  if (b == NULL)
    return;
  for (guint i = 0; i < b->fields->len; i++)
    g_free (g_array_index (b->fields, Field, i).value);
  g_array_unref (b->fields);
  for (guint i = 0; i < N_ADDR; i++)
    if (b->addr[i])
      g_object_unref (b->addr[i]);
  g_free (b->message_id);
  g_free (b->subject);
  g_bytes_unref (b->backing);
  g_free (b);
}

guint
usc_header_block_count (const UscHeaderBlock *b)
{
  return b->fields->len;
}

static gboolean
named (const Field *f, const char *name, gsize n)
{
  return f->name_len == n && g_ascii_strncasecmp (f->name, name, n) == 0;
}

/* A raw value GMime's decoding leaves as it is once unfolded (as in
 * usc-header.c): printable ASCII and white space, no "=?". */
static gboolean
plain_raw (const char *r, gsize n)
{
  for (gsize i = 0; i < n; i++) {
    guchar c = (guchar) r[i];
    if (!((c >= 0x20 && c < 0x7f) || c == '\t' || c == '\n' || c == '\r') || (c == '=' && i + 1 < n && r[i + 1] == '?'))
      return FALSE;
  }
  return TRUE;
}

/* g_mime_header_get_value() of @f. */
static const char *
field_value (Field *f)
{
  if (f->value == NULL) {
    char *raw = g_strndup (f->raw, f->raw_len);
    char *unfolded = g_mime_utils_header_unfold (raw);
    g_free (raw);
    if (plain_raw (f->raw, f->raw_len)) {
      f->value = unfolded;
    } else {
      f->value = g_mime_utils_header_decode_text (NULL, unfolded);
      g_free (unfolded);
    }
  }
  return f->value;
}

static Field *
first_field (UscHeaderBlock *b, const char *name)
{
  gsize n = strlen (name);
  for (guint i = 0; i < b->fields->len; i++)
    if (named (&g_array_index (b->fields, Field, i), name, n))
      return &g_array_index (b->fields, Field, i);
  return NULL;
}

static Field *
last_field (UscHeaderBlock *b, const char *name)
{
  gsize n = strlen (name);
  for (guint i = b->fields->len; i > 0; i--)
    if (named (&g_array_index (b->fields, Field, i - 1), name, n))
      return &g_array_index (b->fields, Field, i - 1);
  return NULL;
}

UscCopy *
usc_copy_new_message (GMimeMessage *m)
{
  UscCopy *c = g_new0 (UscCopy, 1);
  c->message = m;
  return c;
}

UscCopy *
usc_copy_new_block (UscHeaderBlock *b)
{
  UscCopy *c = g_new0 (UscCopy, 1);
  c->block = b;
  return c;
}

void
usc_copy_free (gpointer p)
{
  UscCopy *c = p;
  if (c == NULL)
    return;
  if (c->message)
    g_object_unref (c->message);
  usc_header_block_free (c->block);
  g_free (c);
}

const char *
usc_copy_header (UscCopy *c, const char *name)
{
  if (c->message) {
    GMimeHeaderList *hl = g_mime_object_get_header_list (GMIME_OBJECT (c->message));
    return hl ? usc_header_value (g_mime_header_list_get_header (hl, name)) : NULL;
  }
  Field *f = first_field (c->block, name);
  return f ? field_value (f) : NULL;
}

const char *
usc_copy_message_id (UscCopy *c)
{
  if (c->message)
    return g_mime_message_get_message_id (c->message);
  UscHeaderBlock *b = c->block;
  if (!b->have_message_id) {
    b->have_message_id = TRUE;
    Field *f = last_field (b, "Message-Id");
    b->message_id = f ? g_mime_utils_decode_message_id (field_value (f)) : NULL;
  }
  return b->message_id;
}

const char *
usc_copy_subject (UscCopy *c)
{
  if (c->message)
    return g_mime_message_get_subject (c->message);
  UscHeaderBlock *b = c->block;
  if (!b->have_subject) {
    b->have_subject = TRUE;
    Field *f = last_field (b, "Subject");
    b->subject = f ? g_strdup (field_value (f)) : NULL;
  }
  return b->subject;
}

InternetAddressList *
usc_copy_addresses (UscCopy *c, GMimeAddressType type)
{
  if (c->message)
    return g_mime_message_get_addresses (c->message, type);
  UscHeaderBlock *b = c->block;
  if ((guint) type >= N_ADDR)
    return NULL;
  if (b->addr[type] == NULL) {
    InternetAddressList *all = internet_address_list_new ();
    gsize n = strlen (addr_names[type]);
    for (guint i = 0; i < b->fields->len; i++) {
      Field *f = &g_array_index (b->fields, Field, i);
      if (!named (f, addr_names[type], n))
        continue;
      char *raw = g_strndup (f->raw, f->raw_len);
      InternetAddressList *l = internet_address_list_parse (NULL, raw);
      g_free (raw);
      if (l) {
        internet_address_list_append (all, l);
        g_object_unref (l);
      }
    }
    b->addr[type] = all;
  }
  return b->addr[type];
}
