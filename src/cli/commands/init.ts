import type { Command } from '@commander-js/extra-typings';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { STARTER_MODEL } from '../../model/starter.js';
import { writeFileAtomic } from '../../io/files.js';
import { safe, type Io } from '../output.js';

export function registerInit(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('init')
    .description('write a commented starter model (maestro.yaml) to learn the format from')
    .argument('[dir]', 'directory to write into (created if missing)', '.')
    .option('-f, --file <name>', 'file name to write', 'maestro.yaml')
    .option('--force', 'overwrite an existing file')
    .action((dir, opts) => {
      const target = resolve(dir, opts.file);
      if (existsSync(target) && !opts.force) {
        io.err(safe(`${target}  E_EXISTS  the file already exists; nothing was written  (use --force to overwrite it)`));
        setExit(2);
        return;
      }
      mkdirSync(resolve(dir), { recursive: true });
      writeFileAtomic(target, STARTER_MODEL);
      io.out(safe(`wrote ${join(dir, opts.file)}`));
      io.out(safe(`next: maestro-tm validate ${join(dir, opts.file)}`));
    });
}
