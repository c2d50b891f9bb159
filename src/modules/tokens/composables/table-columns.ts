/**
 * Which columns of the token table fit the width it has, so every row's name and actions stay on
 * screen without horizontal scrolling (a laptop beside Directus's navigation has ~600 px). Details that
 * do not fit are on the token's own page. Pure.
 */

export interface ColumnSpec {
	value: string;
	text: string;
	/** Pixels (the table's grid is fixed-width per column). */
	width: number;
	/** Lower comes first when space is short; the first column is always shown. */
	priority: number;
	/** Grows into what is left, up to this many pixels (the name column). */
	maxWidth?: number;
}

export interface Column {
	text: string;
	value: string;
	width: number;
}

/**
 * The columns that fit in `available` pixels after `reserved` (the actions and the table's spacer), in
 * their display order; the growable column takes the leftover room.
 *
 * @example
 * ```ts
 * fitColumns([{ value: 'name', text: 'Name', width: 160, priority: 0, maxWidth: 360 }, { value: 'hint', text: 'Token', width: 110, priority: 1 }], 400, 120);
 * // → [{ value: 'name', width: 170, … }, { value: 'hint', width: 110, … }]
 * ```
 */
export function fitColumns(specs: readonly ColumnSpec[], available: number, reserved: number): Column[] {
	const byPriority = [...specs].sort((a, b) => a.priority - b.priority);
	const chosen = new Set<ColumnSpec>();
	let used = reserved;
	for (const spec of byPriority) {
		if (chosen.size > 0 && used + spec.width > available) continue;
		chosen.add(spec);
		used += spec.width;
	}
	let spare = Math.max(0, available - used);
	return specs
		.filter((spec) => chosen.has(spec))
		.map((spec) => {
			let width = spec.width;
			if (spec.maxWidth !== undefined && spare > 0) {
				const grow = Math.min(spare, spec.maxWidth - spec.width);
				if (grow > 0) {
					width += grow;
					spare -= grow;
				}
			}
			return { text: spec.text, value: spec.value, width };
		});
}

/** Room the row actions take: buttons of 28 px and their gaps, the cells' padding and the spacer's. */
export function actionsWidth(buttons: number): number {
	return buttons * 30 + 40;
}

type Variant = 'mine' | 'admin' | 'admin-anonymous' | 'only-anonymous';

const NAME: ColumnSpec = { value: 'name', text: 'Name', width: 150, priority: 0, maxWidth: 320 };

/**
 * The candidate columns of each list, with their priorities: "My tokens" keeps expiry and last use
 * first; "All tokens" the owner and kind; a list of only anonymous tokens its subject, tier, issuer.
 *
 * @example
 * ```ts
 * fitColumns(tokenColumns('mine'), 600, actionsWidth(3));
 * ```
 */
export function tokenColumns(variant: Variant): ColumnSpec[] {
	const hint = (priority: number): ColumnSpec => ({ value: 'hint', text: 'Token', width: 110, priority });
	const scopes = (priority: number): ColumnSpec => ({ value: 'scopes', text: 'Scopes', width: 130, priority });
	const origins = (priority: number): ColumnSpec => ({ value: 'origins', text: 'Origins', width: 150, priority });
	const expires = (priority: number): ColumnSpec => ({ value: 'expiration', text: 'Expires', width: 170, priority });
	const lastUsed = (priority: number): ColumnSpec => ({ value: 'last_access', text: 'Last used', width: 110, priority });
	const created = (priority: number): ColumnSpec => ({ value: 'creation_time', text: 'Created', width: 110, priority });
	const kind = (priority: number): ColumnSpec => ({ value: 'kind', text: 'Kind', width: 110, priority });
	const subject = (priority: number): ColumnSpec => ({ value: 'subject', text: 'Subject', width: 150, priority });
	const tier = (priority: number): ColumnSpec => ({ value: 'tier', text: 'Tier', width: 90, priority });
	const issuer = (priority: number): ColumnSpec => ({ value: 'issuer', text: 'Issuer', width: 150, priority });
	switch (variant) {
		case 'mine':
			return [NAME, hint(3), scopes(4), origins(6), expires(1), lastUsed(2), created(5)];
		case 'only-anonymous':
			return [NAME, kind(6), subject(1), tier(2), issuer(3), lastUsed(4), hint(5), scopes(7), expires(8), created(9)];
		case 'admin-anonymous':
			return [
				NAME,
				{ value: 'owner', text: 'Owner', width: 180, priority: 1 },
				kind(2),
				{ value: 'app', text: 'App', width: 120, priority: 9 },
				subject(4),
				tier(6),
				issuer(7),
				hint(8),
				scopes(10),
				origins(12),
				expires(3),
				lastUsed(5),
				created(11),
			];
		default:
			return [
				NAME,
				{ value: 'owner', text: 'Owner', width: 180, priority: 1 },
				kind(2),
				{ value: 'app', text: 'App', width: 120, priority: 6 },
				hint(5),
				scopes(7),
				origins(9),
				expires(3),
				lastUsed(4),
				created(8),
			];
	}
}
