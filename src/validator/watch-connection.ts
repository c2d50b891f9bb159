/**
 * For services that hold connections open (WebSocket, SSE): a connection opened with a token lives
 * only as long as the token does. `watchConnection` checks the token again whenever the validator
 * hears that it, or every token of its owner, may have changed (revoked, regenerated, a user reset,
 * the owner suspended; pushed at once, or seen by the next sync), and when it expires; the first
 * time it is no longer live for the connection's request, `onEnd` gets the reason, once.
 */
import type { TokenChange, TokenValidator } from './create-token-validator.js';
import type { ValidateOptions, ValidationResult, ValidToken } from './types.js';
import type { ValidationFailureCode } from '../core/errors.js';

export interface WatchOptions extends ValidateOptions {
	/** Called once, when the token stops being live for this connection (close the socket here). */
	onEnd(code: ValidationFailureCode): void;
}

export interface ConnectionWatch {
	/** The token, as the last check found it. */
	readonly token: ValidToken;
	/** Stops watching (call it when the connection closes for another reason). */
	stop(): void;
}

/**
 * @example
 * ```ts
 * wss.on('connection', async (socket, req) => {
 *   const watch = await watchConnection(validator, bearerToken(req.headers), { scopes: ['live'], origin: req.headers.origin, onEnd: (code) => socket.close(4401, code) });
 *   if (!watch.ok) return socket.close(4401, watch.code);
 *   socket.on('close', () => watch.value.stop());
 * });
 * ```
 */
export async function watchConnection(validator: TokenValidator, bearer: unknown, { onEnd, ...request }: WatchOptions): Promise<{ ok: true; value: ConnectionWatch } | { ok: false; code: ValidationFailureCode }> {
	const first = await validator.validate(bearer, request);
	if (!first.valid) return { ok: false, code: first.code };
	let token = first.token;
	let ended = false;
	let expiry: ReturnType<typeof setTimeout> | null = null;

	const end = (code: ValidationFailureCode) => {
		if (ended) return;
		ended = true;
		stop();
		onEnd(code);
	};
	const check = async () => {
		if (ended) return;
		const result: ValidationResult = await validator.validate(bearer, request);
		// `unavailable`: the database cannot tell now; the connection goes on until it can.
		if (!result.valid && result.code !== 'unavailable') return end(result.code);
		if (result.valid) {
			token = result.token;
			armExpiry();
		}
	};
	const concerns = (change: TokenChange) => change.tokenIds.includes(token.id) || (change.userId !== null && change.userId === token.userId);
	const unsubscribe = validator.onTokenChange((change) => {
		if (concerns(change)) void check();
	});
	function armExpiry() {
		if (expiry) clearTimeout(expiry);
		expiry = null;
		if (token.expiresAt === null) return;
		// Timers hold at most 2^31-1 ms (about 24.8 days); a later expiry is checked again then.
		const wait = Math.min(Math.max(0, token.expiresAt.getTime() - Date.now()), 2 ** 31 - 1);
		expiry = setTimeout(() => void check(), wait);
		expiry.unref?.();
	}
	function stop() {
		unsubscribe();
		if (expiry) clearTimeout(expiry);
		expiry = null;
	}
	armExpiry();
	return {
		ok: true,
		value: {
			get token() {
				return token;
			},
			stop() {
				ended = true;
				stop();
			},
		},
	};
}
