/**
 * How the admin view names what an anonymous token carries. Pure.
 */
import type { TokenInfo } from '../types.js';

/** What the issuer column says of a token that came from the credential-less endpoint. */
export const OPEN_ENDPOINT_LABEL = 'open endpoint';

/** Characters of an id shown when its service token is not among the loaded ones. */
const SHORT_ID = 8;

/**
 * Who issued an anonymous token: the issuing service token's name when it is in `services`, else the
 * start of its id; {@link OPEN_ENDPOINT_LABEL} when no service token issued it. Empty for other kinds.
 *
 * @example
 * ```ts
 * issuerLabel({ kind: 'anonymous', issuer: 's1' }, [{ id: 's1', name: 'Slack bot' }]); // 'Slack bot'
 * issuerLabel({ kind: 'anonymous', issuer: null }, []); // 'open endpoint'
 * ```
 */
export function issuerLabel(token: Pick<TokenInfo, 'kind' | 'issuer'>, services: readonly Pick<TokenInfo, 'id' | 'name'>[]): string {
	if (token.kind !== 'anonymous') return '';
	if (!token.issuer) return OPEN_ENDPOINT_LABEL;
	const service = services.find((candidate) => candidate.id === token.issuer);
	if (service) return service.name;
	return token.issuer.length > SHORT_ID ? `${token.issuer.slice(0, SHORT_ID)}…` : token.issuer;
}

/** Whether any of `tokens` is anonymous (the admin table then shows subject, tier and issuer). */
export function hasAnonymous(tokens: readonly Pick<TokenInfo, 'kind'>[]): boolean {
	return tokens.some((token) => token.kind === 'anonymous');
}
