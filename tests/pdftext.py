"""pdftotext's output for the test scripts, taken from the cache a CLI file
keeps (tests/cli.sh exports it as PDFTEXT_CACHE: its $TMP/.pdftext) when
there is one, so that a document a CLI file reads in bash and again through
a script (56-inspector: page_starts.py, line_breaks.py) costs one pdftotext
run per kind. The cache's names and stamps are cli.sh's _pdftext's: a kept
output is the file's while the file's device, inode, size and change time
are the same."""
import os
import subprocess


def _stamp(path):
    st = os.stat(path)
    return "%d %d %d %d.%09d" % (st.st_dev, st.st_ino, st.st_size, st.st_ctime_ns // 10**9, st.st_ctime_ns % 10**9)


def pdftotext(pdf, kind=""):
    """The text of `pdftotext [KIND] PDF -` (KIND: "", -layout, -bbox or
    -bbox-layout), as str."""
    args = ["pdftotext"] + ([kind] if kind else []) + [pdf]
    cache = os.environ.get("PDFTEXT_CACHE")
    if not cache:
        return subprocess.run(args + ["-"], capture_output=True).stdout.decode("utf-8", "replace")
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
        if subprocess.run(args + [kept], capture_output=True).returncode != 0:
            open(kept, "wb").close()
        with open(kept + ".stamp", "w", encoding="utf-8") as f:
            f.write(stamp + "\n")
    with open(kept, "rb") as f:
        return f.read().decode("utf-8", "replace")
