/**
 * RFC 4180 CSV (quoted fields, doubled quotes, newlines inside quotes), enough for Loghub's structured CSVs and the
 * label files. Errors name the file and the line, so a broken labels file is fixed in one look.
 */
export class CsvError extends Error {}

export interface CsvTable {
  header: string[];
  /** Each row with the 1-based line number it starts on. */
  rows: { line: number; values: string[] }[];
}

export function parseCsv(text: string, file: string): CsvTable {
  const records: { line: number; values: string[] }[] = [];
  let field = '';
  let values: string[] = [];
  let inQuotes = false;
  let line = 1;
  let recordLine = 1;
  let fieldStarted = false;
  const endRecord = () => {
    values.push(field);
    if (!(values.length === 1 && values[0] === '')) records.push({ line: recordLine, values });
    values = [];
    field = '';
    fieldStarted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && !fieldStarted) {
      inQuotes = true;
      fieldStarted = true;
    } else if (ch === ',') {
      values.push(field);
      field = '';
      fieldStarted = false;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      field += ch;
      fieldStarted = true;
    }
  }
  if (inQuotes) throw new CsvError(`${file}:${recordLine}: unterminated quoted field`);
  if (field !== '' || values.length > 0) endRecord();
  const [head, ...rows] = records;
  if (!head) throw new CsvError(`${file}: empty file, expected a header line`);
  const header = head.values.map((h, i) => (i === 0 ? h.replace(/^\uFEFF/, '') : h));
  for (const row of rows) {
    if (row.values.length !== header.length) {
      throw new CsvError(`${file}:${row.line}: ${row.values.length} fields, the header has ${header.length}`);
    }
  }
  return { header, rows };
}

/** Column positions by name; throws naming the file and the missing column. */
export function columns<const N extends string>(table: CsvTable, file: string, names: readonly N[]): Record<N, number> {
  const out = {} as Record<N, number>;
  for (const name of names) {
    const index = table.header.indexOf(name);
    if (index < 0) throw new CsvError(`${file}:1: missing column ${name} (header: ${table.header.join(',')})`);
    out[name] = index;
  }
  return out;
}

export function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
