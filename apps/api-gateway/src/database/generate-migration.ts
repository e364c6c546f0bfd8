import { generateMigration } from '@repovault/platform/database';
import { gatewayDataSourceSpec } from './gateway-data-source';

const [name, outputDir] = process.argv.slice(2);
generateMigration({
  spec: gatewayDataSourceSpec,
  scratchDatabaseUrl: `postgres://postgres@127.0.0.1:5432/repovault_migration_scratch_${Date.now()}`,
  name: name ?? 'Change',
  outputDir: outputDir ?? __dirname,
})
  .then((file) => process.stdout.write(file ? `wrote ${file}\n` : 'entities and migrations already agree\n'))
  .catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  });
