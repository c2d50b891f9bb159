/**
 * `watchConnection` on a real in-memory SQLite database: a watched connection ends, once, when its
 * token is revoked (pushed, or seen by a sync), when all of its owner's tokens are reset, when the
 * owner stops being active, and when it expires; a change that leaves it live (another token's
 * revocation, a rename) keeps it open.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import knex, { type Knex } from 'knex';
import { createStandInUsersTable, createTokenSchema } from '../core/token-tables.js';
import { loadTokenConfig } from '../core/config.js';
import { createTokenStore } from '../core/token-store.js';
import { createTokenService, type Actor } from '../core/token-service.js';
import type { TokenEvent } from '../core/token-events.js';
import { createTokenValidator, type TokenValidator } from './create-token-validator.js';
import { watchConnection } from './watch-connection.js';
import type { ValidationFailureCode } from '../core/errors.js';

const USER = '11111111-1111-4111-8111-111111111111';
const actor: Actor = { userId: USER, admin: false };

describe('watchConnection', () => {
	let db: Knex;
	let validator: TokenValidator;
	let service: ReturnType<typeof createTokenService>;
	const events: TokenEvent[] = [];

	beforeEach(async () => {
		db = knex({ client: 'sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true, pool: { min: 1, max: 1 } });
		await createStandInUsersTable(db, [USER]);
		await createTokenSchema(db);
		service = createTokenService({ store: createTokenStore(db), config: loadTokenConfig({}), events: { publish: async (event) => void events.push(event) } });
		validator = createTokenValidator({ db, trackLastUsed: false });
		await validator.sync({ full: true });
	});
	afterEach(async () => {
		await db.destroy();
	});

	async function create(body: Record<string, unknown> = {}) {
		const result = await service.create(actor, { name: 'live', scopes: ['read'], ...body });
		if (!result.ok) throw new Error(result.message);
		return result.value;
	}
	/** A watch whose end is a promise of its code. */
	async function watch(token: string) {
		let ended!: (code: ValidationFailureCode) => void;
		const end = new Promise<ValidationFailureCode>((resolve) => (ended = resolve));
		const codes: ValidationFailureCode[] = [];
		const watched = await watchConnection(validator, token, {
			scopes: ['read'],
			onEnd: (code) => {
				codes.push(code);
				ended(code);
			},
		});
		if (!watched.ok) throw new Error(watched.code);
		return { end, codes, watched: watched.value };
	}
	const push = () => {
		for (const event of events.splice(0)) validator.applyEvent(event);
	};

	it('refuses to watch a token that is not live', async () => {
		expect(await watchConnection(validator, 'nope', { onEnd: () => {} })).toEqual({ ok: false, code: 'malformed' });
		const { token } = await create();
		expect(await watchConnection(validator, token, { scopes: ['write'], onEnd: () => {} })).toEqual({ ok: false, code: 'insufficient_scope' });
	});

	it('ends a connection once when its token is revoked, pushed', async () => {
		const [kept, doomed] = [await create(), await create()];
		const a = await watch(kept.token);
		const b = await watch(doomed.token);
		await service.revoke(actor, doomed.info.id);
		push();
		expect(await b.end).toBe('revoked');
		await service.update(actor, kept.info.id, { name: 'renamed' });
		push();
		await validator.sync();
		push();
		expect(a.codes).toEqual([]);
		expect(b.codes).toEqual(['revoked']);
		a.watched.stop();
	});

	it('ends it when a sync sees the revocation (no push)', async () => {
		const { token, info } = await create();
		const w = await watch(token);
		await service.revoke(actor, info.id);
		events.length = 0;
		await validator.sync();
		expect(await w.end).toBe('revoked');
	});

	it("ends every connection of a user on a reset, and when the owner is no longer active", async () => {
		const [first, second] = [await create(), await create()];
		const [a, b] = [await watch(first.token), await watch(second.token)];
		await service.reset({ userId: 'admin', admin: true }, USER);
		push();
		expect(await Promise.all([a.end, b.end])).toEqual(['revoked', 'revoked']);

		const third = await create();
		const c = await watch(third.token);
		await db('directus_users').where({ id: USER }).update({ status: 'suspended' });
		await validator.sync();
		expect(await c.end).toBe('owner_inactive');
	});

	it('ends it when the token expires', async () => {
		const { token } = await create({ expires_at: new Date(Date.now() + 1_200).toISOString() });
		const w = await watch(token);
		expect(await w.end).toBe('expired');
	});
});
