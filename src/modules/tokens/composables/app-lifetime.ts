/**
 * App token lifetimes as admins read and type them: "1 day", "12 hours", "90 minutes". The API
 * stores seconds (`ttl`); the form edits a number and a unit. Pure.
 */

export type LifetimeUnit = 'seconds' | 'minutes' | 'hours' | 'days';

export interface Lifetime {
	amount: number;
	unit: LifetimeUnit;
}

export const UNIT_SECONDS: Readonly<Record<LifetimeUnit, number>> = { seconds: 1, minutes: 60, hours: 3_600, days: 86_400 };

/** Largest first, so a lifetime is shown in the largest unit that divides it. */
const UNITS_DESCENDING: readonly LifetimeUnit[] = ['days', 'hours', 'minutes', 'seconds'];

/** The server refuses anything shorter (`ttl` ≥ 60 s). */
export const MIN_TTL_SECONDS = 60;

/**
 * A number of seconds as the largest unit that holds it exactly.
 *
 * @example
 * ```ts
 * splitLifetime(86_400); // { amount: 1, unit: 'days' }
 * splitLifetime(5_400);  // { amount: 90, unit: 'minutes' }
 * ```
 */
export function splitLifetime(seconds: number): Lifetime {
	for (const unit of UNITS_DESCENDING) {
		const size = UNIT_SECONDS[unit];
		if (seconds >= size && seconds % size === 0) return { amount: seconds / size, unit };
	}
	return { amount: seconds, unit: 'seconds' };
}

/** Seconds of an amount and unit (what `ttl` is sent as). */
export function lifetimeSeconds({ amount, unit }: Lifetime): number {
	return amount * UNIT_SECONDS[unit];
}

/**
 * @example
 * ```ts
 * formatLifetime(86_400); // '1 day'
 * formatLifetime(43_200); // '12 hours'
 * formatLifetime(5_400);  // '90 minutes'
 * ```
 */
export function formatLifetime(seconds: number): string {
	const { amount, unit } = splitLifetime(seconds);
	return `${amount} ${amount === 1 ? unit.slice(0, -1) : unit}`;
}

/**
 * The units the lifetime field offers: minutes, hours and days; seconds only for a lifetime that
 * is no whole number of minutes (one set over the API), so editing it shows what is stored.
 */
export function lifetimeUnits(current: LifetimeUnit): Array<{ text: string; value: LifetimeUnit }> {
	const units: LifetimeUnit[] = current === 'seconds' ? ['seconds', 'minutes', 'hours', 'days'] : ['minutes', 'hours', 'days'];
	return units.map((unit) => ({ text: unit, value: unit }));
}
