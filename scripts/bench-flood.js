/**
 * `npm run bench`, section 8: a flood of 100,000 distinct unknown well-formed tokens (our prefix, a
 * valid checksum, a random secret: they pass every offline check) against the validator, with
 * repeats mixed in, while valid requests keep arriving at a steady pace. Reports database queries
 * (one per distinct token, none for repeats), heap growth (bounded by the negative LRU), and the
 * p99 latency of the valid requests against the same pace without the flood, measured in this run.
 *
 * Standalone: `node_modules/.bin/node --expose-gc scripts/bench-flood.js` (Node 22, after `npm run build`).
 */
import { generateToken } from '../lib/core/index.js';
import { createTokenValidator } from '../lib/validator/index.js';
import { PG_URL, fmt, heapUsed, insertTokens, isMain, percentile, postgresDatabase, sqliteDatabase } from './bench-common.js';

const DISTINCT = Number(process.env.BENCH_FLOOD_TOKENS ?? 100_000);
const REPEAT_SHARE = 0.2; // one repeat of an earlier flood token after every fifth new one
const IN_FLIGHT = 100;
const PACE_MS = 2;
const CHUNKS = 10; // one valid request every 2 ms (open loop: latency counts from its planned time)
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Valid requests at a steady pace until `stop()` holds; latency is measured from each request's
 * planned start, so a stalled event loop shows up in full (no coordinated omission).
 */
async function pacedValid(validator, tokens, stop) {
	const latencies = [];
	let failures = 0;
	const started = performance.now();
	for (let i = 0; !stop(); i++) {
		const planned = started + i * PACE_MS;
		const wait = planned - performance.now();
		if (wait > 0) await sleep(Math.ceil(wait)); // timers round down: never start early
		const result = await validator.validate(tokens[i % tokens.length], { scopes: ['read'] });
		if (!result.valid) failures += 1;
		latencies.push(performance.now() - planned);
	}
	return { latencies, failures };
}

/** The flood sequence: every distinct token once, and repeats of earlier ones mixed in. */
function floodSequence(distinct) {
	const sequence = [];
	for (let i = 0; i < distinct.length; i++) {
		sequence.push(distinct[i]);
		if (Math.random() < REPEAT_SHARE) sequence.push(distinct[Math.floor(Math.random() * (i + 1))]);
	}
	return sequence;
}

async function flood(validator, sequence) {
	let next = 0;
	const codes = {};
	await Promise.all(
		Array.from({ length: IN_FLIGHT }, async () => {
			while (next < sequence.length) {
				const { code } = await validator.validate(sequence[next++]);
				codes[code] = (codes[code] ?? 0) + 1;
			}
		}),
	);
	return codes;
}

export async function floodBench(line) {
	line('');
	line(`## 8. flood of ${fmt(DISTINCT)} distinct unknown well-formed tokens against the validator`);
	const database = PG_URL ? await postgresDatabase() : await sqliteDatabase();
	try {
		const valid = await insertTokens(database.db, 10_000, { keep: 1_000 });
		// Long sync interval and no last-used writes: every query counted below is a flood lookup.
		const validator = createTokenValidator({ db: database.db, syncIntervalMs: 3_600_000, trackLastUsed: false });
		await validator.start();
		for (const token of valid) await validator.validate(token);

		const distinct = Array.from({ length: DISTINCT }, () => generateToken('personal').token);
		const sequence = floodSequence(distinct);
		const heapBefore = heapUsed();
		const queriesBefore = database.counters().queries;
		// The flood in chunks, with a quiet second of the same paced valid requests before each one:
		// quiet and flooded windows alternate, so drifting load on a shared machine hits both alike.
		const quiet = { latencies: [], failures: 0 };
		const loud = { latencies: [], failures: 0 };
		const codes = {};
		let floodMs = 0;
		const chunk = Math.ceil(sequence.length / CHUNKS);
		for (let from = 0; from < sequence.length; from += chunk) {
			const quietEnd = performance.now() + 1_000;
			const calm = await pacedValid(validator, valid, () => performance.now() > quietEnd);
			let flooding = true;
			const started = performance.now();
			const [chunkCodes, busy] = await Promise.all([
				flood(validator, sequence.slice(from, from + chunk)).finally(() => (flooding = false)),
				pacedValid(validator, valid, () => !flooding),
			]);
			floodMs += performance.now() - started;
			for (const [code, n] of Object.entries(chunkCodes)) codes[code] = (codes[code] ?? 0) + n;
			for (const [into, part] of [[quiet, calm], [loud, busy]]) {
				for (const latency of part.latencies) into.latencies.push(latency);
				into.failures += part.failures;
			}
		}
		const queries = database.counters().queries - queriesBefore;
		const heapGrowth = heapUsed() - heapBefore;
		const { cachedInvalid } = validator.status();

		// Repeats after the flood: every one is in the negative cache.
		const again = distinct.slice(-10_000);
		const beforeRepeats = database.counters().queries;
		await flood(validator, again);
		const repeatQueries = database.counters().queries - beforeRepeats;

		// A second flood as large: the negative LRU is full, so the heap must not grow again.
		const second = Array.from({ length: DISTINCT }, () => generateToken('personal').token);
		const heapMid = heapUsed();
		await flood(validator, second);
		const secondGrowth = heapUsed() - heapMid;
		const afterSecond = validator.status().cachedInvalid;
		await validator.stop();

		const p = (values, q) => percentile(values, q).toFixed(2);
		line(`database: ${database.name}; ${IN_FLIGHT} flood requests in flight, in ${CHUNKS} chunks each after 1 s without; valid requests every ${PACE_MS} ms throughout, latency from their planned time`);
		line(
			`flood: ${fmt(sequence.length)} requests (${fmt(DISTINCT)} distinct + ${fmt(sequence.length - DISTINCT)} repeats) in ${fmt(floodMs / 1000, 1)} s ` +
				`(${fmt(sequence.length / (floodMs / 1000))}/s), answers ${JSON.stringify(codes)}`,
		);
		line(`DB queries: ${fmt(queries)} for ${fmt(DISTINCT)} distinct tokens (target <= ${fmt(DISTINCT)}, ideally 1 each); 10,000 more repeats afterwards: ${repeatQueries} queries (target 0)`);
		line(
			`heap: +${fmt(heapGrowth / 1e6, 1)} MB after the flood (${fmt(heapGrowth / Math.max(1, cachedInvalid))} bytes per remembered unknown hash, ${fmt(cachedInvalid)} remembered); ` +
				`a second flood of ${fmt(DISTINCT)} new ones: ${secondGrowth >= 0 ? '+' : ''}${fmt(secondGrowth / 1e6, 1)} MB, ${fmt(afterSecond)} remembered (bounded by negativeCacheMax)`,
		);
		line(
			`valid requests: p50 ${p(quiet.latencies, 50)} ms, p99 ${p(quiet.latencies, 99)} ms without the flood (${fmt(quiet.latencies.length)}); ` +
				`p50 ${p(loud.latencies, 50)} ms, p99 ${p(loud.latencies, 99)} ms during it (${fmt(loud.latencies.length)}, ${loud.failures + quiet.failures} refused); ` +
				`p99 ratio ${(percentile(loud.latencies, 99) / percentile(quiet.latencies, 99)).toFixed(1)}x`,
		);
	} finally {
		await database.drop();
	}
}

if (isMain(import.meta.url)) {
	floodBench(console.log).catch((error) => {
		console.error(error);
		process.exit(1);
	});
}
