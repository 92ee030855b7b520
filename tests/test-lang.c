/* test-lang.c — unit tests for usc-lang (GTest, table-driven): every row of
 * src/lang/<signal>.def (lower case, valid UTF-8, no duplicate, a known language,
 * the 30 languages present in every wording table), the searches, and the
 * decoding of text whose charset was not declared. */
#include "config.h"
#include <string.h>
#include <gmime/gmime.h>
#include "usc-lang.h"

/* The 30 most used content languages of the web (src/lang/README.md). */
static const char *const top30[] = {
  "en", "es", "de", "ja", "fr", "ru", "pt", "it", "nl", "pl", "tr", "fa", "zh", "vi", "id",
  "cs", "ko", "uk", "hu", "ar", "sv", "ro", "el", "da", "fi", "he", "sk", "th", "bg", "sr",
};
static const char *const extra[] = {
  "no", "hr", "lt", "ca", "eu", "cy", "ga", "et", "lv", "sl", "mk", "sq", "is", "mt", "ka", "hy", "az",
  "kk", "uz", "mn", "be", "hi", "bn", "ta", "te", "mr", "gu", "kn", "ml", "ne", "ur", "ms", "tl", "sw",
  "af", "am", "km", "my", "si", "eo", "yo", "zu", "lo", "mg",
  /* added after h14 */
  "ku", "lb", "so", "tg", "ky", "tt", "tk", "ps", "pa", "ha", "ig", "xh", "fy", "gd", "br", "gl", "mi", "jv",
  "su", "la", "ht", "ug", "sd", "yi", "co",
};

static gboolean
known (const char *code)
{
  for (gsize i = 0; i < G_N_ELEMENTS (top30); i++)
    if (strcmp (top30[i], code) == 0)
      return TRUE;
  for (gsize i = 0; i < G_N_ELEMENTS (extra); i++)
    if (strcmp (extra[i], code) == 0)
      return TRUE;
  return FALSE;
}

static void
test_rows (gconstpointer data)
{
  UscLangSignal sig = GPOINTER_TO_INT (data);
  gsize n = 0;
  const char *const *p = usc_lang_phrases (sig, &n);
  g_assert_nonnull (p);
  g_assert_cmpuint (n, >=, 30);
  GHashTable *seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (gsize i = 0; i < n; i++) {
    g_assert_true (g_utf8_validate (p[i], -1, NULL));
    char *lc = g_utf8_strdown (p[i], -1);
    g_assert_cmpstr (lc, ==, p[i]);  /* lower case, as usc_lang_fold() leaves text */
    g_free (lc);
    g_assert_cmpuint (strlen (p[i]), >=, sig == USC_LANG_REPLY_PREFIX ? 1 : 4);
    g_assert_false (g_hash_table_contains (seen, p[i]));  /* no duplicate */
    g_hash_table_add (seen, (gpointer) p[i]);
    g_assert_true (known (usc_lang_language (sig, i)));
  }
  g_hash_table_unref (seen);
  g_assert_null (usc_lang_language (sig, n));
  /* every top-30 language has a row (the reply prefixes: most clients
   * write "Re:", so not every language has its own) */
  if (sig != USC_LANG_REPLY_PREFIX)
    for (gsize k = 0; k < G_N_ELEMENTS (top30); k++) {
      gboolean has = FALSE;
      for (gsize i = 0; i < n && !has; i++)
        has = strcmp (usc_lang_language (sig, i), top30[k]) == 0;
      if (!has)
        g_test_message ("signal %d lacks language %s", (int) sig, top30[k]);
      g_assert_true (has);
    }
}

typedef struct {
  UscLangSignal sig;
  const char *text;   /* any case: folded by the test */
  guint count;
  const char *first;
} CountCase;

