/**
 * Which callback URLs the new-token page may hand a token to: applications on this computer only,
 * over plain http on a loopback address (`127.0.0.1`, `[::1]`, `localhost`), as OAuth's native-app
 * loopback redirect (RFC 8252 §7.3). Anything else is refused, so a link cannot send a token away.
 */
export type LoopbackCallback =
	| {
			ok: true;
			/** The callback as the link gave it (normalised). */
			url: string;
			/** Where the browser sends the token: the same, except `[::1]` becomes `localhost` (see below). */
			deliverUrl: string;
			/** `host:port`, to show the user. */
			display: string;
	  }
	| { ok: false; reason: string };

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/**
 * @example
 * ```ts
 * parseLoopbackCallback('http://127.0.0.1:8123/token'); // { ok: true, url: 'http://127.0.0.1:8123/token', deliverUrl: (the same), display: '127.0.0.1:8123' }
 * parseLoopbackCallback('http://[::1]:8123/token');     // { ok: true, deliverUrl: 'http://localhost:8123/token', … }
 * parseLoopbackCallback('https://evil.example/');       // { ok: false, reason: '…' }
 * ```
 */
export function parseLoopbackCallback(input: string): LoopbackCallback {
	if (input.length > 2000) return { ok: false, reason: 'is too long' };
	let url: URL;
	try {
		url = new URL(input);
	} catch {
		return { ok: false, reason: 'is not a URL' };
	}
	if (url.protocol !== 'http:') return { ok: false, reason: 'must use http:// on this computer (127.0.0.1, [::1] or localhost)' };
	if (!LOOPBACK_HOSTS.has(url.hostname)) return { ok: false, reason: 'is not on this computer (only 127.0.0.1, [::1] and localhost are allowed)' };
	if (url.username || url.password) return { ok: false, reason: 'must not contain credentials' };
	url.hash = '';
	const display = url.host;
	const given = url.toString();
	// A Content-Security-Policy cannot name an IPv6 literal (Chromium drops `http://[::1]:*` as invalid),
	// so `[::1]` is reached as `localhost`, which browsers resolve to ::1 as well as 127.0.0.1.
	if (url.hostname === '[::1]') url.hostname = 'localhost';
	return { ok: true, url: given, deliverUrl: url.toString(), display };
}
