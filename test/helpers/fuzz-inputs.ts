/**
 * fast-check arbitraries of bad input for the security fuzz test: nasty strings, numbers and dates,
 * JSON bodies with wrong types and missing or extra fields, raw bodies (malformed JSON, duplicate
 * keys, wrong content types), malformed `Authorization` headers, path ids and query strings. Some
 * generated values are valid on purpose: the property is "a well-formed 2xx or a JSON 4xx".
 */
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';

/** `encodeURIComponent`, which throws on lone surrogates: those become U+FFFD first. */
export function encode(text: string): string {
	return encodeURIComponent(text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'));
}

/** 1 MB of text, built once. */
export const HUGE = 'x'.repeat(1024 * 1024);

const MIXED_SCRIPTS = ['Ωmega Привет 漢字 مرحبا', '👩‍💻🔑', 'e\u0301\u0301\u0301', '\u202Egnp.exe', 'ㅤ', '\uFEFFbom', 'İstanbul ß ﬁ', '\uD800 lone', 'a\u200Bb'];
const CONTROL = ['\u0000', 'a\u0000b', '\u0001\u0002\u001f', '\r\n\r\nX-Injected: 1', '\t', '\u007f', '\u0085\u2028\u2029'];
const SQL_SHAPED = ["' OR 1=1 --", "'; DROP TABLE api_tokens; --", '" OR ""="', '1; SELECT pg_sleep(10)', "\\'; --", '%', '_', '*', '`', 'null', 'NULL', 'undefined'];
const FILTER_SHAPED = ['{"_eq":1}', '$CURRENT_USER', '$NOW', '$NOW(-1 year)', '{{hash}}', '__proto__', 'constructor', 'hash', 'count(hash)', '-hash', 'user.password', '*.*'];

export const nastyString: fc.Arbitrary<string> = fc.oneof(
	{ arbitrary: fc.string({ maxLength: 40 }), weight: 3 },
	{ arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }), weight: 2 },
	{ arbitrary: fc.string({ unit: 'binary', maxLength: 20 }), weight: 1 },
	{ arbitrary: fc.constantFrom(...MIXED_SCRIPTS), weight: 2 },
	{ arbitrary: fc.constantFrom(...CONTROL), weight: 2 },
	{ arbitrary: fc.constantFrom(...SQL_SHAPED), weight: 2 },
	{ arbitrary: fc.constantFrom(...FILTER_SHAPED), weight: 2 },
	{ arbitrary: fc.constantFrom('', ' ', '   ', 'x'.repeat(101), 'x'.repeat(501), 'x'.repeat(10_000)), weight: 2 },
	{ arbitrary: fc.constant(HUGE), weight: 1 },
);

/** ISO-looking times, in and far out of range (year 0, past 2038, 10000, negative years). */
export const nastyDate: fc.Arbitrary<string> = fc.oneof(
	fc.constantFrom(
		'0000-01-01T00:00:00Z',
		'0001-01-01T00:00:00.000Z',
		'1969-12-31T23:59:59Z',
		'1970-01-01T00:00:00Z',
		'2038-01-19T03:14:08Z',
		'2039-01-01T00:00:00Z',
		'2100-01-01T00:00:00.000Z',
		'9999-12-31T23:59:59.999Z',
		'10000-01-01T00:00:00Z',
		'+010000-01-01T00:00:00Z',
		'-000001-01-01T00:00:00Z',
		'+275760-09-13T00:00:00.000Z',
		'2030-02-30T00:00:00Z',
		'2030-13-01T00:00:00Z',
		'2030-01-01T25:61:61Z',
		'2030-01-01',
		'2030-01-01T00:00:00',
		'2030-01-01T00:00:00+99:99',
		'2030-01-01T00:00:00.123456789Z',
		'not a date',
		'$NOW',
	),
	fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }).map((d) => d.toISOString()),
	// Mostly valid: a time within the next few years.
	fc.integer({ min: 1, max: 5 * 365 * 86_400 }).map((s) => new Date(Date.now() + s * 1000).toISOString()),
);

