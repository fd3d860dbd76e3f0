import Table from 'cli-table3';
import { visibleWidth } from './format.js';

/** One column of values, aligned right (numbers) or left (names). */
export interface Column {
  head: string;
  cells: string[];
  align: 'left' | 'right';
}

export interface FitOptions {
  color: boolean;
  maxWidth: number;
}

/**
 * Renders key columns + value columns as one cli-table3 table, or, when that would be wider
 * than maxWidth, as several tables that repeat the key columns and split the value columns
 * between them, so no line is wider than the terminal contract (100 columns).
 */
export function renderFitted(title: string, keys: Column[], values: Column[], o: FitOptions): string {
  const chunks: Column[][] = [];
  let cur: Column[] = [];
  for (const col of values) {
    const attempt = [...cur, col];
    if (cur.length > 0 && visibleWidth(renderTable([...keys, ...attempt], o.color)) > o.maxWidth) {
      chunks.push(cur);
      cur = [col];
    } else {
      cur = attempt;
    }
  }
  if (cur.length > 0 || chunks.length === 0) chunks.push(cur);
  return chunks
    .map((chunk, i) => `${i === 0 ? title : `${title} (continued)`}\n${renderTable([...keys, ...chunk], o.color)}`)
    .join('\n\n');
}

export function renderTable(cols: Column[], color: boolean): string {
  const rows = Math.max(0, ...cols.map((c) => c.cells.length));
  const t = new Table({
    head: cols.map((c) => c.head),
    colAligns: cols.map((c) => c.align),
    style: { head: color ? ['cyan'] : [], border: color ? ['grey'] : [] },
  });
  for (let r = 0; r < rows; r++) t.push(cols.map((c) => c.cells[r] ?? ''));
  return t.toString();
}
