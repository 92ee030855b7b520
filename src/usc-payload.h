/* usc-payload.h — what a bounce's attached and returned parts really are,
 * whatever their declared type and file name: executables (PE, ELF, Mach-O),
 * scripts (JS, VBS, PowerShell, batch, HTA, shell), archives (zip, rar, 7z,
 * gzip/tar, cab) and disk images (ISO 9660, FAT .img) with their members one
 * level down, Office documents with macros (OLE "VBA" storage, OOXML
 * vbaProject.bin), PDFs with JavaScript or launch actions, HTML with scripts
 * or auto-submitting forms, and a declared message/rfc822 whose body is
 * binary.
 *
 * Cheap first: the leading bytes against a short table of the signatures
 * the structure checks need (usc-payload-scan.c); libmagic (usc-sniff.h,
 * loaded lazily, at most the first 64 KB) only for a binary the table does
 * not name. Nothing here prints, exits or fails: a part that cannot be read
 * is reported as such.
 */
#ifndef USC_PAYLOAD_H
#define USC_PAYLOAD_H

#include <glib.h>
#include <gmime/gmime.h>

G_BEGIN_DECLS

/* Bytes of one part's decoded content that are looked at (structure scans:
 * zip directories, OLE directory entries, PDF names). */
#define USC_PAYLOAD_MAX (4 * 1024 * 1024)
/* Bytes read first (the cheap test, libmagic's 64 KB, HTML and scripts):
 * the rest only for the formats whose structure is read. */
#define USC_PAYLOAD_HEAD (256 * 1024)
/* Members listed per archive / disk image. */
#define USC_PAYLOAD_MAX_MEMBERS 32

typedef enum {
  USC_PAYLOAD_LIBMAGIC = 1 << 0,   /* found_type came from libmagic, not the cheap table */
  USC_PAYLOAD_B64_RESUMED = 1 << 1, /* base64 went on after a padded chunk (GMime stops there) */
  USC_PAYLOAD_MISMATCH = 1 << 2,   /* the declared type or the name's extension is not what the bytes are */
  USC_PAYLOAD_TRUNCATED = 1 << 3,  /* only the first USC_PAYLOAD_HEAD / USC_PAYLOAD_MAX bytes were looked at */
} UscPayloadFlags;

/* One member of an archive or disk image. */
typedef struct {
  char    *name;        /* its path in the archive, valid UTF-8 (owned) */
  char    *found_type;  /* what its first bytes are, or NULL when unreadable (encrypted, unknown method) (owned) */
  gboolean executable;  /* by its first bytes or its name */
} UscPayloadMember;

/* One part. Strings are owned; members is NULL unless the part is an
 * archive or disk image whose directory could be read. */
typedef struct {
  char      *declared_type; /* Content-Type as declared, lower case, no parameters */
  char      *name;          /* Content-Disposition filename, else Content-Type name, or NULL */
  char      *found_type;    /* MIME type of what the bytes are ("application/x-dosexec") */
  gboolean   executable;    /* runs code when the user opens it: an executable, a script,
                               a macro document, a PDF with JavaScript / a launch action, HTML
                               with a script or an auto-submitting form, an archive or disk
                               image holding one of those, a disk image (mounted on a double
                               click), a binary disguised as message/rfc822 */
  char      *why;           /* what made it executable or suspicious, one line; NULL when nothing */
  GPtrArray *members;       /* UscPayloadMember*, at most USC_PAYLOAD_MAX_MEMBERS, or NULL */
  guint      members_total; /* members in the directory (may exceed members->len) */
  gsize      size;          /* decoded bytes looked at */
  guint      flags;         /* UscPayloadFlags */
} UscPayload;

/* What @len bytes at @data are, given the part's @declared_type and file
 * @name (either may be NULL). Never NULL. Free with usc_payload_free(). */
UscPayload *usc_payload_sniff (const void *data, gsize len, const char *declared_type,
                               const char *name);

/* The same for a MIME leaf (GMimePart) or a GMimeMessagePart: its content
 * decoded (base64 with GLib's decoder, which goes on after a padded chunk).
 * A message part is a payload only when its body is binary: for one that
 * is a message, and for any other object, returns NULL. */
UscPayload *usc_payload_of_part (GMimeObject *part);

/* Should a leaf of a bounce be sniffed? Every non-text leaf, and a text
 * leaf that is an attachment (a file name or Content-Disposition:
 * attachment), since a script or an executable can hide behind text/plain. */
gboolean usc_payload_wanted (GMimeObject *part);

/* The decoded content of GMimePart @part, at most @max bytes (0: no limit).
 * Base64 is decoded with GLib's decoder, which, unlike GMime's, goes on
 * after a padded chunk ("QQ==QkI="); each chunk is decoded by itself.
 * *@resumed_at_r (may be NULL) is set to the decoded offset where the first
 * chunk after a pad starts (where GMime stopped), 0 when there is none.
 * Returns a new array, or NULL when @part has no content. */
GByteArray *usc_payload_part_bytes (GMimeObject *part, gsize max, gsize *resumed_at_r);

/* "invoice.txt (declared text/plain): application/x-dosexec, executable:
 * a PE executable behind .txt" — one printable line. Newly allocated. */
char *usc_payload_describe (const UscPayload *payload);

/* Frees and sets *@payload to NULL; accepts NULL. */
void usc_payload_free (UscPayload **payload);

/* usc_payload_free() for a GPtrArray of UscPayload* (a GDestroyNotify). */
void usc_payload_free_ptr (gpointer payload);

G_END_DECLS
#endif
