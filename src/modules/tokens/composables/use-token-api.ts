/**
 * The token API (`/api-tokens`) through the app's own axios instance (`useApi()`), which carries the
 * Directus session. Every call throws on failure; pages turn errors into notices with `apiError`.
 */
import { useApi } from '@directus/extensions-sdk';
import { ENDPOINT_ID, type TokenKind } from '../../../shared/constants.js';
import type { CreateTokenRequest, RevealedToken, TokenInfo, TokenServerConfig } from '../types.js';

/** Rows per list request (the API's maximum is 1000). */
const PAGE = 500;

export interface ListFilter {
	/** Admins: a user's id, or `all`. */
	user?: string;
	kind?: TokenKind;
	includeHidden?: boolean;
	/** Admins: only anonymous tokens of this subject. */
	subject?: string;
}

interface HttpClient {
	get(url: string, config?: { params?: Record<string, unknown> }): Promise<{ status: number; data: unknown }>;
	post(url: string, body?: unknown): Promise<{ status: number; data: unknown }>;
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
			const response = await http.get(base, { params });
			if (response.status === 204) break;
			const page = (response.data as { tokens: TokenInfo[] }).tokens;
			all.push(...page);
			if (page.length < PAGE) break;
			start = page[page.length - 1]!.row_id;
		}
		return all;
	}

	async function create(body: CreateTokenRequest): Promise<RevealedToken> {
		return (await http.post(base, body)).data as RevealedToken;
	}

	async function regenerate(id: string, graceSeconds: number): Promise<RevealedToken> {
		return (await http.post(`${base}/${encodeURIComponent(id)}/regenerate`, graceSeconds > 0 ? { grace_seconds: graceSeconds } : {})).data as RevealedToken;
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

	return { config, list, create, regenerate, refresh, revoke, reset, resetSubject };
}

export type TokenApi = ReturnType<typeof useTokenApi>;
