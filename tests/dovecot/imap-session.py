#!/usr/bin/env python3
"""imap-session.py IMAP-BINARY CONFIG STEP... -- drive Dovecot's imap binary
in pre-authenticated mode (stdin/stdout, no daemon: the user is the process's
USER and HOME) through STEPs, one IMAP command each, and print each tagged
reply ("a3 OK ...") on a line. Steps:
  create:BOX            CREATE BOX
  append:BOX:FILE       APPEND BOX with FILE's bytes (LF made CRLF)
  copy:FROM:TO          SELECT FROM, then COPY the first message to TO
Exit 0 when every command got OK."""
import subprocess, sys

def main():
    imap, conf, steps = sys.argv[1], sys.argv[2], sys.argv[3:]
    p = subprocess.Popen([imap, "-c", conf], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    n = 0
    status = 0

    def tagged(cmd, literal=None):
        nonlocal n, status
        n += 1
        tag = "a%d" % n
        if literal is None:
            p.stdin.write(("%s %s\r\n" % (tag, cmd)).encode())
        else:
            p.stdin.write(("%s %s {%d}\r\n" % (tag, cmd, len(literal))).encode())
            p.stdin.flush()
            line = p.stdout.readline()
            while line.startswith(b"* "):
                line = p.stdout.readline()
            if not line.startswith(b"+"):
                print("%s continuation refused: %s" % (tag, line.decode(errors="replace").strip()))
                status = 1
                return
            p.stdin.write(literal + b"\r\n")
        p.stdin.flush()
        while True:
            line = p.stdout.readline()
            if not line:
                print("%s no reply (imap exited)" % tag)
                status = 1
                return
            text = line.decode(errors="replace").rstrip("\r\n")
            if text.startswith(tag + " "):
                print(text)
                if not text.startswith(tag + " OK"):
                    status = 1
                return

    greeting = p.stdout.readline()
    if not greeting.startswith(b"* PREAUTH"):
        print("no PREAUTH greeting: %r" % greeting)
        return 1
    for step in steps:
        kind, _, rest = step.partition(":")
        if kind == "create":
            tagged("CREATE %s" % rest)
        elif kind == "append":
            box, _, path = rest.partition(":")
            data = open(path, "rb").read().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
            tagged("APPEND %s" % box, data)
        elif kind == "copy":
            src, _, dst = rest.partition(":")
            tagged("SELECT %s" % src)
            tagged("COPY 1 %s" % dst)
        else:
            raise SystemExit("imap-session: unknown step %s" % step)
    tagged("LOGOUT")
    p.stdin.close()
    p.wait()
    return status

if __name__ == "__main__":
    sys.exit(main())
