// The demo movie page (/movies/{id}) and a small person page (/people/{id}). The whole movie
// page comes from ONE GraphQL operation (MoviePage); mutations and live subscriptions then
// re-run it from the network.
import { gql } from '@urql/core';
import { client, errorText, h, movieId, session, setSession } from './client';
import { recommendedFields, recommendedStrip } from './recommend';
import './style.css';

const MoviePage = gql`
  query MoviePage($id: ID!) {
    movie(id: $id) {
      id
      title
      year
      cover { url caption }
      genres { id name }
      synopsis
      directors { id name }
      cast(first: 20) { order person { id name } }
      lists(first: 5) { totalCount edges { node { id title owner { username } } } }
      ratingSummary { average count histogram }
      viewerState { rating inCollection isFavorite review { id } }
      reviews(first: 10) {
        totalCount
        edges { node {
          id text score addedAt author { username }
          comments(first: 20) { totalCount edges { node { id text addedAt author { username } } } }
        } }
      }
      ${recommendedFields}
    }
  }
`;

const PersonPage = gql`
  query PersonPage($id: ID!) {
    person(id: $id) {
      id
      name
      directed(first: 50) { totalCount edges { node { id title year } } }
      actedIn(first: 50) { totalCount edges { node { id title year } } }
    }
  }
`;

const SignUp = gql`mutation SignUp($u: String!, $e: String!, $p: String!) { signUp(username: $u, email: $e, password: $p) { token user { username } } }`;
const LogIn = gql`mutation LogIn($u: String!, $p: String!) { logIn(usernameOrEmail: $u, password: $p) { token user { username } } }`;
const Rate = gql`mutation Rate($id: ID!, $score: Int!) { rateMovie(movieId: $id, score: $score) { id ratingSummary { average count histogram } viewerState { rating } } }`;
const AddToCollection = gql`mutation AddToCollection($id: ID!) { addToCollection(movieId: $id) { id viewerState { inCollection } } }`;
const RemoveFromCollection = gql`mutation RemoveFromCollection($id: ID!) { removeFromCollection(movieId: $id) { id viewerState { inCollection } } }`;
const AddToFavorites = gql`mutation AddToFavorites($id: ID!) { addToFavorites(movieId: $id) { id viewerState { isFavorite } } }`;
const RemoveFromFavorites = gql`mutation RemoveFromFavorites($id: ID!) { removeFromFavorites(movieId: $id) { id viewerState { isFavorite } } }`;
const WriteReview = gql`mutation WriteReview($id: ID!, $text: String!, $score: Int!) { writeReview(movieId: $id, text: $text, score: $score) { id } }`;
const AddComment = gql`mutation AddComment($id: ID!, $text: String!) { addComment(reviewId: $id, text: $text) { id } }`;
const SubmitSynopsis = gql`mutation SubmitSynopsis($id: ID!, $text: String!) { submitSynopsis(movieId: $id, text: $text) { id status } }`;

const ReviewAdded = gql`subscription ReviewAdded($id: ID!) { reviewAdded(movieId: $id) { id author { username } } }`;
const CommentAdded = gql`subscription CommentAdded($id: ID!) { commentAdded(reviewId: $id) { id } }`;
const RatingChanged = gql`subscription RatingChanged($id: ID!) { ratingSummaryChanged(movieId: $id) { id ratingSummary { average count histogram } } }`;

const app = document.getElementById('app')!;
const flash = (text: string, kind = 'info') => {
  const el = document.getElementById('flash');
  if (el) {
    el.textContent = text;
    el.className = `flash ${kind}`;
  }
};

/** Runs a mutation; on success re-reads the page, on failure shows the coded error. */
async function mutate(doc: ReturnType<typeof gql>, vars: Record<string, unknown>, done: string): Promise<boolean> {
  const res = await client().mutation(doc, vars).toPromise();
  if (res.error) {
    flash(errorText(res.error), 'error');
    return false;
  }
  flash(done);
  await load();
  return true;
}

const dateText = (t: string) =>
  new Date(t).toLocaleDateString('en-US', { month: 'long', day: 'numeric', year: 'numeric', timeZone: 'UTC' });

