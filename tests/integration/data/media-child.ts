import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createBackend } from '../../../main/services/services';
import { FakeClock, MemorySecretStore } from '../../unit/support/backend';

/**
 * The process the lost-database test kills: the real backend on a real data folder imports the
 * photos it is given and makes a post with them, prints "ready", then waits to be SIGKILLed
 * (no checkpoint, no clean close: what a power cut leaves).
 */
const env = JSON.parse(process.env['OUTPOST_MEDIA_CHILD'] ?? '{}') as { dataDir: string; inbox: string };

async function main(): Promise<void> {
  const backend = createBackend({
    dataDir: env.dataDir,
    clock: new FakeClock(),
    emit: () => {},
    secrets: new MemorySecretStore(),
    platform: { host: 'browser', version: 'test', openExternal: async () => {} },
    log: () => {},
  });
  const files = readdirSync(env.inbox).map((name) => ({ path: join(env.inbox, name), fileName: name }));
  const imported = await backend.dispatch('media.import', { files });
  if (!imported.ok) throw new Error(JSON.stringify(imported.error));
  const project = await backend.dispatch('projects.create', { name: 'Bakery', color: '#2563eb', timezone: 'Asia/Jerusalem' });
  if (!project.ok) throw new Error(JSON.stringify(project.error));
  const ids = (imported.value as { ok: boolean; media?: { id: string } }[]).map((o) => o.media?.id).filter(Boolean);
  await backend.dispatch('posts.create', { projectId: (project.value as { id: string }).id, body: 'Challah Friday', media: ids });
  process.stdout.write('ready\n');
  setInterval(() => {}, 1000);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