static const CountCase count_cases[] = {
  { USC_LANG_FAILURE, "Your message COULD NOT BE DELIVERED to bob", 1, "could not be delivered" },
  { USC_LANG_FAILURE, "Сообщение НЕ ДОСТАВЛЕНО: не удалось доставить", 2, "не доставлено" },
  { USC_LANG_FAILURE, "您发送的邮件无法投递，投递失败", 2, "无法投递" },
  { USC_LANG_FAILURE, "Échec de la remise à ces destinataires", 1, "échec de la remise" },
  { USC_LANG_FAILURE, "İleti teslim edilemedi", 1, "teslim edilemedi" },
  { USC_LANG_FAILURE, "很抱歉，您寄出的信件無法送達下列收件者", 1, "無法送達" },
  { USC_LANG_FAILURE, "Vaši zprávu se nepodařilo doručit", 1, "nepodařilo doručit" },
  { USC_LANG_FAILURE, "Lunch on Thursday? The parcel was delivered.", 0, NULL },
  { USC_LANG_DELAY, "Die Zustellung wird automatisch erneut versucht", 1, "erneut versucht" },
  { USC_LANG_DELAY, "has not yet been delivered; we will retry", 2, "not yet been delivered" },
  { USC_LANG_DELAY, "A entrega foi adiada. Continuaremos tentando.", 2, "foi adiada" },
  { USC_LANG_SEPARATOR, "----- Заголовки исходного сообщения -----", 1, "исходного сообщения" },
  { USC_LANG_SEPARATOR, "=== 原始郵件標頭 ===", 1, "原始郵件" },
  { USC_LANG_VACATION, "Estoy de vacaciones hasta el lunes", 1, "estoy de vacaciones" },
  { USC_LANG_ACK, "Nous avons bien reçu votre message. Ceci est une réponse automatique.", 2,
    "nous avons bien reçu votre message" },
  { USC_LANG_ACK, "", 0, NULL },
  /* rows added after round h12, each beside a look-alike of ordinary mail */
  { USC_LANG_FAILURE, "Mesej anda tidak dapat dihantar kepada penerima berikut", 1, "tidak dapat dihantar" },
  { USC_LANG_FAILURE, "Maaf, saya tidak dapat hadir esok", 0, NULL },
  { USC_LANG_FAILURE, "Jūsų laiškas nebuvo pristatytas šiam gavėjui", 1, "nebuvo pristatytas" },
  { USC_LANG_FAILURE, "आपका संदेश निम्नलिखित प्राप्तकर्ता तक नहीं पहुँचाया जा सका", 1, "नहीं पहुँचाया जा सका" },
  { USC_LANG_FAILURE, "Il messaggio non è stato recapitato al destinatario", 1, "non è stato recapitato" },
  { USC_LANG_FAILURE, "Il pacco è stato consegnato ieri", 0, NULL },
  { USC_LANG_DELAY, "Meldingen din er ennå ikke levert.", 1, "ennå ikke levert" },
  { USC_LANG_DELAY, "Rapporten er levert, takk.", 0, NULL },
  { USC_LANG_DELAY, "Teie kiri ei ole veel kohale toimetatud.", 1, "ei ole veel kohale toimetatud" },
  { USC_LANG_ACK, "Primili smo vaš upit i odgovorit ćemo uskoro", 1, "primili smo vaš upit" },
  { USC_LANG_ACK, "आपके संदेश के लिए धन्यवाद।", 1, "आपके संदेश के लिए धन्यवाद" },
  { USC_LANG_CONFIRM, "Bekræft at du er afsenderen ved at klikke", 1, "bekræft at du" },
  { USC_LANG_CONFIRM, "Bekræft venligst mødetidspunktet", 0, NULL },
  { USC_LANG_CONFIRM, "कृपया इस संदेश का उत्तर देकर पुष्टि करें कि आप ही प्रेषक हैं", 1, "पुष्टि करें कि आप" },
  { USC_LANG_REPLY_INSTRUCTION, "vastaamalla tähän viestiin muuttamatta sitä", 1, "vastaamalla tähän viestiin" },
  /* rows added after h14, each beside a look-alike of ordinary mail */
  { USC_LANG_FAILURE, "Mesazhi juaj nuk u dorëzua te marrësi", 1, "nuk u dorëzua" },
  { USC_LANG_FAILURE, "Paketa u dorëzua dje", 0, NULL },
  { USC_LANG_FAILURE, "Vaše sporočilo ni bilo mogoče dostaviti", 1, "ni bilo mogoče dostaviti" },
  { USC_LANG_FAILURE, "Jūsu vēstuli nevarēja piegādāt adresātam", 1, "nevarēja piegādāt" },
  { USC_LANG_DELAY, "Доставка вашего письма задерживается. Следующая попытка через 2 часа", 2, "задерживается" },
  { USC_LANG_DELAY, "Jūsų laiškas dar nepristatytas. Bandysime dar kartą.", 2, "dar nepristatytas" },
  { USC_LANG_DELAY, "Laiškas pristatytas, ačiū.", 0, NULL },
  { USC_LANG_CONFIRM, "Cadarnhewch eich cyfeiriad drwy glicio ar y ddolen hon", 1, "cadarnhewch eich" },
  { USC_LANG_CONFIRM, "Sila sahkan kehadiran anda", 0, NULL },
  { USC_LANG_REPLY_INSTRUCTION, "Sila sahkan bahawa anda pengirim dengan membalas e-mel ini", 1,
    "dengan membalas e-mel ini" },
  { USC_LANG_CHALLENGE, "Apstipriniet sūtītāju", 1, "apstipriniet sūtītāju" },
  { USC_LANG_ACK, "고객님의 문의가 정상적으로 접수되었습니다. 답변드리겠습니다.", 2, "접수되었습니다" },
  { USC_LANG_AUTOMATIC, "We aim to reply within 20 days. This mailbox is not monitored.", 1,
    "this mailbox is not monitored" },
  { USC_LANG_VACATION, "Do 2. aprila sem na dopustu.", 1, "sem na dopustu" },
  { USC_LANG_VACATION, "Bil sem na morju.", 0, NULL },
  { USC_LANG_DELAY, "Vaše sporočilo še ni bilo dostavljeno. Ponovno bomo poskusili.", 2, "še ni bilo dostavljeno" },
  { USC_LANG_REPLY_INSTRUCTION, "कृपया इस संदेश का उत्तर देकर पुष्टि करें", 1, "इस संदेश का उत्तर देकर" },
};

