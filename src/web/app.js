// khet serve: the pages' script. Plain DOM, no build step, no framework.
// Text from the server is always set as textContent (never parsed as HTML).
'use strict';
const S = { csrf: '', role: '', ws: 0, spaces: [], schemes: [], names: {} };
const $ = (id) => document.getElementById(id);
function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v; else if (k.startsWith('on')) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v);
  }
  for (const k of kids) if (k !== null && k !== undefined) e.append(k instanceof Node ? k : String(k));
  return e;
}
async function api(method, path, body, type) {
  const opt = { method, credentials: 'same-origin', headers: {} };
  if (method === 'POST') {
    opt.headers['X-CSRF-Token'] = S.csrf;
    if (body instanceof Blob) { opt.body = body; opt.headers['Content-Type'] = type || 'application/octet-stream'; }
    else { opt.body = JSON.stringify(body || {}); opt.headers['Content-Type'] = 'application/json'; }
  }
  const r = await fetch(path, opt);
  let j = null;
  try { j = await r.json(); } catch (e) { j = { message: 'เซิร์ฟเวอร์ตอบไม่ถูกต้อง' }; }
  if (!r.ok) { const err = new Error(j.message || ('HTTP ' + r.status)); err.status = r.status; err.body = j; throw err; }
  return j;
}
// null (a province without a grade: no amount) prints "–", never 0.00
const baht = (satang) => (satang === null || satang === undefined) ? '–' : (satang / 100).toLocaleString('th-TH', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const num = (v, d = 2) => (v === null || v === undefined) ? '–' : (typeof v === 'number' ? v.toLocaleString('th-TH', { maximumFractionDigits: d }) : String(v));

// ---- session ----
async function start() {
  const s = await api('GET', '/api/session');
  S.csrf = s.csrf; S.role = s.role; S.user = s.user;
  $('setup').hidden = !s.setup;
  if (s.accounts && s.role === 'none') { $('login').hidden = !!s.setup; $('app').hidden = true; $('who').hidden = true; return; }
  $('login').hidden = true; $('app').hidden = false;
  $('who').hidden = !s.accounts; $('who-name').textContent = s.user + ' (' + roleTh(s.role) + ')';
  $('nav-users').hidden = s.role !== 'admin';
  await loadSpaces(0);
}
const roleTh = (r) => ({ officer: 'ผู้จัดทำ', checker: 'ผู้ตรวจสอบ', approver: 'ผู้อนุมัติ', viewer: 'ผู้ดู', admin: 'ผู้ดูแลระบบ', local: 'เครื่องนี้' }[r] || r);
$('login-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  $('login-error').textContent = '';
  try {
    await api('POST', '/api/login', { name: $('login-name').value, password: $('login-password').value });
    $('login-password').value = '';
    await start();
  } catch (e) { $('login-error').textContent = e.message; }
});
$('setup-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  $('setup-error').textContent = '';
  if ($('setup-password').value !== $('setup-password2').value) { $('setup-error').textContent = 'รหัสผ่านสองช่องไม่ตรงกัน'; return; }
  try {
    await api('POST', '/api/setup', { name: $('setup-name').value, password: $('setup-password').value });
    $('setup-password').value = ''; $('setup-password2').value = '';
    await start();
    show('users');
  } catch (e) { $('setup-error').textContent = e.message; }
});
$('logout').addEventListener('click', async () => { try { await api('POST', '/api/logout'); } finally { location.reload(); } });

// ---- views ----
for (const b of document.querySelectorAll('nav button')) b.addEventListener('click', () => show(b.dataset.view));
function show(view) {
  for (const b of document.querySelectorAll('nav button')) b.classList.toggle('active', b.dataset.view === view);
  for (const v of document.querySelectorAll('.view')) v.hidden = v.id !== 'view-' + view;
  // the workspace matters to data, scores, render and a new round; not to history or accounts
  document.querySelector('.space-bar').hidden = view === 'history' || view === 'users';
  if (view === 'scores') loadScores();
  if (view === 'sign') loadRound();
  if (view === 'history') loadHistory();
  if (view === 'users') loadUsers();
}

// ---- workspaces ----
async function loadSpaces(pick) {
  const j = await api('GET', '/api/spaces');
  S.spaces = j.spaces; S.schemes = j.schemes.sort();
  const sel = $('space'); sel.textContent = '';
  for (const s of j.spaces) sel.append(el('option', { value: s.id }, s.id === 0 ? 'โฟลเดอร์ข้อมูล: ' + s.name : 'อัปโหลด ' + s.id + ': ' + s.name));
  sel.value = String(pick); S.ws = pick;
  const sc = $('scheme'); const was = sc.value; sc.textContent = '';
  for (const n of j.schemes) sc.append(el('option', { value: n }, n));
  if (was && j.schemes.includes(was)) sc.value = was;
  const rs = $('round-scheme'); rs.textContent = '';
  for (const n of j.schemes) rs.append(el('option', { value: n }, n));
  spaceNote();
  await runCheck();
  loadProvinces();
}
function spaceNote() {
  $('space-note').textContent = S.ws === 0 ? 'โฟลเดอร์ข้อมูลหลักอ่านได้อย่างเดียว: อัปโหลด zip เพื่อแก้ไขในพื้นที่งานใหม่' : 'วางไฟล์ .csv ที่แก้แล้วเพื่อแทนไฟล์เดิมในพื้นที่งานนี้';
}
$('space').addEventListener('change', async () => {
  S.ws = Number($('space').value); spaceNote();
  $('doc-list').textContent = ''; $('preview').hidden = true;
  await runCheck(); loadProvinces();
  if (!$('view-scores').hidden) loadScores();
});

