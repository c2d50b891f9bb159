/**
 * Shapes of the token API's request bodies (GNU Taler's token API, plus our fields), validated with
 * zod. Unknown fields are refused, so a client-supplied `hash`, `hint`, `token`, `user` or `kind`
 * never slips through.
 */
import { z } from 'zod';
import { isPlainText } from './plain-text.js';

const name = z
	.string()
	.trim()
	.min(1, 'name must not be empty')
	.max(100, 'name is at most 100 characters')
	.refine((text) => isPlainText(text), 'name must not contain control characters');
const description = z
	.string()
	.max(500, 'description is at most 500 characters')
	.refine((text) => isPlainText(text, { multiline: true }), 'description must not contain control characters')
	.nullable();
const stringList = z.array(z.string().max(300)).max(100);
/** Seconds, or `null` / `"forever"` for a token that never expires (service tokens only). */
const duration = z.union([z.number().int().positive().max(100 * 365 * 86_400), z.null(), z.literal('forever')]);
const expiresAt = z.union([z.iso.datetime({ offset: true }), z.null()]);

export const createTokenBody = z
	.object({
		name,
		description: description.optional(),
		scopes: stringList.optional(),
		origins: stringList.optional(),
		duration: duration.optional(),
		expires_at: expiresAt.optional(),
		refreshable: z.boolean().optional(),
		/** `service` (admins only) for machine tokens; app tokens come from `/api-tokens/app`. */
		kind: z.enum(['personal', 'service']).optional(),
	})
	.strict()
	.refine((body) => body.duration === undefined || body.expires_at === undefined, { message: 'give duration or expires_at, not both' });

export const updateTokenBody = z
	.object({
		name: name.optional(),
		description: description.optional(),
		scopes: stringList.optional(),
		origins: stringList.optional(),
		expires_at: expiresAt.optional(),
	})
	.strict();

/** `renew`: the new secret also gets a new expiry, the token's lifetime at creation counted from now (capped). */
export const regenerateTokenBody = z.object({ grace_seconds: z.number().int().min(0).optional(), renew: z.boolean().optional() }).strict();

export const listTokensQuery = z
	.object({
		delta: z.coerce.number().int().min(-1000).max(1000).refine((n) => n !== 0, 'delta must not be 0').optional(),
		// row_id is a 32-bit integer column: PostgreSQL refuses a larger bound outright (a 500, once).
		start: z.coerce.number().int().min(0).max(2_147_483_647).optional(),
		/** Admins: one user's tokens, or `all` for every user's. */
		user: z.union([z.uuid(), z.literal('all')]).optional(),
		include_hidden: z.enum(['true', 'false']).optional(),
		/** Revoked tokens too (still kept, see API_TOKENS_REVOKED_RETENTION); anyone, for their own. */
		include_revoked: z.enum(['true', 'false']).optional(),
		kind: z.enum(['personal', 'app', 'service', 'anonymous']).optional(),
		/** Admins: only anonymous tokens issued for this subject. */
		subject: z.string().min(1).max(200).optional(),
	})
	.strict();

/**
 * `POST /api-tokens/anonymous`. `subject` and `tier` are for trusted issuers only; `duration` (seconds)
 * may shorten the lifetime, never lengthen it past the anonymous maximum.
 */
export const anonymousTokenBody = z
	.object({
		subject: z
			.string()
			.min(1, 'subject must not be empty')
			.max(200, 'subject is at most 200 characters')
			.refine((text) => isPlainText(text), 'subject must not contain control characters')
			.optional(),
		tier: z.string().max(32, 'tier is at most 32 characters').optional(),
		duration: z.number().int().positive().max(100 * 365 * 86_400).optional(),
	})
	.strict();

export type CreateTokenBody = z.infer<typeof createTokenBody>;
export type UpdateTokenBody = z.infer<typeof updateTokenBody>;

/** The first problem of a zod failure as `{ field, message }`, for a 400 that names the field. */
export function firstIssue(error: z.ZodError): { field: string | null; message: string } {
	const issue = error.issues[0];
	if (!issue) return { field: null, message: 'invalid request' };
	const field = issue.path.length ? issue.path.join('.') : null;
	if (issue.code === 'unrecognized_keys') return { field: issue.keys[0] ?? null, message: `unknown field "${issue.keys.join('", "')}"` };
	return { field, message: field ? `${field}: ${issue.message}` : issue.message };
}
