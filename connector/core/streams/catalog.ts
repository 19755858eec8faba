/**
 * The streams a source offers, as Airbyte and the destinations see them, derived from the stream
 * declarations: name, JSON schema, primary key and cursor field (discover, the configured catalog),
 * and the table each stream's records go into (sync). Every source also has the quarantine stream.
 */
import { QUARANTINE_STREAM, quarantineJsonSchema, quarantineTable } from '../quarantine.js';
import type { TableDeclaration } from '../tables/declare.js';
import { streamJsonSchema } from '../tables/json-schema.js';
import type { StreamDeclaration } from './declare.js';

export interface StreamDefinition {
  name: string;
  description: string;
  jsonSchema: Record<string, unknown>;
  /** Natural key, Airbyte style: list of field paths. */
  primaryKey: string[][];
  cursorField: string[];
  /** Where `sync` writes the stream's records. */
  table: TableDeclaration;
}

const key = (table: TableDeclaration) => table.key.map((column) => [column]);

export function streamDefinitions(streams: readonly StreamDeclaration<never, never>[]): StreamDefinition[] {
  const out: StreamDefinition[] = [];
  for (const stream of streams) {
    const cursorField = stream.kind === 'incremental' ? stream.cursorField : [];
    out.push({ name: stream.name, description: stream.description, jsonSchema: streamJsonSchema(stream.records), primaryKey: key(stream.records.table), cursorField, table: stream.records.table });
    if (stream.kind === 'incremental' && stream.completeness) {
      const c = stream.completeness;
      out.push({ name: c.stream, description: c.description, jsonSchema: streamJsonSchema(c.records), primaryKey: key(c.records.table), cursorField: c.cursorField, table: c.records.table });
    }
  }
  out.push({
    name: QUARANTINE_STREAM,
    description: 'Records that failed validation, with the reason and the text as received.',
    jsonSchema: { ...quarantineJsonSchema },
    primaryKey: key(quarantineTable),
    cursorField: [],
    table: quarantineTable,
  });
  return out;
}
