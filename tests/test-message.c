/* test-message.c — unit tests for usc-message (reading, line endings, mbox
 * "From " lines, header-block offsets, limits, the pre-scan that bounds
 * GMime, embedded messages, part contents and charsets) and usc-sniff
 * (libmagic types, executable tables). GTest, table-driven, TAP output.
 */
#include "config.h"
#include <gmime/gmime.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

#include "usc-message.h"
#include "usc-content-type.h"
#include "usc-sniff.h"
#include "usc-header.h"

/* ------------------------------------------------------------ helpers */

/* Bound for one hostile parse: 1 s of the process's processor time (not wall
 * time, so a loaded machine does not fail it; a quadratic parse still does),
 * more under AddressSanitizer (allocation-heavy GMime code runs up to 100
 * times slower there). */
#if defined(__SANITIZE_ADDRESS__)
#define PARSE_TIME_LIMIT (10 * G_USEC_PER_SEC)
#else
#define PARSE_TIME_LIMIT G_USEC_PER_SEC
#endif

static gint64
cpu_usec (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static UscMessage *
parse_ok (const char *data, gsize len)
{
  GError *error = NULL;
  UscMessage *msg = usc_message_new_from_data (data, len, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (msg);
  return msg;
}

static const char *
header (GMimeMessage *m, const char *name)
{
  return g_mime_object_get_header (GMIME_OBJECT (m), name);
}

/* Nesting depth of the GMime tree (multipart children and message parts). */
static guint
tree_depth (GMimeObject *o)
{
  if (o == NULL)
    return 0;
  guint best = 0;
  if (GMIME_IS_MULTIPART (o)) {
    int n = g_mime_multipart_get_count (GMIME_MULTIPART (o));
    for (int i = 0; i < n; i++) {
      guint d = 1 + tree_depth (g_mime_multipart_get_part (GMIME_MULTIPART (o), i));
      best = MAX (best, d);
    }
  } else if (GMIME_IS_MESSAGE_PART (o)) {
    GMimeMessage *m = g_mime_message_part_get_message (GMIME_MESSAGE_PART (o));
    if (m)
      best = 1 + tree_depth (g_mime_message_get_mime_part (m));
  }
  return best;
}

static guint
tree_parts (GMimeObject *o)
{
  if (o == NULL)
    return 0;
  guint n = 1;
  if (GMIME_IS_MULTIPART (o)) {
    int c = g_mime_multipart_get_count (GMIME_MULTIPART (o));
    for (int i = 0; i < c; i++)
      n += tree_parts (g_mime_multipart_get_part (GMIME_MULTIPART (o), i));
  } else if (GMIME_IS_MESSAGE_PART (o)) {
    GMimeMessage *m = g_mime_message_part_get_message (GMIME_MESSAGE_PART (o));
    if (m)
      n += tree_parts (g_mime_message_get_mime_part (m));
  }
  return n;
}

/* A structural signature: content types, message headers counts, part sizes. */
static void
tree_sig (GMimeObject *o, GString *s)
{
  if (o == NULL) {
    g_string_append (s, "-");
    return;
  }
  char *t = g_mime_content_type_get_mime_type (g_mime_object_get_content_type (o));
  g_string_append_printf (s, "%s(", t);
  g_free (t);
  if (GMIME_IS_MULTIPART (o)) {
    int c = g_mime_multipart_get_count (GMIME_MULTIPART (o));
    for (int i = 0; i < c; i++)
      tree_sig (g_mime_multipart_get_part (GMIME_MULTIPART (o), i), s);
  } else if (GMIME_IS_MESSAGE_PART (o)) {
    GMimeMessage *m = g_mime_message_part_get_message (GMIME_MESSAGE_PART (o));
    if (m) {
      g_string_append_printf (s, "[%d]", g_mime_header_list_get_count (g_mime_object_get_header_list (GMIME_OBJECT (m))));
      tree_sig (g_mime_message_get_mime_part (m), s);
    }
  } else if (GMIME_IS_PART (o)) {
    GByteArray *b = usc_mime_part_content (o, 0);
    g_string_append_printf (s, "%u", b ? b->len : 0);
    if (b)
      g_byte_array_unref (b);
  }
  g_string_append_c (s, ')');
}

/* Plain GMime on the message's own normalised text, for comparison. */
static GMimeMessage *
plain_gmime (const UscMessage *msg)
{
  GMimeStream *st = g_mime_stream_mem_new_with_buffer (msg->text, msg->text_len);
  GMimeParser *p = g_mime_parser_new_with_stream (st);
  GMimeMessage *m = g_mime_parser_construct_message (p, NULL);
  g_object_unref (p);
  g_object_unref (st);
  return m;
}

/* ------------------------------------------------- line endings, offsets */

typedef struct {
  const char *name;
  const char *raw;
  const char *text;       /* expected LF text */
  const char *eol;
  gsize       header_end; /* expected raw_header_end */
  gboolean    mbox;
  const char *mbox_sender;
  const char *subject;
} EolCase;

static const EolCase eol_cases[] = {
  { "lf", "Subject: a\nX: 1\n\nbody\n", "Subject: a\nX: 1\n\nbody\n", "\n", 16, FALSE, NULL, "a" },
  { "crlf", "Subject: a\r\nX: 1\r\n\r\nbody\r\n", "Subject: a\nX: 1\n\nbody\n", "\r\n", 18, FALSE, NULL, "a" },
  { "cr", "Subject: a\rX: 1\r\rbody\r", "Subject: a\nX: 1\n\nbody\n", "\r", 16, FALSE, NULL, "a" },
  { "folded-crlf", "Subject: a\r\n b\r\n\r\nx", "Subject: a\n b\n\nx", "\r\n", 16, FALSE, NULL, "a b" },
  { "no-body", "Subject: a\nX: 1\n", "Subject: a\nX: 1\n", "\n", 16, FALSE, NULL, "a" },
  { "no-final-newline", "Subject: a\nX: 1", "Subject: a\nX: 1", "\n", 15, FALSE, NULL, "a" },
  { "one-line", "Subject: a", "Subject: a", "\n", 10, FALSE, NULL, "a" },
  { "crlf-no-body", "Subject: a\r\n", "Subject: a\n", "\r\n", 12, FALSE, NULL, "a" },
  { "empty-header-block", "\nbody\n", "\nbody\n", "\n", 0, FALSE, NULL, NULL },
  { "mixed", "Subject: a\r\nX: 1\n\nline\rline\r\n", "Subject: a\nX: 1\n\nline\nline\n", "\r\n", 17, FALSE, NULL, "a" },
  { "mbox", "From me@example.org Mon Jan  1 10:00:00 2024\nSubject: a\n\nb\n", "Subject: a\n\nb\n",
    "\n", 56, TRUE, "me@example.org", "a" },
  { "mbox-crlf", "From me@example.org Mon Jan  1 10:00:00 2024\r\nSubject: a\r\n\r\nb\r\n", "Subject: a\n\nb\n",
    "\r\n", 58, TRUE, "me@example.org", "a" },
  { "mbox-daemon", "From MAILER-DAEMON Mon Jan  1 10:00:00 2024\nSubject: a\n\nb\n", "Subject: a\n\nb\n",
    "\n", 55, TRUE, "", "a" },
  { "mbox-angle", "From <> Mon Jan  1 10:00:00 2024\nSubject: a\n\nb\n", "Subject: a\n\nb\n",
    "\n", 44, TRUE, "", "a" },
  { "mbox-angle-addr", "From <x@example.org> Mon Jan  1 10:00:00 2024\nSubject: a\n\nb\n", "Subject: a\n\nb\n",
    "\n", 57, TRUE, "x@example.org", "a" },
  { "from-header-not-mbox", "From: a@example.org\nSubject: a\n\nb\n", "From: a@example.org\nSubject: a\n\nb\n",
    "\n", 31, FALSE, NULL, "a" },
};

static void
test_line_endings (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (eol_cases); i++) {
    const EolCase *c = &eol_cases[i];
    g_test_message ("case %s", c->name);
    UscMessage *msg = parse_ok (c->raw, strlen (c->raw));
    g_assert_cmpmem (msg->text, msg->text_len, c->text, strlen (c->text));
    /* parsed in place when the input has no CR: no copy */
    g_assert_true ((msg->text_bytes == NULL) == (strchr (c->raw, '\r') == NULL));
    g_assert_cmpuint (msg->text_len, ==, strlen (c->text));
    g_assert_cmpstr (msg->raw_eol, ==, c->eol);
    g_assert_cmpuint (msg->raw_header_end, ==, c->header_end);
    g_assert_cmpint (msg->had_mbox_from, ==, c->mbox);
    g_assert_cmpstr (msg->mbox_sender, ==, c->mbox_sender);
    g_assert_cmpstr (header (msg->mime, "Subject"), ==, c->subject);
    gsize rlen;
    const char *raw = g_bytes_get_data (msg->raw, &rlen);
    g_assert_cmpmem (raw, rlen, c->raw, strlen (c->raw)); /* raw kept exactly */
    g_assert_false (msg->parse_limited);
    usc_message_free (&msg);
    g_assert_null (msg);
  }
  usc_message_free (NULL); /* accepted */
}

/* ------------------------------------------------ usc_message_with_headers */

typedef struct {
  const char *name;
  const char *raw;
  const char *expect;
} InsertCase;

static const InsertCase insert_cases[] = {
  { "lf", "Subject: a\n\nbody\n", "Subject: a\nX-A: 1\nX-B: 2\n\nbody\n" },
  { "crlf", "Subject: a\r\n\r\nbody\r\n", "Subject: a\r\nX-A: 1\r\nX-B: 2\r\n\r\nbody\r\n" },
  { "cr", "Subject: a\r\rbody\r", "Subject: a\rX-A: 1\rX-B: 2\r\rbody\r" },
  { "no-body", "Subject: a\n", "Subject: a\nX-A: 1\nX-B: 2\n" },
  { "no-final-newline", "Subject: a", "Subject: a\nX-A: 1\nX-B: 2\n" },
  { "no-final-crlf", "Subject: a\r\nTo: b", "Subject: a\r\nTo: b\r\nX-A: 1\r\nX-B: 2\r\n" },
  { "mbox", "From a@b Mon Jan  1 10:00:00 2024\nSubject: a\n\nb\n",
    "From a@b Mon Jan  1 10:00:00 2024\nSubject: a\nX-A: 1\nX-B: 2\n\nb\n" },
  { "folded-last", "Subject: a\n b\n\nc\n", "Subject: a\n b\nX-A: 1\nX-B: 2\n\nc\n" },
  { "empty-header-block", "\nbody\n", "X-A: 1\nX-B: 2\n\nbody\n" },
};

static void
test_with_headers (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (insert_cases); i++) {
    const InsertCase *c = &insert_cases[i];
    g_test_message ("case %s", c->name);
    UscMessage *msg = parse_ok (c->raw, strlen (c->raw));
    GBytes *out = usc_message_with_headers (msg, "X-A: 1\nX-B: 2\n");
    gsize len;
    const char *d = g_bytes_get_data (out, &len);
    g_assert_cmpmem (d, len, c->expect, strlen (c->expect));
    /* the result parses back with both fields */
    UscMessage *again = parse_ok (d, len);
    g_assert_cmpstr (header (again->mime, "X-A"), ==, "1");
    g_assert_cmpstr (header (again->mime, "X-B"), ==, "2");
    usc_message_free (&again);
    g_bytes_unref (out);
    usc_message_free (&msg);
  }
}

