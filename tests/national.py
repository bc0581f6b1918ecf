#!/usr/bin/env python3
"""The national test set (issue 28): the 77 provinces and 13 health regions
as the Ministry lists them and its hospitals with their names exactly as the
Ministry spells them (templates/moph-provinces.csv, moph-hospitals.csv, the
lists `khet init` ships), plus the names in tests/fixtures/national/
extra-hospitals.csv (long names with phinthu, ฯ, parentheses, digits and a
double space, as data entry makes them). Figures are synthetic and
deterministic (a Park-Miller generator): the same files on every machine.

    python3 tests/national.py OUT   writes OUT/data and OUT/schemes/
                                    {finance-rN-2563,kpi66-rN-2563} for N = 1..13
Standard library only."""
import csv
import os
import shutil
import sys

SEED = [20201010]


def rnd(n):
    SEED[0] = SEED[0] * 16807 % 2147483647
    return SEED[0] % n


def money(lo, span):
    return "%d.%02d" % (lo + rnd(span), rnd(100))


def month(i):
    return "2562-%02d" % (10 + i) if i < 3 else "2563-%02d" % (i - 2)


def rows(path):
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def main(out):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    provinces = rows(os.path.join(root, "templates/moph-provinces.csv"))
    hospitals = rows(os.path.join(root, "templates/moph-hospitals.csv"))
    hospitals += rows(os.path.join(root, "tests/fixtures/national/extra-hospitals.csv"))
    d = os.path.join(out, "data")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "dataset.ini"), "w", encoding="utf-8") as f:
        f.write("[dataset]\nfiscal_year = 2563\ndata_date = 2563-10-10\n")
    files = {n: open(os.path.join(d, n + ".csv"), "w", encoding="utf-8", newline="")
             for n in ("provinces", "hospitals", "finance", "trial_balance", "eclaim", "cmi", "efficiency7",
                       "ha", "kpi")}
    w = {n: csv.writer(f, lineterminator="\n") for n, f in files.items()}
    w["provinces"].writerow(["code", "name_th", "name_en", "region", "reserved_baht"])
    w["hospitals"].writerow(["hcode", "name_th", "province", "level", "a_size"])
    w["finance"].writerow(["hcode", "month", "cash", "receivables", "inventory", "other_current_assets",
                           "current_liabilities", "revenue", "investment_revenue", "expense", "depreciation",
                           "opd_visits", "opd_cost", "ipd_cost"])
    w["trial_balance"].writerow(["hcode", "month", "electronic_score", "mapping_score"])
    w["eclaim"].writerow(["hcode", "month", "claims", "claims_passed"])
    w["cmi"].writerow(["hcode", "month", "discharges", "sum_adjrw"])
    w["efficiency7"].writerow(["hcode", "passed"])
    w["ha"].writerow(["hcode", "status"])
    for p in provinces:
        w["provinces"].writerow([p["code"], p["name_th"], p["name_en"], p["region"], money(20000000, 30000000)])
    for h in sorted(hospitals, key=lambda h: h["hcode"]):
        lv = h["level"] or "F2"
        w["hospitals"].writerow([h["hcode"], h["name_th"], h["province"], lv, "large" if lv == "A" else ""])
        big = 50 if lv == "A" else 20 if lv == "S" else 8 if lv.startswith("M") else 2
        for m in range(12):
            exp_ = big * 1000000 + rnd(big * 300000)
            w["finance"].writerow([h["hcode"], month(m), money(big * 2000000, big * 4000000),
                                   money(big * 1000000, big * 2000000), money(big * 200000, big * 300000),
                                   money(big * 50000, big * 100000), money(big * 2000000, big * 4000000),
                                   "%d.%02d" % (exp_ + rnd(big * 200000), rnd(100)), money(0, big * 20000),
                                   "%d.%02d" % (exp_, rnd(100)), money(big * 50000, big * 20000),
                                   big * 1000 + rnd(big * 500), money(big * 300000, big * 100000),
                                   money(big * 500000, big * 200000)])
            w["trial_balance"].writerow([h["hcode"], month(m), "%d.%02d" % (60 + rnd(40), rnd(100)),
                                         "%d.%02d" % (40 + rnd(60), rnd(100))])
            claims = big * 100 + rnd(big * 50)
            w["eclaim"].writerow([h["hcode"], month(m), claims, claims - rnd(claims // 10 + 1)])
            dis = big * 60 + rnd(big * 20)
            factor = 1.6 if lv == "A" else 1.1 if lv[0] in "SM" else 0.6
            w["cmi"].writerow([h["hcode"], month(m), dis, "%d.%04d" % (int(dis * factor) + rnd(dis // 4 + 1),
                                                                       rnd(10000))])
        w["efficiency7"].writerow([h["hcode"], rnd(8)])
        w["ha"].writerow([h["hcode"], ("accredited", "step2", "step1", "none")[rnd(4)]])
    # the Region 12 KPI 66 narratives of the sample, for every region
    kpi = rows(os.path.join(root, "data/kpi.csv"))
    w["kpi"].writerow(list(kpi[0].keys()))
    for r in range(1, 14):
        for k in kpi:
            w["kpi"].writerow([r] + list(k.values())[1:])
    for f in files.values():
        f.close()
    for r in range(1, 14):
        for src, name in (("finance-r8-2563", "finance-r%d-2563" % r), ("kpi66-r12-2563", "kpi66-r%d-2563" % r)):
            dst = os.path.join(out, "schemes", name)
            shutil.rmtree(dst, ignore_errors=True)
            shutil.copytree(os.path.join(root, "templates", src), dst)
            ini = os.path.join(dst, "scheme.ini")
            text = open(ini, encoding="utf-8").read().splitlines()
            text = ["region = %d" % r if l.startswith("region =") else
                    "name = %s" % name if l.startswith("name =") else l for l in text]
            open(ini, "w", encoding="utf-8").write("\n".join(text) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
