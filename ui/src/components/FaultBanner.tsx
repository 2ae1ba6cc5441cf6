import { useFaults } from '../faults-data';
import { linkClick } from '../router';

/**
 * On every screen while a fault rule is armed: the gateway is failing traffic on purpose, and a user must
 * never mistake that for a broken server, or forget to disarm it. Announced once when it appears.
 */
export function FaultBanner() {
  const faults = useFaults();
  const count = faults.data?.length ?? 0;
  return (
    <div aria-live="polite">
      {count > 0 ? (
        <div
          data-testid="fault-banner"
          className="flex flex-wrap items-center gap-x-3 gap-y-1 border-b border-amber-300 bg-amber-100 px-3 py-1.5 text-xs text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
        >
          <strong className="font-semibold">
            <span aria-hidden>⚠ </span>Fault injection is on: {count} rule{count === 1 ? '' : 's'} armed.
          </strong>
          <span>The gateway delays, fails or cuts matching traffic on purpose.</span>
          <a
            href="/ui/faults"
            onClick={linkClick('/ui/faults')}
            className="font-medium underline underline-offset-2"
          >
            Review fault rules
          </a>
        </div>
      ) : null}
    </div>
  );
}
