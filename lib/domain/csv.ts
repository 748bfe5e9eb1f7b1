// CSV as RFC 4180 describes it (CRLF line ends, fields quoted when they hold a comma, quote or
// line break, quotes doubled), with cells that a spreadsheet would run as a formula neutralised.

export type CsvValue = string | number | boolean | Date | null | undefined;

// A spreadsheet treats a cell starting with one of these as a formula (OWASP "CSV injection");
// tab and carriage return also start formulas in some spreadsheets.
const FORMULA_START = /^[=+\-@\t\r]/;

/** The cell as text a spreadsheet shows but never evaluates: a leading apostrophe disarms a formula. */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

function cellText(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "true" : "false";
  return neutraliseFormula(value);
}

export function csvField(value: CsvValue): string {
  const text = cellText(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, ending in CRLF. Numbers stay numbers (a negative number is not a formula). */
export function csvRow(values: readonly CsvValue[]): string {
  return values.map(csvField).join(",") + "\r\n";
}

/**
 * Counts the records of a CSV text fed in pieces (a download as it arrives): a line break ends a
 * record only outside quotes, so a cell holding a line break is not counted twice.
 */
export function csvRecordCounter() {
  let inQuotes = false;
  let records = 0;
  return {
    feed(text: string): number {
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 34)
          inQuotes = !inQuotes; // a doubled quote toggles twice: no change
        else if (c === 10 && !inQuotes) records += 1;
      }
      return records;
    },
    get records() {
      return records;
    },
  };
}
