/** Vitest global setup: starts the suite report empty and prints it once every file has run. */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { REPORT_FILE } from './helpers/suite-report.js';

export function setup(): void {
	rmSync(REPORT_FILE, { force: true });
}

export function teardown(): void {
	if (!existsSync(REPORT_FILE)) return;
	const sections = new Map<string, string[]>();
	for (const text of readFileSync(REPORT_FILE, 'utf8').split('\n')) {
		if (!text) continue;
		const { section, line } = JSON.parse(text) as { section: string; line: string };
		sections.set(section, [...(sections.get(section) ?? []), line]);
	}
	const out = ['', '== What the reliability and security tests tried =='];
	for (const [section, lines] of sections) out.push(`${section}:`, ...lines.map((line) => `  ${line}`));
	console.log(out.join('\n'));
}
