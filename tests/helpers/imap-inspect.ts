/** Looking into a test mailbox the way a mail client would, and into the database another process fills. */
import Database from 'better-sqlite3';
import type { Mailbox } from './imap.js';

/**
 * Messages stored in the SQLite file at `path`, read while another process (the CLI) writes it;
 * 0 before that process has created the file and its tables.
 */
export function storedMessageCount(path: string): number {
  try {
    const reader = new Database(path, { readonly: true, fileMustExist: true });
    try {
      return (reader.prepare('select count(*) as n from messages').get() as { n: number }).n;
    } finally {
      reader.close();
    }
  } catch (err) {
    if (/no such table|unable to open|does not exist/i.test((err as Error).message)) return 0;
    throw err;
  }
}

export async function imapMessageCount(box: Mailbox, folder: string, withFlag?: string): Promise<number> {
  const client = await box.client();
  try {
    const lock = await client.getMailboxLock(folder, { readOnly: true });
    try {
      const messages = client.mailbox && client.mailbox.exists > 0 ? await client.fetchAll('1:*', { flags: true }) : [];
      return messages.filter((m) => withFlag === undefined || m.flags?.has(withFlag)).length;
    } finally {
      lock.release();
    }
  } finally {
    await client.logout();
  }
}

export async function uidValidityOf(box: Mailbox, folder: string): Promise<string> {
  const client = await box.client();
  try {
    const status = await client.status(folder, { uidValidity: true });
    if (!status) throw new Error(`no STATUS for ${folder}`);
    return String(status.uidValidity);
  } finally {
    await client.logout();
  }
}
