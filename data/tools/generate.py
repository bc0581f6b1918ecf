#!/usr/bin/env python3
"""Generates khet's embedded sample data (FY2563, Regions 8 and 12).

The provinces, districts and the Region 12 KPI 66 narratives are real (the
narratives word for word from the seed document); hospital codes and every
figure are made up, with a fixed random seed so the output never changes.
Run from the repository root: python3 data/tools/generate.py
"""
import csv, random, os

R = random.Random(2563)
OUT = os.path.join(os.path.dirname(__file__), '..')

PROVINCES = [
  # code, th, en, region, main hospital, main level, a_size, districts (first = เมือง)
  ('41','อุดรธานี','Udon Thani',8,'โรงพยาบาลอุดรธานี','A','large',
   'กุดจับ หนองวัวซอ กุมภวาปี โนนสะอาด หนองหาน ทุ่งฝน ไชยวาน ศรีธาตุ วังสามหมอ บ้านดุง บ้านผือ น้ำโสม เพ็ญ สร้างคอม หนองแสง นายูง พิบูลย์รักษ์ กู่แก้ว ประจักษ์ศิลปาคม'),
  ('47','สกลนคร','Sakon Nakhon',8,'โรงพยาบาลสกลนคร','A','small',
   'กุสุมาลย์ กุดบาก พรรณานิคม พังโคน วาริชภูมิ นิคมน้ำอูน วานรนิวาส คำตากล้า บ้านม่วง อากาศอำนวย สว่างแดนดิน ส่องดาว เต่างอย โคกศรีสุพรรณ เจริญศิลป์ โพนนาแก้ว ภูพาน'),
  ('48','นครพนม','Nakhon Phanom',8,'โรงพยาบาลนครพนม','S','',
   'ปลาปาก ท่าอุเทน บ้านแพง ธาตุพนม เรณูนคร นาแก ศรีสงคราม นาหว้า โพนสวรรค์ นาทม วังยาง'),
  ('42','เลย','Loei',8,'โรงพยาบาลเลย','S','',
   'นาด้วง เชียงคาน ปากชม ด่านซ้าย นาแห้ว ภูเรือ ท่าลี่ วังสะพุง ภูกระดึง ภูหลวง ผาขาว เอราวัณ หนองหิน'),
  ('43','หนองคาย','Nong Khai',8,'โรงพยาบาลหนองคาย','S','',
   'ท่าบ่อ โพนพิสัย ศรีเชียงใหม่ สังคม สระใคร เฝ้าไร่ รัตนวาปี โพธิ์ตาก'),
  ('39','หนองบัวลำภู','Nong Bua Lam Phu',8,'โรงพยาบาลหนองบัวลำภู','S','',
   'นากลาง โนนสัง ศรีบุญเรือง สุวรรณคูหา นาวัง'),
  ('38','บึงกาฬ','Bueng Kan',8,'โรงพยาบาลบึงกาฬ','S','',
   'พรเจริญ โซ่พิสัย เซกา ปากคาด บึงโขงหลง ศรีวิไล บุ่งคล้า'),
  ('90','สงขลา','Songkhla',12,'โรงพยาบาลสงขลา','S','',
   'สทิงพระ จะนะ นาทวี เทพา สะบ้าย้อย ระโนด กระแสสินธุ์ รัตภูมิ สะเดา นาหม่อม ควนเนียง บางกล่ำ สิงหนคร คลองหอยโข่ง'),
  ('91','สตูล','Satun',12,'โรงพยาบาลสตูล','S','',
   'ควนโดน ควนกาหลง ท่าแพ ละงู ทุ่งหว้า มะนัง'),
  ('92','ตรัง','Trang',12,'โรงพยาบาลตรัง','S','',
   'กันตัง ย่านตาขาว ปะเหลียน สิเกา ห้วยยอด วังวิเศษ นาโยง รัษฎา หาดสำราญ'),
  ('93','พัทลุง','Phatthalung',12,'โรงพยาบาลพัทลุง','S','',
   'กงหรา เขาชัยสน ตะโหมด ควนขนุน ปากพะยูน ศรีบรรพต ป่าบอน บางแก้ว ป่าพะยอม ศรีนครินทร์'),
  ('94','ปัตตานี','Pattani',12,'โรงพยาบาลปัตตานี','S','',
   'โคกโพธิ์ หนองจิก ปะนาเระ มายอ ทุ่งยางแดง สายบุรี ไม้แก่น ยะหริ่ง ยะรัง กะพ้อ แม่ลาน'),
  ('95','ยะลา','Yala',12,'โรงพยาบาลยะลา','A','small',
   'เบตง บันนังสตา ธารโต ยะหา รามัน กาบัง กรงปินัง'),
  ('96','นราธิวาส','Narathiwat',12,'โรงพยาบาลนราธิวาสราชนครินทร์','S','',
   'ตากใบ บาเจาะ ยี่งอ ระแงะ รือเสาะ ศรีสาคร แว้ง สุคิริน สุไหงโก-ลก สุไหงปาดี จะแนะ เจาะไอร้อง'),
]
# Hat Yai's regional hospital stands for its district in Songkhla.
EXTRA_MAIN = {'90': ('โรงพยาบาลหาดใหญ่', 'A', 'large')}
SPECIAL_NAMES = {
  'สว่างแดนดิน': 'โรงพยาบาลสมเด็จพระยุพราชสว่างแดนดิน',
  'ด่านซ้าย': 'โรงพยาบาลสมเด็จพระยุพราชด่านซ้าย',
  'สายบุรี': 'โรงพยาบาลสมเด็จพระยุพราชสายบุรี',
  'บ้านดุง': 'โรงพยาบาลสมเด็จพระยุพราชบ้านดุง',
  'ธาตุพนม': 'โรงพยาบาลสมเด็จพระยุพราชธาตุพนม',
}
M1 = {'กุมภวาปี', 'สว่างแดนดิน', 'เบตง', 'สุไหงโก-ลก'}
M2 = {'บ้านผือ', 'บ้านดุง', 'วานรนิวาส', 'ธาตุพนม', 'วังสะพุง', 'ด่านซ้าย', 'ท่าบ่อ',
      'ศรีบุญเรือง', 'เซกา', 'สะเดา', 'จะนะ', 'ห้วยยอด', 'ควนขนุน', 'สายบุรี', 'ระแงะ', 'ละงู'}