static void
test_count (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (count_cases); i++) {
    const CountCase *c = &count_cases[i];
    char *f = usc_lang_fold (c->text, -1);
    const char *first = "unset";
    guint n = usc_lang_count (c->sig, f, strlen (f), &first);
    g_assert_cmpuint (n, ==, c->count);
    g_assert_cmpstr (first, ==, c->first);
    g_free (f);
  }
  g_assert_cmpuint (usc_lang_count (USC_LANG_N_SIGNALS, "x", 1, NULL), ==, 0);
  g_assert_cmpuint (usc_lang_count (USC_LANG_ACK, NULL, 0, NULL), ==, 0);
}

/* usc_lang_count_text() must give, for every text signal, what
 * usc_lang_count() gives on its own; the two prefix tables and the
 * recipient key 0 and NULL. */
static void
check_count_text (const char *folded, gsize len)
{
  guint n[USC_LANG_N_SIGNALS];
  const char *first[USC_LANG_N_SIGNALS];
  usc_lang_count_text (folded, len, n, first);
  for (int s = 0; s < USC_LANG_N_SIGNALS; s++) {
    if (s == USC_LANG_AUTOREPLY_SUBJECT || s == USC_LANG_REPLY_PREFIX || s == USC_LANG_RECIPIENT_KEY) {
      g_assert_cmpuint (n[s], ==, 0);
      g_assert_null (first[s]);
      continue;
    }
    const char *f1 = "unset";
    g_assert_cmpuint (n[s], ==, usc_lang_count ((UscLangSignal) s, folded, len, &f1));
    g_assert_true (first[s] == f1); /* the same row of the same table */
  }
  /* without first_r */
  guint n2[USC_LANG_N_SIGNALS];
  usc_lang_count_text (folded, len, n2, NULL);
  g_assert_cmpmem (n, sizeof n, n2, sizeof n2);
}

