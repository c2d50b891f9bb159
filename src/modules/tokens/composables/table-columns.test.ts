import { describe, expect, it } from 'vitest';
import { actionsWidth, fitColumns, tokenColumns, type ColumnSpec } from './table-columns.js';

const specs: ColumnSpec[] = [
	{ value: 'name', text: 'Name', width: 160, priority: 0, maxWidth: 300 },
	{ value: 'hint', text: 'Token', width: 100, priority: 2 },
	{ value: 'expiration', text: 'Expires', width: 200, priority: 1 },
	{ value: 'created', text: 'Created', width: 100, priority: 3 },
];
const sum = (columns: Array<{ width: number }>) => columns.reduce((total, column) => total + column.width, 0);

describe('fitColumns', () => {
	it('keeps the display order and drops the least important columns first', () => {
		expect(fitColumns(specs, 500, 100).map((c) => c.value)).toEqual(['name', 'expiration']);
		expect(fitColumns(specs, 560, 100).map((c) => c.value)).toEqual(['name', 'hint', 'expiration']);
		expect(fitColumns(specs, 2000, 100).map((c) => c.value)).toEqual(['name', 'hint', 'expiration', 'created']);
	});

	it('always shows the first column, even when nothing fits', () => {
		expect(fitColumns(specs, 0, 100)).toEqual([{ value: 'name', text: 'Name', width: 160 }]);
	});

	it('never uses more than the room it has (once the first column fits), and grows the name into what is left', () => {
		for (let width = 260; width <= 2000; width += 7) {
			const columns = fitColumns(specs, width, 100);
			expect(sum(columns) + 100).toBeLessThanOrEqual(width);
			expect(columns[0]!.width).toBeLessThanOrEqual(300);
		}
		expect(fitColumns(specs, 500, 100)[0]!.width).toBe(200);
	});

	it('keeps expiry and last use of my tokens on a laptop, subject, tier and issuer of anonymous ones', () => {
		expect(fitColumns(tokenColumns('mine'), 500, actionsWidth(3)).map((c) => c.value)).toEqual(['name', 'expiration']);
		expect(fitColumns(tokenColumns('mine'), 580, actionsWidth(3)).map((c) => c.value)).toEqual(['name', 'expiration', 'last_access']);
		expect(fitColumns(tokenColumns('mine'), 700, actionsWidth(3)).map((c) => c.value)).toEqual(['name', 'hint', 'expiration', 'last_access']);
		const anonymous = fitColumns(tokenColumns('only-anonymous'), 1200, actionsWidth(1)).map((c) => c.value);
		expect(anonymous).toEqual(expect.arrayContaining(['name', 'kind', 'subject', 'tier', 'issuer', 'last_access', 'hint', 'scopes']));
		expect(fitColumns(tokenColumns('admin'), 600, actionsWidth(1)).map((c) => c.value)).toEqual(['name', 'owner', 'kind']);
	});
});
