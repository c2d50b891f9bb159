/**
 * One set of services per Directus process, shared by the bundle's hook and endpoint (they live in
 * the same `dist/api.js` module). Built on first use from Directus's context; config is read then,
 * not at import time.
 */
import type { Knex } from 'knex';
import { loadTokenConfig, type TokenConfig } from '../core/config.js';
import { createTokenService, type Result, type TokenService } from '../core/token-service.js';
import { createTokenStore, type TokenStore } from '../core/token-store.js';
import type { TokenEvent, TokenEventSink } from '../core/token-events.js';
import { createTokenAuthenticator, type TokenAuthenticator } from './token-authenticator.js';
import { createRedisEventSink, fanOut } from './redis-event-sink.js';
import { createAuditSink } from '../core/token-audit.js';
import { createPgNotifySink } from './pg-notify-sink.js';
import { createAppStore, type AppStore } from '../core/app-store.js';
import { createAppTokenIssuer, type AppTokenIssuer } from '../core/app-token-issuer.js';
import { createAppService, type AppService } from '../core/app-service.js';
import { createIssueLimiter, type IssueLimiter } from './issue-limiter.js';
import { createAnonymousTokenIssuer, type AnonymousTokenIssuer } from '../core/anonymous-token-issuer.js';
import { postgresChannel, redisChannel } from '../validator/channels.js';
import { latestStorableTime } from '../core/storable-time.js';
import { createDeviceClientStore } from '../core/device-client-store.js';
import { createDeviceClientService, type DeviceClientService } from '../core/device-client-service.js';
import { createDeviceCodeStore } from '../core/device-code-store.js';
import { createDeviceFlow, type DeviceFlow } from '../core/device-flow.js';

export interface Runtime {
	config: TokenConfig;
	store: TokenStore;
	service: TokenService;
	authenticator: TokenAuthenticator;
	events: TokenEventSink;
	apps: AppStore;
	appIssuer: AppTokenIssuer;
	appIssueLimiter: IssueLimiter;
	/** Open anonymous tokens per client IP (IPv6: per /64). */
	anonymousIssueLimiter: IssueLimiter;
	/** Device authorization (RFC 8628): requests, polls and the approval page's steps. */
	device: DeviceFlow;
	/** Admins' management of device clients. */
	deviceClients: DeviceClientService;
	/** Wrong user codes, per user and per client IP. */
	deviceCodeLimiter: IssueLimiter;
	/** The latest expiry this database can store (MySQL/MariaDB: 2038). */
	latestExpiry: Date;
	/** Directus's `PUBLIC_URL` without a trailing slash (empty when not set): our OAuth issuer. */
	publicUrl: string;
	/** Where a signed-out page sends its user: the Data Studio's sign-in page. */
	signInUrl: string;
	/**
	 * Runs `work` in one database transaction with services bound to it; once it has committed,
	 * `deliver`s the value (see `reveal-once.ts`). Audit rows commit with the change; events go out
	 * to other processes after the commit and the answer. A refusal rolls back and is returned.
	 */
	inTransaction<T>(work: (tx: TransactionServices) => Promise<Result<T>>, deliver: (value: T) => void): Promise<Result<T>>;
	/**
	 * Runs `work` with services bound to `db`: the transaction Directus handed a hook (so a batch's
	 * writes and ours commit or roll back together, and nothing waits on a second connection), or, when
	 * there is none, a transaction of our own. Events go out once that transaction has committed.
	 */
	joining<T>(db: Knex, work: (tx: TransactionServices) => Promise<T>): Promise<T>;
	/** Tells this instance's caches and every other process (Redis or NOTIFY) an event, recording nothing. */
	tellAll(event: TokenEvent): Promise<void>;
}

/** The services that write tokens, bound to one transaction. */
export interface TransactionServices {
	service: TokenService;
	appIssuer: AppTokenIssuer;
	apps: AppService;
	anonymous: AnonymousTokenIssuer;
	/** Redeems approved device authorizations (the token's insert and the request's claim commit together). */
	device: DeviceFlow;
}

interface Context {
	database: Knex;
	env: Record<string, unknown>;
	logger: { warn(message: string): void; info(message: string): void };
}

let runtime: Runtime | null = null;