function stars(value: number | null, rate?: (score: number) => void): HTMLElement {
  // Five stars in half steps over the 1..10 scale: star i covers scores 2i-1 and 2i.
  const wrap = h('span', { class: 'stars', 'data-testid': 'stars', title: value ? `${value} / 10` : 'not rated' });
  for (let i = 1; i <= 5; i++) {
    const fill = value === null ? 0 : Math.max(0, Math.min(1, (value - (2 * i - 2)) / 2));
    const star = h(rate ? 'button' : 'span', { class: 'star', 'data-star': String(i), 'aria-label': `${i} star${i > 1 ? 's' : ''}`, style: `--fill:${Math.round(fill * 100)}%` }, '★');
    if (rate) star.addEventListener('click', (e) => {
      const r = (star as HTMLElement).getBoundingClientRect();
      const half = (e as MouseEvent).clientX > 0 && (e as MouseEvent).clientX < r.left + r.width * 0.4; // left part of a star: the half step
      rate(half ? 2 * i - 1 : 2 * i);
    });
    wrap.append(star);
  }
  return wrap;
}

function histogram(buckets: number[]): HTMLElement {
  const max = Math.max(1, ...buckets);
  return h('table', { class: 'histogram', 'data-testid': 'histogram' },
    buckets.map((n, i) => h('tr', {},
      h('th', {}, String(i + 1)),
      h('td', {}, h('span', { class: 'bar', style: `width:${(100 * n) / max}%` })),
      h('td', { class: 'num' }, String(n)))).reverse());
}

function form(fields: [string, string, string][], submit: string, onSubmit: (v: Record<string, string>) => void, testid: string): HTMLElement {
  const f = h('form', { class: 'form', 'data-testid': testid },
    fields.map(([name, label, type]) => h('label', {}, label,
      type === 'textarea' ? h('textarea', { name, required: '' }) : h('input', { name, type, required: '' }))),
    h('button', { type: 'submit' }, submit));
  f.addEventListener('submit', (e) => {
    e.preventDefault();
    onSubmit(Object.fromEntries(new FormData(f as HTMLFormElement)) as Record<string, string>);
  });
  return f;
}

function authBox(): HTMLElement {
  const s = session();
  if (s) {
    return h('div', { class: 'auth', 'data-testid': 'auth' },
      h('span', { 'data-testid': 'logged-in' }, `Logged in as ${s.username}`), ' ',
      h('button', { onclick: () => { setSession(null); load(true); } }, 'Log out'));
  }
  const signIn = async (doc: ReturnType<typeof gql>, vars: Record<string, string>, field: string) => {
    const res = await client().mutation(doc, vars).toPromise();
    if (res.error) return flash(errorText(res.error), 'error');
    const p = res.data[field];
    setSession({ token: p.token, username: p.user.username });
    flash(`Welcome, ${p.user.username}`);
    load(true);
  };
  return h('div', { class: 'auth', 'data-testid': 'auth' },
    h('details', {}, h('summary', {}, 'Log in'),
      form([['u', 'Username or email', 'text'], ['p', 'Password', 'password']], 'Log in',
        (v) => signIn(LogIn, v, 'logIn'), 'login-form')),
    h('details', {}, h('summary', {}, 'Sign up'),
      form([['u', 'Username', 'text'], ['e', 'Email', 'email'], ['p', 'Password', 'password']], 'Sign up',
        (v) => signIn(SignUp, v, 'signUp'), 'signup-form')));
}

// Live updates: one set of subscriptions per film page and session.
let live: { key: string; stops: (() => void)[] } | null = null;
function subscribeLive(m: any) {
  const key = `${m.id}|${session()?.token ?? ''}|${m.reviews.edges.map((e: any) => e.node.id).join(',')}`;
  if (live?.key === key) return;
  live?.stops.forEach((s) => s());
  const stops: (() => void)[] = [];
  const on = (doc: ReturnType<typeof gql>, vars: Record<string, unknown>, what: (d: any) => string) => {
    const { unsubscribe } = client().subscription(doc, vars).subscribe((r) => {
      if (r.data) {
        flash(what(r.data));
        load();
      }
    });
    stops.push(unsubscribe);
  };
  on(ReviewAdded, { id: m.id }, (d) => `New review by ${d.reviewAdded.author.username}`);
  on(RatingChanged, { id: m.id }, () => 'Rating updated');
  for (const e of m.reviews.edges) on(CommentAdded, { id: e.node.id }, () => 'New comment');
  live = { key, stops };
}

