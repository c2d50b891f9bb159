/**
 * Browser helper for website JS on a sibling subdomain of the dashboard: gets a hidden, short-lived
 * app token from the dashboard with the user's session cookie, keeps it fresh in the background,
 * and says clearly when the user is signed out. No runtime dependencies.
 *
 * @example
 * ```ts
 * const tokens = createAppTokenClient({ dashboardUrl: 'https://dash.example.com', app: 'globalping-web' });
 * const result = await tokens.getToken();
 * if (result.status === 'ok') fetch(api, { headers: { authorization: `Bearer ${result.token}` } });
 * else if (result.status === 'signed_out') showSignIn(result.signInUrl);
 * ```
 */
export type AppTokenResult =
	| { status: 'ok'; token: string; expiresAt: Date; scopes: string[] }
	| { status: 'signed_out'; signInUrl: string }
	| { status: 'error'; message: string; retryAfterSeconds?: number };

export interface AppTokenClientOptions {
	dashboardUrl: string;
	/** Name of the app as the dashboard admin registered it. */
	app: string;
	/** Refresh this long before expiry (default 5 minutes). */
	refreshMarginMs?: number;
	fetch?: typeof fetch;
	now?: () => number;
}

export interface AppTokenClient {
	/** A valid token, from cache when it is not about to expire; concurrent calls share one request. */
	getToken(): Promise<AppTokenResult>;
	/** Called whenever the token changes or the user turns out to be signed out. Returns an unsubscribe. */
	onChange(listener: (result: AppTokenResult) => void): () => void;
	/** Stops background refreshes. */
	stop(): void;
}

const DEFAULT_MARGIN_MS = 5 * 60_000;

export function createAppTokenClient(options: AppTokenClientOptions): AppTokenClient {
	const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
	const now = options.now ?? Date.now;
	const margin = options.refreshMarginMs ?? DEFAULT_MARGIN_MS;
	const base = options.dashboardUrl.replace(/\/+$/, '');
	const listeners = new Set<(result: AppTokenResult) => void>();
	let current: Extract<AppTokenResult, { status: 'ok' }> | null = null;
	let lastStatus: AppTokenResult['status'] | null = null;
	let inFlight: Promise<AppTokenResult> | null = null;
	let timer: ReturnType<typeof setTimeout> | null = null;

	function notify(result: AppTokenResult) {
		const changed = result.status === 'ok' ? result.token !== (current?.token ?? null) : result.status !== lastStatus;
		lastStatus = result.status;
		if (changed) for (const listener of listeners) listener(result);
	}

	function scheduleRefresh(expiresAt: Date) {
		if (timer) clearTimeout(timer);
		const delay = Math.max(0, expiresAt.getTime() - margin - now());
		timer = setTimeout(() => void refresh(), delay);
	}

	async function request(): Promise<AppTokenResult> {
		let response: Response;
		try {
			response = await doFetch(`${base}/api-tokens/app`, {
				method: 'POST',
				credentials: 'include',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ app: options.app }),
			});
		} catch (error) {
			return { status: 'error', message: `dashboard unreachable: ${String(error)}` };
		}
		const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
		if (response.status === 201 && typeof body.token === 'string') {
			return {
				status: 'ok',
				token: body.token,
				expiresAt: new Date(String(body.expires_at)),
				scopes: Array.isArray(body.scopes) ? body.scopes.map(String) : [],
			};
		}
		if (response.status === 401) {
			const signInUrl = typeof body.sign_in_url === 'string' ? body.sign_in_url : `${base}/admin/login`;
			return { status: 'signed_out', signInUrl };
		}
		const retryAfter = Number(response.headers.get('retry-after'));
		return {
			status: 'error',
			message: errorMessage(body) ?? `dashboard answered ${response.status}`,
			...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {}),
		};
	}

	function refresh(): Promise<AppTokenResult> {
		inFlight ??= request()
			.then((result) => {
				notify(result);
				if (result.status === 'ok') {
					current = result;
					scheduleRefresh(result.expiresAt);
				} else if (result.status === 'signed_out') {
					current = null;
				}
				return result;
			})
			.finally(() => {
				inFlight = null;
			});
		return inFlight;
	}

	return {
		async getToken() {
			if (current) {
				const remaining = current.expiresAt.getTime() - now();
				if (remaining > margin) return current;
				if (remaining > 0) {
					void refresh();
					return current;
				}
			}
			return refresh();
		},
		onChange(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		stop() {
			if (timer) clearTimeout(timer);
			timer = null;
		},
	};
}

function errorMessage(body: Record<string, unknown>): string | undefined {
	const errors = body.errors;
	if (Array.isArray(errors) && errors[0] && typeof errors[0] === 'object' && 'message' in errors[0]) {
		return String((errors[0] as { message: unknown }).message);
	}
	return undefined;
}
