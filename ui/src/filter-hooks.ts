import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { api, withQuery } from './api';
import { type FieldInfo, findFieldInfo, type Suggestion, suggest, termAt } from './filter-suggest';
import type { FieldDescription, FilterLanguageDescription } from './types';

/** The filter language as the gateway describes it (`GET /api/filter/fields`): fetched once. */
export function useFilterLanguage() {
  return useQuery({
    queryKey: ['filter-fields'],
    queryFn: () => api<FilterLanguageDescription>('/api/filter/fields'),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

function toFieldInfo(field: FieldDescription): FieldInfo & { valuesFrom: FieldDescription['valuesFrom'] } {
  return {
    name: field.name,
    aliases: field.aliases,
    help: field.help,
    values: field.values ?? undefined,
    operator: field.operators.includes(':') ? ':' : field.operators[0],
    valuesFrom: field.valuesFrom,
  };
}

/** `value` once it has stopped changing for `ms`. */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/**
 * Suggestions at the cursor: field names from the language description, and values of the field being
 * typed, from `GET /api/filter/values` (servers, methods, clients, sessions seen so far) or its fixed set.
 */
export function useFilterSuggestions(text: string, cursor: number, enabled: boolean): Suggestion[] {
  const language = useFilterLanguage();
  const fields = useMemo(() => (language.data?.fields ?? []).map(toFieldInfo), [language.data]);
  const term = termAt(text, cursor);
  const field = term.field !== null ? findFieldInfo(fields, term.field) : undefined;
  const source = field?.valuesFrom ?? null;
  const typed = term.partial.slice(term.partial.lastIndexOf(',') + 1);
  // Sessions are many: ask for those starting with what is typed. The rest are few: fetch them all, and
  // match anywhere in the name (typing "read" finds resources/read).
  const prefix = source === 'sessions' ? typed : '';
  const debouncedPrefix = useDebounced(prefix, 120);
  const values = useQuery({
    queryKey: ['filter-values', source, debouncedPrefix],
    queryFn: ({ signal }) =>
      api<{ values: string[] }>(
        withQuery('/api/filter/values', { field: field?.name, prefix: debouncedPrefix, limit: 200 }),
        { signal },
      ),
    enabled: enabled && source !== null,
    placeholderData: keepPreviousData,
    staleTime: 5_000,
  });
  return useMemo(() => {
    if (!enabled) return [];
    const withValues =
      field && source && values.data
        ? fields.map((f) => (f === field ? { ...f, values: values.data.values } : f))
        : fields;
    return suggest(text, cursor, withValues, 10);
  }, [enabled, field, source, values.data, fields, text, cursor]);
}
