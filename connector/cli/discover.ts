/** `parley discover --config F`: the streams this source offers (Airbyte CATALOG). */
import { readJsonFile } from '../core/config-file.js';
import { fullCatalog } from '../engine/read.js';
import { MessageWriter } from '../protocol/writer.js';
import { loadSource } from '../sources/registry.js';
import { requireOption, type Command } from './command.js';

export const discoverCommand: Command = {
  name: 'discover',
  summary: 'List the streams and their schemas (Airbyte CATALOG).',
  usage: 'parley discover --config source.json',
  options: { config: { type: 'string' } },
  protocol: true,
  async run(values) {
    // Validates the config too: discover with a broken config is an error, as the platform expects.
    const { source } = loadSource(readJsonFile(requireOption(values, 'config', 'discover'), 'config'));
    const writer = new MessageWriter();
    await writer.write({ type: 'CATALOG', catalog: { streams: fullCatalog(source).streams.map((s) => s.stream) } });
    await writer.flush();
    return 0;
  },
};
