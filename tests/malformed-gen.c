/* malformed-gen.c — writes the malformed-input set (hostile and broken
 * messages) into the directory given as argv[1], one file per case, named
 * NN-what.eml. Deterministic: the "random" garbage uses a fixed seed.
 * Links only GLib. Used by tests/t/0110-malformed.t and tests/soak.sh.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

static const char *outdir;
static int failures;

static void
put (const char *name, const char *data, gsize len)
{
  char *path = g_build_filename (outdir, name, NULL);
  GError *error = NULL;
  if (!g_file_set_contents (path, data, (gssize) len, &error)) {
    fprintf (stderr, "malformed-gen: %s\n", error->message);
    g_error_free (error);
    failures++;
  }
  g_free (path);
}

static void
put_gs (const char *name, GString *s)
{
  put (name, s->str, s->len);
  g_string_free (s, TRUE);
}

/* The headers of a bounce from a mailer daemon. */
static void
bounce_head (GString *s, const char *ctype)
{
  g_string_append (s,
    "Return-Path: <>\n"
    "Received: from mx.example.net (mx.example.net [192.0.2.25])\n"
    "\tby mail.example.org with ESMTP id 4Tq0aB; Mon, 1 Jan 2024 10:00:05 +0000\n"
    "From: Mail Delivery System <MAILER-DAEMON@mx.example.net>\n"
    "To: me@example.org\n"
    "Subject: Undelivered Mail Returned to Sender\n"
    "Date: Mon, 1 Jan 2024 10:00:05 +0000\n"
    "Message-ID: <20240101100005.ABC@mx.example.net>\n"
    "MIME-Version: 1.0\n");
  g_string_append_printf (s, "Content-Type: %s\n\n", ctype);
}

static const char dsn_part[] =
  "--B\n"
  "Content-Type: text/plain\n\n"
  "I'm sorry to have to inform you that your message could not be delivered.\n\n"
  "--B\n"
  "Content-Type: message/delivery-status\n\n"
  "Reporting-MTA: dns; mx.example.net\n\n"
  "Final-Recipient: rfc822; someone@example.net\n"
  "Action: failed\n"
  "Status: 5.1.1\n\n";

static void
gen_truncated_multipart (void)
{
  GString *s = g_string_new (NULL);
  bounce_head (s, "multipart/report; report-type=delivery-status; boundary=\"B\"");
  g_string_append (s, dsn_part);
  g_string_append (s, "--B\nContent-Type: message/rfc822\n\n"
                      "From: me@example.org\nTo: someone@example.net\nSubject: hel");
  put_gs ("01-truncated-multipart.eml", s);

  /* cut inside the header block of a part, and inside base64 */
  s = g_string_new (NULL);
  bounce_head (s, "multipart/mixed; boundary=\"B\"");
  g_string_append (s, "--B\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n"
                      "TVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n"
                      "TVqQAAMAAAAEAA");
  put_gs ("02-truncated-base64.eml", s);

  s = g_string_new (NULL);
  bounce_head (s, "multipart/mixed; boundary=\"B\"");
  g_string_append (s, "--B\nContent-Type: text/pl");
  put_gs ("03-truncated-part-header.eml", s);
}

static void
gen_nul_bytes (void)
{
  GString *s = g_string_new (NULL);
  g_string_append (s, "From: a@example.org\nSubject: nul");
  g_string_append_len (s, "\0\0in subject\n", 13);
  g_string_append_len (s, "X-Nul: \0\n", 9);
  g_string_append (s, "Content-Type: multipart/mixed; boundary=\"N\"\n\n--N\nContent-Type: text/plain\n\n");
  for (int i = 0; i < 1000; i++)
    g_string_append_len (s, "text\0with\0nuls\n", 16);
  g_string_append (s, "--N\nContent-Type: message/rfc822\n\nMessage-ID: <nul");
  g_string_append_len (s, "\0", 1);
  g_string_append (s, "@example.org>\n\nbody\n--N--\n");
  put_gs ("04-nul-bytes.eml", s);
}

static void
gen_nested_multipart (int depth, const char *name)
{
  GString *s = g_string_new (NULL);
  g_string_append (s, "From: a@example.org\nTo: b@example.org\nSubject: nested\nMIME-Version: 1.0\n");
  for (int i = 0; i < depth; i++)
    g_string_append_printf (s, "Content-Type: multipart/mixed; boundary=\"b%d\"\n\n--b%d\n", i, i);
  g_string_append (s, "Content-Type: text/plain\n\ndeep inside\n");
  for (int i = depth - 1; i >= 0; i--)
    g_string_append_printf (s, "--b%d--\n", i);
  put_gs (name, s);
}

