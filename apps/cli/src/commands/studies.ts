/** `hpo studies list|show|delete`. */
import { Command } from 'commander';
import { addClientOptions, ClientFlags, clientFrom } from '../client-options';
import { studiesTable, studyDetails } from '../format';
import { resolveStudy } from '../resolve-study';
import { runAction } from '../run-action';

interface JsonFlag {
  json?: boolean;
}

export function studiesCommand(): Command {
  const studies = new Command('studies').description("list, show and delete the tenant's studies");

  addClientOptions(studies.command('list').description('list studies, newest first'))
    .option('--json', 'print JSON')
    .action(
      runAction(async (flags: ClientFlags & JsonFlag) => {
        const client = clientFrom(flags);
        try {
          const all = [];
          for await (const s of client.allStudies()) all.push(s);
          process.stdout.write(flags.json ? JSON.stringify(all, null, 2) + '\n' : all.length ? studiesTable(all) + '\n' : 'no studies\n');
        } finally {
          client.close();
        }
      }),
    );

  addClientOptions(studies.command('show').argument('<study>', 'studies/ID, ID or display name').description("a study's configuration, counts and best trial"))
    .option('--json', 'print JSON')
    .action(
      runAction(async (ref: string, flags: ClientFlags & JsonFlag) => {
        const client = clientFrom(flags);
        try {
          const study = await resolveStudy(client, ref);
          const optimal = await client.listOptimalTrials(study.name);
          if (flags.json) {
            process.stdout.write(JSON.stringify({ study, optimalTrials: optimal }, null, 2) + '\n');
            return;
          }
          process.stdout.write(studyDetails(study, optimal));
        } finally {
          client.close();
        }
      }),
    );

  addClientOptions(studies.command('delete').argument('<study>', 'studies/ID, ID or display name').description('delete a study and its trials'))
    .action(
      runAction(async (ref: string, flags: ClientFlags) => {
        const client = clientFrom(flags);
        try {
          const study = await resolveStudy(client, ref);
          await client.deleteStudy(study.name);
          process.stdout.write(`deleted ${study.name} ("${study.displayName}")\n`);
        } finally {
          client.close();
        }
      }),
    );

  return studies;
}
