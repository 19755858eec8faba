/**
 * A stream's JSON schema (draft-07, with Airbyte's `airbyte_type` where it helps a destination type
 * timestamps) from its record declaration (declare.ts): every declared field, the columns' and the
 * record-only ones, plus source_instance; non-nullable fields are required.
 */
import type { Field, FieldType, RecordDeclaration } from './declare.js';
import { SOURCE_INSTANCE } from './declare.js';

const BASE: Record<FieldType, Record<string, unknown>> = {
  string: { type: 'string' },
  integer: { type: 'integer' },
  number: { type: 'number' },
  boolean: { type: 'boolean' },
  timestamp: { type: 'string', format: 'date-time', airbyte_type: 'timestamp_with_timezone' },
  date: { type: 'string', format: 'date' },
  array: { type: 'array' },
  object: { type: 'object' },
  json: {},
};

function fieldSchema(field: Field): Record<string, unknown> {
  const schema: Record<string, unknown> = { ...BASE[field.type], description: field.description, ...field.jsonSchema };
  if ((field.nullable ?? true) && typeof schema.type === 'string') schema.type = ['null', schema.type];
  return schema;
}

export function streamJsonSchema(declaration: RecordDeclaration): Record<string, unknown> {
  const fields: Field[] = [{ name: SOURCE_INSTANCE, type: 'string', nullable: false, description: 'the vendor account the record came from; part of the key' }, ...declaration.fields];
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    additionalProperties: declaration.open,
    properties: Object.fromEntries(fields.map((f) => [f.name, fieldSchema(f)])),
    required: fields.filter((f) => f.nullable === false).map((f) => f.name),
  };
}
