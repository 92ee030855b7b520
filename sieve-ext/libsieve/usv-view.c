/* usv-view.c — what the Sieve script sees of the message (see usv-view.h).
 * Header values are GMime's decoded ones (RFC 2047 words decoded, folding
 * removed), as RFC 5228 section 5.7 asks of the `header` test; libsieve's
 * own header parser is never used (it breaks on a leading mbox "From "
 * line, and it would be one more parser of hostile input).
 */
#include "config.h"
#include "usv-view.h"

#include <string.h>

struct _UsvView {
  GHashTable *fields;     /* lower-case name -> GPtrArray of char*, NULL-terminated */
  char       *sender;
  char       *recipient;
  gsize       size;
};

static void
add_field (UsvView *v, const char *name, const char *value)
{
  char *key = g_ascii_strdown (name, -1);
  GPtrArray *values = g_hash_table_lookup (v->fields, key);
  if (values == NULL) {
    values = g_ptr_array_new_with_free_func (g_free);
    g_ptr_array_add (values, NULL);
    g_hash_table_insert (v->fields, key, values);
  } else {
    g_free (key);
  }
  /* Keep the terminating NULL last. */
  values->pdata[values->len - 1] = g_strdup (value ? value : "");
  g_ptr_array_add (values, NULL);
}

static void
add_address_field (UsvView *v, const char *name, const char *addr)
{
  if (addr == NULL)
    return;
  char *value = g_strdup_printf ("<%s>", addr);
  add_field (v, name, value);
  g_free (value);
}

UsvView *
usv_view_new (GMimeMessage *mime, const UscResult *r, gsize size)
{
  UsvView *v = g_new0 (UsvView, 1);
  v->fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                     (GDestroyNotify) g_ptr_array_unref);
  v->size = size;
  if (r && r->verdict) {
    add_field (v, "X-Unscatter-Verdict", usc_verdict_name (r->verdict->verdict));
    add_field (v, "X-Unscatter-Kind",
               usc_kind_name (r->bounce ? r->bounce->kind : USC_KIND_NOT_BOUNCE));
    GString *reasons = g_string_new (NULL);
    for (guint i = 0; r->verdict->reasons && i < r->verdict->reasons->len; i++)
      g_string_append_printf (reasons, "%s%s", i ? "; " : "",
                              (const char *) r->verdict->reasons->pdata[i]);
    add_field (v, "X-Unscatter-Reason", reasons->str);
    g_string_free (reasons, TRUE);
  }
  if (r) {
    v->sender = g_strdup (r->envelope.sender);
    v->recipient = g_strdup (r->envelope.recipient);
    add_address_field (v, "X-Unscatter-Envelope-From", v->sender);
    add_address_field (v, "X-Unscatter-Envelope-To", v->recipient);
  }
  if (mime) {
    GMimeHeaderList *list = g_mime_object_get_header_list (GMIME_OBJECT (mime));
    int n = list ? g_mime_header_list_get_count (list) : 0;
    for (int i = 0; i < n; i++) {
      GMimeHeader *h = g_mime_header_list_get_header_at (list, i);
      const char *name = g_mime_header_get_name (h);
      if (name == NULL || g_ascii_strncasecmp (name, "X-Unscatter-", 12) == 0)
        continue;
      add_field (v, name, g_mime_header_get_value (h));
    }
  }
  return v;
}

void
usv_view_free (UsvView **view)
{
  if (view == NULL || *view == NULL)
    return;
  UsvView *v = *view;
  g_hash_table_unref (v->fields);
  g_free (v->sender);
  g_free (v->recipient);
  g_free (v);
  *view = NULL;
}

char **
usv_view_header (const UsvView *v, const char *name)
{
  if (name == NULL)
    return NULL;
  char *key = g_ascii_strdown (name, -1);
  GPtrArray *values = g_hash_table_lookup (v->fields, key);
  g_free (key);
  return values ? (char **) values->pdata : NULL;
}

const char *
usv_view_sender (const UsvView *v)
{
  return v->sender;
}

const char *
usv_view_recipient (const UsvView *v)
{
  return v->recipient;
}

gsize
usv_view_size (const UsvView *v)
{
  return v->size;
}
