"""tests/tap.py — for the checks of tests/t/*.t written in Python (a
heredoc run by tests/lib.sh's py_check, which puts tests/ on PYTHONPATH):
TAP lines, and the snippet blocks a page shows.

    py_check <<'PY'
    import sys
    from tap import ok, done_testing, snippets
    top, unscatter, tmp = sys.argv[1:4]
    ...
    done_testing()
    PY
"""
import re

_n = 0


def ok(cond, name, *diag):
    """One TAP test line; when COND is false each DIAG (any value, str()
    taken) follows it line by line as "# ..." comments. Returns COND."""
    global _n
    _n += 1
    print(("ok %d - %s" if cond else "not ok %d - %s") % (_n, name))
    if not cond:
        for d in diag:
            for line in str(d).splitlines():
                print("# " + line)
    return cond


def done_testing():
    """The plan, after the last test."""
    print("1..%d" % _n)


_SNIPPET = re.compile(r"<!-- snippet: (\S+) -->\s*\n```[^\n]*\n(.*?)```", re.S)


def snippets(text):
    """The blocks TEXT (Markdown) shows under a <!-- snippet: PATH --> line:
    a list of (PATH, block text up to the closing fence), in page order."""
    return [(m.group(1), m.group(2)) for m in _SNIPPET.finditer(text)]


if __name__ == "__main__":
    # tap.py snippet PAGE PATH: write the block PAGE shows for PATH
    import sys
    if len(sys.argv) != 4 or sys.argv[1] != "snippet":
        sys.exit("usage: tap.py snippet PAGE PATH")
    page, path = sys.argv[2:4]
    blocks = [b for p, b in snippets(open(page, encoding="utf-8").read()) if p == path]
    if not blocks:
        sys.exit("%s shows no snippet %s" % (page, path))
    sys.stdout.write(blocks[0])
