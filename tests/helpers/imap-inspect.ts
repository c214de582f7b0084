/** Looking into a test mailbox the way a mail client would. */
import type { Mailbox } from './imap.js';

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
