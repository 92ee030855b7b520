/* usc-tables-virus.h — anti-virus notices and the shapes of malware names.
 *
 * The notices' subjects, wording and senders, the malware names engines
 * give (platform, type and ClamAV prefixes), scan header verdicts, and the
 * file-name extensions that are no malware name; read by
 * src/usc-kind-virus.c, src/usc-bounce-evidence.c and src/usc-screen.c.
 *
 * One of the bounce analysis's tables, included through usc-bounce-tables.h
 * (its conventions apply). Keep each table's order: where the first match
 * wins, order is meaning.
 */
#ifndef USC_TABLES_VIRUS_H
#define USC_TABLES_VIRUS_H

/* Anti-virus notices. */
static const char *const virus_subjects[] = {
  "virus", "infected", "malware", "banned content", "banned file", "banned attachment",
  "quarantine", "antivirus", "anti-virus", "blocked attachment", "attachment blocked",
  "mailscanner", "security alert", "content filter", "dangerous attachment",
  "[amavis]", "worm", "trojan", "viren", "virenwarnung", "virus gefunden", "threat detected",
  "troj/", "troj_", "w32/", "w32.", "eicar", "ransomware",
  "threat found", "malicious",
  /* added after h6 */
  "zagrożenie", "wirus", "amenaza", "minaccia", "bedreiging", "bedrohung", "ameaça",
  "угроза", "вирус", "ウイルス", "病毒", "바이러스", "quarantaine", "cuarentena", "quarantena",
};

static const char *const virus_body_markers[] = {
  "contained a virus", "contains a virus", "containing a virus", "virus was found",
  "virus found", "virus detected", "viruses detected", "infected with", "is infected",
  "was infected", "has been quarantined", "was quarantined", "been quarantined",
  "malware", "banned file", "banned attachment", "banned contents", "dangerous content",
  "found to contain", "virus scanner", "virusscanner", "anti-virus", "antivirus",
  "mailscanner", "amavis", "clamav", "trojan", "worm.", "w32/", "w32.", "security risk",
  "virus scan", "virus detector", "virus alert", "troj_", "eicar", "heuristics.",
  "found a virus", "detected a threat", "infected object", "threat:", "troj/", "virus:",
  /* German, French, Spanish, Italian, Dutch */
  "virus gefunden", "virus entdeckt", "virus erkannt", "viren gefunden", "infiziert", "schadsoftware",
  "virus détecté", "virus a été détecté", "contenait un virus", "infecté", "virus detectado",
  "contenía un virus", "infectado", "virus rilevato", "conteneva un virus", "infetto",
  "virus gevonden", "geïnfecteerd",
  /* added after h6: "threat" and "quarantine" in more languages */
  "zagrożenie", "wykryto wirus", "amenaza", "minaccia", "bedreiging", "menace détectée",
  "bedrohung", "ameaça", "amenintare", "угроза", "hrozba", "tehdit", "quarantaine",
  "quarantena", "cuarentena", "quarantäne", "kwarantann", "carantin", "karantén", "karantene",
  "karanteeni", "карантин", "隔離", "隔离", "ウイルス", "病毒", "바이러스", "wirus", "вирус",
  /* added after h9: verdicts without the word "virus" */
  "malicious content", "malicious attachment", "malicious file", "verdict: malicious",
};

/* A virus notice speaks of a message. */
static const char *const virus_context_markers[] = {
  "your message", "message you sent", "you sent", "from you", "sent by you", "the message",
  "your e-mail", "your email", "the e-mail", "the email", "mail from", "attachment",
  "has not been delivered", "was not delivered", "not delivered", "a message addressed",
  "was blocked because", "a message to", "a message from",
  "ihre nachricht", "ihrer nachricht", "von ihnen gesendet", "nicht zugestellt",
  "votre message", "vous avez envoyé", "non remis", "su mensaje", "usted envió", "no entregado",
  "il suo messaggio", "uw bericht",
  /* added after h9 */
  "a sua mensagem", "sua mensagem", "ihre nachricht an", "mensaje enviado", "message from",
};

static const char *const virus_local_parts[] = {
  "virusalert", "virus-alert", "antivirus", "anti-virus", "amavis", "virus",
  "virusscan", "mailscanner", "av", "avscan", "quarantine", "mailsweeper",
  "scanmail", "interscan", "mailguard", "imss", "virusalert", "virus-scanner",
  "virenschutz", "virenscanner", "virenwarnung", "antivir",
};

static const char *const virus_display_names[] = {
  "interscan", "mailscanner", "antivirus", "anti-virus", "virus", "content-filter",
  "content filter", "mail security", "email security", "mailsweeper", "scanmail",
  "kaspersky", "sophos", "puremessage", "symantec", "trend micro", "eset", "clamav",
  "f-secure", "bitdefender", "avast", "avira", "panda", "mcafee",
  /* added after h9: gateways */
  "proofpoint", "barracuda", "fortimail", "mimecast", "cisco email security", "messaging gateway",
  "email protection", "mail shield", "gravityzone",
  "virenschutz", "virenscanner", "antivirus",
};