static const struct {
  const char *text;
  guint failure, delay, separator, vacation, ack, challenge;
} count_text_cases[] = {
  { "", 0, 0, 0, 0, 0, 0 },
  { "hello, nothing to see", 0, 0, 0, 0, 0, 0 },
  { "Your message could not be delivered.", 1, 0, 0, 0, 0, 0 },
  { "Delivery has failed. Konnte nicht zugestellt werden. Message will be retried.", 3, 1, 0, 0, 0, 0 },
  /* folded lines, CRLF, 8-bit bytes that are not UTF-8, a bare CR */
  { "could not\r\n be delivered\r\nno se pudo entregar \xff\xfe\x80 could not be delivered\r", 2, 0, 0, 0, 0, 0 },
};

static void
test_count_text (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (count_text_cases); i++) {
    char *f = usc_lang_fold (count_text_cases[i].text, -1);
    check_count_text (f, strlen (f));
    g_free (f);
  }
  for (gsize i = 0; i < G_N_ELEMENTS (count_cases); i++) {
    char *f = usc_lang_fold (count_cases[i].text, -1);
    check_count_text (f, strlen (f));
    /* every prefix of the text: phrases cut at the end */
    for (gsize k = 0; k < strlen (f); k += 7)
      check_count_text (f, k);
    g_free (f);
  }
  /* 8-bit text as is (not folded): raw bytes, never a crash */
  static const char raw[] = "\xe3\x81\xa7\xe3\x81\x8d\xc3\x28\xff could not be delivered";
  check_count_text (raw, sizeof raw - 1);
  /* every phrase of every table in one text: each table counts all its rows */
  GString *all = g_string_new (NULL);
  for (int s = 0; s < USC_LANG_N_SIGNALS; s++) {
    gsize np = 0;
    const char *const *p = usc_lang_phrases ((UscLangSignal) s, &np);
    for (gsize k = 0; k < np; k++)
      g_string_append_printf (all, "%s\n", p[k]);
  }
  check_count_text (all->str, all->len);
  guint n[USC_LANG_N_SIGNALS];
  usc_lang_count_text (all->str, all->len, n, NULL);
  static const UscLangSignal text_sigs[] = { USC_LANG_FAILURE, USC_LANG_DELAY, USC_LANG_SEPARATOR,
                                             USC_LANG_VACATION, USC_LANG_ACK, USC_LANG_CHALLENGE };
  for (gsize k = 0; k < G_N_ELEMENTS (text_sigs); k++) {
    gsize np = 0;
    usc_lang_phrases (text_sigs[k], &np);
    g_assert_cmpuint (n[text_sigs[k]], ==, np);
  }
  g_string_free (all, TRUE);
  /* the expected counts of the cases above */
  for (gsize i = 0; i < G_N_ELEMENTS (count_text_cases); i++) {
    char *f = usc_lang_fold (count_text_cases[i].text, -1);
    usc_lang_count_text (f, strlen (f), n, NULL);
    g_assert_cmpuint (n[USC_LANG_FAILURE], ==, count_text_cases[i].failure);
    g_assert_cmpuint (n[USC_LANG_DELAY], ==, count_text_cases[i].delay);
    g_assert_cmpuint (n[USC_LANG_SEPARATOR], ==, count_text_cases[i].separator);
    g_assert_cmpuint (n[USC_LANG_VACATION], ==, count_text_cases[i].vacation);
    g_assert_cmpuint (n[USC_LANG_ACK], ==, count_text_cases[i].ack);
    g_assert_cmpuint (n[USC_LANG_CHALLENGE], ==, count_text_cases[i].challenge);
    g_free (f);
  }
  usc_lang_count_text (NULL, 0, n, NULL);
  for (int s = 0; s < USC_LANG_N_SIGNALS; s++)
    g_assert_cmpuint (n[s], ==, 0);
}

