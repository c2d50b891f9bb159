import { describe, expect, it } from 'vitest';
import { isStorableTime, latestStorableTime } from './storable-time.js';
import { isUuid } from './uuid.js';

describe('latestStorableTime', () => {
	it('ends in 2038 on MySQL/MariaDB and in year 9999 elsewhere', () => {
		expect(latestStorableTime('mysql').toISOString()).toBe('2038-01-19T03:14:07.000Z');
		expect(latestStorableTime('mysql2').toISOString()).toBe('2038-01-19T03:14:07.000Z');
		expect(latestStorableTime('pg').getUTCFullYear()).toBe(9999);
		expect(latestStorableTime('sqlite3').getUTCFullYear()).toBe(9999);
	});
});

describe('isStorableTime', () => {
	const mysql = latestStorableTime('mysql');
	const pg = latestStorableTime('pg');
	it.each(['2030-01-01T00:00:00Z', '2038-01-19T03:14:07Z', new Date('2031-05-05'), Date.UTC(2030, 0, 1)])('accepts %s everywhere', (value) => {
		expect(isStorableTime(value, mysql)).toBe(true);
		expect(isStorableTime(value, pg)).toBe(true);
	});
	it.each(['2038-01-19T03:14:08Z', '2100-01-01T00:00:00Z'])('refuses %s on MySQL only', (value) => {
		expect(isStorableTime(value, mysql)).toBe(false);
		expect(isStorableTime(value, pg)).toBe(true);
	});
	it.each(['2030-02-29T00:00:00Z', '2030-02-30T00:00:00Z', '2030-04-31', '2030-13-01T00:00:00Z'])('refuses %s, a day that does not exist', (value) => {
		expect(isStorableTime(value, pg)).toBe(false);
	});
	it('accepts a leap day, and an offset that moves the day', () => {
		expect(isStorableTime('2032-02-29T00:00:00Z', pg)).toBe(true);
		expect(isStorableTime('2030-02-28T23:00:00-05:00', pg)).toBe(true);
	});
	it.each(['0000-01-01T00:00:00Z', '1969-12-31T23:59:59Z', '+010000-01-01T00:00:00Z', 'not a date', '', null, [], {}, true, Number.NaN])('refuses %j', (value) => {
		expect(isStorableTime(value, pg)).toBe(false);
	});
});

describe('isUuid', () => {
	it('takes the canonical form only', () => {
		expect(isUuid('2f0e1c1e-9a4b-4c59-8a0f-3f1d5c6b7a80')).toBe(true);
		expect(isUuid('2F0E1C1E-9A4B-4C59-8A0F-3F1D5C6B7A80')).toBe(true);
		for (const bad of ['-'.repeat(36), 'a'.repeat(36), '0'.repeat(36), '2f0e1c1e9a4b4c598a0f3f1d5c6b7a80', '2f0e1c1e-9a4b-4c59-8a0f-3f1d5c6b7a8g', '', 1, null]) {
			expect(isUuid(bad)).toBe(false);
		}
	});
});
