/**
 * `requireToken` (the README's first validator example) in a real express server with a real
 * validator on in-memory SQLite: `req.apiToken` on success, from memory (no query) and after a miss;
 * the RFC 6750 answer of every refusal; the request's `Origin` judged for origin-bound tokens.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import express from 'express';
import knex, { type Knex } from 'knex';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createStandInUsersTable, createTokenSchema } from '../core/token-tables.js';
import { loadTokenConfig } from '../core/config.js';
import { createTokenStore } from '../core/token-store.js';
import { createTokenService, type Actor } from '../core/token-service.js';
import { generateToken } from '../core/token-format.js';
import { createTokenValidator, type TokenValidator } from './create-token-validator.js';
import { requireToken } from './express-middleware.js';

const USER = '11111111-1111-4111-8111-111111111111';
const actor: Actor = { userId: USER, admin: false };
const WWW = 'https://www.example.com';
/** A token with its last character changed: its checksum no longer holds. */
const mistyped = (token: string) => token.slice(0, -1) + (token.endsWith('x') ? 'y' : 'x');

describe('requireToken in an express server', () => {
	let db: Knex;
	let validator: TokenValidator;
	let service: ReturnType<typeof createTokenService>;
	let server: Server;
	let url: string;
	let queries = 0;

	beforeAll(async () => {
		db = knex({ client: 'sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true, pool: { min: 1, max: 1 } });
		await createStandInUsersTable(db, [USER]);
		await createTokenSchema(db);
		service = createTokenService({ store: createTokenStore(db), config: loadTokenConfig({}) });
		validator = createTokenValidator({ db, trackLastUsed: false });
		await validator.start();
		db.on('query', () => void (queries += 1));
		const app = express();
		app.get('/v1/purge', requireToken(validator, { scopes: ['write'], realm: 'purge' }), (req, res) => {
			res.json({ token: (req as unknown as { apiToken: unknown }).apiToken });
		});
		server = app.listen(0, '127.0.0.1');
		await new Promise((resolve) => server.once('listening', resolve));
		url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/purge`;
	});
	afterAll(async () => {
		await new Promise((resolve) => server?.close(resolve));
		await validator?.stop();
		await db?.destroy();
	});

	async function create(body: Record<string, unknown>) {
		const result = await service.create(actor, { name: 'api', ...body });
		if (!result.ok) throw new Error(result.message);
		return result.value;
	}
	const call = async (headers: Record<string, string> = {}, path = '') => {
		const response = await fetch(url + path, { headers });
		return { status: response.status, challenge: response.headers.get('www-authenticate'), retryAfter: response.headers.get('retry-after'), body: (await response.json()) as Record<string, any> };
	};

	it('sets req.apiToken: after a miss (one query), then from memory (none)', async () => {
		const { token, info } = await create({ scopes: ['read', 'write'] });
		const before = queries;
		const first = await call({ authorization: `Bearer ${token}` });
		expect(first.status).toBe(200);
		expect(first.body.token).toMatchObject({ id: info.id, userId: USER, kind: 'personal', scopes: ['read', 'write'], tier: 'personal' });
		expect(queries - before).toBe(1);
		const again = await call({ authorization: `Bearer ${token}` });
		expect(again.body.token.id).toBe(info.id);
		expect(queries - before).toBe(1);
	});

	it('answers every refusal as RFC 6750 says', async () => {
		const readOnly = await create({ scopes: ['read'] });
		const revoked = await create({ scopes: ['write'] });
		await service.revoke(actor, revoked.info.id);
		await validator.sync();
		const cases: Array<[Record<string, string>, number, string, string | null]> = [
			[{}, 401, 'missing', 'Bearer realm="purge"'],
			[{ authorization: 'Basic abc' }, 400, 'invalid_request', 'error="invalid_request"'],
			[{ authorization: `Bearer ${mistyped(generateToken('personal').token)}` }, 401, 'malformed', 'error="invalid_token"'],
			[{ authorization: `Bearer ${generateToken('personal').token}` }, 401, 'unknown', 'error="invalid_token"'],
			[{ authorization: `Bearer ${revoked.token}` }, 401, 'revoked', 'error="invalid_token"'],
			[{ authorization: `Bearer ${readOnly.token}` }, 403, 'insufficient_scope', 'scope="write"'],
		];
		for (const [headers, status, code, challenge] of cases) {
			const answer = await call(headers);
			expect(answer.status, code).toBe(status);
			expect(answer.body.code, code).toBe(code);
			expect(answer.challenge, code).toContain('realm="purge"');
			if (challenge) expect(answer.challenge, code).toContain(challenge);
		}
		const inUrl = await call({ authorization: `Bearer ${readOnly.token}` }, `?access_token=${readOnly.token}`);
		expect(inUrl).toMatchObject({ status: 400, body: { code: 'invalid_request' } });
	});

	it("judges the request's Origin for origin-bound tokens", async () => {
		const bound = await create({ scopes: ['write'], origins: [WWW] });
		expect((await call({ authorization: `Bearer ${bound.token}`, origin: WWW })).status).toBe(200);
		const foreign = await call({ authorization: `Bearer ${bound.token}`, origin: 'https://evil.example.net' });
		expect(foreign).toMatchObject({ status: 403, body: { code: 'origin_not_allowed' } });
		expect(foreign.challenge).toContain('error="invalid_token"');
		// A program sends no Origin: personal tokens go on (see judgeToken).
		expect((await call({ authorization: `Bearer ${bound.token}` })).status).toBe(200);
	});

	it('answers 503 with Retry-After while tokens cannot be checked', async () => {
		const { token } = await create({ scopes: ['write'] });
		await db.schema.renameTable('api_tokens', 'api_tokens_away');
		try {
			const answer = await call({ authorization: `Bearer ${token}` });
			expect(answer).toMatchObject({ status: 503, retryAfter: '5', body: { code: 'unavailable' } });
		} finally {
			await db.schema.renameTable('api_tokens_away', 'api_tokens');
		}
	});
});
