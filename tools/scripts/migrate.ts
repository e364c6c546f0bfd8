/** `npm run db:migrate`: applies every service's migrations (DATABASE_URL or the local default). */
import { APP_NAMES, migrateAll } from '@repovault/testing/support';

const url = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/repovault';
migrateAll(url);
process.stdout.write(`migrated ${APP_NAMES.join(', ')} on ${new URL(url).pathname.slice(1)}\n`);
