import { compile } from 'html-to-text';

// Compiled once: convert() would rebuild its selector tables on every call.
const convert = compile({
  wordwrap: false,
  selectors: [
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'img', format: 'skip' },
    // Receipts and bank notices are tables: keep cells apart ("Waktu  19/11/2026").
    { selector: 'table', format: 'dataTable' },
  ],
});

/** Readable text of an HTML-only email: links keep their text, images and tracking pixels vanish. */
export function htmlToText(html: string): string {
  return convert(html);
}
