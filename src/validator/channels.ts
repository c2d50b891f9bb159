/**
 * Where pushed revocations come from: Redis pub/sub (the Directus hooks publish there when `REDIS`
 * is set) or PostgreSQL LISTEN/NOTIFY (when Directus runs on PostgreSQL without Redis). A channel
 * that is down says so (`isUp()`), and the validator falls back to its polling sync.
 */
import type { Knex } from 'knex';
import type { Redis } from 'ioredis';
import { TOKEN_EVENTS_CHANNEL, PG_NOTIFY_CHANNEL, parseTokenEvent, type TokenEvent } from '../core/token-events.js';

export interface TokenEventChannel {
	kind: 'redis' | 'postgres';
	start(onEvent: (event: TokenEvent) => void): Promise<void>;
	stop(): Promise<void>;
	isUp(): boolean;
}

/**
 * `ioredis` is an optional peer of this package: it is loaded when a Redis channel starts, so that
 * API services without Redis can import the validator without installing it.
 */
async function loadIoredis(): Promise<{ Redis: typeof Redis }> {
	try {
		return await import('ioredis');
	} catch (error) {
		const code = (error as { code?: unknown }).code;
		if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
			throw new Error('token validator: redisChannel needs the ioredis package (npm install ioredis)', { cause: error });
		}
		throw error;
	}
}

/**
 * @example
 * ```ts
 * createTokenValidator({ db, channel: redisChannel('redis://127.0.0.1:6379') });
 * ```
 */
export function redisChannel(url: string, logger?: { warn(message: string): void }): TokenEventChannel {
	let redis: Redis | null = null;
	let up = false;
	let stopped = false;
	return {
		kind: 'redis',
		async start(onEvent) {
			stopped = false;
			const { Redis } = await loadIoredis();
			if (stopped) return; // stop() came while ioredis loaded: connect nothing
			redis = new Redis(url, { maxRetriesPerRequest: null, retryStrategy: (times) => Math.min(times * 200, 2_000) });
			redis.on('ready', () => (up = true));
			redis.on('end', () => (up = false));
			redis.on('close', () => (up = false));
			redis.on('error', (error: Error) => {
				up = false;
				logger?.warn(`token validator: Redis: ${error.message}`);
			});
			redis.on('message', (_channel: string, message: string) => {
				const event = parseTokenEvent(message);
				if (event) onEvent(event);
			});
			// ioredis re-subscribes by itself after a reconnect.
			await redis.subscribe(TOKEN_EVENTS_CHANNEL).catch((error: Error) => logger?.warn(`token validator: subscribe: ${error.message}`));
		},
		async stop() {
			stopped = true;
			redis?.disconnect();
			redis = null;
			up = false;
		},
		isUp: () => up,
	};
}

interface PgClient {
	query(sql: string): Promise<unknown>;
	on(event: 'notification', listener: (message: { channel: string; payload?: string }) => void): void;
	on(event: 'error' | 'end', listener: (error?: Error) => void): void;
	end(): Promise<void>;
}

/**
 * LISTEN on a dedicated connection (knex's pool would hand it back). Reconnects every 2 s while down.
 *
 * @example
 * ```ts
 * createTokenValidator({ db, channel: postgresChannel(db) });
 * ```
 */
export function postgresChannel(db: Knex, logger?: { warn(message: string): void }): TokenEventChannel {
	let client: PgClient | null = null;
	let up = false;
	let stopped = false;
	let retry: ReturnType<typeof setTimeout> | null = null;

	async function connect(onEvent: (event: TokenEvent) => void) {
		try {
			const raw = (await (db.client as { acquireRawConnection(): Promise<PgClient> }).acquireRawConnection()) as PgClient;
			client = raw;
			raw.on('notification', (message) => {
				if (message.channel !== PG_NOTIFY_CHANNEL || !message.payload) return;
				const event = parseTokenEvent(message.payload);
				if (event) onEvent(event);
			});
			const reconnect = () => {
				up = false;
				client = null;
				if (!stopped) retry = setTimeout(() => void connect(onEvent), 2_000);
			};
			raw.on('error', (error) => {
				logger?.warn(`token validator: LISTEN connection: ${error?.message}`);
			});
			raw.on('end', reconnect);
			await raw.query(`LISTEN ${PG_NOTIFY_CHANNEL}`);
			up = true;
		} catch (error) {
			up = false;
			logger?.warn(`token validator: LISTEN failed: ${(error as Error).message}`);
			if (!stopped) retry = setTimeout(() => void connect(onEvent), 2_000);
		}
	}

	return {
		kind: 'postgres',
		async start(onEvent) {
			stopped = false;
			await connect(onEvent);
		},
		async stop() {
			stopped = true;
			if (retry) clearTimeout(retry);
			up = false;
			await client?.end().catch(() => {});
			client = null;
		},
		isUp: () => up,
	};
}
