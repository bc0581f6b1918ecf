// Prints the text pdf.js (Firefox's reader) extracts from a PDF, one line per
// text item that ends a line: how copy and paste reads in Firefox.
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
const doc = await getDocument({ data: new Uint8Array((await import('fs')).readFileSync(process.argv[2])) }).promise;
let out = '';
for (let i = 1; i <= doc.numPages; i++) {
  const tc = await (await doc.getPage(i)).getTextContent();
  for (const it of tc.items) out += it.str + (it.hasEOL ? '\n' : '');
  out += '\n';
}
process.stdout.write(out);
