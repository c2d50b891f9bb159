/**
 * Grace periods offered when regenerating a token: how long the old secret keeps working.
 */
const CANDIDATES: Array<[number, string]> = [
	[0, 'No grace period: stop at once'],
	[15 * 60, '15 minutes'],
	[3600, '1 hour'],
	[6 * 3600, '6 hours'],
	[86_400, '24 hours'],
	[7 * 86_400, '7 days'],
];

/**
 * The choices up to the server's maximum (`API_TOKENS_MAX_GRACE`), which is always offered itself.
 *
 * @example
 * ```ts
 * graceOptions(3600).map((o) => o.value); // [0, 900, 3600]
 * ```
 */
export function graceOptions(maxSeconds: number): Array<{ value: number; text: string }> {
	const options = CANDIDATES.filter(([seconds]) => seconds <= maxSeconds).map(([value, text]) => ({ value, text }));
	if (maxSeconds > 0 && !options.some((option) => option.value === maxSeconds)) options.push({ value: maxSeconds, text: `${formatSeconds(maxSeconds)} (the maximum)` });
	return options;
}

function formatSeconds(seconds: number): string {
	if (seconds % 86_400 === 0) return `${seconds / 86_400} days`;
	if (seconds % 3600 === 0) return `${seconds / 3600} hours`;
	if (seconds % 60 === 0) return `${seconds / 60} minutes`;
	return `${seconds} seconds`;
}
