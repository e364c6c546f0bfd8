import { runMigrationsMain } from '@repovault/platform/database';
import { orgDataSourceSpec } from './database/org-data-source';

runMigrationsMain('org-service', orgDataSourceSpec);
