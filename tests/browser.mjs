// The whole work in a real browser: headless Chromium from Debian driven by
// puppeteer-core (npm, installed by tests/cli/91-browser.sh into
// build/npm-browser), one launch, each account in its own browser context
// (its own cookies: its own session).
// Usage: node browser.mjs BASE_URL WORKDIR SHOTS FIRST_URL
//   FIRST_URL: a server whose accounts file has no account yet (a first run).
//   WORKDIR holds bad.zip (the sample with a planted error), hospitals.csv
//   (the corrected file), cli-scorecard-41.pdf (khet render's scorecard) and
//   chai.p12 (the checker's key, which he uploads in the page).
//   Accounts: olan (officer), chai (checker), arun (approver), adam (admin),
//   password NAME-password; key pass phrase NAME-key-phrase.
//   SHOTS gets a screenshot of every page at 1366x768 and on a phone (390x844).
// Prints one "ok - what" or "not ok - what: why" line per check; the shell
// side counts them against its plan.
// KHET_BROWSER_SMOKE=1 (make test; the whole walk runs in make check-all):
// the officer signs in, the sample checks clean in the report font, the
// scores sort, and the console stays clean; no screenshots.
import { createRequire } from 'module';
import fs from 'fs';
import path from 'path';
const require = createRequire(path.resolve('build/npm-browser/package.json'));
const puppeteer = require('puppeteer-core');

const [base, work, shots, first] = process.argv.slice(2);
fs.mkdirSync(shots, { recursive: true });
const t0 = Date.now();
const check = (cond, what, why) => console.log((cond ? `ok - ${what}` : `not ok - ${what}: ${why || ''}`) +
  (process.env.KHET_TIMING ? ` [${Date.now() - t0} ms]` : ''));
