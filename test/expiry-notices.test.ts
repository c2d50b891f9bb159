/**
 * Expiry notices against a real Directus on each database, two instances sharing it (a fleet), both
 * checking every second, mail going to a real SMTP server on loopback: a personal token 6.5 days from
 * expiry gets exactly one 7-day notification (the bell) and one mail; moved to 12 hours from expiry
 * (the clock moved by writing its expiry), exactly one more; hidden app tokens, anonymous tokens and
 * revoked tokens get none; a purged token's notices go with it. Each "exactly one" is asserted after
 * several more checks of both instances, so a duplicate would show.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { generateToken } from '../src/core/token-format.js';
import { NOTICES_TABLE } from '../src/core/expiry-notice-store.js';
import { createTokenStore } from '../src/core/token-store.js';
import { TOKENS_TABLE } from '../src/shared/constants.js';
import { enabledDatabases } from './helpers/databases.js';
import { startDirectus, type DirectusInstance } from './helpers/directus.js';
import { createUser, type TestUser } from './helpers/users.js';
import { request } from './helpers/http.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PUBLIC_URL = 'https://dash.example.com';
/** Both instances check every second: this many seconds after the first notice, a duplicate would be there. */
const SETTLE_MS = 5_000;

interface Mail {
	to: string[];
	subject: string;
	body: string;
}

/** A header as written, its RFC 2047 encoded words (`=?UTF-8?Q?…?=`, `=?UTF-8?B?…?=`) decoded. */
function decodeWords(header: string): string {
	return header
		.replace(/\?=\s+=\?/g, '?==?')
		.replace(/=\?utf-8\?([qb])\?([^?]*)\?=/gi, (_word, encoding: string, text: string) =>
			encoding.toLowerCase() === 'b'
				? Buffer.from(text, 'base64').toString('utf8')
				: Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, (_hex, code: string) => String.fromCharCode(parseInt(code, 16))), 'latin1').toString('utf8'),
		);
}