SCALE = {  # monthly revenue (baht), discharges, CMI centre, OPD visits, OPD unit cost
  'A': (260e6, 4200, 1.62, 62000, 950), 'S': (110e6, 2100, 1.22, 31000, 820),
  'M1': (48e6, 1000, 1.02, 15000, 700), 'M2': (30e6, 620, 0.84, 10500, 640),
  'F1': (16e6, 310, 0.63, 6200, 560), 'F2': (9e6, 170, 0.55, 4300, 520),
  'F3': (5.5e6, 90, 0.51, 2800, 500),
}

def baht(x):  # money with satang, as Excel would export it
    return f'{x:.2f}'

def hospitals():
    rows, code = [], 10650
    for p in PROVINCES:
        pcode, _, _, _, main, lvl, asize, districts = p
        code += 1
        rows.append((f'{code:05d}', main, pcode, lvl, asize))
        if pcode in EXTRA_MAIN:
            n, l, a = EXTRA_MAIN[pcode]
            code += 1
            rows.append((f'{code:05d}', n, pcode, l, a))
    cc = 10900
    for p in PROVINCES:
        for d in p[7].split():
            cc += R.choice((1, 2, 3))
            lvl = 'M1' if d in M1 else 'M2' if d in M2 else R.choice(('F1', 'F2', 'F2', 'F3', 'F3'))
            rows.append((f'{cc:05d}', SPECIAL_NAMES.get(d, 'โรงพยาบาล' + d), p[0], lvl, ''))
    return rows

MONTHS = [f'2562-{m:02d}' for m in (10, 11, 12)] + [f'2563-{m:02d}' for m in range(1, 10)]

