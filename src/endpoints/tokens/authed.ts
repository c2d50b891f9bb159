import type { NextFunction, Request, Response } from 'express';
import type { Actor } from '../../core/token-service.js';
import type { ActorToken } from '../../core/minting-limits.js';
import { sendError } from './http-errors.js';

export interface DirectusRequest extends Request {
	accountability?: { user?: string | null; admin?: boolean } | null;
	/** Set by our `authenticate` filter when the request carried one of our tokens. */
	apiToken?: ActorToken;
}

/** The signed-in actor, or a 401 already sent. */
function actorOf(req: DirectusRequest, res: Response): Actor | null {
	const user = req.accountability?.user;
	if (!user) {
		sendError(res, 401, 'unauthenticated', 'Sign in (or send a token with the directus scope) to use the token API.');
		return null;
	}
	return { userId: user, admin: req.accountability?.admin === true, token: req.apiToken ?? null };
}

type Handler = (req: DirectusRequest, res: Response, actor: Actor) => Promise<void>;

/** An authenticated route; an unexpected error goes to Directus's error handler (never a stack to the client). */
export const authed = (handler: Handler) => (req: Request, res: Response, next: NextFunction) => {
	const actor = actorOf(req as DirectusRequest, res);
	if (!actor) return;
	handler(req as DirectusRequest, res, actor).catch(next);
};
