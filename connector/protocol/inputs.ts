/**
 * Reading the configured catalog and the input state of `read`. State is accepted in the current
 * per-stream form (an array of STREAM state objects, or of whole STATE messages) and in the legacy
 * form (one object keyed by stream name), and always comes out as stream name → stream_state.
 */
import { validate } from '../core/config-file.js';
import { ConfigError } from '../core/errors.js';
import { AirbyteStateMessage, ConfiguredAirbyteCatalog } from './messages.js';

export type StreamStates = Record<string, Record<string, unknown>>;

export function parseCatalog(value: unknown): ConfiguredAirbyteCatalog {
  return validate(ConfiguredAirbyteCatalog, value, 'configured catalog');
}

export function parseState(value: unknown): StreamStates {
  if (value === null || value === undefined) return {};
  const out: StreamStates = {};
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      const candidate = item && typeof item === 'object' && (item as { type?: unknown }).type === 'STATE' ? (item as { state: unknown }).state : item;
      if (candidate && typeof candidate === 'object' && (candidate as { type?: unknown }).type === 'GLOBAL') {
        throw new ConfigError(`state[${index}]: GLOBAL state is not supported by Parley; pass per-stream (STREAM) state.`);
      }
      const state = validate(AirbyteStateMessage, candidate, `state[${index}]`);
      if (state.stream.stream_state) out[state.stream.stream_descriptor.name] = state.stream.stream_state;
    });
    return out;
  }
  if (typeof value === 'object') {
    for (const [stream, state] of Object.entries(value as Record<string, unknown>)) {
      if (state && typeof state === 'object' && !Array.isArray(state)) out[stream] = state as Record<string, unknown>;
      else throw new ConfigError(`state.${stream}: expected an object (legacy per-stream state), got ${JSON.stringify(state)}`);
    }
    return out;
  }
  throw new ConfigError('state: expected an array of per-stream state messages.');
}