def write(name, header, rows):
    with open(os.path.join(OUT, name), 'w', encoding='utf-8', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(header)
        w.writerows(rows)

def main():
    hs = hospitals()
    write('provinces.csv', ['code', 'name_th', 'name_en', 'region', 'reserved_baht'],
          [(p[0], p[1], p[2], p[3], f'{R.randint(9_000_000, 42_000_000) + R.randint(0, 99) / 100:,.2f}')
           for p in PROVINCES])
    write('hospitals.csv', ['hcode', 'name_th', 'province', 'level', 'a_size'], hs)
    fin, tb, ec, cmi, eff, ha = [], [], [], [], [], []
    # Some provinces run tighter than others, so the criteria spread.
    pstress = {p[0]: R.uniform(-0.04, 0.05) for p in PROVINCES}
    for h in hs:
        code, name, pcode, lvl, asize = h
        rev, dis, cmic, opd, opdc = SCALE[lvl]
        rev *= R.uniform(0.8, 1.2)
        crisis = R.random() < 0.08
        recovering = crisis and R.random() < 0.5
        margin = (-R.uniform(0.08, 0.16) if crisis else R.uniform(-0.05, 0.07) - pstress[pcode])
        cash = rev * (R.uniform(0.05, 0.3) if crisis else R.uniform(0.5, 2.5))
        recv = rev * R.uniform(0.7, 1.3)
        inv = rev * R.uniform(0.2, 0.4)
        other = rev * R.uniform(0.02, 0.08)
        liab = (cash + recv + inv + other) * (R.uniform(1.1, 1.5) if crisis else R.uniform(0.35, 0.9))
        cmi_h = cmic * R.uniform(0.85, 1.15)
        tb_e, tb_m = R.uniform(70, 97), R.uniform(62, 95)  # each unit's bookkeeping quality
        cost_rw = R.uniform(11000, 17500)
        opdc_h = opdc * R.uniform(0.8, 1.25)
        for i, m in enumerate(MONTHS):
            mr = rev * R.uniform(0.9, 1.1)
            mm = margin + (0.02 * i if recovering else 0) + R.uniform(-0.02, 0.02)
            exp = mr / (1 + mm)
            inv_rev = rev * R.uniform(0, 0.03)
            dep = rev * R.uniform(0.04, 0.07)
            cash = max(cash + (mr - exp) * 0.8, rev * 0.01)
            liab = max(liab - (mr - exp) * 0.2, rev * 0.1)
            if recovering and i >= 6:  # a rescue plan from April: liabilities paid down, cash injected
                liab *= 0.85
                cash += rev * 0.25
            visits = int(opd * R.uniform(0.85, 1.15))
            d = int(dis * R.uniform(0.85, 1.15))
            adj = round(d * cmi_h * R.uniform(0.94, 1.06), 4)
            fin.append((code, m, baht(cash), baht(recv), baht(inv), baht(other), baht(liab), baht(mr),
                        baht(inv_rev), baht(exp), baht(dep), visits, baht(visits * opdc_h),
                        baht(adj * cost_rw)))
            tb.append((code, m, f'{min(100, tb_e + R.uniform(-8, 8)):.2f}', f'{min(100, tb_m + R.uniform(-10, 10)):.2f}'))
            claims = int(d * R.uniform(0.7, 0.8))
            ec.append((code, m, claims, int(claims * R.uniform(0.84, 0.995))))
            cmi.append((code, m, d, f'{adj:.4f}'))
        eff.append((code, R.choice((1, 2, 3, 3, 4, 4, 5, 5, 6, 7)) if not crisis else R.choice((0, 1, 2, 3))))
        if lvl in ('M2', 'F1', 'F2', 'F3'):
            ha.append((code, R.choice(('accredited',) * 6 + ('step2', 'step1', 'none'))))
        else:
            ha.append((code, 'accredited'))
    write('finance.csv', ['hcode', 'month', 'cash', 'receivables', 'inventory', 'other_current_assets',
                          'current_liabilities', 'revenue', 'investment_revenue', 'expense', 'depreciation',
                          'opd_visits', 'opd_cost', 'ipd_cost'], fin)
    write('trial_balance.csv', ['hcode', 'month', 'electronic_score', 'mapping_score'], tb)
    write('eclaim.csv', ['hcode', 'month', 'claims', 'claims_passed'], ec)
    write('cmi.csv', ['hcode', 'month', 'discharges', 'sum_adjrw'], cmi)
    write('efficiency7.csv', ['hcode', 'passed'], eff)
    write('ha.csv', ['hcode', 'status'], ha)
    write_kpi()
    write_inspection(hs, cmi)

KPI = 'ตัวชี้วัดที่ 66 ร้อยละของเขตสุขภาพมีการพัฒนาระบบบริหารจัดการที่มีประสิทธิภาพ'
TARGET = 'ร้อยละของเขตสุขภาพมีการพัฒนาระบบบริหารจัดการที่มีประสิทธิภาพ (ร้อยละ 100)'
COMPONENTS = ['มีแผนแม่บทพัฒนาการบริการสุขภาพ 5 ปี (5 Years Master Plan of Service Plan)',
              'มีกรอบการบริหารจัดการเชิงบูรณาการ', 'มีแผนการบริหารจัดการของเขตสุขภาพ', 'มีระบบติดตามกำกับ']
LINES = [
  ('- ใช้ Thai Refer', [
    '- มีการจัดทำแผนการพัฒนาโรงพยาบาล Smart Hospital ของเขตสุขภาพที่ 12',
    'มีการบริหารจัดการโดยคณะทำงานสารสนเทศ เขตสุขภาพที่ 12 ด้วยการจัดประชุม แลกเปลี่ยนเรียนรู้ ช่วยกันแก้ไขปัญหา ปีละ 2 ครั้ง และการลงพื้นที่ตามวาระการตรวจราชการเขตสุขภาพ',
    '- การพัฒนาระบบส่งต่อผู้ป่วย Thai Refer ยกเลิกการใช้เอกสาร',
    '- ระบบบริหารจัดการ กำกับ ติดตามผลการดำเนินการของเขตสุขภาพ (MIS) - ระบบ Smart Kid ระดับเขตสุขภาพ']),
  ('- โรงพยาบาลชุมชนผ่าน HA', [
    'เขตสุขภาพที่ 12 มีการจัดทำแผนแม่บทและแผนปฏิบัติการรองรับฯ ตาม Policy 5 โรค 5 ระบบ 5 สนับสนุน ตามเป้าหมาย AAA สร้างภาพ (คุณภาพ) และจัดทำโครงการประชุมปฏิบัติการเพื่อส่งเสริมและสนับสนุนการพัฒนาคุณภาพมาตรฐาน (HA) โรงพยาบาลในเขตสุขภาพที่ 12 ด้วย Quality Learning Network Team (QLN) ประจำปีงบประมาณ 2563 ขณะนี้ รองบประมาณงวดถัดไป',
    'มีการบริหารด้วยคณะกรรมการพัฒนาคุณภาพระดับเขต ด้วยการบูรณาการกับการพัฒนาวิชาการระดับ',
    'มีการจัดเวทีแลกเปลี่ยนเรียนรู้และคัดเลือกผลงานการพัฒนาคุณภาพในงานมหกรรมวิชาการระดับเขต ช่วงเดือนสิงหาคม 2563',
    'จัดระบบติดตามด้วยการเยี่ยมเสริมพลังและการตรวจราชการในระดับเขต ปีละ 2 ครั้ง']),
  ('- เพิ่ม CMI ในระดับ A-F2', [
    'มีแผนแม่บทพัฒนาการบริการสุขภาพ ตองเอ (AAA) เขตสุขภาพที่ 12',
    'กำหนดดัชนีผู้ป่วยใน (CMI) ของโรงพยาบาลตามกลุ่มเครือข่าย AAA ผ่านเกณฑ์ 1. รพศ. (A) ใหญ่ มีค่า CMI ไม่น้อยกว่า 1.6 2. รพศ. (A) เล็ก มีค่า CMI ไม่น้อยกว่า 1.5 3. รพท. (S) มีค่า CMI ไม่น้อยกว่า 1.2 4. รพท. ขนาดเล็ก (M1) มีค่า CMI ไม่น้อยกว่า 1.0 5. รพท. ขนาดเล็ก (M2) มีค่า CMI ไม่น้อยกว่า 0.8 6. รพช. (F) มีค่า CMI ไม่น้อยกว่า 0.6 7. รพช. (F2–F3) มีค่า CMI ไม่น้อยกว่า 0.5',
    'วิเคราะห์เปรียบเทียบ และรายงานข้อมูลผู้บริหาร ในการประชุมผู้บริหารเขตสุขภาพ ทุกเดือน',
    'มีการติดตามข้อมูล CMI ทุกเดือน โดยประมวลข้อมูลทุก 3 เดือน']),
]

def write_kpi():
    rows = []
    for line, acts in LINES:
        for i, a in enumerate(acts):
            rows.append((12, '66', KPI, TARGET, '3 เดือน', line, i + 1, COMPONENTS[i], a))
    write('kpi.csv', ['region', 'kpi', 'indicator', 'target', 'milestone', 'line_of_work', 'component_no',
                      'component', 'activity'], rows)


# Small Success stages, the round's notes and the previous year's CMI. Made
# up (the seed gives only the 3-month stage); a random generator of their own
# so that the files above never change when these do.
STAGES = {  # months: what the stage asks of every line of work (the seed: components 1-4 at 3 months)
  3: 'มีแผนแม่บท 5 ปี กรอบการบริหารจัดการเชิงบูรณาการ แผนการบริหารจัดการของเขตสุขภาพ และระบบติดตามกำกับ (องค์ประกอบ 1–4)',
  6: 'ดำเนินการตามแผนและรายงานผลไตรมาสที่ 2',
  9: 'ติดตามกำกับและรายงานผลไตรมาสที่ 3',
  12: 'ดำเนินการครบ 4 องค์ประกอบ และประเมินผลตามเป้าหมาย',
}
STATUS = {  # line of work -> status at 3, 6, 9, 12 months
  '- ใช้ Thai Refer': ('ผ่าน', 'ผ่าน', 'ผ่าน', 'ผ่าน'),
  '- โรงพยาบาลชุมชนผ่าน HA': ('ผ่าน', 'ผ่าน', 'อยู่ระหว่างดำเนินการ', 'ไม่ผ่าน'),
  '- เพิ่ม CMI ในระดับ A-F2': ('ผ่าน', 'ผ่าน', 'ผ่าน', 'อยู่ระหว่างดำเนินการ'),
}
NOTES = [
  (1, 'problem', 'งบประมาณโครงการพัฒนาคุณภาพ (QLN) ได้รับล่าช้า รองบประมาณงวดถัดไป'),
  (1, 'suggestion', 'เร่งรัดการเบิกจ่ายงบประมาณงวดที่ 2 เพื่อจัดประชุมเครือข่ายคุณภาพให้ทันภายในไตรมาสที่ 3'),
  (2, 'problem', 'โรงพยาบาลชุมชน 21 แห่ง ยังไม่ผ่านการรับรอง HA เนื่องจากบุคลากรด้านคุณภาพไม่เพียงพอ'),
  (2, 'problem', 'การบันทึกข้อมูลผู้ป่วยในเพื่อคำนวณ AdjRW ของโรงพยาบาลระดับ F2 ยังไม่ครบถ้วน ทำให้ค่า CMI ต่ำกว่าความเป็นจริง'),
  (2, 'good_practice', 'ระบบส่งต่อผู้ป่วย Thai Refer ไร้เอกสาร ใช้ครบทุกโรงพยาบาลในเขต 77 แห่ง ลดเวลาการส่งต่อเฉลี่ยจาก 45 นาที เหลือ 20 นาที'),
]

def write_inspection(hs, cmi):
    rows = []
    for line, st in STATUS.items():
        for i, months in enumerate((3, 6, 9, 12)):
            rows.append((12, '66', line, months, STAGES[months], st[i]))
    write('kpi_stages.csv', ['region', 'kpi', 'line_of_work', 'months', 'goal', 'status'], rows)
    write('kpi_notes.csv', ['region', 'kpi', 'round', 'section', 'text'],
          [(12, '66', r, k, t) for r, k, t in NOTES])
    g = random.Random(2562)
    prev, by_code = [], {}
    for code, m, d, adj in cmi:
        by_code.setdefault(code, []).append((m, d, float(adj)))
    for h in hs:
        code = h[0]
        if g.random() < 0.06:  # opened or first reported this year: no figures for 2562
            continue
        drift = g.uniform(0.9, 1.04)
        for m, d, adj in by_code[code]:
            y, mm = m.split('-')
            pm = f'{int(y) - 1}-{mm}'
            pd = int(d * g.uniform(0.9, 1.05))
            prev.append((code, pm, pd, f'{adj / d * pd * drift * g.uniform(0.97, 1.03):.4f}'))
    write('cmi_prev.csv', ['hcode', 'month', 'discharges', 'sum_adjrw'], prev)

main()
