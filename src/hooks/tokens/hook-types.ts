/**
 * The slice of Directus's hook registration API our handlers use. Directus types payloads loosely
 * (`any`), and so do these; each handler narrows what it reads.
 */
import type { Application } from 'express';
import type { Knex } from 'knex';

/* eslint-disable @typescript-eslint/no-explicit-any */
export interface HookContext {
	accountability: { user?: string | null; admin?: boolean } | null;
	/** The transaction the event runs in, when there is one; else Directus's database handle. */
	database: Knex;
}
export type RegisterFilter = (event: string, handler: (payload: any, meta: Record<string, any>, context: HookContext) => unknown) => void;
export type RegisterAction = (event: string, handler: (meta: Record<string, any>, context: HookContext) => void | Promise<void>) => void;
/* eslint-enable @typescript-eslint/no-explicit-any */
export type RegisterSchedule = (cron: string, handler: () => void | Promise<void>) => void;
export type RegisterInit = (event: string, handler: (meta: { app: Application; program: CliProgram }) => void | Promise<void>) => void;

/** The part of commander's `Command` that `cli.before` hands hooks. */
export interface CliProgram {
	command(name: string): CliProgram;
	description(text: string): CliProgram;
	option(flags: string, description: string): CliProgram;
	action(handler: (options: Record<string, unknown>) => void | Promise<void>): CliProgram;
}
