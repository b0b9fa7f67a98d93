import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { buildAppHome } from '../../render/blocks.js';
import { ui } from '../../render/strings.js';
import { DAY_MS } from '../../store/occurrences.js';
import type { Services } from '../services.js';

type HomeArgs = SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs;

const TOP_FAULTS = 5;
const RECENT = 8;

/** App Home: this week's top faults in the workspace and the viewer's own recent diagnoses. */
export function createAppHomeHandler(services: Services) {
  return async ({ event, context, client }: HomeArgs): Promise<void> => {
    if (event.tab !== 'home') return;
    const workspace = context.teamId ?? '';
    const lang = await services.locale.langFor(client, event.user);
    const t = ui(lang);
    const now = services.now();
    const counts = await services.store.stats.faultCounts({ from: now - 7 * DAY_MS, to: now + 1, workspace });
    const title = (id: string | null) => (id ? (services.engine.fault(id)?.title[lang] ?? id) : t.homeUnmatched);
    const topFaults = [...counts.entries()]
      .filter(([id]) => id !== '')
      .sort((a, b) => b[1] - a[1])
      .slice(0, TOP_FAULTS)
      .map(([id, count]) => ({ id, title: title(id), count }));
    const recent = (await services.store.occurrences.recentForUser(event.user, { workspace, limit: RECENT })).map((o) => ({ at: o.at, title: title(o.faultId), source: o.source, permalink: o.permalink }));
    await client.views.publish({ user_id: event.user, view: buildAppHome({ lang, topFaults, unmatched: counts.get('') ?? 0, recent, timeZone: services.settings.timeZone }) });
  };
}
