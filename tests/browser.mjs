// The web application in a real browser: headless Chromium from Debian driven
// by puppeteer-core (npm, installed by tests/cli/91-browser.sh into
// build/npm-browser). Usage: node browser.mjs BASE_URL WORKDIR SHOTS
//   WORKDIR holds bad.zip (the sample with a planted error), hospitals.csv
//   (the corrected file) and cli-scorecard-41.pdf (khet render's scorecard).
//   SHOTS is where the screenshots go (1366x768 and a phone's 390x844).
// Prints one "ok - what" or "not ok - what: why" line per check; the shell
// side counts them against its plan.
import { createRequire } from 'module';
import fs from 'fs';
import path from 'path';
const require = createRequire(path.resolve('build/npm-browser/package.json'));
const puppeteer = require('puppeteer-core');

const [base, work, shots] = process.argv.slice(2);
fs.mkdirSync(shots, { recursive: true });
const check = (cond, what, why) => console.log(cond ? `ok - ${what}` : `not ok - ${what}: ${why || ''}`);
const SLOW = Number(process.env.KHET_SLOW || 1);
const wait = (page, sel, ms = 20000) => page.waitForSelector(sel, { visible: true, timeout: ms * SLOW });
const shot = (page, name) => page.screenshot({ path: path.join(shots, name + '.png'), fullPage: false });
const text = (page, sel) => page.$eval(sel, (e) => e.textContent);

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--lang=th-TH'],
});
try {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.setViewport({ width: 1366, height: 768 });

  // 1. the data folder checks clean
  await page.goto(base, { waitUntil: 'networkidle0' });
  await wait(page, '#check-ok');
  check(/164 หน่วยบริการ/.test(await text(page, '#check-ok')), 'the data folder checks clean with its 164 hospitals');
  const font = await page.evaluate(() => document.fonts.check('20px Laksaman', 'ก'));
  check(font, 'the page is set in the report font khet serves (Laksaman)');
  await shot(page, 'data-1366');

  // 2. a zip with a planted error: the finding with line, column, value, advice
  const input = await page.$('#file');
  await input.uploadFile(path.join(work, 'bad.zip'));
  await wait(page, '#check-bad');
  const f = await page.$eval('.file-group[data-file="hospitals.csv"] .finding', (e) => ({
    line: e.dataset.line, col: e.dataset.col, text: e.textContent, mark: e.querySelector('mark')?.textContent,
  }));
  check(f.line === '30' && f.col === '28' && /X9/.test(f.text) && f.mark === 'X9' && /ควรทำ|เลือกค่าจากรายการ/.test(f.text),
    'the planted error shows in hospitals.csv at line 30, column 28, value X9 marked, with advice', JSON.stringify(f));
  await shot(page, 'check-errors-1366');
  // the same findings on a phone (the viewport change reloads the page: pick the upload again)
  await page.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true });
  await wait(page, '#check-ok');
  await page.select('#space', '1');
  await wait(page, '#check-bad');
  await shot(page, 'check-errors-phone');
  await page.setViewport({ width: 1366, height: 768 });
  await wait(page, '#check-ok');
  await page.select('#space', '1');
  await wait(page, '#check-bad');

  // 3. the corrected file dropped on the workspace clears it
  const input2 = await page.$('#file');
  await input2.uploadFile(path.join(work, 'hospitals.csv'));
  await wait(page, '#check-ok');
  check((await page.$$('.finding .level-error')).length === 0, 'the corrected hospitals.csv clears the error');

  // 4. scores: sortable, hospitals behind a figure
  await page.click('nav button[data-view="scores"]');
  await page.waitForFunction(() => document.querySelectorAll('#score-table tbody tr').length === 7, { timeout: 20000 * SLOW });
  const ranks = () => page.$$eval('#score-table tbody tr', (rs) => rs.map((r) => r.cells[0].textContent));
  // Udon Thani and Bueng Kan tie for first (692.5 points each)
  await page.click('#score-table thead th:nth-child(1)');
  check((await ranks()).join() === '1,1,3,4,5,6,7', 'a click on the rank heading sorts the 7 provinces of Region 8 by rank');
  await page.click('#score-table thead th:nth-child(1)');
  check((await ranks()).join() === '7,6,5,4,3,1,1', 'a click on a heading sorts the table (twice: descending)');
  const udon = await page.$$eval('#score-table tbody tr', (rs) => rs.findIndex((r) => r.cells[1].textContent === '41'));
  await page.click(`#score-table tbody tr:nth-child(${udon + 1}) td:nth-child(4)`);
  await wait(page, '#hosp-table tbody tr');
  const nh = await page.$$eval('#hosp-table tbody tr', (rs) => rs.length);
  const title = await text(page, '#hosp-title');
  check(nh === 20 && /อุดรธานี/.test(title) && (await page.$$('#hosp-table td.hl')).length === 20,
    "a click on Udon Thani's first criterion lists its 20 hospitals with the column behind it marked", `${nh} ${title}`);
  await shot(page, 'scores-1366');

  // 5. render the scorecard and download it: the bytes of khet render's
  await page.click('nav button[data-view="render"]');
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
  for (let i = 0; i < 100 && !fs.existsSync(got); i++) await new Promise((r) => setTimeout(r, 100));
  const same = fs.existsSync(got) && Buffer.compare(fs.readFileSync(got), fs.readFileSync(path.join(work, 'cli-scorecard-41.pdf'))) === 0;
  check(same, 'the downloaded scorecard has the bytes of khet render\'s', fs.existsSync(got) ? 'differs' : 'no download');
  await new Promise((r) => setTimeout(r, 1500)); // the PDF viewer draws the preview
  await shot(page, 'render-1366');

  // without accounts the sign-off page says what it needs
  await page.click('nav button[data-view="sign"]');
  await wait(page, '#sign-off-needs');
  check(await page.$eval('#sign-form', (f) => f.hidden), 'without accounts the sign-off page asks for --users and --keys');
  await shot(page, 'sign-local-1366');

  // 6. the same pages on a phone (the viewport change reloads the page)
  await page.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true });
  await wait(page, '#check-ok');
  await shot(page, 'data-phone');
  await page.click('nav button[data-view="scores"]');
  await wait(page, '#score-table tbody tr');
  await shot(page, 'scores-phone');
  await page.click('nav button[data-view="render"]');
  await page.select('#render-form select[name="report"]', 'summary');
  await page.click('#render-go');
  await wait(page, '#doc-list li[data-file="2563/r8/summary.pdf"]', 30000);
  await shot(page, 'render-phone');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, 'on a phone the page does not scroll sideways (tables scroll inside their box)', `${overflow}px`);
  check(errors.length === 0, 'no script error and no refused resource (CSP) in the console', errors.join(' | '));
} catch (e) {
  console.log(`not ok - the browser run stopped: ${e.message}`);
} finally {
  await browser.close();
}
