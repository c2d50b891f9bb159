import { describe, expect, it } from 'vitest';
import { parseLoopbackCallback } from './loopback-callback.js';

describe('parseLoopbackCallback', () => {
	it.each([
		['http://127.0.0.1:8123/token', 'http://127.0.0.1:8123/token', '127.0.0.1:8123'],
		['http://localhost:9000/cb?x=1', 'http://localhost:9000/cb?x=1', 'localhost:9000'],
		['http://[::1]:7000/cb', 'http://localhost:7000/cb', '[::1]:7000'],
		['http://LOCALHOST:80/#frag', 'http://localhost/', 'localhost'],
	])('accepts %s', (input, deliverUrl, display) => {
		expect(parseLoopbackCallback(input)).toMatchObject({ ok: true, deliverUrl, display });
	});

	it.each([
		['https://127.0.0.1:8123/', /http:\/\//],
		['http://evil.example:8123/', /not on this computer/],
		['http://127.0.0.2:8123/', /not on this computer/],
		['http://user:pw@127.0.0.1:1/', /credentials/],
		['javascript:alert(1)', /http:\/\//],
		['not a url', /not a URL/],
	])('refuses %s', (input, reason) => {
		const result = parseLoopbackCallback(input);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.reason).toMatch(reason);
	});
});
