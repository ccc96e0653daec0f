/** --data-dir / --database-url, shared by `serve` and the tenant commands (which work on the database
 *  directly, with or without a running server). */
import { Command, Option } from 'commander';

export interface StorageFlags {
  dataDir: string;
  databaseUrl?: string;
  postgresSchema?: string;
}

export function addStorageOptions(command: Command): Command {
  return command
    .addOption(new Option('--data-dir <dir>', 'directory of the embedded SQLite database').env('HPO_DATA_DIR').default('./.hpo-data'))
    .addOption(new Option('--database-url <url>', 'postgres://… to use PostgreSQL instead of SQLite').env('HPO_DATABASE_URL'))
    .addOption(new Option('--postgres-schema <name>', 'PostgreSQL schema (created if missing; default public)').env('HPO_POSTGRES_SCHEMA'));
}
