/**
 * Escaping for the three places data strings land: HTML, Markdown and spreadsheets.
 * Labels come from council exports, codebooks and the transcription, so none of them is trusted.
 */

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe inside an HTML element or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML[c]!);
}

/**
 * Inline Markdown text that renders as the same characters: every character CommonMark could read as
 * markup (emphasis, code, links, raw HTML, table pipes, entities) is backslash-escaped, and line breaks
 * become spaces so a label cannot open a new block.
 */
export function escapeMarkdown(text: string): string {
  return (
    text
      .replace(/[\r\n]+/g, ' ')
      .replace(/[\\`*_[\]|#!~]/g, (c) => `\\${c}`)
      // "<" opens raw HTML or an autolink only before a letter, "/", "!" or "?"; "&" an entity only before a
      // letter or "#"; ">" quotes only at the start. Elsewhere they stay bare, so "p < .01" reads as written.
      .replace(/<(?=[A-Za-z/!?])/g, '\\<')
      .replace(/&(?=[A-Za-z#])/g, '\\&')
      .replace(/^>/, '\\>')
  );
}

const PLAIN_NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * A cell a spreadsheet will not run as a formula: text starting with =, +, -, @, tab or carriage return
 * gets a leading apostrophe (the OWASP advice). Plain numbers such as -0.062 are left alone, since they
 * are data, not formulas.
 */
export function guardFormula(cell: string): string {
  if (/^[=+\-@\t\r]/.test(cell) && !PLAIN_NUMBER.test(cell)) return `'${cell}`;
  return cell;
}
