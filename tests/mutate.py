#!/usr/bin/env python3
"""make mutate: plant one small mistake at a time in the money-moving and
page-breaking code and see whether the tests notice.

Targets are functions picked by pattern (file glob + function-name regex), so
the script follows code that moves between files (layout.c -> layout_*.c).
Operators: a comparison turned (< <=, > >=, == !=), && / ||, + / -, * / /,
+= / -=, an integer constant n -> n+1 (0 <-> 1), a float constant scaled.
Every candidate is listed, then a deterministic sample (fixed seed, sorted
candidates) is run: the build copies the tree to a scratch folder, rebuilds
only what the mutant touches, and runs the tests of its area, fastest first,
stopping at the first failure (killed). A build error is not counted (the
mutant is not valid C), nor is a mutant that compiles to the very object
the unmutated file does (the same program); a test that runs past its time
limit kills it. Text inside comments (a comment's middle lines too), an
array's declared length and the column of a diagnostic without a line are
not candidates (tests/MUTANTS.md says why).

  tests/mutate.py [--sample N] [--seed S] [--only REGEX] [--list] [--keep] [--full]
Prints each mutant with its outcome, then the kill ratio and the survivors,
each marked as explained in tests/MUTANTS.md (the note of the last full run:
every mutant, its outcome, and why each survivor is equivalent) or not.
"""
import argparse
import fnmatch
import glob
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# (area, file glob, function-name regex)
TARGETS = [
    ("money", "src/scoring.c",
     r"^(mul_div_round|all_equal|score_mean|score_sd|score_median|score_band|score_grade|net_income_fytd|"
     r"survival_points|score_risk|finance_indicators|risk_trend|monthly_checks|cmi_target_for|"
     r"cmi_indicators|pct|set_ratio|ebitda_term|ebitda_variance|province_measure|"
     r"score_criterion|"
     r"totals_and_money|is_community|cmi_and_ha)$"),
    # criterion 8: unit costs against the median of their level
    ("money", "src/unit_cost.c", r"^(cost_cmp|cmp_cost|median_of_level|unit_cost_indicators)$"),
    # the exact Mean ± k·SD bands, thresholds and linear points (issue 19)
    ("money", "src/zband.c",
     r"^(zb_value_double|set_x10000|zband_cmp_root|cmp_root_f|rational_root|band_holds|first_band|two_roots|"
     r"to_rationals|decide_zband_q|cmp_mpf|decide_zband_f|cmp_threshold|linear_points|score_min_provinces|zband_decide)$"),
    ("money", "src/export.c", r"^(export_csv_safe|csv_field)$"),
    # the filing code: the sign-off reader, the ledger's hash chain and schema
    # check, what may be touched below an archive, the round's record and
    # evidence, and verify's verdicts
    ("archive", "src/signoff.c", r"^(parse_period|round_field|signer_row|repeated|date_key|check_whole|signoff_load)$"),
    ("archive", "src/ledger.c", r"^(sql_level|is_new_or_khet|row_hash|by_file|by_code|ledger_check|ledger_has_round)$"),
    ("archive", "src/guard.c", r"^(guard_name|guard_archive|guard_clear_flat|guard_regular_input)$"),
    ("archive", "src/archive.c", r"^(embeds|add_folder|same_round|staging_dir|fill_record|list_dir)$"),
    ("archive", "src/verify.c", r"^(archive_own|check_tree|check_sources|write_sources|clean_stale_verify|check_document)$"),
    ("layout", "src/layout*.c",
     r"^(ly_new_page|ly_ensure|lead_height|render_pass|ly_table_page_break|ly_carry_row_height|rows_height|"
     r"row_keeps|keep_with_next|place_row|table_start|max_lines|ly_close_table_page|is_particle|line_cost|"
     r"fit_clusters|ly_signature_height|signature_lines|signers_row_height|ly_signers_height)$"),
]