/* ------------------------------------------------------------- limits */

typedef enum { GEN_BODY, GEN_HEADER_LINE, GEN_FIELDS } GenKind;

typedef struct {
  const char *name;
  GenKind     gen;
  gsize       n;            /* size of what is generated */
  gsize       max_bytes, max_header_bytes;
  guint       max_headers;  /* 0: default */
  int         error_code;   /* -1: success */
  const char *error_part;   /* a substring of the message */
} LimitCase;

static const LimitCase limit_cases[] = {
  { "default-1mb-body", GEN_BODY, 1 << 20, 0, 0, 0, -1, NULL },
  { "default-500-fields", GEN_FIELDS, 500, 0, 0, 0, -1, NULL },
  { "default-100k-header-line", GEN_HEADER_LINE, 100000, 0, 0, 0, -1, NULL },
  { "default-20000-fields", GEN_FIELDS, 19990, 0, 0, 0, -1, NULL },
  { "default-100000-fields", GEN_FIELDS, 100000, 0, 0, 0, USC_ERROR_LIMIT, "header fields exceed the limit of 20000" },
  { "default-5mb-header-line", GEN_HEADER_LINE, 5 << 20, 0, 0, 0, USC_ERROR_LIMIT, "header block of" },
  { "size", GEN_BODY, 5000, 1000, 0, 0, USC_ERROR_LIMIT, "exceeds the size limit of 1000 bytes" },
  { "header-bytes", GEN_HEADER_LINE, 5000, 0, 1000, 0, USC_ERROR_LIMIT, "exceeds the limit of 1000 bytes" },
  { "header-count", GEN_FIELDS, 50, 0, 0, 10, USC_ERROR_LIMIT, "exceed the limit of 10" },
};

static char *
gen_message (GenKind gen, gsize n, gsize *len_r)
{
  GString *s = g_string_new ("From: a@example.org\n");
  switch (gen) {
  case GEN_BODY:
    g_string_append (s, "\n");
    while (s->len < n)
      g_string_append (s, "a line of body text, long enough to be ordinary\n");
    break;
  case GEN_HEADER_LINE:
    g_string_append (s, "Subject: ");
    for (gsize i = 0; i < n; i++)
      g_string_append_c (s, 'x');
    g_string_append (s, "\n\nbody\n");
    break;
  case GEN_FIELDS:
    for (gsize i = 1; i < n; i++)
      g_string_append_printf (s, "X-F%" G_GSIZE_FORMAT ": v\n", i);
    g_string_append (s, "\nbody\n");
    break;
  }
  *len_r = s->len;
  return g_string_free (s, FALSE);
}

static void
test_limits (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (limit_cases); i++) {
    const LimitCase *c = &limit_cases[i];
    g_test_message ("case %s", c->name);
    UscLimits lim;
    usc_limits_init (&lim);
    if (c->max_bytes)
      lim.max_bytes = c->max_bytes;
    if (c->max_header_bytes)
      lim.max_header_bytes = c->max_header_bytes;
    if (c->max_headers)
      lim.max_headers = c->max_headers;
    gsize len;
    char *data = gen_message (c->gen, c->n, &len);
    GError *error = NULL;
    UscMessage *msg = usc_message_new_from_data (data, len, &lim, &error);
    if (c->error_code < 0) {
      g_assert_no_error (error);
      g_assert_nonnull (msg);
    } else {
      g_assert_null (msg);
      g_assert_error (error, USC_ERROR, c->error_code);
      g_assert_nonnull (strstr (error->message, c->error_part));
      g_clear_error (&error);
      /* the same through a file */
      char *path = NULL;
      int fd = g_file_open_tmp ("usc-test-XXXXXX", &path, NULL);
      g_assert_cmpint (fd, >=, 0);
      g_assert_cmpint (write (fd, data, len), ==, (gssize) len);
      close (fd);
      msg = usc_message_read_path (path, &lim, &error);
      g_assert_null (msg);
      g_assert_error (error, USC_ERROR, c->error_code);
      g_assert_nonnull (strstr (error->message, path));
      g_clear_error (&error);
      g_unlink (path);
      g_free (path);
    }
    usc_message_free (&msg);
    g_free (data);
  }
}

static void
test_empty_and_missing (void)
{
  GError *error = NULL;
  g_assert_null (usc_message_new_from_data ("", 0, NULL, &error));
  g_assert_error (error, USC_ERROR, USC_ERROR_PARSE);
  g_clear_error (&error);
  g_assert_null (usc_message_read_path ("/nonexistent/usc-test.eml", NULL, &error));
  g_assert_error (error, USC_ERROR, USC_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "/nonexistent/usc-test.eml"));
  g_clear_error (&error);
  /* text without a header becomes a body: a clean parse, not an error */
  UscMessage *msg = parse_ok ("just some text\nmore\n", 20);
  g_assert_cmpint (g_mime_header_list_get_count (g_mime_object_get_header_list (GMIME_OBJECT (msg->mime))), ==, 0);
  char *body = usc_mime_part_text (g_mime_message_get_mime_part (msg->mime), 0);
  g_assert_cmpstr (body, ==, "just some text\nmore\n");
  g_free (body);
  usc_message_free (&msg);
}

/* ------------------------------------------------------- reading pipes */

typedef struct {
  int    fd;
  char  *data;
  gsize  len;
} Writer;

static gpointer
writer_thread (gpointer p)
{
  Writer *w = p;
  gsize off = 0;
  while (off < w->len) {
    ssize_t n = write (w->fd, w->data + off, MIN (w->len - off, (gsize) 7777));
    if (n <= 0)
      break;
    off += (gsize) n;
  }
  close (w->fd);
  return NULL;
}

static void
test_read_pipe (void)
{
  static const gsize sizes[] = { 30, 65536, 3 * 1024 * 1024 + 17 };
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++) {
    int pfd[2];
    g_assert_cmpint (pipe (pfd), ==, 0);
    gsize len;
    char *data = gen_message (GEN_BODY, sizes[i], &len);
    Writer w = { pfd[1], data, len };
    GThread *t = g_thread_new ("writer", writer_thread, &w);
    GError *error = NULL;
    UscMessage *msg = usc_message_read_fd (pfd[0], NULL, &error);
    g_thread_join (t);
    close (pfd[0]);
    g_assert_no_error (error);
    g_assert_nonnull (msg);
    g_assert_cmpuint (g_bytes_get_size (msg->raw), ==, len);
    g_assert_cmpmem (g_bytes_get_data (msg->raw, NULL), len, data, len);
    g_assert_cmpstr (header (msg->mime, "From"), ==, "a@example.org");
    usc_message_free (&msg);
    g_free (data);
  }
  /* over the size limit through a pipe */
  int pfd[2];
  g_assert_cmpint (pipe (pfd), ==, 0);
  gsize len;
  char *data = gen_message (GEN_BODY, 300000, &len);
  Writer w = { pfd[1], data, len };
  GThread *t = g_thread_new ("writer", writer_thread, &w);
  UscLimits lim;
  usc_limits_init (&lim);
  lim.max_bytes = 100000;
  GError *error = NULL;
  GBytes *b = usc_read_all (pfd[0], lim.max_bytes, &error);
  g_assert_null (b);
  g_assert_error (error, USC_ERROR, USC_ERROR_LIMIT);
  g_clear_error (&error);
  close (pfd[0]); /* the writer gets EPIPE and stops */
  g_thread_join (t);
  g_free (data);
}

/* ---------------------------------------------- hostile structure, pre-scan */

typedef enum { NEST_MULTIPART, NEST_RFC822, NEST_DIGEST, NEST_MIXED, WIDE, PART_FIELDS, PART_HEADER_BYTES,
               CT_PARAMS, CT_MANY, ADDRESSES } Shape;

typedef struct {
  const char *name;
  Shape       shape;
  guint       n;
  guint       max_depth; /* 0: default */
  guint       expect_max_depth;
  guint       expect_max_parts;
} HostileCase;

static const HostileCase hostile_cases[] = {
  { "multipart-2000", NEST_MULTIPART, 2000, 0, 40, 41 },
  { "multipart-100000", NEST_MULTIPART, 100000, 0, 40, 41 },
  { "rfc822-2000", NEST_RFC822, 2000, 0, 40, 41 },
  { "digest-2000", NEST_DIGEST, 2000, 0, 41, 42 },
  { "mixed-2000", NEST_MIXED, 2000, 0, 41, 42 },
  { "multipart-depth-5", NEST_MULTIPART, 100, 5, 5, 6 },
  { "rfc822-depth-3", NEST_RFC822, 100, 3, 3, 4 },
  { "wide-200000", WIDE, 200000, 0, 1, 5001 },
  { "part-fields-100000", PART_FIELDS, 100000, 0, 2, 3 },
  { "part-header-8mb", PART_HEADER_BYTES, 8 << 20, 0, 2, 3 },
  { "content-type-500000-params", CT_PARAMS, 500000, 0, 1, 2 },
  { "content-type-15000-fields", CT_MANY, 15000, 0, 1, 2 },
  { "to-200000-addresses", ADDRESSES, 200000, 0, 1, 2 },
};

