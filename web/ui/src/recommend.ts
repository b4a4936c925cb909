// The "Recommended Movies" strip, shared by the movie page and the embeddable widget: the
// API's Movie.recommended, read in the page's one operation, each pick with its first reason.
import { h } from './client';

/** Fields of a film (selected inside `movie { ... }`) that the strip reads. */
export const recommendedFields = `
  recommended(first: 6) {
    edges { node { score reasons { kind text } movie { id title year } } }
  }`;

type Pick = { movie: { id: string; title: string; year: number | null }; reason: string };

function picks(movie: any): Pick[] {
  return (movie.recommended?.edges ?? []).map(({ node }: any) => ({ movie: node.movie, reason: node.reasons[0]?.text ?? '' }));
}

/** Renders the strip of movie; links open the picked film's page (in target, e.g. _top). */
export function recommendedStrip(movie: any, target?: string): HTMLElement {
  const items = picks(movie);
  return h('section', { class: 'recommended', 'data-testid': 'recommended' },
    h('h2', {}, 'Recommended Movies'),
    items.length === 0 ? h('p', { class: 'muted' }, 'No recommendations for this film yet.') : null,
    h('ol', { class: 'strip' }, items.map((p) =>
      h('li', { class: 'pick', 'data-testid': 'pick' },
        h('a', { href: `/movies/${encodeURIComponent(p.movie.id)}`, ...(target ? { target } : {}) },
          h('span', { class: 'pick-title' }, p.movie.title),
          p.movie.year ? h('span', { class: 'pick-year' }, ` (${p.movie.year})`) : null),
        h('span', { class: 'reason', 'data-testid': 'reason' }, p.reason),
      ))));
}
