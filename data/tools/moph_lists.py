#!/usr/bin/env python3
"""Builds templates/moph-provinces.csv and templates/moph-hospitals.csv from
the Ministry of Public Health's reference tables (the HDC tables cchangwat
and chospital, as exported: cchangwat.sql, chospital_extract.tsv).

    python3 data/tools/moph_lists.py /work/shared/corpora/moph-reference

The lists are what `khet init` makes a region's working folder from (the
provinces of the region with their codes, names and health region; one
example hospital a province), and a national list other tests can reuse.
Names are kept exactly as the Ministry spells them. Standard library only."""
import csv
import os
import re
import sys

LEVELS = {  # the service-plan level names of chospital.level_service
    "โรงพยาบาลศูนย์": "A",
    "โรงพยาบาลทั่วไปขนาดใหญ่": "S",
    "โรงพยาบาลทั่วไปขนาดเล็ก": "M1",
    "โรงพยาบาลชุมชนแม่ข่าย": "M2",
    "โรงพยาบาลชุมชนขนาดใหญ่": "F1",
    "โรงพยาบาลชุมชนขนาดกลาง": "F2",
    "โรงพยาบาลชุมชนขนาดเล็ก": "F3",
}


def main(src, out):
    sql = open(os.path.join(src, "cchangwat.sql"), encoding="utf-8").read()
    provinces = {}
    for code, th, zone, en in re.findall(
            r"INSERT INTO `cchangwat` VALUES \('(\d\d)', '([^']*)', '(\d\d)', '([^']*)'\);", sql):
        if zone == "99":  # 'ไม่ทราบ' (unknown), not a province
            continue
        provinces[code] = (th, en, int(zone))
    assert len(provinces) == 77, len(provinces)
    with open(os.path.join(out, "moph-provinces.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "name_th", "name_en", "region"])
        for code in sorted(provinces):
            th, en, zone = provinces[code]
            w.writerow([code, th, en, zone])
    rows = list(csv.DictReader(open(os.path.join(src, "chospital_extract.tsv"), encoding="utf-8"),
                               delimiter="\t"))
    with open(os.path.join(out, "moph-hospitals.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        # level: the service-plan level; empty for hospitals outside the
        # Permanent Secretary's service plan (Bangkok's, the departments')
        w.writerow(["hcode", "name_th", "province", "level", "beds"])
        for r in sorted(rows, key=lambda r: r["hoscode"]):
            if r["status"] != "1" or r["chw_code"] not in provinces:
                continue
            w.writerow([r["hoscode"], r["hosname"].strip(), r["chw_code"],
                        LEVELS.get(r["level_service"], ""), r["bed"]])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "templates"))
