// The "Recommended Movies" strip, shared by the movie page and the embeddable widget.
//
// With the API's Movie.recommended (USE_RECOMMENDED) each pick comes with its reasons. Until
// that field is served, the strip is a PLACEHOLDER: the director's and the leads' other films,
// read in the same operation, with "Also directed by ..." / "Also stars ..." as the reason.
import { h } from './client';

/** True when the API serves Movie.recommended; false renders the genre placeholder. */
export const USE_RECOMMENDED = false;

/** Fields of a film (selected inside `movie { ... }`) that the strip reads. */
export const recommendedFields = USE_RECOMMENDED
  ? `
  recommended(first: 6) {
    edges { node { score reasons { kind text } movie { id title year } } }
  }`
  : `
  placeholderDirectors: directors { name directed(first: 4) { edges { node { id title year } } } }
  placeholderCast: cast(first: 4) { person { name actedIn(first: 3) { edges { node { id title year } } } } }`;

type Pick = { movie: { id: string; title: string; year: number | null }; reason: string };

function picks(movie: any): Pick[] {
  if (USE_RECOMMENDED) {
    return (movie.recommended?.edges ?? []).map(({ node }: any) => ({ movie: node.movie, reason: node.reasons[0]?.text ?? '' }));
  }
  const seen = new Set<string>([movie.id]);
  const out: Pick[] = [];
  // Round-robin over the director's and the leads' other films so each contributes.
  const lists = [
    ...(movie.placeholderDirectors ?? []).map((p: any) => p.directed.edges.map((e: any) => ({ movie: e.node, reason: `Also directed by ${p.name}` }))),
    ...(movie.placeholderCast ?? []).map((c: any) => c.person.actedIn.edges.map((e: any) => ({ movie: e.node, reason: `Also stars ${c.person.name}` }))),
  ];
  for (let i = 0; out.length < 6 && lists.some((l: Pick[]) => i < l.length); i++) {
    for (const l of lists) {
      const p = l[i];
      if (p && !seen.has(p.movie.id) && out.length < 6) {
        seen.add(p.movie.id);
        out.push(p);
      }
    }
  }
  return out;
}

/** Renders the strip of movie; links open the picked film's page (in target, e.g. _top). */
export function recommendedStrip(movie: any, target?: string): HTMLElement {
  const items = picks(movie);
  return h('section', { class: 'recommended', 'data-testid': 'recommended' },
    h('h2', {}, 'Recommended Movies'),
    USE_RECOMMENDED ? null : h('p', { class: 'muted', 'data-testid': 'placeholder-note' }, 'Placeholder: other films of the director and the leads, until the API serves recommendations.'),
    items.length === 0 ? h('p', { class: 'muted' }, 'No recommendations for this film yet.') : null,
    h('ol', { class: 'strip' }, items.map((p) =>
      h('li', { class: 'pick', 'data-testid': 'pick' },
        h('a', { href: `/movies/${encodeURIComponent(p.movie.id)}`, ...(target ? { target } : {}) },
          h('span', { class: 'pick-title' }, p.movie.title),
          p.movie.year ? h('span', { class: 'pick-year' }, ` (${p.movie.year})`) : null),
        h('span', { class: 'reason', 'data-testid': 'reason' }, p.reason),
      ))));
}
