import { isIPv4, isIPv6 } from 'node:net';

/**
 * The rate-limit key of an anonymous client: its IPv4 address, or the /64 network of an IPv6 one
 * (one subscriber usually owns a whole /64, so per-address limits would be trivial to dodge).
 *
 * @example
 * ```ts
 * clientKey('2001:db8:1:2:aaaa::1'); // 'ip6:2001:db8:1:2'
 * clientKey('::ffff:203.0.113.9');   // 'ip4:203.0.113.9'
 * ```
 */
export function clientKey(address: string): string {
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
	if (mapped) return `ip4:${mapped[1]}`;
	if (isIPv4(address)) return `ip4:${address}`;
	if (!isIPv6(address)) return `other:${address.slice(0, 64)}`;
	const [head = '', tail = ''] = address.toLowerCase().split('%')[0]!.split('::');
	const left = head ? head.split(':') : [];
	const right = address.includes('::') && tail ? tail.split(':') : [];
	const groups = address.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
	return `ip6:${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}`;
}