const SLOW = Number(process.env.KHET_SLOW || 1);
const SMOKE = process.env.KHET_BROWSER_SMOKE === '1';
const wait = (page, sel, ms = 20000) => page.waitForSelector(sel, { visible: true, timeout: ms * SLOW });
const text = (page, sel) => page.$eval(sel, (e) => e.textContent);
const DESK = { width: 1366, height: 768 }, PHONE = { width: 390, height: 844, isMobile: true, hasTouch: true };
const wide = []; // pages that scroll sideways on a phone
async function shot(page, name) {
  if (SMOKE) return;
  await page.screenshot({ path: path.join(shots, name + '.png'), fullPage: true });
  if (name.endsWith('-phone')) {
    const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (over > 0) wide.push(`${name} (${over}px)`);
  }
}
const errors = [];
async function open(ctx, viewport, url = base) {
  const page = await ctx.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  // 4xx answers the test provokes (a wrong pass phrase, out of turn) are the page's to show, not errors
  page.on('console', (m) => { if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) errors.push(m.text()); });
  await page.setViewport(viewport);
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => ['login', 'app', 'setup'].some((id) => !document.getElementById(id).hidden),
    { timeout: 20000 * SLOW });
  return page;
}
async function login(page, name) {
  await wait(page, '#login-form');
  await page.type('#login-name', name);
  await page.type('#login-password', name + '-password');
  await page.click('#login-form button[type="submit"]');
  await wait(page, '#app');
}
async function view(page, name) {
  await page.click(`nav button[data-view="${name}"]`);
}
// The sign page's state after loading: the rounds drawn (or none).
async function signPage(page) {
  await view(page, 'sign');
  await wait(page, '#rounds .round-card, #no-rounds');
}
async function signAs(page, phrase) {
  await signPage(page);
  const form = '.round-card .sign-form';
  await wait(page, form);
  await page.type(form + ' input[name="passphrase"]', phrase);
  await page.$eval('#sign-status', (e) => { e.textContent = ''; e.className = ''; });
  await page.click(form + ' button');
  await page.waitForFunction(() => /^ลงนาม(แล้ว|ครบ)/.test(document.getElementById('sign-status').textContent) ||
    document.getElementById('sign-status').className === 'error', { timeout: 60000 * SLOW });
  await wait(page, '#rounds .round-card, #no-rounds');
  return text(page, '#sign-status');
}
const slots = (page) => page.$$eval('.round-card ol.signers li', (ls) => ls.map((l) => l.className).join());

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--lang=th-TH'],
});
try {
 walk: {
  // ---- the officer (the default context: its downloads go to WORKDIR/downloads) ----
  const page = await open(browser.defaultBrowserContext(), DESK);
  await wait(page, '#login-form');
  await shot(page, 'login-1366');
  await login(page, 'olan');

  // 1. the data folder checks clean
  await wait(page, '#check-ok');
  check(/164 หน่วยบริการ/.test(await text(page, '#check-ok')), 'the data folder checks clean with its 164 hospitals');
  const font = await page.evaluate(() => document.fonts.check('20px Laksaman', 'ก'));
  check(font, 'the page is set in the report font khet serves (Laksaman)');
  await shot(page, 'data-1366');

  if (!SMOKE) {
    // 2. a zip with a planted error: the finding with line, column, value, advice
    await (await page.$('#file')).uploadFile(path.join(work, 'bad.zip'));
    await wait(page, '#check-bad');
    const f = await page.$eval('.file-group[data-file="hospitals.csv"] .finding', (e) => ({
      line: e.dataset.line, col: e.dataset.col, text: e.textContent, mark: e.querySelector('mark')?.textContent,
    }));
    check(f.line === '30' && f.col === '28' && /X9/.test(f.text) && f.mark === 'X9' && /ควรทำ|เลือกค่าจากรายการ/.test(f.text),
      'the planted error shows in hospitals.csv at line 30, column 28, value X9 marked, with advice', JSON.stringify(f));
    await shot(page, 'check-errors-1366');

    // 3. the corrected file dropped on the workspace clears it
    await (await page.$('#file')).uploadFile(path.join(work, 'hospitals.csv'));
    await wait(page, '#check-ok');
    check((await page.$$('.finding .level-error')).length === 0, 'the corrected hospitals.csv clears the error');
  }

  // 4. scores: sortable, hospitals behind a figure
  await view(page, 'scores');
  await page.waitForFunction(() => document.querySelectorAll('#score-table tbody tr').length === 7, { timeout: 20000 * SLOW });
  const ranks = () => page.$$eval('#score-table tbody tr', (rs) => rs.map((r) => r.cells[0].textContent));
  // Udon Thani and Bueng Kan tie for first (692.5 points each)
  await page.click('#score-table thead th:nth-child(1)');
  const up = (await ranks()).join();
  await page.click('#score-table thead th:nth-child(1)');
  check(up === '1,1,3,4,5,6,7' && (await ranks()).join() === '7,6,5,4,3,1,1',
    'a click on the rank heading sorts the 7 provinces of Region 8, twice: descending', up);
  if (SMOKE) break walk;
  const udon = await page.$$eval('#score-table tbody tr', (rs) => rs.findIndex((r) => r.cells[1].textContent === '41'));
  await page.click(`#score-table tbody tr:nth-child(${udon + 1}) td:nth-child(4)`);
  await wait(page, '#hosp-table tbody tr');
  const nh = await page.$$eval('#hosp-table tbody tr', (rs) => rs.length);
  const title = await text(page, '#hosp-title');
  check(nh === 20 && /อุดรธานี/.test(title) && (await page.$$('#hosp-table td.hl')).length === 20,
    "a click on Udon Thani's first criterion lists its 20 hospitals with the column behind it marked", `${nh} ${title}`);
  await shot(page, 'scores-1366');

  // 5. render the scorecard and download it: the bytes of khet render's
  await view(page, 'render');
  await page.select('#render-form select[name="report"]', 'scorecard');
  await page.waitForFunction(() => document.querySelector('#render-form select[name="province"]').options.length > 1);
  await page.select('#render-form select[name="province"]', '41');
  await page.click('#render-go');
  await wait(page, '#doc-list li[data-file="2563/r8/scorecard-41.pdf"] a.download', 30000);
  const dl = path.join(work, 'downloads');
  fs.mkdirSync(dl, { recursive: true });
  const cdp = await page.createCDPSession();
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: dl });
  await page.click('#doc-list li[data-file="2563/r8/scorecard-41.pdf"] a.download');
  const got = path.join(dl, 'scorecard-41.pdf');
  for (let i = 0; i < 100 * SLOW && !fs.existsSync(got); i++) await new Promise((r) => setTimeout(r, 100));
  const same = fs.existsSync(got) && Buffer.compare(fs.readFileSync(got), fs.readFileSync(path.join(work, 'cli-scorecard-41.pdf'))) === 0;
  check(same, "the downloaded scorecard has the bytes of khet render's", fs.existsSync(got) ? 'differs' : 'no download');
  await new Promise((r) => setTimeout(r, 300)); // the PDF viewer draws the preview
  await shot(page, 'render-1366');

  // 6. the sign-off: the officer starts the round on the corrected upload, naming its three signers
  await signPage(page);
  check(/มีแล้ว/.test(await text(page, '#key-state')), "the officer's key (khet serve --add-user --p12) is on the server");
  await page.click('#start-box summary');
  const rf = '#round-form ';
  await page.select(rf + 'select[name="scheme"]', 'finance-r8-2563');
  await page.type(rf + 'input[name="period"]', '2563');
  await page.type(rf + 'input[name="date"]', '2563-10-20');
  await page.$eval(rf + 'input[name="date"]', (e) => e.dispatchEvent(new Event('change')));
  const people = [['olan', 'นางสาวกัญญารัตน์ ศรีสุข', 'นักวิชาการเงินและบัญชีชำนาญการ', '2563-10-15'],
    ['chai', 'นายประเสริฐ วงศ์ใหญ่', 'หัวหน้ากลุ่มงานประกันสุขภาพ', '2563-10-16'],
    ['arun', 'นายแพทย์สมศักดิ์ ชัยมงคล', 'ผู้อำนวยการสำนักงานเขตสุขภาพที่ 8', '2563-10-20']];
  for (const [i, [user, name, pos, date]] of people.entries()) {
    await page.select(rf + `select[name="user${i}"]`, user);
    await page.type(rf + `input[name="name${i}"]`, name);
    await page.type(rf + `input[name="position${i}"]`, pos);
    await page.$eval(rf + `input[name="date${i}"]`, (e, d) => { e.value = d; }, date);
  }
  await shot(page, 'sign-start-1366');
  await page.click('#round-go');
  await wait(page, '.round-card[data-round="finance-r8-2563/2563-r1"] .sign-form');
  const refused = await signAs(page, 'wrong-phrase');
  check(/รหัสผ่านกุญแจไม่ถูกต้อง/.test(refused) && (await slots(page)) === 'next,waiting,waiting',
    "a wrong key pass phrase is refused (khet archive's refusal, in Thai, with what to do)", refused);
  await shot(page, 'sign-refused-1366');
  const s1 = await signAs(page, 'olan-key-phrase');
  check(/ลงนามแล้ว/.test(s1) && (await slots(page)) === 'signed,next,waiting', 'the preparer signs first', s1);
  await shot(page, 'sign-1366');

  // the approver, in a session of his own, is told to wait for the checker
  const arunCtx = await browser.createBrowserContext();
  const ap = await open(arunCtx, DESK);
  await login(ap, 'arun');
  await signPage(ap);
  check((await ap.$('.round-card .sign-form')) === null && /ยังไม่ถึงลำดับของคุณ/.test(await text(ap, '.round-card')),
    'the approver is told to wait for the checker', await text(ap, '.round-card'));
  await shot(ap, 'sign-wait-1366');

  // the checker uploads his key in the page (once), then signs
  const chaiCtx = await browser.createBrowserContext();
  const cp = await open(chaiCtx, DESK);
  await login(cp, 'chai');
  await signPage(cp);
  check(/ยังไม่มี/.test(await text(cp, '#key-state')) && (await cp.$('#key-box[open]')) !== null,
    'a checker without a key is asked for it');
  await (await cp.$('#key-file')).uploadFile(path.join(work, 'chai.p12'));
  await cp.type('#key-pass', 'chai-key-phrase');
  await cp.click('#key-go');
  await cp.waitForFunction(() => /เก็บกุญแจแล้ว|\S/.test(document.getElementById('key-status').textContent) &&
    !/กำลังตรวจ/.test(document.getElementById('key-status').textContent), { timeout: 20000 * SLOW });
  check(/เก็บกุญแจแล้ว: CN=Test Checker/.test(await text(cp, '#key-status')), 'the checker uploads his PKCS#12 key in the page',
    await text(cp, '#key-status'));
  await shot(cp, 'sign-key-1366');
  const s2 = await signAs(cp, 'chai-key-phrase');
  check(/ลงนามแล้ว/.test(s2) && (await slots(cp)) === 'signed,signed,next', 'the checker signs second', s2);

  // the approver signs last: the round is filed
  await ap.reload({ waitUntil: 'domcontentloaded' });
  await wait(ap, '#app');
  const s3 = await signAs(ap, 'arun-key-phrase');
  await wait(ap, '#round-filed');
  check(/finance-r8-2563\/2563-r1/.test(await text(ap, '#round-filed')) && /ทะเบียนคลังเอกสารหลังยื่นเก็บ \(1 รอบ\): [0-9a-f]{64}/.test(await text(ap, '#round-head')),
    "the approver's signature files the round, with the ledger's head for the filing log", s3);
  await shot(ap, 'sign-filed-1366');

  // history, a province's trend, verify
  await view(ap, 'history');
  await wait(ap, '#history-table tbody tr');
  const row = await text(ap, '#history-table tbody tr');
  check(/finance-r8-2563\/2563-r1/.test(row) && /กัญญารัตน์/.test(row) && /ประเสริฐ/.test(row) && /สมศักดิ์/.test(row),
    'history lists the filed round with its three signers', row);
  await ap.select('#history-province', '41');
  await wait(ap, 'svg.trend circle');
  check(/76\.94 B\+/.test(await text(ap, '#trend')), "Udon Thani's trend shows 76.94 B+ for the round");
  await ap.click('#verify-go');
  await wait(ap, '#verify-ok, #verify-bad', 60000);
  check(!!(await ap.$('#verify-ok')), 'verify finds the archive whole', await text(ap, '#verify-results'));
  await shot(ap, 'history-1366');

  // the administrator makes an account in the browser
  const adCtx = await browser.createBrowserContext();
  const ad = await open(adCtx, DESK);
  await login(ad, 'adam');
  await view(ad, 'users');
  await wait(ad, '#users-table tbody tr');
  await ad.type('#user-form input[name="name"]', 'vera');
  await ad.select('#user-form select[name="role"]', 'viewer');
  await ad.type('#user-form input[name="password"]', 'vera-password');
  await ad.type('#user-form input[name="password2"]', 'vera-password');
  await ad.click('#user-go');
  await wait(ad, '#users-table tbody tr[data-user="vera"]');
  check(/เพิ่มบัญชี vera แล้ว/.test(await text(ad, '#user-status')), 'an administrator adds an account in the browser');
  await shot(ad, 'users-1366');
  const vc = await browser.createBrowserContext();
  const vp = await open(vc, DESK);
  await login(vp, 'vera');
  check(/vera \(ผู้ดู\)/.test(await text(vp, '#who-name')), 'the new account signs in');

  // ---- every page on a phone ----
  const phCtx = await browser.createBrowserContext();
  const ph = await open(phCtx, PHONE);
  await shot(ph, 'login-phone');
  await login(ph, 'olan');
  await wait(ph, '#check-ok');
  await shot(ph, 'data-phone');
  await (await ph.$('#file')).uploadFile(path.join(work, 'bad.zip'));
  await wait(ph, '#check-bad');
  await shot(ph, 'check-errors-phone');
  await ph.select('#space', '0');
  await wait(ph, '#check-ok');
  await view(ph, 'scores');
  await wait(ph, '#score-table tbody tr');
  await shot(ph, 'scores-phone');
  await view(ph, 'render');
  await ph.select('#render-form select[name="report"]', 'summary');
  await ph.click('#render-go');
  await wait(ph, '#doc-list li[data-file="2563/r8/summary.pdf"]', 30000);
  await shot(ph, 'render-phone');
  // a second round, on the data folder: its card on a phone
  await signPage(ph);
  await ph.click('#start-box summary');
  await ph.type(rf + 'input[name="period"]', '2563');
  await ph.$eval(rf + 'input[name="round"]', (e) => { e.value = '2'; });
  await ph.type(rf + 'input[name="date"]', '2563-10-20');
  for (const [i, [user, name, pos, date]] of people.entries()) {
    await ph.select(rf + `select[name="user${i}"]`, user);
    await ph.type(rf + `input[name="name${i}"]`, name);
    await ph.type(rf + `input[name="position${i}"]`, pos);
    await ph.$eval(rf + `input[name="date${i}"]`, (e, d) => { e.value = d; }, date);
  }
  await shot(ph, 'sign-start-phone');
  await ph.click('#round-go');
  await wait(ph, '.round-card[data-round="finance-r8-2563/2563-r2"] .sign-form');
  await shot(ph, 'sign-phone');
  const cp2 = await open(chaiCtx, PHONE);
  await signPage(cp2);
  await shot(cp2, 'sign-checker-phone');
  await view(ph, 'history');
  await wait(ph, '#history-table tbody tr');
  await ph.select('#history-province', '41');
  await wait(ph, 'svg.trend circle');
  await shot(ph, 'history-phone');
  const ad2 = await open(adCtx, PHONE);
  await view(ad2, 'users');
  await wait(ad2, '#users-table tbody tr');
  await shot(ad2, 'users-phone');
  // the first run: the administrator's account made in the page
  const fc = await browser.createBrowserContext();
  const fp = await open(fc, PHONE, first);
  await wait(fp, '#setup-form');
  await shot(fp, 'setup-phone');
  await fp.setViewport(DESK);
  await wait(fp, '#setup-form');
  await shot(fp, 'setup-1366');
  await fp.type('#setup-name', 'boss');
  await fp.type('#setup-password', 'boss-password');
  await fp.type('#setup-password2', 'boss-password');
  await fp.click('#setup-go');
  await wait(fp, '#users-table tbody tr[data-user="boss"]');
  check(/boss \(ผู้ดูแลระบบ\)/.test(await text(fp, '#who-name')) && (await fp.$eval('#login', (e) => e.hidden)),
    "on a first run the administrator's account is made in the page, and signed in");
  check(wide.length === 0, 'no page scrolls sideways on a phone (tables scroll inside their box)', wide.join(', '));
 }
  check(errors.length === 0, 'no script error and no refused resource (CSP) in the console', errors.join(' | '));
} catch (e) {
  console.log(`not ok - the browser run stopped: ${e.message}`);
} finally {
  await browser.close();
}
