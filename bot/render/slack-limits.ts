/** Slack's documented limits (api.slack.com/reference/block-kit), enforced in one place. */
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  headerText: 150,
  contextElements: 10,
  contextText: 2000,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  actionsElements: 25,
  /** chat.postMessage truncates `text` beyond 40,000 characters; keep the fallback short. */
  fallbackText: 3000,
  /** Modals and App Home (api.slack.com/reference/surfaces/views). */
  viewBlocks: 100,
  viewTitle: 24,
  viewButton: 24,
  inputPlaceholder: 150,
  inputMaxLength: 3000,
} as const;

/** Every interactive id the app uses; listeners and renderers import them from here. */
export const ACTION_IDS = {
  solved: 'faultline_feedback_solved',
  didntHelp: 'faultline_feedback_didnt_help',
  wrong: 'faultline_feedback_wrong',
  moreFixes: 'faultline_more_fixes',
  diagnoseShortcut: 'faultline_diagnose_message',
  /** App Home button that opens the paste modal. */
  openDiagnoseModal: 'faultline_open_diagnose_modal',
  /** The paste modal (view callback id) and its input. */
  diagnoseModal: 'faultline_diagnose_modal',
  diagnoseModalBlock: 'faultline_error_block',
  diagnoseModalInput: 'faultline_error_text',
  /** The slash command, as declared in deploy/manifest.yaml. */
  slashCommand: '/faultline',
} as const;

export function clip(text: string, max: number, marker = '…'): { text: string; clipped: boolean } {
  if (text.length <= max) return { text, clipped: false };
  return { text: text.slice(0, Math.max(0, max - marker.length)) + marker, clipped: true };
}

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A message's top-level `text` (notifications, screen readers) is mrkdwn too: `<!channel>` in a
 * model's answer or a pasted name would notify everyone. Escape it like every other string that
 * is not ours, then clip it.
 */
export function fallbackText(text: string): string {
  return clip(escapeMrkdwn(text), SLACK_LIMITS.fallbackText).text;
}