static char *
gen_hostile (Shape shape, guint n, gsize *len_r)
{
  GString *s = g_string_new ("From: a@example.org\nSubject: hostile\nMIME-Version: 1.0\n");
  switch (shape) {
  case NEST_MULTIPART:
    for (guint i = 0; i < n; i++)
      g_string_append_printf (s, "Content-Type: multipart/mixed; boundary=\"b%u\"\n\n--b%u\n", i, i);
    g_string_append (s, "Content-Type: text/plain\n\ndeep\n");
    for (guint i = n; i-- > 0;)
      g_string_append_printf (s, "--b%u--\n", i);
    break;
  case NEST_RFC822:
    for (guint i = 0; i < n; i++)
      g_string_append_printf (s, "Content-Type: message/rfc822\n\nMessage-ID: <%u@x>\n", i);
    g_string_append (s, "\ndeep\n");
    break;
  case NEST_DIGEST:
    for (guint i = 0; i < n; i++)
      g_string_append_printf (s, "Content-Type: multipart/digest; boundary=\"d%u\"\n\n--d%u\n\nFrom: x@y\n", i, i);
    g_string_append (s, "\ndeep\n");
    break;
  case NEST_MIXED:
    for (guint i = 0; i < n; i++) {
      if (i % 3 == 0)
        g_string_append_printf (s, "Content-Type: multipart/mixed;\n boundary=\"m%u\"\n\npreamble\n--m%u\n", i, i);
      else if (i % 3 == 1)
        g_string_append (s, "Content-Type: message/global\nContent-Transfer-Encoding: 8bit\n\nSubject: s\n");
      else
        g_string_append_printf (s, "Content-Type: (comment) multipart/digest; boundary=m%u\n\n--m%u\n", i, i);
    }
    g_string_append (s, "\ndeep\n");
    break;
  case WIDE:
    g_string_append (s, "Content-Type: multipart/mixed; boundary=w\n\n");
    for (guint i = 0; i < n; i++)
      g_string_append (s, "--w\n\n");
    g_string_append (s, "--w--\n");
    break;
  case PART_FIELDS:
    g_string_append (s, "Content-Type: multipart/mixed; boundary=w\n\n--w\nContent-Type: message/rfc822\n\n");
    for (guint i = 0; i < n; i++)
      g_string_append_printf (s, "X-F%u: v\n", i);
    g_string_append (s, "\nbody\n--w--\n");
    break;
  case CT_PARAMS:
    g_string_append (s, "Content-Type: multipart/mixed");
    for (guint i = 0; i < n; i++)
      g_string_append (s, "; a=b");
    g_string_append (s, ";\n boundary=\"kept\"\n\n--kept\n\nx\n--kept--\n");
    break;
  case CT_MANY:
    for (guint i = 0; i < n; i++)
      g_string_append_printf (s, "Content-Type: text/plain; a=%u; b=c; d=e; f=g; h=i; j=k\n", i);
    g_string_append (s, "Content-Type: multipart/mixed; boundary=kept\n\n--kept\n\nx\n--kept--\n");
    break;
  case ADDRESSES:
    g_string_append (s, "To: ");
    for (guint i = 0; i < n; i++)
      g_string_append_printf (s, "%su%u@example.org", i ? ", " : "", i);
    g_string_append (s, "\nContent-Type: multipart/mixed; boundary=kept\n\n--kept\n\nx\n--kept--\n");
    break;
  case PART_HEADER_BYTES:
    g_string_append (s, "Content-Type: multipart/mixed; boundary=w\n\n--w\nContent-Type: message/rfc822\n\n"
                        "Message-ID: <kept@example.org>\nSubject: ");
    for (guint i = 0; i < n; i++)
      g_string_append_c (s, 'y');
    g_string_append (s, "\n\nbody\n--w--\n");
    break;
  }
  *len_r = s->len;
  return g_string_free (s, FALSE);
}

static void
test_hostile (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (hostile_cases); i++) {
    const HostileCase *c = &hostile_cases[i];
    g_test_message ("case %s", c->name);
    gsize len;
    char *data = gen_hostile (c->shape, c->n, &len);
    UscLimits lim;
    usc_limits_init (&lim);
    if (c->max_depth)
      lim.max_depth = c->max_depth;
    gint64 t0 = cpu_usec ();
    GError *error = NULL;
    UscMessage *msg = usc_message_new_from_data (data, len, &lim, &error);
    gint64 dt = cpu_usec () - t0;
    g_assert_no_error (error);
    g_assert_nonnull (msg);
    if (c->shape != CT_MANY) /* blanking the Content-Types GMime ignores changes nothing */
      g_assert_true (msg->parse_limited);
    GMimeObject *root = g_mime_message_get_mime_part (msg->mime);
    guint d = tree_depth (root), p = tree_parts (root);
    g_test_message ("  %" G_GSIZE_FORMAT " bytes: depth %u, parts %u, %.1f ms", len, d, p, dt / 1000.0);
    g_assert_cmpuint (d, <=, c->expect_max_depth);
    g_assert_cmpuint (p, <=, c->expect_max_parts);
    g_assert_cmpuint (d, >=, MIN (c->expect_max_depth, 1)); /* still parsed, not dropped */
    if (c->shape == CT_PARAMS || c->shape == CT_MANY || c->shape == ADDRESSES)
      g_assert_cmpstr (g_mime_object_get_content_type_parameter (root, "boundary"), ==, "kept");
    g_assert_cmpint (dt, <, PARSE_TIME_LIMIT);
    usc_message_free (&msg);
    g_free (data);
  }
  /* what was kept before a cut is still there */
  gsize len;
  char *data = gen_hostile (PART_HEADER_BYTES, 8 << 20, &len);
  UscMessage *msg = parse_ok (data, len);
  GMimeObject *mp = g_mime_multipart_get_part (GMIME_MULTIPART (g_mime_message_get_mime_part (msg->mime)), 0);
  g_assert_true (GMIME_IS_MESSAGE_PART (mp));
  GMimeMessage *inner = g_mime_message_part_get_message (GMIME_MESSAGE_PART (mp));
  g_assert_cmpstr (g_mime_message_get_message_id (inner), ==, "kept@example.org");
  usc_message_free (&msg);
  g_free (data);
}

/* Random MIME structures (fixed seed): the pre-scan must bound GMime's depth
 * and, when it limited nothing, leave GMime's tree exactly as it was. */
static void
random_entity (GRand *r, GString *s, guint depth, guint *nb)
{
  guint pick = depth > 60 ? 0 : (guint) g_rand_int_range (r, 0, 10);
  static const char *const leaf_cts[] = {
    "text/plain", "text/plain; charset=iso-8859-1", "application/octet-stream",
    "message/delivery-status", "text/rfc822-headers", "garbage", "",
  };
  if (pick < 4) {
    const char *ct = leaf_cts[g_rand_int_range (r, 0, G_N_ELEMENTS (leaf_cts))];
    if (*ct)
      g_string_append_printf (s, "Content-Type: %s\n", ct);
    g_string_append (s, "\nsome text\n--not-a-boundary\n");
    return;
  }
  if (pick < 7) {
    guint b = (*nb)++;
    gboolean digest = g_rand_int_range (r, 0, 4) == 0;
    gboolean quoted = g_rand_boolean (r);
    g_string_append_printf (s, "Content-Type: multipart/%s;%sboundary=%sB%u%s\n\n",
                            digest ? "digest" : "mixed", g_rand_boolean (r) ? "\n " : " ",
                            quoted ? "\"" : "", b, quoted ? "\"" : "");
    if (g_rand_boolean (r))
      g_string_append (s, "preamble\n");
    guint n = (guint) g_rand_int_range (r, 0, 4);
    for (guint i = 0; i < n; i++) {
      g_string_append_printf (s, "--B%u%s\n", b, g_rand_int_range (r, 0, 8) == 0 ? "  " : "");
      if (!(digest && g_rand_boolean (r)))
        random_entity (r, s, depth + 1, nb);
      else
        g_string_append (s, "Subject: digest child\n\nbody\n");
    }
    if (g_rand_int_range (r, 0, 6) != 0)
      g_string_append_printf (s, "--B%u--\n", b);
    if (g_rand_boolean (r))
      g_string_append (s, "epilogue\n");
    return;
  }
  static const char *const msg_cts[] = { "message/rfc822", "message/global", "message/news", "message/RFC822" };
  g_string_append_printf (s, "Content-Type: %s\n", msg_cts[g_rand_int_range (r, 0, G_N_ELEMENTS (msg_cts))]);
  if (g_rand_int_range (r, 0, 5) == 0)
    g_string_append (s, "Content-Transfer-Encoding: base64\n");
  g_string_append (s, "\nMessage-ID: <r@x>\n");
  random_entity (r, s, depth + 1, nb);
}

static void
test_prescan_random (void)
{
  GRand *r = g_rand_new_with_seed (4242);
  guint limited = 0, n = 600;
  for (guint i = 0; i < n; i++) {
    GString *s = g_string_new ("From: a@example.org\n");
    guint nb = 0;
    random_entity (r, s, 0, &nb);
    UscLimits lim;
    usc_limits_init (&lim);
    lim.max_depth = (guint) g_rand_int_range (r, 2, 12);
    GError *error = NULL;
    UscMessage *msg = usc_message_new_from_data (s->str, s->len, &lim, &error);
    g_assert_no_error (error);
    guint d = tree_depth (g_mime_message_get_mime_part (msg->mime));
    if (d > 2 * lim.max_depth + 1) {
      g_test_message ("depth %u > bound for max_depth %u:\n%s", d, lim.max_depth, s->str);
      g_assert_cmpuint (d, <=, 2 * lim.max_depth + 1);
    }
    if (msg->parse_limited) {
      limited++;
    } else {
      GMimeMessage *ref = plain_gmime (msg);
      GString *a = g_string_new (NULL), *b = g_string_new (NULL);
      tree_sig (g_mime_message_get_mime_part (msg->mime), a);
      tree_sig (ref ? g_mime_message_get_mime_part (ref) : NULL, b);
      if (strcmp (a->str, b->str) != 0)
        g_test_message ("differs:\n%s\n%s\n%s", s->str, a->str, b->str);
      g_assert_cmpstr (a->str, ==, b->str);
      g_string_free (a, TRUE);
      g_string_free (b, TRUE);
      g_clear_object (&ref);
    }
    usc_message_free (&msg);
    g_string_free (s, TRUE);
  }
  g_test_message ("%u of %u random structures limited", limited, n);
  g_assert_cmpuint (limited, >, 0);
  g_assert_cmpuint (limited, <, n);
  g_rand_free (r);
}

/* Real mail (fixtures, the corpus, Python's email test data when present):
 * the pre-scan must change nothing. */
static guint
agree_dir (const char *dir, guint max_files)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  if (d == NULL)
    return 0;
  guint n = 0;
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL && n < max_files) {
    char *path = g_build_filename (dir, name, NULL);
    if (g_file_test (path, G_FILE_TEST_IS_DIR)) {
      n += agree_dir (path, max_files - n);
    } else if (g_str_has_suffix (name, ".eml") || g_str_has_prefix (name, "msg_")) {
      GError *error = NULL;
      UscMessage *msg = usc_message_read_path (path, NULL, &error);
      g_assert_no_error (error);
      GMimeMessage *ref = plain_gmime (msg);
      if (ref != NULL) { /* GMime alone refuses text without headers; we take it as a body */
        GString *a = g_string_new (NULL), *b = g_string_new (NULL);
        tree_sig (g_mime_message_get_mime_part (msg->mime), a);
        tree_sig (g_mime_message_get_mime_part (ref), b);
        if (strcmp (a->str, b->str) != 0 || msg->parse_limited)
          g_test_message ("%s differs", path);
        g_assert_cmpstr (a->str, ==, b->str);
        g_assert_false (msg->parse_limited);
        g_string_free (a, TRUE);
        g_string_free (b, TRUE);
        g_object_unref (ref);
      }
      usc_message_free (&msg);
      n++;
    }
    g_free (path);
  }
  g_dir_close (d);
  return n;
}