# Tests per area, fastest first. Each is a shell command run in the scratch tree.
FIX = "tests/fixtures/oracle-r8"
ORACLE = ("set -e; for f in " + FIX + " tests/fixtures/oracle-ties; do "
          "for s in templates/finance-r8-2563 tests/fixtures/oracle-linear-scheme; do "
          "$B/khet score --data $f --scheme $s --format json --hospitals >$T/o.json 2>/dev/null; "
          "python3 tests/oracle.py $f $s $T/o.json >/dev/null; done; done; "
          "$B/khet score --data " + FIX + " --scheme templates/kpi66-r12-2563 --region 8 --format json "
          "--hospitals >$T/o.json 2>/dev/null; python3 tests/oracle.py --region 8 " + FIX +
          " templates/kpi66-r12-2563 $T/o.json >/dev/null")
# --full: a mutant that survives its area's tests meets the whole cli suite too
CLI_MORE = []
TESTS = {
    "money": [("test_scoring", "$B/tests/test_scoring >/dev/null 2>&1"),
              ("test_edges", "$B/tests/test_edges >/dev/null 2>&1"),
              # the CSV export's formula guard (export_csv_safe)
              ("test_hostile", "$B/tests/test_hostile >/dev/null 2>&1"),
              ("zband sweep", "python3 tests/zband_sweep.py $B/tests/zband_cases >/dev/null 2>&1"),
              ("oracle", ORACLE),
              ("test_figures", "$B/tests/test_figures >/dev/null 2>&1"),
              ("cli score", "KHET=$B/khet BUILD_TESTS=$B/tests bash tests/cli.sh tests/cli/20-score.sh tests/cli/25-figures.sh "
                            "tests/cli/70-oracle.sh tests/cli/71-exact.sh tests/cli/72-few-provinces.sh >/dev/null 2>&1"),
              # last, as only survivors get here: a read past an array shows
              # only under AddressSanitizer (the scoring objects rebuilt with
              # it), a mutant in an out-of-memory path only when an allocation
              # fails (test_oom, about a minute)
              ("test_scoring (ASan)", "make -j2 SANITIZE=1 build/sanitize/tests/test_scoring "
                                      "build/sanitize/tests/test_edges >/dev/null 2>&1 && "
                                      "build/sanitize/tests/test_scoring >/dev/null 2>&1 && "
                                      "build/sanitize/tests/test_edges >/dev/null 2>&1"),
              ("test_oom", "$B/tests/test_oom >/dev/null 2>&1")] + CLI_MORE,
    # the display list first (exact, a second), then the page-breaking sweep
    # read back from PDFs, then the typesetting and documents suites
    "layout": [("test_layout_list", "$B/tests/test_layout_list >/dev/null 2>&1"),
               ("test_layout", "$B/tests/test_layout >/dev/null 2>&1"),
               ("layout rules", "KHET=$B/khet bash tests/cli.sh tests/cli/80-layout-rules.sh >/dev/null 2>&1"),
               ("cli render", "KHET=$B/khet bash tests/cli.sh tests/cli/30-render.sh tests/cli/40-typeset.sh "
                              "tests/cli/45-documents.sh >/dev/null 2>&1"),
               # a read of a slot past the blocks in use (inside the array's capacity, so
               # not ASan's) shows under valgrind, as check-all runs the test programs
               ("test_layout_list (valgrind)", "valgrind -q --error-exitcode=99 --suppressions=tests/valgrind.supp "
                                               "$B/tests/test_layout_list >/dev/null 2>&1"),
               # last: a mutant on an out-of-memory path shows only when an allocation fails
               ("test_oom", "$B/tests/test_oom >/dev/null 2>&1")] + CLI_MORE,
}
TESTS["archive"] = [("test_archive", "$B/tests/test_archive >/dev/null 2>&1"),
                    ("cli filing", "KHET=$B/khet bash tests/cli.sh tests/cli/64-filing-hostile.sh >/dev/null 2>&1"),
                    ("cli archive", "KHET=$B/khet bash tests/cli.sh tests/cli/60-archive.sh tests/cli/62-insider.sh "
                                    ">/dev/null 2>&1"),
                    # the signers' tests: several signatures, time-stamps, stages, chains, an old round,
                    # long-term validation (verify's B-LT/B-LTA verdict)
                    ("cli signers", "KHET=$B/khet bash tests/cli.sh tests/cli/63-certs.sh tests/cli/64-old-round.sh "
                                    "tests/cli/66-signers.sh tests/cli/67-tsa.sh tests/cli/68-keys.sh "
                                    "tests/cli/69-stages.sh tests/cli/74-extend.sh >/dev/null 2>&1"),
                    # last: a read past the sign-off's signers shows only under UBSan
                    # (as make test SANITIZE=1 runs test_archive)
                    ("test_archive (ASan)", "make -j2 SANITIZE=1 build/sanitize/tests/test_archive >/dev/null 2>&1 && "
                                            "build/sanitize/tests/test_archive >/dev/null 2>&1"),
                    # memory running out while a round's sources are collected (test_oom's archive test alone)
                    ("test_oom (sources)", "KHET_OOM_ONLY='test_round*' $B/tests/test_oom >/dev/null 2>&1")] + CLI_MORE
