import type { Request } from 'express';

/** The client's address as Directus sees it (its accountability follows `IP_TRUST_PROXY` and `IP_CUSTOM_HEADER`). */
export function clientIp(req: Request): string {
	const fromDirectus = (req as Request & { accountability?: { ip?: string | null } | null }).accountability?.ip;
	return fromDirectus || req.ip || req.socket.remoteAddress || '';
}