static void
gen_nested_rfc822 (int depth, const char *name)
{
  GString *s = g_string_new (NULL);
  g_string_append (s, "From: a@example.org\nTo: b@example.org\nSubject: nested\nMIME-Version: 1.0\n");
  for (int i = 0; i < depth; i++)
    g_string_append_printf (s, "Content-Type: message/rfc822\n\nFrom: l%d@example.org\nMessage-ID: <level%d@example.org>\n", i, i);
  g_string_append (s, "\ndeep inside\n");
  put_gs (name, s);
}

/* Nested multipart/digest: the children default to message/rfc822. */
static void
gen_nested_digest (int depth)
{
  GString *s = g_string_new (NULL);
  g_string_append (s, "From: a@example.org\nSubject: digests\nMIME-Version: 1.0\n");
  for (int i = 0; i < depth; i++)
    g_string_append_printf (s, "Content-Type: multipart/digest; boundary=\"d%d\"\n\n--d%d\n\nFrom: x@example.org\n", i, i);
  g_string_append (s, "\nend\n");
  put_gs ("08-nested-digest-2000.eml", s);
}

static void
gen_long_header (void)
{
  GString *s = g_string_sized_new (10 * 1024 * 1024 + 200);
  g_string_append (s, "From: a@example.org\nTo: b@example.org\nSubject: ");
  for (int i = 0; i < 10 * 1024 * 1024 / 16; i++)
    g_string_append (s, "AAAAAAAAAAAAAAAA");
  g_string_append (s, "\n\nbody\n");
  put_gs ("09-header-line-10mb.eml", s);

  /* the same inside a part: no top-level limit applies there */
  s = g_string_sized_new (10 * 1024 * 1024 + 400);
  bounce_head (s, "multipart/report; report-type=delivery-status; boundary=\"B\"");
  g_string_append (s, dsn_part);
  g_string_append (s, "--B\nContent-Type: message/rfc822\n\nMessage-ID: <x@example.org>\nSubject: ");
  for (int i = 0; i < 10 * 1024 * 1024 / 16; i++)
    g_string_append (s, "BBBBBBBBBBBBBBBB");
  g_string_append (s, "\n\nbody\n--B--\n");
  put_gs ("10-part-header-line-10mb.eml", s);
}

static void
gen_broken_base64 (void)
{
  GString *s = g_string_new (NULL);
  bounce_head (s, "multipart/report; report-type=delivery-status; boundary=\"B\"");
  g_string_append (s, dsn_part);
  g_string_append (s, "--B\nContent-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\n"
                      /* "From: me@example.org\nMessage-ID: <1@example.org>\n" with damage */
                      "RnJvbTogbWVAZXhhbXBsZS5vcmcKTWVzc2FnZS1JRDogPDFAZXhhbXBsZS5vcmc+Cg=\n"
                      "!!!!****====@@@@\n"
                      "=====\n"
                      "U3ViamVjdDogaGVsbG8K\x80\xff\xfe\n"
                      "QQ\n"
                      "--B--\n");
  put_gs ("11-broken-base64-returned.eml", s);

  s = g_string_new (NULL);
  bounce_head (s, "multipart/report; report-type=delivery-status; boundary=\"B\"");
  g_string_append (s, dsn_part);
  g_string_append (s, "--B\nContent-Type: message/rfc822\nContent-Transfer-Encoding: quoted-printable\n\n"
                      "From: me@example.org=\n=\n==3\n=ZZ=4=\nMessage-ID: <2@exam=\nple.org>\n=");
  g_string_append (s, "\n--B--\n");
  put_gs ("12-broken-qp-returned.eml", s);
}

static void
gen_boundaries (void)
{
  GString *s = g_string_new (NULL);
  bounce_head (s, "multipart/report; report-type=delivery-status; boundary=\"B\"");
  g_string_append (s, dsn_part);
  g_string_append (s, "--B\nContent-Type: text/rfc822-headers\n\nMessage-ID: <3@example.org>\n");
  put_gs ("13-missing-closing-boundary.eml", s);

  s = g_string_new (NULL);
  bounce_head (s, "multipart/report; report-type=delivery-status; boundary=\"NEVER-USED\"");
  g_string_append (s, dsn_part);
  g_string_append (s, "--B--\n");
  put_gs ("14-missing-opening-boundary.eml", s);

  s = g_string_new (NULL);
  bounce_head (s, "multipart/mixed");
  g_string_append (s, "--B\nContent-Type: text/plain\n\nno boundary parameter\n--B--\n");
  put_gs ("15-multipart-without-boundary.eml", s);

  s = g_string_new (NULL);
  bounce_head (s, "multipart/mixed; boundary=\"\"");
  g_string_append (s, "--\n\nempty boundary\n--\n\nagain\n----\n");
  put_gs ("16-empty-boundary.eml", s);
}

