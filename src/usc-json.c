/* usc-json.c — the `check --json` object (design.md "check --json") and the
 * small JSON string writer it needs (RFC 8259). Keys may be added, never renamed.
 */
#include "config.h"
#include "usc-json.h"

#include <string.h>

void
usc_json_append_string (GString *out, const char *s)
{
  if (s == NULL) {
    g_string_append (out, "null");
    return;
  }
  char *valid = NULL;
  if (!g_utf8_validate (s, -1, NULL))
    s = valid = g_utf8_make_valid (s, -1);
  g_string_append_c (out, '"');
  for (const unsigned char *p = (const unsigned char *) s; *p; p++) {
    /* a run of bytes that need no escape goes in at once */
    const unsigned char *q = p;
    while (*q >= 0x20 && *q != 0x7f && *q != '"' && *q != '\\' && *q != 0xc2 && *q != 0xe2)
      q++;
    if (q > p) {
      g_string_append_len (out, (const char *) p, q - p);
      p = q;
      if (*p == '\0')
        break;
    }
    switch (*p) {
    case '"':  g_string_append (out, "\\\""); break;
    case '\\': g_string_append (out, "\\\\"); break;
    case '\n': g_string_append (out, "\\n"); break;
    case '\r': g_string_append (out, "\\r"); break;
    case '\t': g_string_append (out, "\\t"); break;
    case 0xc2: /* U+0085 (NEL): valid JSON, but line-based readers split on it */
      if (p[1] == 0x85) {
        g_string_append (out, "\\u0085");
        p++;
      } else {
        g_string_append_c (out, *p);
      }
      break;
    case 0xe2: /* U+2028, U+2029: likewise */
      if (p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9)) {
        g_string_append (out, p[2] == 0xa8 ? "\\u2028" : "\\u2029");
        p += 2;
      } else {
        g_string_append_c (out, *p);
      }
      break;
    default:
      if (*p < 0x20 || *p == 0x7f)
        g_string_append_printf (out, "\\u%04x", *p);
      else
        g_string_append_c (out, *p);
    }
  }
  g_string_append_c (out, '"');
  g_free (valid);
}

static void
append_array (GString *out, const GPtrArray *arr)
{
  g_string_append_c (out, '[');
  for (guint i = 0; arr && i < arr->len; i++) {
    if (i)
      g_string_append (out, ", ");
    usc_json_append_string (out, g_ptr_array_index (arr, i));
  }
  g_string_append_c (out, ']');
}

static void
key (GString *out, const char *k)
{
  if (out->len > 1 && out->str[out->len - 1] != '{')
    g_string_append (out, ", ");
  usc_json_append_string (out, k);
  g_string_append (out, ": ");
}

/* payload.parts (issue 12 §1, added beside "executable" and "types"):
 * every part sniffed, [{declared_type, name, found_type, executable, why,
 * members: [{name, found_type, executable}] or null, members_total}]. */
static void
append_payload_parts (GString *o, const GPtrArray *parts)
{
  g_string_append_c (o, '[');
  for (guint i = 0; parts && i < parts->len; i++) {
    const UscPayload *p = parts->pdata[i];
    if (i)
      g_string_append (o, ", ");
    g_string_append (o, "{\"declared_type\": ");
    usc_json_append_string (o, p->declared_type);
    g_string_append (o, ", \"name\": ");
    usc_json_append_string (o, p->name);
    g_string_append (o, ", \"found_type\": ");
    usc_json_append_string (o, p->found_type);
    g_string_append_printf (o, ", \"executable\": %s, \"why\": ", p->executable ? "true" : "false");
    usc_json_append_string (o, p->why);
    g_string_append (o, ", \"members\": ");
    if (p->members == NULL) {
      g_string_append (o, "null");
    } else {
      g_string_append_c (o, '[');
      for (guint k = 0; k < p->members->len; k++) {
        const UscPayloadMember *m = p->members->pdata[k];
        g_string_append (o, k ? ", {\"name\": " : "{\"name\": ");
        usc_json_append_string (o, m->name);
        g_string_append (o, ", \"found_type\": ");
        usc_json_append_string (o, m->found_type);
        g_string_append_printf (o, ", \"executable\": %s}", m->executable ? "true" : "false");
      }
      g_string_append_c (o, ']');
    }
    g_string_append_printf (o, ", \"members_total\": %u}", p->members_total);
  }
  g_string_append_c (o, ']');
}

char *
usc_json_result (const char *file, const UscBounce *b, const UscVerdict *v)
{
  GString *o = g_string_new ("{");
  key (o, "file");
  usc_json_append_string (o, file);
  key (o, "verdict");
  usc_json_append_string (o, v ? usc_verdict_name (v->verdict)
                               : b->kind == USC_KIND_NOT_BOUNCE ? "not-bounce" : "unknown");
  key (o, "kind");
  usc_json_append_string (o, usc_kind_name (b->kind));
  key (o, "action");
  usc_json_append_string (o, v ? usc_action_name (v->action) : "deliver");

  key (o, "original");
  g_string_append_c (o, '{');
  key (o, "message_ids");
  append_array (o, b->message_ids);
  key (o, "id_sources");
  append_array (o, b->id_sources);
  key (o, "envelope_id");
  usc_json_append_string (o, b->envelope_id);
  key (o, "envelope_sender");
  usc_json_append_string (o, b->envelope_sender);
  key (o, "recipients");
  append_array (o, b->recipients);
  key (o, "status");
  append_array (o, b->status);
  key (o, "diagnostics");
  append_array (o, b->diagnostics);
  key (o, "subject");
  usc_json_append_string (o, b->subject);
  key (o, "date");
  usc_json_append_string (o, b->date);
  g_string_append_c (o, '}');

  key (o, "batv");
  if (v && v->batv_checked && v->batv.status != USC_BATV_NONE) {
    g_string_append_c (o, '{');
    key (o, "tag");
    usc_json_append_string (o, v->batv.tag);
    key (o, "valid");
    g_string_append (o, v->batv.status == USC_BATV_VALID ? "true" : "false");
    key (o, "reason");
    usc_json_append_string (o, usc_batv_status_reason (v->batv.status));
    g_string_append_c (o, '}');
  } else {
    g_string_append (o, "null");
  }

  key (o, "reporting_mta");
  usc_json_append_string (o, b->reporting_mta);
  key (o, "mta_family");
  usc_json_append_string (o, b->mta_family);
  key (o, "payload");
  g_string_append_c (o, '{');
  key (o, "executable");
  g_string_append (o, b->executable ? "true" : "false");
  key (o, "types");
  append_array (o, b->payload_types);
  key (o, "parts");
  append_payload_parts (o, b->payloads);
  g_string_append_c (o, '}');
  key (o, "reasons");
  append_array (o, v ? v->reasons : NULL);
  if (v && v->sign != USC_SIGN_NONE) {
    /* only when a signature was checked: the key is new (added, not renamed) */
    key (o, "signature");
    g_string_append_c (o, '{');
    key (o, "value");
    usc_json_append_string (o, b->signature.value);
    key (o, "valid");
    g_string_append (o, v->sign == USC_SIGN_VALID ? "true" : "false");
    key (o, "reason");
    usc_json_append_string (o, usc_sign_status_reason (v->sign));
    key (o, "source");
    usc_json_append_string (o, b->signature.source);
    g_string_append_c (o, '}');
  }
  if (b->truncated) {
    key (o, "truncated");
    g_string_append (o, "true");
  }
  g_string_append_c (o, '}');
  return g_string_free (o, FALSE);
}
