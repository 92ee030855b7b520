/* usc-record-redis-dlog.c — the Redis record's decision log (P dlog, a
 * stream): a row added (XADD, capped by MAXLEN), the rows of a window read
 * in order (`unscatter report`), the old rows deleted (`expire`).
 */
#include "config.h"
#include "usc-record-redis-private.h"

#include <string.h>

static const char *const DLOG_FIELDS[] = { "mta", "rh", "ri", "fam", "fs", "rc", "p", "r" };

static const char **
dlog_values (const UscDecision *d, const char **v)
{
  v[0] = d->reporting_mta;
  v[1] = d->relay_host;
  v[2] = d->relay_ip;
  v[3] = d->mta_family;
  v[4] = d->forged_sender;
  v[5] = d->recipient;
  v[6] = d->payload;
  v[7] = d->reason;
  return v;
}

int
usc_rr_add_decision (gpointer be, const UscDecision *d, guint max_rows, GError **error)
{
  RedisBe *s = be;
  Cmd c;
  usc_rr_cmd_init (&c);
  usc_rr_cmd_add (&c, "XADD");
  usc_rr_cmd_add_key (&c, s, "dlog", G_MININT64);
  if (max_rows > 0) {
    usc_rr_cmd_add (&c, "MAXLEN");
    usc_rr_cmd_add_int (&c, max_rows);
  }
  usc_rr_cmd_add (&c, "*");
  usc_rr_cmd_add (&c, "t");
  usc_rr_cmd_add_int (&c, d->time);
  usc_rr_cmd_add (&c, "v");
  usc_rr_cmd_add (&c, d->verdict ? d->verdict : "?");
  usc_rr_cmd_add (&c, "k");
  usc_rr_cmd_add (&c, d->kind ? d->kind : "?");
  const char *v[G_N_ELEMENTS (DLOG_FIELDS)];
  dlog_values (d, v);
  for (gsize i = 0; i < G_N_ELEMENTS (DLOG_FIELDS); i++)
    if (v[i]) {
      usc_rr_cmd_add (&c, DLOG_FIELDS[i]);
      usc_rr_cmd_add (&c, v[i]);
    }
  UscRedisReply *rep = usc_rr_cmd_run (s, &c, "log decision", error);
  usc_rr_cmd_clear (&c);
  if (rep == NULL)
    return -1;
  usc_redis_reply_free (&rep);
  return 0;
}

typedef struct {
  gint64  time;
  guint64 seq;
  char   *f[10];  /* verdict, kind, then DLOG_FIELDS */
} DlogRow;

