const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Parses `90d`, `12h`, `30m`, `45s` or plain seconds (`3600`) into milliseconds; `never` into `null`.
 * Returns `undefined` for anything else.
 *
 * @example
 * ```ts
 * parseDuration('1d'); // 86_400_000
 * parseDuration('never'); // null
 * ```
 */
export function parseDuration(text: string): number | null | undefined {
	const value = text.trim().toLowerCase();
	if (value === 'never') return null;
	const match = /^(\d{1,9})([smhd]?)$/.exec(value);
	if (!match) return undefined;
	const amount = Number(match[1]);
	if (amount <= 0) return undefined;
	return amount * (UNITS[match[2] || 's'] ?? 1_000);
}