static void
test_prescan_real_mail (void)
{
  const char *fixtures = g_getenv ("FIXTURES");
  const char *corpus = g_getenv ("USC_CORPUS");
  guint n = 0;
  if (fixtures)
    n += agree_dir (fixtures, 2000);
  if (corpus)
    n += agree_dir (corpus, 2000);
  n += agree_dir ("/usr/lib/python3.11/test/test_email/data", 500);
  g_test_message ("%u real messages compared", n);
  if (n == 0)
    g_test_skip ("no fixtures, corpus or Python email data");
}

/* Mutated real mail, in process: every API on every leaf, bounds kept. */
static void
load_seeds (const char *dir, GPtrArray *seeds, guint max)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  if (d == NULL)
    return;
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL && seeds->len < max) {
    char *path = g_build_filename (dir, name, NULL);
    if (g_file_test (path, G_FILE_TEST_IS_DIR)) {
      load_seeds (path, seeds, max);
    } else if (g_str_has_suffix (name, ".eml")) {
      char *data;
      gsize len;
      if (g_file_get_contents (path, &data, &len, NULL))
        g_ptr_array_add (seeds, g_bytes_new_take (data, len));
    }
    g_free (path);
  }
  g_dir_close (d);
}

static void
walk_leaves (GMimeObject *o, guint depth, guint *visited)
{
  if (o == NULL || depth > 200 || *visited > 10000)
    return;
  (*visited)++;
  if (GMIME_IS_MULTIPART (o)) {
    int c = g_mime_multipart_get_count (GMIME_MULTIPART (o));
    for (int i = 0; i < c; i++)
      walk_leaves (g_mime_multipart_get_part (GMIME_MULTIPART (o), i), depth + 1, visited);
  } else if (GMIME_IS_MESSAGE_PART (o)) {
    GMimeMessage *m = g_mime_message_part_get_message (GMIME_MESSAGE_PART (o));
    if (m)
      walk_leaves (g_mime_message_get_mime_part (m), depth + 1, visited);
  } else if (GMIME_IS_PART (o)) {
    GByteArray *ba = usc_mime_part_content (o, 1 << 20);
    if (ba) {
      GMimeMessage *e = usc_mime_parse_embedded (ba->data, ba->len, NULL);
      if (e) {
        g_assert_cmpuint (tree_depth (g_mime_message_get_mime_part (e)), <=, 2 * 40 + 1);
        g_object_unref (e);
      }
      char *type = usc_sniff_type (ba->data, ba->len, NULL);
      g_free (type);
      g_byte_array_unref (ba);
    }
    char *t = usc_mime_part_text (o, 1 << 20);
    g_assert_true (t == NULL || g_utf8_validate (t, -1, NULL));
    g_free (t);
  }
}

static void
ba_insert (GByteArray *ba, guint pos, const char *t, guint len)
{
  guint old = ba->len;
  g_byte_array_set_size (ba, old + len);
  memmove (ba->data + pos + len, ba->data + pos, old - pos);
  memcpy (ba->data + pos, t, len);
}

static void
test_mutations (void)
{
  GPtrArray *seeds = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  const char *fixtures = g_getenv ("FIXTURES");
  if (fixtures)
    load_seeds (fixtures, seeds, 400);
  for (guint s = 0; s < 4; s++) {
    gsize len;
    char *d = gen_hostile (s == 0 ? NEST_MIXED : s == 1 ? NEST_DIGEST : s == 2 ? NEST_RFC822 : NEST_MULTIPART, 300, &len);
    g_ptr_array_add (seeds, g_bytes_new_take (d, len));
  }
  static const char *const tokens[] = {
    "\n", "\r", "\r\n", "\n\n", "--", "\n--", "Content-Type: multipart/mixed; boundary=B\n\n--B\n",
    "Content-Type: message/rfc822\n\n", "Content-Type: multipart/digest; boundary=D\n\n--D\n\n",
    "Content-Transfer-Encoding: base64\n", "=\n", "\t", ":", "\"",
  };
  GRand *r = g_rand_new_with_seed (777);
  guint n = g_test_slow () ? 20000 : 1500;
  for (guint i = 0; i < n; i++) {
    GBytes *seed = g_ptr_array_index (seeds, g_rand_int_range (r, 0, (gint32) seeds->len));
    gsize slen;
    const char *sd = g_bytes_get_data (seed, &slen);
    GByteArray *m = g_byte_array_new ();
    g_byte_array_append (m, (const guint8 *) sd, (guint) slen);
    guint ops = (guint) g_rand_int_range (r, 1, 6);
    for (guint k = 0; k < ops && m->len > 0; k++) {
      guint pos = (guint) g_rand_int_range (r, 0, (gint32) m->len);
      switch (g_rand_int_range (r, 0, 5)) {
      case 0:
        m->data[pos] ^= (guint8) (1 << g_rand_int_range (r, 0, 8));
        break;
      case 1: {
        guint del = (guint) g_rand_int_range (r, 1, 200);
        g_byte_array_remove_range (m, pos, MIN (m->len - pos, del));
        break;
      }
      case 2:
        g_byte_array_set_size (m, pos);
        break;
      default: {
        const char *t = tokens[g_rand_int_range (r, 0, G_N_ELEMENTS (tokens))];
        guint reps = (guint) g_rand_int_range (r, 1, 60);
        for (guint q = 0; q < reps; q++)
          ba_insert (m, pos, t, (guint) strlen (t));
        break;
      }
      }
    }
    UscLimits lim;
    usc_limits_init (&lim);
    lim.max_depth = (guint) g_rand_int_range (r, 3, 41);
    GError *error = NULL;
    UscMessage *msg = usc_message_new_from_data (m->data, m->len, &lim, &error);
    if (msg == NULL) {
      g_assert_nonnull (error);
      g_clear_error (&error);
    } else {
      GMimeObject *root = g_mime_message_get_mime_part (msg->mime);
      g_assert_cmpuint (tree_depth (root), <=, 2 * lim.max_depth + 1);
      g_assert_cmpuint (tree_parts (root), <=, 2 * lim.max_parts + 2);
      g_assert_cmpuint (msg->raw_header_end, <=, m->len);
      guint visited = 0;
      walk_leaves (root, 0, &visited);
      GBytes *with = usc_message_with_headers (msg, "X-Test: 1");
      g_assert_cmpuint (g_bytes_get_size (with), ==, m->len + 9 + strlen (msg->raw_eol)
                        + (msg->raw_header_end > 0 && msg->raw_header_end == m->len
                           && m->data[m->len - 1] != '\n' && m->data[m->len - 1] != '\r'
                           ? strlen (msg->raw_eol) : 0));
      g_bytes_unref (with);
      usc_message_free (&msg);
    }
    g_byte_array_unref (m);
  }
  g_rand_free (r);
  g_ptr_array_unref (seeds);
}

/* ----------------------------------------------------------- embedded */

typedef struct {
  const char *name;
  const char *data;
  const char *message_id; /* NULL: no message expected */
  const char *subject;
} EmbeddedCase;

static const EmbeddedCase embedded_cases[] = {
  { "lf", "Message-ID: <a@example.org>\nSubject: hi\n\nbody\n", "a@example.org", "hi" },
  { "crlf", "Message-ID: <b@example.org>\r\nSubject: hi\r\n\r\nbody\r\n", "b@example.org", "hi" },
  { "cr", "Message-ID: <c@example.org>\rSubject: hi\r\rbody\r", "c@example.org", "hi" },
  { "leading-blank-lines", "\n  \n\r\nMessage-ID: <d@example.org>\n\nx\n", "d@example.org", NULL },
  { "mbox-from", "From me@example.org Mon Jan  1 10:00:00 2024\nMessage-ID: <e@example.org>\n\nx\n", "e@example.org", NULL },
  { "headers-only", "Message-ID: <f@example.org>\nSubject: cut", "f@example.org", "cut" },
  { "multipart", "Message-ID: <g@example.org>\nContent-Type: multipart/mixed; boundary=q\n\n--q\n\nx\n--q--\n", "g@example.org", NULL },
  { "plain-text", "this is just text\nand more\n", NULL, NULL },
  { "blank-only", "\n\n\n", NULL, NULL },
  { "empty", "", NULL, NULL },
};

static void
test_embedded (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (embedded_cases); i++) {
    const EmbeddedCase *c = &embedded_cases[i];
    g_test_message ("case %s", c->name);
    GMimeMessage *m = usc_mime_parse_embedded (c->data, strlen (c->data), NULL);
    if (c->message_id == NULL) {
      g_assert_null (m);
      continue;
    }
    g_assert_nonnull (m);
    g_assert_cmpstr (g_mime_message_get_message_id (m), ==, c->message_id);
    if (c->subject)
      g_assert_cmpstr (g_mime_message_get_subject (m), ==, c->subject);
    g_object_unref (m);
  }
  g_assert_null (usc_mime_parse_embedded (NULL, 0, NULL));
  /* embedded bombs are bounded too */
  gsize len;
  char *data = gen_hostile (NEST_MULTIPART, 20000, &len);
  gint64 t0 = cpu_usec ();
  GMimeMessage *m = usc_mime_parse_embedded (data, len, NULL);
  g_assert_nonnull (m);
  g_assert_cmpuint (tree_depth (g_mime_message_get_mime_part (m)), <=, 40);
  g_assert_cmpint (cpu_usec () - t0, <, PARSE_TIME_LIMIT);
  g_object_unref (m);
  g_free (data);
}

/* -------------------------------------------- parsed in place, copy on write */

/* The pre-scan's changes (a container too deep made a leaf, a long parameter
 * or address field cut, an earlier Content-Type blanked) go to a private
 * copy: the raw bytes, and msg->text, a view of them, stay as they were. */
