import { describe, expect, it } from 'vitest';
import { USER_CODE_ALPHABET } from '../shared/constants.js';
import { formatUserCode, generateDeviceCode, generateUserCode, normaliseUserCode } from './device-codes.js';

describe('device codes', () => {
	it('user codes are 8 letters of the unambiguous alphabet, every letter in use', () => {
		const seen = new Set<string>();
		for (let i = 0; i < 500; i++) {
			const code = generateUserCode();
			expect(code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{8}$/);
			for (const letter of code) seen.add(letter);
		}
		expect([...seen].sort().join('')).toBe(USER_CODE_ALPHABET);
	});

	it('what users type is normalised: case, spaces and the dash do not matter', () => {
		expect(normaliseUserCode('wdjb-mjht')).toBe('WDJBMJHT');
		expect(normaliseUserCode(' WDJB MJHT ')).toBe('WDJBMJHT');
		expect(normaliseUserCode('WDJBMJHT')).toBe('WDJBMJHT');
		expect(formatUserCode('WDJBMJHT')).toBe('WDJB-MJHT');
	});

	it.each(['WDJB-MJH', 'WDJB-MJHTX', 'WDJB-MJH0', 'AEIO-UAEI', 'WDJB_MJHT', '', 'B'.repeat(65)])('%j is no user code', (input) => {
		expect(normaliseUserCode(input)).toBeNull();
	});

	it('device codes are 256 random bits, base64url', () => {
		const a = generateDeviceCode();
		expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect(generateDeviceCode()).not.toBe(a);
	});
});