static const struct {
  UscLangSignal sig;
  const char *subject;
  gboolean yes;
  const char *hit;
} prefix_cases[] = {
  { USC_LANG_AUTOREPLY_SUBJECT, "Automatic reply: Lunch", TRUE, "automatic reply" },
  { USC_LANG_AUTOREPLY_SUBJECT, "  [Auto-Reply] Lunch", TRUE, "auto-reply" },
  { USC_LANG_AUTOREPLY_SUBJECT, "【自動返信】お問い合わせ", TRUE, "自動返信" },
  { USC_LANG_AUTOREPLY_SUBJECT, "АВТОМАТИЧЕСКИЙ ОТВЕТ: заказ", TRUE, "автоматический ответ" },
  { USC_LANG_AUTOREPLY_SUBJECT, "Automatic replies are annoying", FALSE, NULL },
  { USC_LANG_AUTOREPLY_SUBJECT, "Re: Automatic reply: Lunch", FALSE, NULL },
  { USC_LANG_AUTOREPLY_SUBJECT, "Out of office", TRUE, "out of office" },
  /* rows added after h14 */
  { USC_LANG_AUTOREPLY_SUBJECT, "Bersiva xweber: Lunch", TRUE, "bersiva xweber" },
  { USC_LANG_AUTOREPLY_SUBJECT, "Automatesch Äntwert: Haushalt", TRUE, "automatesch äntwert" },
  { USC_LANG_AUTOREPLY_SUBJECT, "Jawaab toos ah: Claim", TRUE, "jawaab toos ah" },
  { USC_LANG_AUTOREPLY_SUBJECT, "Ҷавоби худкор: Thesis", TRUE, "ҷавоби худкор" },
  { USC_LANG_AUTOREPLY_SUBJECT, "Fuori ufficio: riunione", TRUE, "fuori ufficio" },
  { USC_LANG_AUTOREPLY_SUBJECT, "Fuori ufficio la settimana prossima", FALSE, NULL },
  { USC_LANG_REPLY_PREFIX, "AW: Angebot", TRUE, "aw" },
  { USC_LANG_REPLY_PREFIX, "回复：会议", TRUE, "回复" },
  { USC_LANG_REPLY_PREFIX, "Awesome: news", FALSE, NULL },
  { USC_LANG_REPLY_PREFIX, NULL, FALSE, NULL },
};

/* usc_lang_join_lines(): a line break inside a paragraph (and the blanks
 * around it) becomes one space; a blank line, the text's first and last
 * line break stay; NULL when nothing was joined. */