static void
test_in_place (void)
{
  GString *cases[4];
  gsize len;
  char *deep = gen_hostile (NEST_MULTIPART, 100, &len);
  cases[0] = g_string_new_len (deep, len);
  g_free (deep);
  cases[1] = g_string_new ("From: a@example.org\nContent-Type: text/plain\nContent-Disposition: attachment");
  while (cases[1]->len < 40000)
    g_string_append (cases[1], "; a=b");
  g_string_append (cases[1], "\n\nbody\n");
  cases[2] = g_string_new ("From: a@example.org\nContent-Type: text/plain; charset=");
  while (cases[2]->len < 40000)
    g_string_append (cases[2], "x");
  g_string_append (cases[2], "\n\nbody\n");
  cases[3] = g_string_new ("From: a@example.org\nContent-Type: multipart/mixed; boundary=q\n"
                           "Content-Type: text/plain\n\n--q\n\nx\n--q--\n");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_test_message ("case %u", i);
    GBytes *raw = g_bytes_new (cases[i]->str, cases[i]->len);
    GError *error = NULL;
    UscMessage *msg = usc_message_new_from_bytes (raw, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (msg->mime);
    gsize rlen;
    const char *rdata = g_bytes_get_data (msg->raw, &rlen);
    g_assert_true (msg->text == rdata);          /* a view, no copy */
    g_assert_null (msg->text_bytes);
    g_assert_cmpmem (rdata, rlen, cases[i]->str, cases[i]->len);   /* unchanged */
    if (i < 3)
      g_assert_true (msg->parse_limited);
    usc_message_free (&msg);
    g_bytes_unref (raw);
    g_string_free (cases[i], TRUE);
  }
}

/* CRLF input read by usc_message_new_in_place (filter, deliver): when every
 * line ends in CRLF the CRs are taken out in the same buffer (no copy), the
 * parse is that of the same message in LF, and usc_message_raw_bytes()
 * gives back exactly the bytes read; other line endings take the copy. A
 * refused message gives its bytes back unchanged; a buffer shared with
 * someone else is not changed under them. */
static void
test_in_place_crlf (void)
{
  static const struct {
    const char *raw;
    gboolean    in_place;    /* parsed in its own buffer */
    guint       max_headers; /* 0: default */
    gboolean    ok;
  } cases[] = {
    { "From: a@example.org\r\nSubject: x\r\n\r\nbody\r\n", TRUE, 0, TRUE },
    { "From a@example.org Mon Jan  1 00:00:00 2024\r\nFrom: a@example.org\r\n\r\nx\r\n", TRUE, 0, TRUE },
    { "From: a@example.org\r\n\r\nno final line end", TRUE, 0, TRUE },
    { "From: a@example.org\r\nContent-Type: multipart/mixed; boundary=q\r\n\r\n--q\r\n\r\nx\r\n--q--\r\n",
      TRUE, 0, TRUE },
    { "From: a@example.org\r\nSubject: x\n\nbody\r\n", FALSE, 0, TRUE },      /* a mix */
    { "From: a@example.org\rSubject: x\r\rbody\r", FALSE, 0, TRUE },          /* CR only */
    { "From: a@example.org\r\n\r\nends in a lone CR\r", FALSE, 0, TRUE },
    { "From: a@example.org\nSubject: x\n\nbody\n", FALSE, 0, TRUE },          /* LF: no copy either */
    { "A: 1\r\nB: 2\r\nC: 3\r\n\r\nx\r\n", TRUE, 2, FALSE },                   /* refused: the bytes back */
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_test_message ("case %u", i);
    gsize len = strlen (cases[i].raw);
    UscLimits lim;
    usc_limits_init (&lim);
    if (cases[i].max_headers)
      lim.max_headers = cases[i].max_headers;
    GError *error = NULL;
    GBytes *raw = g_bytes_new (cases[i].raw, len);
    UscMessage *msg = usc_message_new_in_place (&raw, &lim, &error);
    if (!cases[i].ok) {
      g_assert_null (msg);
      g_assert_error (error, USC_ERROR, USC_ERROR_LIMIT);
      g_clear_error (&error);
      g_assert_nonnull (raw);
      g_assert_cmpmem (g_bytes_get_data (raw, NULL), g_bytes_get_size (raw), cases[i].raw, len);
      g_bytes_unref (raw);
      continue;
    }
    g_assert_no_error (error);
    g_assert_nonnull (msg);
    g_assert_null (raw);
    /* the same parse as the copy path's */
    UscMessage *copy = usc_message_new_from_data (cases[i].raw, len, &lim, &error);
    g_assert_no_error (error);
    g_assert_cmpmem (msg->text, msg->text_len, copy->text, copy->text_len);
    g_assert_cmpstr (msg->raw_eol, ==, copy->raw_eol);
    g_assert_cmpuint (msg->raw_header_end, ==, copy->raw_header_end);
    g_assert_cmpint (g_mime_header_list_get_count (g_mime_object_get_header_list (GMIME_OBJECT (msg->mime))), ==,
                     g_mime_header_list_get_count (g_mime_object_get_header_list (GMIME_OBJECT (copy->mime))));
    GBytes *w1 = usc_message_with_headers (msg, "X-A: 1\nX-B: 2\n");
    GBytes *w2 = usc_message_with_headers (copy, "X-A: 1\nX-B: 2\n");
    g_assert_true (g_bytes_equal (w1, w2));
    g_bytes_unref (w1);
    g_bytes_unref (w2);
    if (cases[i].in_place) {
      g_assert_null (msg->raw);
      g_assert_nonnull (msg->in_place);
      g_assert_cmpuint (msg->in_place_len, ==, len);
      g_assert_true (msg->text >= msg->in_place && msg->text < msg->in_place + len);
      g_assert_null (memchr (msg->text, '\r', msg->text_len));
    } else {
      g_assert_nonnull (msg->raw);
      g_assert_null (msg->in_place);
    }
    GBytes *back = usc_message_raw_bytes (msg);
    g_assert_cmpmem (g_bytes_get_data (back, NULL), g_bytes_get_size (back), cases[i].raw, len);
    g_assert_true (msg->raw == back);
    if (cases[i].in_place)
      g_assert_null (msg->text);
    GBytes *again = usc_message_raw_bytes (msg);   /* a second call: the same bytes */
    g_assert_true (again == back);
    g_bytes_unref (again);
    g_bytes_unref (back);
    usc_message_free (&msg);
    usc_message_free (&copy);
  }
  /* a buffer someone else holds too is not changed under them */
  const char *text = "From: a@example.org\r\n\r\nbody\r\n";
  GBytes *mine = g_bytes_new (text, strlen (text)), *theirs = g_bytes_ref (mine);
  GError *error = NULL;
  UscMessage *msg = usc_message_new_in_place (&mine, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (theirs, NULL), g_bytes_get_size (theirs), text, strlen (text));
  GBytes *back = usc_message_raw_bytes (msg);
  g_assert_true (g_bytes_equal (back, theirs));
  g_bytes_unref (back);
  g_bytes_unref (theirs);
  usc_message_free (&msg);
}

/* ------------------------------------------------------ the budget */

/* A header block of @n fields "Xk: y" then "Message-ID: <b@example.org>". */
static GString *
tiny_block (guint n)
{
  GString *s = g_string_new (NULL);
  for (guint k = 0; k < n; k++)
    g_string_append_printf (s, "X%u: y\n", k);
  g_string_append (s, "Message-ID: <b@example.org>\n\n");
  return s;
}

typedef struct {
  const char *name;
  guint  fields;      /* the budget: header fields */
  gsize  field_bytes; /* their bytes */
  guint  parts;
  gsize  bytes;       /* bytes_left (0: what usc_budget_new gives) */
  gboolean expired;
  guint  block;       /* fields per block (plus its Message-ID) */
  guint  calls;
  guint  whole;       /* parses that return the block with its Message-ID */
  guint  returned;    /* parses that return a message at all */
} BudgetCase;

static const BudgetCase budget_cases[] = {
  /* 1000 fields, blocks of 201: four whole ones, a fifth cut before its ID, then nothing */
  { "fields", 1000, 1 << 20, 100, 0, FALSE, 200, 8, 4, 5 },
  { "field-bytes", 100000, 2000, 100, 0, FALSE, 200, 8, 1, 2 },
  { "parts", 100000, 1 << 20, 3, 0, FALSE, 10, 8, 3, 3 },
  /* 1,000 bytes, blocks of 59: 16 whole, the 17th gets 56 bytes (its
   * Message-ID without the '>', which GMime still reads), then nothing */
  { "bytes", 100000, 1 << 20, 100, 1000, FALSE, 5, 30, 17, 17 },
  { "deadline", 100000, 1 << 20, 100, 0, TRUE, 5, 3, 0, 0 },
  { "plenty", 100000, 1 << 24, 1000, 0, FALSE, 200, 20, 20, 20 },
};

static void
test_budget (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (budget_cases); i++) {
    const BudgetCase *c = &budget_cases[i];
    g_test_message ("case %s", c->name);
    UscBudget *b = usc_budget_new (1 << 20, c->field_bytes, c->fields, c->parts, c->expired ? -1.0 : 60.0);
    if (c->bytes)
      b->bytes_left = c->bytes;
    GString *blk = tiny_block (c->block);
    guint whole = 0, returned = 0;
    for (guint k = 0; k < c->calls; k++) {
      GMimeMessage *m = usc_mime_parse_embedded (blk->str, blk->len, b);
      if (m == NULL)
        continue;
      returned++;
      if (g_strcmp0 (g_mime_message_get_message_id (m), "b@example.org") == 0)
        whole++;
      g_object_unref (m);
    }
    g_assert_cmpuint (whole, ==, c->whole);
    g_assert_cmpuint (returned, ==, c->returned);
    g_assert_true (b->exhausted == (returned < c->calls || whole < c->calls));
    g_string_free (blk, TRUE);
    usc_budget_free (&b);
    g_assert_null (b);
  }
  usc_budget_free (NULL);
}

/* ---------------------------------------------- header copies, fields kept */

static gboolean
keep_some (const char *name, gsize len)
{
  static const char *const want[] = { "Message-ID", "Subject", "To", "Date", "X-Sig", "From", "Cc" };
  for (gsize i = 0; i < G_N_ELEMENTS (want); i++)
    if (strlen (want[i]) == len && g_ascii_strncasecmp (name, want[i], len) == 0)
      return TRUE;
  return FALSE;
}

typedef struct {
  const char *name;
  const char *data;
  gsize len;           /* 0: strlen (data) */
  int fields;          /* header fields GMime holds after the filter; -1: no message */
} KeepCase;

/* a NUL inside a field: its length cannot be strlen's */
#define KEEP_NUL_BYTE "X-A: 1\x00 2\nSubject: s\n\n"

