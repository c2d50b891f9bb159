/** The README's own commands and code, so that tests run what users read. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './package.js';

/** The text of `## heading`, up to the next second-level heading. */
export function readmeSection(heading: string): string {
	const text = readFileSync(join(ROOT, 'README.md'), 'utf8');
	const start = text.indexOf(`\n## ${heading}\n`);
	if (start === -1) throw new Error(`README.md has no section "## ${heading}"`);
	const end = text.indexOf('\n## ', start + 1);
	return text.slice(start + 1, end === -1 ? undefined : end);
}

/** The fenced code blocks of `markdown` in `language`, in order, without their fences. */
export function codeBlocks(markdown: string, language: string): string[] {
	return [...markdown.matchAll(/^```([\w-]*)\n([\s\S]*?)^```$/gm)].filter((match) => match[1] === language).map((match) => match[2]!);
}

/** The words of a shell command line, without its `# comment`. */
export function commandWords(line: string): string[] {
	return line.replace(/\s#.*$/, '').trim().split(/\s+/);
}
