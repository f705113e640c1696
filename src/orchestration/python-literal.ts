/**
 * Python source literals for generated code (the Airflow DAG file). Every string Weir writes into Python
 * goes through {@link pyStr}, so no node name, path or option can end a literal early or inject code.
 *
 * Escapes follow the Python 3 reference, "Lexical analysis → String and Bytes literals"
 * (https://docs.python.org/3/reference/lexical_analysis.html#escape-sequences): backslash, the quote,
 * and every character outside printable ASCII are written as escapes (`\n`, `\xNN`, `\uNNNN`,
 * `\UNNNNNNNN`), so the literal is pure ASCII and independent of the file's encoding.
 */

/**
 * Renders a string as a Python 3 string literal whose value is exactly `s`. Like Python's `repr`, it is
 * single-quoted unless the text holds `'` and no `"`.
 * @example pyStr("it's\n") === '"it\'s\\n"'
 */
export function pyStr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = q;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === q) out += `\\${q}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (cp >= 0x20 && cp < 0x7f) out += ch;
    else if (cp <= 0xff) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp <= 0xffff) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return `${out}${q}`;
}

/**
 * Renders a JSON-like value as a Python literal: strings via {@link pyStr}, finite numbers, booleans as
 * `True`/`False`, null as `None`, arrays as lists and plain objects as dicts (string keys).
 * @throws Error for non-finite numbers, functions, symbols and bigints
 */
export function pyLiteral(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'string') return pyStr(v);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`cannot write ${v} as a Python literal`);
    return String(v);
  }
  if (Array.isArray(v)) return `[${v.map(pyLiteral).join(', ')}]`;
  if (typeof v === 'object') return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${pyStr(k)}: ${pyLiteral(x)}`).join(', ')}}`;
  throw new Error(`cannot write a ${typeof v} as a Python literal`);
}

/**
 * Quotes one word for a POSIX shell (`sh`/`bash`): bare when it only holds safe characters, otherwise in
 * single quotes with embedded single quotes written as `'\''` (POSIX.1-2017, Shell Command Language §2.2.2).
 */
export function shellQuote(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * A Python identifier made from arbitrary text: non-identifier characters become `_`, a leading digit gets
 * a `_` prefix, and Python keywords get a `_` suffix.
 */
export function pyIdentifier(s: string): string {
  let id = s.replace(/[^A-Za-z0-9_]/g, '_');
  if (!id || /^[0-9]/.test(id)) id = `_${id}`;
  return PY_KEYWORDS.has(id) ? `${id}_` : id;
}

const PY_KEYWORDS = new Set(['False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield']);
