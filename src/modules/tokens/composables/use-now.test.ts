// @vitest-environment happy-dom
/* eslint-disable vue/one-component-per-file -- small host components that mount the composables under test */
import { describe, expect, it, vi } from 'vitest';
import { mount } from '@vue/test-utils';
import { defineComponent, h, ref } from 'vue';
import { useNow } from './use-now.js';
import { useClipboard } from './use-clipboard.js';
import { injectTokenForm, provideTokenForm, useTokenForm } from './use-token-form.js';
import type { TokenServerConfig } from '../types.js';

describe('composables inside components', () => {
	it('useNow ticks while mounted and stops when the page is left', () => {
		vi.useFakeTimers();
		const start = Date.now();
		let now!: ReturnType<typeof useNow>;
		const wrapper = mount(defineComponent({ setup: () => ((now = useNow(1000)), () => h('time', now.value.toISOString())) }));
		vi.advanceTimersByTime(3000);
		expect(now.value.getTime()).toBeGreaterThanOrEqual(start + 3000);
		wrapper.unmount();
		const last = now.value.getTime();
		vi.advanceTimersByTime(5000);
		expect(now.value.getTime()).toBe(last);
		expect(vi.getTimerCount()).toBe(0);
		vi.useRealTimers();
	});

	it('useClipboard clears its "Copied" timer on unmount', async () => {
		vi.useFakeTimers();
		let clipboard!: ReturnType<typeof useClipboard>;
		const wrapper = mount(defineComponent({ setup: () => ((clipboard = useClipboard({ clipboard: () => ({ writeText: async () => undefined }) })), () => h('span')) }));
		await clipboard.copy('x');
		expect(vi.getTimerCount()).toBe(1);
		wrapper.unmount();
		expect(vi.getTimerCount()).toBe(0);
		vi.useRealTimers();
	});

	it('a page provides its token form to the field components', () => {
		const config = ref({ scopes: ['read'], systemScopes: [], maxTtlSeconds: { personal: 86_400, app: 86_400, service: null }, defaultTtlSeconds: 86_400 } as unknown as TokenServerConfig);
		const Field = defineComponent({ setup: () => { const { name } = injectTokenForm(); return () => h('input', { value: name.value }); } });
		const Page = defineComponent({
			setup: () => {
				const form = useTokenForm(config);
				form.name.value = 'From the page';
				provideTokenForm(form);
				return () => h(Field);
			},
		});
		expect(mount(Page).get('input').element.value).toBe('From the page');
		expect(() => mount(Field)).toThrow(/no token form/);
	});
});
