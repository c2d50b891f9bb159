/** An error whose message is meant for a person at a terminal: printed as one line, no stack. */
export class StartupError extends Error {
	name = 'StartupError';
}
