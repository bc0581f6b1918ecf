"""pdftotext's output for the test scripts, taken from the cache a CLI file
keeps (tests/cli.sh exports it as PDFTEXT_CACHE: its $TMP/.pdftext) when
there is one, so that a document a CLI file reads in bash and again through
a script (56-inspector: page_starts.py, line_breaks.py) costs one pdftotext
run per kind. The cache's names and stamps are cli.sh's _pdftext's: a kept
output is the file's while the file's device, inode, size and change time
are the same.

A document is read from a copy with two keys renamed (the same length: every
offset stays), as cli.sh's _pdftext does: an archived (PDF/A) document's
/OutputIntents (its sRGB output intent has poppler build a LittleCMS
transform for every page, 80 % of pdftotext's time on it) and every font's
/CIDToGIDMap (up to 115 KB, decoded again on every page: 40 % of the
instructions on any khet document); neither has anything to do with the
text or the word boxes.

subprocess and tempfile are imported only when pdftotext has to run: a
kept output needs neither, and the two imports cost about 25 ms of
processor time at every start of a check that reads kept outputs."""
import os


def _run(args, pdf, out):
    """pdftotext ARGS PDF OUT (OUT "-": the text returned, as bytes)."""
    import subprocess
    import tempfile
    try:
        with open(pdf, "rb") as f:
            data = f.read()
    except OSError:
        data = b""  # (pdftotext says why)
    if b"/OutputIntents" not in data and b"/CIDToGIDMap" not in data:
        r = subprocess.run(args + [pdf, out], capture_output=True)
        return r.returncode, r.stdout
    with tempfile.NamedTemporaryFile(suffix=".pdf") as t:
        t.write(data.replace(b"/OutputIntents", b"/OutputIntentZ").replace(b"/CIDToGIDMap", b"/CIDToGIDMaX"))
        t.flush()
        r = subprocess.run(args + [t.name, out], capture_output=True)
        return r.returncode, r.stdout


def read(pdf, kind=""):
    """`pdftotext [KIND] PDF -` as str, from the renamed copy, not kept (a
    document read once); raises subprocess.CalledProcessError as check=True."""
    args = ["pdftotext"] + ([kind] if kind else [])
    rc, out = _run(args, pdf, "-")
    if rc != 0:
        import subprocess
        raise subprocess.CalledProcessError(rc, args + [pdf, "-"])
    return out.decode("utf-8")


def _stamp(path):
    st = os.stat(path)
    return "%d %d %d %d.%09d" % (st.st_dev, st.st_ino, st.st_size, st.st_ctime_ns // 10**9, st.st_ctime_ns % 10**9)


def pdftotext(pdf, kind=""):
    """The text of `pdftotext [KIND] PDF -` (KIND: "", -layout, -bbox or
    -bbox-layout), as str."""
    args = ["pdftotext"] + ([kind] if kind else [])
    cache = os.environ.get("PDFTEXT_CACHE")
    if not cache:
        return _run(args, pdf, "-")[1].decode("utf-8", "replace")
    kept = os.path.join(cache, pdf.replace("/", "%") + kind)
    try:
        stamp = _stamp(pdf)
    except OSError:
        stamp = ""
    try:
        with open(kept + ".stamp", encoding="utf-8") as f:
            fresh = f.read().rstrip("\n") == stamp
    except OSError:
        fresh = False
    if not fresh:
        os.makedirs(cache, exist_ok=True)
        if _run(args, pdf, kept)[0] != 0:
            open(kept, "wb").close()
        with open(kept + ".stamp", "w", encoding="utf-8") as f:
            f.write(stamp + "\n")
    with open(kept, "rb") as f:
        return f.read().decode("utf-8", "replace")
