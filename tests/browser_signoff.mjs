// The sign-off in a real browser (headless Chromium, puppeteer-core): three
// accounts log in in turn and sign a round with their own keys, the round is
// filed, history shows it with a province's trend chart, verify holds.
// Usage: node browser_signoff.mjs BASE_URL SHOTS (accounts olan, chai, arun:
// password NAME-password, key passphrase NAME-key-phrase; see 94-*.sh).
// Prints one "ok - what" / "not ok - what: why" line per check.
import { createRequire } from 'module';
import fs from 'fs';
import path from 'path';
const require = createRequire(path.resolve('build/npm-browser/package.json'));
const puppeteer = require('puppeteer-core');

const [base, shots] = process.argv.slice(2);
fs.mkdirSync(shots, { recursive: true });
const SLOW = Number(process.env.KHET_SLOW || 1);
const check = (cond, what, why) => console.log(cond ? `ok - ${what}` : `not ok - ${what}: ${why || ''}`);
const wait = (page, sel, ms = 20000) => page.waitForSelector(sel, { visible: true, timeout: ms * SLOW });
const shot = (page, name) => page.screenshot({ path: path.join(shots, name + '.png') });
const text = (page, sel) => page.$eval(sel, (e) => e.textContent);

async function login(page, name) {
  await wait(page, '#login-form');
  await page.type('#login-name', name);
  await page.type('#login-password', name + '-password');
  await page.click('#login-form button[type="submit"]');
  await wait(page, '#app');
}
async function logout(page) {
  await Promise.all([page.waitForNavigation(), page.click('#logout')]);
}
async function sign(page, name, position, date) {
  await page.click('nav button[data-view="sign"]');
  await wait(page, '#sign-form');
  const f = '#sign-form ';
  await page.type(f + 'input[name="name"]', name);
  await page.type(f + 'input[name="position"]', position);
  await page.$eval(f + 'input[name="date"]', (e, d) => { e.value = d; }, date);
  await page.type(f + 'input[name="passphrase"]', process.env.PHRASE);
  // A status left from the page's load must not be taken for this signature's.
  await page.$eval('#sign-status', (e) => { e.textContent = ''; e.className = ''; });
  await page.click('#sign-go');
  await page.waitForFunction(() => /ลงนาม(แล้ว|ครบ)/.test(document.getElementById('sign-status').textContent) ||
    document.getElementById('sign-status').className === 'error', { timeout: 30000 * SLOW });
  return text(page, '#sign-status');
}

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
try {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error' && !/40[139]/.test(m.text())) errors.push(m.text()); });
  await page.setViewport({ width: 1366, height: 768 });
  await page.goto(base, { waitUntil: 'networkidle0' });
  await shot(page, 'login-1366');

  // the officer starts the round and signs as preparer
  await login(page, 'olan');
  await page.click('nav button[data-view="sign"]');
  await wait(page, '#round-form');
  await page.type('#round-form input[name="period"]', '2563');
  await page.type('#round-form input[name="date"]', '2563-10-20');
  await page.click('#round-form button[type="submit"]');
  await wait(page, '#sign-form');
  process.env.PHRASE = 'wrong-phrase';
  const refused = await sign(page, 'นางสาวกัญญารัตน์ ศรีสุข', 'นักวิชาการเงินและบัญชีชำนาญการ', '2563-10-15');
  check(/รหัสผ่านกุญแจไม่ถูกต้อง/.test(refused), 'a wrong key passphrase is refused in the page', refused);
  await page.$eval('#sign-form input[name="name"]', (e) => { e.value = ''; });
  await page.$eval('#sign-form input[name="position"]', (e) => { e.value = ''; });
  process.env.PHRASE = 'olan-key-phrase';
  const s1 = await sign(page, 'นางสาวกัญญารัตน์ ศรีสุข', 'นักวิชาการเงินและบัญชีชำนาญการ', '2563-10-15');
  // The signer list is redrawn after the status line: wait for the expected
  // state (a loaded machine answers slowly), then report what is there.
  const slots = async (want) => {
    const now = () => page.$$eval('ol.signers li', (ls) => ls.map((l) => l.className).join());
    if (want) {
      await page.waitForFunction((w) => [...document.querySelectorAll('ol.signers li')]
        .map((l) => l.className).join() === w, { timeout: 30000 * SLOW }, want).catch(() => {});
    }
    return now();
  };
  check(/ลงนามแล้ว/.test(s1) && (await slots('signed,waiting,waiting')) === 'signed,waiting,waiting', 'the preparer signs first', s1);
  await shot(page, 'sign-1366');
  await logout(page);

  // the approver cannot sign before the checker
  await login(page, 'arun');
  await page.click('nav button[data-view="sign"]');
  await wait(page, 'ol.signers');
  const hidden = await page.$eval('#sign-form', (f) => f.hidden);
  check(hidden && /ยังไม่ถึงลำดับ/.test(await text(page, '#round')), 'the approver is told to wait for the checker');
  await logout(page);

  await login(page, 'chai');
  process.env.PHRASE = 'chai-key-phrase';
  const s2 = await sign(page, 'นายประเสริฐ วงศ์ใหญ่', 'หัวหน้ากลุ่มงานประกันสุขภาพ', '2563-10-16');
  check((await slots('signed,signed,waiting')) === 'signed,signed,waiting', 'the checker signs second', s2);
  await logout(page);

  await login(page, 'arun');
  process.env.PHRASE = 'arun-key-phrase';
  const s3 = await sign(page, 'นายแพทย์สมศักดิ์ ชัยมงคล', 'ผู้อำนวยการสำนักงานเขตสุขภาพที่ 8', '2563-10-20');
  await page.waitForSelector('#round-filed', { visible: true, timeout: 30000 * SLOW }).catch(async () => {
    throw new Error('not filed: ' + s3 + ' ' + (await text(page, '#sign-messages')));
  });
  check(/finance-r8-2563\/2563-r1/.test(await text(page, '#round-filed')), 'the approver\'s signature files the round', s3);
  await shot(page, 'sign-filed-1366');

  // history, a province's trend, verify
  await page.click('nav button[data-view="history"]');
  await wait(page, '#history-table tbody tr');
  const row = await text(page, '#history-table tbody tr');
  check(/finance-r8-2563\/2563-r1/.test(row) && /กัญญารัตน์/.test(row) && /ประเสริฐ/.test(row) && /สมศักดิ์/.test(row),
    'history lists the filed round with its three signers', row);
  await page.select('#history-province', '41');
  await wait(page, 'svg.trend circle');
  check(/76\.94 B\+/.test(await text(page, '#trend')), "Udon Thani's trend shows 76.94 B+ for the round");
  await page.click('#verify-go');
  await wait(page, '#verify-ok, #verify-bad', 60000);
  check(!!(await page.$('#verify-ok')), 'verify finds the archive whole', await text(page, '#verify-results'));
  await shot(page, 'history-1366');

  await page.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true });
  await wait(page, '#app');
  await page.click('nav button[data-view="sign"]');
  await wait(page, '#round-filed');
  await shot(page, 'sign-phone');
  await page.click('nav button[data-view="history"]');
  await wait(page, '#history-table tbody tr');
  await page.select('#history-province', '41');
  await wait(page, 'svg.trend circle');
  await shot(page, 'history-phone');
  await logout(page);
  await shot(page, 'login-phone');
  check(errors.length === 0, 'no script error in the console', errors.join(' | '));
} catch (e) {
  console.log(`not ok - the browser run stopped: ${e.message}`);
} finally {
  await browser.close();
}
