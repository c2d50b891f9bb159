import { Redis } from 'ioredis';
import { TOKEN_EVENTS_CHANNEL, type TokenEvent, type TokenEventSink } from '../core/token-events.js';

interface Logger {
	warn(message: string): void;
}

/**
 * Publishes token events on Redis pub/sub (Directus's `REDIS` URL), so every validator and every
 * other Directus instance drops revoked tokens at once. A Redis failure is logged, never thrown:
 * validators fall back to polling the database.
 */
export function createRedisEventSink(url: string, logger: Logger): TokenEventSink {
	const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
	redis.on('error', (error: Error) => logger.warn(`api-tokens: Redis: ${error.message}`));
	let connecting: Promise<void> | null = null;
	return {
		async publish(event: TokenEvent) {
			try {
				if (redis.status === 'wait' || redis.status === 'end') connecting ??= redis.connect().finally(() => (connecting = null));
				if (connecting) await connecting;
				await redis.publish(TOKEN_EVENTS_CHANNEL, JSON.stringify(event));
			} catch (error) {
				logger.warn(`api-tokens: could not publish ${event.type} event: ${(error as Error).message}`);
			}
		},
	};
}

/** Sends each event to every sink (e.g. Redis and the in-process auth cache). */
export function fanOut(...sinks: TokenEventSink[]): TokenEventSink {
	return {
		async publish(event) {
			await Promise.all(sinks.map((sink) => sink.publish(event)));
		},
	};
}