BINS = {"archive": ["khet", "khet-full", "tests/test_archive", "tests/test_oom"],
        "money": ["khet", "tests/test_scoring", "tests/test_edges", "tests/test_hostile", "tests/test_figures", "tests/test_oom",
                  "tests/zband_cases"],
        "layout": ["khet", "tests/test_layout_list", "tests/test_layout", "tests/test_oom"]}
TIME_LIMIT = 600


def needs(cmd):
    """The build targets a test command runs (linked only when a mutant gets
    that far: most are killed by the first test, whose binary alone is made)."""
    out = ["build/" + b for b in re.findall(r"\$B/(khet|tests/\w+)", cmd)]
    if "build/khet" in out:  # khet runs khet-full for archive, verify and history (issue 25)
        out.append("build/khet-full")
    if "tests/cli.sh" in cmd:  # the CLI files' own tools (71-exact: zband_cases; the whole suite: all)
        out += ["build/tests/zband_cases"] + (["build/tests/inkdiff", "build/tests/mutate_font", "build/tests/xlsx_write"]
                                              if "cli.sh >" in cmd else [])
    return sorted(set(out))

FUNC_START = re.compile(r"^(?:static\s+)?(?:const\s+)?[A-Za-z_][\w\s\*]*?\**\b(\w+)\s*\([^;]*$")


def functions(path):
    """(name, first line index, last line index) of each top-level function body."""
    lines = open(path, encoding="utf-8").read().split("\n")
    out, i = [], 0
    while i < len(lines):
        m = FUNC_START.match(lines[i])
        if m and not lines[i].startswith(("typedef", "struct", "enum", "#")):
            j = i
            while j < len(lines) and "{" not in lines[j]:
                j += 1
            k = j
            if j < len(lines) and lines[j].rstrip().endswith("}") and lines[j].count("{") == lines[j].count("}"):
                out.append((m.group(1), i, j))  # one-line function
                i = j + 1
                continue
            while k < len(lines) and lines[k] != "}":
                k += 1
            if k < len(lines):
                out.append((m.group(1), i, k))
                i = k + 1
                continue
        i += 1
    return lines, out


def code_part(line):
    """The line with string/char literals and comments blanked (same length)."""
    out, i, n = list(line), 0, len(line)
    while i < n:
        c = line[i]
        if line.startswith("//", i):
            for j in range(i, n):
                out[j] = " "
            break
        if line.startswith("/*", i):
            j = line.find("*/", i + 2)
            j = n if j < 0 else j + 2
            for t in range(i, j):
                out[t] = " "
            i = j
            continue
        if c in "\"'":
            j = i + 1
            while j < n and line[j] != c:
                j += 2 if line[j] == "\\" else 1
            for t in range(i + 1, min(j, n)):
                out[t] = " "
            i = j + 1
            continue
        i += 1
    return "".join(out)


OPS = [
    (r"(?<![<>=!\-])<=(?!=)", "<"), (r"(?<![<>\-])<(?![<=])", "<="),
    (r"(?<![<>=!\-])>=(?!=)", ">"), (r"(?<![<>\-])>(?![>=])", ">="),
    (r"==", "!="), (r"!=", "=="),
    (r"&&", "||"), (r"\|\|", "&&"),
    (r"(?<=\w|\)|\]) \+ (?=[\w(])", " - "), (r"(?<=\w|\)|\]) - (?=[\w(])", " + "),
    (r"(?<=\w|\)|\]) \* (?=[\w(])", " / "), (r"(?<=\w|\)|\]) / (?=[\w(])", " * "),
    (r"\+=", "-="), (r"-=", "+="),
]
INT = re.compile(r"(?<![\w.])(\d+)(?![\w.])")
FLOAT = re.compile(r"(?<![\w.])(\d+\.\d+)(?![\w.])")


