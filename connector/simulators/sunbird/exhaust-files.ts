/**
 * The exhaust files as Sunbird delivers them, rendered from generator.ts's truth:
 * - response exhaust: one CSV per ingestion day, `{conversationId}_response_{yyyyMMdd}.csv`, with the
 *   header of that day's era and the rows in ingestion order, written lazily in chunks;
 * - private exhaust: `{conversationId}_private_{yyyyMMdd}.zip` holding `{conversationId}_private.csv`,
 *   AES-encrypted (zip.js) with the request's encryptionKey as the password when it had one.
 */
import { Uint8ArrayWriter, TextReader, ZipWriter } from '@zip.js/zip.js';
import type { SunbirdAnswer, SunbirdEra, SunbirdUser } from './generator.js';
import { sparkCsvLine, sparkDouble, type SparkCell } from './spark-csv.js';

// The three header eras, exactly as the contract lists them (written out: they are the spec).
const V1 = 'Conversation ID,Conversation Name,Device ID,Question Id,Question Type,Question Title,Question Description,Question Duration,Question Score,Question Max Score,Question Options,Question Response,Timestamp,@timestamp';
const V2 = 'Message ID,Conversation ID,Conversation Name,Device ID,Question Id,Question Type,Question Title,Question Description,Question Duration,Question Score,Question Max Score,Question Options,Question Response,X Path,Eof,Timestamp,@timestamp';
const V3 = 'Message ID,Conversation ID,Conversation Name,Device ID,Session ID,Question Id,Question Type,Question Title,Question Description,Question Duration,Question Score,Question Max Score,Question Options,Question Response,X Path,Eof,Timestamp,@timestamp';

/** The response exhaust header of each era (the column names the connector reads rows by). */
export const SUNBIRD_RESPONSE_HEADERS: Readonly<Record<SunbirdEra, readonly string[]>> = { v1: V1.split(','), v2: V2.split(','), v3: V3.split(',') };

export const SUNBIRD_PRIVATE_HEADER = ['Conversation ID', 'Conversation Name', 'Decrypted Device ID', 'Encrypted Device ID', 'Device UUID'] as const;

const compact = (day: string) => day.replaceAll('-', '');
export const responseFileName = (botId: string, day: string) => `${botId}_response_${compact(day)}.csv`;
export const privateZipName = (botId: string, day: string) => `${botId}_private_${compact(day)}.zip`;
export const privateCsvName = (botId: string) => `${botId}_private.csv`;

/** The cells of one answer by column name (every era's columns; an era picks its own). */
function cellsByColumn(a: SunbirdAnswer): Record<string, SparkCell> {
  return {
    'Message ID': a.messageId,
    'Conversation ID': a.botId,
    'Conversation Name': a.conversationName,
    'Device ID': a.invalid === 'missing-device' ? null : a.deviceId,
    'Session ID': a.servedSessionId,
    'Question Id': a.questionId,
    'Question Type': a.questionType,
    'Question Title': a.questionTitle,
    'Question Description': a.questionDescription,
    'Question Duration': a.questionDuration,
    'Question Score': sparkDouble(a.questionScore),
    'Question Max Score': sparkDouble(a.questionMaxScore),
    'Question Options': a.questionOptions,
    'Question Response': a.questionResponse,
    'X Path': a.xPath,
    Eof: a.eof,
    Timestamp: a.invalid === 'bad-timestamp' ? { raw: 'not-a-time' } : a.answeredMs,
    '@timestamp': new Date(a.ingestedMs).toISOString(),
  };
}

/** One CSV line of the answer in `era`'s columns. */
export function responseLine(a: SunbirdAnswer, era: SunbirdEra): string {
  const cells = cellsByColumn(a);
  return sparkCsvLine(SUNBIRD_RESPONSE_HEADERS[era].map((column) => cells[column] ?? null));
}

/** A response exhaust file: the header, then the rows, in chunks of `rowsPerChunk` lines, made as they are read. */
export function* responseFileChunks(answers: Iterable<SunbirdAnswer>, era: SunbirdEra, rowsPerChunk = 256): Generator<string> {
  let chunk = `${SUNBIRD_RESPONSE_HEADERS[era].join(',')}\n`;
  let rows = 0;
  for (const answer of answers) {
    chunk += responseLine(answer, era);
    if (++rows % rowsPerChunk === 0) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}

/** The private exhaust CSV: every user of the bot, one line each. */
export function privateCsv(users: readonly SunbirdUser[]): string {
  let text = `${SUNBIRD_PRIVATE_HEADER.join(',')}\n`;
  for (const u of users) text += sparkCsvLine([u.botId, u.conversationName, u.phone, u.encryptedDeviceId, u.deviceUuid]);
  return text;
}

/** The private exhaust zip: one entry, AES-256 encrypted when a password is given. */
export async function privateZip(botId: string, users: readonly SunbirdUser[], options: { password?: string; modifiedMs: number }): Promise<Uint8Array> {
  const writer = new ZipWriter(new Uint8ArrayWriter(), {
    useWebWorkers: false, // node: keep the work on this thread (the archive is small)
    ...(options.password ? { password: options.password, encryptionStrength: 3 as const } : {}),
  });
  await writer.add(privateCsvName(botId), new TextReader(privateCsv(users)), { lastModDate: new Date(options.modifiedMs) });
  return writer.close();
}