// ---- upload ----
const drop = $('drop');
drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => { e.preventDefault(); drop.classList.remove('over'); upload([...e.dataTransfer.files]); });
$('file').addEventListener('change', () => { upload([...$('file').files]); $('file').value = ''; });
async function upload(files) {
  const st = $('upload-status');
  let ws = S.ws;
  for (const f of files) {
    const fresh = /\.(zip|xlsx)$/i.test(f.name); // a zip or a workbook is a whole data folder: a workspace of its own
    if (!fresh && ws === 0) { st.className = 'error'; st.textContent = f.name + ': เลือกพื้นที่งานที่อัปโหลดไว้ก่อน หรืออัปโหลด zip ของทั้งโฟลเดอร์'; return; }
    st.className = ''; st.textContent = 'กำลังอัปโหลด ' + f.name + ' …';
    try {
      const q = '/api/upload?name=' + encodeURIComponent(f.name) + (fresh ? '' : '&ws=' + ws);
      const j = await api('POST', q, f);
      ws = j.ws;
      st.textContent = 'อัปโหลด ' + f.name + ' แล้ว';
    } catch (e) { st.className = 'error'; st.textContent = f.name + ': ' + e.message; return; }
  }
  await loadSpaces(ws);
}

// ---- check ----
const levelTh = { error: 'ข้อผิดพลาด', system: 'ระบบขัดข้อง', warning: 'คำเตือน', note: 'หมายเหตุ' };
function cellOf(text, col) {
  // the CSV cell starting at character `col` (1-based) of the line
  const cs = Array.from(text || '');
  if (!col || col > cs.length) return null;
  let i = col - 1, out = '';
  if (cs[i] === '"') { i++; while (i < cs.length && !(cs[i] === '"' && cs[i + 1] !== '"')) { out += cs[i]; i += cs[i] === '"' ? 2 : 1; } return { start: col - 1, end: i + 1, value: out }; }
  while (i < cs.length && cs[i] !== ',') out += cs[i++];
  return { start: col - 1, end: i, value: out };
}
function findingNode(f) {
  const cell = f.text ? cellOf(f.text, f.col) : null;
  const quoted = /\('([^']*)'\)\s*$/.exec(f.message);
  const value = quoted ? quoted[1] : cell ? cell.value : null;
  const allowed = /must be one of (.+?)(?: \(|$)/.exec(f.message); // the values the column takes
  const where = f.line ? 'บรรทัด ' + f.line + (f.col ? ' คอลัมน์ ' + f.col : '') : 'ทั้งไฟล์';
  const row = [];
  if (f.text !== null && f.text !== undefined) {
    const cs = Array.from(f.text);
    if (cell) row.push(cs.slice(0, cell.start).join(''), el('mark', {}, cs.slice(cell.start, cell.end).join('')), cs.slice(cell.end).join(''));
    else row.push(f.text);
  }
  return el('div', { class: 'finding', 'data-line': f.line, 'data-col': f.col },
    el('span', { class: 'where' }, where),
    el('span', {}, el('span', { class: 'level-' + f.level }, levelTh[f.level] || f.level), ': ', f.what || f.message),
    allowed ? el('span', { class: 'allowed' }, 'ค่าที่ใช้ได้: ', el('code', {}, allowed[1])) : null,
    f.what ? el('span', { class: 'detail' }, 'ข้อความจาก khet: ' + f.message) : null,
    value !== null ? el('span', { class: 'value' }, 'ค่าที่พบ: ', el('code', {}, value === '' ? '(ว่าง)' : value)) : null,
    row.length ? el('span', { class: 'row' }, ...row) : null,
    el('span', { class: 'todo' }, f.hint));
}
async function runCheck() {
  const out = $('check-results'), sum = $('check-summary');
  out.textContent = ''; sum.textContent = 'กำลังตรวจ…';
  let j;
  try { j = await api('GET', '/api/check?ws=' + S.ws); } catch (e) { sum.textContent = e.message; return; }
  sum.textContent = '';
  const s = j.summary;
  if (j.errors === 0) {
    // each fact kept on one line (a phone breaks Thai inside a compound such as ตัวชี้วัด)
    const facts = ['ปีงบประมาณ ' + s.fiscal_year, s.provinces + ' จังหวัด', s.hospitals + ' หน่วยบริการ', s.kpi_rows + ' แถวตัวชี้วัด'];
    if (j.warnings) facts.push('คำเตือน ' + j.warnings + ' รายการ');
    const banner = el('div', { class: 'ok-banner', id: 'check-ok' }, 'ข้อมูลผ่านการตรวจ: ');
    facts.forEach((t, i) => banner.append(el('span', { class: 'nobr' }, t + (i < facts.length - 1 ? ' ·' : '')), ' '));
    sum.append(banner);
  } else {
    sum.append(el('div', { class: 'bad-banner', id: 'check-bad' }, 'พบข้อผิดพลาด ' + j.errors + ' รายการ: แก้ในไฟล์แล้ววางไฟล์ที่แก้ลงที่นี่'));
  }
  const groups = new Map();
  for (const f of j.findings) { const k = f.file || '(ทั่วไป)'; if (!groups.has(k)) groups.set(k, []); groups.get(k).push(f); }
  for (const [file, fs] of groups) {
    const g = el('div', { class: 'file-group', 'data-file': file }, el('h3', {}, file + ' · ' + fs.length + ' รายการ'));
    for (const f of fs.slice(0, 200)) g.append(findingNode(f));
    if (fs.length > 200) g.append(el('p', { class: 'muted' }, 'และอีก ' + (fs.length - 200) + ' รายการ'));
    out.append(g);
  }
}

