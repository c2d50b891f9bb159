import { describe, expect, it } from 'vitest';
import { checkAppPayload } from './app-policy.js';
import { loadTokenConfig } from './config.js';

const config = loadTokenConfig({});

describe('checkAppPayload', () => {
	it('normalises a new app', () => {
		expect(checkAppPayload({ name: ' web ', origins: ['https://WWW.example.com/', 'https://*.example.com'], scopes: ['write', 'read'], ttl: '3600' }, config, { creating: true })).toEqual({
			ok: true,
			payload: { name: 'web', origins: ['https://www.example.com', 'https://*.example.com'], scopes: ['read', 'write'], ttl: 3600 },
		});
	});

	it.each([
		[{ origins: ['https://a.example.com'] }, 'name'],
		[{ name: 'a\u0000b', origins: ['https://a.example.com'] }, 'name'],
		[{ name: 'tab\there', origins: ['https://a.example.com'] }, 'name'],
		[{ name: 'web' }, 'origins'],
		[{ name: 'web', origins: [] }, 'origins'],
		[{ name: 'web', origins: ['ftp://x.example.com'] }, 'origins'],
		[{ name: 'web', origins: ['https://a.example.com'], scopes: ['introspect'] }, 'scopes'],
		[{ name: 'web', origins: ['https://a.example.com'], ttl: 5 }, 'ttl'],
		[{ name: 'web', origins: ['https://a.example.com'], ttl: 'a day' }, 'ttl'],
		[{ name: 'web', origins: ['https://a.example.com'], max_active_per_user: 0 }, 'max_active_per_user'],
	])('refuses %o naming %s', (payload, field) => {
		expect(checkAppPayload(payload, config, { creating: true })).toMatchObject({ ok: false, field });
	});

	it('checks only the fields an update touches', () => {
		expect(checkAppPayload({ enabled: false }, config, { creating: false })).toEqual({ ok: true, payload: { enabled: false } });
		expect(checkAppPayload({ origins: [] }, config, { creating: false })).toMatchObject({ ok: false, field: 'origins' });
	});
});