export const nastyNumber: fc.Arbitrary<number> = fc.oneof(
	fc.constantFrom(-1, 0, -0, 1, 1.5, -1.5, 2 ** 31, 2 ** 31 - 1, 2 ** 53, 2 ** 53 + 2, -(2 ** 63), 1e21, 1e308, -1e308, Number.MIN_VALUE, 86_400, 86_401, 3_153_600_000, 3_153_600_001),
	fc.integer(),
	fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Strings that look like numbers to a lax parser. */
export const numberishString = fc.constantFrom('NaN', 'Infinity', '-Infinity', '1e400', '0x10', '1_000', ' 1', '1 ', '', '-0', '00', '١٢', '1e-7', '9'.repeat(400));

export const nastyScalar: fc.Arbitrary<unknown> = fc.oneof(
	{ arbitrary: nastyString, weight: 4 },
	{ arbitrary: nastyNumber, weight: 2 },
	{ arbitrary: numberishString, weight: 1 },
	{ arbitrary: nastyDate, weight: 1 },
	{ arbitrary: fc.constantFrom(true, false, null), weight: 2 },
);

/** Any JSON value, biased towards nasty leaves and filter-shaped objects. */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
	{ arbitrary: nastyScalar, weight: 6 },
	{ arbitrary: fc.array(nastyScalar, { maxLength: 4 }), weight: 2 },
	{ arbitrary: fc.constantFrom({ _eq: 1 }, { _neq: null }, { $ne: null }, JSON.parse('{"__proto__":{"admin":true}}') as unknown, [[[]]], {}, [], [null], Array.from({ length: 200 }, (_, i) => `s${i}`)), weight: 1 },
	{ arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 },
);

/** A time from a minute to about ten months ahead: a valid expiry for every kind. */
export const futureTime: fc.Arbitrary<string> = fc.integer({ min: 60, max: 300 * 86_400 }).map((s) => new Date(Date.now() + s * 1000).toISOString());

/**
 * An object body over `fields`: either each field absent, valid (from `valid`) or nasty, plus
 * sometimes an unknown field; or a valid body (`required` fields always present) with at most one
 * field made nasty. The second keeps a real share of cases accepted, so both branches of the
 * property are exercised and a refusal is usually about one precise field.
 */
export function fuzzBody(fields: string[], valid: Record<string, fc.Arbitrary<unknown>> = {}, { required = [] }: { required?: string[] } = {}): fc.Arbitrary<Record<string, unknown>> {
	const mixed: Record<string, fc.Arbitrary<unknown>> = {};
	const clean: Record<string, fc.Arbitrary<unknown>> = {};
	for (const field of fields) {
		mixed[field] = valid[field] ? fc.oneof({ arbitrary: valid[field]!, weight: 2 }, { arbitrary: nastyValue, weight: 2 }) : nastyValue;
		if (valid[field]) clean[field] = valid[field]!;
	}
	const extraKey = fc.oneof(nastyString.filter((s) => s.length < 100), fc.constantFrom('hash', 'user', 'kind', 'id', 'token', '__proto__'));
	const scrambled = fc
		.tuple(fc.record(mixed, { requiredKeys: [] }), fc.option(fc.dictionary(extraKey, nastyValue, { maxKeys: 2 }), { freq: 4 }))
		.map(([body, extra]) => ({ ...body, ...(extra ?? {}) }));
	const nearlyValid = fc
		.tuple(fc.record(clean, { requiredKeys: required.filter((field) => field in clean) }), fc.option(fc.tuple(fc.oneof(fc.constantFrom(...fields), extraKey), nastyValue), { freq: 2 }))
		.map(([body, change]) => (change ? { ...body, [change[0]]: change[1] } : body));
	return Object.keys(clean).length ? fc.oneof({ arbitrary: scrambled, weight: 3 }, { arbitrary: nearlyValid, weight: 2 }) : scrambled;
}