# A declaration: a type (with qualifiers), then a declarator, at the start of
# the line ("char *t[4];", "int64_t qd[4] = {0}, qa[4] = {0};").
DECL = re.compile(r"^\s*(?:(?:const|static|unsigned|signed|struct|enum)\s+)*(?!(?:return|else|case|goto|sizeof|do)\b)"
                  r"[A-Za-z_]\w*(?:\s+\**|\s*\*+)[A-Za-z_]\w*\s*[\[=;,]")


def array_lengths(code):
    """Spans of the lengths in a declaration's array declarators (not those of
    an initializer): an array declared one element longer changes nothing a
    program does (no code reads a length back with sizeof where a longer one
    would show), so n -> n+1 there is always equivalent; see tests/MUTANTS.md."""
    if not DECL.match(code):
        return []
    spans, depth, in_init, i = [], 0, False, 0
    while i < len(code):
        c = code[i]
        if c in "({":
            depth += 1
        elif c in ")}":
            depth -= 1
        elif c == "=" and depth == 0 and code[i + 1:i + 2] != "=":
            in_init = True
        elif c == "," and depth == 0:
            in_init = False
        elif c == "[" and depth == 0 and not in_init:
            j = code.find("]", i)
            if j < 0:
                break
            spans.append((i + 1, j))
            i = j
        i += 1
    return spans


DIAG_CALL = re.compile(r"\bdiag_add\s*\(")


def unshown_columns(code):
    """Spans of the column argument of each diag_add(d, level, file, 0, col,
    ...) on the line: a message without a line is printed "file: error: ..."
    (src/diag.c prints the column only after a line, and nothing else reads
    it), so its column is never seen and a mutant of it is always
    equivalent; see tests/MUTANTS.md."""
    spans = []
    for m in DIAG_CALL.finditer(code):
        args, depth, start, i = [], 0, m.end(), m.end()
        while i < len(code) and len(args) < 5:
            c = code[i]
            if c in "([{":
                depth += 1
            elif c in ")]}":
                if depth == 0:
                    break
                depth -= 1
            elif c == "," and depth == 0:
                args.append((start, i))
                start = i + 1
            i += 1
        if len(args) == 5 and code[args[3][0]:args[3][1]].strip() == "0":
            spans.append(args[4])
    return spans


def comment_state(line, inside):
    """Whether a block comment is still open at the end of the line, given
    whether one was open at its start (a comment over several lines: its
    middle lines are not code)."""
    i = 0
    code = code_part(line)
    while True:
        if inside:
            j = line.find("*/", i)
            if j < 0:
                return True
            inside, i = False, j + 2
        else:
            j = code.find("/*", i)  # code_part blanked the comments closed on this line
            k = line.find("/*", i)
            if k < 0 or (j < 0 and line.find("*/", k + 2) >= 0):
                return False
            if line.find("*/", k + 2) >= 0:
                i = line.find("*/", k + 2) + 2
                continue
            return True


def mutants_of_line(line, inside=False):
    if inside:  # the line opens inside a comment: blank it up to its end
        j = line.find("*/")
        if j < 0:
            return []
        line_code = " " * (j + 2) + line[j + 2:]
        return [(line[:j + 2] + new[j + 2:], d) for new, d in mutants_of_line(line_code)]
    code = code_part(line)
    if code.lstrip().startswith("#") or "case " in code and code.strip().endswith(":"):
        return []
    lengths = array_lengths(code) + unshown_columns(code)
    out = []
    for pat, rep in OPS:
        for m in re.finditer(pat, code):
            out.append((m.start(), m.end(), rep, f"{m.group(0).strip()} -> {rep.strip()}"))
    for m in FLOAT.finditer(code):
        v = float(m.group(1))
        out.append((m.start(), m.end(), repr(v * 1.5 if v else 1.0), f"{m.group(1)} -> {v * 1.5 if v else 1.0}"))
    for m in INT.finditer(code):
        if FLOAT.search(code[max(0, m.start() - 1):m.end() + 2]):
            continue
        if any(a <= m.start() < b for a, b in lengths):
            continue  # an array's declared length, or a column never shown
        v = int(m.group(1))
        nv = 1 if v == 0 else (0 if v == 1 else v + 1)
        out.append((m.start(), m.end(), str(nv), f"{v} -> {nv}"))
    return [(line[:a] + rep + line[b:], desc) for a, b, rep, desc in out]


