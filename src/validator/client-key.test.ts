import { describe, expect, it } from 'vitest';
import { clientKey } from './client-key.js';

describe('clientKey', () => {
	it.each([
		['203.0.113.9', 'ip4:203.0.113.9'],
		['::ffff:203.0.113.9', 'ip4:203.0.113.9'],
		['2001:db8:1:2:aaaa:bbbb:cccc:dddd', 'ip6:2001:db8:1:2'],
		['2001:db8:1:2::1', 'ip6:2001:db8:1:2'],
		['2001:0db8:0001:0002:ffff::', 'ip6:2001:db8:1:2'],
		['2001:db8::1', 'ip6:2001:db8:0:0'],
		['::1', 'ip6:0:0:0:0'],
		['fe80::1%eth0', 'ip6:fe80:0:0:0'],
	])('%s → %s', (address, key) => {
		expect(clientKey(address)).toBe(key);
	});
	it('groups one /64 and separates the next', () => {
		expect(clientKey('2001:db8:1:2::a')).toBe(clientKey('2001:db8:1:2:ffff::b'));
		expect(clientKey('2001:db8:1:2::a')).not.toBe(clientKey('2001:db8:1:3::a'));
	});
});