static void
gen_garbage (void)
{
  GRand *r = g_rand_new_with_seed (20240101);
  gsize len = 256 * 1024;
  guint8 *buf = g_malloc (len);
  for (gsize i = 0; i < len; i++)
    buf[i] = (guint8) g_rand_int_range (r, 0, 256);
  put ("17-binary-garbage.bin", (const char *) buf, len);

  /* garbage after a plausible header block */
  GString *s = g_string_new ("From: a@example.org\nContent-Type: multipart/mixed; boundary=\"G\"\n\n--G\n");
  for (gsize i = 0; i < len; i++) {
    guint8 c = (guint8) g_rand_int_range (r, 0, 256);
    g_string_append_c (s, (char) c);
    if (g_rand_int_range (r, 0, 200) == 0)
      g_string_append (s, g_rand_boolean (r) ? "\n--G\n" : "\nContent-Type: message/rfc822\n\n");
  }
  put_gs ("18-headers-then-garbage.eml", s);
  g_free (buf);
  g_rand_free (r);
}

static void
gen_many_headers (void)
{
  GString *s = g_string_new ("From: a@example.org\n");
  for (int i = 0; i < 100000; i++)
    g_string_append_printf (s, "X-Field-%d: value %d\n", i, i);
  g_string_append (s, "\nbody\n");
  put_gs ("19-headers-100000.eml", s);

  /* the same in a returned message */
  s = g_string_new (NULL);
  bounce_head (s, "multipart/report; report-type=delivery-status; boundary=\"B\"");
  g_string_append (s, dsn_part);
  g_string_append (s, "--B\nContent-Type: message/rfc822\n\n");
  for (int i = 0; i < 100000; i++)
    g_string_append_printf (s, "X-F%d: v\n", i);
  g_string_append (s, "\nbody\n--B--\n");
  put_gs ("20-part-headers-100000.eml", s);
}

/* Parameters and addresses: GMime parses each one eagerly. */
static void
gen_structured (void)
{
  GString *s = g_string_new (NULL);
  bounce_head (s, "multipart/report; report-type=delivery-status; boundary=\"B\"");
  g_string_truncate (s, s->len - 2);
  for (int i = 0; i < 400000; i++)
    g_string_append (s, "; a=b");
  g_string_append (s, "\n\n");
  g_string_append (s, dsn_part);
  g_string_append (s, "--B--\n");
  put_gs ("32-content-type-400000-params.eml", s);

  s = g_string_new ("From: a@example.org\nTo: ");
  for (int i = 0; i < 200000; i++)
    g_string_append_printf (s, "%su%d@example.org", i ? ", " : "", i);
  g_string_append (s, "\nSubject: many recipients\n\nhello\n");
  put_gs ("33-to-200000-addresses.eml", s);
}

static void
gen_wide (void)
{
  GString *s = g_string_new ("From: a@example.org\nSubject: wide\nContent-Type: multipart/mixed; boundary=\"w\"\n\n");
  for (int i = 0; i < 200000; i++)
    g_string_append (s, "--w\n\n");
  g_string_append (s, "--w--\n");
  put_gs ("21-parts-200000.eml", s);
}

static void
gen_small (void)
{
  put ("22-empty.eml", "", 0);
  static const char only[] = "From: a@example.org\nTo: b@example.org\nSubject: only headers\n";
  put ("23-only-headers.eml", only, sizeof only - 1);
  static const char only_nonl[] = "From: a@example.org\nSubject: no final newline";
  put ("24-only-headers-no-newline.eml", only_nonl, sizeof only_nonl - 1);
  static const char blank[] = "\n\n\n";
  put ("25-blank-lines.eml", blank, sizeof blank - 1);
  static const char nohdr[] = "this is not a header\nnor this\n\nbody\n";
  put ("26-no-headers.eml", nohdr, sizeof nohdr - 1);
}

