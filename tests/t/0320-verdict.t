#!/bin/sh
# Verdicts end to end through `unscatter check` with a real record: the
# empty-record safety, record failures that are never "not backscatter
# because not found", the configured actions, and the corpus criteria of
# the record issue (originals recorded -> >= 99% legitimate; only unrelated
# mail recorded -> >= 99% backscatter; ordinary mail 100% not-bounce).
. "$top_srcdir/tests/lib.sh"
tmpdir
F="$FIXTURES"
FORGED="$F/dsn/postfix-forged-spam.eml"
REAL="$F/dsn/postfix-user-unknown.eml"
[ -f "$FORGED" ] && [ -f "$REAL" ] || skip_all "fixtures missing"
run_rc "$UNSCATTER" check "$REAL"
case "$out" in *" dsn "*) ;; *) skip_all "bounce analysis not built yet (dsn fixture seen as: $out)";; esac
command -v sqlite3 >/dev/null 2>&1 || skip_all "sqlite3 (the program) not installed"
export ORIGINAL_RECIPIENT=alice@example.org

DB="$TMP/record.db"

# --- no record / empty record: a miss proves nothing ---------------------------
run_rc "$UNSCATTER" check --db "$DB" --explain "$FORGED"
is "$rc" 1 "no record: forged bounce not called backscatter (exit 1)"
is "$(printf '%s\n' "$out" | head -n 1)" "$FORGED: unknown dsn deliver" "no record: unknown"
case "$out" in *"the sent-mail record is empty (no record file)"*) ok "no record: the reason says so";;
  *) not_ok "no record: the reason says so"; diag "$out";; esac
[ -e "$DB" ] && not_ok "check does not create the record" || ok "check does not create the record"

printf 'Subject: nothing to record\n\nx\n' | "$UNSCATTER" record --db "$DB" 2>/dev/null
[ -e "$DB" ] && ok "an empty record exists" || not_ok "an empty record exists"
run_rc "$UNSCATTER" check --db "$DB" --json "$FORGED"
is "$rc" 1 "empty record: exit 1"
case "$out" in *'"verdict": "unknown"'*'the sent-mail record is empty (0 entries)'*) ok "empty record: unknown, reason";;
  *) not_ok "empty record: unknown, reason"; diag "$out";; esac

