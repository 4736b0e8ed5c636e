import 'reflect-metadata';
import { APP_CONFIG, type AppConfig } from '../../libs/config/index.js';
import { createApiApp } from './bootstrap.js';

const app = await createApiApp();
const config = app.get<AppConfig>(APP_CONFIG);
await app.listen(config.API_PORT, config.API_HOST);
