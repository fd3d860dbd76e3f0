/** HTML text escaping and a plain table: the report's tables as real <table>s. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export interface Cell {
  text: string;
  /** a CSS class, e.g. a verdict's */
  cls?: string;
  /** numbers align right */
  num?: boolean;
}

export function htmlTable(caption: string, head: string[], rows: (Cell | string)[][]): string {
  const cell = (c: Cell | string, tag: 'td' | 'th') => {
    const x = typeof c === 'string' ? { text: c } : c;
    const cls = [x.cls, x.num ? 'num' : ''].filter(Boolean).join(' ');
    return `<${tag}${cls ? ` class="${cls}"` : ''}>${esc(x.text)}</${tag}>`;
  };
  return [
    `<table><caption>${esc(caption)}</caption>`,
    `<thead><tr>${head.map((h) => cell(h, 'th')).join('')}</tr></thead>`,
    `<tbody>${rows.map((r) => `<tr>${r.map((c) => cell(c, 'td')).join('')}</tr>`).join('\n')}</tbody>`,
    '</table>',
  ].join('\n');
}
