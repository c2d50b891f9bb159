import type { TokenConfig } from '../../core/config.js';
import { TOKEN_KINDS, type TokenKind } from '../../shared/constants.js';

/** What the app (and CLI authors) may know of the server's token policy: never prefixes' secrets. */
export interface PublicTokenConfig {
	scopes: string[];
	systemScopes: string[];
	directusScope: string;
	prefixes: Record<TokenKind, string>;
	maxTtlSeconds: Record<TokenKind, number | null>;
	defaultTtlSeconds: number;
	maxActivePerUser: number;
	/** Longest grace period of an old secret after regenerate, in seconds (`API_TOKENS_MAX_GRACE`). */
	maxGraceSeconds: number;
}

export function publicConfig(config: TokenConfig): PublicTokenConfig {
	const toSeconds = (ms: number | null) => (ms === null ? null : Math.floor(ms / 1000));
	const maxTtlSeconds = Object.fromEntries(TOKEN_KINDS.map((kind) => [kind, toSeconds(config.maxTtlMs[kind])])) as Record<
		TokenKind,
		number | null
	>;
	return {
		scopes: [...config.scopes],
		systemScopes: [...config.systemScopes],
		directusScope: config.directusScope,
		prefixes: { ...config.prefixes },
		maxTtlSeconds,
		defaultTtlSeconds: Math.floor(config.defaultTtlMs / 1000),
		maxActivePerUser: config.maxActivePerUser,
		maxGraceSeconds: Math.floor(config.maxGraceMs / 1000),
	};
}
