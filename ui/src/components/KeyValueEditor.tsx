import type { Pair } from '../server-form';
import { useCan } from '../session';
import { StoreAsSecret, secretNameFor } from './StoreAsSecret';

/** Rows of name = value (headers, environment variables), with add and remove. */
export function KeyValueEditor({
  label,
  pairs,
  onChange,
  keyPlaceholder,
  valuePlaceholder,
  secretPrefix,
}: {
  label: string;
  pairs: Pair[];
  onChange: (pairs: Pair[]) => void;
  keyPlaceholder: string;
  valuePlaceholder: string;
  /** When given, each row offers "Store as secret", naming the secret <prefix>_<key>. */
  secretPrefix?: string;
}) {
  // The secret store holds the owner's credentials: only an admin may write to it.
  const canStoreSecrets = useCan('admin');
  const update = (index: number, change: Partial<Pair>) =>
    onChange(pairs.map((pair, i) => (i === index ? { ...pair, ...change } : pair)));
  return (
    <fieldset>
      <legend className="field-label">{label}</legend>
      <div className="space-y-1.5">
        {pairs.map((pair, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their place while edited
          <div key={index} className="flex flex-wrap gap-1.5">
            <input
              className="input w-2/5 font-mono"
              value={pair.key}
              placeholder={keyPlaceholder}
              aria-label={`${label} name ${index + 1}`}
              onChange={(event) => update(index, { key: event.target.value })}
            />
            <input
              className="input flex-1 font-mono"
              value={pair.value}
              placeholder={valuePlaceholder}
              aria-label={`${label} value ${index + 1}`}
              onChange={(event) => update(index, { value: event.target.value })}
            />
            {secretPrefix !== undefined && canStoreSecrets ? (
              <StoreAsSecret
                label={`${label} ${index + 1}`}
                name={secretNameFor(secretPrefix || 'server', pair.key)}
                value={pair.value}
                onStored={(reference) => update(index, { value: reference })}
              />
            ) : null}
            <button
              type="button"
              className="btn px-2"
              aria-label={`Remove ${label.toLowerCase()} ${index + 1}`}
              onClick={() => onChange(pairs.filter((_, i) => i !== index))}
            >
              ✕
            </button>
          </div>
        ))}
        <button
          type="button"
          className="btn btn-sm"
          onClick={() => onChange([...pairs, { key: '', value: '' }])}
        >
          + Add {label.toLowerCase().replace(/s$/, '')}
        </button>
      </div>
    </fieldset>
  );
}
