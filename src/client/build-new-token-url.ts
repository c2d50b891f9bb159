/**
 * Builds the link a CLI or a chat bot prints so that the user lands on the dashboard's
 * "new token" page with every field filled in and only has to click Create.
 *
 * @example
 * ```ts
 * const link = buildNewTokenUrl({ dashboardUrl: 'https://dash.example.com', name: 'Globalping CLI', scopes: ['measurements'], expiresIn: 90 });
 * // https://dash.example.com/admin/tokens/new?name=Globalping+CLI&scopes=measurements&expires_in=90
 * ```
 */
export interface NewTokenLink {
	/** Base URL of the Directus dashboard, e.g. `https://dash.example.com`. */
	dashboardUrl: string;
	name: string;
	description?: string;
	scopes?: readonly string[];
	/** Lifetime in days. */
	expiresIn?: number;
	origins?: readonly string[];
	/** A loopback URL (`http://127.0.0.1:PORT/…`) the page may POST the token to, after the user confirms. */
	callback?: string;
	/** Opaque value echoed back to `callback`, so the CLI can tell its own request. */
	state?: string;
}

export function buildNewTokenUrl(link: NewTokenLink): string {
	const url = new URL('admin/tokens/new', link.dashboardUrl.endsWith('/') ? link.dashboardUrl : `${link.dashboardUrl}/`);
	url.searchParams.set('name', link.name);
	if (link.description) url.searchParams.set('description', link.description);
	if (link.scopes?.length) url.searchParams.set('scopes', link.scopes.join(','));
	if (link.expiresIn !== undefined) url.searchParams.set('expires_in', String(link.expiresIn));
	if (link.origins?.length) url.searchParams.set('origins', link.origins.join(','));
	if (link.callback) url.searchParams.set('callback', link.callback);
	if (link.state) url.searchParams.set('state', link.state);
	return url.toString();
}