// ---- scores ----
function sortable(table, rows, cols, onRow) {
  let key = null, dir = 1;
  const draw = () => {
    table.textContent = '';
    const hr = el('tr');
    cols.forEach((c, i) => {
      const th = el('th', { class: (c.name ? 'name ' : '') + (key === i ? (dir > 0 ? 'sorted-asc' : 'sorted-desc') : ''), title: 'เรียงตาม' + c.label }, c.label);
      th.addEventListener('click', () => { dir = key === i ? -dir : 1; key = i; draw(); });
      hr.append(th);
    });
    table.append(el('thead', {}, hr));
    const body = el('tbody');
    const rs = rows.slice();
    if (key !== null) rs.sort((a, b) => { const x = cols[key].sort(a), y = cols[key].sort(b); return (x < y ? -1 : x > y ? 1 : 0) * dir; });
    for (const r of rs) {
      const tr = el('tr', { class: onRow ? 'pick-row' : '' });
      cols.forEach((c) => tr.append(el('td', { class: c.name ? 'name' : '', 'data-measure': c.measure || '' }, c.show(r))));
      if (onRow) tr.addEventListener('click', (ev) => { for (const x of table.querySelectorAll('tr.picked')) x.classList.remove('picked'); tr.classList.add('picked'); onRow(r, ev); });
      body.append(tr);
    }
    table.append(body);
  };
  draw();
}
// which hospital column stands behind a criterion's measure
const measureCol = { ebitda_sd: 'ebitda_ratio', nwc_ratio: 'nwc_satang', revenue_ge_expense: 'revenue_ge_expense', risk7: 'risk_end', risk47: 'risk_end', risk47_improved: 'risk_end', tb_electronic: 'tb_electronic', tb_mapping: 'tb_mapping', eclaim: 'eclaim_passed', eff7: 'eff7', unit_cost: 'unit_cost_ok', cmi: 'cmi_fytd' };
async function loadScores() {
  const scheme = $('scheme').value || S.schemes[0];
  if (!scheme) return;
  const t = $('score-table'), f = $('score-findings');
  t.textContent = ''; f.textContent = 'กำลังคำนวณ…'; $('hosp-table').textContent = ''; $('hosp-title').hidden = true;
  let j;
  try { j = await api('GET', '/api/score?ws=' + S.ws + '&scheme=' + encodeURIComponent(scheme)); } catch (e) { f.textContent = e.message; return; }
  f.textContent = '';
  if (!j.score) {
    f.append(el('div', { class: 'bad-banner' }, 'คำนวณคะแนนไม่ได้: แก้ข้อมูลตามข้อความด้านล่าง'));
    for (const m of j.messages) f.append(el('div', { class: 'error' }, m));
    return;
  }
  for (const m of j.messages) f.append(el('div', { class: 'muted' }, m));
  const sc = j.score;
  const region = sc.title.includes('เขตสุขภาพที่ ' + sc.region) ? '' : ' · เขตสุขภาพที่ ' + sc.region; // the title may name it already
  f.append(el('p', { class: 'muted' }, sc.title + region + ' · ปีงบประมาณ ' + sc.fiscal_year + ' · คลิกแถวเพื่อดูหน่วยบริการเบื้องหลังตัวเลข'));
  const crit = (sc.provinces[0] || { criteria: [] }).criteria;
  const cols = [
    { label: 'อันดับ', show: (p) => num(p.rank, 0), sort: (p) => p.rank },
    { label: 'รหัส', show: (p) => p.code, sort: (p) => p.code },
    { label: 'จังหวัด', name: 1, show: (p) => p.name_th, sort: (p) => p.name_th },
    ...crit.map((c, i) => ({ label: 'เกณฑ์ ' + c.number + (c.part ? '.' + c.part : ''), measure: c.measure, show: (p) => num(p.criteria[i].points, 1), sort: (p) => p.criteria[i].points })),
    { label: 'รวม', show: (p) => num(p.total, 1), sort: (p) => p.total },
    { label: 'ร้อยละ', show: (p) => num(p.percent), sort: (p) => p.percent },
    { label: 'เกรด', show: (p) => p.grade ?? 'ไม่จัดระดับ', sort: (p) => p.grade },
    { label: 'หน่วยบริการ', show: (p) => p.hospitals, sort: (p) => p.hospitals },
    { label: 'เงินที่หัก (บาท)', show: (p) => baht(p.clawback_satang), sort: (p) => p.clawback_satang },
  ];
  sortable(t, sc.provinces, cols, (p, ev) => hospitals(sc, p, ev.target.dataset.measure));
  // why a province has no grade, rank or amount (too few provinces for the SD)
  for (const p of sc.provinces.filter((q) => q.not_graded)) f.append(el('div', { class: 'muted' }, p.name_th + ': ไม่จัดระดับ ไม่จัดลำดับ และไม่คำนวณเงินดึงกลับ (' + p.not_graded + ')'));
}
function hospitals(sc, p, measure) {
  const hs = sc.hospitals.filter((h) => h.province === p.code);
  $('hosp-title').hidden = false;
  $('hosp-title').textContent = 'หน่วยบริการของจังหวัด' + p.name_th + ' (' + hs.length + ' แห่ง)';
  const hl = measureCol[measure] || null;
  const cols = [
    { label: 'รหัส', k: 'hcode', show: (h) => h.hcode, sort: (h) => h.hcode },
    { label: 'หน่วยบริการ', name: 1, show: (h) => h.name_th, sort: (h) => h.name_th },
    { label: 'ระดับ', show: (h) => h.level, sort: (h) => h.level },
    { label: 'รายได้ (บาท)', show: (h) => baht(h.revenue_satang), sort: (h) => h.revenue_satang },
    { label: 'ค่าใช้จ่าย (บาท)', show: (h) => baht(h.expense_satang), sort: (h) => h.expense_satang },
    { label: 'EBITDA', k: 'ebitda_ratio', show: (h) => num(h.ebitda_ratio, 4), sort: (h) => h.ebitda_ratio },
    { label: 'รายได้ ≥ ค่าใช้จ่าย', k: 'revenue_ge_expense', show: (h) => h.revenue_ge_expense ? 'ใช่' : 'ไม่', sort: (h) => h.revenue_ge_expense },
    { label: 'ทุนหมุนเวียน (บาท)', k: 'nwc_satang', show: (h) => baht(h.nwc_satang), sort: (h) => h.nwc_satang },
    { label: 'ระดับวิกฤต', k: 'risk_end', show: (h) => h.risk_end, sort: (h) => h.risk_end },
    { label: 'งบทดลอง (%)', k: 'tb_electronic', show: (h) => num(h.tb_electronic), sort: (h) => h.tb_electronic },
    { label: 'ผังบัญชี (%)', k: 'tb_mapping', show: (h) => num(h.tb_mapping), sort: (h) => h.tb_mapping },
    { label: 'e-Claim ผ่าน/ส่ง', k: 'eclaim_passed', show: (h) => h.eclaim_passed + '/' + h.eclaim_claims, sort: (h) => h.eclaim_claims ? h.eclaim_passed / h.eclaim_claims : 0 },
    { label: 'ประสิทธิภาพ 7', k: 'eff7', show: (h) => h.eff7, sort: (h) => h.eff7 },
    { label: 'ต้นทุนผ่าน', k: 'unit_cost_ok', show: (h) => h.unit_cost_ok ? 'ใช่' : 'ไม่', sort: (h) => h.unit_cost_ok },
    { label: 'CMI', k: 'cmi_fytd', show: (h) => num(h.cmi_fytd, 4), sort: (h) => h.cmi_fytd },
  ];
  sortable($('hosp-table'), hs, cols, null);
  if (hl) {
    const i = cols.findIndex((c) => c.k === hl);
    for (const tr of $('hosp-table').rows) if (tr.cells[i]) tr.cells[i].classList.add('hl');
  }
  $('hosp-title').scrollIntoView({ block: 'nearest' });
}
$('scheme').addEventListener('change', loadScores);

