/**
 * The expiry of a token approved for a device: a date, from today to the last day the client's
 * longest lifetime allows, starting on the day the server proposes. The date stands for the end of
 * that local day, except on the two days the server named: the proposed day keeps the server's own
 * default (nothing is sent, so clock skew cannot matter) and the last day ends at the server's
 * maximum (never after it). Any lifetime fits, minutes to years. Pure, with the clock passed in.
 */
import type { DeviceRequestInfo } from '../types.js';
import { endOfLocalDay, localDate } from './expiry.js';
import { exactTime } from './format-time.js';

export type ProposedExpiry = DeviceRequestInfo['token'];

export interface ExpiryDateRange {
	/** Today: `min` of the date input. */
	min: string;
	/** The local day of the server's maximum: `max` of the date input. */
	max: string;
	/** The local day of the server's default: where the field starts. */
	initial: string;
}

export type ApprovalExpiry =
	/** `expires_at` to send, or none to keep the server's default. */
	| { ok: true; at: Date; expiresAt?: string }
	| { ok: false; problem: string };

/**
 * @example
 * ```ts
 * expiryDateRange({ default_expires_at: '2027-03-04T10:00:00Z', max_expires_at: '2027-12-04T10:00:00Z', name }, now);
 * // { min: '2026-12-04', max: '2027-12-04', initial: '2027-03-04' } (in a UTC browser)
 * ```
 */
export function expiryDateRange(token: ProposedExpiry, now: Date): ExpiryDateRange {
	return { min: localDate(now), max: localDate(new Date(token.max_expires_at)), initial: localDate(new Date(token.default_expires_at)) };
}

/**
 * When a token expiring on `date` ends, and what the approval sends for it.
 *
 * @example
 * ```ts
 * approvalExpiry('2027-03-04', token, now); // { ok: true, at: <the default> } (the proposed day: nothing sent)
 * approvalExpiry('2027-01-31', token, now); // { ok: true, at, expiresAt: '2027-01-31T23:59:59.999Z' }
 * approvalExpiry('2028-01-01', token, now); // { ok: false, problem: 'This device client’s tokens may last until …' }
 * ```
 */
export function approvalExpiry(date: string, token: ProposedExpiry, now: Date): ApprovalExpiry {
	const range = expiryDateRange(token, now);
	const end = endOfLocalDay(date);
	if (!end) return { ok: false, problem: 'Pick the date the token expires.' };
	if (date < range.min) return { ok: false, problem: 'The date must be today or later.' };
	if (date > range.max) return { ok: false, problem: `This device client’s tokens may last until ${exactTime(token.max_expires_at)} at the latest.` };
	if (date === range.initial) return { ok: true, at: new Date(token.default_expires_at) };
	if (date === range.max) return { ok: true, at: new Date(token.max_expires_at), expiresAt: token.max_expires_at };
	return { ok: true, at: end, expiresAt: end.toISOString() };
}
