/**
 * The readable summary `parley demo` prints: per-bot containment and the top first meaningful
 * intents. One portable pair of queries, run on DuckDB or BigQuery.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import type { BigQueryDestinationConfig } from '../destinations/bigquery/client.js';

type Row = Record<string, unknown>;

function table(rows: Row[], columns: [key: string, title: string, format?: (v: unknown) => string][]): string {
  const cells = rows.map((row) => columns.map(([key, , format]) => (format ?? String)(row[key])));
  const widths = columns.map(([, title], i) => Math.max(title.length, ...cells.map((c) => c[i]!.length)));
  const line = (values: string[]) => values.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ');
  return [line(columns.map(([, title]) => title)), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

const pct = (v: unknown) => (v === null || v === undefined ? '—' : `${(Number(v) * 100).toFixed(1)}%`);

/** The summary, from `run` (a query runner) over marts named by `mart` (a table reference). */
async function summary(run: (sql: string) => Promise<Row[]>, mart: (name: string) => string): Promise<string> {
  // Bot names ride on the conversations (vendors send them there); the metrics are keyed by id.
  const names = `names AS (
      SELECT source_system, bot_id, max(bot_name) AS bot_name
      FROM ${mart('fct_conversations')}
      GROUP BY source_system, bot_id
    )`;
  const bots = await run(`
    WITH ${names}
    SELECT daily.source_system, coalesce(names.bot_name, daily.bot_id) AS bot_name,
           count(*) AS days,
           sum(total_conversations) AS conversations,
           sum(bot_handled_rate * total_conversations) / nullif(sum(total_conversations), 0) AS bot_handled,
           sum(deflection_rate * total_conversations) / nullif(sum(total_conversations), 0) AS deflection,
           sum(escalation_rate * total_conversations) / nullif(sum(total_conversations), 0) AS escalation,
           sum(automation_rate * total_conversations) / nullif(sum(total_conversations), 0) AS automation,
           sum(CASE WHEN is_complete THEN 1 ELSE 0 END) AS complete_days
    FROM ${mart('agg_bot_daily_metrics')} AS daily
    LEFT JOIN names ON names.source_system = daily.source_system AND names.bot_id = daily.bot_id
    GROUP BY daily.source_system, daily.bot_id, names.bot_name
    ORDER BY 1, 2`);
  const intents = await run(`
    WITH ${names}
    SELECT ranked.source_system, coalesce(names.bot_name, ranked.bot_id) AS bot_name, first_meaningful_intent, conversations, bot_handled_rate
    FROM (
      SELECT source_system, bot_id, first_meaningful_intent, total_conversations AS conversations, bot_handled_rate,
             row_number() OVER (PARTITION BY source_system, bot_id ORDER BY total_conversations DESC, first_meaningful_intent) AS position_in_bot
      FROM ${mart('agg_first_meaningful_intent_metrics')}
      WHERE first_meaningful_intent IS NOT NULL
    ) AS ranked
    LEFT JOIN names ON names.source_system = ranked.source_system AND names.bot_id = ranked.bot_id
    WHERE position_in_bot <= 3
    ORDER BY 1, 2, conversations DESC, first_meaningful_intent`);
  return [
    'Bot metrics (agg_bot_daily_metrics, all loaded days; rates weighted by conversations):',
    table(bots, [
      ['source_system', 'vendor'],
      ['bot_name', 'bot'],
      ['conversations', 'conversations'],
      ['bot_handled', 'bot-handled', pct],
      ['deflection', 'deflection', pct],
      ['escalation', 'escalation', pct],
      ['automation', 'automation', pct],
      ['complete_days', 'complete days'],
    ]),
    '',
    'Top first meaningful intents (agg_first_meaningful_intent_metrics):',
    table(intents, [
      ['source_system', 'vendor'],
      ['bot_name', 'bot'],
      ['first_meaningful_intent', 'intent'],
      ['conversations', 'conversations'],
      ['bot_handled_rate', 'bot-handled', pct],
    ]),
  ].join('\n');
}

/** The summary of the marts in a DuckDB file (opened read-only). */
export async function martsSummary(databasePath: string): Promise<string> {
  const instance = await DuckDBInstance.create(databasePath, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    return await summary(async (sql) => (await connection.runAndReadAll(sql)).getRowObjectsJS() as Row[], (name) => name);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** The summary of the marts in a BigQuery dataset. */
export async function bigQueryMartsSummary(destination: BigQueryDestinationConfig): Promise<string> {
  const { bigQueryClient } = await import('../destinations/bigquery/client.js'); // not loaded by DuckDB runs
  const client = bigQueryClient(destination);
  const unwrap = (value: unknown): unknown => (value !== null && typeof value === 'object' && 'value' in value ? (value as { value: unknown }).value : value);
  return summary(
    async (sql) => {
      const [job] = await client.createQueryJob({ query: sql, location: destination.location });
      const [rows] = await job.getQueryResults();
      return (rows as Row[]).map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, unwrap(v)])));
    },
    (name) => `\`${destination.project_id}.${destination.dataset}.${name}\``,
  );
}
