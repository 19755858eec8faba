/** `parley read --config F --catalog F [--state F]`: records and states as Airbyte messages on stdout. */
import { readJsonFile } from '../core/config-file.js';
import { Progress } from '../core/progress.js';
import { checkCatalog, runRead } from '../engine/read.js';
import { parseCatalog, parseState } from '../protocol/inputs.js';
import { MessageWriter } from '../protocol/writer.js';
import { loadSource } from '../sources/registry.js';
import { requireOption, type Command } from './command.js';
import { withShutdownSignal } from './shutdown.js';

export const readCommand: Command = {
  name: 'read',
  summary: 'Read the selected streams (Airbyte RECORD/STATE/TRACE messages on stdout).',
  usage: 'parley read --config source.json --catalog configured_catalog.json [--state state.json]',
  options: { config: { type: 'string' }, catalog: { type: 'string' }, state: { type: 'string' } },
  protocol: true,
  async run(values) {
    const { source, config } = loadSource(readJsonFile(requireOption(values, 'config', 'read'), 'config'));
    const catalog = parseCatalog(readJsonFile(requireOption(values, 'catalog', 'read'), 'catalog'));
    const state = typeof values.state === 'string' ? parseState(readJsonFile(values.state, 'state')) : {};
    checkCatalog(source, catalog);
    const writer = new MessageWriter();
    const progress = new Progress(`read ${source.vendor}`);
    try {
      await withShutdownSignal((signal) => runRead({ source, config, catalog, state, progress, signal, handle: (message) => writer.write(message) }));
    } catch (error) {
      // runRead already wrote the TRACE ERROR; main() must not write a second one.
      Object.assign(error as object, { reported: true });
      throw error;
    } finally {
      await writer.flush();
      for (const line of ['read finished:', ...progress.summary()]) process.stderr.write(`${line}\n`);
    }
    return 0;
  },
};
