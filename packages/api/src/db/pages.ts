import type { EntityName, FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { decodeCursor, encodeCursor } from '../http/pagination.js';

/** Keyset page in creation order (`createdAt`, then `id`), for small admin lists. */
export async function pageByCreation<T extends { id: string; createdAt: Date }, J>(
  em: EntityManager,
  entity: EntityName<T>,
  where: FilterQuery<T>,
  page: { limit: number; cursor?: string | undefined },
  toJson: (row: T) => J,
): Promise<{ items: J[]; nextCursor: string | null }> {
  const after = page.cursor ? decodeCursor(page.cursor, 2) : undefined;
  const afterCursor = after
    ? {
        $or: [
          { createdAt: { $gt: new Date(after[0] as number) } },
          { createdAt: new Date(after[0] as number), id: { $gt: String(after[1]) } },
        ],
      }
    : {};
  const rows = (await em.find(entity, { $and: [where, afterCursor] } as FilterQuery<T>, {
    orderBy: { createdAt: 'asc', id: 'asc' } as never,
    limit: page.limit + 1,
  })) as T[];
  const items = rows.slice(0, page.limit);
  const last = items.at(-1);
  const nextCursor =
    rows.length > page.limit && last ? encodeCursor([last.createdAt.getTime(), last.id]) : null;
  return { items: items.map(toJson), nextCursor };
}
