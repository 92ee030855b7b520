/* usc-payload-private.h — what the files of the payload sniffer share (not
 * API): usc-payload.c (parts, results), usc-payload-scan.c (the cheap table,
 * a part's bytes), usc-payload-text.c (scripts, HTML, a message),
 * usc-payload-doc.c (PDF, OLE), usc-payload-archive.c (members, cab,
 * gzip/tar), usc-payload-zip.c, usc-payload-rar.c and usc-payload-image.c
 * (ISO 9660, FAT images). */
#ifndef USC_PAYLOAD_PRIVATE_H
#define USC_PAYLOAD_PRIVATE_H

#include "usc-payload.h"

G_BEGIN_DECLS

/* Bytes of an archive member that are decoded and looked at. */
#define USC_MEMBER_HEAD 4096
/* Directory entries looked at per archive. */
#define MAX_ENTRIES 4096

/* Little-endian reads; the caller checks the bounds. */
static inline guint16
usc_le16 (const guint8 *p)
{
  return (guint16) (p[0] | (p[1] << 8));
}
static inline guint32
usc_le32 (const guint8 *p)
{
  return (guint32) p[0] | ((guint32) p[1] << 8) | ((guint32) p[2] << 16) | ((guint32) p[3] << 24);
}

/* Append @s to the reasons in @why ("; " between them). */
static inline void
why_add (GString *why, const char *s)
{
  if (why->len)
    g_string_append (why, "; ");
  g_string_append (why, s);
}

/* What the cheap table says the bytes start with. */
typedef enum {
  USC_SIG_NONE = 0,
  USC_SIG_EXEC,       /* PE/MZ, ELF, Mach-O, Java class, Windows shortcut */
  USC_SIG_ZIP,
  USC_SIG_RAR,
  USC_SIG_7Z,
  USC_SIG_GZIP,
  USC_SIG_TAR,
  USC_SIG_CAB,
  USC_SIG_COMPRESSED, /* bzip2, xz: one stream, nothing to list */
  USC_SIG_ISO,        /* ISO 9660 */
  USC_SIG_UDF,
  USC_SIG_FAT,        /* FAT boot sector: an .img floppy / disk image */
  USC_SIG_VHD,
  USC_SIG_OLE,
  USC_SIG_PDF,
  USC_SIG_MEDIA,      /* images: settled, nothing to look into */
} UscSig;

typedef struct {
  UscSig      sig;
  const char *type;   /* MIME type (static) */
  const char *what;   /* "a PE executable" (static) */
} UscSigHit;

/* The cheap table on the first bytes of @d. */
UscSigHit usc_payload_signature (const guint8 *d, gsize len);

/* Fill @p (found_type, executable, why, members, flags) from @len bytes at
 * @d. @member: sniffing an archive member (no archive inside is opened,
 * libmagic is not asked). */
void usc_payload_scan (UscPayload *p, const guint8 *d, gsize len, gboolean member);

/* usc-payload-text.c: @lc is the part's text, lower case, NUL-terminated.
 * A script (by its markers, or @ext, the name's extension): sets @p's
 * type, executable, appends to @why; TRUE when it is one. */
gboolean usc_payload_scan_script (UscPayload *p, const char *lc, const char *ext, GString *why);
/* HTML: TRUE when @lc starts like markup (sets type, executable, why). */
gboolean usc_payload_scan_html (UscPayload *p, const char *lc, GString *why);
/* A header block (RFC 5322 2.2): a message, not a script. */
gboolean usc_payload_looks_like_message (const char *lc);

/* usc-payload-doc.c: look into a PDF / an OLE compound file of @len bytes
 * at @d (sets @p's executable, appends to @why). */
void usc_payload_scan_pdf (UscPayload *p, const guint8 *d, gsize len, GString *why);
void usc_payload_scan_ole (UscPayload *p, const guint8 *d, gsize len, GString *why);

/* Archives and disk images: list the members of @d (sig from the table)
 * into @p->members and set @p->executable / append to *@why when one is.
 * Returns FALSE when the directory could not be read. */
gboolean usc_payload_list_archive (UscPayload *p, UscSig sig, const guint8 *d, gsize len,
                                   GString *why);

/* The listers of usc_payload_list_archive (usc-payload-zip.c,
 * usc-payload-rar.c, usc-payload-image.c): as it, for one format. */
gboolean usc_payload_list_zip (UscPayload *p, const guint8 *d, gsize len, GString *why);
gboolean usc_payload_list_rar (UscPayload *p, const guint8 *d, gsize len, GString *why);
gboolean usc_payload_list_iso (UscPayload *p, const guint8 *d, gsize len, GString *why);
gboolean usc_payload_list_fat (UscPayload *p, const guint8 *d, gsize len, GString *why);

/* Sniff an archive member's first bytes (@readable FALSE: encrypted or
 * compressed past reading) and its name; list it in @p (the first
 * USC_PAYLOAD_MAX_MEMBERS). When it is executable, sets @p->executable and,
 * for the first such member, appends "@container holding NAME (what)" to
 * @why.
 * Returns whether it is executable. */
gboolean usc_payload_add_member (UscPayload *p, const char *container, const char *name,
                                 gsize name_len, const guint8 *d, gsize len, gboolean readable,
                                 GString *why);

/* Inflate @len bytes at @d (GZlibCompressorFormat @format), at most @max
 * bytes out; NULL when not even one byte came out. */
GByteArray *usc_payload_inflate (const guint8 *d, gsize len, int format, gsize max);

G_END_DECLS
#endif
