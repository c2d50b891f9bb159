/**
 * Origins as browsers send them in the `Origin` header: `scheme://host[:port]`, lowercase, default
 * ports dropped. Allow-lists also take subdomain patterns, `https://*.example.com`.
 */

export type NormalisedOrigin = { ok: true; origin: string } | { ok: false; reason: string };

const WILDCARD = /^(https?):\/\/\*\.((?:[a-z0-9-]+\.)+[a-z0-9-]+)$/;

/**
 * Normalises one origin (or `*.` pattern) for storage and comparison.
 *
 * @example
 * ```ts
 * normaliseOrigin('HTTPS://WWW.Example.com:443/path'); // { ok: true, origin: 'https://www.example.com' }
 * ```
 */
export function normaliseOrigin(input: string): NormalisedOrigin {
	if (typeof input !== 'string' || input.length === 0 || input.length > 300) {
		return { ok: false, reason: 'must be a URL of at most 300 characters' };
	}
	const trimmed = input.trim().toLowerCase();
	const wildcard = WILDCARD.exec(trimmed.replace(/\/$/, ''));
	if (wildcard) return { ok: true, origin: `${wildcard[1]}://*.${wildcard[2]}` };
	if (trimmed.includes('*')) return { ok: false, reason: 'a wildcard is only allowed as the first label, e.g. https://*.example.com' };
	let url: URL;
	try {
		url = new URL(trimmed);
	} catch {
		return { ok: false, reason: 'is not a URL' };
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: 'must use http or https' };
	if (url.username || url.password) return { ok: false, reason: 'must not contain credentials' };
	if (!url.hostname) return { ok: false, reason: 'has no host' };
	// URL drops default ports itself and punycodes the host.
	return { ok: true, origin: url.origin };
}

/**
 * Whether `origin` is allowed by `allowed`. An empty list allows any origin (a token that names no
 * origins is not bound to any); a pattern `https://*.example.com` matches its strict subdomains.
 *
 * @example
 * ```ts
 * originMatches(['https://*.example.com'], 'https://www.example.com'); // true
 * originMatches(['https://*.example.com'], 'https://example.com');     // false
 * ```
 */
export function originMatches(allowed: readonly string[], origin: string): boolean {
	if (allowed.length === 0) return true;
	const normalised = normaliseOrigin(origin);
	if (!normalised.ok || normalised.origin.includes('*')) return false;
	const candidate = normalised.origin;
	for (const entry of allowed) {
		if (entry === candidate) return true;
		const wildcard = WILDCARD.exec(entry);
		if (!wildcard) continue;
		const [, scheme, domain] = wildcard;
		const prefix = `${scheme}://`;
		if (!candidate.startsWith(prefix)) continue;
		const hostAndPort = candidate.slice(prefix.length);
		if (hostAndPort.includes(':')) continue; // patterns never match explicit ports
		if (hostAndPort.endsWith(`.${domain}`) && hostAndPort.length > domain!.length + 1) return true;
	}
	return false;
}
