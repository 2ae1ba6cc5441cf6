/**
 * The read side's migrations (search indexes, statistics rollups), applied after the tables and the write
 * side's (migrations.ts). Append new ones, never edit old ones.
 */
export const READ_MIGRATIONS: readonly string[] = [];
