import { useEffect, useState } from 'react';

async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // Clipboard access can be refused (plain http on another host); fall back to a selection-based copy.
    const area = document.createElement('textarea');
    area.value = text;
    document.body.append(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
}

/** Copies text to the clipboard and says so for a moment. */
export function CopyButton({
  text,
  label = 'Copy',
  className = '',
}: {
  text: string;
  label?: string;
  className?: string;
}) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 1200);
    return () => clearTimeout(timer);
  }, [copied]);
  return (
    <>
      <button
        type="button"
        aria-label={label}
        onClick={async () => {
          await copyText(text);
          setCopied(true);
        }}
        className={`btn btn-sm ${className}`}
      >
        {/* The label keeps its width and its name while "Copied" shows (WCAG 2.5.3, label in name). */}
        <span aria-hidden={copied}>{copied ? 'Copied ✓' : label}</span>
      </button>
      {/* Said once by a screen reader, without moving the focus (WCAG 4.1.3). */}
      <span role="status" className="sr-only">
        {copied ? 'Copied' : ''}
      </span>
    </>
  );
}