static void
gen_bare_cr (void)
{
  GString *s = g_string_new (NULL);
  bounce_head (s, "multipart/report; report-type=delivery-status; boundary=\"B\"");
  g_string_append (s, dsn_part);
  g_string_append (s, "--B\nContent-Type: message/rfc822\n\nFrom: me@example.org\n"
                      "Message-ID: <cr@example.org>\n\nhello\n--B--\n");
  for (gsize i = 0; i < s->len; i++)
    if (s->str[i] == '\n')
      s->str[i] = '\r';
  put_gs ("27-bare-cr.eml", s);

  /* mixed: CRLF headers, LF body, a stray CR */
  s = g_string_new ("From: a@example.org\r\nSubject: mixed\r\n\r\nline\nline\rline\r\n");
  put_gs ("28-mixed-line-endings.eml", s);
}

static void
gen_report_garbage (void)
{
  GString *s = g_string_new (NULL);
  bounce_head (s, "multipart/report; report-type=delivery-status; boundary=\"B\"");
  g_string_append (s, "--B\nContent-Type: text/plain\n\nDelivery failed.\n\n"
                      "--B\nContent-Type: message/delivery-status\n\n"
                      "Reporting-MTA dns mx.example.net\n"
                      ": : :\n"
                      "Final-Recipient: \n"
                      "Final-Recipient: rfc822;\n"
                      "Status: 9.99.999999999999\n"
                      "Status: \x01\x02\x03\n"
                      "Action: \n"
                      "\n\n\n"
                      "Original-Recipient: ;;;;;\n"
                      "Diagnostic-Code: smtp; ");
  for (int i = 0; i < 50000; i++)
    g_string_append (s, "x ");
  g_string_append (s, "\n\x80\x81\xfe\xff: \xc3\x28\n");
  for (int i = 0; i < 3000; i++)
    g_string_append_printf (s, "\nFinal-Recipient: rfc822; r%d@example.net\nStatus: 5.0.0\n", i);
  g_string_append (s, "--B\nContent-Type: text/rfc822-headers\n\n\n\n--B--\n");
  put_gs ("29-report-garbage-status.eml", s);

  /* a global delivery-status (RFC 6533) with invalid UTF-8 */
  s = g_string_new (NULL);
  bounce_head (s, "multipart/report; report-type=global-delivery-status; boundary=\"B\"");
  g_string_append (s, "--B\nContent-Type: message/global-delivery-status\n\n"
                      "Reporting-MTA: dns; \xff\xfe\n\nFinal-Recipient: utf-8; \xc3\x28@\xe2\x82\n"
                      "Status: 5.1.1\n\n--B\nContent-Type: message/global\n\nMessage-ID: <\xf0\x28\x8c\xbc@x>\n\n--B--\n");
  put_gs ("30-global-report-bad-utf8.eml", s);
}

static void
gen_big_body (void)
{
  /* a 10 MB body line and 200,000 "--" lines that are no boundary */
  GString *s = g_string_sized_new (12 * 1024 * 1024);
  bounce_head (s, "multipart/mixed; boundary=\"L\"");
  g_string_append (s, "--L\nContent-Type: text/plain\n\n");
  for (int i = 0; i < 10 * 1024 * 1024 / 16; i++)
    g_string_append (s, "CCCCCCCCCCCCCCCC");
  g_string_append_c (s, '\n');
  for (int i = 0; i < 200000; i++)
    g_string_append (s, "--Lx\n");
  g_string_append (s, "--L--\n");
  put_gs ("31-body-line-10mb.eml", s);
}

int
main (int argc, char **argv)
{
  if (argc != 2) {
    fprintf (stderr, "usage: malformed-gen DIRECTORY\n");
    return 2;
  }
  outdir = argv[1];
  if (g_mkdir_with_parents (outdir, 0755) != 0) {
    perror (outdir);
    return 1;
  }
  gen_truncated_multipart ();
  gen_nul_bytes ();
  gen_nested_multipart (2000, "05-nested-multipart-2000.eml");
  gen_nested_multipart (100000, "06-nested-multipart-100000.eml");
  gen_nested_rfc822 (2000, "07-nested-rfc822-2000.eml");
  gen_nested_digest (2000);
  gen_long_header ();
  gen_broken_base64 ();
  gen_boundaries ();
  gen_garbage ();
  gen_many_headers ();
  gen_wide ();
  gen_structured ();
  gen_small ();
  gen_bare_cr ();
  gen_report_garbage ();
  gen_big_body ();
  return failures ? 1 : 0;
}
