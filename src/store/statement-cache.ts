import type { Database, Statement } from 'better-sqlite3';

/**
 * Prepared statements by SQL text. Filters compile to a handful of shapes (values are parameters), so a
 * small cache saves re-preparing them on every page of a scroll or every tick of a live feed.
 */
export function statementCache(db: Database, capacity = 256): (sql: string) => Statement {
  const cache = new Map<string, Statement>();
  return (sql) => {
    let statement = cache.get(sql);
    if (statement) {
      cache.delete(sql);
    } else {
      statement = db.prepare(sql);
      if (cache.size >= capacity) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
    }
    cache.set(sql, statement);
    return statement;
  };
}
