import { defineModule } from '@directus/extensions-sdk';
import { MODULE_ID } from '../../shared/constants.js';
import TokenListPage from './routes/token-list-page.vue';

export default defineModule({
	id: MODULE_ID,
	name: 'API Tokens',
	icon: 'key',
	routes: [{ path: '', component: TokenListPage }],
});
