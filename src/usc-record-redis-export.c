/* usc-record-redis-export.c — `record --export` of the Redis record (every
 * live bucket's shards read whole, in the SQLite export's order; refused
 * when a bucket was split meanwhile) and the since an import sets.
 */
#include "config.h"
#include "usc-record-redis-private.h"

#include <string.h>

/* One shard's fields, read whole (HSCAN may return a field twice): the
 * entries and their continuation fields (the id and a byte 1, 2, ...). */
static int
read_shard (RedisBe *s, const char *key, GHashTable *fields, GError **error)
{
  char *cursor = g_strdup ("0");
  int ret = 0;
  do {
    Cmd c;
    usc_rr_cmd_init (&c);
    usc_rr_cmd_add (&c, "HSCAN");
    usc_rr_cmd_add (&c, key);
    usc_rr_cmd_add (&c, cursor);
    usc_rr_cmd_add (&c, "COUNT");
    usc_rr_cmd_add (&c, "1000");
    UscRedisReply *rep = usc_rr_cmd_run (s, &c, "export", error);
    usc_rr_cmd_clear (&c);
    if (rep == NULL) {
      ret = -1;
      break;
    }
    const UscRedisReply *items = usc_redis_reply_element (rep, 1);
    gsize clen = 0;
    const char *cs = usc_redis_reply_string (usc_redis_reply_element (rep, 0), &clen);
    if (cs == NULL || !usc_redis_reply_is_array (items)) {
      g_set_error (error, USC_ERROR, USC_ERROR_IO, "Redis %s: export: an unexpected HSCAN reply",
                   usc_redis_name (s->r));
      usc_redis_reply_free (&rep);
      ret = -1;
      break;
    }
    g_free (cursor);
    cursor = g_strndup (cs, clen);
    gsize n = usc_redis_reply_n_elements (items);
    for (gsize i = 0; i + 1 < n; i += 2) {
      gsize flen = 0, vlen = 0;
      const char *f = usc_redis_reply_string (usc_redis_reply_element (items, i), &flen);
      const char *v = usc_redis_reply_string (usc_redis_reply_element (items, i + 1), &vlen);
      if (f && v && (flen == 8 || flen == 9))
        g_hash_table_replace (fields, g_bytes_new (f, flen), g_bytes_new (v, vlen));
    }
    usc_redis_reply_free (&rep);
  } while (strcmp (cursor, "0") != 0);
  g_free (cursor);
  return ret;
}

typedef struct {
  gint64 id, date, recorded;
  guint  first, n;    /* the recipient keys: keys[first .. first + n - 1] */
} ExportEntry;

