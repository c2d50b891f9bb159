/**
 * One set of services per Directus process, shared by the bundle's hook and endpoint (they live in
 * the same `dist/api.js` module). Built on first use from Directus's context; config is read then,
 * not at import time.
 */
import type { Knex } from 'knex';
import { loadTokenConfig, type TokenConfig } from '../core/config.js';
import { createTokenService, type TokenService } from '../core/token-service.js';
import { createTokenStore, type TokenStore } from '../core/token-store.js';
import type { TokenEventSink } from '../core/token-events.js';
import { createTokenAuthenticator, type TokenAuthenticator } from './token-authenticator.js';
import { createRedisEventSink, fanOut } from './redis-event-sink.js';
import { createAuditSink } from '../core/token-audit.js';
import { createPgNotifySink } from './pg-notify-sink.js';

export interface Runtime {
	config: TokenConfig;
	store: TokenStore;
	service: TokenService;
	authenticator: TokenAuthenticator;
	events: TokenEventSink;
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
	const authenticator = createTokenAuthenticator({ db: database, config });
	const redisUrl = typeof env.REDIS === 'string' && env.REDIS ? env.REDIS : null;
	const sinks = [authenticator.invalidator, createAuditSink(database, logger)];
	if (redisUrl) sinks.push(createRedisEventSink(redisUrl, logger));
	else if (database.client.config.client === 'pg') sinks.push(createPgNotifySink(database, logger));
	const events = fanOut(...sinks);
	if (redisUrl) logger.info('api-tokens: publishing token events on Redis');
	else if (database.client.config.client === 'pg') logger.info('api-tokens: publishing token events with PostgreSQL NOTIFY');
	runtime = { config, store, authenticator, events, service: createTokenService({ store, config, events }) };
	return runtime;
}
