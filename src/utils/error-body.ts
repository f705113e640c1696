/**
 * Text of an HTTP error response, made safe to show: servers and proxies in front of an engine may echo
 * the request back (headers included), so the body can hold the `Authorization` header — a JWT in full, or
 * basic-auth credentials in base64. Only what cannot carry a credential is kept.
 */

/** Header lines that carry credentials or session state (`Name: value`), case-insensitive. */
const CREDENTIAL_HEADER = /^\s*(authorization|proxy-authorization|cookie|set-cookie|x-trino-[\w-]+|x-presto-[\w-]+|x-amz-[\w-]+|x-api-key|x-auth[\w-]*)\s*[:=].*$/gim;
/** `Bearer xxx`, `Basic xxx`, `Negotiate xxx` credentials anywhere in the text. */
const SCHEME_CREDENTIAL = /\b(bearer|basic|negotiate|digest)\s+[A-Za-z0-9._~+/=-]{4,}/gi;
/** Three base64url segments separated by dots: a JWT. */
const JWT = /\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g;
/** `password=...`, `token: ...` style pairs. */
const SECRET_PAIR = /\b(pass(word)?|pwd|secret|token|api_?key|access_?token|credential)s?(["']?\s*[:=]\s*["']?)[^\s"',;&]+/gi;

/**
 * Strips credentials from an error body and shortens it.
 * @param known secret values to remove as well (the target's password, token), each also in base64 forms
 *   a basic-auth header would use (`user:password`)
 * @param user the user name, for the basic-auth base64 form
 * @param max the most characters kept (default 300)
 */
export function safeErrorBody(body: string, known: readonly string[] = [], user?: string, max = 300): string {
  let t = body.replace(CREDENTIAL_HEADER, '').replace(JWT, '***').replace(SCHEME_CREDENTIAL, '$1 ***').replace(SECRET_PAIR, '$1$3***');
  for (const k of known.filter((x) => x.length > 0)) {
    const forms = [k, Buffer.from(k).toString('base64')];
    if (user !== undefined) forms.push(Buffer.from(`${user}:${k}`).toString('base64'));
    for (const f of forms) t = t.split(f).join('***');
  }
  t = t.replace(/\n{2,}/g, '\n').trim();
  return t.length > max ? `${t.slice(0, max)}…` : t;
}
