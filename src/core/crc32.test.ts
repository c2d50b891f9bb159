import { describe, expect, it } from 'vitest';
import { crc32 } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { crc32Ascii } from './crc32.js';

describe('crc32Ascii', () => {
	it('equals zlib.crc32 on ASCII strings', () => {
		for (const text of ['', 'a', 'dtp_0123456789abcdefghijABCDEFGHIJ', ...Array.from({ length: 200 }, () => randomBytes(30).toString('base64url'))]) {
			expect(crc32Ascii(text)).toBe(crc32(text));
		}
	});
	it('stops at `end`', () => {
		expect(crc32Ascii('hello world', 5)).toBe(crc32('hello'));
	});
});
