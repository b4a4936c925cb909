// The "Recommended Movies" strip, shared by the movie page and the embeddable widget.
import { h } from './client';

/** Fields of a film's recommendations that the strip shows. */
export const recommendedFields = `
  recommended(first: 6) {
    edges { node { score reasons { kind text } movie { id title year poster { url } } } }
  }`;

type Rec = { score: number; reasons: { kind: string; text: string }[]; movie: { id: string; title: string; year: number | null; poster: { url: string } | null } };

/** Renders the strip; links open the picked film's page (in the top window for the widget). */
export function recommendedStrip(recs: { edges: { node: Rec }[] } | null | undefined, target?: string): HTMLElement {
  const items = recs?.edges ?? [];
  return h('section', { class: 'recommended', 'data-testid': 'recommended' },
    h('h2', {}, 'Recommended Movies'),
    items.length === 0 ? h('p', { class: 'muted' }, 'No recommendations for this film yet.') : null,
    h('ol', { class: 'strip' }, items.map(({ node }) =>
      h('li', { class: 'pick', 'data-testid': 'pick' },
        h('a', { href: `/movies/${encodeURIComponent(node.movie.id)}`, ...(target ? { target } : {}) },
          h('span', { class: 'pick-title' }, node.movie.title),
          node.movie.year ? h('span', { class: 'pick-year' }, ` (${node.movie.year})`) : null),
        h('span', { class: 'reason', 'data-testid': 'reason' }, node.reasons[0]?.text ?? ''),
      ))));
}
