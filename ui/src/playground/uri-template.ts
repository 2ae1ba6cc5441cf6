/**
 * Resource templates are RFC 6570 URI templates (MCP spec "Resources", resource templates). The forms a
 * server commonly uses: `{var}` (level 1, percent-encoded), `{+var}` (reserved, level 2), and
 * `{?a,b}` / `{&a}` query parts (level 3). Other operators expand like `{var}`.
 */
const EXPRESSION = /\{([+#./;?&]?)([^}]*)\}/g;

export function templateVariables(template: string): string[] {
  const names: string[] = [];
  for (const match of template.matchAll(EXPRESSION)) {
    for (const name of (match[2] ?? '').split(',')) {
      const clean = name.replace(/[*]|:\d+$/g, '').trim();
      if (clean && !names.includes(clean)) names.push(clean);
    }
  }
  return names;
}

export function expandTemplate(template: string, values: Record<string, unknown>): string {
  return template.replace(EXPRESSION, (_all, operator: string, list: string) => {
    const names = list.split(',').map((n) => n.replace(/[*]|:\d+$/g, '').trim());
    const given = names.filter((n) => values[n] !== undefined && values[n] !== '');
    if (operator === '?' || operator === '&') {
      if (given.length === 0) return '';
      const pairs = given.map((n) => `${n}=${encodeURIComponent(String(values[n]))}`);
      return `${operator}${pairs.join('&')}`;
    }
    const encode = operator === '+' || operator === '#' ? encodeURI : encodeURIComponent;
    const parts = given.map((n) => encode(String(values[n])));
    const prefix = operator === '#' || operator === '.' || operator === '/' ? operator : '';
    return parts.length ? prefix + parts.join(operator === '/' ? '/' : ',') : '';
  });
}
