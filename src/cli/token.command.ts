import { API_ROLES, type ApiRole, type ApiToken } from '../../db/repository.js';
import { createApiToken, TokenNameTakenError } from '../api/tokens.js';
import { CliUsageError, COMMON_HELP, COMMON_OPTIONS, oneOf, openContext, parseCommandArgs, type Command } from './command.js';
import { formatTime } from './format.js';

const HELP = `Usage: complaint-monitor token create --name NAME --role ROLE [options]
       complaint-monitor token list [options]
       complaint-monitor token revoke NAME [options]

Bearer tokens for the dashboard API (complaint-monitor serve). A new token is printed once, on
create; only its SHA-256 is stored, so a lost token cannot be shown again: revoke it and create
another. Names stay taken after a revoke.

Roles:
  social    X cases (the mentions feed)
  desk      email cases
  manager   every case, read-only
  admin     every case; tokens and connectors

Options:
  --name NAME      the token's name (create), e.g. the person or tool using it
  --role ROLE      ${API_ROLES.join(' | ')} (create)
${COMMON_HELP.join('\n')}`;

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/;

function toJson(t: ApiToken) {
  return { name: t.name, role: t.role, createdAt: t.createdAt, lastUsedAt: t.lastUsedAt, revokedAt: t.revokedAt };
}

function formatTokens(tokens: ApiToken[], timeZone: string): string {
  if (tokens.length === 0) return '  (no tokens: `complaint-monitor token create --name NAME --role ROLE`)';
  const width = Math.max(4, ...tokens.map((t) => t.name.length));
  const when = (d: Date | null) => (d === null ? '-' : formatTime(d, timeZone));
  return [
    `  ${'name'.padEnd(width)}  ${'role'.padEnd(7)}  ${'created'.padEnd(16)}  ${'last used'.padEnd(16)}  revoked`,
    ...tokens.map(
      (t) => `  ${t.name.padEnd(width)}  ${t.role.padEnd(7)}  ${when(t.createdAt).padEnd(16)}  ${when(t.lastUsedAt).padEnd(16)}  ${when(t.revokedAt)}`,
    ),
  ].join('\n');
}

export const tokenCommand: Command = {
  name: 'token',
  summary: 'create, list and revoke dashboard API tokens',
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, { ...COMMON_OPTIONS, name: { type: 'string' }, role: { type: 'string' } });
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    const [action, ...rest] = positionals;
    if (action === 'create') {
      if (rest.length > 0) throw new CliUsageError(`unexpected argument "${rest[0]}"`);
      if (values.name === undefined || !NAME.test(values.name)) {
        throw new CliUsageError('--name is required: 1 to 64 letters, digits, and . _ @ - (starting with a letter or digit)');
      }
      const role: ApiRole | undefined = oneOf(values.role, API_ROLES, '--role');
      if (role === undefined) throw new CliUsageError(`--role is required: one of ${API_ROLES.join(', ')}`);
      const ctx = openContext(values);
      try {
        const { token } = await createApiToken(ctx.repo, values.name, role);
        if (values.json) console.log(JSON.stringify({ token, name: values.name, role }));
        else console.log(`Created ${role} token "${values.name}". It is shown only this once; keep it secret:\n\n  ${token}\n`);
        return 0;
      } catch (err) {
        if (!(err instanceof TokenNameTakenError)) throw err;
        console.error(`error: ${err.message}`);
        return 1;
      } finally {
        await ctx.repo.close();
      }
    }
    if (action === 'list') {
      if (rest.length > 0) throw new CliUsageError(`unexpected argument "${rest[0]}"`);
      const ctx = openContext(values);
      try {
        const tokens = await ctx.repo.listTokens();
        console.log(values.json ? JSON.stringify(tokens.map(toJson)) : formatTokens(tokens, ctx.config.timezone));
        return 0;
      } finally {
        await ctx.repo.close();
      }
    }
    if (action === 'revoke') {
      const name = rest.length === 1 ? rest[0]! : values.name;
      if (name === undefined || rest.length > 1 || (rest.length === 1 && values.name !== undefined)) {
        throw new CliUsageError('give the name of one token to revoke: token revoke NAME');
      }
      const ctx = openContext(values);
      try {
        const revoked = await ctx.repo.revokeToken(name, new Date());
        if (values.json) console.log(JSON.stringify({ name, revoked }));
        if (!revoked) {
          console.error(`error: no active token named "${name}" (see: complaint-monitor token list)`);
          return 1;
        }
        if (!values.json) console.log(`Revoked token "${name}": requests with it now get 401.`);
        return 0;
      } finally {
        await ctx.repo.close();
      }
    }
    throw new CliUsageError(action === undefined ? 'give an action: create, list or revoke' : `unknown action "${action}": use create, list or revoke`);
  },
};
