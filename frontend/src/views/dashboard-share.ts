import type { Run, Scenario } from '../net/api';
import { copyText } from '../ui/clipboard';
import { embedSnippet } from '../ui/embed-options';
import type { ParamForm } from '../ui/form';
import { shareUrl } from '../ui/share-link';
import type { Messages } from './dashboard-messages';

/**
 * Copies an iframe that shows the open run read-only (with the viewer link's secret on a shared
 * server), for slides.
 */
export async function copyEmbedCode(
  run: Run | null,
  viewSecret: string | null,
  messages: Messages,
): Promise<void> {
  if (!run) {
    messages.show('Open or start a run first: the embed shows a run.', 'info');
    return;
  }
  const code = embedSnippet(location.origin, run.id, `${run.scenario} in Threadline`, viewSecret);
  await copyText(
    code,
    () => messages.show('Embed code copied: paste it into your slides (HTML).', 'info'),
    'Copy this embed code:',
  );
}

/** Copies a link that opens this scenario with these parameters (nothing starts until Start). */
export async function copyShareLink(
  scenario: Scenario | null,
  form: ParamForm | null,
  messages: Messages,
): Promise<void> {
  if (!scenario || !form) return;
  const url = shareUrl(location.origin, scenario.id, form.values());
  await copyText(
    url,
    () => messages.show('Link copied: it opens this scenario with these parameters.', 'info'),
    'Copy this link:',
  );
}