// ---- render ----
const phone = () => window.matchMedia('(max-width: 700px)').matches;
async function loadProvinces() {
  const sel = $('render-form').elements.province;
  sel.length = 1;
  const first = S.schemes.find((n) => n.startsWith('finance')) || S.schemes[0];
  if (!first) return;
  try {
    const j = await api('GET', '/api/score?ws=' + S.ws + '&scheme=' + encodeURIComponent(first));
    if (!j.score) return;
    for (const p of j.score.provinces) { S.names[p.code] = p.name_th; sel.append(el('option', { value: p.code }, p.code + ' ' + p.name_th)); }
  } catch (e) { /* the check page says why */ }
}
function docTitle(path) {
  const f = path.split('/').pop();
  let m;
  if ((m = /^scorecard-(\d+)\.pdf$/.exec(f))) return 'บัตรคะแนน ' + (S.names[m[1]] || m[1]);
  if (f === 'summary.pdf') return 'สรุปผลระดับเขต';
  if (/^kpi/.test(f)) return 'รายงานการตรวจราชการ';
  if ((m = /^monthly-(\d{4})-(\d{2})\.pdf$/.exec(f))) return 'เอกสารประกอบรายเดือน ' + m[1] + '-' + m[2];
  if ((m = /^booklet-round(\d+)\.pdf$/.exec(f))) return 'รวมเล่ม รอบที่ ' + m[1];
  return f;
}
$('render-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const fd = new FormData($('render-form'));
  const body = { ws: S.ws, report: fd.get('report'), province: fd.get('province'), month: fd.get('month'), style: fd.get('style'), date: fd.get('date'), thai_digits: fd.get('thai_digits') === 'on' };
  const st = $('render-status'), list = $('doc-list'), msgs = $('render-messages');
  st.className = ''; st.textContent = 'กำลังจัดทำเอกสาร…'; list.textContent = ''; msgs.textContent = '';
  $('render-go').disabled = true;
  try {
    const j = await api('POST', '/api/render', body);
    st.textContent = 'จัดทำเอกสารแล้ว ' + j.files.length + ' ฉบับ';
    const base = '/api/file?ws=' + j.ws + '&job=' + j.job + '&name=';
    for (const f of j.files) {
      const view = el('a', { href: base + encodeURIComponent(f), class: 'view-doc', target: '_blank', rel: 'noopener' }, docTitle(f));
      // a phone's browser shows no PDF in a frame: there the link opens the document itself
      view.addEventListener('click', (e) => { if (phone()) return; e.preventDefault(); $('preview').hidden = false; $('preview').src = view.href; });
      list.append(el('li', { 'data-file': f }, view, el('a', { href: base + encodeURIComponent(f) + '&download=1', download: f.split('/').pop(), class: 'download' }, 'ดาวน์โหลด')));
    }
    list.append(el('li', { class: 'all' }, 'ทุกฉบับ', el('a', { href: '/api/zip?ws=' + j.ws + '&job=' + j.job, download: 'documents.zip', id: 'download-all' }, 'ดาวน์โหลด zip')));
    if (j.files.length && !phone()) { $('preview').hidden = false; $('preview').src = base + encodeURIComponent(j.files[0]); }
    if (phone()) list.append(el('li', { class: 'muted' }, 'แตะชื่อเอกสารเพื่อเปิดดู'));
  } catch (e) {
    st.className = 'error'; st.textContent = e.message;
    for (const m of (e.body && e.body.messages) || []) msgs.append(el('div', { class: 'error' }, m));
  } finally { $('render-go').disabled = false; }
});