static gint
cmp_i64 (const void *a, const void *b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

static gint
cmp_export (gconstpointer a, gconstpointer b)
{
  return cmp_i64 (&((const ExportEntry *) a)->id, &((const ExportEntry *) b)->id);
}

int
usc_rr_foreach (gpointer be, UscRecordEntryFunc fn, gpointer user_data, GError **error)
{
  RedisBe *s = be;
  if (usc_rr_ensure_loaded (s, error) < 0)
    return -1;
  gint64 now = usc_now (), b0, b1;
  live_buckets (s, now, &b0, &b1);
  gint64 cut = cutoff (s, now);
  GArray *seen = g_array_new (FALSE, FALSE, sizeof (guint32));
  for (gint64 b = b0; b <= b1; b++) {
    guint32 n = shards_of (s, b);
    g_array_append_val (seen, n);
  }
  GArray *keys = g_array_new (FALSE, FALSE, sizeof (gint64));
  GHashTable *fields = g_hash_table_new_full (g_bytes_hash, g_bytes_equal, (GDestroyNotify) g_bytes_unref,
                                              (GDestroyNotify) g_bytes_unref);
  GArray *entries = g_array_new (FALSE, FALSE, sizeof (ExportEntry));
  int ret = 0;
  gboolean go = TRUE;
  for (gint64 b = b0; go && ret == 0 && b <= b1; b++) {
    for (guint j = 0; go && ret == 0 && j < g_array_index (seen, guint32, b - b0); j++) {
      char *key = g_strdup_printf ("%sm:%" G_GINT64_FORMAT ":%u", s->prefix, b, j);
      g_hash_table_remove_all (fields);
      ret = read_shard (s, key, fields, error);
      g_free (key);
      if (ret < 0)
        break;
      GHashTableIter it;
      gpointer k, v;
      g_hash_table_iter_init (&it, fields);
      while (g_hash_table_iter_next (&it, &k, &v)) {
        gsize vlen;
        const guint8 *val = g_bytes_get_data (v, &vlen);
        if (g_bytes_get_size (k) != 8 || vlen < 12 || (vlen - 12) % 8)
          continue;
        ExportEntry x = { .id = (gint64) get_be64 (g_bytes_get_data (k, NULL)), .date = (gint64) get_be64 (val),
                          .recorded = (gint64) (((guint32) val[8] << 24) | ((guint32) val[9] << 16)
                                                | ((guint32) val[10] << 8) | val[11]),
                          .first = keys->len };
        if (x.recorded < cut)
          continue;
        for (gsize q = 12; q < vlen; q += 8) {
          gint64 key8 = (gint64) get_be64 (val + q);
          g_array_append_val (keys, key8);
        }
        guint8 cf[9];
        memcpy (cf, g_bytes_get_data (k, NULL), 8);
        for (guint c = 1; c < 256; c++) {
          cf[8] = (guint8) c;
          GBytes *ck = g_bytes_new_static (cf, 9);
          GBytes *cv = g_hash_table_lookup (fields, ck);
          g_bytes_unref (ck);
          if (cv == NULL)
            break;
          gsize clen;
          const guint8 *cd = g_bytes_get_data (cv, &clen);
          for (gsize q = 0; q + 8 <= clen; q += 8) {
            gint64 key8 = (gint64) get_be64 (cd + q);
            g_array_append_val (keys, key8);
          }
        }
        x.n = keys->len - x.first;
        g_array_append_val (entries, x);
      }
    }
  }
  /* In the SQLite export's order: by id, each entry's recipient keys
   * sorted (both as signed 64-bit numbers), so that the two backends'
   * exports of one record are the same text. */
  g_array_sort (entries, cmp_export);
  for (guint i = 0; go && ret == 0 && i < entries->len; i++) {
    ExportEntry *x = &g_array_index (entries, ExportEntry, i);
    gint64 *kp = &g_array_index (keys, gint64, x->first);
    qsort (kp, x->n, sizeof *kp, cmp_i64);
    go = fn (x->id, x->date, x->recorded, x->n ? kp : NULL, x->n, user_data);
  }
  g_array_free (entries, TRUE);
  g_hash_table_destroy (fields);
  g_array_free (keys, TRUE);
  /* A bucket split meanwhile moved entries to shards not read: refuse the
   * export rather than give one that misses them. */
  if (ret == 0 && go) {
    if (usc_rr_load_meta (s, FALSE, error) < 0) {
      ret = -1;
    } else {
      for (gint64 b = b0; ret == 0 && b <= b1; b++)
        if (shards_of (s, b) != g_array_index (seen, guint32, b - b0)) {
          g_set_error (error, USC_ERROR, USC_ERROR_TEMPFAIL,
                       "Redis %s: export: the record changed meanwhile (a bucket was split by another host); run it again",
                       usc_redis_name (s->r));
          ret = -1;
        }
    }
  }
  g_array_free (seen, TRUE);
  return ret;
}

int
usc_rr_set_since (gpointer be, gint64 since, GError **error)
{
  RedisBe *s = be;
  Cmd c;
  usc_rr_cmd_init (&c);
  usc_rr_cmd_add (&c, "HSET");
  usc_rr_cmd_add_key (&c, s, "meta", G_MININT64);
  usc_rr_cmd_add (&c, "since");
  usc_rr_cmd_add_int (&c, since);
  UscRedisReply *rep = usc_rr_cmd_run (s, &c, "import", error);
  usc_rr_cmd_clear (&c);
  if (rep == NULL)
    return -1;
  s->loaded = FALSE;
  return usc_rr_int_reply (s, rep, "import", error) < 0 ? -1 : 0;
}
