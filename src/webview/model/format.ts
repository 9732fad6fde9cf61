/** Fills `{0}`, `{1}`… in a localized label (the extension's vscode.l10n templates). */
export function fill(template: string, ...args: (string | number)[]): string {
  return template.replace(/\{(\d+)\}/g, (whole, index: string) => (Number(index) < args.length ? String(args[Number(index)]) : whole));
}

/** One line of at most `max` characters, for labels (aria-label, titles); the full text is shown elsewhere. */
export function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

const DAY_MS = 86_400_000;

/** A day header: today, yesterday, or the date in the page's language (with the year when it is not this year). */
export function dayLabel(day: number, today: number, words: { today: string; yesterday: string }, locale: string): string {
  if (day >= today) return words.today;
  if (day === today - 1) return words.yesterday;
  const date = new Date(day * DAY_MS);
  const sameYear = date.getUTCFullYear() === new Date(today * DAY_MS).getUTCFullYear();
  return new Intl.DateTimeFormat(locale, {
    timeZone: 'UTC',
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    ...(sameYear ? {} : { year: 'numeric' }),
  }).format(date);
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();

/** The time of day a task was made, in the page's language and zone. */
export function timeLabel(t: number, locale: string): string {
  let f = timeFormats.get(locale);
  if (!f) timeFormats.set(locale, (f = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' })));
  return f.format(t);
}