export function getRuntime({ database, env, logger }: Context): Runtime {
	if (runtime) return runtime;
	const config = loadTokenConfig(env as Record<string, string | undefined>);
	const store = createTokenStore(database);
	const redisUrl = typeof env.REDIS === 'string' && env.REDIS ? env.REDIS : null;
	const isPostgres = database.client.config.client === 'pg';
	const latestExpiry = latestStorableTime(String(database.client.config.client));
	// Other instances' events reach our auth cache the way they reach validators.
	const peers = redisUrl ? redisChannel(redisUrl, logger) : isPostgres ? postgresChannel(database, logger) : null;
	const authenticator = createTokenAuthenticator({ db: database, config, peers, logger });
	// Audit rows are written with the change; our own auth cache and other processes follow it.
	const others: TokenEventSink[] = [];
	if (redisUrl) others.push(createRedisEventSink(redisUrl, logger));
	else if (isPostgres) others.push(createPgNotifySink(database, logger));
	const broadcast = fanOut(...others);
	const events = fanOut(createAuditSink(database, logger), authenticator.invalidator, broadcast);
	if (redisUrl) logger.info('api-tokens: publishing token events on Redis');
	else if (isPostgres) logger.info('api-tokens: publishing token events with PostgreSQL NOTIFY');
	const apps = createAppStore(database);
	const publicUrl = typeof env.PUBLIC_URL === 'string' && env.PUBLIC_URL ? env.PUBLIC_URL.replace(/\/+$/, '') : '';

	function deviceFlowOn(db: Knex, tokenStore: TokenStore, tokens: TokenService): DeviceFlow {
		return createDeviceFlow({ config, clients: createDeviceClientStore(db), codes: createDeviceCodeStore(db), store: tokenStore, tokens, latestExpiry });
	}

	/** Services whose writes go through `db`, and whose events wait in `committed` for its commit. */
	function servicesOn(db: Knex, committed: TokenEvent[]): TransactionServices {
		const txStore = createTokenStore(db);
		const txEvents = fanOut(createAuditSink(db, logger), { publish: async (event) => void committed.push(event) });
		const service = createTokenService({ store: txStore, config, events: txEvents, latestExpiry });
		return {
			service,
			appIssuer: createAppTokenIssuer({ store: txStore, apps: createAppStore(db), config, events: txEvents }),
			apps: createAppService({ store: txStore, apps: createAppStore(db), config, events: txEvents }),
			anonymous: createAnonymousTokenIssuer({ store: txStore, config, events: txEvents }),
			device: deviceFlowOn(db, txStore, service),
		};
	}

	async function inTransaction<T>(work: (tx: TransactionServices) => Promise<Result<T>>, deliver: (value: T) => void): Promise<Result<T>> {
		const committed: TokenEvent[] = [];
		const trx = await database.transaction();
		let result: Result<T>;
		try {
			result = await work(servicesOn(trx, committed));
		} catch (error) {
			await trx.rollback().catch(() => {});
			throw error;
		}
		if (!result.ok) {
			await trx.rollback();
			return result;
		}
		await trx.commit();
		// Nothing awaited between the commit and the answer: our own cache forgets synchronously, and
		// other processes hear of it after the answer (Redis or NOTIFY round trips).
		for (const event of committed) void authenticator.invalidator.publish(event);
		deliver(result.value);
		for (const event of committed) await broadcast.publish(event);
		return result;
	}

	async function tellAll(event: TokenEvent): Promise<void> {
		await Promise.all([authenticator.invalidator.publish(event), broadcast.publish(event)]);
	}

	async function joining<T>(db: Knex, work: (tx: TransactionServices) => Promise<T>): Promise<T> {
		const committed: TokenEvent[] = [];
		const announce = async () => {
			for (const event of committed) await tellAll(event);
		};
		if (db.isTransaction) {
			const value = await work(servicesOn(db, committed));
			// Told once the caller's transaction commits; a rollback undid the change, so nothing is told.
			(db as Knex.Transaction).executionPromise.then(announce, () => {});
			return value;
		}
		const value = await db.transaction((trx) => work(servicesOn(trx, committed)));
		await announce();
		return value;
	}

	const service = createTokenService({ store, config, events, latestExpiry });
	runtime = {
		config,
		store,
		authenticator,
		events,
		service,
		apps,
		appIssuer: createAppTokenIssuer({ store, apps, config, events }),
		appIssueLimiter: createIssueLimiter('app-issue', config.appIssueLimit, redisUrl),
		anonymousIssueLimiter: createIssueLimiter('anonymous-issue', config.anonymous.issueLimit, redisUrl),
		device: deviceFlowOn(database, store, service),
		deviceClients: createDeviceClientService({ clients: createDeviceClientStore(database), config }),
		deviceCodeLimiter: createIssueLimiter('device-code', config.device.attemptLimit, redisUrl),
		latestExpiry,
		publicUrl,
		signInUrl: `${publicUrl}/admin/login`,
		inTransaction,
		joining,
		tellAll,
	};
	return runtime;
}