export interface RawBody {
	contentType: string | null;
	body: string | Buffer;
	label: string;
}

/** Serialises `value` with its first key repeated (the duplicate carries `other`). */
function withDuplicateKey(value: Record<string, unknown>, other: unknown): string {
	const keys = Object.keys(value);
	const key = keys[0] ?? 'name';
	const text = JSON.stringify(value);
	const duplicate = `${JSON.stringify(key)}:${JSON.stringify(other) ?? 'null'}`;
	return keys.length ? `${text.slice(0, -1)},${duplicate}}` : `{${duplicate},${duplicate}}`;
}

const MALFORMED_JSON = ['', '{', '}', '{"name":}', '{"name":"a",}', "{'name':'a'}", '{"name":"a"', 'null', 'true', '[]', '[{}]', '"name"', '1e400', '{"name":1e400}', '{"name":NaN}', '{"name":"\\ud800"}', '{"name":"\\u0000"}', '\u0000', '\uFEFF{"name":"a"}', '{"a":'.repeat(5000), '['.repeat(10_000), '{"__proto__":{"admin":true},"name":"a"}', '{"name":"a"}{"name":"b"}'];
const WRONG_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/json; charset=utf-16', 'application/json; charset=latin1', 'application/*', '*/*', 'application/json, text/plain', 'ÿ/ÿ', ''];

/**
 * A request body for a JSON route: mostly the fuzzed object as JSON, sometimes with a duplicate key,
 * malformed JSON, the right text with a wrong content type, or none at all.
 */