/** An SMTP server on loopback that keeps every message (recipients, the unfolded, decoded Subject, the text). */
async function startMailSink(): Promise<{ port: number; mails: Mail[]; stop(): Promise<void> }> {
	const mails: Mail[] = [];
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS'],
		logger: false,
		onData(stream, session, callback) {
			const chunks: Buffer[] = [];
			stream.on('data', (chunk: Buffer) => chunks.push(chunk));
			stream.on('end', () => {
				const raw = Buffer.concat(chunks).toString('utf8');
				const headers = raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
				const subject = decodeWords(/^Subject: (.*)$/im.exec(headers)?.[1] ?? '');
				// Quoted-printable text read as text: soft line breaks joined, `=XX` decoded.
				const body = raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_hex, code: string) => String.fromCharCode(parseInt(code, 16)));
				mails.push({ to: session.envelope.rcptTo.map((rcpt) => rcpt.address), subject, body });
				callback();
			});
		},
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.server.address() as AddressInfo).port;
	return { port, mails, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let value = await read();
	while (!done(value) && Date.now() < deadline) {
		await new Promise((resolve) => setTimeout(resolve, 200));
		value = await read();
	}
	return value;
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(enabledDatabases())('expiry notices on %s with two instances', (databaseName) => {
	let sink: Awaited<ReturnType<typeof startMailSink>>;
	let first: DirectusInstance;
	let second: DirectusInstance;
	let alice: TestUser;
	let tokenId: string;
	const others: Record<string, string> = {};

	const notificationsOf = async (user: string) =>
		(await first.db('directus_notifications').where({ recipient: user }).orderBy('id')) as Array<{ subject: string; message: string }>;
	const mailsTo = (email: string) => sink.mails.filter((mail) => mail.to.includes(email));

	beforeAll(async () => {
		sink = await startMailSink();
		const env = {
			EMAIL_TRANSPORT: 'smtp',
			EMAIL_SMTP_HOST: '127.0.0.1',
			EMAIL_SMTP_PORT: String(sink.port),
			EMAIL_SMTP_SECURE: 'false',
			EMAIL_SMTP_IGNORE_TLS: 'true',
			EMAIL_FROM: 'tokens@example.com',
			PUBLIC_URL,
			API_TOKENS_EXPIRY_NOTICE_CHECK: '* * * * * *',
		};
		first = await startDirectus(databaseName, env);
		second = await startDirectus(databaseName, env, { sharing: first });
		alice = await createUser(first, 'alice');
		const api = (method: string, path: string, body?: unknown) => request(first.url, method, path, { token: alice.accessToken, ...(body === undefined ? {} : { body }) });

		// Tokens that must get no notice, all expiring within a day, all Alice's where they have an owner.
		// Revoked through the API while far from expiry (a check in between must find nothing), then moved close.
		const revoked = await api('POST', '/api-tokens', { name: 'revoked', scopes: ['read'], expires_at: new Date(Date.now() + 30 * DAY).toISOString() });
		expect(revoked.status, JSON.stringify(revoked.body)).toBe(201);
		others.revoked = revoked.body.info.id;
		expect((await api('DELETE', `/api-tokens/${others.revoked}`)).status).toBeLessThan(300);
		await first.db(TOKENS_TABLE).where({ id: others.revoked }).update({ expires_at: new Date(Date.now() + 12 * HOUR) });
		for (const [label, kind, hidden, user] of [['app', 'app', true, alice.id], ['hidden', 'personal', true, alice.id], ['anonymous', 'anonymous', false, null]] as const) {
			const generated = generateToken(kind);
			const id = randomUUID();
			await first.db(TOKENS_TABLE).insert({ id, name: label, kind, hidden, hash: generated.hash, hint: generated.hint, scopes: JSON.stringify(['read']), origins: '[]', user, expires_at: new Date(Date.now() + 12 * HOUR), date_created: new Date(), date_updated: new Date() });
			others[label] = id;
		}
		// Created last: the notices below are the first the schedule could send.
		const created = await api('POST', '/api-tokens', { name: 'Globalping CLI', scopes: ['read'], expires_at: new Date(Date.now() + 6.5 * DAY).toISOString() });
		expect(created.status, JSON.stringify(created.body)).toBe(201);
		tokenId = created.body.info.id;
	});
	afterAll(async () => {
		await second?.stop();
		await first?.stop();
		await sink?.stop();
	});

	it('users get notices by mail by default (Directus: email_notifications on)', async () => {
		const user = await first.db('directus_users').where({ id: alice.id }).first('email', 'email_notifications');
		expect(user.email).toBe(alice.email);
		expect(Boolean(user.email_notifications)).toBe(true);
	});

	it('sends one 7-day notification and one mail, across two instances', async () => {
		const notifications = await until(() => notificationsOf(alice.id), (rows) => rows.length > 0);
		await sleep(SETTLE_MS);
		expect(await notificationsOf(alice.id)).toHaveLength(1);
		const [notice] = notifications;
		expect(notice!.subject).toBe('Your token "Globalping CLI" expires in 7 days');
		expect(notice!.message).toContain(`(${PUBLIC_URL}/admin/tokens/${tokenId}?renew=1)`);
		expect(notice!.message).toContain('Regenerate');
		const mails = await until(async () => mailsTo(alice.email), (found) => found.length > 0, 10_000);
		expect(mails).toHaveLength(1);
		expect(mails[0]!.subject).toBe(notice!.subject);
		expect(mails[0]!.body).toContain(`${PUBLIC_URL}/admin/tokens/${tokenId}`);
		expect(await first.db(NOTICES_TABLE).where({ token: tokenId }).select('threshold')).toEqual([{ threshold: 7 * 86_400 }]);
		// One instance sent it; neither failed.
		const logs = first.log() + second.log();
		expect(logs.split('api-tokens: sent 1 expiry notice').length - 1).toBe(1);
		expect(logs).not.toMatch(/expiry notices? (check )?(for token \S+ )?failed/);
	}, 90_000);

	it('sends one 1-day notification and one mail more once the expiry is 12 hours away', async () => {
		await first.db(TOKENS_TABLE).where({ id: tokenId }).update({ expires_at: new Date(Date.now() + 12 * HOUR) });
		await until(() => notificationsOf(alice.id), (rows) => rows.length > 1);
		await sleep(SETTLE_MS);
		const notifications = await notificationsOf(alice.id);
		expect(notifications).toHaveLength(2);
		expect(notifications[1]!.subject).toBe('Your token "Globalping CLI" expires in 12 hours');
		const mails = await until(async () => mailsTo(alice.email), (found) => found.length > 1, 10_000);
		expect(mails.map((mail) => mail.subject)).toEqual(notifications.map((row) => row.subject));
		expect(sink.mails).toHaveLength(2);
		// The new expiry's 7-day threshold is settled by its 1-day notice, never sent.
		const rows = await first.db(NOTICES_TABLE).where({ token: tokenId }).orderBy([{ column: 'expiry_ms', order: 'desc' }, 'threshold']);
		expect(rows.map((row) => [Number(row.threshold), row.sent_at !== null])).toEqual([[7 * 86_400, true], [86_400, true], [7 * 86_400, false]]);
		const logs = first.log() + second.log();
		expect(logs.split('api-tokens: sent 1 expiry notice').length - 1).toBe(2);
		expect(logs).not.toMatch(/expiry notices? (check )?(for token \S+ )?failed/);
	}, 90_000);

	it('sends nothing for hidden app tokens, anonymous tokens and revoked tokens', async () => {
		expect(await first.db(NOTICES_TABLE).whereIn('token', Object.values(others))).toEqual([]);
		expect(await first.db('directus_notifications').whereNot({ recipient: alice.id })).toEqual([]);
		for (const row of await notificationsOf(alice.id)) expect(row.message).toContain(`/admin/tokens/${tokenId}?renew=1)`);
	});

	it("deletes a token's notices when the token is purged", async () => {
		expect(await first.db(NOTICES_TABLE).where({ token: tokenId })).toHaveLength(3);
		// SQLite enforces foreign keys per connection: Directus turns them on for its own, as here.
		if (databaseName === 'sqlite') await first.db.raw('PRAGMA foreign_keys = ON');
		// The purge's own query, with a clock a day ahead: the token (12 hours left) is long expired by then.
		await createTokenStore(first.db).purge({ revokedBefore: new Date(0), expiredBefore: new Date(Date.now() + DAY) });
		expect(await first.db(TOKENS_TABLE).where({ id: tokenId })).toEqual([]);
		expect(await first.db(NOTICES_TABLE)).toEqual([]);
	});
});

