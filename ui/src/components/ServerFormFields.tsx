import type { FormField, ServerFormState } from '../server-form';
import { Field, TextField } from './FormField';
import { KeyValueEditor } from './KeyValueEditor';

/** How the form writes a stored secret into a field (see docs/secrets.md). */
const SECRET_REFERENCE = ['$', '{secret:NAME}'].join('');

type Change = (change: Partial<ServerFormState>) => void;
type Errors = Partial<Record<FormField, string>>;

/** An HTTP server: its URL and the headers sent to it. */
export function HttpFields({ form, set, errors }: { form: ServerFormState; set: Change; errors: Errors }) {
  return (
    <>
      <TextField
        label="URL"
        hint={
          form.legacySse
            ? "The server's SSE stream (often …/sse); clients still connect to the gateway over Streamable HTTP."
            : "The server's Streamable HTTP endpoint."
        }
        error={errors.url}
        value={form.url}
        onChange={(url) => set({ url })}
        placeholder={form.legacySse ? 'e.g. http://localhost:3001/sse' : 'e.g. http://localhost:3001/mcp'}
      />
      <label className="flex items-center gap-2 text-xs">
        <input
          type="checkbox"
          checked={form.legacySse}
          onChange={(e) => set({ legacySse: e.target.checked })}
        />
        Legacy HTTP+SSE server (MCP 2024-11-05)
      </label>
      <KeyValueEditor
        label="Headers"
        pairs={form.headers}
        onChange={(headers) => set({ headers })}
        keyPlaceholder="e.g. Authorization"
        valuePlaceholder="e.g. Bearer …"
        secretPrefix={form.name}
      />
      <p className="text-[11px] text-slate-500">
        Header values are secrets: masked here and redacted from captures. “Store as secret” keeps a value out
        of mcp.json: it goes to the gateway's secret store and the field holds <code>{SECRET_REFERENCE}</code>
        .
      </p>
    </>
  );
}

/** A stdio server: the command the gateway runs, its environment, where, and how sessions share it. */
export function StdioFields({ form, set, errors }: { form: ServerFormState; set: Change; errors: Errors }) {
  return (
    <>
      <div className="grid grid-cols-[10rem_1fr] gap-3">
        <TextField
          label="Command"
          error={errors.command}
          value={form.command}
          onChange={(command) => set({ command })}
          placeholder="e.g. npx"
        />
        <TextField
          label="Arguments"
          hint="As typed in a terminal; quote arguments that hold spaces. No shell runs them."
          value={form.args}
          onChange={(args) => set({ args })}
          placeholder="e.g. -y @modelcontextprotocol/server-memory"
        />
      </div>
      <KeyValueEditor
        label="Environment variables"
        pairs={form.env}
        onChange={(env) => set({ env })}
        keyPlaceholder="e.g. NAME"
        valuePlaceholder="e.g. value"
        secretPrefix={form.name}
      />
      <div className="grid grid-cols-[1fr_14rem] gap-3">
        <TextField
          label="Working directory"
          hint="Empty: the gateway's."
          value={form.cwd}
          onChange={(cwd) => set({ cwd })}
          placeholder="e.g. /path/to/project"
        />
        <Field label="Session mode">
          <select
            className="input"
            value={form.sessionMode}
            onChange={(e) => set({ sessionMode: e.target.value as ServerFormState['sessionMode'] })}
          >
            <option value="shared">shared: one process for all</option>
            <option value="isolated">isolated: one process per session</option>
          </select>
        </Field>
      </div>
    </>
  );
}
