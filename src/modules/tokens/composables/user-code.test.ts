import { describe, expect, it } from 'vitest';
import { USER_CODE_ALPHABET } from '../../../shared/constants.js';
import { formatUserCode, parseUserCode, userCodeFromQuery, userCodeProblem } from './user-code.js';

describe('user codes', () => {
	it('formats what is typed or pasted: upper case, spaces and dashes dropped, the dash after four', () => {
		expect(formatUserCode('ab cd-efgh')).toBe('ABCD-EFGH');
		expect(formatUserCode(' bcdf\tghjk ')).toBe('BCDF-GHJK');
		expect(formatUserCode('bcdf')).toBe('BCDF');
		expect(formatUserCode('bcdf ')).toBe('BCDF');
		expect(formatUserCode('bcdfg')).toBe('BCDF-G');
		expect(formatUserCode('BCDF-')).toBe('BCDF');
		expect(formatUserCode('b-c-d-f-g-h-j-k')).toBe('BCDF-GHJK');
		expect(formatUserCode('')).toBe('');
		// Other characters stay, so the mistake shows (and is named).
		expect(formatUserCode('bcd0-ghjk')).toBe('BCD0-GHJK');
	});

	it('accepts 8 letters of the alphabet in any case and spacing, and nothing else', () => {
		expect(parseUserCode('bcdf ghjk')).toBe('BCDF-GHJK');
		expect(parseUserCode(' BCDF-GHJK ')).toBe('BCDF-GHJK');
		expect(parseUserCode('bcdfghjk')).toBe('BCDF-GHJK');
		expect(parseUserCode(USER_CODE_ALPHABET.slice(12))).toBe('QRST-VWXZ');
		expect(parseUserCode('ab cd-efgh')).toBeNull(); // A and E are no code letters
		expect(parseUserCode('BCDF-GHJ0')).toBeNull();
		expect(parseUserCode('BCDF_GHJK')).toBeNull();
		expect(parseUserCode('BCDF-GHJ')).toBeNull();
		expect(parseUserCode('BCDF-GHJKL')).toBeNull();
		expect(parseUserCode('')).toBeNull();
	});

	it('names a foreign character at once, a short code only when Continue is pressed', () => {
		expect(userCodeProblem('BCDA', false)).toBe(`A is not used in codes: they hold only the letters ${USER_CODE_ALPHABET}.`);
		expect(userCodeProblem('ab cd-efgh', true)).toMatch(/^A, E are not used in codes/);
		expect(userCodeProblem('BCDF', false)).toBeNull();
		expect(userCodeProblem('BCDF', true)).toBe('A code has 8 letters, e.g. BCDF-GHJK.');
		expect(userCodeProblem('BCDF-GHJKL', false)).toBe('A code has 8 letters, e.g. BCDF-GHJK.');
		expect(userCodeProblem('', true)).toBe('Enter the code your device shows.');
		expect(userCodeProblem('', false)).toBeNull();
		expect(userCodeProblem('bcdf ghjk', true)).toBeNull();
	});

	it('reads the code of a verification link', () => {
		expect(userCodeFromQuery({ user_code: 'BCDF-GHJK' })).toBe('BCDF-GHJK');
		expect(userCodeFromQuery({ user_code: [' bcdf-ghjk ', 'XXXX-XXXX'] })).toBe('bcdf-ghjk');
		expect(userCodeFromQuery({ user_code: null })).toBe('');
		expect(userCodeFromQuery({})).toBe('');
	});
});
