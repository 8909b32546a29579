import type { RunModel } from '../model/run-model';
import { api } from './api';
import { decodeBatch } from './decode';

/**
 * Reads a finished run's whole event log over REST into `model`, page by page, up to its
 * RUN_END: what the compare page and embeds show, without the live stream.
 */
export async function readWholeLog(runId: string, model: RunModel): Promise<void> {
  for (let from = 0; ;) {
    const bytes = await api.events(runId, from);
    if (!bytes) return;
    const batch = decodeBatch(bytes);
    if (batch.count === 0) return;
    model.append(batch, from);
    from = batch.firstSeq + batch.count;
    if (model.ended) return;
  }
}
