/** The texts of approver emails: plain text and a small HTML part, user content escaped. */
const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character] ?? character);

const day = (date: Date) => date.toISOString().slice(0, 10);

export interface ReviewEmailInput {
  approverName: string;
  submitterName: string;
  brandName: string;
  campaignLabel: string;
  copy: string;
  linkUrl: string;
  expiresAt: Date;
  decideFromLink: boolean;
}

export function reviewEmail(input: ReviewEmailInput) {
  const action = input.decideFromLink ? 'Review and decide (no sign-in needed)' : 'Review it (after signing in)';
  const validity = `The link works once, only for you, until ${day(input.expiresAt)}, and only while the campaign is unchanged.`;
  const subject = `Review: ${input.campaignLabel} (${input.brandName})`;
  const text = [
    `Hello ${input.approverName},`,
    '',
    `${input.submitterName} submitted ${input.campaignLabel} (${input.brandName}) for review:`,
    '',
    input.copy,
    '',
    `${action}: ${input.linkUrl}`,
    validity,
  ].join('\n');
  const html = [
    `<p>Hello ${escapeHtml(input.approverName)},</p>`,
    `<p>${escapeHtml(input.submitterName)} submitted <strong>${escapeHtml(input.campaignLabel)}</strong> (${escapeHtml(input.brandName)}) for review:</p>`,
    `<blockquote style="white-space:pre-wrap">${escapeHtml(input.copy)}</blockquote>`,
    `<p><a href="${escapeHtml(input.linkUrl)}">${escapeHtml(action)}</a></p>`,
    `<p style="color:#555">${escapeHtml(validity)}</p>`,
  ].join('\n');
  return { subject, text, html };
}

export interface DigestItem {
  label: string;
  brandName: string;
  url: string;
  waitingDays: number;
  overdue: boolean;
}

export function digestEmail(input: { approverName: string; queueUrl: string; items: DigestItem[]; total: number; overdue: number }) {
  // Overdue is counted among the listed (the longest waiting); beyond them there may be more.
  const overdue = input.overdue ? `, ${input.total > input.items.length ? 'at least ' : ''}${input.overdue} overdue` : '';
  const subject = `${input.total} campaign${input.total === 1 ? '' : 's'} waiting for your review${overdue}`;
  const line = (item: DigestItem) => `${item.overdue ? 'OVERDUE ' : ''}${item.label} (${item.brandName}), waiting ${item.waitingDays} day${item.waitingDays === 1 ? '' : 's'}`;
  const more = input.total > input.items.length ? input.total - input.items.length : 0;
  const text = [
    `Hello ${input.approverName},`,
    '',
    `${subject}:`,
    '',
    ...input.items.map((item) => `- ${line(item)}: ${item.url}`),
    ...(more ? [`- and ${more} more`] : []),
    '',
    `The whole queue: ${input.queueUrl}`,
  ].join('\n');
  const html = [
    `<p>Hello ${escapeHtml(input.approverName)},</p>`,
    `<p>${escapeHtml(subject)}:</p>`,
    '<ul>',
    ...input.items.map((item) => `<li><a href="${escapeHtml(item.url)}">${escapeHtml(line(item))}</a></li>`),
    ...(more ? [`<li>and ${more} more</li>`] : []),
    '</ul>',
    `<p><a href="${escapeHtml(input.queueUrl)}">Open the queue</a></p>`,
  ].join('\n');
  return { subject, text, html };
}
