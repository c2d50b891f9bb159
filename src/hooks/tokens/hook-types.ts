/**
 * The slice of Directus's hook registration API our handlers use. Directus types payloads loosely
 * (`any`), and so do these; each handler narrows what it reads.
 */
import type { Knex } from 'knex';

/* eslint-disable @typescript-eslint/no-explicit-any */
export interface HookContext {
	accountability: { user?: string | null; admin?: boolean } | null;
	database: Knex;
}
export type RegisterFilter = (event: string, handler: (payload: any, meta: Record<string, any>, context: HookContext) => unknown) => void;
export type RegisterAction = (event: string, handler: (meta: Record<string, any>, context: HookContext) => void | Promise<void>) => void;
/* eslint-enable @typescript-eslint/no-explicit-any */
export type RegisterSchedule = (cron: string, handler: () => void | Promise<void>) => void;
