/** The readable summary `parley demo` prints: per-bot containment and the top first meaningful intents. */
import { DuckDBInstance } from '@duckdb/node-api';

type Row = Record<string, unknown>;

function table(rows: Row[], columns: [key: string, title: string, format?: (v: unknown) => string][]): string {
  const cells = rows.map((row) => columns.map(([key, , format]) => (format ?? String)(row[key])));
  const widths = columns.map(([, title], i) => Math.max(title.length, ...cells.map((c) => c[i]!.length)));
  const line = (values: string[]) => values.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ');
  return [line(columns.map(([, title]) => title)), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

const pct = (v: unknown) => (v === null || v === undefined ? '—' : `${(Number(v) * 100).toFixed(1)}%`);

export async function martsSummary(databasePath: string): Promise<string> {
  const instance = await DuckDBInstance.create(databasePath, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    const bots = (
      await connection.runAndReadAll(`
        SELECT source_system, bot_id,
               count(*) AS days,
               sum(total_conversations)::BIGINT AS conversations,
               sum(bot_handled_rate * total_conversations) / nullif(sum(total_conversations), 0) AS bot_handled,
               sum(deflection_rate * total_conversations) / nullif(sum(total_conversations), 0) AS deflection,
               sum(escalation_rate * total_conversations) / nullif(sum(total_conversations), 0) AS escalation,
               sum(automation_rate * total_conversations) / nullif(sum(total_conversations), 0) AS automation,
               count(*) FILTER (WHERE is_complete) AS complete_days
        FROM agg_bot_daily_metrics GROUP BY ALL ORDER BY ALL`)
    ).getRowObjectsJS() as Row[];
    const intents = (
      await connection.runAndReadAll(`
        SELECT source_system, bot_id, first_meaningful_intent, total_conversations::BIGINT AS conversations, bot_handled_rate
        FROM agg_first_meaningful_intent_metrics
        WHERE first_meaningful_intent IS NOT NULL
        QUALIFY row_number() OVER (PARTITION BY source_system, bot_id ORDER BY total_conversations DESC, first_meaningful_intent) <= 3
        ORDER BY source_system, bot_id, total_conversations DESC`)
    ).getRowObjectsJS() as Row[];
    return [
      'Bot metrics (agg_bot_daily_metrics, all loaded days; rates weighted by conversations):',
      table(bots, [
        ['bot_id', 'bot'],
        ['conversations', 'conversations'],
        ['bot_handled', 'bot-handled', pct],
        ['deflection', 'deflection', pct],
        ['escalation', 'escalation', pct],
        ['automation', 'automation', pct],
        ['complete_days', 'complete days', (v) => String(v)],
      ]),
      '',
      'Top first meaningful intents (agg_first_meaningful_intent_metrics):',
      table(intents, [
        ['bot_id', 'bot'],
        ['first_meaningful_intent', 'intent'],
        ['conversations', 'conversations'],
        ['bot_handled_rate', 'bot-handled', pct],
      ]),
    ].join('\n');
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
