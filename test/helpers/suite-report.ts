/**
 * The one-screen report `npm test` prints at the end: test files add lines with {@link report};
 * `test/report-setup.ts` (vitest's global setup) clears the file first and prints it last.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const REPORT_FILE = join(resolve(import.meta.dirname, '../..'), 'test-results', 'suite-report.jsonl');

/** Adds one line under `section` to the report. */
export function report(section: string, line: string): void {
	mkdirSync(dirname(REPORT_FILE), { recursive: true });
	appendFileSync(REPORT_FILE, `${JSON.stringify({ section, line })}\n`);
}
