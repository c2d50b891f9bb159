// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { useClipboard } from './use-clipboard.js';

describe('useClipboard', () => {
	it('says Copied for a moment, and says so when the browser refuses', async () => {
		vi.useFakeTimers();
		const written: string[] = [];
		const ok = useClipboard({ resetAfterMs: 1000, clipboard: () => ({ writeText: async (text: string) => void written.push(text) }) });
		expect(await ok.copy('dtp_x')).toBe(true);
		expect(written).toEqual(['dtp_x']);
		expect(ok.copied.value).toBe(true);
		vi.advanceTimersByTime(1000);
		expect(ok.copied.value).toBe(false);
		vi.useRealTimers();

		const refused = useClipboard({ clipboard: () => ({ writeText: async () => Promise.reject(new Error('denied')) }) });
		expect(await refused.copy('dtp_x')).toBe(false);
		expect(refused.failed.value).toBe(true);
	});
});
