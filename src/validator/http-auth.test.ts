import { describe, expect, it } from 'vitest';
import { authenticate, authenticateNow, bearerToken, chain, type Validator } from './http-auth.js';
import type { ValidationResult } from './types.js';

const token = { id: 't1', userId: 'u1', kind: 'personal' as const, scopes: ['read'], origins: [], tier: 'personal' as const, expiresAt: null };
const answering = (result: ValidationResult): Validator & { calls: unknown[] } => {
	const calls: unknown[] = [];
	return { calls, validate: async (t) => (calls.push(t), result) };
};

describe('bearerToken', () => {
	it('reads exactly one Bearer token', () => {
		expect(bearerToken({ authorization: 'Bearer dtp_abc' })).toBe('dtp_abc');
		expect(bearerToken({})).toBeNull();
		for (const bad of ['Bearer', 'Bearer ', 'Basic abc', 'Bearer a b', 'Bearer dtp_é', `Bearer ${'a'.repeat(5000)}`]) expect(bearerToken({ authorization: bad }), bad).toBe(false);
		expect(bearerToken({ authorization: ['Bearer a', 'Bearer b'] })).toBe(false);
	});
});

describe('authenticate', () => {
	it('passes a valid token through', async () => {
		expect(await authenticate(answering({ valid: true, token }), { authorization: 'Bearer dtp_x' })).toEqual({ ok: true, token });
	});

	it.each([
		['expired', 401, 'invalid_token'],
		['revoked', 401, 'invalid_token'],
		['unknown', 401, 'invalid_token'],
		['malformed', 401, 'invalid_token'],
		['origin_not_allowed', 403, 'invalid_token'],
		['insufficient_scope', 403, 'insufficient_scope'],
	] as const)('maps %s to %i with error="%s"', async (code, status, error) => {
		const outcome = await authenticate(answering({ valid: false, code }), { authorization: 'Bearer dtp_x' }, { scopes: ['purge', 'read'], realm: 'purge' });
		expect(outcome).toMatchObject({ ok: false, status, body: { error, code } });
		if (!outcome.ok) {
			expect(outcome.headers['www-authenticate']).toContain(`realm="purge", error="${error}"`);
			if (code === 'insufficient_scope') expect(outcome.headers['www-authenticate']).toContain('scope="purge read"');
		}
	});

	it('answers 503 with Retry-After when tokens cannot be checked', async () => {
		const outcome = await authenticate(answering({ valid: false, code: 'unavailable' }), { authorization: 'Bearer dtp_x' });
		expect(outcome).toMatchObject({ ok: false, status: 503, headers: { 'retry-after': '5' } });
	});

	it('asks for a token without an error code when none was sent, and refuses malformed headers and URL tokens', async () => {
		const validator = answering({ valid: true, token });
		const none = await authenticate(validator, {});
		expect(none).toMatchObject({ ok: false, status: 401, headers: { 'www-authenticate': 'Bearer realm="api"' } });
		expect(await authenticate(validator, { authorization: 'Bearer' })).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
		expect(await authenticate(validator, { authorization: 'Bearer dtp_x' }, { url: '/v1/x?access_token=dtp_x' })).toMatchObject({ status: 400 });
		expect(validator.calls).toEqual([]);
	});
});

describe('authenticateNow', () => {
	const remembering = (result: ValidationResult | undefined): Validator => ({ validate: async () => ({ valid: false, code: 'unavailable' }), validateNow: () => result });

	it('answers at once what memory knows, and leaves the rest to authenticate', () => {
		expect(authenticateNow(remembering({ valid: true, token }), { authorization: 'Bearer dtp_x' })).toEqual({ ok: true, token });
		expect(authenticateNow(remembering({ valid: false, code: 'revoked' }), { authorization: 'Bearer dtp_x' })).toMatchObject({ ok: false, status: 401, body: { code: 'revoked' } });
		expect(authenticateNow(remembering(undefined), { authorization: 'Bearer dtp_x' })).toBeUndefined();
		expect(authenticateNow(answering({ valid: true, token }), { authorization: 'Bearer dtp_x' })).toBeUndefined(); // no validateNow
		expect(authenticateNow(answering({ valid: true, token }), {})).toMatchObject({ ok: false, status: 401, body: { code: 'missing' } });
	});

	it('goes through a chain while every link answers from memory', () => {
		const notMine = remembering({ valid: false, code: 'malformed' });
		expect(chain([notMine, remembering({ valid: true, token })]).validateNow!('x')).toEqual({ valid: true, token });
		expect(chain([notMine, remembering(undefined)]).validateNow!('x')).toBeUndefined();
		expect(chain([notMine, answering({ valid: true, token })]).validateNow!('x')).toBeUndefined();
		expect(chain([remembering({ valid: false, code: 'revoked' }), remembering({ valid: true, token })]).validateNow!('x')).toEqual({ valid: false, code: 'revoked' });
	});
});

describe('chain', () => {
	it('moves on only when a validator says the token is not its own', async () => {
		const ours = answering({ valid: false, code: 'malformed' });
		const jwt = answering({ valid: true, token: { ...token, id: 'jwt' } });
		expect(await chain([ours, jwt]).validate('eyJ...')).toMatchObject({ valid: true, token: { id: 'jwt' } });
		const refusing = answering({ valid: false, code: 'revoked' });
		const never = answering({ valid: true, token });
		expect(await chain([refusing, never]).validate('dtp_x')).toEqual({ valid: false, code: 'revoked' });
		expect(never.calls).toEqual([]);
		expect(await chain([ours]).validate('x')).toEqual({ valid: false, code: 'malformed' });
	});
});
