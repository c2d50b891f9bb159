/** Types of the README's device-flow CLI example, for the test that runs it. */
export function login(dashboardUrl: string, options?: { clientId?: string; scope?: string; print?: (line: string) => void }): Promise<string>;