function moviePage(m: any): HTMLElement {
  const s = session();
  const v = m.viewerState;
  const rs = m.ratingSummary;
  const signUpTo = (what: string) => h('p', { class: 'muted' }, `Sign up to ${what}`);
  document.title = `${m.title}${m.year ? ` (${m.year})` : ''} · filmgraph`;
  return h('article', { class: 'movie' },
    h('header', {},
      h('h1', { 'data-testid': 'title' }, m.title, m.year ? h('span', { class: 'year', 'data-testid': 'year' }, ` (${m.year})`) : null)),
    h('div', { class: 'columns' },
      h('div', { class: 'main' },
        m.cover ? h('figure', { class: 'cover', 'data-testid': 'cover' },
          h('img', { src: m.cover.url, alt: m.cover.caption || m.title, onerror: (e) => ((e.target as HTMLElement).style.display = 'none') }),
          m.cover.caption ? h('figcaption', {}, m.cover.caption) : null) : null,
        h('p', { class: 'genres', 'data-testid': 'genres' }, 'Genres: ', m.genres.map((g: any) => g.name).join(', ')),
        h('section', { class: 'synopsis', 'data-testid': 'synopsis' },
          m.synopsis
            ? h('p', {}, m.synopsis)
            : h('div', {},
              h('p', {}, "We don't have a synopsis for this movie yet. Check back soon or send us your own!"),
              s ? form([['text', 'Your synopsis', 'textarea']], 'Send synopsis',
                (f) => mutate(SubmitSynopsis, { id: m.id, text: f.text }, 'Thanks! A moderator will review your synopsis.'), 'synopsis-form')
                : signUpTo('send us a synopsis.'))),
        h('section', { class: 'credits' },
          h('ul', { class: 'people', 'data-testid': 'directors' }, m.directors.map((p: any) =>
            h('li', {}, h('a', { href: `/people/${encodeURIComponent(p.id)}` }, p.name), h('span', { class: 'role' }, ' Director')))),
          h('ul', { class: 'people', 'data-testid': 'cast' }, m.cast.map((c: any) =>
            h('li', {}, h('a', { href: `/people/${encodeURIComponent(c.person.id)}` }, c.person.name))))),
        h('section', { class: 'reviews', 'data-testid': 'reviews' },
          h('h2', {}, `Reviews (${m.reviews.totalCount})`),
          m.reviews.edges.map(({ node: r }: any) => h('div', { class: 'review', 'data-testid': 'review' },
            h('h3', {}, `Review by ${r.author.username}`),
            h('p', { class: 'muted' }, `Added: ${dateText(r.addedAt)}`, ' · ', `${r.score}/10`),
            r.text.split(/\n\s*\n/).map((p: string) => h('p', {}, p)),
            h('div', { class: 'comments' },
              r.comments.edges.map(({ node: c }: any) => h('div', { class: 'comment', 'data-testid': 'comment' },
                h('strong', {}, c.author.username), ': ', c.text)),
              s ? form([['text', 'Your comment', 'textarea']], 'Add comment',
                (f) => mutate(AddComment, { id: r.id, text: f.text }, 'Comment added'), 'comment-form')
                : signUpTo('add your comment.')))),
          s && !v?.review ? h('div', { class: 'write-review' }, h('h3', {}, 'Write a review'),
            form([['text', 'Your review', 'textarea'], ['score', 'Score (1-10)', 'number']], 'Publish review',
              (f) => mutate(WriteReview, { id: m.id, text: f.text, score: Number(f.score) }, 'Review published'), 'review-form')) : null),
        recommendedStrip(m)),
      h('aside', { class: 'side' },
        authBox(),
        h('div', { id: 'flash', class: 'flash', role: 'status', 'data-testid': 'flash' }),
        h('section', { class: 'lists', 'data-testid': 'lists' }, h('h2', {}, 'User Lists:'),
          h('ul', {}, m.lists.edges.map(({ node: l }: any) => h('li', {}, h('span', {}, l.title), h('span', { class: 'muted' }, ` by ${l.owner.username}`))))),
        h('section', { class: 'rating', 'data-testid': 'rating' },
          h('p', { class: 'overall', 'data-testid': 'average' }, rs.average === null ? 'Not rated yet' : `${rs.average.toFixed(1)} / 10`, ' - Overall Rating'),
          h('p', { class: 'muted', 'data-testid': 'rating-count' }, `${rs.count} ratings`),
          stars(rs.average),
          histogram(rs.histogram),
          s ? h('div', { class: 'your-rating' }, h('p', {}, v?.rating ? `Your rating: ${v.rating}/10` : 'Rate this movie:'),
            stars(v?.rating ?? null, (score) => mutate(Rate, { id: m.id, score }, `Rated ${score}/10`)))
            : signUpTo('rate this movie.')),
        h('section', { class: 'actions' },
          h('h3', {}, 'Add to Collection'),
          s ? h('button', { 'data-testid': 'collection', onclick: () => mutate(v?.inCollection ? RemoveFromCollection : AddToCollection, { id: m.id }, v?.inCollection ? 'Removed from your collection' : 'Added to your collection') },
            v?.inCollection ? 'In your collection ✓' : 'Add to Collection') : signUpTo('add this to your collection'),
          h('h3', {}, 'Add to Favorites'),
          s ? h('button', { 'data-testid': 'favorites', onclick: () => mutate(v?.isFavorite ? RemoveFromFavorites : AddToFavorites, { id: m.id }, v?.isFavorite ? 'Removed from your favorites' : 'Added to your favorites') },
            v?.isFavorite ? 'In your favorites ✓' : 'Add to Favorites') : signUpTo('add this to your favorites')))));
}