start().catch((e) => { document.body.append(el('p', { class: 'error' }, 'เปิดหน้าไม่ได้: ' + e.message)); });

// ---- sign-off ----
const slotRole = ['officer', 'checker', 'approver'];
async function loadRound() {
  const box = $('rounds'), st = $('sign-status'), needs = $('sign-needs');
  box.textContent = ''; needs.textContent = '';
  let j;
  try { j = await api('GET', '/api/round'); } catch (e) { st.className = 'error'; st.textContent = e.message; return; }
  const signer = slotRole.includes(S.role);
  if (!j.signing || S.role === 'local') {
    needs.append(el('p', { class: 'bad-banner', id: 'sign-off-needs' }, 'การลงนามต้องมีบัญชีผู้ใช้ของผู้ลงนามแต่ละคน: ผู้ดูแลเปิด khet serve ด้วย --users ไฟล์บัญชี (ดูวิธีใน README หัวข้อ khet serve)'));
    $('key-box').hidden = true; $('start-box').hidden = true;
    return;
  }
  $('key-box').hidden = !signer;
  $('key-state').textContent = j.has_key ? 'มีแล้ว' : 'ยังไม่มี: อัปโหลดก่อนลงนาม';
  $('key-state').className = j.has_key ? 'good' : 'error';
  if (signer && !j.has_key) $('key-box').open = true;
  $('start-box').hidden = S.role !== 'officer';
  for (const sel of document.querySelectorAll('#round-form select[data-role]')) {
    const was = sel.value; sel.textContent = '';
    for (const a of j.accounts.filter((x) => x.role === sel.dataset.role)) sel.append(el('option', { value: a.name }, a.name));
    if (was) sel.value = was;
    if (sel.dataset.role === 'officer' && !was && j.accounts.some((x) => x.name === S.user)) sel.value = S.user;
  }
  const fb = $('round-filed-box'); fb.textContent = '';
  if (j.filed) {
    fb.append(el('div', { class: 'ok-banner', id: 'round-filed' }, 'ยื่นเก็บรอบ ' + j.filed + ' ในคลังเอกสารแล้ว'));
    const h = /head is now ([0-9a-f]{64}) \((\d+) rounds\)/.exec(j.head || '');
    if (h) fb.append(el('p', { class: 'muted', id: 'round-head' }, 'ค่าตรวจสอบของทะเบียนคลังเอกสารหลังยื่นเก็บ (' + h[2] + ' รอบ): ', el('code', {}, h[1]),
      ' ผู้อนุมัติจดค่านี้ไว้ในทะเบียนการยื่นเก็บของหน่วยงาน นอกคลังเอกสาร (ใช้พิสูจน์ภายหลังว่าไม่มีรอบใดถูกนำออก)'));
  }
  if (!j.rounds.length) {
    box.append(el('p', { class: 'muted', id: 'no-rounds' }, S.role === 'officer' ? 'ยังไม่มีรอบที่รอลงนาม: เริ่มรอบใหม่ด้านบน' : 'ยังไม่มีรอบที่รอลงนาม: ผู้จัดทำ (officer) เป็นผู้เริ่มรอบ'));
    return;
  }
  for (const r of j.rounds) box.append(roundNode(r));
}
function roundNode(r) {
  const card = el('div', { class: 'round-card', 'data-round': r.id });
  card.append(el('h4', {}, 'รอบ ' + r.id + ' · ลงนามรับรองวันที่ ' + r.date + ' · ข้อมูล: ' + (r.ws === 0 ? 'โฟลเดอร์ข้อมูล' : 'อัปโหลด ' + r.ws)));
  const list = el('ol', { class: 'signers' });
  r.signers.forEach((s, i) => list.append(el('li', { class: s.signed ? 'signed' : i === r.next ? 'next' : 'waiting', 'data-slot': i },
    el('strong', {}, s.role), ' ' + s.name + ' (' + s.position + ') · บัญชี ' + s.user + ' · ',
    s.signed ? '✔ ลงนามแล้ว' : i === r.next ? 'ถึงลำดับลงนาม' : 'รอลงนาม')));
  card.append(list);
  const mine = r.my_slot;
  if (r.stale) card.append(el('p', { class: 'error stale' }, 'มีรอบอื่นยื่นเก็บเข้าคลังระหว่างที่รอบนี้รอลงนาม เอกสารที่รออยู่จึงยื่นเก็บไม่ได้แล้ว: ผู้จัดทำยกเลิกรอบนี้ แล้วเริ่มใหม่ด้วยครั้งที่ถัดไป'));
  if (mine >= 0 && mine === r.next && !r.busy && !r.stale) {
    const f = el('form', { class: 'sign-form grid' },
      el('label', {}, 'รหัสผ่านกุญแจของคุณ', el('input', { name: 'passphrase', type: 'password', required: '', autocomplete: 'off' })),
      el('button', { type: 'submit', class: 'sign-go' }, 'ลงนามในฐานะ' + r.signers[mine].role));
    f.addEventListener('submit', (ev) => { ev.preventDefault(); signRound(r, f); });
    card.append(f);
  } else if (mine >= 0 && mine < r.next) card.append(el('p', { class: 'muted' }, 'คุณลงนามรอบนี้แล้ว' + (r.next < 3 ? ': รอ' + r.signers[r.next].role + ' (' + r.signers[r.next].user + ')' : '')));
  else if (mine > r.next) card.append(el('p', { class: 'muted wait-turn' }, 'ยังไม่ถึงลำดับของคุณ: รอ' + r.signers[r.next].role + ' (' + r.signers[r.next].user + ') ลงนามก่อน'));
  else if (mine < 0) card.append(el('p', { class: 'muted' }, 'บัญชีนี้ไม่ได้เป็นผู้ลงนามของรอบนี้'));
  if (S.role === 'officer' && (r.next === 0 || r.stale)) {
    const c = el('button', { type: 'button', class: 'secondary cancel-round' }, 'ยกเลิกรอบนี้');
    c.addEventListener('click', async () => {
      try { await api('POST', '/api/round/cancel', { round: r.id }); setStatus('ยกเลิกรอบ ' + r.id + ' แล้ว'); } catch (e) { setStatus(e.message, true); }
      await loadRound();
    });
    card.append(c);
  }
  return card;
}
function setStatus(text, bad, messages) {
  const st = $('sign-status'), msgs = $('sign-messages');
  st.className = bad ? 'error' : ''; st.textContent = text; msgs.textContent = '';
  if (messages && messages.length) {
    const d = el('details', { class: 'tech' }, el('summary', {}, 'รายละเอียดจาก khet archive (สำหรับผู้ดูแลระบบ)'));
    for (const m of messages) d.append(el('div', {}, m));
    msgs.append(d);
  }
}
async function signRound(r, f) {
  const btn = f.querySelector('button'), pass = f.elements.passphrase.value;
  setStatus('กำลังลงนาม… (khet จัดทำเอกสารและลงลายมือชื่อ อาจใช้เวลาสักครู่)');
  btn.disabled = true;
  try {
    const j = await api('POST', '/api/round/sign', { round: r.id, passphrase: pass });
    setStatus(j.filed ? 'ลงนามครบสามคน ยื่นเก็บรอบ ' + j.filed + ' แล้ว' : 'ลงนามแล้ว: รอ' + r.signers[r.next + 1].role + ' ลงนามต่อ');
  } catch (e) {
    setStatus(e.message, true, e.body && e.body.messages);
  } finally { f.elements.passphrase.value = ''; btn.disabled = false; }
  await loadRound();
}
$('round-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const fd = new FormData($('round-form'));
  const signers = [0, 1, 2].map((i) => ({ user: fd.get('user' + i), name: fd.get('name' + i).trim(), position: fd.get('position' + i).trim(), date: fd.get('date' + i) }));
  try {
    await api('POST', '/api/round/start', { ws: S.ws, scheme: fd.get('scheme'), period: fd.get('period'), round: Number(fd.get('round')), date: fd.get('date'), signers });
    setStatus('เริ่มรอบแล้ว: ผู้จัดทำลงนามเป็นคนแรกที่รายการด้านล่าง');
    $('start-box').open = false;
  } catch (e) { setStatus(e.message, true); }
  await loadRound();
});
// the sign-off date fills the signers' dates left empty
$('round-form').elements.date.addEventListener('change', () => {
  for (const i of [0, 1, 2]) { const d = $('round-form').elements['date' + i]; if (!d.value) d.value = $('round-form').elements.date.value; }
});
$('key-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const file = $('key-file').files[0], st = $('key-status');
  if (!file) return;
  st.className = ''; st.textContent = 'กำลังตรวจไฟล์กุญแจ…';
  try {
    if (file.size > 48 * 1024) throw new Error('ไฟล์กุญแจ .p12 ต้องมีขนาดไม่เกิน 48 KiB');
    const bytes = new Uint8Array(await file.arrayBuffer());
    let bin = '';
    for (let i = 0; i < bytes.length; i += 8192) bin += String.fromCharCode(...bytes.subarray(i, i + 8192));
    const j = await api('POST', '/api/key', { p12: btoa(bin), passphrase: $('key-pass').value });
    st.textContent = 'เก็บกุญแจแล้ว: ' + j.subject;
    $('key-form').reset();
  } catch (e) { st.className = 'error'; st.textContent = e.message; }
  $('key-pass').value = '';
  await loadRound();
});