# --- the user's sent mail recorded ----------------------------------------------
"$UNSCATTER" record --db "$DB" "$F"/sent/*.eml 2>/dev/null
n=$(ls "$F"/sent/*.eml | wc -l | tr -d ' ')
run_rc "$UNSCATTER" check --db "$DB" "$FORGED"
is "$rc:$out" "0:$FORGED: backscatter dsn file" "recorded: forged bounce is backscatter, filed (exit 0)"
run_rc "$UNSCATTER" check --db "$DB" "$REAL"
is "$rc:$out" "1:$REAL: legitimate dsn deliver" "recorded: genuine bounce is legitimate (exit 1)"
run_rc "$UNSCATTER" check --db "$DB" --json "$FORGED"
case "$out" in *"not in the sent record ($n entries)"*) ok "reasons carry the record size ($n)";;
  *) not_ok "reasons carry the record size"; diag "$out";; esac
run_rc "$UNSCATTER" check --db "$DB" "$F/ham/reply-in-reply-to.eml"
is "$rc:$out" "1:$F/ham/reply-in-reply-to.eml: not-bounce not-bounce deliver" "ordinary mail: not-bounce"

# --- actions from the config --------------------------------------------------------
printf '[actions]\nbackscatter = discard\nlegitimate = file\n' > "$TMP/conf"
run_rc "$UNSCATTER" check --db "$DB" --config "$TMP/conf" "$FORGED" "$REAL"
is "$out" "$FORGED: backscatter dsn discard
$REAL: legitimate dsn file" "actions follow [actions]"

# --- record failures: an error, never a verdict from a miss ----------------------------
cp "$DB" "$TMP/corrupt.db"
sqlite3 "$TMP/corrupt.db" 'PRAGMA wal_checkpoint(TRUNCATE)' > /dev/null
size=$(wc -c < "$TMP/corrupt.db" | tr -d ' ')
dd if=/dev/urandom of="$TMP/corrupt.db" bs=1024 seek=1 count=$((size / 1024 - 1)) conv=notrunc 2>/dev/null
run_rc "$UNSCATTER" check --db "$TMP/corrupt.db" "$FORGED"
is "$rc" 1 "corrupt record: exit 1 (the mail is kept)"
is "$out" "$FORGED: error" "corrupt record: an error, not a verdict"

printf '[record]\nbusy_timeout = 0.3\n' > "$TMP/conf-lock"
mkfifo "$TMP/lock.fifo"
sqlite3 "$DB" < "$TMP/lock.fifo" > "$TMP/lock.out" 2>&1 &
lockpid=$!
exec 9> "$TMP/lock.fifo"
printf "PRAGMA locking_mode = EXCLUSIVE;\nBEGIN EXCLUSIVE;\nINSERT INTO meta VALUES ('lock', 1);\nSELECT 'locked';\n" >&9
i=0; until grep -q locked "$TMP/lock.out" 2>/dev/null || [ $i -ge 300 ]; do sleep 0.1; i=$((i + 1)); done
run_rc "$UNSCATTER" check --db "$DB" --config "$TMP/conf-lock" "$FORGED"
is "$rc:$out" "1:$FORGED: error" "locked record: an error (exit 1), not backscatter"
case "$err" in *"try again later"*) ok "locked record: temporary failure named";; *) not_ok "locked: temporary"; diag "$err";; esac
printf 'ROLLBACK;\n.quit\n' >&9
exec 9>&-
wait $lockpid

# --- the corpus (../shared/corpus) -------------------------------------------------------
C="${USC_CORPUS:-}"
if [ -z "$C" ] || [ ! -f "$C/truth.jsonl" ] || ! command -v python3 >/dev/null 2>&1; then
  ok "# SKIP no corpus (or no python3) at '${C}'"
  done_testing
fi
# The originals: one sent message per truth.jsonl primary_id.
python3 - "$C/truth.jsonl" > "$TMP/originals.mbox" <<'EOF'
import json, sys
for i, line in enumerate(open(sys.argv[1])):
    t = json.loads(line)
    if t.get("primary_id"):
        print("From alice@example.org Thu Jan  1 00:00:00 2009")
        print("Message-ID: <%s>" % t["primary_id"])
        if t.get("recipients"):
            print("To: %s" % ", ".join(t["recipients"]))
        print("Subject: original %d\n\nbody\n" % i)
EOF
"$UNSCATTER" record --db "$TMP/originals.db" --mbox "$TMP/originals.mbox" 2>/dev/null
"$UNSCATTER" check --db "$TMP/originals.db" --json "$C"/bounces/*.eml > "$TMP/with-originals.jsonl" 2>/dev/null
"$UNSCATTER" record --db "$TMP/unrelated.db" "$F"/sent/*.eml 2>/dev/null
"$UNSCATTER" check --db "$TMP/unrelated.db" --json "$C"/bounces/*.eml > "$TMP/unrelated.jsonl" 2>/dev/null
result=$(python3 - "$C/truth.jsonl" "$TMP/with-originals.jsonl" "$TMP/unrelated.jsonl" <<'EOF'
import json, os, sys
truth = {}
for l in open(sys.argv[1]):
    t = json.loads(l)
    truth[t["file"]] = t
def load(p):
    r = {}
    for l in open(p):
        j = json.loads(l)
        r[os.path.basename(j["file"])] = j["verdict"]
    return r
w, u = load(sys.argv[2]), load(sys.argv[3])
ids = [f for f, t in truth.items() if t.get("primary_id")]
lg = sum(1 for f in ids if w.get(f) == "legitimate")
bs = sum(1 for f in ids if u.get(f) == "backscatter")
print(len(ids), lg, bs)
EOF
)
set -- $result
total=$1 legit=$2 back=$3
diag "corpus: $total bounces with an original Message-ID; legitimate with originals recorded: $legit; backscatter with unrelated mail recorded: $back"
[ "$total" -gt 0 ] && [ $((legit * 100)) -ge $((total * 99)) ] && ok "corpus: >= 99% legitimate with the originals recorded ($legit/$total)" \
  || not_ok "corpus: >= 99% legitimate with the originals recorded ($legit/$total)"
[ "$total" -gt 0 ] && [ $((back * 100)) -ge $((total * 99)) ] && ok "corpus: >= 99% backscatter with only unrelated mail recorded ($back/$total)" \
  || not_ok "corpus: >= 99% backscatter with only unrelated mail recorded ($back/$total)"
# Ordinary mail: every ham fixture stays not-bounce with either record.
bad=0
for f in "$F"/ham/*.eml; do
  for db in "$TMP/originals.db" "$TMP/unrelated.db"; do
    v=$("$UNSCATTER" check --db "$db" "$f" 2>/dev/null | awk '{print $2}')
    [ "$v" = not-bounce ] || { bad=$((bad + 1)); diag "$f: $v"; }
  done
done
is "$bad" 0 "ordinary mail: 100% not-bounce"
done_testing