def candidates(root):
    found = []
    for area, pattern, fre in TARGETS:
        for path in sorted(glob.glob(os.path.join(root, pattern))):
            rel = os.path.relpath(path, root)
            lines, funcs = functions(path)
            for name, a, b in funcs:
                if not re.match(fre, name):
                    continue
                inside = False
                for ln in range(a + 1 if a != b else a, b + 1 if a == b else b):
                    for new, desc in mutants_of_line(lines[ln], inside):
                        found.append((area, rel, ln, name, desc, new))
                    inside = comment_state(lines[ln], inside)
    return found


def sh(cmd, cwd, env, limit):
    try:
        return subprocess.run(["bash", "-c", cmd], cwd=cwd, env=env, timeout=limit,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT).returncode
    except subprocess.TimeoutExpired:
        return "timeout"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sample", type=int, default=130)
    ap.add_argument("--seed", type=int, default=26)
    ap.add_argument("--only", default="")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--full", action="store_true", help="survivors also run the whole cli suite (slow)")
    ap.add_argument("--part", default="", help="FIRST-LAST[,FIRST-LAST|,N...]: run only these mutants (1-based) of "
                    "the sample, so that two processes can share one run")
    a = ap.parse_args()
    if a.full:
        for area in TESTS:
            TESTS[area].append(("cli all", "KHET=$B/khet bash tests/cli.sh >/dev/null 2>&1"))

    cands = [c for c in candidates(ROOT) if re.search(a.only, f"{c[1]}:{c[3]}:{c[2] + 1} {c[4]}")]
    if a.list:
        for c in cands:
            print(f"{c[0]:6} {c[1]}:{c[2] + 1} {c[3]}: {c[4]}")
        print(f"{len(cands)} candidates")
        return 0
    rnd = random.Random(a.seed)
    # money first (its tests are fast), then archive and layout; in file and line order
    order = {"money": 0, "archive": 1, "layout": 2}
    sample = sorted(rnd.sample(cands, min(a.sample, len(cands))), key=lambda c: (order[c[0]], c[1], c[2], c[4]))
    picked = set()
    for r in a.part.split(",") if a.part else ["1-%d" % len(sample)]:
        lo, _, hi = r.partition("-")
        picked.update(range(int(lo), int(hi or lo) + 1))
    # a folder of its own, so two runs (a full one and an --only one) can go at once
    work = tempfile.mkdtemp(prefix="khet-mutate-")
    for d in ("src", "tests", "templates", "data", "fonts", ".ci"):
        shutil.copytree(os.path.join(ROOT, d), os.path.join(work, d), symlinks=True)
    shutil.copy(os.path.join(ROOT, "Makefile"), work)
    env = dict(os.environ, B="build", T=os.path.join(work, "tmp"))
    os.makedirs(env["T"])
    jobs = os.environ.get("MUTATE_JOBS", "2")
    print(f"mutate: {len(cands)} candidates in the targets, running a sample of {len(sample)} (seed {a.seed})",
          flush=True)
    allbins = sorted({b for v in BINS.values() for b in v})
    if (sh(f"make -j{jobs} " + " ".join("build/" + b for b in allbins), work, env, 1800) != 0 or
            sh(f"make -j{jobs} SANITIZE=1 build/sanitize/tests/test_scoring", work, env, 1800) != 0):
        print("mutate: the unmutated tree does not build", file=sys.stderr)
        shutil.rmtree(work, ignore_errors=True)
        return 2
    for area in sorted({c[0] for c in sample}):  # the unmutated tree passes the first, fast tests
        for name, cmd in TESTS[area][:2]:
            if sh(cmd, work, env, TIME_LIMIT) != 0:
                print(f"mutate: the unmutated tree fails {area} test '{name}'", file=sys.stderr)
                shutil.rmtree(work, ignore_errors=True)
                return 2
    try:
        return run_sample(sample, work, env, jobs, a, picked)
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)


