/** Builds the connector a configured source describes. */
import type { EmailParser } from '../../connectors/email/parse-pool.js';
import { ImapConnector } from '../../connectors/imap/imap.connector.js';
import { XConnector } from '../../connectors/x/x.connector.js';
import type { Config } from '../config/config.js';

export type SourceConfig = Config['sources'][number];

export interface ConnectorFactoryDeps {
  config: Config;
  parser: EmailParser;
  env?: NodeJS.ProcessEnv;
  /** Told how many messages a folder has to read, before reading them (for progress). */
  onPlan?: (folder: string, messages: number) => void;
}

export function createConnector(source: SourceConfig, deps: ConnectorFactoryDeps): ImapConnector | XConnector {
  if (source.type === 'x') return new XConnector(source, deps.env ? { env: deps.env } : {});
  return new ImapConnector(source, {
    parser: deps.parser,
    maxMessageBytes: deps.config.ingest.maxMessageBytes,
    parseTimeoutMs: deps.config.ingest.parseTimeoutMs,
    ...(deps.env ? { env: deps.env } : {}),
    ...(deps.onPlan ? { onPlan: deps.onPlan } : {}),
  });
}
