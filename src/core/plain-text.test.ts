import { describe, expect, it } from 'vitest';
import { isPlainText } from './plain-text.js';

describe('isPlainText', () => {
	it.each(['Globalping CLI', 'Ωmega Привет 漢字 مرحبا', '👩‍💻🔑', 'e\u0301', "' OR 1=1 --", ''])('accepts %j', (text) => {
		expect(isPlainText(text)).toBe(true);
		expect(isPlainText(text, { multiline: true })).toBe(true);
	});

	it.each(['a\u0000b', '\u0001', '\u001b[31mred', '\u007f', 'x\uFFFE', '\uD800 lone', 'lone \uDC00'])('refuses %j', (text) => {
		expect(isPlainText(text)).toBe(false);
		expect(isPlainText(text, { multiline: true })).toBe(false);
	});

	it('allows tabs and line breaks in multi-line text only', () => {
		for (const text of ['a\tb', 'line 1\nline 2', 'line 1\r\nline 2']) {
			expect(isPlainText(text)).toBe(false);
			expect(isPlainText(text, { multiline: true })).toBe(true);
		}
	});
});
