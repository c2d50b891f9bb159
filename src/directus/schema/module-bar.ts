/**
 * Custom modules show in Directus's module bar only once the project settings list them: the
 * schema lists ours before Settings on install, and removes it on uninstall.
 */
import type { Knex } from 'knex';
import { MODULE_ID } from '../../shared/constants.js';

interface ModuleBarEntry {
	type: string;
	id: string;
	enabled?: boolean;
	[key: string]: unknown;
}

/** Directus 12's default module bar, in effect while a project never customised it (`module_bar` null). */
const DEFAULT_MODULE_BAR: ModuleBarEntry[] = [
	{ type: 'module', id: 'content', enabled: true },
	{ type: 'module', id: 'visual', enabled: false },
	{ type: 'module', id: 'users', enabled: true },
	{ type: 'module', id: 'files', enabled: true },
	{ type: 'module', id: 'insights', enabled: true },
	{ type: 'module', id: 'flows', enabled: true },
	{ type: 'module', id: 'deployments', enabled: false },
	{ type: 'link', id: 'docs', enabled: true, name: '$t:documentation', icon: 'help', url: 'https://directus.com/docs' },
	{ type: 'module', id: 'settings', enabled: true, locked: true },
];

function parse(value: unknown): ModuleBarEntry[] | null {
	if (!value) return null;
	const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
	return Array.isArray(parsed) ? (parsed as ModuleBarEntry[]) : null;
}

/** Lists our module before Settings (an admin who later hides or moves it is left alone: it is listed already). */
export async function showModule(db: Knex): Promise<void> {
	const settings = await db('directus_settings').select('id', 'module_bar').first();
	const current = parse(settings?.module_bar) ?? DEFAULT_MODULE_BAR;
	if (current.some((entry) => entry.id === MODULE_ID)) return;
	const next = [...current];
	const settingsIndex = next.findIndex((entry) => entry.id === 'settings');
	next.splice(settingsIndex === -1 ? next.length : settingsIndex, 0, { type: 'module', id: MODULE_ID, enabled: true });
	if (settings) await db('directus_settings').where({ id: settings.id }).update({ module_bar: JSON.stringify(next) });
	else await db('directus_settings').insert({ module_bar: JSON.stringify(next) });
}

/** Takes our module out again; back to "never customised" when we were the only change. */
export async function hideModule(db: Knex): Promise<void> {
	const settings = await db('directus_settings').select('id', 'module_bar').first();
	const current = parse(settings?.module_bar);
	if (!settings || !current) return;
	const next = current.filter((entry) => entry.id !== MODULE_ID);
	const untouched = JSON.stringify(next) === JSON.stringify(DEFAULT_MODULE_BAR);
	await db('directus_settings').where({ id: settings.id }).update({ module_bar: untouched ? null : JSON.stringify(next) });
}
