// A CLI that gets a token over SSH, in CI or in a container: `node cli-device.mjs https://dash.example.com`
import * as oauth from 'openid-client';

export async function login(dashboardUrl, { clientId = 'globalping-cli', scope = 'read', print = console.log } = {}) {
	const insecure = new URL(dashboardUrl).protocol === 'http:' ? { execute: [oauth.allowInsecureRequests] } : {}; // local tests only
	// RFC 8414 discovery: /.well-known/oauth-authorization-server names the device and token endpoints.
	const config = await oauth.discovery(new URL(dashboardUrl), clientId, undefined, oauth.None(), { ...insecure, algorithm: 'oauth2' });
	const device = await oauth.initiateDeviceAuthorization(config, { scope });
	print(`Open ${device.verification_uri_complete}\n  or go to ${device.verification_uri} and enter ${device.user_code}`);
	// Polls every `interval` seconds (slower when told) until the user approves or denies, or the code expires.
	const tokens = await oauth.pollDeviceAuthorizationGrant(config, device);
	return tokens.access_token; // a personal token of the user: keep it in the CLI's config file
}

if (import.meta.url === `file://${process.argv[1]}`) console.log('Got', (await login(process.argv[2])).slice(0, 8) + '…');
