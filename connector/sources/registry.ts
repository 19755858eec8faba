/**
 * Every vendor source by name, and config parsing that picks the source from `vendor`. New vendors
 * add one line here.
 */
import { z } from 'zod';
import { validate } from '../core/config-file.js';
import { ConfigError } from '../core/errors.js';
import { registerSecret } from '../core/redact.js';
import { QUARANTINE_STREAM } from '../core/quarantine.js';
import { streamDefinitions } from '../core/streams/catalog.js';
import type { TableDeclaration } from '../core/tables/declare.js';
import type { Source, StreamDefinition } from './source.js';
import { genesysSource } from './genesys/index.js';
import { koreSource } from './kore/index.js';
import { sunbirdSource } from './sunbird/index.js';
import { ultimateSource } from './ultimate/index.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const SOURCES: Record<string, Source<any, any>> = {
  ultimate: ultimateSource,
  genesys: genesysSource,
  kore: koreSource,
  sunbird: sunbirdSource,
};

/** Every stream of every vendor: a sync creates all raw tables, so the dbt project builds whichever vendors are loaded. */
export function allStreams(): StreamDefinition[] {
  const byName = new Map<string, StreamDefinition>();
  for (const source of Object.values(SOURCES)) for (const stream of streamDefinitions(source.streams)) byName.set(stream.name, stream);
  return [...byName.values()];
}

/** The raw tables of one vendor (its dbt sources file lists them). */
export function vendorTables(vendor: string): TableDeclaration[] {
  const source = SOURCES[vendor];
  if (!source) throw new Error(`no source ${vendor}`);
  return streamDefinitions(source.streams).filter((s) => s.name !== QUARANTINE_STREAM).map((s) => s.table);
}

/** Registers the secrets of a source config with the redactor, validated or not (an unknown vendor has none). */
export function registerSourceSecrets(value: object): void {
  const vendor = (value as { vendor?: unknown }).vendor;
  const source = typeof vendor === 'string' ? SOURCES[vendor] : undefined;
  for (const secret of source?.secrets(value as never) ?? []) registerSecret(typeof secret === 'string' ? secret : undefined);
}

export interface LoadedSource {
  source: Source<unknown, unknown>;
  config: unknown;
}

/** Validates a source config (`prefix` names where it sits, e.g. "source" inside a sync config). */
export function loadSource(value: unknown, prefix = ''): LoadedSource {
  const where = prefix ? `${prefix}.vendor` : 'vendor';
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(`${prefix || 'config'}: expected a JSON object with "vendor" and the vendor's settings.`);
  }
  const vendor = (value as { vendor?: unknown }).vendor;
  const source = typeof vendor === 'string' ? SOURCES[vendor] : undefined;
  if (!source) {
    throw new ConfigError(`${where}: ${vendor === undefined ? 'missing' : JSON.stringify(vendor) + ' is not supported'}; use one of: ${Object.keys(SOURCES).join(', ')}.`);
  }
  // Register secrets before validating, so even a validation message cannot echo them.
  registerSourceSecrets(value);
  const config = validate(source.configSchema, value, `${vendor} source config`, prefix);
  for (const secret of source.secrets(config)) registerSecret(secret);
  return { source, config };
}

/** The Airbyte connectionSpecification: the config schema of every vendor, as JSON Schema draft-07. */
export function connectionSpecification(): Record<string, unknown> {
  const schemas = Object.values(SOURCES).map((source) => z.toJSONSchema(source.configSchema, { target: 'draft-7', io: 'input' }) as Record<string, unknown>);
  const strip = ({ $schema: _ignored, ...rest }: Record<string, unknown>) => rest;
  const base = { $schema: 'http://json-schema.org/draft-07/schema#', title: 'Parley source' };
  if (schemas.length === 1) return { ...base, ...strip(schemas[0]!) };
  return { ...base, type: 'object', oneOf: schemas.map(strip) };
}