static void
test_join_lines (void)
{
  static const struct {
    const char *in, *out;
  } cases[] = {
    { "vahvista vastaamalla\ntähän viestiin.", "vahvista vastaamalla tähän viestiin." },
    { "ved å svare på  \n\t denne meldingen", "ved å svare på denne meldingen" },
    { "first paragraph\n\nsecond", NULL },
    { "one line only", NULL },
    { "\nleading break", NULL },
    { "trailing break\n", NULL },
    { "a\nb\n\nc\nd", "a b\n\nc d" },
    { "crlf\r\nline", "crlf line" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
    char *j = usc_lang_join_lines (cases[i].in);
    g_assert_cmpstr (j, ==, cases[i].out);
    g_free (j);
  }
  g_assert_null (usc_lang_join_lines (NULL));
  /* what it is for: a table phrase broken over a line end */
  const char *t = "bekreft at du er en ekte avsender ved å svare på\ndenne meldingen";
  char *f = usc_lang_fold (t, -1);
  g_assert_cmpuint (usc_lang_count (USC_LANG_REPLY_INSTRUCTION, f, strlen (f), NULL), ==, 0);
  char *j = usc_lang_join_lines (f);
  g_assert_cmpuint (usc_lang_count (USC_LANG_REPLY_INSTRUCTION, j, strlen (j), NULL), ==, 1);
  g_free (j);
  g_free (f);
}

/* usc_lang_ascii_phrases(): the failure and delay rows without their
 * diacritics, ASCII and lower case, counted in an ASCII text only. */
static void
test_ascii_phrases (void)
{
  gsize n = 0;
  const char *const *p = usc_lang_ascii_phrases (USC_LANG_FAILURE, &n);
  g_assert_cmpuint (n, >, 0);
  gboolean sr = FALSE;
  for (gsize i = 0; i < n; i++) {
    for (const char *c = p[i]; *c; c++)
      g_assert_true ((guchar) *c < 0x80 && !g_ascii_isupper (*c));
    sr = sr || strcmp (p[i], "nije isporucena") == 0;
  }
  g_assert_true (sr);
  /* src/lang/ascii.def is what the rows give (see its head) */
  static const UscLangSignal sigs[] = { USC_LANG_FAILURE, USC_LANG_DELAY };
  gsize total = 0, nt = 0;
  const UscLangSignal *tsig = NULL;
  const char *const *table = usc_lang_ascii_table (&nt, &tsig);
  GPtrArray *derived = g_ptr_array_new_with_free_func (g_free);
  for (gsize k = 0; k < G_N_ELEMENTS (sigs); k++) {
    gsize nr = 0;
    const char *const *rows = usc_lang_phrases (sigs[k], &nr);
    guint from = derived->len;
    for (gsize i = 0; i < nr; i++) {
      gboolean ascii = TRUE;
      for (const char *c = rows[i]; *c && ascii; c++)
        ascii = (guchar) *c < 0x80;
      if (ascii)
        continue;
      char *a = g_str_to_ascii (rows[i], "C");
      gboolean keep = strlen (a) >= 10 && strchr (a, '?') == NULL && strchr (rows[i], '?') == NULL;
      for (gsize j = 0; j < nr && keep; j++)
        keep = strcmp (a, rows[j]) != 0;
      for (guint j = 0; j < derived->len && keep; j++)
        keep = strcmp (a, derived->pdata[j]) != 0;
      if (keep) {
        if (total >= nt || strcmp (table[total], a) != 0 || tsig[total] != sigs[k])
          g_test_message ("src/lang/ascii.def row %" G_GSIZE_FORMAT " should be: ASCII_ROW (%s, \"%s\")", total,
                          sigs[k] == USC_LANG_FAILURE ? "USC_LANG_FAILURE" : "USC_LANG_DELAY", a);
        g_assert_cmpuint (total, <, nt);
        g_assert_cmpstr (table[total], ==, a);
        g_assert_cmpint (tsig[total], ==, sigs[k]);
        total++;
        g_ptr_array_add (derived, a);
      } else
        g_free (a);
    }
    (void) from;
  }
  g_assert_cmpuint (total, ==, nt);
  g_ptr_array_unref (derived);
  g_assert_null (usc_lang_ascii_phrases (USC_LANG_ACK, &n));
  g_assert_cmpuint (n, ==, 0);
  guint c[USC_LANG_N_SIGNALS];
  const char *t = "vasa poruka nije isporucena primaocu.";
  usc_lang_count_text (t, strlen (t), c, NULL);
  g_assert_cmpuint (c[USC_LANG_FAILURE], ==, 1);
  /* not in a text beyond ASCII: there the phrase is written with them */
  t = "vasa poruka nije isporucena – primaocu.";
  usc_lang_count_text (t, strlen (t), c, NULL);
  g_assert_cmpuint (c[USC_LANG_FAILURE], ==, 0);
  t = "the parcel was delivered to your neighbour; we will call again tomorrow.";
  usc_lang_count_text (t, strlen (t), c, NULL);
  g_assert_cmpuint (c[USC_LANG_FAILURE] + c[USC_LANG_DELAY], ==, 0);
}

static void
test_prefix (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (prefix_cases); i++) {
    const char *hit = "unset";
    g_assert_cmpint (usc_lang_subject_prefix (prefix_cases[i].sig, prefix_cases[i].subject, &hit), ==,
                     prefix_cases[i].yes);
    g_assert_cmpstr (hit, ==, prefix_cases[i].hit);
  }
}

