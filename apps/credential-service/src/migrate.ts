import { runMigrationsMain } from '@repovault/platform/database';
import { credentialDataSourceSpec } from './database/credential-data-source';

runMigrationsMain('credential-service', credentialDataSourceSpec);
