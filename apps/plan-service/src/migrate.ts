import { runMigrationsMain } from '@repovault/platform/database';
import { planDataSourceSpec } from './database/plan-data-source';

runMigrationsMain('plan-service', planDataSourceSpec);