def run_sample(sample, work, env, jobs, a, picked):
    killed, survived, invalid, same = [], [], [], []
    # each target's object as the unmutated tree compiles it: a mutant whose
    # object is byte for byte the same (a change the compiler folds away, or
    # text inside a comment) is the same program, not a mutant of it
    unmutated = {}
    for rel in sorted({c[1] for c in sample}):
        obj = os.path.join(work, "build", os.path.splitext(os.path.basename(rel))[0] + ".o")
        if os.path.exists(obj):
            unmutated[rel] = open(obj, "rb").read()
    t0 = time.time()
    for i, (area, rel, ln, func, desc, new) in enumerate(sample, 1):
        if i not in picked:
            continue
        path = os.path.join(work, rel)
        orig = open(path, encoding="utf-8").read()
        lines = orig.split("\n")
        old = lines[ln]
        lines[ln] = new
        open(path, "w", encoding="utf-8").write("\n".join(lines))
        tag = f"{rel}:{ln + 1} {func}: {desc}"
        try:
            # the mutated file compiles (else the mutant is not valid C); each
            # test's binaries are linked just before it runs
            obj = f"build/{os.path.splitext(os.path.basename(rel))[0]}.o"
            if sh(f"make {obj}", work, env, 900) != 0:
                invalid.append(tag)
                print(f"[{i}/{len(sample)}] invalid  {tag}", flush=True)
                continue
            if unmutated.get(rel) == open(os.path.join(work, obj), "rb").read():
                same.append(tag)
                print(f"[{i}/{len(sample)}] same     {tag} (compiles to the unmutated object: the same program)",
                      flush=True)
                continue
            by = None
            for name, cmd in TESTS[area]:
                bins = needs(cmd)
                rc = sh(f"make -j{jobs} " + " ".join(bins), work, env, 900) if bins else 0
                rc = sh(cmd, work, env, TIME_LIMIT) if rc == 0 else "link"
                if rc == "link":
                    break
                if rc != 0:
                    by = f"{name}{' (time limit)' if rc == 'timeout' else ''}"
                    break
            if rc == "link":
                invalid.append(tag)
                print(f"[{i}/{len(sample)}] invalid  {tag} (does not link)", flush=True)
                continue
            if by:
                killed.append((tag, by))
                print(f"[{i}/{len(sample)}] killed   {tag}  <- {by}", flush=True)
            else:
                survived.append((tag, old.strip(), new.strip()))
                print(f"[{i}/{len(sample)}] SURVIVED {tag}\n      {old.strip()}\n   -> {new.strip()}", flush=True)
        finally:
            open(path, "w", encoding="utf-8").write(orig)
    valid = len(killed) + len(survived)
    print(f"\nmutate: {len(killed)} of {valid} valid mutants killed "
          f"({100.0 * len(killed) / max(1, valid):.1f} %), {len(survived)} survived, "
          f"{len(invalid)} did not compile, {len(same)} compiled to the unmutated object; {time.time() - t0:.0f} s")
    # tests/MUTANTS.md explains each survivor of the default run (equivalent,
    # or what test now kills it); a survivor whose mutated line it does not
    # quote is new and needs a test or an explanation there
    note = os.path.join(ROOT, "tests", "MUTANTS.md")
    known = open(note, encoding="utf-8").read() if os.path.exists(note) else ""
    for tag, o, n in survived:
        why = "explained in tests/MUTANTS.md" if f"`{n}`" in known else "NOT EXPLAINED: add a test or a reason to tests/MUTANTS.md"
        print(f"survivor: {tag}  ({why})\n    {o}\n -> {n}")
    if survived:
        print("The survivors and why each is equivalent: tests/MUTANTS.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
