/**
 * Admins manage the front-end apps that may mint app tokens (`/api-tokens/apps`), from the module's
 * "Apps" page or over HTTP: list, register, change, remove. Each change runs in one transaction with
 * the revocations it causes (disabling or removing an app revokes its tokens).
 */
import type { Response, Router } from 'express';
import type { Actor, Result } from '../../core/token-service.js';
import type { Runtime, TransactionServices } from '../../directus/runtime.js';
import { authed, type DirectusRequest } from './authed.js';
import { sendFailure } from './http-errors.js';

export function registerAppAdminRoutes(router: Router, getRuntime: () => Runtime): void {
	/** Runs `work` in a transaction; `send` answers once it has committed, a refusal answers its 4xx. */
	const transactional = <T>(work: (apps: TransactionServices['apps'], req: DirectusRequest, actor: Actor) => Promise<Result<T>>, send: (res: Response, value: T) => void) =>
		authed(async (req, res, actor) => {
			const result = await getRuntime().inTransaction((tx) => work(tx.apps, req, actor), (value) => send(res, value));
			if (!result.ok) sendFailure(res, result);
		});

	router.get('/apps', transactional((apps, _req, actor) => apps.list(actor), (res, list) => res.json({ apps: list })));
	router.post('/apps', transactional((apps, req, actor) => apps.create(actor, req.body), (res, app) => res.status(201).json(app)));
	router.patch('/apps/:id', transactional((apps, req, actor) => apps.update(actor, String(req.params.id), req.body), (res, app) => res.json(app)));
	router.delete('/apps/:id', transactional((apps, req, actor) => apps.remove(actor, String(req.params.id)), (res) => res.status(204).end()));
}
