/**
 * Answers with a freshly issued plaintext so that a crash mid-request never leaves a client holding
 * a token without its row: the change (token row, revocations, audit rows) is one transaction, and
 * the answer is written only once the database has acknowledged the COMMIT, with nothing awaited in
 * between. So every reader (this Directus, other instances, validators) finds a token from the
 * moment its owner can know it: a new token works at once.
 *
 * The other half, "no row without a reveal", cannot be had together with that: answering before the
 * commit is acknowledged (measured: it removes the orphan rows) lets the owner use the token before
 * others can see it. A crash between the acknowledgement and the answer (the event loop's delay, a
 * few milliseconds under load) leaves a row whose secret nobody saw: it authenticates no one, shows
 * as never used in its owner's list, and can be revoked there. `test/crash-during-issuance.test.ts`
 * kills Directus mid-issuance and counts both cases.
 */
import type { Response } from 'express';
import type { Result } from '../../core/token-service.js';
import type { Runtime, TransactionServices } from '../../directus/runtime.js';
import { sendFailure } from './http-errors.js';

export async function revealOnce<T>(res: Response, runtime: Runtime, status: 200 | 201, issue: (tx: TransactionServices) => Promise<Result<T>>): Promise<void> {
	const result = await runtime.inTransaction(issue, (value) => {
		res.status(status).set('cache-control', 'no-store').json(value);
	});
	if (!result.ok) sendFailure(res, result);
}