static const KeepCase keep_cases[] = {
  { "plain", "Received: from a by b\n\tfor <x@example.org>; Mon, 1 Jan 2024\nMessage-ID: <k@example.org>\n"
             "X-Spam: yes\nSubject: =?utf-8?q?caf=C3=A9?=\nTo: A <a@example.org>, b@example.org\n\nbody\n", 0, 4 },
  { "folded", "Subject: one\n two\n\tthree\nX-Long: a\n b\n c\nTo: a@example.org,\n b@example.org\n\n", 0, 2 },
  { "first-kept", "X-First: 1\nX-Other: 2\nX-Third: 3\n\n", 0, 1 },
  { "crlf", "X-A: 1\r\nSubject: crlf\r\nX-B: 2\r\n\r\nbody\r\n", 0, 2 },
  { "duplicates", "Subject: first\nSubject: second\nTo: a@example.org\nX-Y: z\nTo: b@example.org\n\n", 0, 4 },
  { "8-bit", "X-A: \xe3\x81\x82\nSubject: caf\xc3\xa9 \xff\nX-B: \xfe\n\n", 0, 2 },
  { "content-fields", "Content-Type: multipart/mixed; boundary=q\nSubject: s\nContent-Transfer-Encoding: 7bit\n\n", 0, 1 },
  { "no-blank-line", "X-A: 1\nSubject: end", 0, 2 },
  { "content-first", "Content-Type: text/plain\nSubject: s\nMessage-ID: <c@example.org>\n\n", 0, 2 },
  { "last-id-wins", "Message-ID: <one@example.org>\nMessage-Id: <two@example.org>\nsubject: a\nSUBJECT: b\n\n", 0, 4 },
  { "addresses", "From: =?utf-8?q?J=C3=B6rg?= <j@example.org>\nTo: \"Doe, J\" <d@example.org>,\n\t<e@example.org>\n"
                 "Cc: group: g@example.org;\nCc: f@example.org\nTo: broken <\n\n", 0, 5 },
  { "latin-1", "Subject: caf\xe9 cr\xe8me\nTo: =?iso-8859-1?q?Andr=E9?= <a@example.org>\nX-Sig: \xa7\n\n", 0, 3 },
  { "underscore-empty", "X_Under: 1\nSubject:\nDate:   \nMessage-ID: not an id\n\n", 0, 4 },
  /* not plain fields: the whole block goes to GMime */
  { "no-colon", "X-A: 1\nthis line has no colon\nSubject: s\n\n", 0, -2 },
  { "space-before-colon", "X-A: 1\nSubject : s\nTo: a@example.org\n\n", 0, -2 },
  { "continuation-first", " folded: first\nSubject: s\n\n", 0, -1 },
  { "blank-continuation", "X-A: 1\n \nSubject: s\n\n", 0, -2 },
  { "nul-byte", KEEP_NUL_BYTE, sizeof KEEP_NUL_BYTE - 1, -2 },
  { "8-bit-name", "X-\xc3\xa9: 1\nSubject: s\n\n", 0, -2 },
  { "body-only", "just text\n", 0, -1 },
  { "empty-name", ": value\nSubject: s\n\n", 0, -1 },
};

/* The number of fields a copy holds (a header block's, or a message's). */
static int
copy_count (UscCopy *c)
{
  if (c->block)
    return (int) usc_header_block_count (c->block);
  return g_mime_header_list_get_count (g_mime_object_get_header_list (GMIME_OBJECT (c->message)));
}

/* What a reader of the kept fields gets must be what it gets from the whole
 * block parsed by GMime; -2: the whole block was parsed by GMime (as many
 * fields as without the filter), else the copy is a header block
 * (usc-header-block.c) and must read as GMime's parse does. */
static void
test_header_fields (void)
{
  static const char *const read[] = { "Message-ID", "Subject", "To", "Date", "X-Sig", "Received", "from", "CC",
                                      "Return-Path", "Content-Type" };
  static const GMimeAddressType lists[] = { GMIME_ADDRESS_TYPE_FROM, GMIME_ADDRESS_TYPE_TO, GMIME_ADDRESS_TYPE_CC };
  for (guint i = 0; i < G_N_ELEMENTS (keep_cases); i++) {
    const KeepCase *c = &keep_cases[i];
    g_test_message ("case %s", c->name);
    gsize len = c->len ? c->len : strlen (c->data);
    UscBudget *b1 = usc_budget_new (1 << 20, 1 << 20, 1000, 100, 60.0);
    UscBudget *b2 = usc_budget_new (1 << 20, 1 << 20, 1000, 100, 60.0);
    GMimeMessage *whole = usc_mime_parse_embedded (c->data, len, b1);
    UscCopy *kept = usc_mime_parse_header_copy (c->data, len, b2, keep_some);
    /* the same budget spent either way */
    g_assert_cmpuint (b1->fields_left, ==, b2->fields_left);
    g_assert_cmpuint (b1->field_bytes_left, ==, b2->field_bytes_left);
    g_assert_cmpuint (b1->parts_left, ==, b2->parts_left);
    g_assert_cmpuint (b1->bytes_left, ==, b2->bytes_left);
    usc_budget_free (&b1);
    usc_budget_free (&b2);
    if (c->fields == -1) {
      g_assert_null (whole);
      g_assert_null (kept);
      continue;
    }
    g_assert_nonnull (whole);
    g_assert_nonnull (kept);
    /* a header block exactly when the block is plain fields */
    g_assert_true ((kept->block != NULL) == (c->fields >= 0));
    int nw = g_mime_header_list_get_count (g_mime_object_get_header_list (GMIME_OBJECT (whole)));
    g_assert_cmpint (copy_count (kept), ==, c->fields == -2 ? nw : c->fields);
    for (gsize k = 0; k < G_N_ELEMENTS (read); k++) {
      const char *w = usc_header_value (g_mime_header_list_get_header (
          g_mime_object_get_header_list (GMIME_OBJECT (whole)), read[k]));
      if (w && !keep_some (read[k], strlen (read[k])) && c->fields >= 0)
        continue; /* a field the filter leaves out (unless it comes first) */
      g_assert_cmpstr (usc_copy_header (kept, read[k]), ==, w);
      /* GMime's own decoding gives the same (usc_header_value's shortcut) */
      g_assert_cmpstr (usc_copy_header (kept, read[k]), ==, g_mime_object_get_header (GMIME_OBJECT (whole), read[k]));
    }
    g_assert_cmpstr (usc_copy_message_id (kept), ==, g_mime_message_get_message_id (whole));
    g_assert_cmpstr (usc_copy_subject (kept), ==, g_mime_message_get_subject (whole));
    for (gsize k = 0; k < G_N_ELEMENTS (lists); k++) {
      char *tw = internet_address_list_to_string (g_mime_message_get_addresses (whole, lists[k]), NULL, FALSE);
      char *tk = internet_address_list_to_string (usc_copy_addresses (kept, lists[k]), NULL, FALSE);
      g_assert_cmpstr (tk, ==, tw);
      g_free (tw);
      g_free (tk);
    }
    g_object_unref (whole);
    usc_copy_free (kept);
  }
  /* the decoded values, not only their equality */
  UscCopy *m = usc_mime_parse_header_copy (keep_cases[0].data, strlen (keep_cases[0].data), NULL, keep_some);
  g_assert_nonnull (m);
  g_assert_nonnull (m->block);
  g_assert_cmpstr (usc_copy_subject (m), ==, "caf\xc3\xa9");
  g_assert_cmpstr (usc_copy_message_id (m), ==, "k@example.org");
  g_assert_null (usc_copy_header (m, "X-Spam"));
  g_assert_nonnull (usc_copy_header (m, "Received")); /* the first field */
  g_assert_cmpstr (usc_copy_header (m, "received"), ==, "from a by b\tfor <x@example.org>; Mon, 1 Jan 2024");
  usc_copy_free (m);
  /* a spent budget: nothing, as for the whole block */
  UscBudget *b = usc_budget_new (1 << 20, 1 << 20, 1000, 100, -1.0);
  g_assert_null (usc_mime_parse_header_copy (keep_cases[0].data, strlen (keep_cases[0].data), b, keep_some));
  usc_budget_free (&b);
  g_assert_null (usc_mime_parse_header_copy (NULL, 0, NULL, keep_some));
  /* linear: 19,000 fields (under the default limit of 20,000), two kept */
  GString *big = g_string_new (NULL);
  for (int k = 0; k < 19000; k++)
    g_string_append_printf (big, "X-F%d: value %d\n folded\n", k, k);
  g_string_append (big, "Subject: last\n\n");
  gint64 t0 = cpu_usec ();
  m = usc_mime_parse_header_copy (big->str, big->len, NULL, keep_some);
  g_assert_cmpint (cpu_usec () - t0, <, PARSE_TIME_LIMIT);
  g_assert_nonnull (m);
  g_assert_cmpint (copy_count (m), ==, 2);
  g_assert_cmpstr (usc_copy_subject (m), ==, "last");
  usc_copy_free (m);
  g_string_free (big, TRUE);
}

/* usc_utf8_valid() answers as g_utf8_validate() does: every byte value put
 * at every offset of ASCII runs of every length up to 20, and a few longer
 * sequences (valid, truncated, overlong, surrogates) likewise. */
static void
test_utf8_valid (void)
{
  static const char *const seqs[] = { "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xc3", "\xe2\x82", "\xc0\xaf",
                                      "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xff\xfe" };
  char buf[32];
  for (gsize n = 0; n <= 20; n++) {
    memset (buf, 'a', sizeof buf);
    g_assert_cmpint (usc_utf8_valid (buf, n), ==, g_utf8_validate (buf, (gssize) n, NULL));
    for (gsize at = 0; at < n; at++) {
      for (int c = 0; c < 256; c++) {
        memset (buf, 'a', sizeof buf);
        buf[at] = (char) c;
        g_assert_cmpint (usc_utf8_valid (buf, n), ==, g_utf8_validate (buf, (gssize) n, NULL));
      }
      for (gsize k = 0; k < G_N_ELEMENTS (seqs); k++) {
        memset (buf, 'a', sizeof buf);
        gsize sl = strlen (seqs[k]);
        memcpy (buf + at, seqs[k], MIN (sl, sizeof buf - at));
        g_assert_cmpint (usc_utf8_valid (buf, n), ==, g_utf8_validate (buf, (gssize) n, NULL));
      }
    }
  }
}

/* The pre-scan's reader of plain Content-Type values: where it answers, it
 * answers as GMime's parse does; where it does not (plain == FALSE), GMime
 * is asked. */
