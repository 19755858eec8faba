/** `parley spec`: the Airbyte ConnectorSpecification, generated from the zod config schemas. */
import fs from 'node:fs';
import { MessageWriter } from '../protocol/writer.js';
import type { AirbyteMessage } from '../protocol/messages.js';
import { connectionSpecification } from '../sources/registry.js';
import type { Command } from './command.js';

export function specMessage(): AirbyteMessage {
  return {
    type: 'SPEC',
    spec: {
      documentationUrl: 'https://github.com/parley-elt/parley#readme',
      connectionSpecification: connectionSpecification(),
      supportsIncremental: true,
      supported_destination_sync_modes: ['append', 'append_dedup', 'overwrite'],
    },
  };
}

export const specCommand: Command = {
  name: 'spec',
  summary: 'Print the connector specification (Airbyte SPEC message).',
  usage: 'parley spec [--write spec.json]',
  details: ['--write F writes the specification (not the message) to F, pretty-printed; spec.json in the repo is made this way.'],
  options: { write: { type: 'string' } },
  protocol: true,
  async run(values) {
    const message = specMessage();
    if (typeof values.write === 'string') {
      fs.writeFileSync(values.write, `${JSON.stringify(message.type === 'SPEC' ? message.spec : {}, null, 2)}\n`);
      process.stderr.write(`wrote ${values.write}\n`);
      return 0;
    }
    const writer = new MessageWriter();
    await writer.write(message);
    await writer.flush();
    return 0;
  },
};
