/** BigQuery SQL literals and identifiers built from our own values (table names, state JSON, dates). */

/** A GoogleSQL string literal: backslash escapes for quotes, backslashes and line breaks. */
export function stringLiteral(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'").replaceAll('\n', '\\n').replaceAll('\r', '\\r')}'`;
}

/** A backquoted `project.dataset.table` path; refuses names that could break out of the quotes. */
export function tablePath(qualifiedDataset: string, table: string): string {
  const path = `${qualifiedDataset}.${table}`;
  if (!/^[\w.-]+$/.test(path)) throw new Error(`unsafe BigQuery table path: ${path}`);
  return `\`${path}\``;
}