static const struct {
  const char *value;
  gboolean plain;
} ct_cases[] = {
  { "multipart/mixed; boundary=abc", TRUE },
  { " multipart/report; report-type=delivery-status;\n\tboundary=\"----=_Part_1.2\"", TRUE },
  { "Multipart/Alternative; BOUNDARY=\"b 1\"", TRUE },
  { "multipart/mixed; boundary=\" padded \"", TRUE },
  { "multipart/mixed; boundary=\"a;b=c\"; charset=us-ascii", TRUE },
  { "multipart/digest; boundary=d;", TRUE },
  { "multipart/mixed", TRUE },
  { "message/rfc822", TRUE },
  { "message/global; name=x", TRUE },
  { "message/delivery-status", TRUE },
  { "text/plain; charset=\"utf-8\"; format=flowed", TRUE },
  { "multipart/mixed;\r\n boundary=crlf", TRUE },
  { "multipart/mixed; boundary=\"\"", FALSE },
  { "multipart/mixed; boundary=a; boundary=b", FALSE },
  { "multipart/mixed; Boundary=a; BOUNDARY=b", FALSE },
  { "multipart/mixed; boundary*=us-ascii''abc", FALSE },
  { "multipart/mixed; boundary*0=ab; boundary*1=cd", FALSE },
  { "multipart/mixed (a comment); boundary=abc", FALSE },
  { "multipart/mixed; boundary=\"a\\\"b\"", FALSE },
  { "multipart/mixed; boundary==?utf-8?q?x?=", FALSE },
  { "multipart/mixed; boundary=caf\xc3\xa9", FALSE },
  { "multipart/mixed; boundary==_NextPart", FALSE },
  { "multipart/mixed; boundary=\"unterminated", FALSE },
  { "multipart/mixed boundary=abc", FALSE },
  { "multipart/mixed/extra; boundary=abc", FALSE },
  { "multipart; boundary=abc", FALSE },
  { "/mixed; boundary=abc", FALSE },
  { "multipart/mixed;; boundary=abc", FALSE },
  { "multipart/mixed; boundary", FALSE },
  { "multipart/mixed; boundary=\"fold\n inside\"", FALSE },
  { "", FALSE },
};

static void
test_ct_plain (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (ct_cases); i++) {
    const char *v = ct_cases[i].value;
    g_test_message ("case %s", v);
    char *type = NULL, *sub = NULL, *bnd = NULL;
    gboolean plain = usc_ct_read_plain (v, &type, &sub, &bnd);
    g_assert_cmpint (plain, ==, ct_cases[i].plain);
    if (!plain) {
      g_assert_null (type);
      continue;
    }
    GMimeContentType *ct = g_mime_content_type_parse (NULL, v);
    g_assert_cmpstr (type, ==, g_mime_content_type_get_media_type (ct));
    g_assert_cmpstr (sub, ==, g_mime_content_type_get_media_subtype (ct));
    g_assert_cmpstr (bnd, ==, g_mime_content_type_get_parameter (ct, "boundary"));
    g_object_unref (ct);
    g_free (type);
    g_free (sub);
    g_free (bnd);
  }
}

/* The message's own budget: created with it, charged by its parse, shared. */
static void
test_message_budget (void)
{
  static const char data[] = "From: a@example.org\nContent-Type: multipart/mixed; boundary=z\n\n"
                             "--z\nContent-Type: text/plain\n\nx\n--z\nContent-Type: text/plain\n\ny\n--z--\n";
  UscMessage *msg = parse_ok (data, sizeof data - 1);
  g_assert_nonnull (msg->budget);
  g_assert_cmpuint (msg->budget->bytes_left, ==, 2 * (sizeof data - 1) + USC_BUDGET_BYTES_SLACK - msg->text_len);
  g_assert_cmpuint (msg->budget->parts_left, ==, 2 * msg->limits.max_parts - 2);
  g_assert_cmpuint (msg->budget->fields_left, ==, 2 * msg->limits.max_headers - 2);
  g_assert_false (msg->budget->exhausted);
  /* a re-parse draws on it: its own two fields and one part */
  static const char blk[] = "Message-ID: <r@example.org>\nSubject: s\n\n";
  GMimeMessage *m = usc_mime_parse_embedded (blk, sizeof blk - 1, msg->budget);
  g_assert_nonnull (m);
  g_object_unref (m);
  g_assert_cmpuint (msg->budget->parts_left, ==, 2 * msg->limits.max_parts - 3);
  g_assert_cmpuint (msg->budget->fields_left, ==, 2 * msg->limits.max_headers - 4);
  usc_message_free (&msg);
}

/* ------------------------------------------------------ part contents */

typedef struct {
  const char *name;
  const char *part;     /* headers + body of the single part */
  gsize       max;
  const char *content;  /* expected decoded bytes (usc_mime_part_content) */
  gsize       content_len;
  const char *text;     /* expected UTF-8 (usc_mime_part_text) */
} PartCase;

static const PartCase part_cases[] = {
  { "plain", "Content-Type: text/plain\n\nhello\n", 0, "hello", 5, "hello" },
  { "base64", "Content-Type: text/plain\nContent-Transfer-Encoding: base64\n\naGVsbG8gd29ybGQ=\n", 0,
    "hello world", 11, "hello world" },
  { "base64-max", "Content-Type: text/plain\nContent-Transfer-Encoding: base64\n\naGVsbG8gd29ybGQ=\n", 5,
    "hello", 5, "hello" },
  { "base64-broken", "Content-Type: text/plain\nContent-Transfer-Encoding: base64\n\naGVs!!bG8=\n***\n=\n", 0,
    "hello", 5, "hello" },
  { "qp", "Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\ncaf=E9 =\nau lait\n", 0,
    "caf\xe9 au lait", 12, "caf\xc3\xa9 au lait" },
  { "latin1", "Content-Type: text/plain; charset=ISO-8859-1\n\nna\xefve\n", 0, "na\xefve", 5, "na\xc3\xafve" },
  { "latin1-alias", "Content-Type: text/plain; charset=latin1\n\n\xe9t\xe9\n", 0, "\xe9t\xe9", 3, "\xc3\xa9t\xc3\xa9" },
  { "koi8r", "Content-Type: text/plain; charset=koi8-r\n\n\xf0\xd2\xc9\xd7\xc5\xd4\n", 0,
    "\xf0\xd2\xc9\xd7\xc5\xd4", 6, "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82" },
  { "utf8", "Content-Type: text/plain; charset=utf-8\n\n\xc3\xa9\n", 0, "\xc3\xa9", 2, "\xc3\xa9" },
  { "utf8-invalid", "Content-Type: text/plain; charset=utf-8\n\nab\xff\n", 0, "ab\xff", 3, "ab\xc3\xbf" },
  { "no-charset-8bit", "Content-Type: text/plain\n\nfa\xe7" "ade\n", 0, "fa\xe7" "ade", 6, "fa\xc3\xa7" "ade" },
  { "unknown-charset", "Content-Type: text/plain; charset=x-no-such-charset\n\nabc\n", 0, "abc", 3, "abc" },
  { "shift-jis-broken", "Content-Type: text/plain; charset=shift_jis\n\n\x82\xa0\x82\n", 0, "\x82\xa0\x82", 3,
    "\xe3\x81\x82\xef\xbf\xbd" },
  /* nothing to decode: the bytes in memory, cut at @max */
  { "plain-max", "Content-Type: text/plain\n\nhello world\n", 5, "hello", 5, "hello" },
  { "8bit-max-mid-char", "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\na\xc3\xa9" "b\n", 2,
    "a\xc3", 2, "a" },
  { "crlf-7bit", "Content-Type: text/plain\r\nContent-Transfer-Encoding: 7bit\r\n\r\nline one\r\nline two\r\n", 0,
    "line one\nline two", 17, "line one\nline two" },
  { "empty", "Content-Type: text/plain\n\n", 0, "", 0, "" },
};

/* The content as a read of the part's stream gives it (the way for every
 * encoding): what usc_mime_part_content() must give, bytes and length. */
static GByteArray *
content_by_stream (GMimeObject *part, gsize max)
{
  GMimeDataWrapper *w = g_mime_part_get_content (GMIME_PART (part));
  GMimeStream *src = g_mime_data_wrapper_get_stream (w);
  GMimeStream *sub = g_mime_stream_substream (src, src->bound_start, src->bound_end);
  GMimeStream *filtered = g_mime_stream_filter_new (sub);
  GMimeContentEncoding enc = g_mime_data_wrapper_get_encoding (w);
  if (enc == GMIME_CONTENT_ENCODING_BASE64 || enc == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE ||
      enc == GMIME_CONTENT_ENCODING_UUENCODE) {
    GMimeFilter *f = g_mime_filter_basic_new (enc, FALSE);
    g_mime_stream_filter_add (GMIME_STREAM_FILTER (filtered), f);
    g_object_unref (f);
  }
  GByteArray *ba = g_byte_array_new ();
  char buf[7];
  ssize_t n;
  while ((n = g_mime_stream_read (filtered, buf, sizeof buf)) > 0)
    g_byte_array_append (ba, (const guint8 *) buf, (guint) n);
  g_object_unref (filtered);
  g_object_unref (sub);
  if (max && ba->len > max)
    g_byte_array_set_size (ba, (guint) max);
  return ba;
}

static void
test_part_content (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (part_cases); i++) {
    const PartCase *c = &part_cases[i];
    g_test_message ("case %s", c->name);
    char *raw = g_strconcat ("From: a@example.org\nMIME-Version: 1.0\n", c->part, NULL);
    UscMessage *msg = parse_ok (raw, strlen (raw));
    GMimeObject *part = g_mime_message_get_mime_part (msg->mime);
    GByteArray *ba = usc_mime_part_content (part, c->max);
    g_assert_nonnull (ba);
    GByteArray *ref = content_by_stream (part, c->max);
    g_assert_cmpmem (ba->data, ba->len, ref->data, ref->len);
    g_byte_array_unref (ref);
    /* the part's own newline before the next boundary/EOF stays; compare the prefix */
    g_assert_cmpuint (ba->len, >=, c->content_len);
    g_assert_cmpmem (ba->data, c->content_len, c->content, c->content_len);
    if (c->max)
      g_assert_cmpuint (ba->len, ==, c->max);
    g_assert_cmpint (ba->data[ba->len], ==, 0); /* NUL-terminated */
    g_byte_array_unref (ba);
    /* twice: the wrapper's stream is not consumed */
    ba = usc_mime_part_content (part, c->max);
    g_assert_cmpmem (ba->data, c->content_len, c->content, c->content_len);
    g_byte_array_unref (ba);
    char *text = usc_mime_part_text (part, c->max);
    g_assert_nonnull (text);
    g_assert_true (g_utf8_validate (text, -1, NULL));
    g_assert_true (g_str_has_prefix (text, c->text));
    g_free (text);
    usc_message_free (&msg);
    g_free (raw);
  }
  g_assert_null (usc_mime_part_content (NULL, 0));
  /* a multipart is no leaf */
  static const char mp[] = "Content-Type: multipart/mixed; boundary=x\n\n--x\n\na\n--x--\n";
  UscMessage *msg = parse_ok (mp, sizeof mp - 1);
  g_assert_null (usc_mime_part_content (g_mime_message_get_mime_part (msg->mime), 0));
  g_assert_null (usc_mime_part_text (g_mime_message_get_mime_part (msg->mime), 0));
  usc_message_free (&msg);
  /* long encoded bodies, decoded where they lie 8 KB at a time: the same
   * bytes as the stream read 7 bytes at a time, whatever the cut (chunk
   * boundaries inside a base64 quantum, a QP "=XX" or soft line break) */
  for (int enc = 0; enc < 2; enc++) {
    GString *body = g_string_new (NULL);
    if (enc == 0) {
      GString *plain = g_string_new (NULL);
      for (int k = 0; k < 3000; k++)
        g_string_append_printf (plain, "line %d \xe9\xff\x01 ", k);
      char *b64 = g_base64_encode ((const guchar *) plain->str, plain->len);
      for (const char *q = b64; *q; q += MIN (strlen (q), 76)) {
        g_string_append_len (body, q, (gssize) MIN (strlen (q), 76));
        g_string_append (body, (q - b64) % 1000 < 76 ? "!*\n" : "\n"); /* junk now and then */
      }
      g_free (b64);
      g_string_free (plain, TRUE);
    } else {
      for (int k = 0; k < 4000; k++)
        g_string_append (body, k % 3 ? "caf=E9 au lait=\n" : "a line =3D=\n =20 \n");
      g_string_append (body, "end=");
    }
    char *raw = g_strdup_printf ("From: a@example.org\nMIME-Version: 1.0\nContent-Type: text/plain\n"
                                 "Content-Transfer-Encoding: %s\n\n%s\n", enc ? "quoted-printable" : "base64", body->str);
    UscMessage *lm = parse_ok (raw, strlen (raw));
    GMimeObject *part = g_mime_message_get_mime_part (lm->mime);
    static const gsize maxes[] = { 0, 1, 3, 8191, 8192, 8193, 20000, 1 << 20 };
    for (gsize k = 0; k < G_N_ELEMENTS (maxes); k++) {
      GByteArray *ba = usc_mime_part_content (part, maxes[k]);
      GByteArray *ref = content_by_stream (part, maxes[k]);
      if (maxes[k] == 0)
        g_assert_cmpuint (ref->len, >, 8192 * 2);
      g_assert_cmpmem (ba->data, ba->len, ref->data, ref->len);
      g_byte_array_unref (ba);
      g_byte_array_unref (ref);
    }
    usc_message_free (&lm);
    g_free (raw);
    g_string_free (body, TRUE);
  }
}