/* Malware names, by the shapes the engines give them (lower case):
 * "W32/Emotet.AB!tr", "HTML/Phishing.Gen", "Trojan:Win32/Wacatac.B" ... */
static const char *const malware_platforms[] = {
  "w32/", "w64/", "win32/", "win64/", "js/", "vbs/", "vba/", "html/", "pdf/", "x97m/",
  "w97m/", "o97m/", "troj/", "mal/", "exp/", "php/", "java/", "linux/", "msil/", "andr/",
  "android/", "osx/", "macos/", "bat/", "swf/", "trojan:", "trojandownloader:", "backdoor:",
  "worm:", "ransom:", "exploit:", "trojanspy:", "pws:", "hacktool:",
  /* Trend Micro "TROJ_NAME.VAR", "BKDR_..." */
  "troj_", "tspy_", "worm_", "bkdr_", "pe_", "tsc_", "js_", "vbs_", "html_", "x97m_", "w97m_",
  "o97m_", "ransom_", "pak_",
  /* added after h9: Avast/AVG "Win32:Trojan-gen", "JS:ScriptDl-inf [Trj]",
   * Kaspersky "UDS:DangerousObject.Multi.Generic", Panda "Trj/GdSda.A",
   * Avira "TR/Dropper.Gen", Fortinet "MSOffice/Agent.ABC!tr" */
  "win32:", "win64:", "js:", "vbs:", "vba:", "html:", "pdf:", "lnk:", "msil:", "macos:", "elf:",
  "bat:", "other:", "script:", "uds:", "not-a-virus:", "trj/", "bck/", "tr/", "heur/", "spr/",
  "bds/", "drp/", "msoffice/", "msexcel/", "msword/", "lnk/", "powershell/", "xml/", "autoit/",
};

/* ... "Trojan.GenericKD.4711", "Worm.Mydoom-3" ... */
static const char *const malware_types[] = {
  "trojan.", "trojan-", "worm.", "backdoor.", "exploit.", "ransom.", "riskware.", "adware.",
  "spyware.", "downloader.", "dropper.", "phishing.", "gen:variant", "heur.", "heur:",
  "heuristics.", "pua.", "virus.", "hacktool.", "generic.malware", "eicar-test",
  "eicar_test",
  /* McAfee "Exploit-PDF.b!mem", "Artemis!0A1B2C", "Downloader-FYH!..." */
  "exploit-", "downloader-", "backdoor-", "pws-", "artemis!", "generic!", "rdn/",
};

/* Symantec's Office-macro and heuristic names need no variant mark
 * ("W97M.Downloader", "Bloodhound.W97M.8"): these prefixes are names on
 * their own (added after h9). */
static const char *const malware_bare_prefixes[] = {
  "w97m.", "x97m.", "o97m.", "w2km.", "xf.", "bloodhound.",
};

/* ... and ClamAV's "Platform.Category.Name-NNN" ("Win.Trojan.Agent-1234"). */
static const char *const malware_clamav_platforms[] = {
  "win.", "doc.", "xls.", "html.", "js.", "pdf.", "unix.", "andr.", "osx.", "email.", "java.",
  "multios.", "rtf.", "txt.", "img.", "php.", "swf.", "vbs.", "xml.", "archive.", "ole2.",
};

static const char *const malware_clamav_categories[] = {
  "trojan.", "dropper.", "downloader.", "exploit.", "malware.", "worm.", "virus.",
  "ransomware.", "phishing.", "coinminer.", "packed.", "keylogger.", "spyware.", "adware.",
  "backdoor.", "macro.", "tool.", "test.", "infostealer.", "exploitkit.",
};

/* A header field about a scan (name contains "virus") whose value says the
 * message was caught ("X-Virus-Status: Infected", "X-Corp-AntiVirus: blocked");
 * values with a "clean" word are ignored. */
static const char *const virus_header_verdicts[] = {
  "infected", "blocked", "quarantin", "virus found",
};

static const char *const virus_header_clean[] = {
  "clean", "uninfected", "not ", "no virus", "none",
};

/* File-name extensions: "js/app-2.min.js" is a path, not a malware name. */
static const char *const file_extensions[] = {
  "js", "mjs", "html", "htm", "css", "php", "json", "txt", "png", "jpg", "jpeg", "gif", "svg",
  "xml", "md", "c", "h", "py", "java", "class", "map", "ts", "pdf", "zip", "gz", "tar", "log",
  "csv", "yml", "yaml", "sh", "rb", "go", "rs", "exe", "dll", "doc", "docx", "xls", "xlsx",
};

#endif
