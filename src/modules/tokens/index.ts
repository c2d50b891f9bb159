import { defineModule } from '@directus/extensions-sdk';
import { MODULE_ID } from '../../shared/constants.js';
import TokenListPage from './routes/token-list-page.vue';
import TokenNewPage from './routes/token-new-page.vue';
import TokenAdminPage from './routes/token-admin-page.vue';
import TokenAppsPage from './routes/token-apps-page.vue';
import TokenDevicePage from './routes/token-device-page.vue';
import TokenDeviceClientsPage from './routes/token-device-clients-page.vue';
import TokenPage from './routes/token-page.vue';

export default defineModule({
	id: MODULE_ID,
	name: 'API Tokens',
	icon: 'key',
	routes: [
		{ path: '', component: TokenListPage },
		{ path: 'new', component: TokenNewPage },
		{ path: 'all', component: TokenAdminPage },
		{ path: 'apps', component: TokenAppsPage },
		{ path: 'device', component: TokenDevicePage },
		{ path: 'device-clients', component: TokenDeviceClientsPage },
		// One token; fixed paths above win over it.
		{ path: ':id', component: TokenPage, props: true },
	],
});
