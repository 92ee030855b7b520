/* usc-payload-rar.c — the members of a RAR archive, versions 4 and 5 (the
 * names from the file headers).
 */
#include "config.h"
#include "usc-payload-private.h"

#include <string.h>

/* A RAR 5 variable-length integer at *@pos (advanced); FALSE past @end. */
static gboolean
vint (const guint8 *d, gsize end, gsize *pos, guint64 *v)
{
  *v = 0;
  for (guint shift = 0; shift < 64 && *pos < end; shift += 7) {
    guint8 b = d[(*pos)++];
    *v |= (guint64) (b & 0x7f) << shift;
    if (!(b & 0x80))
      return TRUE;
  }
  return FALSE;
}

gboolean
usc_payload_list_rar (UscPayload *p, const guint8 *d, gsize len, GString *why)
{
  guint n = 0;
  if (len >= 8 && d[6] == 0x01 && d[7] == 0x00) {
    /* RAR 5 */
    gsize pos = 8;
    while (pos + 4 < len && n < MAX_ENTRIES) {
      gsize h = pos + 4;
      guint64 hsize, type, hflags, extra = 0, dsize = 0;
      if (!vint (d, len, &h, &hsize))
        break;
      gsize hstart = h;
      if (hsize > len - hstart)
        break;
      gsize hend = hstart + (gsize) hsize;
      if (!vint (d, hend, &h, &type) || !vint (d, hend, &h, &hflags))
        break;
      if ((hflags & 1) && !vint (d, hend, &h, &extra))
        break;
      if ((hflags & 2) && !vint (d, hend, &h, &dsize))
        break;
      if (type == 4) {
        g_string_append_printf (why, "%sa RAR archive with encrypted headers (members not listed)",
                                why->len ? "; " : "");
        break;
      }
      if (type == 5)
        break;
      if (type == 2) {
        guint64 fflags, usize, attr, comp, host, nlen;
        if (!vint (d, hend, &h, &fflags) || !vint (d, hend, &h, &usize) || !vint (d, hend, &h, &attr))
          break;
        if (fflags & 2)
          h += 4;
        if (fflags & 4)
          h += 4;
        if (h > hend || !vint (d, hend, &h, &comp) || !vint (d, hend, &h, &host) || !vint (d, hend, &h, &nlen)
            || nlen > hend - h)
          break;
        gboolean dir = fflags & 1;
        gsize data = hend;
        gboolean stored = ((comp >> 7) & 7) == 0;
        if (!dir)
          usc_payload_add_member (p, "a RAR archive", (const char *) d + h, (gsize) nlen, d + data,
                                  data < len ? MIN (len - data, MIN (dsize, (guint64) USC_MEMBER_HEAD)) : 0,
                                  stored && data < len, why);
        n++;
      }
      if (dsize > len - hend)
        break;
      pos = hend + (gsize) dsize;
    }
  } else {
    /* RAR 4: 7-byte blocks headers, file headers 0x74 */
    gsize pos = 7;
    while (pos + 7 <= len && n < MAX_ENTRIES) {
      guint8 type = d[pos + 2];
      guint16 flags = usc_le16 (d + pos + 3), size = usc_le16 (d + pos + 5);
      if (size < 7 || pos + size > len)
        break;
      guint64 add = 0;
      if ((flags & 0x8000) && size >= 11)
        add = usc_le32 (d + pos + 7);
      if (type == 0x73 && (flags & 0x80)) {
        g_string_append_printf (why, "%sa RAR archive with encrypted headers (members not listed)",
                                why->len ? "; " : "");
        break;
      }
      if (type == 0x7b)
        break;
      if (type == 0x74 && size >= 32) {
        gsize nlen = usc_le16 (d + pos + 26), noff = pos + 32 + ((flags & 0x100) ? 8 : 0);
        if (noff + nlen <= pos + size) {
          gboolean stored = d[pos + 25] == 0x30 && !(flags & 0x04);
          gsize data = pos + size;
          gsize n_name = nlen;
          const char *nm = (const char *) d + noff;
          if (flags & 0x200) {
            const char *z = memchr (nm, 0, nlen); /* a Unicode name follows the NUL */
            if (z)
              n_name = (gsize) (z - nm);
          }
          if ((flags & 0xe0) != 0xe0) /* not a directory */
            usc_payload_add_member (p, "a RAR archive", nm, n_name, d + data,
                                    data < len ? MIN (len - data, MIN (add, (guint64) USC_MEMBER_HEAD)) : 0,
                                    stored && data < len, why);
          n++;
        }
      }
      if (add > len - pos - size)
        break;
      pos += size + (gsize) add;
    }
  }
  return n > 0;
}
