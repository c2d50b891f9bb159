/** Types of the README's chat-bot example, for the test that runs it. */
export const tokens: Map<string, string>;
export function connect(dashboard: string, installation: string, reply: (text: string) => unknown, options?: { clientId?: string; scope?: string }): Promise<unknown>;
