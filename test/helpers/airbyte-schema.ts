/**
 * The canonical Airbyte protocol schema (vendored, unchanged, in test/contract/airbyte-protocol/),
 * compiled once with ajv (draft-07) so tests can check Parley's output against the protocol itself
 * rather than only against Parley's own zod types.
 *
 * The document carries keywords JSON Schema does not define (`existingJavaType` for the Java code
 * generator, a top-level `version`), so the protocol is compiled non-strict: unknown keywords are
 * ignored. `format` is applied (ajv-formats), so `documentationUrl: {format: uri}` is checked too.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';
import { parse } from 'yaml';

// ajv-formats is CommonJS: its plugin is both module.exports and .default; `.default` types under NodeNext.
const addFormats = ajvFormats.default;

export const PROTOCOL_FILE = path.resolve(import.meta.dirname, '../contract/airbyte-protocol/airbyte_protocol.yaml');

interface ProtocolDocument {
  $id: string;
  version: string;
  definitions: Record<string, unknown>;
}

let compiled: { ajv: Ajv; document: ProtocolDocument; validators: Map<string, ValidateFunction> } | undefined;

function protocol() {
  if (!compiled) {
    const document = parse(fs.readFileSync(PROTOCOL_FILE, 'utf8')) as ProtocolDocument;
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(document as object); // registered under its $id; `#/definitions/...` refs resolve within it
    compiled = { ajv, document, validators: new Map() };
  }
  return compiled;
}

/** The protocol version the vendored schema declares (its `version:` field). */
export function protocolVersion(): string {
  return protocol().document.version;
}

/** The compiled validator for one of the protocol's definitions (AirbyteMessage, ConnectorSpecification, ...). */
export function definition(name: string): ValidateFunction {
  const { ajv, document, validators } = protocol();
  let validate = validators.get(name);
  if (!validate) {
    if (!(name in document.definitions)) throw new Error(`the Airbyte protocol ${document.version} has no definition "${name}"`);
    validate = ajv.getSchema(`${document.$id}#/definitions/${name}`);
    if (!validate) throw new Error(`ajv could not compile #/definitions/${name}`);
    validators.set(name, validate);
  }
  return validate;
}

function describe(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((e) => `  ${e.instancePath || '/'} ${e.message}${Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`).join('\n');
}

/** Throws unless `value` is valid against the named definition; `where` names it in the error. */
export function expectCanonical(name: string, value: unknown, where: string): void {
  const validate = definition(name);
  if (!validate(value)) {
    const text = JSON.stringify(value) ?? String(value);
    throw new Error(`${where} is not a valid ${name} (Airbyte protocol ${protocolVersion()}):\n${describe(validate.errors)}\n${text.slice(0, 300)}`);
  }
}

/** Throws unless one parsed stdout line is a valid AirbyteMessage; `line` is its 1-based number. */
export function expectCanonicalMessage(message: unknown, line: number): void {
  expectCanonical('AirbyteMessage', message, `stdout line ${line}`);
}

/**
 * A JSON schema Parley publishes (a stream's `json_schema`, the spec's `connectionSpecification`)
 * must be a draft-07 schema that ajv compiles strictly: valid against the draft-07 meta-schema, no
 * unknown keyword except the Airbyte annotations named in `annotations`, every format known.
 * Returns the compiled validator, e.g. to check records against it.
 */
export function compileJsonSchema(schema: unknown, where: string, annotations: string[] = ['airbyte_type']): ValidateFunction {
  const ajv = new Ajv({ strict: true, allowUnionTypes: true, allErrors: true });
  addFormats(ajv);
  for (const keyword of annotations) ajv.addKeyword({ keyword });
  if (!ajv.validateSchema(schema as object)) throw new Error(`${where} is not a valid draft-07 schema:\n${describe(ajv.errors)}`);
  try {
    return ajv.compile(schema as object);
  } catch (error) {
    throw new Error(`${where} does not compile strictly: ${(error as Error).message}`);
  }
}
