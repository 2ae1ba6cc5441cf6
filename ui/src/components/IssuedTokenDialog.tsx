import type { IssuedToken } from '../tokens-data';
import { CopyButton } from './CopyButton';
import { Snippet } from './EmptyState';
import { Modal } from './Modal';

/**
 * A token's value, the one time it is shown (created or rotated): the gateway keeps only its digest, so
 * this dialog is the last chance to copy it. Closing it forgets the value.
 */
export function IssuedTokenDialog({
  issued,
  verb,
  onClose,
}: {
  issued: IssuedToken;
  verb: 'created' | 'rotated';
  onClose: () => void;
}) {
  const { token, value } = issued;
  return (
    <Modal title={`Token ${token.name} ${verb}`} onClose={onClose} wide>
      <div className="space-y-3 p-4 text-sm">
        <p
          role="alert"
          className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
        >
          <strong>Copy it now: you will not see it again.</strong> The gateway keeps only a digest of it; if
          it is lost, rotate the token for a new one.
          {verb === 'rotated' ? ' The old value no longer works.' : ''}
        </p>
        <div>
          <label className="field-label" htmlFor="issued-token-value">
            Token value
          </label>
          <div className="flex gap-2">
            <input
              id="issued-token-value"
              className="input font-mono"
              readOnly
              value={value}
              onFocus={(event) => event.currentTarget.select()}
            />
            <CopyButton text={value} label="Copy token" />
          </div>
        </div>
        <div>
          <p className="field-label">Scripts and MCP clients send it as a header</p>
          <Snippet text={`Authorization: Bearer ${value}`} label="Copy header" />
        </div>
        <div>
          <p className="field-label">Its holder signs in to the web UI with this link</p>
          <Snippet text={`${window.location.origin}/ui?token=${value}`} label="Copy link" />
        </div>
        <div className="flex justify-end pt-1">
          <button type="button" className="btn btn-primary" onClick={onClose}>
            Done, I have copied it
          </button>
        </div>
      </div>
    </Modal>
  );
}
