/* usc-kind-challenge.c — challenge-response requests: a confirmation link or a
 * Reply-To to answer, a Message-ID in the text.
 */
#include "config.h"
#include "usc-bounce-private.h"

/* Does the text hold a <msg-id> (a notice naming the message it is about)? */
gboolean
usc_text_has_msgid (const char *s)
{
  int tries = 0;
  for (const char *p = strchr (s, '<'); p && tries < 200; p = strchr (p + 1, '<'), tries++) {
    char *id = usc_msgid_in (p, TRUE);
    if (id) {
      g_free (id);
      return TRUE;
    }
  }
  return FALSE;
}
/* A link whose URL asks to confirm / verify / release. */
gboolean
usc_confirm_link (const char *s)
{
  int tries = 0;
  for (const char *p = strstr (s, "http"); p && tries < 100; p = strstr (p + 4, "http"), tries++) {
    if (!g_str_has_prefix (p, "http://") && !g_str_has_prefix (p, "https://"))
      continue;
    const char *e = p;
    while (*e && !g_ascii_isspace (*e) && *e != '"' && *e != '>' && *e != '<')
      e++;
    char *url = g_strndup (p, e - p);
    gboolean r = usc_contains_any (url, challenge_url_words, N (challenge_url_words), NULL);
    g_free (url);
    if (r)
      return TRUE;
  }
  return FALSE;
}
/* A Reply-To (other than From) whose local part confirms by answering. */
gboolean
usc_confirm_reply_to (Ctx *c)
{
  InternetAddressList *l = g_mime_message_get_reply_to (c->msg->mime);
  char *addr = NULL, *name = NULL;
  usc_first_mailbox (l, &addr, &name);
  gboolean r = FALSE;
  if (addr && (!c->from_addr || g_ascii_strcasecmp (addr, c->from_addr) != 0)) {
    const char *at = strchr (addr, '@');
    char *local = g_ascii_strdown (addr, at ? at - addr : -1);
    r = usc_contains_any (local, challenge_reply_to_words, N (challenge_reply_to_words), NULL);
    g_free (local);
  }
  g_free (addr);
  g_free (name);
  return r;
}
