/** Types of the README's CLI example, for the browser test that runs it. */
export function receiveToken(dashboardUrl: string, options?: { name?: string; scopes?: string[]; host?: string; onLink?: (line: string) => void }): Promise<string>;