// ---- accounts (administrators) ----
async function loadUsers() {
  const t = $('users-table');
  t.textContent = '';
  let j;
  try { j = await api('GET', '/api/users'); } catch (e) { $('user-status').className = 'error'; $('user-status').textContent = e.message; return; }
  t.append(el('thead', {}, el('tr', {}, ...['บัญชี', 'บทบาท', 'กุญแจสำหรับลงนาม'].map((h) => el('th', { class: 'name' }, h)))));
  const body = el('tbody');
  for (const u of j.users) body.append(el('tr', { 'data-user': u.name }, el('td', { class: 'name' }, u.name), el('td', { class: 'name' }, roleTh(u.role) + ' (' + u.role + ')'),
    el('td', { class: 'name' }, slotRole.includes(u.role) ? (u.has_key ? 'มีแล้ว' : 'ยังไม่มี (เจ้าของบัญชีอัปโหลดเองที่หน้า ลงนาม)') : '–')));
  t.append(body);
}
$('user-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const f = $('user-form'), st = $('user-status');
  st.className = '';
  if (f.elements.password.value !== f.elements.password2.value) { st.className = 'error'; st.textContent = 'รหัสผ่านสองช่องไม่ตรงกัน'; return; }
  try {
    await api('POST', '/api/users', { name: f.elements.name.value, role: f.elements.role.value, password: f.elements.password.value });
    st.textContent = 'เพิ่มบัญชี ' + f.elements.name.value + ' แล้ว: แจ้งชื่อบัญชีและรหัสผ่านแก่เจ้าของบัญชี';
    f.reset();
  } catch (e) { st.className = 'error'; st.textContent = e.message; }
  f.elements.password.value = ''; f.elements.password2.value = '';
  await loadUsers();
});