/* Text in charset @cs, undeclared: the guess must find @want in the result. */
static const struct {
  const char *cs;
  const char *utf8;
  const char *want;   /* NULL: no guess (NULL returned) */
} guess_cases[] = {
  { "WINDOWS-1250", "Wiadomość nie została dostarczona do adresata.", "nie została dostarczona" },
  { "KOI8-R", "Ваше сообщение не может быть доставлено.", "не может быть доставлено" },
  { "WINDOWS-1251", "Писмото не беше доставено до получателя.", "не беше доставено" },
  { "GB2312", "您发送的邮件无法投递。以下是原邮件的头部信息：", "无法投递" },
  { "BIG5", "您寄出的郵件無法傳遞給下列收件者", "無法傳遞" },
  { "EUC-KR", "보내신 메일이 전달되지 못했습니다.", "전달되지 못했습니다" },
  { "ISO-8859-7", "Αποτυχία παράδοσης μηνύματος", "αποτυχία παράδοσης" },
  { "ISO-8859-9", "İleti teslim edilemedi", "teslim edilemedi" },
  { "ISO-2022-JP", "お客様のメールは配信できませんでした。", "配信できませんでした" },
  { "WINDOWS-1252", "Caf\xc3\xa9 au lait, nothing about mail", NULL },
  { "UTF-8", "Mensagem não entregue: valid UTF-8 is left alone", NULL },
};

static void
test_guess (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (guess_cases); i++) {
    gsize len = 0;
    char *raw = g_convert (guess_cases[i].utf8, -1, guess_cases[i].cs, "UTF-8", NULL, &len, NULL);
    g_assert_nonnull (raw);
    char *out = usc_lang_decode_guess (raw, len);
    if (guess_cases[i].want == NULL) {
      g_assert_null (out);
    } else {
      g_assert_nonnull (out);
      char *f = usc_lang_fold (out, -1);
      if (strstr (f, guess_cases[i].want) == NULL)
        g_test_message ("%s: got \"%s\"", guess_cases[i].cs, out);
      g_assert_nonnull (strstr (f, guess_cases[i].want));
      g_free (f);
    }
    g_free (out);
    g_free (raw);
  }
  g_assert_null (usc_lang_decode_guess (NULL, 0));
  g_assert_null (usc_lang_decode_guess ("", 0));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_mime_init ();
  static const char *const names[USC_LANG_N_SIGNALS] = {
    "failure", "delay", "separator", "autoreply-subject", "vacation", "ack", "reply-prefix", "challenge",
    "recipient-key", "automatic", "confirm", "reply-instruction",
  };
  for (int s = 0; s < USC_LANG_N_SIGNALS; s++) {
    char *path = g_strdup_printf ("/lang/rows/%s", names[s]);
    g_test_add_data_func (path, GINT_TO_POINTER (s), test_rows);
    g_free (path);
  }
  g_test_add_func ("/lang/count", test_count);
  g_test_add_func ("/lang/count-text", test_count_text);
  g_test_add_func ("/lang/subject-prefix", test_prefix);
  g_test_add_func ("/lang/join-lines", test_join_lines);
  g_test_add_func ("/lang/ascii-phrases", test_ascii_phrases);
  g_test_add_func ("/lang/decode-guess", test_guess);
  return g_test_run ();
}
