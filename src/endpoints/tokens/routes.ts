import type { Router } from 'express';
import type { Runtime } from '../../directus/runtime.js';
import { authed } from './authed.js';
import { publicConfig } from './public-config.js';
import { sendFailure } from './http-errors.js';
import { tokenApiOpenApi } from './openapi.js';
import { revealOnce } from './reveal-once.js';

/**
 * The token API, mounted at `/api-tokens` (shapes after the GNU Taler token API). Routes with fixed
 * names come before `/:id`.
 */
export function registerTokenRoutes(router: Router, getRuntime: () => Runtime): void {
	router.get('/openapi.json', (_req, res) => {
		res.json(tokenApiOpenApi);
	});

	router.get(
		'/config',
		authed(async (_req, res) => {
			res.json(publicConfig(getRuntime().config));
		}),
	);

	router.post(
		'/',
		authed((req, res, actor) => revealOnce(res, getRuntime(), 201, (tx) => tx.service.create(actor, req.body))),
	);

	router.get(
		'/',
		authed(async (req, res, actor) => {
			const result = await getRuntime().service.list(actor, req.query);
			if (!result.ok) return sendFailure(res, result);
			if (result.value.length === 0) {
				res.status(204).end();
				return;
			}
			res.json({ tokens: result.value });
		}),
	);

	router.post(
		'/reset',
		authed(async (req, res, actor) => {
			// `{user}`: every token of a user; `{subject}`: every anonymous token of a subject.
			const body = (req.body ?? {}) as { user?: unknown; subject?: unknown };
			const service = getRuntime().service;
			const result = body.subject !== undefined && body.user === undefined ? await service.resetSubject(actor, body.subject) : await service.reset(actor, body.user);
			if (!result.ok) return sendFailure(res, result);
			res.json(result.value);
		}),
	);

	router.delete(
		'/self',
		authed(async (_req, res, actor) => {
			const result = await getRuntime().service.revokeSelf(actor);
			if (!result.ok) return sendFailure(res, result);
			res.status(204).end();
		}),
	);

	router.get(
		'/:id',
		authed(async (req, res, actor) => {
			const result = await getRuntime().service.get(actor, String(req.params.id));
			if (!result.ok) return sendFailure(res, result);
			res.json(result.value);
		}),
	);

	router.get(
		'/:id/events',
		authed(async (req, res, actor) => {
			const result = await getRuntime().service.history(actor, String(req.params.id));
			if (!result.ok) return sendFailure(res, result);
			res.json({ events: result.value });
		}),
	);

	router.patch(
		'/:id',
		authed(async (req, res, actor) => {
			const result = await getRuntime().service.update(actor, String(req.params.id), req.body);
			if (!result.ok) return sendFailure(res, result);
			res.json(result.value);
		}),
	);

	router.delete(
		'/:id',
		authed(async (req, res, actor) => {
			const result = await getRuntime().service.revoke(actor, String(req.params.id));
			if (!result.ok) return sendFailure(res, result);
			res.status(204).end();
		}),
	);

	router.post(
		'/:id/regenerate',
		authed((req, res, actor) => revealOnce(res, getRuntime(), 200, (tx) => tx.service.regenerate(actor, String(req.params.id), req.body))),
	);

	router.post(
		'/:id/refresh',
		authed((req, res, actor) => revealOnce(res, getRuntime(), 201, (tx) => tx.service.refresh(actor, String(req.params.id)))),
	);
}