function personPage(p: any): HTMLElement {
  document.title = `${p.name} · filmgraph`;
  const films = (edges: any[]) => h('ul', {}, edges.map(({ node }) =>
    h('li', {}, h('a', { href: `/movies/${encodeURIComponent(node.id)}` }, node.title), node.year ? ` (${node.year})` : '')));
  return h('article', { class: 'person' }, h('h1', {}, p.name),
    p.directed.totalCount ? [h('h2', {}, 'Directed'), films(p.directed.edges)] : [],
    p.actedIn.totalCount ? [h('h2', {}, 'Acted in'), films(p.actedIn.edges)] : []);
}

let rendering = 0;
/** Reads the route's page with one operation and renders it; `fresh` bypasses the cache. */
async function load(fresh = true) {
  const [, kind, raw] = window.location.pathname.split('/');
  const id = decodeURIComponent(raw || '');
  const ticket = ++rendering;
  const policy = fresh ? 'network-only' : 'cache-first';
  if (kind === 'people') {
    const res = await client().query(PersonPage, { id }, { requestPolicy: policy }).toPromise();
    if (ticket !== rendering) return;
    if (res.error) return app.replaceChildren(h('p', { class: 'error' }, errorText(res.error)));
    if (!res.data.person) return app.replaceChildren(h('p', { class: 'error' }, 'No such person.'));
    app.replaceChildren(nav(), personPage(res.data.person));
    return;
  }
  const started = performance.now();
  const res = await client().query(MoviePage, { id: movieId(id) }, { requestPolicy: policy }).toPromise();
  if (ticket !== rendering) return;
  if (res.error) return app.replaceChildren(nav(), h('p', { class: 'error', 'data-testid': 'error' }, errorText(res.error)));
  if (!res.data.movie) return app.replaceChildren(nav(), h('p', { class: 'error', 'data-testid': 'error' }, 'No such film.'));
  const keep = document.getElementById('flash')?.textContent ?? '';
  app.replaceChildren(nav(), moviePage(res.data.movie));
  if (keep) flash(keep);
  app.dataset.loadedMs = String(Math.round(performance.now() - started));
  app.dataset.ready = 'true';
  subscribeLive(res.data.movie);
}

const nav = () => h('nav', {}, h('a', { href: '/' }, 'GraphiQL'), ' · ', h('a', { href: '/movies/TW92aWU6ODA5Njk' }, 'Never Let Me Go'));

load();
