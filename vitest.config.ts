import { defineConfig } from 'vitest/config';

export default defineConfig({
	test: {
		projects: [
			{
				test: {
					name: 'unit',
					include: ['src/**/*.test.ts'],
					environment: 'node',
				},
			},
			{
				test: {
					name: 'integration',
					include: ['test/**/*.test.ts'],
					environment: 'node',
					globalSetup: ['test/report-setup.ts'],
					// Each file boots its own Directus: give it room, and keep two cores from thrashing.
					testTimeout: 60_000,
					hookTimeout: 180_000,
					fileParallelism: false,
				},
			},
		],
	},
});
