/**
 * A table's staged line, compiled once per table from its declaration: one generated function for
 * the whole row instead of a closure per column. The closures all read `data[name]` from one code
 * site, which V8 serves through a megamorphic cache; in the generated function every column's read
 * names its field and gets its own inline cache (measured on Ultimate rows: see table-writer.ts).
 * The rules per column are the same for every table and live here once.
 */
import type { Column as DeclaredColumn } from '../../core/tables/declare.js';
import { DELIMITER, jsonTextCell, NULL_TEXT, textCell } from './staging-file.js';

export interface FormattedColumn {
  name: string;
  type: string; // DuckDB type name, e.g. VARCHAR, INTEGER, TIMESTAMP, JSON
  source: DeclaredColumn['source'];
}

export interface FormatterMeta {
  syncId: string;
  extractedAt: string;
  instance: string;
}

/** The cells of a record, joined by the delimiter (no line break). */
export type RowFormatter = (data: Record<string, unknown>, raw: string | undefined) => string;

/** One value as the CSV reader expects it for a column of `type`. */
export function cell(value: unknown, type: string): string {
  if (value === null || value === undefined) return NULL_TEXT;
  switch (type) {
    case 'JSON':
      return jsonTextCell(JSON.stringify(value));
    case 'BOOLEAN':
      return value ? 'true' : 'false';
    case 'VARCHAR':
      return textCell(typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value));
    default:
      return typeof value === 'string' ? textCell(value) : String(value);
  }
}

const helpers = { cell, textCell, jsonTextCell, NULL: NULL_TEXT };

const literal = (text: string): string => JSON.stringify(text);

/** A statement that sets `c` to the column's cell; the record is `data`, its delivered text `raw`. */
function cellStatement(column: FormattedColumn, meta: FormatterMeta): string {
  switch (column.source.kind) {
    case 'record':
      return 'c = h.jsonTextCell(raw ?? JSON.stringify(data));';
    case 'extracted_at':
      return `c = ${literal(meta.extractedAt)};`;
    case 'sync_id':
      return `c = ${literal(textCell(meta.syncId))};`;
    case 'instance':
      return `c = ${literal(textCell(meta.instance))};`;
    case 'field': {
      const read = `v = data[${literal(column.source.field)}];`;
      switch (column.type) {
        case 'VARCHAR':
          return `${read} c = typeof v === 'string' ? h.textCell(v) : h.cell(v, 'VARCHAR');`;
        case 'BOOLEAN':
          return `${read} c = v === null || v === undefined ? h.NULL : v ? 'true' : 'false';`;
        case 'INTEGER':
        case 'BIGINT':
        case 'DOUBLE':
        case 'TIMESTAMP':
        case 'DATE':
          return `${read} c = v === null || v === undefined ? h.NULL : typeof v === 'string' ? h.textCell(v) : String(v);`;
        default:
          return `${read} c = h.cell(v, ${literal(column.type)});`;
      }
    }
  }
}

/** The line of `columns` (in order) for a record: each column's cell, separated by the delimiter. */
export function compileRowFormatter(columns: readonly FormattedColumn[], meta: FormatterMeta): RowFormatter {
  const body = ["'use strict';", 'let v; let c; let line;'];
  columns.forEach((column, i) => {
    body.push(cellStatement(column, meta));
    body.push(i === 0 ? 'line = c;' : `line += ${literal(DELIMITER)} + c;`);
  });
  body.push(columns.length === 0 ? "return '';" : 'return line;');
  // Generated from the declaration above: no outside text goes in but JSON string literals.
  const make = new Function('h', `return function stagedRow(data, raw) {\n${body.join('\n')}\n};`) as (h: typeof helpers) => RowFormatter;
  return make(helpers);
}
