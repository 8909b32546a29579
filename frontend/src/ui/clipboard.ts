/**
 * Copies `text` and says so with `done`; where the clipboard is refused (an http:// page on
 * another machine), a prompt shows the text selected, to copy by hand.
 */
export async function copyText(
  text: string,
  done: () => void,
  label = 'Copy this:',
): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    done();
  } catch {
    window.prompt(label, text);
  }
}