export function rawBody(object: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<RawBody> {
	return fc.oneof(
		{ arbitrary: object.map((value) => ({ contentType: 'application/json', body: JSON.stringify(value), label: 'json' })), weight: 8 },
		{ arbitrary: fc.tuple(object, nastyValue).map(([value, other]) => ({ contentType: 'application/json', body: withDuplicateKey(value, other), label: 'duplicate key' })), weight: 1 },
		{ arbitrary: fc.constantFrom(...MALFORMED_JSON).map((body) => ({ contentType: 'application/json', body, label: 'malformed json' })), weight: 2 },
		{
			arbitrary: fc.tuple(object, fc.constantFrom(...WRONG_TYPES)).map(([value, contentType]) => ({
				contentType,
				body: contentType.includes('form-urlencoded') ? new URLSearchParams(Object.entries(value).map(([k, v]) => [k, String(v)])).toString() : JSON.stringify(value),
				label: 'wrong content type',
			})),
			weight: 1,
		},
		{ arbitrary: fc.constant({ contentType: null, body: '', label: 'no body' }), weight: 1 },
	);
}

/** A path segment where a token id goes: valid-looking, id-regex-passing but not uuids, and garbage. */
export const nastyId: fc.Arbitrary<string> = fc.oneof(
	fc.constant(null).map(() => randomUUID()),
	fc.constantFrom(
		'-'.repeat(36),
		'a'.repeat(36),
		'0'.repeat(36),
		'ffffffff-ffff-ffff-ffff-ffffffffffff',
		'00000000-0000-0000-0000-00000000000g',
		'0000000000000000000000000000000000000',
		'abc',
		'0',
		'-1',
		'1e400',
		'null',
		'undefined',
		'%00',
		'%',
		'%zz',
		'%E0%A4%A',
		'%C0%AF',
		'%FF%FE',
		'%ED%A0%80',
		'..%2F..%2Fserver%2Fhealth',
		'%2e%2e',
		encodeURIComponent("' OR 1=1 --"),
		encodeURIComponent('Привет'),
		'x'.repeat(5000),
		'self%00',
		'app%20',
	),
	nastyString.filter((s) => s.length > 0 && s.length < 2000).map((s) => encode(s)),
);

const QUERY_VALUES = ['-1', '0', '1', 'abc', '', '-1000', '-1001', '1001', '1.5', 'NaN', 'Infinity', '1e400', '9'.repeat(30), '99999999999', '2147483648', '9223372036854775808', '%zz', '%', '%00', 'true', 'all', '$CURRENT_USER', "' OR 1=1 --", '00000000-0000-0000-0000-000000000000', '-'.repeat(36), 'a'.repeat(36)];

/** One `key=value` pair (sometimes with bracket syntax or raw percent garbage). */
function queryPair(keys: string[]): fc.Arbitrary<string> {
	const value = fc.oneof(fc.constantFrom(...QUERY_VALUES).map((v) => (v.startsWith('%') ? v : encode(v))), nastyString.filter((s) => s.length < 200).map(encode));
	return fc.oneof(
		{ arbitrary: fc.tuple(fc.constantFrom(...keys), value).map(([k, v]) => `${k}=${v}`), weight: 6 },
		{ arbitrary: fc.tuple(fc.constantFrom(...keys), value).map(([k, v]) => `${k}[]=${v}&${k}[]=${v}`), weight: 1 },
		{ arbitrary: fc.tuple(fc.constantFrom(...keys), value).map(([k, v]) => `${k}[_eq]=${v}`), weight: 1 },
		{ arbitrary: fc.constantFrom('%', '%zz=1', '=', '&&&', 'a=%E0%A4%A', '__proto__[x]=1', 'constructor[prototype][x]=1', 'x'.repeat(3000)), weight: 1 },
	);
}

/** A query string (with `?`) over `keys`, 0 to 4 pairs. */
export function fuzzQuery(keys: string[]): fc.Arbitrary<string> {
	return fc.array(queryPair(keys), { maxLength: 4 }).map((pairs) => (pairs.length ? `?${pairs.join('&')}` : ''));
}

/** Malformed (and a few well-formed but useless) `Authorization` headers; `null` for none. */
export function nastyAuthorization(realTokens: string[]): fc.Arbitrary<Array<[string, string]>> {
	const token = fc.constantFrom(...realTokens);
	const one = fc.oneof(
		fc.constantFrom('', 'Bearer', 'Bearer ', 'Bearer  ', 'bearer x', 'BEARER x', 'Basic Zm9vOmJhcg==', 'Bearer null', 'Bearer undefined', 'Token abc', 'Bearer dtp_', 'Bearer dtp_' + 'A'.repeat(36), 'Bearer dts_' + '0'.repeat(36), 'Bearer eyJhbGciOiJub25lIn0.e30.', 'Bearer ' + 'x'.repeat(10 * 1024), 'Bearer тест', 'Bearer 令牌', 'Bearer dtp_ÿÿÿÿ', 'Bearer\t x'),
		token.map((t) => `Bearer ${t} ${t}`),
		token.map((t) => `Bearer ${t},${t}`),
		token.map((t) => `Bearer ${t}x`),
		token.map((t) => `Bearer ${t.slice(0, -1)}`),
		token.map((t) => `Bearer ${t.toUpperCase()}`),
		token.map((t) => `Basic ${Buffer.from(`${t}:`).toString('base64')}`),
		// Control characters other than tab are refused by Node's HTTP parser before Directus sees them.
		// eslint-disable-next-line no-control-regex
		nastyString.filter((s) => s.length < 4000 && !/[\u0000-\u0008\u000a-\u001f\u007f]/.test(s)).map((s) => `Bearer ${s}`),
	);
	return fc.oneof(
		{ arbitrary: one.map((value): Array<[string, string]> => [['Authorization', value]]), weight: 6 },
		{ arbitrary: fc.tuple(one, one).map(([a, b]): Array<[string, string]> => [['Authorization', a], ['Authorization', b]]), weight: 1 },
		{ arbitrary: token.map((t): Array<[string, string]> => [['Authorization', `Bearer ${t}`], ['Authorization', `Bearer ${t}`]]), weight: 1 },
	);
}
