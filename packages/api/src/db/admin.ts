import { MikroORM } from '@mikro-orm/postgresql';

/** Runs statements on the server's maintenance database (create/drop databases). */
export async function onServer(serverUrl: string, statements: string[]): Promise<void> {
  const admin = await MikroORM.init({
    clientUrl: serverUrl,
    entities: [],
    discovery: { warnWhenNoEntities: false },
    pool: { min: 0, max: 1 },
  });
  for (const sql of statements) await admin.em.getConnection().execute(sql);
  await admin.close(true);
}

/** The URL of database `name` on the same server as `serverUrl`. */
export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
