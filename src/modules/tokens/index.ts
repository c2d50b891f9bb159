import { defineModule } from '@directus/extensions-sdk';
import { MODULE_ID } from '../../shared/constants.js';
import TokenListPage from './routes/token-list-page.vue';
import TokenNewPage from './routes/token-new-page.vue';
import TokenAdminPage from './routes/token-admin-page.vue';

export default defineModule({
	id: MODULE_ID,
	name: 'API Tokens',
	icon: 'key',
	routes: [
		{ path: '', component: TokenListPage },
		{ path: 'new', component: TokenNewPage },
		{ path: 'all', component: TokenAdminPage },
	],
});