static void
test_nul_bytes (void)
{
  static const char data[] = "From: a@example.org\nSubject: a\0b\nContent-Type: text/plain\n\nx\0y\0z\n";
  UscMessage *msg = parse_ok (data, sizeof data - 1);
  g_assert_cmpuint (msg->text_len, ==, sizeof data - 1);
  GByteArray *ba = usc_mime_part_content (g_mime_message_get_mime_part (msg->mime), 0);
  g_assert_cmpmem (ba->data, 6, "x\0y\0z\n", 6);
  g_byte_array_unref (ba);
  usc_message_free (&msg);
}

/* Zero limits (an unset configuration) mean the defaults, never "refuse all". */
static void
test_zero_limits (void)
{
  UscLimits lim = { 0 };
  GError *error = NULL;
  static const char data[] = "From: a@example.org\nContent-Type: multipart/mixed; boundary=z\n\n--z\n\nx\n--z--\n";
  UscMessage *msg = usc_message_new_from_data (data, sizeof data - 1, &lim, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (msg->limits.max_depth, ==, 40);
  g_assert_cmpuint (msg->limits.max_bytes, ==, 64 * 1024 * 1024);
  g_assert_false (msg->parse_limited);
  g_assert_true (GMIME_IS_MULTIPART (g_mime_message_get_mime_part (msg->mime)));
  g_assert_false (usc_message_expired (msg));
  usc_message_free (&msg);
}

static void
test_expired (void)
{
  UscLimits lim;
  usc_limits_init (&lim);
  UscMessage *msg = usc_message_new_from_data ("Subject: a\n\nb\n", 14, &lim, NULL);
  g_assert_false (usc_message_expired (msg));
  msg->deadline = usc_now_monotonic () - 1;
  g_assert_true (usc_message_expired (msg));
  usc_message_free (&msg);
}

/* ---------------------------------------------------------------- sniff */

static GBytes *
pe_header (void)
{
  guint8 *h = g_malloc0 (512);
  h[0] = 'M'; h[1] = 'Z'; h[2] = 0x90; h[4] = 3; h[8] = 4;
  h[0x18] = 0x40;
  h[0x3c] = 0x40;
  memcpy (h + 0x40, "PE\0\0", 4);
  h[0x44] = 0x4c; h[0x45] = 0x01; /* i386 */
  h[0x46] = 1;
  h[0x54] = 0xe0;
  h[0x56] = 0x02; h[0x57] = 0x01;
  h[0x58] = 0x0b; h[0x59] = 0x01; /* PE32 optional header */
  return g_bytes_new_take (h, 512);
}

static GBytes *
elf_header (void)
{
  guint8 *e = g_malloc0 (128);
  memcpy (e, "\177ELF", 4);
  e[4] = 2; e[5] = 1; e[6] = 1;       /* 64-bit, little endian, version 1 */
  e[16] = 2;                          /* ET_EXEC */
  e[18] = 0x3e;                       /* x86-64 */
  e[20] = 1;
  return g_bytes_new_take (e, 128);
}

typedef struct {
  const char *name;
  const char *data; /* NULL: from the generator */
  GBytes *(*gen) (void);
  const char *type;
  gboolean    executable;
} SniffCase;

static const SniffCase sniff_cases[] = {
  { "pe", NULL, pe_header, "application/vnd.microsoft.portable-executable", TRUE },
  { "elf", NULL, elf_header, "application/x-executable", TRUE },
  { "shell", "#!/bin/sh\nrm -rf \"$HOME\"\necho done\n", NULL, "text/x-shellscript", TRUE },
  { "pdf", "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", NULL, "application/pdf", FALSE },
  { "text", "Dear colleague,\n\nplease find the minutes of our meeting attached.\n\nRegards\n", NULL, "text/plain", FALSE },
  { "message", "Received: from a by b; Mon, 1 Jan 2024 10:00:00 +0000\nFrom: a@example.org\nSubject: x\n\nbody\n",
    NULL, "message/rfc822", FALSE },
};

static void
test_sniff_type (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (sniff_cases); i++) {
    const SniffCase *c = &sniff_cases[i];
    g_test_message ("case %s", c->name);
    GBytes *b = c->gen ? c->gen () : g_bytes_new_static (c->data, strlen (c->data));
    gsize len;
    const void *d = g_bytes_get_data (b, &len);
    GError *error = NULL;
    char *type = usc_sniff_type (d, len, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (type, ==, c->type);
    g_assert_cmpint (usc_sniff_is_executable (type, NULL), ==, c->executable);
    g_free (type);
    g_bytes_unref (b);
  }
  char *t = usc_sniff_type ("", 0, NULL);
  g_assert_cmpstr (t, ==, "application/x-empty");
  g_free (t);
}

typedef struct {
  const char *mime_type;
  const char *filename;
  gboolean    executable;
} ExecCase;

static const ExecCase exec_cases[] = {
  { "application/x-dosexec", NULL, TRUE },
  { "application/vnd.microsoft.portable-executable", NULL, TRUE },
  { "application/x-executable", NULL, TRUE },
  { "application/x-sharedlib", NULL, TRUE },
  { "application/x-mach-binary", NULL, TRUE },
  { "text/x-shellscript", NULL, TRUE },
  { "text/x-msdos-batch", NULL, TRUE },
  { "application/javascript", NULL, TRUE },
  { "application/java-archive", NULL, TRUE },
  { "APPLICATION/X-DOSEXEC; charset=binary", NULL, TRUE },
  { "application/pdf", NULL, FALSE },
  { "text/plain", NULL, FALSE },
  { "application/zip", NULL, FALSE },
  { "application/x-dosexecutable", NULL, FALSE },
  { "image/jpeg", "photo.jpg", FALSE },
  { NULL, "invoice.exe", TRUE },
  { NULL, "invoice.pdf.exe", TRUE },
  { NULL, "INVOICE.PDF.SCR", TRUE },
  { NULL, "document.pif", TRUE },
  { NULL, "run.bat", TRUE },
  { NULL, "x.cmd", TRUE },
  { NULL, "x.com", TRUE },
  { NULL, "x.js", TRUE },
  { NULL, "x.vbs", TRUE },
  { NULL, "x.jar", TRUE },
  { NULL, "x.lnk", TRUE },
  { NULL, "x.hta", TRUE },
  { NULL, "x.ps1", TRUE },
  { NULL, "trailing.exe.", TRUE },
  { NULL, "trailing.exe ", TRUE },
  { NULL, "report.pdf", FALSE },
  { NULL, "exe", FALSE },
  { NULL, "notes.txt", FALSE },
  { NULL, "archive.zip", FALSE },
  { NULL, "x.jsx", FALSE },
  { NULL, "", FALSE },
  { NULL, NULL, FALSE },
  { "text/plain", "hidden.exe", TRUE },
};

static void
test_sniff_executable (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (exec_cases); i++) {
    const ExecCase *c = &exec_cases[i];
    g_test_message ("case %s / %s", c->mime_type ? c->mime_type : "-", c->filename ? c->filename : "-");
    g_assert_cmpint (usc_sniff_is_executable (c->mime_type, c->filename), ==, c->executable);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  signal (SIGPIPE, SIG_IGN);
  g_mime_init ();
  g_test_add_func ("/message/line-endings", test_line_endings);
  g_test_add_func ("/message/with-headers", test_with_headers);
  g_test_add_func ("/message/limits", test_limits);
  g_test_add_func ("/message/empty-and-missing", test_empty_and_missing);
  g_test_add_func ("/message/read-pipe", test_read_pipe);
  g_test_add_func ("/message/hostile", test_hostile);
  g_test_add_func ("/message/prescan-random", test_prescan_random);
  g_test_add_func ("/message/prescan-real-mail", test_prescan_real_mail);
  g_test_add_func ("/message/mutations", test_mutations);
  g_test_add_func ("/message/embedded", test_embedded);
  g_test_add_func ("/message/part-content", test_part_content);
  g_test_add_func ("/message/nul-bytes", test_nul_bytes);
  g_test_add_func ("/message/zero-limits", test_zero_limits);
  g_test_add_func ("/message/expired", test_expired);
  g_test_add_func ("/message/in-place", test_in_place);
  g_test_add_func ("/message/in-place-crlf", test_in_place_crlf);
  g_test_add_func ("/message/budget", test_budget);
  g_test_add_func ("/message/budget-of-message", test_message_budget);
  g_test_add_func ("/message/header-fields", test_header_fields);
  g_test_add_func ("/message/content-type-plain", test_ct_plain);
  g_test_add_func ("/message/utf8-valid", test_utf8_valid);
  g_test_add_func ("/sniff/type", test_sniff_type);
  g_test_add_func ("/sniff/executable", test_sniff_executable);
  return g_test_run ();
}
