/**
 * The token API (`/api-tokens`) through the app's own axios instance (`useApi()`), which carries the
 * Directus session. Every call throws on failure; pages turn errors into notices with `apiError`.
 */
import { useApi } from '@directus/extensions-sdk';
import { ENDPOINT_ID, type TokenKind } from '../../../shared/constants.js';
import type { CreateTokenRequest, RevealedToken, TokenHistoryEvent, TokenInfo, TokenServerConfig, UpdateTokenRequest } from '../types.js';

/** Rows per list request (the API's maximum is 1000). */
const PAGE = 500;

export interface ListFilter {
	/** Admins: a user's id, or `all`. */
	user?: string;
	kind?: TokenKind;
	includeHidden?: boolean;
	/** Admins: only anonymous tokens of this subject. */
	subject?: string;
	/** Revoked tokens too (the "Inactive" filter). */
	includeRevoked?: boolean;
}

interface HttpClient {
	get(url: string, config?: { params?: Record<string, unknown> }): Promise<{ status: number; data: unknown }>;
	post(url: string, body?: unknown): Promise<{ status: number; data: unknown }>;
	patch(url: string, body?: unknown): Promise<{ status: number; data: unknown }>;
	delete(url: string): Promise<{ status: number; data: unknown }>;
}

/**
 * @example
 * ```ts
 * const tokens = useTokenApi();
 * const { token, info } = await tokens.create({ name: 'Globalping CLI', scopes: ['read'], origins: [], duration: 30 * 86400 });
 * ```
 */
export function useTokenApi(http: HttpClient = useApi() as unknown as HttpClient) {
	const base = `/${ENDPOINT_ID}`;

	async function config(): Promise<TokenServerConfig> {
		return (await http.get(`${base}/config`)).data as TokenServerConfig;
	}

	/** Every token matching `filter`, newest first, following the API's `start`/`delta` pages. */
	async function list(filter: ListFilter = {}): Promise<TokenInfo[]> {
		const all: TokenInfo[] = [];
		let start: number | undefined;
		for (;;) {
			const params: Record<string, unknown> = { delta: -PAGE };
			if (start !== undefined) params.start = start;
			if (filter.user) params.user = filter.user;
			if (filter.kind) params.kind = filter.kind;
			if (filter.includeHidden) params.include_hidden = 'true';
			if (filter.subject) params.subject = filter.subject;
			if (filter.includeRevoked) params.include_revoked = 'true';
			const response = await http.get(base, { params });
			if (response.status === 204) break;
			const page = (response.data as { tokens: TokenInfo[] }).tokens;
			all.push(...page);
			if (page.length < PAGE) break;
			start = page[page.length - 1]!.row_id;
		}
		return all;
	}

	/** One token (its owner sees it revoked too); a 404 for unknown and foreign ids alike. */
	async function get(id: string): Promise<TokenInfo> {
		return (await http.get(`${base}/${encodeURIComponent(id)}`)).data as TokenInfo;
	}

	/** A token's history, oldest first. */
	async function events(id: string): Promise<TokenHistoryEvent[]> {
		return ((await http.get(`${base}/${encodeURIComponent(id)}/events`)).data as { events: TokenHistoryEvent[] }).events;
	}

	/** Renames, describes, narrows scopes, changes origins or expiry (the server caps it). */
	async function update(id: string, patch: UpdateTokenRequest): Promise<TokenInfo> {
		return (await http.patch(`${base}/${encodeURIComponent(id)}`, patch)).data as TokenInfo;
	}

	async function create(body: CreateTokenRequest): Promise<RevealedToken> {
		return (await http.post(base, body)).data as RevealedToken;
	}

	/** `renew`: the new secret also gets a new expiry (the token's lifetime at creation, from now). */
	async function regenerate(id: string, graceSeconds: number, renew = false): Promise<RevealedToken> {
		const body = { ...(graceSeconds > 0 ? { grace_seconds: graceSeconds } : {}), ...(renew ? { renew: true } : {}) };
		return (await http.post(`${base}/${encodeURIComponent(id)}/regenerate`, body)).data as RevealedToken;
	}

	async function refresh(id: string): Promise<RevealedToken> {
		return (await http.post(`${base}/${encodeURIComponent(id)}/refresh`)).data as RevealedToken;
	}

	async function revoke(id: string): Promise<void> {
		await http.delete(`${base}/${encodeURIComponent(id)}`);
	}

	/** Admins: revokes every token of `user`; answers how many. */
	async function reset(user: string): Promise<number> {
		return ((await http.post(`${base}/reset`, { user })).data as { revoked: number }).revoked;
	}

	/** Admins: revokes every live anonymous token of `subject`; answers how many. */
	async function resetSubject(subject: string): Promise<number> {
		return ((await http.post(`${base}/reset`, { subject })).data as { revoked: number }).revoked;
	}

	return { config, list, get, events, update, create, regenerate, refresh, revoke, reset, resetSubject };
}

export type TokenApi = ReturnType<typeof useTokenApi>;
