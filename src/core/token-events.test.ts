import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { parseTokenEvent, splitEvent, type TokenEvent } from './token-events.js';

const event = (count: number): TokenEvent => ({ type: 'revoked', tokenIds: Array.from({ length: count }, () => randomUUID()), userId: null, actor: randomUUID(), at: new Date(0).toISOString() });

describe('splitEvent', () => {
	it('leaves an event that fits alone', () => {
		const small = event(3);
		expect(splitEvent(small, 7_500)).toEqual([small]);
	});

	it.each([200, 1_000, 100_000])('splits %i token ids into parts that fit, each one in order once', (count) => {
		const big = event(count);
		const parts = splitEvent(big, 7_500);
		expect(parts.length).toBeGreaterThan(1);
		for (const part of parts) {
			expect(JSON.stringify(part).length).toBeLessThanOrEqual(7_500);
			expect(parseTokenEvent(JSON.stringify(part))).toEqual({ ...big, tokenIds: part.tokenIds });
		}
		expect(parts.flatMap((part) => part.tokenIds)).toEqual(big.tokenIds);
	});

	it('keeps an event with no ids whole', () => {
		const reset: TokenEvent = { type: 'reset', tokenIds: [], userId: randomUUID(), actor: null, at: new Date(0).toISOString() };
		expect(splitEvent(reset, 7_500)).toEqual([reset]);
	});
});
