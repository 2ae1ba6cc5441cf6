/**
 * A program the gateway would start, shown as a person judges it: the exact command line (quoted as a
 * shell would read it), the environment variables it sets (names only: values are often secrets) and
 * where it runs.
 */
export function LaunchPreview({
  label,
  commandLine,
  envNames,
  cwd,
}: {
  label: string;
  commandLine: string;
  envNames: readonly string[];
  cwd: string | null;
}) {
  return (
    <section
      aria-label={label}
      className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-xs text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
    >
      <div className="font-medium">{label}</div>
      <pre className="mt-1 whitespace-pre-wrap break-all font-mono text-[12px]">{commandLine}</pre>
      <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5">
        <dt className="text-amber-800 dark:text-amber-300">Environment</dt>
        <dd className="font-mono">{envNames.length > 0 ? envNames.join(', ') : '(nothing added)'}</dd>
        <dt className="text-amber-800 dark:text-amber-300">Working directory</dt>
        <dd className="font-mono">{cwd ?? "(the gateway's own)"}</dd>
      </dl>
    </section>
  );
}
