import type { CursorUpdate, FailedItem, PullEvent, RawItem } from '../../connectors/types.js';

/** Turns a list of items (and failures, cursors) into the event stream a connector would yield. */
export async function* eventsOf(...entries: (RawItem | FailedItem | CursorUpdate)[]): AsyncGenerator<PullEvent> {
  for (const e of entries) {
    if ('channel' in e) yield { kind: 'item', item: e };
    else if ('reason' in e) yield { kind: 'failed', failure: e };
    else yield { kind: 'cursor', cursor: e };
  }
}
