import { main } from './run';

// The `gloss` command (bundled to dist/node/cli.mjs; bin/gloss.mjs and `npm run web` run it).
process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
