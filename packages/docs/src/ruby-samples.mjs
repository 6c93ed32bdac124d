// Ruby samples with the `oauth2` gem, as the seeds' Ruby example calls the API: an
// OAuth2::AccessToken made from a token (personal or from the OAuth flow) and its get/post/put/
// patch/delete with the full API URL. The gem raises OAuth2::Error on an answer other than 2xx.
export const RUBY_SITE = 'https://app.cloud66.com';
export const RUBY_API_URL = `${RUBY_SITE}/api/3`;

const rubyString = (s) => `'${String(s).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** A JSON value as a Ruby literal: symbol keys where the key is a plain identifier. */
export function rubyLiteral(value, pad = '') {
  if (value === null) return 'nil';
  if (typeof value === 'string') return /[\n\t]/.test(value) ? JSON.stringify(value).replace(/#\{/g, '\\#{') : rubyString(value);
  if (typeof value !== 'object') return String(value);
  const inner = `${pad}  `;
  if (Array.isArray(value)) return value.length ? `[${value.map((v) => rubyLiteral(v, pad)).join(', ')}]` : '[]';
  const entries = Object.entries(value).map(([k, v]) => `${inner}${/^[A-Za-z_]\w*$/.test(k) ? `${k}:` : `${rubyString(k)} =>`} ${rubyLiteral(v, inner)}`);
  return entries.length ? `{\n${entries.join(',\n')}\n${pad}}` : '{}';
}

/** A Ruby script for one request. */
export function rubySample({ method, path, pathParams, query, body }) {
  const url = `${RUBY_API_URL}${path.replace(/\{(\w+)\}/g, (_, name) => encodeURIComponent(String(pathParams[name])))}.json`;
  const options = [];
  if (Object.keys(query).length) options.push(`params: ${rubyLiteral(query, '  ')}`);
  if (body !== undefined) options.push(`headers: { 'Content-Type' => 'application/json' }`, `body: ${rubyLiteral(body, '  ')}.to_json`);
  const call = options.length ? `token.${method.toLowerCase()}(\n  ${rubyString(url)},\n  ${options.join(',\n  ')}\n)` : `token.${method.toLowerCase()}(${rubyString(url)})`;
  return [
    `require 'oauth2'`,
    `require 'json'`,
    ``,
    `client = OAuth2::Client.new(ENV['CLOUD66_CLIENT_ID'], ENV['CLOUD66_CLIENT_SECRET'], site: ${rubyString(RUBY_SITE)})`,
    `token = OAuth2::AccessToken.new(client, ENV['CLOUD66_TOKEN'])`,
    ``,
    `# Raises OAuth2::Error (its #response has the API's error body) unless the API answers 2xx.`,
    `response = ${call}`,
    `puts response.body.to_s.empty? ? 'done' : JSON.pretty_generate(JSON.parse(response.body))`,
  ].join('\n');
}
