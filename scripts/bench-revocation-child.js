/**
 * Second process of the revocation benchmark: a validator on the benchmark database that reports,
 * over IPC, when each watched token stops validating.
 */
import knex from 'knex';
import { createTokenValidator, redisChannel, postgresChannel } from '../lib/validator/index.js';

const { connection, channel, syncIntervalMs } = JSON.parse(process.argv[2]);
const db = knex({ client: 'pg', connection, pool: { min: 1, max: 4 } });
const validator = createTokenValidator({
	db,
	syncIntervalMs,
	trackLastUsed: false,
	...(channel === 'redis' ? { channel: redisChannel(process.env.BENCH_REDIS_URL) } : channel === 'postgres' ? { channel: postgresChannel(db) } : {}),
});
await validator.start();
if (channel !== 'none') while (!validator.status().channelUp) await new Promise((r) => setTimeout(r, 20));

process.on('message', async (message) => {
	if (message.type === 'stop') {
		await validator.stop();
		await db.destroy();
		process.exit(0);
	}
	if (message.type === 'watch') {
		if (!(await validator.validate(message.token)).valid) return process.send({ type: 'error', message: 'not valid at start' });
		process.send({ type: 'watching', id: message.id });
		while ((await validator.validate(message.token)).valid) await new Promise((r) => setImmediate(r));
		process.send({ type: 'revoked', id: message.id, at: Date.now() });
	}
});
process.send({ type: 'ready' });
