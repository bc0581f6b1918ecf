// Prints the text pdf.js (Firefox's reader) extracts from a PDF, one line per
// text item that ends a line: how copy and paste reads in Firefox.
//   node pdfjs-text.mjs FILE            the text on stdout
//   node pdfjs-text.mjs --each FILE...  each file's text into FILE.pdfjs.txt
//                                       (one node start for many documents)
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { readFileSync, writeFileSync } from 'fs';
async function text(file) {
  const doc = await getDocument({ data: new Uint8Array(readFileSync(file)) }).promise;
  let out = '';
  for (let i = 1; i <= doc.numPages; i++) {
    const tc = await (await doc.getPage(i)).getTextContent();
    for (const it of tc.items) out += it.str + (it.hasEOL ? '\n' : '');
    out += '\n';
  }
  await doc.destroy();
  return out;
}
if (process.argv[2] === '--each') {
  for (const f of process.argv.slice(3)) writeFileSync(f + '.pdfjs.txt', await text(f));
} else {
  process.stdout.write(await text(process.argv[2]));
}
