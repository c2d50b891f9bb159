import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import knex, { type Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { loadTokenConfig } from '../../core/config.js';
import { createStandInUsersTable, createTokenSchema } from '../../core/token-tables.js';
import { TOKENS_TABLE } from '../../shared/constants.js';
import { registerExpiryNotices, type Notification } from './register-expiry-notices.js';

describe('registerExpiryNotices', () => {
	let db: Knex;
	const owner = randomUUID();
	const logger = { info: vi.fn(), error: vi.fn() };

	beforeEach(async () => {
		db = knex({ client: 'sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
		await createStandInUsersTable(db, [owner]);
		await createTokenSchema(db);
		await db(TOKENS_TABLE).insert({ id: randomUUID(), name: 'cli', kind: 'personal', hidden: false, hash: randomUUID(), hint: 'dtp_AbCd…', scopes: '[]', origins: '[]', user: owner, expires_at: new Date(Date.now() + 3_600_000), date_created: new Date() });
	});
	afterEach(async () => {
		await db.destroy();
	});

	/** Registers with `env` and answers the one check it scheduled (or none), and what it notified. */
	function register(env: Record<string, unknown>, notify: (n: Notification) => Promise<void> = async () => {}, schemaReady = () => true) {
		const schedule = vi.fn();
		const config = loadTokenConfig(env);
		registerExpiryNotices(schedule, { database: db, config: () => config, publicUrl: 'https://dash.example.com/', logger, notifier: async () => async (_trx, n) => notify(n), schemaReady });
		return { schedule, check: schedule.mock.calls[0]?.[1] as (() => Promise<void>) | undefined };
	}

	it('schedules nothing when API_TOKENS_EXPIRY_NOTICES is empty', () => {
		expect(register({ API_TOKENS_EXPIRY_NOTICES: '' }).schedule).not.toHaveBeenCalled();
	});

	it('checks on API_TOKENS_EXPIRY_NOTICE_CHECK and notifies the owner once, with a link to the page', async () => {
		const sent: Notification[] = [];
		const { schedule, check } = register({ API_TOKENS_EXPIRY_NOTICE_CHECK: '*/5 * * * * *' }, async (n) => void sent.push(n));
		expect(schedule).toHaveBeenCalledWith('*/5 * * * * *', expect.any(Function));
		await check!();
		await check!();
		expect(sent).toHaveLength(1);
		expect(sent[0]).toMatchObject({ recipient: owner, subject: 'Your token "cli" expires in 1 hour' });
		expect(sent[0]!.message).toMatch(/\(https:\/\/dash\.example\.com\/admin\/tokens\/[0-9a-f-]{36}\?renew=1\)/);
	});

	it('checks nothing until the schema is installed (Directus starts schedules first)', async () => {
		logger.error.mockClear();
		let ready = false;
		const sent: Notification[] = [];
		const { check } = register({}, async (n) => void sent.push(n), () => ready);
		await check!();
		expect(sent).toHaveLength(0);
		expect(logger.error).not.toHaveBeenCalled();
		ready = true;
		await check!();
		expect(sent).toHaveLength(1);
	});

	it('logs a failure in one line, throws nothing, and tries again at the next check', async () => {
		let fail = true;
		const sent: Notification[] = [];
		const { check } = register({}, async (n) => {
			if (fail) throw new Error('SMTP down');
			sent.push(n);
		});
		await expect(check!()).resolves.toBeUndefined();
		expect(logger.error).toHaveBeenCalledWith(expect.stringMatching(/^api-tokens: expiry notice for token \S+ failed: SMTP down$/));
		fail = false;
		await check!();
		expect(sent).toHaveLength(1);
	});
});
