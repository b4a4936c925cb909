// The embeddable recommendation widget (/widget/{id}): the "Recommended Movies" strip of one
// film, read with one operation. Third-party pages embed it with public/widget.js (script
// tag) or an iframe; links open in the top window.
import { gql } from '@urql/core';
import { client, errorText, h, movieId } from './client';
import { recommendedFields, recommendedStrip } from './recommend';
import './style.css';

const Widget = gql`
  query RecommendationWidget($id: ID!) {
    movie(id: $id) { id title ${recommendedFields} }
  }
`;

async function start() {
  const root = document.getElementById('widget')!;
  const raw = decodeURIComponent(window.location.pathname.split('/')[2] || '');
  const res = await client().query(Widget, { id: movieId(raw) }).toPromise();
  if (res.error) return root.replaceChildren(h('p', { class: 'error' }, errorText(res.error)));
  if (!res.data.movie) return root.replaceChildren(h('p', { class: 'error' }, 'No such film.'));
  const strip = recommendedStrip(res.data.movie, '_top');
  strip.querySelector('h2')!.append(h('span', { class: 'muted' }, ` if you liked ${res.data.movie.title}`));
  root.replaceChildren(strip);
  root.dataset.ready = 'true';
}

start();
