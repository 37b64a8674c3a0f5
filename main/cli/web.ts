import { existsSync } from 'node:fs';
import path from 'node:path';
import type { WebServer } from '../web/server';
import { CliError, UsageError, projectDirOption, stringOption, type Command } from './command';

/** `gloss web`: serves the project to a browser on this computer until Ctrl+C. */
export const webCommand: Command = {
  name: 'web',
  summary: 'Use Gloss in your web browser (served on this computer only)',
  help: `Usage: gloss web [--port N] [--project DIR] [--open]

Serves Gloss on http://127.0.0.1 and prints the address to open. The address includes a
secret key: only a browser given that address can use your project. Stop with Ctrl+C; every
change is saved before Gloss exits.

Options:
  --port N        Port to listen on (default: any free port)
  --project DIR   Project folder (default: $GLOSS_PROJECT, settings.json, or your Gloss data folder)
  --open          Also open the address in your default browser
  -h, --help      Show this help
`,
  options: {
    port: { type: 'string' },
    project: { type: 'string' },
    open: { type: 'boolean' },
  },
  async run(values, { io, deps }) {
    const port = parsePort(stringOption(values, 'port'));
    const projectDir = projectDirOption(values, deps);
    const staticDir = deps.staticDir();
    if (!existsSync(path.join(staticDir, 'index.html'))) {
      throw new CliError('The browser interface is not built yet. Run `npm run build` in the Gloss folder first.');
    }

    const core = await deps.openCore({ projectDir, corpusDir: deps.corpusDir() });
    let server: WebServer;
    try {
      server = await deps.startWebServer({
        core,
        port,
        staticDir,
        onError: (e) => io.stderr.write(`gloss web: ${e instanceof Error ? e.message : String(e)}\n`),
      });
    } catch (e) {
      await core.close();
      throw listenError(e, port);
    }

    io.stdout.write(`Gloss is running in browser mode. Open this address in your browser:\n${server.url}\nPress Ctrl+C to stop.\n`);
    if (values['open'] === true) {
      // Not server.url: every local user can read a browser's command line, so it gets a one-time
      // address, worthless once the browser has used it or a minute has passed.
      deps.openBrowser(server.createLaunchUrl()).catch((e: unknown) => {
        io.stderr.write(`Could not open a browser (${e instanceof Error ? e.message : String(e)}). Open the address above yourself.\n`);
      });
    }

    await deps.waitForShutdown(server);
    io.stdout.write('Stopping Gloss…\n');
    try {
      await server.close();
    } finally {
      // Closing the core writes pending changes; its failure must reach the user (exit code 1).
      await core.close();
    }
    io.stdout.write('Gloss stopped. Your project is saved.\n');
    return 0;
  },
};

function parsePort(value: string | undefined): number {
  if (value === undefined) return 0;
  const port = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(port >= 0 && port <= 65535)) throw new UsageError(`--port must be a number from 0 to 65535, not "${value}".`);
  return port;
}

function listenError(e: unknown, port: number): unknown {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (code === 'EADDRINUSE') return new CliError(`Port ${port} is already in use by another program. Choose another with --port, or leave it out to use any free port.`);
  if (code === 'EACCES') return new CliError(`Gloss is not allowed to listen on port ${port}. Choose a port above 1023 with --port.`);
  return e;
}