static gint
cmp_dlog (gconstpointer a, gconstpointer b)
{
  const DlogRow *x = *(DlogRow *const *) a, *y = *(DlogRow *const *) b;
  if (x->time != y->time)
    return x->time < y->time ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void
dlog_row_free (gpointer p)
{
  DlogRow *r = p;
  for (gsize i = 0; i < G_N_ELEMENTS (r->f); i++)
    g_free (r->f[i]);
  g_free (r);
}

/* The stream read in pages of 1000 (XRANGE), rows in [since, until) sorted
 * by their time, then in the order added. */
int
usc_rr_decisions (gpointer be, gint64 since, gint64 until, UscDecisionFunc fn, gpointer user_data,
                  GError **error)
{
  RedisBe *s = be;
  GPtrArray *rows = g_ptr_array_new_with_free_func (dlog_row_free);
  char *start = g_strdup ("-");
  guint64 seq = 0;
  int ret = 0;
  for (;;) {
    Cmd c;
    usc_rr_cmd_init (&c);
    usc_rr_cmd_add (&c, "XRANGE");
    usc_rr_cmd_add_key (&c, s, "dlog", G_MININT64);
    usc_rr_cmd_add (&c, start);
    usc_rr_cmd_add (&c, "+");
    usc_rr_cmd_add (&c, "COUNT");
    usc_rr_cmd_add (&c, "1000");
    UscRedisReply *rep = usc_rr_cmd_run (s, &c, "read decision log", error);
    usc_rr_cmd_clear (&c);
    if (rep == NULL) {
      ret = -1;
      break;
    }
    gsize n = usc_redis_reply_n_elements (rep);
    for (gsize i = 0; i < n; i++) {
      const UscRedisReply *e = usc_redis_reply_element (rep, i);
      gsize idlen = 0;
      const char *id = usc_redis_reply_string (usc_redis_reply_element (e, 0), &idlen);
      const UscRedisReply *kv = usc_redis_reply_element (e, 1);
      if (id == NULL || kv == NULL)
        continue;
      if (i == n - 1) {
        g_free (start);
        start = g_strdup_printf ("(%.*s", (int) idlen, id);
      }
      DlogRow *row = g_new0 (DlogRow, 1);
      row->seq = seq++;
      gboolean have_time = FALSE;
      for (gsize j = 0; j + 1 < usc_redis_reply_n_elements (kv); j += 2) {
        gsize flen = 0, vlen = 0;
        const char *f = usc_redis_reply_string (usc_redis_reply_element (kv, j), &flen);
        const char *v = usc_redis_reply_string (usc_redis_reply_element (kv, j + 1), &vlen);
        if (f == NULL || v == NULL)
          continue;
        char *fs = g_strndup (f, flen);
        if (strcmp (fs, "t") == 0) {
          have_time = usc_redis_reply_integer (usc_redis_reply_element (kv, j + 1), &row->time);
        } else if (strcmp (fs, "v") == 0 || strcmp (fs, "k") == 0) {
          g_free (row->f[fs[0] == 'v' ? 0 : 1]);
          row->f[fs[0] == 'v' ? 0 : 1] = g_strndup (v, vlen);
        } else {
          for (gsize k = 0; k < G_N_ELEMENTS (DLOG_FIELDS); k++)
            if (strcmp (fs, DLOG_FIELDS[k]) == 0) {
              g_free (row->f[2 + k]);
              row->f[2 + k] = g_strndup (v, vlen);
            }
        }
        g_free (fs);
      }
      if (have_time && row->time >= since && row->time < until)
        g_ptr_array_add (rows, row);
      else
        dlog_row_free (row);
    }
    usc_redis_reply_free (&rep);
    if (n < 1000)
      break;
  }
  g_free (start);
  if (ret == 0) {
    g_ptr_array_sort (rows, cmp_dlog);
    for (guint i = 0; i < rows->len; i++) {
      DlogRow *r = rows->pdata[i];
      UscDecision d = {
        .time = r->time, .verdict = r->f[0], .kind = r->f[1], .reporting_mta = r->f[2],
        .relay_host = r->f[3], .relay_ip = r->f[4], .mta_family = r->f[5], .forged_sender = r->f[6],
        .recipient = r->f[7], .payload = r->f[8], .reason = r->f[9],
      };
      fn (&d, user_data);
    }
  }
  g_ptr_array_free (rows, TRUE);
  return ret;
}

/* KEYS: the stream. ARGV: before. Deletes the rows whose own time (field
 * t) is before @before; returns how many. */
static const char SCRIPT_DLOG_EXPIRE[] =
  "local before, n, start = tonumber(ARGV[1]), 0, '-'\n"
  "while true do\n"
  "  local page = redis.call('XRANGE', KEYS[1], start, '+', 'COUNT', 1000)\n"
  "  for _, e in ipairs(page) do\n"
  "    local f = e[2]\n"
  "    for i = 1, #f, 2 do\n"
  "      if f[i] == 't' then\n"
  "        if tonumber(f[i + 1]) < before then redis.call('XDEL', KEYS[1], e[1]); n = n + 1 end\n"
  "        break\n"
  "      end\n"
  "    end\n"
  "  end\n"
  "  if #page < 1000 then break end\n"
  "  start = '(' .. page[#page][1]\n"
  "end\n"
  "return n\n";

/* The log's rows decided before @before. */
int
usc_rr_dlog_expire (RedisBe *s, gint64 before, GError **error)
{
  Cmd c;
  usc_rr_cmd_init (&c);
  usc_rr_cmd_eval (&c, SCRIPT_DLOG_EXPIRE);
  usc_rr_cmd_add (&c, "1");
  usc_rr_cmd_add_key (&c, s, "dlog", G_MININT64);
  usc_rr_cmd_add_int (&c, before);
  UscRedisReply *rep = usc_rr_cmd_run (s, &c, "expire decision log", error);
  usc_rr_cmd_clear (&c);
  if (rep == NULL)
    return -1;
  usc_redis_reply_free (&rep);
  return 0;
}
