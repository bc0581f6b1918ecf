# A national data set for `make bench`: 13 health regions, 77 provinces,
# about 900 hospitals, twelve months of FY2563, every file khet reads.
# Deterministic (its own Park-Miller generator, not awk's rand, which
# differs between awks): the same files on every machine.
# Usage: awk -v out=DIR -v kpi=data/kpi.csv -f tests/bench_national.awk
function rnd(n) { seed = (seed * 16807) % 2147483647; return seed % n }
function money(lo, span) { return sprintf("%d.%02d", lo + rnd(span), rnd(100)) }
function month(i) { return i < 3 ? sprintf("2562-%02d", 10 + i) : sprintf("2563-%02d", i - 2) }
BEGIN {
    seed = 20201010
    split("10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 30 31 32 33 34 35 36 37 38 39 40 41 " \
          "42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 60 61 62 63 64 65 66 67 70 71 72 73 74 " \
          "75 76 77 80 81 82 83 84 85 86 90 91 92 93 94 95 96", code, " ")
    split("A S M1 M2 F1 F2 F2 F2 F3 F2 F1 F2 F2 P F2 F2", level, " ")
    split("accredited step2 step1 none", ha, " ")
    print "[dataset]\nfiscal_year = 2563\ndata_date = 2563-10-10" > (out "/dataset.ini")
    P = out "/provinces.csv"; H = out "/hospitals.csv"; F = out "/finance.csv"
    T = out "/trial_balance.csv"; E = out "/eclaim.csv"; C = out "/cmi.csv"
    S = out "/efficiency7.csv"; A = out "/ha.csv"; K = out "/kpi.csv"
    print "code,name_th,name_en,region,reserved_baht" > P
    print "hcode,name_th,province,level,a_size" > H
    print "hcode,month,cash,receivables,inventory,other_current_assets,current_liabilities,revenue," \
          "investment_revenue,expense,depreciation,opd_visits,opd_cost,ipd_cost" > F
    print "hcode,month,electronic_score,mapping_score" > T
    print "hcode,month,claims,claims_passed" > E
    print "hcode,month,discharges,sum_adjrw" > C
    print "hcode,passed" > S
    print "hcode,status" > A
    hcode = 20000
    for (p = 1; p <= 77; p++) {
        region = 1 + int((p - 1) * 13 / 77)
        printf "%s,จังหวัดทดสอบ %s,Province %s,%d,%s\n", code[p], code[p], code[p], region, money(20000000, 30000000) > P
        nh = 8 + rnd(8)
        for (h = 1; h <= nh; h++) {
            hcode++
            lv = level[h <= 16 ? h : 16]
            printf "%d,โรงพยาบาลทดสอบ %d,%s,%s,%s\n", hcode, hcode, code[p], lv, lv == "A" ? "large" : "" > H
            big = lv == "A" ? 50 : lv == "S" ? 20 : lv ~ /^M/ ? 8 : 2
            for (m = 0; m < 12; m++) {
                exp_ = big * 1000000 + rnd(big * 300000)
                printf "%d,%s,%s,%s,%s,%s,%s,%d.%02d,%s,%d.%02d,%s,%d,%s,%s\n", hcode, month(m),
                       money(big * 2000000, big * 4000000), money(big * 1000000, big * 2000000),
                       money(big * 200000, big * 300000), money(big * 50000, big * 100000),
                       money(big * 2000000, big * 4000000), exp_ + rnd(big * 200000), rnd(100),
                       money(0, big * 20000), exp_, rnd(100), money(big * 50000, big * 20000),
                       big * 1000 + rnd(big * 500), money(big * 300000, big * 100000), money(big * 500000, big * 200000) > F
                printf "%d,%s,%d.%02d,%d.%02d\n", hcode, month(m), 60 + rnd(40), rnd(100), 40 + rnd(60), rnd(100) > T
                claims = big * 100 + rnd(big * 50)
                printf "%d,%s,%d,%d\n", hcode, month(m), claims, claims - rnd(claims / 10 + 1) > E
                dis = big * 60 + rnd(big * 20)
                printf "%d,%s,%d,%d.%04d\n", hcode, month(m), dis, dis * (lv == "A" ? 1.6 : lv ~ /^[SM]/ ? 1.1 : 0.6) + rnd(dis / 4 + 1), rnd(10000) > C
            }
            printf "%d,%d\n", hcode, rnd(8) > S
            printf "%d,%s\n", hcode, ha[1 + rnd(4)] > A
        }
    }
    # the Region 12 KPI 66 narratives, for every region
    getline head < kpi
    print head > K
    n = 0
    while ((getline line < kpi) > 0)
        rows[++n] = line
    for (r = 1; r <= 13; r++)
        for (i = 1; i <= n; i++) {
            line = rows[i]
            sub(/^12,/, r ",", line)
            print line > K
        }
}
