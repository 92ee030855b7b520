/* usc-payload-image.c — the files of a disk image: ISO 9660 (the root
 * directory of the primary volume descriptor) and FAT12/16 (the root
 * directory).
 */
#include "config.h"
#include "usc-payload-private.h"

#include <string.h>

gboolean
usc_payload_list_iso (UscPayload *p, const guint8 *d, gsize len, GString *why)
{
  if (len < 32768 + 2048 || d[32768] != 1)
    return FALSE;
  const guint8 *pvd = d + 32768; /* the primary volume descriptor (sector 16), "CD001" at +1 */
  gsize bs = usc_le16 (pvd + 128);
  if (bs != 2048 && bs != 512 && bs != 1024)
    return FALSE;
  const guint8 *root = pvd + 156;
  gsize ext = (gsize) usc_le32 (root + 2) * bs, size = usc_le32 (root + 10);
  if (ext >= len)
    return FALSE;
  size = MIN (size, len - ext);
  gsize pos = 0;
  guint n = 0;
  while (pos < size && n < MAX_ENTRIES) {
    const guint8 *r = d + ext + pos;
    guint rl = r[0];
    if (rl == 0) { /* records do not cross sectors */
      pos = (pos / bs + 1) * bs;
      continue;
    }
    if (rl < 34 || pos + rl > size)
      break;
    guint nl = r[32];
    if (33 + nl <= rl && !(nl == 1 && (r[33] == 0 || r[33] == 1))) {
      gsize k = nl;
      const char *semi = memchr (r + 33, ';', nl);
      if (semi)
        k = (gsize) (semi - (const char *) (r + 33));
      if (k > 0 && r[33 + k - 1] == '.')
        k--;
      gboolean dir = r[25] & 2;
      gsize fext = (gsize) usc_le32 (r + 2) * bs, fsize = usc_le32 (r + 10);
      gboolean readable = !dir && fext < len;
      if (dir) {
        char *dn = g_strdup_printf ("%.*s/", (int) k, (const char *) (r + 33));
        usc_payload_add_member (p, "an ISO 9660 disk image", dn, strlen (dn), NULL, 0, FALSE, why);
        g_free (dn);
      } else {
        usc_payload_add_member (p, "an ISO 9660 disk image", (const char *) (r + 33), k, readable ? d + fext : NULL,
                                readable ? MIN (MIN (fsize, (gsize) USC_MEMBER_HEAD), len - fext) : 0, readable, why);
      }
    }
    n++;
    pos += rl;
  }
  return n > 0;
}

gboolean
usc_payload_list_fat (UscPayload *p, const guint8 *d, gsize len, GString *why)
{
  gsize bps = usc_le16 (d + 11), spc = d[13], reserved = usc_le16 (d + 14), fats = d[16];
  gsize entries = usc_le16 (d + 17), spf = usc_le16 (d + 22);
  if (bps < 512 || bps > 4096 || spc == 0 || spf == 0 || entries == 0)
    return FALSE; /* FAT32 (spf 0) keeps its root in a cluster chain: not listed */
  gsize root = (reserved + fats * spf) * bps, data = root + ((entries * 32 + bps - 1) / bps) * bps;
  guint n = 0;
  for (gsize i = 0; i < entries && root + i * 32 + 32 <= len; i++) {
    const guint8 *e = d + root + i * 32;
    if (e[0] == 0)
      break;
    if (e[0] == 0xe5 || e[11] == 0x0f || (e[11] & 0x08))
      continue; /* deleted, long-name piece, volume label */
    char name[13];
    gsize k = 0;
    for (gsize j = 0; j < 8 && e[j] != ' '; j++)
      name[k++] = (char) e[j];
    if (e[8] != ' ') {
      name[k++] = '.';
      for (gsize j = 8; j < 11 && e[j] != ' '; j++)
        name[k++] = (char) e[j];
    }
    gsize cl = usc_le16 (e + 26), fsize = usc_le32 (e + 28);
    gsize off = cl >= 2 ? data + (cl - 2) * spc * bps : len;
    gboolean dir = e[11] & 0x10, readable = !dir && off < len;
    usc_payload_add_member (p, "a FAT disk image", name, k, readable ? d + off : NULL,
                            readable ? MIN (MIN (fsize, (gsize) USC_MEMBER_HEAD), len - off) : 0, readable, why);
    n++;
  }
  return n > 0;
}