// ---- history and verify ----
async function loadHistory() {
  const t = $('history-table'), st = $('history-status');
  t.textContent = ''; st.textContent = '';
  let j;
  try { j = await api('GET', '/api/history'); } catch (e) { st.className = 'error'; st.textContent = e.message; return; }
  const rounds = j.json || [];
  if (!rounds.length) { st.textContent = j.exit === 0 ? 'ยังไม่มีรอบที่ยื่นเก็บ' : (j.messages.join(' ') || 'ยังไม่มีคลังเอกสาร'); return; }
  t.append(el('thead', {}, el('tr', {}, ...['รอบ', 'ช่วง', 'วันที่ลงนาม', 'ผู้ลงนาม', 'เอกสาร'].map((h) => el('th', { class: 'name' }, h)))));
  const body = el('tbody');
  for (const r of rounds) body.append(el('tr', {}, el('td', { class: 'name' }, r.round), el('td', { class: 'name' }, r.period), el('td', { class: 'name' }, r.signed_off),
    el('td', { class: 'name' }, r.signers.map((s) => s.role + ' ' + s.name).join(' · ')), el('td', {}, r.documents.length)));
  t.append(body);
  const sel = $('history-province'), was = sel.value;
  sel.length = 1;
  const seen = new Map();
  for (const r of rounds) for (const p of r.results || []) seen.set(p.code, p.name);
  for (const [code, name] of seen) sel.append(el('option', { value: code }, code + ' ' + name));
  if (was && seen.has(was)) { sel.value = was; trend(); }
}
async function trend() {
  const code = $('history-province').value, box = $('trend');
  box.textContent = '';
  if (!code) return;
  const j = await api('GET', '/api/history?province=' + encodeURIComponent(code));
  const pts = (j.json || []).map((r) => ({ label: r.period + ' ครั้งที่ ' + r.round_no, res: (r.results || [])[0] })).filter((p) => p.res);
  box.append(chart(pts));
  box.append(el('p', { class: 'muted' }, pts.map((p) => p.label + ': ร้อยละ ' + (p.res.percent_x100 / 100).toFixed(2) + ' เกรด ' + p.res.grade + ' อันดับ ' + p.res.rank).join(' · ')));
}
function chart(pts) {
  // a line of the percentage, one point a filed round, drawn as SVG
  const ns = 'http://www.w3.org/2000/svg', W = phone() ? 380 : 640, H = phone() ? 200 : 240, L = 40, R = 16, T = 16, Bm = 40; // on a phone a narrower drawing keeps its text readable
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`); svg.setAttribute('class', 'trend'); svg.setAttribute('role', 'img');
  const mk = (tag, at, txt) => { const e = document.createElementNS(ns, tag); for (const [k, v] of Object.entries(at)) e.setAttribute(k, v); if (txt !== undefined) e.textContent = txt; svg.append(e); return e; };
  const y = (v) => T + (H - T - Bm) * (1 - v / 100), x = (i) => L + (pts.length < 2 ? (W - L - R) / 2 : i * (W - L - R) / (pts.length - 1));
  for (const v of [0, 25, 50, 75, 100]) { mk('line', { x1: L, x2: W - R, y1: y(v), y2: y(v), class: 'grid' }); mk('text', { x: L - 6, y: y(v) + 5, 'text-anchor': 'end' }, v); }
  if (pts.length > 1) mk('polyline', { points: pts.map((p, i) => x(i) + ',' + y(p.res.percent_x100 / 100)).join(' '), class: 'line' });
  pts.forEach((p, i) => {
    mk('circle', { cx: x(i), cy: y(p.res.percent_x100 / 100), r: 5, class: 'dot' });
    mk('text', { x: x(i), y: y(p.res.percent_x100 / 100) - 10, 'text-anchor': 'middle' }, (p.res.percent_x100 / 100).toFixed(2) + ' ' + p.res.grade);
    mk('text', { x: x(i), y: H - 12, 'text-anchor': 'middle' }, p.label);
  });
  return svg;
}
$('history-province').addEventListener('change', trend);
$('verify-go').addEventListener('click', async () => {
  const out = $('verify-results');
  out.textContent = 'กำลังตรวจสอบคลังเอกสาร…';
  try {
    const j = await api('GET', '/api/verify');
    out.textContent = '';
    out.append(el('div', { class: j.exit === 0 ? 'ok-banner' : 'bad-banner', id: j.exit === 0 ? 'verify-ok' : 'verify-bad' }, j.exit === 0
      ? 'คลังเอกสารถูกต้องครบถ้วน: ทะเบียน ลายมือชื่อ ไฟล์ต้นทาง และตัวเลขทุกรอบตรงกับที่ยื่นเก็บ ไม่มีสิ่งใดถูกแก้ เพิ่ม หรือนำออก'
      : 'พบปัญหาในคลังเอกสาร: แจ้งผู้ดูแลระบบและผู้ตรวจสอบบัญชีพร้อมรายละเอียดด้านล่าง'));
    out.append(el('p', { class: 'muted' }, 'รายละเอียดจาก khet verify:'));
    for (const m of j.lines.concat(j.messages)) out.append(el('div', { class: 'verify-line' }, m));
  } catch (e) { out.textContent = e.message; }
});
